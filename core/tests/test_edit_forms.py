"""Every edit form, from one table: two sessions cannot overwrite each other (issue 18, point 4)
and no field emptied by hand answers 5xx (point 9).

The forms are read the way a browser reads them: the test GETs the page, takes the values of
the form's inputs, textareas and selects (html.parser) and posts them back. A URL the table
does not know fails `test_every_url_is_in_the_table_or_said_not_to_be_an_edit_form`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import Membership, Role
from assessments import services as assessment_services
from assessments.models import (
    AssessmentProse,
    PlanMilestone,
    RequirementText,
    StandardReview,
    WorkingGroup,
)
from evaluation.models import CriterionReview, TeamJudgment
from evaluation.tests.factories import evaluation_at_work
from evidence import services as evidence_services
from evidence.models import Evidence
from frameworks.models import Criterion, Framework
from frameworks.services import framework_load_dir
from improvement import services as improvement_services
from improvement.models import ImprovementAction
from programme.models import (
    InvestmentCategory,
    InvestmentProject,
    MonthlyReport,
    PlanKind,
    PlanSchoolTarget,
    ProgrammePlan,
    ReportDraft,
    TargetKind,
)
from schools.models import School, SchoolYearData

FIRST, SECOND = "Bản của phiên thứ nhất", "Bản của phiên thứ hai"

# ---------------------------------------------------------------------------------------------
# Reading a form as a browser does


class _FormsParser(HTMLParser):
    """The POST forms of a page: [(name, value)] pairs, in document order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._form: list[tuple[str, str]] | None = None
        self._textarea: tuple[str, list[str]] | None = None
        self._select: tuple[str, bool, list[tuple[str, bool]]] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = [] if (a.get("method") or "get").lower() == "post" else None
            if self._form is not None:
                self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form.append((name, a.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self._textarea = (name, [])
        elif tag == "select" and name:
            self._select = (name, "multiple" in a, [])
        elif tag == "option" and self._select is not None:
            self._select[2].append((a.get("value") or "", "selected" in a))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if self._form is None:
            return
        if tag == "textarea" and self._textarea is not None:
            text = "".join(self._textarea[1])
            # A browser drops the one newline that follows <textarea>.
            self._form.append((self._textarea[0], text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            name, multiple, options = self._select
            chosen = [v for v, selected in options if selected]
            if not chosen and options and not multiple:
                chosen = [options[0][0]]
            self._form.extend((name, v) for v in chosen)
            self._select = None
        elif tag == "form":
            self._form = None


def form_values(html: str, field: str) -> dict[str, list[str]]:
    """The values of the POST form of `html` that holds a field whose name matches `field`."""
    parser = _FormsParser()
    parser.feed(html)
    for pairs in parser.forms:
        if any(re.fullmatch(field, name) for name, _v in pairs):
            values: dict[str, list[str]] = {}
            for name, value in pairs:
                values.setdefault(name, []).append(value)
            return values
    raise AssertionError(f"no form with a field {field!r}")


def field_name(values: dict[str, list[str]], field: str) -> str:
    return next(name for name in values if re.fullmatch(field, name))


# ---------------------------------------------------------------------------------------------
# The table


@dataclass(frozen=True)
class World:
    """What the forms edit: one school, its people, an assessment, a plan."""

    school: School
    principal: object
    commune_officer: object
    commune: object

    def assessment(self):
        if not hasattr(self, "_assessment"):
            framework_load_dir()
            object.__setattr__(
                self,
                "_assessment",
                assessment_services.assessment_start(
                    user=self.principal,
                    school=self.school,
                    school_year="2024-2025",
                    on_date=dt.date(2024, 10, 1),
                ).assessment,
            )
        return self._assessment

    def plan(self, **extra) -> ProgrammePlan:
        year = timezone.localdate().year
        return ProgrammePlan.objects.create(
            unit=self.commune,
            kind=PlanKind.PLAN,
            number="12/KH-UBND",
            issued_on=dt.date(year - 1, 1, 15),
            issuing_body="UBND xã Phong Thổ",
            title="Kế hoạch xây dựng trường đạt chuẩn quốc gia",
            start_year=year - 1,
            end_year=year + 1,
            goals="Mục tiêu ban đầu",
            **extra,
        )


@dataclass(frozen=True)
class EditForm:
    """One edit form: where it is (`open` returns the URL and who edits), the field the two
    sessions type into (a regex over the form's field names), its stored value now. A choice
    (a select, checkboxes) takes `first` and `second` from the world (ids made by `open`).
    `name` tells apart several forms of one page."""

    url_name: str
    open: Callable[[World], tuple[str, object]]
    field: str
    stored: Callable[[World], str]
    first: str | Callable[[World], str] = FIRST
    second: str | Callable[[World], str] = SECOND
    name: str = ""

    @property
    def id(self) -> str:
        return f"{self.url_name}[{self.name}]" if self.name else self.url_name

    def values(self, world: World) -> tuple[str, str]:
        return tuple(v(world) if callable(v) else v for v in (self.first, self.second))


def _school_edit(w):
    return reverse("schools:edit", args=[w.school.code]), w.commune_officer


def _year_data(w):
    return reverse("schools:year_data", args=[w.school.code]), w.principal


def _year_data_stored(w):
    row = SchoolYearData.objects.filter(school=w.school).order_by("-school_year").first()
    return str((row.values if row else {}).get("cls_1", ""))


def _plan_edit(w):
    return reverse("programme:plan_edit", args=[w.plan().pk]), w.commune_officer


def _investment_edit(w):
    project = InvestmentProject.objects.create(
        unit=w.commune,
        school=w.school,
        name="Xây 4 phòng học",
        category=InvestmentCategory.NEW_BUILD,
        total_million=Decimal("1500"),
        year=timezone.localdate().year,
    )
    return reverse("programme:investment_edit", args=[project.pk]), w.commune_officer


def _improvement_action(w):
    framework_load_dir()
    action = improvement_services.action_register(
        user=w.principal,
        school=w.school,
        framework=Framework.objects.get(code="TT17-2018"),
        data={
            "title": "Rà soát kế hoạch năm học",
            "responsible": "Hiệu trưởng",
            "start": dt.date(2025, 9, 5),
            "due": dt.date(2026, 5, 31),
            "indicators": ["1.1-M2"],
        },
    )
    return reverse("improvement:action", args=[action.pk]), w.principal


def _monthly_submit(w):
    plan = w.plan(monthly_reports=True)
    PlanSchoolTarget.objects.create(plan=plan, school=w.school, year=None, target=TargetKind.NEW_1)
    month = timezone.localdate().strftime("%Y-%m")
    return reverse("programme:monthly_submit", args=[plan.pk, w.school.code, month]), w.principal


def _evidence_edit(w):
    assessment = w.assessment()
    first = Criterion.objects.get(framework=assessment.framework, code="1.1")
    item = evidence_services.evidence_create(
        user=w.principal,
        assessment=assessment,
        data={"first_criterion": first.pk, "name": "Quyết định thành lập trường"},
    )
    return reverse("evidence:edit", args=[item.pk]), w.principal


def _sheet(w):
    return reverse("assessments:sheet", args=[w.assessment().pk, "1.1"]), w.principal


def _standard(w):
    return reverse("assessments:standard", args=[w.assessment().pk, "1"]), w.principal


def _requirement_text(w):
    # A Mức 4 requirement whose text no source has (TT17 M4-4): written from the gazette.
    missing = w.assessment().framework.indicators.filter(text__isnull=True).order_by("position")
    assessment_services.requirement_text_save(
        user=w.principal,
        assessment=w.assessment(),
        indicator=missing.first(),
        text="Bản ghi đầu tiên",
        source="Công báo số 1003+1004, ngày 02/11/2018",
        version=0,
    )
    return (
        reverse("assessments:requirement_text", args=[w.assessment().pk, missing.first().pk]),
        w.principal,
    )


def _requirement_text_stored(w):
    row = RequirementText.objects.first()
    return row.text if row else ""


def _prose(w):
    return reverse("documents:assessment_prose", args=[w.assessment().pk]), w.principal


def _report_draft(w):
    query = f"?unit={w.commune.uid}&year=2021&period=H1"
    return reverse("documents:report_draft") + query, w.commune_officer


def _plan_draft(w):
    return reverse("documents:plan_draft", args=[w.plan().pk]), w.commune_officer


# The council page: one form per working group, per criterion sheet, per plan milestone.


def _council(w):
    return reverse("assessments:council", args=[w.assessment().pk]), w.principal


def _criterion_pk(code):
    return lambda w: str(Criterion.objects.get(framework=w.assessment().framework, code=code).pk)


def _council_group(w):
    group = assessment_services.working_group_create(
        user=w.principal, assessment=w.assessment(), name="Nhóm 1", kind="working", criteria=[]
    )
    group.criteria.set([int(_criterion_pk("1.1")(w))])
    return _council(w)


def _group_criteria(w):
    return ",".join(
        str(pk) for pk in WorkingGroup.objects.get().criteria.values_list("pk", flat=True)
    )


def _council_people(w):
    for username, full_name in (("gv_mot", "Lò Văn Một"), ("gv_hai", "Tòng Thị Hai")):
        user = get_user_model().objects.create_user(username=username, first_name=full_name)
        Membership.objects.create(user=user, role=Role.STAFF, school=w.school)
    return _council(w)


def _user_pk(username):
    return lambda w: str(get_user_model().objects.get(username=username).pk)


def _sheet_assignee(w):
    return str(w.assessment().sheets.get(criterion__code="1.1").assigned_to_id or "")


def _council_milestone(w):
    assessment_services.milestone_add(
        user=w.principal,
        assessment=w.assessment(),
        activity="Họp hội đồng",
        due=None,
        status="todo",
    )
    return _council(w)


def _person(w):
    """A teacher of the school, whose name and contact the principal keeps."""
    teacher = get_user_model().objects.create_user(username="gv_ba", first_name="Lường Văn Ba")
    Membership.objects.create(user=teacher, role=Role.STAFF, school=w.school)
    return reverse("accounts:person", args=[teacher.pk]), w.principal


def _draft_text(kind, key):
    def read(w):
        draft = ReportDraft.objects.filter(kind=kind).first()
        return (draft.texts if draft else {}).get(key, "")

    return read


def _consolidate(w):
    evaluation, leader = evaluation_at_work(w.assessment())
    indicator = evaluation.framework.indicators.order_by("position").first()
    return reverse("evaluation:consolidate", args=[evaluation.pk, indicator.pk]), leader


def _team_reason(w):
    row = TeamJudgment.objects.first()
    return row.reason if row else ""


def _review(w):
    evaluation, leader = evaluation_at_work(w.assessment())
    return reverse("evaluation:review", args=[evaluation.pk, "1.1"]), leader


def _review_strengths(w):
    row = CriterionReview.objects.first()
    return row.strengths if row else ""


EDIT_FORMS = [
    EditForm("evaluation:consolidate", _consolidate, "reason", _team_reason),
    EditForm("evaluation:review", _review, "strengths", _review_strengths),
    EditForm(
        "accounts:person",
        _person,
        "full_name",
        lambda w: get_user_model().objects.get(username="gv_ba").first_name,
    ),
    EditForm(
        "schools:edit",
        _school_edit,
        "principal_name",
        lambda w: School.objects.get(pk=w.school.pk).principal_name,
    ),
    EditForm(
        "schools:year_data", _year_data, r"v-.*-cls_1", _year_data_stored, first="41", second="87"
    ),
    EditForm(
        "programme:plan_edit", _plan_edit, "goals", lambda w: ProgrammePlan.objects.get().goals
    ),
    EditForm(
        "programme:investment_edit",
        _investment_edit,
        "name",
        lambda w: InvestmentProject.objects.get().name,
    ),
    EditForm(
        "programme:monthly_submit",
        _monthly_submit,
        "progress",
        lambda w: (MonthlyReport.objects.first() or MonthlyReport(progress="")).progress,
    ),
    EditForm(
        "improvement:action",
        _improvement_action,
        "title",
        lambda w: ImprovementAction.objects.get().title,
    ),
    EditForm("evidence:edit", _evidence_edit, "name", lambda w: Evidence.objects.get().name),
    EditForm(
        "assessments:sheet",
        _sheet,
        "strengths",
        lambda w: w.assessment().sheets.get(criterion__code="1.1").strengths,
    ),
    EditForm(
        "assessments:standard",
        _standard,
        "intro",
        lambda w: StandardReview.objects.get(assessment=w.assessment(), standard__code="1").intro,
    ),
    EditForm("assessments:requirement_text", _requirement_text, "text", _requirement_text_stored),
    EditForm(
        "documents:assessment_prose",
        _prose,
        "context",
        lambda w: AssessmentProse.objects.get(assessment=w.assessment()).texts.get("context", ""),
    ),
    EditForm(
        "documents:report_draft", _report_draft, "leadership", _draft_text("report", "leadership")
    ),
    EditForm("documents:plan_draft", _plan_draft, "purpose", _draft_text("plan", "purpose")),
    EditForm(
        "assessments:council",
        _council_group,
        "criteria",
        _group_criteria,
        first=_criterion_pk("1.2"),
        second=_criterion_pk("1.3"),
        name="group criteria",
    ),
    EditForm(
        "assessments:council",
        _council_people,
        "user",
        _sheet_assignee,
        first=_user_pk("gv_mot"),
        second=_user_pk("gv_hai"),
        name="person of a criterion",
    ),
    EditForm(
        "assessments:council",
        _council_milestone,
        "status",
        lambda w: PlanMilestone.objects.get().status,
        first="doing",
        second="done",
        name="milestone status",
    ),
]

# Every other URL, with why it is not an edit form of an existing object. (The council page is
# in the table for its edits; its other posts add members, groups and milestones, or remove a
# member, and change no stored value.) Version-checked
# one-click endpoints are proven in their own tests (named here).
NOT_EDIT_FORMS = {
    "api:system_account": "creates a token (a new row; revoking is one-way)",
    "api:system_accounts": "creates a system account",
    "api:token_revoke": "revokes a token (one-way)",
    "api:tokens": "creates a token",
    "api:v1_assessment": "read-only",
    "api:v1_assessment_evidence": "read-only",
    "api:v1_evidence_file": "read-only",
    "api:v1_assessments": "read-only",
    "api:v1_docs": "read-only",
    "api:v1_framework": "read-only",
    "api:v1_frameworks": "read-only",
    "api:v1_indicator": "read-only",
    "api:v1_indicators": "read-only",
    "api:v1_investments": "read-only",
    "api:v1_me": "read-only",
    "api:v1_monthly_reports": "read-only",
    "api:v1_plan": "read-only",
    "api:v1_plans": "read-only",
    "api:v1_recognitions": "read-only",
    "api:v1_root": "read-only",
    "api:v1_schema": "read-only",
    "api:v1_school": "PATCH is the API's edit: If-Match (the ETag = version) to schools.services."
    "school_update's version check, 409 when stale (api/tests/test_v1.py)",
    "api:v1_school_assessments": "read-only",
    "api:v1_school_recognitions": "POST records a new decision (the register is append-only)",
    "api:v1_school_recognition": "PATCH with If-Match (428 without, 409 stale): proven in"
    " api/tests/test_recognition_corrections.py",
    "api:v1_school_year_data": "read-only",
    "api:v1_schools": "POST creates a school",
    "api:v1_schools_export": "read-only",
    "api:v1_unit": "read-only",
    "api:v1_units": "read-only",
    "accounts:login": "sign-in",
    "accounts:logout": "sign-out",
    "accounts:password_change": "the user's own password (Django's form, asks the old one)",
    "accounts:password_change_done": "read-only",
    "accounts:lockouts": "lifts a login lockout (axes' failure counter, no versioned object)",
    "accounts:password_reset": "sends a mail",
    "accounts:password_reset_done": "read-only",
    "accounts:password_reset_confirm": "sets a new password (one-time token, Django's form)",
    "accounts:password_reset_complete": "read-only",
    "accounts:people": "read-only",
    "accounts:person_create": "creates an account",
    "accounts:people_import": "import preview",
    "accounts:people_import_confirm": "import (all or nothing, rows checked again)",
    "accounts:people_import_template": "read-only",
    "accounts:person_active": "locks or unlocks (idempotent: the state asked for is set)",
    "accounts:person_password": "resets a password (a new random one each time: nothing read to be stale)",
    "accounts:person_seat_add": "adds a seat (a duplicate is refused)",
    "accounts:person_seat_remove": "removes a seat",
    "api:school_detail": "read-only API",
    "api:me": "read-only API",
    "api:school_list": "read-only API",
    "api:unit_detail": "read-only API",
    "assessments:accept": "workflow transition on the stored status",
    "assessments:return": "workflow transition on the stored status",
    "assessments:submit": "workflow transition on the stored status",
    "assessments:submit_checks": "read-only (the submit dialog's pre-print checks)",
    "assessments:unlock": "workflow transition on the stored status",
    "assessments:compare_cycles": "read-only",
    "assessments:compare_snapshots": "read-only",
    "assessments:detail": "read-only",
    "assessments:record": "read-only (the cycle's change history)",
    "api:v1_school_evaluations": "read-only",
    "api:v1_evaluation": "read-only",
    "publication:index": "read-only (public)",
    "publication:province": "read-only (public)",
    "publication:school": "read-only (public)",
    "publication:manage": "publishes or withdraws a frozen summary: a new row each time, no edit",
    "assessments:history": "read-only",
    "assessments:indicator": "one click, indicators_version → 409 (test_indicator_versions)",
    "assessments:level4": "read-only page of the Mức 4 clicks",
    "assessments:level4_set": "one click, level4_version → 409 (test_level4)",
    "assessments:list": "read-only",
    "assessments:progress": "read-only",
    "assessments:snapshot": "read-only",
    "assessments:start": "creates a cycle",
    "dashboard:export": "read-only",
    "dashboard:index": "read-only",
    "dashboard:unit": "read-only",
    "dashboard:unit_export": "read-only",
    "documents:assessment": "read-only",
    "documents:assessment_generate": "creates a document job",
    "documents:generate": "creates a document job",
    "documents:index": "read-only",
    "documents:job": "read-only",
    "documents:job_file": "read-only",
    "documents:job_progress": "read-only",
    "evaluation:index": "read-only",
    "evaluation:register": "files a new registration",
    "evaluation:registration": "read-only",
    "evaluation:registration_accept": "workflow transition, version → refused as stale",
    "evaluation:registration_return": "workflow transition, version → 409",
    "evaluation:detail": "read-only",
    "evaluation:team": "adds a team member",
    "evaluation:team_remove": "removes a team member",
    "evaluation:start": "workflow transition, version → refused as stale",
    "evaluation:criterion": "a member's judgment per indicator, its version → 409 "
    "(evaluation/tests/test_services.py)",
    "evaluation:divergence": "read-only",
    "evaluation:visit": "records a new visit",
    "evaluation:report_send": "workflow transition on the stored status",
    "evaluation:feedback": "records the school's feedback",
    "evaluation:finalise": "workflow transition, version → refused as stale",
    "evaluation:decision": "records a new decision (the register is append-only), version",
    "evidence:cite": "idempotent citation",
    "evidence:uncite": "idempotent citation removal",
    "evidence:create": "creates an item",
    "evidence:delete": "deletes an uncited item",
    "evidence:detail": "read-only",
    "evidence:download": "read-only",
    "evidence:import": "import preview",
    "evidence:import_confirm": "import (all or nothing, rows checked again)",
    "evidence:import_template": "read-only",
    "evidence:picker": "read-only",
    "evidence:register": "read-only",
    "frameworks:compare": "read-only",
    "frameworks:detail": "read-only",
    "frameworks:list": "read-only",
    "home": "read-only",
    "improvement:analysis": "read-only",
    "improvement:analysis_xlsx": "read-only",
    "improvement:monthly_send": "one click, the month's report version → 409 (improvement "
    "test_views)",
    "improvement:note": "adds a progress note",
    "improvement:register": "creates an action",
    "improvement:review": "records a review",
    "improvement:school": "read-only",
    "improvement:unit_actions": "read-only",
    "healthz": "read-only",
    "programme:expired": "read-only",
    "programme:expiring": "read-only",
    "programme:file": "read-only",
    "programme:forecast": "read-only",
    "programme:go_record": "redirect to a school's register",
    "programme:import": "import preview",
    "programme:import_confirm": "import (all or nothing, rows checked again)",
    "programme:import_template": "read-only",
    "programme:investment_create": "creates a project",
    "programme:investments": "read-only",
    "programme:levels": "read-only",
    "programme:monthly": "read-only",
    "programme:monthly_file": "read-only",
    "programme:monthly_remind": "creates a reminder",
    "programme:monthly_school": "read-only",
    "programme:plan": "read-only",
    "programme:plan_create": "creates a plan",
    "programme:plan_target_add": "adds a target (duplicates refused by a unique constraint)",
    "programme:plan_unit_target_add": "adds a unit target",
    "programme:plan_activity_add": "adds an activity carried out",
    "programme:plan_targets_import": "import preview",
    "programme:plan_targets_import_confirm": "import (all or nothing, rows checked again)",
    "programme:plan_targets_import_template": "read-only",
    "programme:plans": "read-only",
    "programme:record": "records a new decision (the register is append-only)",
    "programme:correct": "a correction needs a reason typed each time, which a page read back"
    " cannot carry: the stale refusal, typed values kept and the other's change shown, and no"
    " 5xx on an emptied field are proven in recognition/tests/test_views_correct.py",
    "programme:register": "read-only",
    "programme:school": "read-only",
    "schools:create": "creates a school",
    "schools:detail": "read-only",
    "schools:export": "read-only",
    "schools:import": "import preview",
    "schools:import_confirm": "import (all or nothing, rows checked again)",
    "schools:import_template": "read-only",
    "schools:list": "read-only",
    "schools:year_data_import": "import preview",
    "schools:year_data_import_confirm": "import (all or nothing, rows checked again)",
    "schools:year_data_import_template": "read-only",
    "set_language": "the session's language",
    "notifications:list": "read-only",
    "notifications:bell": "read-only",
    "notifications:read": "marks one's own notification read",
    "notifications:read_all": "marks one's own notifications read",
    "notifications:preferences": "one's own choice per kind (one person; the last choice wins)",
    "notifications:outbox": "read-only",
    "units:detail": "read-only",
    "units:list": "read-only",
}


def _url_names(resolver=None, namespace: str = ""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":  # Django's admin, superusers only
                continue
            inner = ":".join(p for p in (namespace, pattern.namespace or "") if p)
            yield from _url_names(pattern, inner)
        elif pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_is_in_the_table_or_said_not_to_be_an_edit_form():
    names = set(_url_names())
    in_table = {f.url_name for f in EDIT_FORMS}
    assert not in_table & set(NOT_EDIT_FORMS)
    missing = names - in_table - set(NOT_EDIT_FORMS)
    assert not missing, f"URLs neither in EDIT_FORMS nor in NOT_EDIT_FORMS: {sorted(missing)}"
    assert not (in_table | set(NOT_EDIT_FORMS)) - names, "the table names URLs that are gone"


@pytest.fixture
def world(school, principal, commune_officer, commune, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path
    return World(
        school=school, principal=principal, commune_officer=commune_officer, commune=commune
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("form", EDIT_FORMS, ids=[f.id for f in EDIT_FORMS])
def test_a_stale_save_is_refused_keeping_the_typed_values_and_showing_the_other(form, world):
    url, user = form.open(world)
    first, second = _client(user), _client(user)
    opened = [c.get(url) for c in (first, second)]
    assert [r.status_code for r in opened] == [200, 200]
    values = [form_values(r.content.decode(), form.field) for r in opened]
    name = field_name(values[0], form.field)
    typed_first, typed_second = form.values(world)

    saved = first.post(url, {**values[0], name: typed_first})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert form.stored(world) == typed_first

    refused = second.post(url, {**values[1], name: typed_second})
    body = refused.content.decode()
    assert refused.status_code == 409
    assert "người khác" in body  # the Vietnamese message
    assert form.stored(world) == typed_first  # nothing overwritten
    assert typed_second in body  # what the second session typed is still on the page
    assert typed_first in body  # and the other person's change is shown

    # Saving again from the refused page is a deliberate choice, and goes through.
    again = form_values(body, form.field)
    assert second.post(url, again).status_code == 302
    assert form.stored(world) == typed_second


@pytest.mark.parametrize("form", EDIT_FORMS, ids=[f.id for f in EDIT_FORMS])
def test_no_emptied_field_answers_a_server_error(form, world):
    url, user = form.open(world)
    client = _client(user)
    names = list(form_values(client.get(url).content.decode(), form.field))
    for name in names:
        if name == "csrfmiddlewaretoken":
            continue
        # Opened afresh each time: a save in between must not turn the next into a conflict.
        values = form_values(client.get(url).content.decode(), form.field)
        values[name] = [""]
        response = client.post(url, values)
        assert response.status_code < 500, (name, response.status_code)
        if not name.startswith("version"):  # an emptied version is a stale page: 409
            assert response.status_code != 409, name


def test_a_plan_saved_unchanged_with_an_empty_issue_date_is_saved(world):
    url, user = _plan_edit(world)
    client = _client(user)
    values = form_values(client.get(url).content.decode(), "goals")
    values["issued_on"] = [""]
    assert client.post(url, values).status_code == 302
    assert ProgrammePlan.objects.get().issued_on is None


def test_a_stale_version_is_refused_and_a_missing_one_too(world):
    url, user = _plan_edit(world)
    client = _client(user)
    values = form_values(client.get(url).content.decode(), "goals")
    del values["version"]
    assert client.post(url, {**values, "goals": SECOND}).status_code == 409
    assert ProgrammePlan.objects.get().goals == "Mục tiêu ban đầu"
