"""The audit trail (core.audit): every project model audited or excluded with a reason; writes
through views, services and bulk paths recorded with who and old → new; logins and failed
logins recorded; history shown in Vietnamese words, never internal keys or JSON."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from accounts.models import Membership, Role
from core import audit
from core.models import AuditEvent
from programme.models import PlanSchoolTarget, ProgrammePlan
from recognition import services as programme_services
from recognition.models import RecognitionDecision
from schools.importing import COLUMNS
from schools.models import School, SchoolYearData
from schools.services import school_import_file

RAW = ('{"', "{'", "van_ban.", "standard:", "current_state.")


def history_of(body: str) -> str:
    """The history section of a page (the layout carries JSON of its own: htmx headers)."""
    start = body.index('data-testid="history"')
    return body[start : body.index("</section>", start)]


def _is_historical(model) -> bool:
    return hasattr(model, "instance_type")  # simple-history's own Historical<Model> classes


# --- 1. the lists -------------------------------------------------------------------------


def test_every_project_model_is_audited_or_excluded_with_a_reason():
    audited, excluded = set(audit.AUDITED), set(audit.NOT_AUDITED)
    missing = []
    ours = audit.project_apps()
    for model in apps.get_models(include_auto_created=False):
        if model._meta.app_label not in ours or _is_historical(model):
            continue
        if model._meta.label not in audited | excluded:
            missing.append(model._meta.label)
    assert missing == [], "add to core.audit.AUDITED or NOT_AUDITED (with the reason)"
    assert not audited & excluded
    assert all(reason.strip() for reason in audit.NOT_AUDITED.values())


def test_every_audited_model_has_a_history_table():
    for model in audit.audited_models():
        assert hasattr(model, "history"), model._meta.label
        assert model.history.model._meta.db_table


# --- 2. writes ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_school_edit_records_the_officer_and_the_old_and_new_value(
    client, commune_officer, school
):
    client.force_login(commune_officer)
    data = {
        "code": school.code,
        "name": school.name,
        "kind": school.kind,
        "ownership": school.ownership,
        "special_type": school.special_type,
        "managing_body": "",
        "unit": school.unit_id,
        "founded_year": "1998",
        "principal_name": "Lò Văn A",
        "phone": "",
        "email": "",
        "address": "",
        "website": "",
        "note": "",
        "version": school.version,
    }
    assert client.post(reverse("schools:edit", args=[school.code]), data).status_code == 302
    last = school.history.order_by("-history_id").first()
    assert last.history_user == commune_officer and last.history_type == "~"
    assert (last.principal_name, last.prev_record.principal_name) == ("Lò Văn A", "")

    rows = audit.history_rows(School.objects.get(pk=school.pk))
    change = next(c for c in rows[0].changes if c.label == "Hiệu trưởng")
    assert (change.old, change.new) == ("—", "Lò Văn A")
    assert rows[0].user == commune_officer.username


def xlsx(rows: list[dict]) -> io.BytesIO:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([c.label for c in COLUMNS])
    for values in rows:
        ws.append([{"ownership": "Công lập", **values}.get(c.key, "") for c in COLUMNS])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


@pytest.mark.django_db
def test_the_bulk_import_records_every_created_and_updated_school(commune_officer, school):
    rows = [
        {"code": "LC-MN-1", "name": "Trường Mầm non Một", "kind": "MN", "commune": "03549"},
        {"code": "LC-MN-2", "name": "Trường Mầm non Hai", "kind": "MN", "commune": "03549"},
        {
            "code": school.code,
            "name": "Trường Tiểu học Huổi Luông",
            "kind": "TH",
            "commune": "03549",
        },
    ]
    result = school_import_file(user=commune_officer, fileobj=xlsx(rows))
    assert (result.created, result.updated) == (2, 1)
    created = School.history.filter(code__in=["LC-MN-1", "LC-MN-2"], history_type="+")
    assert created.count() == 2
    assert {h.history_user_id for h in created} == {commune_officer.pk}
    updated = School.history.filter(id=school.pk, history_type="~").get()
    assert updated.name == "Trường Tiểu học Huổi Luông" and updated.version == 2
    assert updated.history_change_reason == "Nhập từ Excel"
    words = audit.history_rows(School.objects.get(pk=school.pk))[0]
    assert any(c.label == "Tên trường" for c in words.changes)


@pytest.mark.django_db
def test_the_daily_level_refresh_records_each_school_it_changes(school, superuser):
    RecognitionDecision.objects.create(
        school=school,
        number="12/QĐ-UBND",
        signed_on=dt.date(2024, 5, 1),
        signing_body="UBND tỉnh Lai Châu",
        kind="standard_new",
        level=1,
    )
    School.objects.filter(pk=school.pk).update(standard_level=0)  # a stale cache
    before = school.history.count()
    assert programme_services.refresh_standard_levels(today=dt.date(2025, 1, 1)) == 1
    assert school.history.count() == before + 1
    last = school.history.order_by("-history_id").first()
    assert last.standard_level == 1 and last.history_change_reason


@pytest.mark.django_db
def test_a_membership_change_is_recorded(superuser, make_user, school):
    user = make_user()
    membership = Membership.objects.create(user=user, school=school, role=Role.STAFF)
    membership.role = Role.PRINCIPAL
    membership.save()
    pk = membership.pk
    membership.delete()
    kinds = list(Membership.history.filter(id=pk).values_list("history_type", flat=True))
    assert sorted(kinds) == ["+", "-", "~"]


@pytest.mark.django_db
def test_a_login_saves_no_account_history_row_but_an_event(client, make_user):
    user = make_user(username="gv_login")
    before = user.history.count()
    assert client.login(username="gv_login", password="Mat-khau-2025!")
    assert user.history.count() == before


# --- 3. events ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_login_logout_and_failed_login_are_recorded_with_name_and_ip(client, make_user):
    user = make_user(username="ht_test")
    url = reverse("accounts:login")
    client.post(url, {"username": "ht_test", "password": "sai-mat-khau"})
    client.post(url, {"username": "ht_test", "password": "Mat-khau-2025!"})
    client.post(reverse("accounts:logout"))
    events = list(AuditEvent.objects.order_by("pk"))
    assert [e.kind for e in events] == ["login_failed", "login", "logout"]
    failed, login, logout = events
    assert failed.user is None and failed.username == "ht_test" and failed.ip == "127.0.0.1"
    assert login.user == user and logout.user == user


# --- 4. reading ---------------------------------------------------------------------------


@translation.override("vi")
def test_values_read_the_vietnamese_way():
    assert audit.value_text(True) == "Có" and audit.value_text(False) == "Không"
    assert audit.value_text(dt.date(2025, 7, 1)) == "01/07/2025"
    assert audit.value_text(Decimal("5900.000")) == "5.900"
    assert audit.value_text(Decimal("1234.50")) == "1.234,5"
    assert audit.value_text(None) == "—"
    text = audit.json_text({"cohort_completed": True, "rows": [{"a": 1}]})
    assert "{" not in text and "Có" in text


@pytest.mark.django_db
def test_the_school_page_shows_its_history_in_words(client, commune_officer, school):
    school.is_illustrative = True
    school.founded_year = 1998
    school.save()
    client.force_login(commune_officer)
    body = client.get(reverse("schools:detail", args=[school.code])).content.decode()
    history = history_of(body)
    assert "Dữ liệu minh họa" in history and "Có" in history and "1998" in history
    assert "is_illustrative" not in history and "founded_year" not in history
    for raw in RAW:
        assert raw not in history


@pytest.mark.django_db
def test_the_year_data_page_shows_figures_by_their_row_labels(client, principal, school):
    from schools import yeardata

    key = yeardata.schema_for(school.kind).input_keys[0]
    label = yeardata.schema_for(school.kind).row(key).label
    SchoolYearData.objects.create(school=school, school_year="2024-2025", values={key: 12})
    client.force_login(principal)
    body = client.get(reverse("schools:year_data", args=[school.code])).content.decode()
    history = history_of(body)
    assert f"{label}: 12" in history
    assert key not in history
    for raw in RAW:
        assert raw not in history


@pytest.mark.django_db
def test_plan_history_lists_only_targets_of_schools_in_scope(
    client, commune_officer, province, school, outside_school
):
    plan = ProgrammePlan.objects.create(
        unit=province, kind="ke_hoach", issuing_body="UBND tỉnh", title="Kế hoạch", start_year=2025,
        end_year=2025,
    )  # fmt: skip
    PlanSchoolTarget.objects.create(plan=plan, school=school, year=2025, target="new_1")
    PlanSchoolTarget.objects.create(plan=plan, school=outside_school, year=2025, target="new_1")
    client.force_login(commune_officer)
    response = client.get(reverse("programme:plan", args=[plan.pk]))
    history = history_of(response.content.decode())
    assert school.name in history
    assert outside_school.name not in history


@pytest.mark.django_db
def test_history_renders_in_english_too(client, commune_officer, school):
    school.note = "Ghi chú mới"
    school.save()
    client.force_login(commune_officer)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("schools:detail", args=[school.code]))
    body = response.content.decode()
    assert response.status_code == 200 and '<html lang="en">' in body
    history = history_of(body)
    assert "Change history" in history and "Ghi chú mới" in history
    for raw in RAW:
        assert raw not in history


@pytest.mark.django_db
def test_year_data_saves_record_the_user_and_the_figures_before_and_after(principal, school):
    from schools import services_yeardata, yeardata

    key = yeardata.schema_for(school.kind).input_keys[0]
    label = yeardata.schema_for(school.kind).row(key).label
    save = services_yeardata.school_year_data_save
    save(
        user=principal,
        school=school,
        years={"2024-2025": services_yeardata.YearInput(raw={key: "10"}, version=0)},
    )
    save(
        user=principal,
        school=school,
        years={"2024-2025": services_yeardata.YearInput(raw={key: "12"}, version=1)},
    )
    row = SchoolYearData.objects.get(school=school)
    records = list(row.history.order_by("history_id"))
    assert [r.history_type for r in records] == ["+", "~"]
    assert {r.history_user_id for r in records} == {principal.pk}
    change = audit.history_rows(row)[0].changes[0]
    assert (change.old, change.new) == (f"{label}: 10", f"{label}: 12")


def test_history_names_the_person_who_acted_even_when_the_row_names_them_too(
    province_officer, school
):
    # created_by (a foreign key shown as the login name) and the actor column name one person:
    # the actor column says who it is.
    province_officer.first_name = "Nguyễn Thị Hoa"
    province_officer.save()
    decision = RecognitionDecision(
        school=school,
        number="12/QĐ-SGDĐT",
        signed_on=dt.date(2024, 5, 6),
        signing_body="Sở Giáo dục và Đào tạo",
        kind="standard_new",
        level=1,
        created_by=province_officer,
    )
    decision._history_user = province_officer
    decision.save()
    (row,) = audit.history_rows(decision)
    assert row.user == "Nguyễn Thị Hoa"
