"""The outsider matrix, from the permission table (issue 18 point 2): every URL pattern of the
project × every demo role × an object inside and one outside the user's scope, GET and (for
write endpoints) POST. What each request must answer comes from accounts.permissions:

* anonymous: the login page (302 to it), except the public pages;
* outside the scope: 404 (codes and ids cannot be probed);
* inside the scope with the action: allowed (2xx/3xx; 400/409 for a POST whose empty form is
  refused on its content);
* inside the scope without the action: 403 (pages without an object: `refused`, 404 when the
  whole feature is hidden from the user).

Each URL name maps to its action and object in ROUTES; a URL pattern without an entry fails
test_every_url_pattern_has_a_route. Every request runs in a savepoint that is rolled back, so
the world stays the same for the next one; a refused POST must change nothing (checked before
the rollback)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts import selectors as account_selectors
from accounts.models import Membership, Role
from accounts.permissions import CriterionOf, has_perm, resolve, scope_for
from api.models import ApiToken, SystemAccount
from assessments import services as assessment_services
from assessments.models import Assessment, CriterionSheet
from core.models import ProcessHeartbeat
from documents.models import GeneratedDocument
from evaluation.models import CriterionReview, Evaluation, Registration, TeamMember
from evidence import services as evidence_services
from evidence.models import Evidence
from frameworks.models import Framework
from frameworks.services import framework_load_dir
from improvement.models import ImprovementAction
from notifications.models import Notification
from programme.models import (
    InvestmentProject,
    MonthlyReport,
    PlanSchoolTarget,
    ProgrammePlan,
)
from programme.selectors import plan_list
from publication.models import Publication
from recognition.models import RecognitionDecision
from schools.models import School, SchoolSite
from units.models import AdminUnit

pytestmark = pytest.mark.django_db

ROLES = (
    "superuser",
    "province_officer",
    "commune_officer",
    "principal",
    "staff",
    "reviewer",
    "viewer",
    "anonymous",
)
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ALLOWED_POST = {200, 201, 204, 301, 302, 303, 400, 409}
ALLOWED_GET = {200, 204, 301, 302, 303}


@dataclass(frozen=True)
class Route:
    """What a URL name asks: `action` on the object `obj` names ("school", "assessment", …;
    "" = a page without an object), for GET and, if `post`, for POST too (`post_action` when
    the write needs another action than the read). `refused`: the status of a page without an
    object for a user without the action. `public`: anonymous users see it."""

    action: str | None
    obj: str = ""
    post: bool = False
    post_action: str | None = None
    refused: int = 403
    public: bool = False
    get: bool = True
    anonymous: str = "login"  # the API answers 401 instead of redirecting
    owner: bool = False  # the object belongs to its user (document jobs): others get 404


R = Route
ROUTES: dict[str, Route] = {
    "home": R(None),
    # The health probe: no login, states and counts only (200 here: the world has a worker).
    "healthz": R(None, public=True),
    "set_language": R(None, public=True, get=False, post=True),
    "accounts:login": R(None, public=True),
    "accounts:logout": R(None, get=False, post=True, public=True),
    "accounts:password_change": R(None),
    "accounts:password_change_done": R(None),
    "accounts:lockouts": R("account.unlock", post=True),
    "accounts:password_reset": R(None, public=True, post=True),
    "accounts:password_reset_done": R(None, public=True),
    "accounts:password_reset_confirm": R(None, "reset_token", public=True),
    "accounts:password_reset_complete": R(None, public=True),
    "accounts:people": R("account.manage", refused=404),
    "accounts:person_create": R("account.manage", post=True, refused=404),
    "accounts:people_import": R("account.manage", post=True, refused=404),
    "accounts:people_import_template": R("account.manage", refused=404),
    "accounts:people_import_confirm": R("account.manage", get=False, post=True, refused=404),
    # A person: seen by who manages accounts where they hold a seat (else 404), changed by
    # who may manage every seat of theirs (else 403).
    "accounts:person": R(None, "person", post=True, post_action="account.manage"),
    "accounts:person_active": R("account.manage", "person", get=False, post=True),
    "accounts:person_password": R("account.manage", "person", get=False, post=True),
    "accounts:person_seat_add": R("account.manage", "person", get=False, post=True),
    "accounts:person_seat_remove": R("account.manage", "person_seat", get=False, post=True),
    "units:list": R(None),
    "units:detail": R("unit.view", "unit"),
    "schools:list": R(None),
    "schools:export": R(None),
    "schools:import": R("school.import", post=True, refused=404),
    "schools:import_template": R("school.import", refused=404),
    "schools:import_confirm": R("school.import", get=False, post=True, refused=404),
    "schools:create": R("school.create", post=True, refused=404),
    "schools:detail": R("school.view", "school"),
    "schools:edit": R("school.edit_contacts", "school", post=True),
    "schools:year_data": R("school.view", "school", post=True, post_action="yeardata.edit"),
    "schools:year_data_import": R("yeardata.edit", "school", post=True),
    "schools:year_data_import_template": R("yeardata.edit", "school"),
    "schools:year_data_import_confirm": R("yeardata.edit", "school", get=False, post=True),
    "frameworks:list": R(None),
    "frameworks:compare": R(None),
    "frameworks:detail": R(None, "framework"),
    "programme:register": R(None, refused=404),
    "programme:go_record": R(None, refused=404),
    "programme:expiring": R(None, refused=404),
    "programme:expired": R(None, refused=404),
    "programme:levels": R(None, refused=404),
    "programme:forecast": R(None, refused=404),
    "programme:import": R("recognition.import", post=True, refused=404),
    "programme:import_template": R("recognition.import", refused=404),
    "programme:import_confirm": R("recognition.import", get=False, post=True, refused=404),
    "programme:file": R("recognition.view", "decision"),
    "programme:school": R("recognition.view", "school"),
    "programme:record": R("recognition.record", "school", post=True),
    "programme:correct": R("recognition.correct", "school_decision", post=True),
    "programme:plans": R(None, refused=404),
    "programme:plan_create": R("plan.add", post=True, refused=404),
    "programme:plan": R(None, "plan"),
    "programme:plan_edit": R("plan.edit", "plan", post=True),
    "programme:plan_target_add": R("target.edit", "plan", get=False, post=True),
    "programme:plan_targets_import": R("target.edit", "plan", post=True),
    "programme:plan_targets_import_template": R("target.edit", "plan"),
    "programme:plan_targets_import_confirm": R("target.edit", "plan", get=False, post=True),
    "programme:plan_unit_target_add": R("target.edit", "plan", get=False, post=True),
    "programme:plan_activity_add": R("activity.add", "plan", get=False, post=True),
    "programme:monthly": R(None, "plan"),
    "programme:monthly_remind": R("plan.edit", "plan", get=False, post=True),
    "programme:monthly_school": R(None, "plan_school"),
    "programme:monthly_submit": R("monthly.submit", "plan_school_month", post=True),
    "programme:monthly_file": R(None, "monthly_report"),
    "programme:investments": R(None, refused=404),
    "programme:investment_create": R("investment.add", post=True, refused=404),
    "programme:investment_edit": R("investment.edit", "investment", post=True),
    "improvement:school": R("improvement.view", "school"),
    "improvement:register": R("improvement.register", "school", get=False, post=True),
    "improvement:review": R("improvement.register", "school", get=False, post=True),
    "improvement:monthly_send": R("monthly.submit", "school", get=False, post=True),
    "improvement:action": R(
        "improvement.view", "improvement_action", post=True, post_action="improvement.register"
    ),
    "improvement:note": R("improvement.note", "improvement_action", get=False, post=True),
    "improvement:unit_actions": R("improvement.analyse", "unit"),
    "improvement:analysis": R("improvement.analyse", "unit"),
    "improvement:analysis_xlsx": R("improvement.analyse", "unit"),
    "dashboard:index": R(None, refused=404),
    "dashboard:export": R(None, refused=404),
    "dashboard:unit": R("unit.view", "unit"),
    "dashboard:unit_export": R("unit.view", "unit"),
    "documents:index": R(None, refused=404),
    "documents:generate": R(None, "kind", get=False, post=True, refused=404),
    "documents:job": R(None, "job", owner=True),
    "documents:job_progress": R(None, "job", owner=True),
    "documents:job_file": R(None, "job_file", owner=True),
    "documents:report_draft": R("unit.documents", "unit_query", post=True),
    "documents:plan_draft": R("plan.edit", "plan_id", post=True),
    "documents:assessment": R("assessment.view", "assessment"),
    "documents:assessment_generate": R("assessment.view", "assessment_kind", get=False, post=True),
    "documents:assessment_prose": R(
        "assessment.view", "assessment", post=True, post_action="assessment.manage"
    ),
    "assessments:list": R(None),
    "assessments:start": R("assessment.start", post=True, refused=404),
    "assessments:progress": R("assessment.progress", refused=404),
    "assessments:detail": R("assessment.view", "assessment"),
    "assessments:record": R("assessment.view", "assessment"),
    "assessments:council": R(
        "assessment.view", "assessment", post=True, post_action="assessment.manage"
    ),
    "assessments:submit": R("assessment.submit", "assessment", get=False, post=True),
    "assessments:submit_checks": R("assessment.submit", "assessment"),
    "assessments:return": R("assessment.return", "assessment", get=False, post=True),
    "assessments:accept": R("assessment.accept", "assessment", get=False, post=True),
    "assessments:unlock": R("assessment.reopen", "assessment", get=False, post=True),
    "assessments:snapshot": R("assessment.view", "snapshot"),
    "assessments:compare_snapshots": R("assessment.view", "other_cycle"),
    "assessments:compare_cycles": R("assessment.view", "two_cycles"),
    "assessments:level4": R("assessment.view", "assessment"),
    "assessments:level4_set": R("level4.decide", "level4_result", get=False, post=True),
    "assessments:requirement_text": R(
        "assessment.view", "requirement_text", post=True, post_action="requirement_text.write"
    ),
    "assessments:standard": R(
        "assessment.view", "standard", post=True, post_action="standard.edit"
    ),
    "assessments:sheet": R("assessment.view", "sheet", post=True, post_action="sheet.edit"),
    "assessments:history": R("assessment.view", "sheet"),
    "assessments:indicator": R("sheet.edit", "indicator", get=False, post=True),
    "evidence:register": R("evidence.view", "assessment_id"),
    "evidence:create": R("evidence.add", "assessment_id", post=True),
    "evidence:picker": R("evidence.view", "assessment_id"),
    "evidence:import": R("evidence.manage", "assessment_id", post=True),
    "evidence:import_template": R("evidence.manage", "assessment_id"),
    "evidence:import_confirm": R("evidence.manage", "assessment_id", get=False, post=True),
    "evidence:detail": R("evidence.view", "evidence"),
    "evidence:edit": R("evidence.edit", "evidence", post=True),
    "evidence:delete": R("evidence.edit", "evidence", get=False, post=True),
    "evidence:download": R("evidence.download", "evidence"),
    "evidence:cite": R("evidence.cite", "evidence_sheet", get=False, post=True),
    "evidence:uncite": R("evidence.cite", "evidence_sheet", get=False, post=True),
    "evaluation:index": R(None),
    "evaluation:register": R("evaluation.register", "assessment_id", post=True),
    "evaluation:registration": R("evaluation.view", "registration"),
    "evaluation:registration_accept": R(
        "evaluation.review_registration", "registration", get=False, post=True
    ),
    "evaluation:registration_return": R(
        "evaluation.review_registration", "registration", get=False, post=True
    ),
    "evaluation:detail": R("evaluation.view", "evaluation"),
    "evaluation:team": R("evaluation.form_team", "evaluation", post=True),
    "evaluation:team_remove": R("evaluation.form_team", "team_member", get=False, post=True),
    "evaluation:start": R("evaluation.form_team", "evaluation", get=False, post=True),
    "evaluation:criterion": R(
        "evaluation.view", "evaluation_criterion", post=True, post_action="evaluation.judge"
    ),
    "evaluation:consolidate": R("evaluation.consolidate", "evaluation_indicator", post=True),
    "evaluation:divergence": R("evaluation.view", "evaluation"),
    "evaluation:review": R(
        "evaluation.view",
        "evaluation_criterion",
        post=True,
        post_action="evaluation.write_review",
    ),
    "evaluation:visit": R("evaluation.record_visit", "evaluation", post=True),
    "evaluation:report_send": R("evaluation.report", "evaluation", get=False, post=True),
    "evaluation:feedback": R("evaluation.report", "evaluation", get=False, post=True),
    "evaluation:finalise": R("evaluation.report", "evaluation", get=False, post=True),
    "evaluation:decision": R("evaluation.record_decision", "evaluation", post=True),
    "api:me": R(None, anonymous="401"),
    "api:school_list": R(None, anonymous="401"),
    "api:school_detail": R("school.view", "school", anonymous="401"),
    "api:unit_detail": R("unit.view", "unit", anonymous="401"),
    # Public pages (công khai): everyone, any school or province, logged in or not.
    "publication:index": R(None, public=True),
    "publication:province": R(None, "province", public=True),
    "publication:school": R(None, "public_school", public=True),
    "publication:manage": R("school.view", "school", post=True, post_action="publication.publish"),
    # The token pages (a person's own tokens; system accounts for an administrator's unit).
    "api:tokens": R(None, post=True),
    "api:token_revoke": R(None, "token", get=False, post=True, owner=True),
    "api:system_accounts": R("api.system_account", post=True),
    "api:system_account": R("api.system_account", "system_account", post=True),
    # /api/v1/: the schema, its docs page and the index are public; the rest answers 401.
    "api:v1_root": R(None, public=True),
    "api:v1_schema": R(None, public=True),
    "api:v1_docs": R(None, public=True),
    "api:v1_me": R(None, anonymous="401"),
    "api:v1_units": R(None, anonymous="401"),
    "api:v1_unit": R("unit.view", "unit", anonymous="401"),
    "api:v1_schools": R(None, post=True, post_action="school.create", anonymous="401"),
    "api:v1_schools_export": R(None, anonymous="401"),
    "api:v1_school": R("school.view", "school", anonymous="401"),
    "api:v1_school_year_data": R("school.view", "school", anonymous="401"),
    "api:v1_school_recognitions": R(
        "recognition.view", "school", post=True, post_action="recognition.record", anonymous="401"
    ),
    "api:v1_school_recognition": R("recognition.view", "school_entry", anonymous="401"),
    "api:v1_school_assessments": R("school.view", "school", anonymous="401"),
    "api:v1_assessment": R("assessment.view", "assessment_year", anonymous="401"),
    "api:v1_assessment_evidence": R("evidence.view", "assessment_year", anonymous="401"),
    "api:v1_evidence_file": R("evidence.download", "evidence_code", anonymous="401"),
    "api:v1_school_evaluations": R("evaluation.view", "school", anonymous="401"),
    "api:v1_evaluation": R("evaluation.view", "evaluation_number", anonymous="401"),
    "api:v1_recognitions": R(None, anonymous="401"),
    "api:v1_assessments": R(None, anonymous="401"),
    "api:v1_frameworks": R(None, anonymous="401"),
    "api:v1_framework": R(None, "framework", anonymous="401"),
    "api:v1_indicators": R(None, "framework", anonymous="401"),
    "api:v1_indicator": R(None, "indicator_ident", anonymous="401"),
    "api:v1_plans": R(None, anonymous="401"),
    "api:v1_plan": R(None, "plan_code", anonymous="401"),
    "api:v1_investments": R(None, anonymous="401"),
    "api:v1_monthly_reports": R(None, anonymous="401"),
    "notifications:list": R(None),
    "notifications:bell": R(None),
    "notifications:read": R(None, "notification", get=False, post=True, owner=True),
    "notifications:read_all": R(None, get=False, post=True),
    "notifications:preferences": R(None, post=True),
    "notifications:outbox": R("notification.outbox"),
    "admin:*": R("admin.access", refused=302),
}


def _names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            names |= _names(entry, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern):
            names.add(f"{namespace}{entry.name or '?' + str(entry.pattern)}")
    return names


def test_every_url_pattern_has_a_route():
    names = {n for n in _names(get_resolver()) if not n.startswith("admin:")}
    assert names - set(ROUTES) == set(), "URL patterns without an entry in ROUTES"
    assert set(ROUTES) - names - {"admin:*"} == set(), "ROUTES names no URL pattern"


# ---------------------------------------------------------------------------------------------
# The world: Lai Châu (inside) and Hải Phòng (outside), each with a school and its work


@dataclass
class Side:
    school: School
    unit: AdminUnit
    assessment: Assessment
    other_cycle: Assessment
    sheet: CriterionSheet
    evidence: Evidence
    decision: RecognitionDecision
    plan: ProgrammePlan
    report: MonthlyReport
    investment: InvestmentProject
    action: ImprovementAction
    registration: Registration | None = None
    evaluation: Evaluation | None = None
    team_member: TeamMember | None = None
    system_account: SystemAccount | None = None


def _evaluation_of(side: Side, leader) -> None:
    """A submitted registration and an evaluation at work (its own accepted registration),
    with `leader` leading the team (a reviewer seat in the school, as the services give)."""
    side.registration = Registration.objects.create(
        school=side.school,
        assessment=side.assessment,
        purpose="new",
        target_level=1,
        status="submitted",
    )
    done = Registration.objects.create(
        school=side.school,
        assessment=side.other_cycle,
        purpose="new",
        target_level=1,
        status="accepted",
    )
    side.evaluation = Evaluation.objects.create(
        registration=done,
        school=side.school,
        assessment=side.other_cycle,
        framework=side.other_cycle.framework,
        status="evaluating",
    )
    Membership.objects.get_or_create(user=leader, school=side.school, role=Role.REVIEWER)
    side.team_member = TeamMember.objects.create(
        evaluation=side.evaluation, user=leader, full_name="Trưởng đoàn", role="leader"
    )


def _side(prefix: str, commune: AdminUnit, principal) -> Side:
    school = School.objects.create(
        code=f"{prefix}-TH-MATRIX", name=f"Trường TH {prefix}", kind="TH", unit=commune
    )
    SchoolSite.objects.create(school=school, name="Điểm chính")
    Membership.objects.create(user=principal, school=school, role=Role.PRINCIPAL)
    old = assessment_services.assessment_start(
        user=principal, school=school, school_year="2023-2024", on_date=dt.date(2023, 10, 1)
    ).assessment
    assessment = assessment_services.assessment_start(
        user=principal, school=school, school_year="2024-2025", on_date=dt.date(2024, 10, 1)
    ).assessment
    sheet = assessment.sheets.select_related("criterion", "assessment").order_by("pk").first()
    evidence = evidence_services.evidence_create(
        user=principal,
        assessment=assessment,
        data={"first_criterion": sheet.criterion, "name": "Biên bản họp"},
        file=io.BytesIO(PDF),
        file_name="bien-ban.pdf",
    )
    # The earlier cycle is submitted twice: its snapshots are what the snapshot pages show.
    assessment_services.assessment_submit(user=principal, assessment=old)
    assessment_services.assessment_unlock(user=principal, assessment=old, reason="Bổ sung")
    assessment_services.assessment_submit(user=principal, assessment=old)
    decision = RecognitionDecision.objects.create(
        school=school,
        kind="standard_new",
        signed_on=dt.date(2022, 5, 1),
        level=1,
        number=f"1/{prefix}",
        signing_body="Sở GD&ĐT",
        scan="recognitions/x.pdf",
        scan_name="x.pdf",
    )
    year = dt.date.today().year
    plan = ProgrammePlan.objects.create(
        unit=commune,
        kind="de_an",
        number=f"5/{prefix}",
        issued_on=dt.date(year - 1, 1, 17),
        issuing_body="UBND xã",
        title="Đề án",
        start_year=year - 1,
        end_year=year,
        monthly_reports=True,
    )
    PlanSchoolTarget.objects.create(plan=plan, school=school, year=year - 1, target="new_1")
    report = MonthlyReport.objects.create(
        plan=plan,
        school=school,
        month=dt.date(year - 1, 2, 1),
        progress="Tiến độ",
        submitted_at=dt.datetime(year - 1, 2, 5, tzinfo=dt.UTC),
        attachment="monthly/x.pdf",
        attachment_name="x.pdf",
        attachment_type="application/pdf",
    )
    investment = InvestmentProject.objects.create(
        unit=commune,
        school=school,
        name="Nhà lớp học",
        category="xay_dung_moi",
        total_million=Decimal("850"),
        year=year,
    )
    action = ImprovementAction.objects.create(
        school=school,
        framework=Framework.objects.get(code="TT17-2018"),
        year=year,
        indicators=["1.1-M2"],
        title="Rà soát kế hoạch",
        responsible="Hiệu trưởng",
        start=dt.date(year, 1, 1),
        due=dt.date(year, 2, 1),
    )
    system_user = get_user_model().objects.create_user(f"system-{prefix.lower()}")
    system_account = SystemAccount.objects.create(user=system_user, name="CSDL", unit=commune)
    return Side(
        school,
        commune,
        assessment,
        old,
        sheet,
        evidence,
        decision,
        plan,
        report,
        investment,
        action,
        system_account=system_account,
    )


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "recognitions").mkdir()
    (tmp_path / "recognitions" / "x.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (tmp_path / "monthly").mkdir()
    (tmp_path / "monthly" / "x.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    framework_load_dir()
    User = get_user_model()
    lc = AdminUnit.objects.create(uid="P12", code="12", name="Lai Châu", division_type="tỉnh")
    lc_commune = AdminUnit.objects.create(
        uid="W03549", code="03549", name="Xã Phong Thổ", division_type="xã", parent=lc
    )
    hp = AdminUnit.objects.create(uid="P31", code="31", name="Hải Phòng", division_type="tỉnh")
    hp_commune = AdminUnit.objects.create(
        uid="W11203", code="11203", name="Xã Ninh Giang", division_type="xã", parent=hp
    )
    inside_principal = User.objects.create_user("ht_lc", password="x")
    outside_principal = User.objects.create_user("ht_hp", password="x")
    inside = _side("LC", lc_commune, inside_principal)
    outside = _side("HP", hp_commune, outside_principal)
    users = {"principal": inside_principal, "anonymous": None}
    users["superuser"] = User.objects.create_superuser("admin", "a@example.org", "x")
    for role, where in (
        # The Sở officer administers the province's accounts; the commune officer does not.
        ("province_officer", {"unit": lc, "is_admin": True}),
        ("commune_officer", {"unit": lc_commune}),
        ("staff", {"school": inside.school}),
        ("reviewer", {"school": inside.school}),
        ("viewer", {"unit": lc}),
    ):
        users[role] = User.objects.create_user(role, password="x")
        Membership.objects.create(user=users[role], role=role, **where)
    _evaluation_of(inside, users["reviewer"])
    _evaluation_of(outside, User.objects.create_user("doan_hp", password="x"))
    # The staff member works on the sheet's criterion.
    inside.sheet.assigned_to = users["staff"]
    inside.sheet.save(update_fields=["assigned_to"])
    (tmp_path / "generated").mkdir()
    (tmp_path / "generated" / "x.docx").write_bytes(b"PK")
    owners = {name: user for name, user in users.items() if user is not None}
    owners["_other"] = outside_principal
    jobs = {
        name: GeneratedDocument.objects.create(
            owner=user, kind="statistics", title="Thống kê", status="done", docx="generated/x.docx"
        )
        for name, user in owners.items()
    }
    tokens = {
        name: ApiToken.objects.create(user=user, name="Mã", prefix="tc_x", key_hash=f"h-{name}")
        for name, user in owners.items()
    }
    # A worker beat just now: /healthz/ answers 200 (503 without one is test_health's).
    now = timezone.now()
    ProcessHeartbeat.objects.create(process_id="matrix", role="worker", started_at=now, seen_at=now)
    people = {"inside": users["staff"], "outside": outside_principal}
    # Each person's own notification (the list marks it read); "_other": someone else's.
    notifications = {
        name: Notification.objects.create(recipient=user, kind="assessment_submitted", title="x")
        for name, user in owners.items()
    }
    return {
        "inside": inside,
        "outside": outside,
        "users": users,
        "jobs": jobs,
        "tokens": tokens,
        "people": people,
        "notifications": notifications,
    }


def _target(side: Side, obj: str, world, role: str):
    """(URL kwargs, query string, the object has_perm is asked about) for an object name."""
    s = side
    month = f"{s.report.month:%Y-%m}"
    jobs = world["jobs"]
    job = jobs.get(role) if side is world["inside"] else jobs["_other"]
    tokens = world["tokens"]
    token = tokens.get(role) if side is world["inside"] else tokens["_other"]
    person = world["people"]["inside" if side is world["inside"] else "outside"]
    seat = person.memberships.order_by("pk").first()
    result = {
        "": ({}, "", None),
        "unit": ({"uid": s.unit.uid}, "", s.unit),
        "unit_query": ({}, f"?unit={s.unit.uid}&year=2025", s.unit),
        "school": ({"code": s.school.code}, "", s.school),
        "public_school": ({"code": s.school.code}, "", None),
        "province": ({"uid": s.unit.parent.uid}, "", None),
        "framework": ({"code": "TT17-2018"}, "", None),
        "decision": ({"pk": s.decision.pk}, "", s.decision),
        "school_decision": ({"code": s.school.code, "pk": s.decision.pk}, "", s.decision),
        "school_entry": (
            {
                "code": s.school.code,
                "entry": RecognitionDecision.objects.filter(
                    school=s.school, id__lte=s.decision.id
                ).count(),
            },
            "",
            s.decision,
        ),
        "plan": ({"pk": s.plan.pk}, "", s.plan),
        "plan_id": ({"plan_id": s.plan.pk}, "", s.plan),
        "plan_school": ({"pk": s.plan.pk, "code": s.school.code}, "", s.school),
        "plan_school_month": (
            {"pk": s.plan.pk, "code": s.school.code, "month": month},
            "",
            s.school,
        ),
        "monthly_report": ({"pk": s.report.pk}, "", s.report),
        "investment": ({"pk": s.investment.pk}, "", s.investment),
        "improvement_action": ({"pk": s.action.pk}, "", s.action),
        "kind": ({"kind": "statistics"}, "", None),
        "job": ({"pk": job.pk if job else 0}, "", None),
        "job_file": ({"pk": job.pk if job else 0, "fmt": "docx"}, "", None),
        "notification": (
            {
                "pk": world["notifications"][role].pk
                if role in world["notifications"] and side is world["inside"]
                else world["notifications"]["_other"].pk
            },
            "",
            None,
        ),
        "assessment": ({"pk": s.assessment.pk}, "", s.assessment),
        "assessment_id": ({"assessment_id": s.assessment.pk}, "", s.assessment),
        "assessment_kind": ({"pk": s.assessment.pk, "kind": "sa-decision"}, "", s.assessment),
        "snapshot": (
            {"pk": s.other_cycle.pk, "snapshot_id": s.other_cycle.snapshots.first().pk},
            "",
            s.other_cycle,
        ),
        "other_cycle": ({"pk": s.other_cycle.pk}, "", s.other_cycle),
        "two_cycles": ({"pk": s.assessment.pk, "other_pk": s.other_cycle.pk}, "", s.assessment),
        "level4_result": (
            {
                "pk": s.assessment.pk,
                "result_id": s.assessment.indicator_results.filter(sheet__isnull=True)
                .order_by("pk")
                .first()
                .pk,
            },
            "",
            s.assessment,
        ),
        "requirement_text": (
            {
                "pk": s.assessment.pk,
                "indicator_id": s.assessment.framework.indicators.filter(text__isnull=True)
                .order_by("position")
                .first()
                .pk,
            },
            "",
            s.assessment,
        ),
        "standard": (
            {"pk": s.assessment.pk, "code": s.sheet.criterion.standard.code},
            "",
            s.assessment,
        ),
        "sheet": ({"pk": s.assessment.pk, "code": s.sheet.criterion.code}, "", s.sheet),
        "indicator": (
            {
                "pk": s.assessment.pk,
                "code": s.sheet.criterion.code,
                "result_id": s.sheet.results.order_by("pk").first().pk,
            },
            "",
            s.sheet,
        ),
        "evidence": ({"pk": s.evidence.pk}, "", s.evidence),
        "registration": ({"pk": s.registration.pk}, "", s.registration),
        "evaluation": ({"pk": s.evaluation.pk}, "", s.evaluation),
        "team_member": (
            {"pk": s.evaluation.pk, "member_id": s.team_member.pk},
            "",
            s.evaluation,
        ),
        "evaluation_criterion": (
            {"pk": s.evaluation.pk, "code": s.sheet.criterion.code},
            "",
            s.evaluation,
        ),
        "evaluation_indicator": (
            {
                "pk": s.evaluation.pk,
                "indicator_id": s.sheet.criterion.indicators.order_by("position").first().pk,
            },
            "",
            s.evaluation,
        ),
        "evidence_sheet": ({"pk": s.evidence.pk, "sheet_id": s.sheet.pk}, "", s.sheet),
        "token": ({"pk": token.pk if token else 0}, "", None),
        "system_account": (
            {"username": s.system_account.user.username},
            "",
            s.system_account,
        ),
        "assessment_year": (
            {"code": s.school.code, "school_year": s.assessment.school_year},
            "",
            s.assessment,
        ),
        "evidence_code": (
            {
                "code": s.school.code,
                "school_year": s.assessment.school_year,
                "evidence_code": s.evidence.code,
            },
            "",
            s.evidence,
        ),
        "indicator_ident": (
            {
                "code": s.assessment.framework.code,
                "ident": s.assessment.framework.indicators.order_by("position").first().ident,
            },
            "",
            None,
        ),
        # The side's only evaluation: number 1 of its school.
        "evaluation_number": ({"code": s.school.code, "number": 1}, "", s.evaluation),
        "plan_code": ({"code": s.plan.public_id}, "", s.plan),
        "reset_token": ({"uidb64": "MQ", "token": "not-a-token"}, "", None),
        "person": ({"pk": person.pk}, "", person),
        "person_seat": ({"pk": person.pk, "seat_id": seat.pk}, "", seat),
    }
    return result[obj]


def _fingerprint() -> tuple:
    """What a refused POST must not change."""
    return (
        list(School.objects.order_by("pk").values()),
        list(Assessment.objects.order_by("pk").values("pk", "status", "locked")),
        list(CriterionSheet.objects.order_by("pk").values()),
        list(Evidence.objects.order_by("pk").values()),
        list(RecognitionDecision.objects.order_by("pk").values_list("pk", "number")),
        list(ProgrammePlan.objects.order_by("pk").values()),
        list(PlanSchoolTarget.objects.order_by("pk").values_list("pk")),
        list(MonthlyReport.objects.order_by("pk").values()),
        list(InvestmentProject.objects.order_by("pk").values()),
        list(ImprovementAction.objects.order_by("pk").values()),
        list(Membership.objects.order_by("pk").values()),
        list(Registration.objects.order_by("pk").values()),
        list(Evaluation.objects.order_by("pk").values_list("pk", "status", "version")),
        list(TeamMember.objects.order_by("pk").values_list("pk")),
        list(CriterionReview.objects.order_by("pk").values_list("pk", "version")),
        list(Publication.objects.order_by("pk").values_list("pk", "withdrawn_at")),
        list(
            get_user_model()
            .objects.order_by("pk")
            .values("pk", "is_active", "first_name", "email", "password")
        ),
    )


def _expected(route: Route, role: str, user, where: str, obj, method: str) -> str:
    """ "allowed", "login", "404", "403" or "refused:<n>" for one request."""
    if route.public:
        return "allowed"  # public pages answer everyone alike, inside or outside any scope
    if role == "anonymous":
        return route.anonymous
    action = route.post_action if method == "post" and route.post_action else route.action
    if route.owner:
        return "allowed" if where == "inside" else "404"
    if obj is not None and not _visible(user, obj):
        return "404"
    if action is None:
        return "allowed" if role_sees_something(user) or not route.refused == 404 else "404"
    if not route.obj or route.obj in ("kind", "framework"):
        return "allowed" if has_perm(user, action) else f"refused:{route.refused}"
    return "allowed" if has_perm(user, action, obj) else "403"


def _visible(user, obj) -> bool:
    """Inside the user's scope (the scoped querysets): else the object does not exist."""
    scope = scope_for(user)
    if isinstance(obj, Membership):
        obj = obj.user
    if isinstance(obj, get_user_model()):
        return account_selectors.accounts_visible(user).filter(pk=obj.pk).exists()
    if isinstance(obj, ProgrammePlan):
        return plan_list(user=user).filter(pk=obj.pk).exists()
    target = resolve(obj)
    if target.school is not None:
        return scope.can_see_school(target.school)
    return scope.can_see_unit(target.unit)


def role_sees_something(user) -> bool:
    return has_perm(user, "school.view") or Membership.objects.filter(user=user).exists()


def _matches(expected: str, status: int, location: str, method: str, public: bool) -> bool:
    if expected == "login":
        return status == 302 and "login" in location
    if expected == "401":
        return status == 401
    if expected == "404":
        return status == 404
    if expected == "403":
        return status == 403
    if expected.startswith("refused:"):
        return status == int(expected.split(":")[1])
    allowed = ALLOWED_POST if method == "post" else ALLOWED_GET
    return status in allowed and (public or "login" not in location)


def _requests():
    # Logging out ends the session: last.
    for name, route in sorted(ROUTES.items(), key=lambda i: (i[0] == "accounts:logout", i[0])):
        if name == "admin:*":
            continue
        for method in ("get", "post"):
            if (method == "get" and route.get) or (method == "post" and route.post):
                for where in ("inside", "outside") if route.obj else ("inside",):
                    yield name, route, method, where


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_what_the_table_says(role, world):
    user = world["users"][role]
    client = Client()
    if user is not None:
        client.force_login(user)
    wrong = []
    for name, route, method, where in _requests():
        side = world[where]
        kwargs, query, obj = _target(side, route.obj, world, role)
        url = reverse(name, kwargs=kwargs) + query
        expected = _expected(route, role, user, where, obj, method)
        with transaction.atomic():
            before = _fingerprint() if method == "post" and expected != "allowed" else None
            response = getattr(client, method)(url)
            if before is not None and _fingerprint() != before:
                wrong.append(f"{method.upper()} {name} ({where}) changed data")
            transaction.set_rollback(True)
        if response.status_code >= 500 or not _matches(
            expected, response.status_code, response.get("Location", ""), method, route.public
        ):
            wrong.append(
                f"{method.upper()} {name} ({where}): expected {expected}, "
                f"got {response.status_code}"
            )
        if user is not None:
            user._tc_scope = None  # a fresh request: memberships read again
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_is_for_superusers_only(role, world):
    user = world["users"][role]
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(reverse("admin:index"))
    if role == "superuser":
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and "login" in response["Location"]


def test_criterion_of_resolves_for_the_evidence_table(world):
    inside = world["inside"]
    staff = world["users"]["staff"]
    assert has_perm(
        staff, "evidence.add", CriterionOf(inside.assessment, inside.sheet.criterion_id)
    )
