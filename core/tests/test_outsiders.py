"""Every URL pattern of core, accounts, units, schools, improvement and api, tried by an outsider (a commune
officer of Hải Phòng) against Lai Châu's data: nothing of Lai Châu is shown or written. A new
URL pattern in these apps fails test_every_url_pattern_has_an_outsider_case until it gets a
case here."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Membership
from api import services as api_services
from api.models import ApiToken, SystemAccount
from frameworks.models import Framework
from frameworks.services import framework_load_dir
from improvement.models import ImprovementAction, ImprovementReview, ProgressNote
from notifications.models import Notification
from programme.models import ProgrammePlan
from recognition.models import RecognitionDecision
from schools.importing import HELP_SHEET
from schools.models import School, SchoolSite

pytestmark = pytest.mark.django_db

APPS = ("accounts", "units", "schools", "improvement", "api", "notifications")
ROOT_NAMES = {"home"}  # core's page, mounted at the root
SECRETS = ("Huổi Luông", "LC-TH-HUOILUONG", "Xã Phong Thổ", "Điểm trường Nậm Cúm")


@dataclass
class Try:
    """One request: which pattern, how, what status the outsider gets."""

    name: str
    method: str
    status: int | tuple[int, ...]
    args: str = ""  # "school" → school code, "commune" → commune uid, "action" → an action, "person" → principal, "notification" → its pk
    data: dict = field(default_factory=dict)
    secrets: tuple[str, ...] = SECRETS


def _school_form(commune_pk: int) -> dict:
    return {
        "code": "LC-MN-LEN-LUT",
        "name": "Trường Mầm non Lén Lút",
        "kind": "MN",
        "ownership": "cong_lap",
        "unit": commune_pk,
        "version": "1",
        "principal_name": "Kẻ Lạ",
    }


def _xlsx_row_into_lai_chau() -> io.BytesIO:
    from schools.importing import COLUMNS

    wb = openpyxl.Workbook()
    wb.active.append([c.label for c in COLUMNS])
    values = {c.key: "" for c in COLUMNS}
    values.update(code="LC-TH-HUOILUONG", name="Đổi tên", kind="TH", commune="03549")
    wb.active.append([values[c.key] for c in COLUMNS])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "truong.xlsx"
    return buf


def _lai_chau_plan(commune):
    return ProgrammePlan.objects.create(
        unit=commune,
        kind="de_an",
        issuing_body="UBND xã",
        title="Đề án",
        start_year=2025,
        end_year=2026,
    )


def _lai_chau_token(school):
    user = get_user_model().objects.create_user("ht_lc_token")
    Membership.objects.create(user=user, school=school, role="principal")
    token, _secret = api_services.token_create(user=user, owner=user, name="Của Lai Châu")
    return token


def _lai_chau_decision(school) -> int:
    """Huổi Luông's first decision: its entry (1) in the school's register."""
    RecognitionDecision.objects.create(
        school=school,
        kind="standard_new",
        signed_on=dt.date(2022, 5, 1),
        level=1,
        number="5/QĐ-SGDĐT",
        signing_body="Sở GD&ĐT Lai Châu",
    )
    return 1


def _lai_chau_system_account(commune):
    user = get_user_model().objects.create_user("system-lc")
    return SystemAccount.objects.create(user=user, name="CSDL Lai Châu", unit=commune)


TRIES = [
    Try("home", "get", 200),
    Try("home", "post", 405),
    Try("accounts:login", "get", 302),  # already logged in: sent home
    Try("accounts:login", "post", (200, 302), data={"username": "ht_huoiluong", "password": "x"}),
    Try("accounts:logout", "post", 302),  # logs the outsider out, nobody else
    Try("accounts:password_change", "get", 200),  # the outsider's own password
    Try(
        "accounts:password_change",
        "post",
        200,
        data={"old_password": "sai", "new_password1": "A-b-c-123456", "new_password2": "x"},
    ),
    Try("accounts:password_change_done", "get", 200),
    Try("accounts:lockouts", "get", 403),  # administrators only (account.unlock)
    Try("accounts:lockouts", "post", 403, data={"attempt": "1"}),
    # "Quên mật khẩu": the same answer whoever's address is typed.
    Try("accounts:password_reset", "get", 200),
    Try("accounts:password_reset", "post", 302, data={"email": "ht@huoiluong.example"}),
    Try("accounts:password_reset_done", "get", 200),
    Try("accounts:password_reset_confirm", "get", 200, args="reset"),
    Try("accounts:password_reset_complete", "get", 200),
    # Account management: the outsider (no administrator flag) has none; Lai Châu's people
    # do not exist for them.
    Try("accounts:people", "get", 404),
    Try("accounts:person_create", "get", 404),
    Try("accounts:person_create", "post", 404, data={"form": "account-into-lai-chau"}),
    Try("accounts:people_import", "get", 404),
    Try("accounts:people_import_template", "get", 404),
    Try("accounts:people_import_confirm", "post", 404, data={"token": "x"}),
    Try("accounts:person", "get", 404, args="person"),
    Try("accounts:person", "post", 404, args="person", data={"full_name": "Kẻ Lạ"}),
    Try("accounts:person_active", "post", 404, args="person", data={"active": "0"}),
    Try("accounts:person_password", "post", 404, args="person", data={"how": "password"}),
    Try("accounts:person_password", "post", 404, args="person", data={"how": "link"}),
    Try("accounts:person_seat_add", "post", 404, args="person", data={"role": "staff"}),
    Try("accounts:person_seat_remove", "post", 404, args="person_seat"),
    Try("units:list", "get", 200),
    Try("units:list", "post", 405),
    Try("units:detail", "get", 404, args="commune"),
    Try("units:detail", "post", (404, 405), args="commune"),
    Try("schools:list", "get", 200),
    Try("schools:list", "post", 405),
    Try("schools:export", "get", 200),
    Try("schools:export", "post", 405),
    Try("schools:import", "get", 200),
    # The preview echoes what the outsider typed (the code, the public commune name) and says
    # the code is outside their scope; the school's stored data never appears.
    Try(
        "schools:import",
        "post",
        400,  # a file with a row in error is refused (400), like every import
        data={"file": "xlsx"},
        secrets=("Huổi Luông", "Điểm trường Nậm Cúm"),
    ),
    # The instructions sheet cites Xã Phong Thổ as an example; the commune sheet lists only
    # the outsider's communes (checked by sheet in _texts).
    Try("schools:import_template", "get", 200, secrets=("LC-TH-HUOILUONG", "03549")),
    Try("schools:import_template", "post", 405),
    Try("schools:import_confirm", "post", 302, data={"token": "x", "action": "confirm"}),
    Try("schools:import_confirm", "get", 405),
    Try("schools:create", "get", 200),
    Try("schools:create", "post", 200, data={"form": "into-lai-chau"}),
    Try("schools:detail", "get", 404, args="school"),
    Try("schools:detail", "post", (404, 405), args="school"),
    Try("schools:edit", "get", 404, args="school"),
    Try("schools:edit", "post", 404, args="school", data={"form": "into-lai-chau"}),
    Try("schools:year_data", "get", 404, args="school"),
    Try("schools:year_data", "post", 404, args="school", data={"v-2024-2025-classes": "9"}),
    Try("schools:year_data_import", "get", 404, args="school"),
    Try("schools:year_data_import", "post", 404, args="school", data={"file": "xlsx"}),
    Try("schools:year_data_import_template", "get", 404, args="school"),
    Try("schools:year_data_import_template", "post", 405, args="school"),
    Try("schools:year_data_import_confirm", "post", 404, args="school", data={"token": "x"}),
    Try("schools:year_data_import_confirm", "get", 405, args="school"),
    Try("improvement:school", "get", 404, args="school"),
    Try("improvement:school", "post", (404, 405), args="school"),
    Try(
        "improvement:register",
        "post",
        404,
        args="school",
        data={"title": "Lén", "responsible": "x"},
    ),
    Try("improvement:register", "get", 405, args="school"),
    Try("improvement:review", "post", 404, args="school", data={"conclusions": "Lén"}),
    Try("improvement:review", "get", 405, args="school"),
    Try("improvement:monthly_send", "post", 404, args="school", data={"plan": "1"}),
    Try("improvement:monthly_send", "get", 405, args="school"),
    Try("improvement:action", "get", 404, args="action"),
    Try("improvement:action", "post", 404, args="action", data={"title": "Lén"}),
    Try("improvement:note", "post", 404, args="action", data={"text": "Lén"}),
    Try("improvement:note", "get", 405, args="action"),
    Try("improvement:unit_actions", "get", 404, args="commune"),
    Try("improvement:unit_actions", "post", 405, args="commune"),
    Try("improvement:analysis", "get", 404, args="commune"),
    Try("improvement:analysis", "post", 405, args="commune"),
    Try("improvement:analysis_xlsx", "get", 404, args="commune"),
    Try("improvement:analysis_xlsx", "post", 405, args="commune"),
    Try("api:me", "get", 200),  # the outsider's own name, nothing of the school
    Try("api:me", "post", 405),
    Try("api:school_list", "get", 200),
    Try("api:school_list", "post", 405),
    Try("api:school_detail", "get", 404, args="school"),
    Try("api:school_detail", "post", 405, args="school"),
    Try("api:unit_detail", "get", 404, args="commune"),
    Try("api:unit_detail", "post", 405, args="commune"),
    # The token pages: the outsider's own tokens; Lai Châu's tokens and system accounts are
    # not found; creating system accounts is for province officers.
    Try("api:tokens", "get", 200),
    Try("api:tokens", "post", 400, data={"name": ""}),
    Try("api:token_revoke", "post", 404, args="token"),
    Try("api:token_revoke", "get", 405, args="token"),
    Try("api:system_accounts", "get", 403),
    Try("api:system_accounts", "post", 403, data={"name": "X", "unit": "W03549"}),
    Try("api:system_account", "get", 404, args="system_account"),
    Try("api:system_account", "post", 404, args="system_account", data={"name": "X"}),
    # /api/v1/ with the outsider's session: lists are empty, Lai Châu's objects are 404,
    # writes into Lai Châu are refused.
    Try("api:v1_root", "get", 200),
    Try("api:v1_root", "post", 405),
    Try("api:v1_schema", "get", 200),
    Try("api:v1_schema", "post", 405),
    Try("api:v1_docs", "get", 200),
    Try("api:v1_docs", "post", 405),
    Try("api:v1_me", "get", 200),
    Try("api:v1_me", "post", 405),
    Try("api:v1_units", "get", 200),
    Try("api:v1_units", "post", 405),
    Try("api:v1_unit", "get", 404, args="commune"),
    Try("api:v1_unit", "post", (404, 405), args="commune"),
    Try("api:v1_schools", "get", 200),
    Try("api:v1_schools", "post", 400, data={"form": "api-into-lai-chau"}),
    Try("api:v1_schools_export", "get", 200),
    Try("api:v1_schools_export", "post", 405),
    Try("api:v1_school", "get", 404, args="school"),
    Try("api:v1_school", "patch", 404, args="school"),
    Try("api:v1_school", "delete", (404, 405), args="school"),
    Try("api:v1_school_year_data", "get", 404, args="school"),
    Try("api:v1_school_year_data", "post", (404, 405), args="school"),
    Try("api:v1_school_recognitions", "get", 404, args="school"),
    Try("api:v1_school_recognitions", "post", 404, args="school", data={"number": "1"}),
    Try("api:v1_school_recognition", "get", 404, args="school_entry"),
    Try("api:v1_school_recognition", "patch", 404, args="school_entry"),
    Try("api:v1_school_recognition", "post", (404, 405), args="school_entry"),
    Try("api:v1_school_assessments", "get", 404, args="school"),
    Try("api:v1_school_assessments", "post", (404, 405), args="school"),
    Try("api:v1_assessment", "get", 404, args="school_year"),
    Try("api:v1_assessment", "post", (404, 405), args="school_year"),
    Try("api:v1_assessment_evidence", "get", 404, args="school_year"),
    Try("api:v1_assessment_evidence", "post", (404, 405), args="school_year"),
    Try("api:v1_evidence_file", "get", 404, args="evidence_code"),
    Try("api:v1_evidence_file", "post", (404, 405), args="evidence_code"),
    Try("api:v1_school_evaluations", "get", 404, args="school"),
    Try("api:v1_school_evaluations", "post", (404, 405), args="school"),
    Try("api:v1_evaluation", "get", 404, args="evaluation_number"),
    Try("api:v1_evaluation", "post", (404, 405), args="evaluation_number"),
    Try("api:v1_recognitions", "get", 200),
    Try("api:v1_recognitions", "post", 405),
    Try("api:v1_assessments", "get", 200),
    Try("api:v1_assessments", "post", 405),
    Try("api:v1_frameworks", "get", 200),
    Try("api:v1_frameworks", "post", 405),
    Try("api:v1_framework", "get", 404, args="framework"),  # none loaded in this world
    Try("api:v1_framework", "post", (404, 405), args="framework"),
    Try("api:v1_indicators", "get", 404, args="framework"),
    Try("api:v1_indicators", "post", (404, 405), args="framework"),
    Try("api:v1_indicator", "get", 404, args="indicator"),
    Try("api:v1_indicator", "post", (404, 405), args="indicator"),
    Try("api:v1_plans", "get", 200),
    Try("api:v1_plans", "post", 405),
    Try("api:v1_plan", "get", 404, args="plan_code"),
    Try("api:v1_plan", "post", (404, 405), args="plan_code"),
    Try("api:v1_investments", "get", 200),
    Try("api:v1_investments", "post", 405),
    Try("api:v1_monthly_reports", "get", 200),
    Try("api:v1_monthly_reports", "post", 405),
    # A person sees only what was told to them: the principal's notification is not there.
    Try("notifications:list", "get", 200),
    Try("notifications:list", "post", 405),
    Try("notifications:bell", "get", 200),  # the outsider's own count
    Try("notifications:bell", "post", 405),
    Try("notifications:read", "post", 404, args="notification", data={"open": "1"}),
    Try("notifications:read", "get", 405, args="notification"),
    Try("notifications:read_all", "post", 302),  # the outsider's own, nobody else's
    Try("notifications:read_all", "get", 405),
    Try("notifications:preferences", "get", 200),
    Try("notifications:preferences", "post", 302, data={"kind-assessment_submitted": "off"}),
    Try("notifications:outbox", "get", 403),  # support only (notification.outbox)
    Try("notifications:outbox", "post", 405),
]


def _names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            names |= _names(entry, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}{entry.name}")
    return names


def test_every_url_pattern_has_an_outsider_case():
    ours = {n for n in _names(get_resolver()) if n.split(":")[0] in APPS or n in ROOT_NAMES}
    tried = {t.name for t in TRIES}
    assert ours - tried == set(), "URL patterns without an outsider test"
    assert tried - ours == set()


def _snapshot() -> tuple:
    return (
        list(School.objects.order_by("pk").values()),
        list(SchoolSite.objects.order_by("pk").values()),
        list(Membership.objects.order_by("pk").values()),
        list(ImprovementAction.objects.order_by("pk").values()),
        list(ProgressNote.objects.order_by("pk").values()),
        list(ImprovementReview.objects.order_by("pk").values()),
        list(ApiToken.objects.order_by("pk").values()),
        list(SystemAccount.objects.order_by("pk").values()),
        list(
            get_user_model()
            .objects.order_by("pk")
            .values("pk", "is_active", "first_name", "password")
        ),
        list(Notification.objects.order_by("pk").values("pk", "read_at")),
        list(RecognitionDecision.objects.order_by("pk").values()),
    )


def _texts(response) -> str:
    """The response as text; a workbook is read cell by cell."""
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        data = b"".join(response.streaming_content)
        wb = openpyxl.load_workbook(io.BytesIO(data))
        sheets = [ws for ws in wb if ws.title != HELP_SHEET]
        return "\n".join(
            str(v) for ws in sheets for r in ws.iter_rows(values_only=True) for v in r if v
        )
    if getattr(response, "streaming", False):
        data = b"".join(response.streaming_content)
        assert not zipfile.is_zipfile(io.BytesIO(data))
        return data.decode(errors="replace")
    return response.content.decode(errors="replace")


@pytest.mark.parametrize("attempt", TRIES, ids=lambda t: f"{t.method}-{t.name}")
def test_outsider_gets_nothing_of_another_province(
    client, outsider, school, commune, principal, attempt, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    SchoolSite.objects.create(school=school, name="Điểm trường Nậm Cúm")
    principal.email = "ht@huoiluong.example"
    principal.save()
    told = Notification.objects.create(
        recipient=principal, kind="assessment_returned", title="Trường PTDTBT TH Huổi Luông"
    )
    client.force_login(outsider)

    def _action_args() -> list:
        framework_load_dir()
        action = ImprovementAction.objects.create(
            school=school,
            framework=Framework.objects.get(code="TT17-2018"),
            year=2025,
            indicators=["1.1-M2"],
            title="Huổi Luông: rà soát kế hoạch",
            responsible="Hiệu trưởng",
            start=dt.date(2025, 9, 1),
            due=dt.date(2025, 10, 1),
        )
        return [action.pk]

    args = {
        "school": lambda: [school.code],
        "commune": lambda: [commune.uid],
        "school_year": lambda: [school.code, "2024-2025"],
        "evidence_code": lambda: [school.code, "2024-2025", "H1-1.1-01"],
        "evaluation_number": lambda: [school.code, 1],
        "school_entry": lambda: [school.code, _lai_chau_decision(school)],
        "framework": lambda: ["TT17-2018"],
        "indicator": lambda: ["TT17-2018", "1.1-M1a"],
        "plan": lambda: [_lai_chau_plan(commune).pk],
        "plan_code": lambda: [_lai_chau_plan(commune).public_id],
        "token": lambda: [_lai_chau_token(school).pk],
        "system_account": lambda: [_lai_chau_system_account(commune).user.username],
        "action": _action_args,
        "person": lambda: [principal.pk],
        "person_seat": lambda: [principal.pk, principal.memberships.get().pk],
        "reset": lambda: ["MQ", "not-a-token"],
        "notification": lambda: [told.pk],
        "": lambda: [],
    }[attempt.args]()
    url = reverse(attempt.name, args=args)
    data = dict(attempt.data)
    if data.get("form") == "into-lai-chau":
        data = _school_form(commune.pk)
    if data.get("form") == "api-into-lai-chau":
        data = {**_school_form(commune.pk), "unit": commune.uid}
    if data.get("form") == "account-into-lai-chau":
        data = {
            "full_name": "Kẻ Lạ",
            "username": "ke.la",
            "role": "principal",
            "school": school.code,
        }
    if data.get("file") == "xlsx":
        data = {"file": _xlsx_row_into_lai_chau()}
    before = _snapshot()

    response = getattr(client, attempt.method)(url, data)

    expected = attempt.status if isinstance(attempt.status, tuple) else (attempt.status,)
    assert response.status_code in expected
    body = _texts(response)
    for secret in attempt.secrets:
        assert secret not in body
    assert _snapshot() == before
