"""The programme dashboard (issue 4 §5): counts by kind × status from the register, rates from
counts, the trend by year, drill-down, the xlsx export, and scope (404 outside)."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from dashboard import selectors as dash
from recognition import rules, services
from recognition.models import RecognitionDecision
from recognition.rules import STANDARD_NEW, STANDARD_RENEWAL, STANDARD_UPGRADE
from recognition.tests.conftest import years_ago
from schools.models import School

pytestmark = pytest.mark.django_db


@pytest.fixture
def kindergarten(commune) -> School:
    return School.objects.create(
        code="LC-MN-HOASEN", name="Trường Mầm non Hoa Sen", kind="MN", unit=commune
    )


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def _board(user, unit, today):
    return dash.dashboard(user=user, unit=unit, on=today)


# ---------------------------------------------------------------------------------------------
# Counts and rates


def test_a_commune_without_schools_shows_zero_and_a_zero_rate(client, commune, commune_officer):
    response = _get(client, commune_officer, reverse("dashboard:index"))
    assert response.status_code == 200
    d = response.context["d"]
    assert d.unit == commune
    assert (d.total.total, d.total.standard) == (0, 0)
    assert d.total.rate == "0,00%"
    assert 'id="rate-standard">0,00%<' in response.content.decode()


def test_counts_by_kind_and_status_with_rates_from_counts(
    client, school, kindergarten, sibling_school, add_decision, today, province, commune
):
    add_decision(school, STANDARD_NEW, years_ago(today, 1), level=1)
    add_decision(sibling_school, STANDARD_NEW, years_ago(today, 2), level=2)
    officer = _province_officer(province)
    d = _board(officer, province, today)
    by_kind = {k.kind: k.counts for k in d.kinds}
    assert (by_kind["TH"].level_1, by_kind["TH"].total, by_kind["TH"].rate) == (1, 1, "100,00%")
    assert (by_kind["MN"].none, by_kind["MN"].rate) == (1, "0,00%")
    assert (by_kind["THCS"].level_2, by_kind["THCS"].rate) == (1, "100,00%")
    assert (d.total.level_1, d.total.level_2, d.total.none) == (1, 1, 1)
    assert d.total.rate == "66,67%"  # 2 of 3, rounded half up
    # The commune sees its two schools only.
    d = _board(officer, commune, today)
    assert (d.total.total, d.total.rate) == (2, "50,00%")


def _province_officer(province):
    from django.contrib.auth import get_user_model

    from accounts.models import Membership

    user = get_user_model().objects.create_user("so_test", password="x")
    Membership.objects.create(user=user, unit=province, role=Role.PROVINCE_OFFICER)
    return user


def test_validity_boundary_revocation_and_expiry(
    school, kindergarten, sibling_school, add_decision, today, province
):
    # Signed exactly 5 years ago: valid through today (inclusive).
    add_decision(school, STANDARD_NEW, years_ago(today, 5), level=1)
    # One day more: expired yesterday.
    add_decision(kindergarten, STANDARD_NEW, years_ago(today, 5) - dt.timedelta(days=1), level=1)
    add_decision(sibling_school, STANDARD_NEW, years_ago(today, 2), level=2)
    add_decision(sibling_school, rules.REVOCATION, today - dt.timedelta(days=3))
    d = _board(_province_officer(province), province, today)
    assert (d.total.level_1, d.total.level_2, d.total.none) == (1, 0, 2)
    # The expiring count follows the register's own list (next 12 months).
    assert d.expiring == 1


def test_recording_a_recognition_changes_the_dashboard(
    client, school, kindergarten, commune_officer, today
):
    url = reverse("dashboard:index")
    before = _get(client, commune_officer, url).context["d"]
    assert (before.total.level_1, before.total.rate) == (0, "0,00%")
    services.recognition_record(
        user=commune_officer,
        school=school,
        data={
            "kind": STANDARD_NEW,
            "level": 1,
            "number": "123/QĐ-SGDĐT",
            "signed_on": today - dt.timedelta(days=10),
            "signing_body": "Sở GD&ĐT Lai Châu",
        },
    )
    after = client.get(url).context["d"]
    assert (after.total.level_1, after.total.none, after.total.rate) == (1, 1, "50,00%")
    assert after.trend[-1].level_1 == 1
    assert after.expiring == 0


def test_a_level_declared_in_the_registry_counts_but_not_in_the_trend(
    client, school, commune_officer, today
):
    School.objects.filter(pk=school.pk).update(standard_level=2)
    d = _get(client, commune_officer, reverse("dashboard:index")).context["d"]
    assert (d.total.level_2, d.declared_only) == (1, 1)
    assert d.trend[-1].standard == 0
    assert "declared-note" in client.get(reverse("dashboard:index")).content.decode()


def test_once_a_school_has_decisions_the_register_overrides_the_declared_level(
    school, add_decision, today, commune_officer, commune
):
    School.objects.filter(pk=school.pk).update(standard_level=2)
    add_decision(school, STANDARD_NEW, years_ago(today, 7), level=1)  # lapsed 2 years ago
    d = _board(commune_officer, commune, today)
    assert (d.total.level_2, d.total.none, d.declared_only) == (0, 1, 0)


# ---------------------------------------------------------------------------------------------
# Trend by year


def test_trend_counts_each_year_end_from_decisions_with_expiry(
    school, kindergarten, sibling_school, add_decision, today, province
):
    y = today.year
    # Level 1 on 01/06 eight years ago, valid through 01/06 three years ago, never renewed.
    add_decision(school, STANDARD_NEW, dt.date(y - 8, 6, 1), level=1)
    # Level 1, upgraded to 2 two years later, then renewed at level 2.
    add_decision(kindergarten, STANDARD_NEW, dt.date(y - 9, 3, 1), level=1)
    add_decision(kindergarten, STANDARD_UPGRADE, dt.date(y - 7, 3, 2), level=2)
    add_decision(kindergarten, STANDARD_RENEWAL, dt.date(y - 2, 3, 1), level=2)
    # Recognised, then revoked the next year.
    add_decision(sibling_school, STANDARD_NEW, dt.date(y - 6, 1, 10), level=1)
    add_decision(sibling_school, rules.REVOCATION, dt.date(y - 5, 3, 1))

    officer = _province_officer(province)
    points = {p.year: p for p in dash.trend(user=officer, unit=province, on=today)}
    assert sorted(points) == list(range(y - 9, y + 1))
    assert points[y].on == today and points[y].partial
    assert (points[y - 9].level_1, points[y - 9].level_2) == (1, 0)
    assert (points[y - 8].level_1, points[y - 8].level_2) == (2, 0)
    assert (points[y - 7].level_1, points[y - 7].level_2) == (1, 1)
    assert (points[y - 6].level_1, points[y - 6].level_2) == (2, 1)
    assert (points[y - 5].level_1, points[y - 5].level_2) == (1, 1)
    assert (points[y - 3].level_1, points[y - 3].level_2) == (0, 1)  # expired on 01/06
    assert points[y].standard == 1
    # The SQL agrees with recognition.rules at every point.
    decisions = list(RecognitionDecision.objects.all())
    for p in points.values():
        levels = [
            rules.school_status([d for d in decisions if d.school_id == s.pk], p.on).standard_level
            for s in (school, kindergarten, sibling_school)
        ]
        assert (levels.count(1), levels.count(2)) == (p.level_1, p.level_2), p


def test_same_day_decisions_follow_recording_order(school, add_decision, today, commune_officer):
    day = years_ago(today, 1)
    add_decision(school, STANDARD_NEW, day, level=1, number="1/QĐ")
    add_decision(school, rules.REVOCATION, day, number="2/QĐ")
    d = _board(commune_officer, None, today)
    assert d.total.standard == 0
    assert d.trend[-1].standard == 0


# ---------------------------------------------------------------------------------------------
# Drill-down and pages


def test_province_drills_down_to_communes_then_schools(
    client, school, kindergarten, sibling_school, add_decision, today, province_officer
):
    add_decision(school, STANDARD_NEW, years_ago(today, 1), level=1)
    response = _get(client, province_officer, reverse("dashboard:index"))
    assert response.status_code == 200
    d = response.context["d"]
    assert d.unit.uid == "P12"
    rows = {a.uid: a for a in d.areas}
    assert set(rows) == {"W03549", "W03571"}
    assert (rows["W03549"].counts.total, rows["W03549"].counts.level_1) == (2, 1)
    assert rows["W03549"].counts.rate == "50,00%"
    html = response.content.decode()
    assert reverse("dashboard:unit", args=["W03549"]) in html
    assert "chart.umd.js" in html and 'id="dashboard-data"' in html

    response = client.get(reverse("dashboard:unit", args=["W03549"]))
    assert response.status_code == 200
    areas = response.context["d"].areas
    assert [a.code for a in areas] == [kindergarten.code, school.code]  # Vietnamese order
    assert areas[1].status == 1 and areas[1].valid_until == rules.add_years(years_ago(today, 1), 5)
    assert reverse("programme:school", args=[school.code]) in response.content.decode()
    assert response.context["crumbs"] == [("Lai Châu", "P12")]


def test_superuser_home_lists_provinces(client, school, outside_school, superuser, today):
    d = _get(client, superuser, reverse("dashboard:index")).context["d"]
    assert d.unit is None
    assert {a.uid for a in d.areas} == {"P12", "P31"}
    assert d.total.total == 2


def test_principal_sees_the_own_school_only(client, school, kindergarten, principal):
    response = _get(client, principal, reverse("dashboard:index"))
    assert response.status_code == 200
    d = response.context["d"]
    assert d.unit is None and d.total.total == 1
    assert [a.code for a in d.areas] == [school.code]


def test_the_number_of_queries_does_not_grow_with_schools(
    client, commune, commune_officer, django_assert_max_num_queries, add_decision, today, settings
):
    # The page as rendered each time, not a kept copy (core.page_cache).
    settings.PAGE_CACHE_SECONDS = 0

    def make(n: int) -> None:
        start = School.objects.count()
        for i in range(start, start + n):
            s = School.objects.create(code=f"Q-{i}", name=f"Trường số {i}", kind="TH", unit=commune)
            add_decision(s, STANDARD_NEW, years_ago(today, 1), level=1)

    client.force_login(commune_officer)
    make(2)
    with django_assert_max_num_queries(14) as small:
        client.get(reverse("dashboard:index"))
    make(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("dashboard:index"))
    assert response.context["d"].total.level_1 == 32


def test_chart_js_is_served_from_node_modules():
    assert finders.find("vendor/chart.js/chart.umd.js")
    assert finders.find("js/dashboard.js")


# ---------------------------------------------------------------------------------------------
# Export


def test_xlsx_export_reopens_with_the_same_totals(
    client, school, kindergarten, sibling_school, add_decision, today, province_officer
):
    add_decision(school, STANDARD_NEW, years_ago(today, 1), level=1)
    add_decision(sibling_school, STANDARD_NEW, years_ago(today, 1), level=2)
    response = _get(client, province_officer, reverse("dashboard:unit_export", args=["P12"]))
    assert response.status_code == 200
    assert response["Content-Type"] == dash.XLSX_MIME
    wb = load_workbook(BytesIO(b"".join(response.streaming_content)))
    assert wb.sheetnames == ["Theo cấp học", "Theo năm", "Theo đơn vị, trường"]
    ws = wb["Theo cấp học"]
    header = [c.value for c in ws[4]]
    assert header[:4] == ["Cấp học", "Tổng số trường", "Đạt chuẩn Mức độ 1", "Đạt chuẩn Mức độ 2"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=5) if r[0].value]
    body, total = rows[:-1], rows[-1]
    assert total[0] == "Tổng cộng"
    assert total[1:6] == [3, 1, 1, 1, 2]
    for col in range(1, 6):
        assert total[col] == sum(r[col] for r in body)  # the total is the sum of its rows
    assert total[6] == pytest.approx(0.6667)
    assert ws.cell(row=4 + len(rows), column=7).number_format == "0.00%"
    trend = wb["Theo năm"]
    assert trend.max_row == 4 + dash.TREND_YEARS
    assert trend.cell(row=trend.max_row, column=5).value == 2
    areas = [[c.value for c in r] for r in wb["Theo đơn vị, trường"].iter_rows(min_row=5)]
    assert areas[-1][0] == "Tổng cộng" and areas[-1][3] == 3


# ---------------------------------------------------------------------------------------------
# Scope


@pytest.mark.parametrize("name", ["dashboard:unit", "dashboard:unit_export"])
def test_outsider_gets_404_on_a_unit_of_another_province(client, school, outsider, name):
    for uid in ("P12", "W03549"):
        assert _get(client, outsider, reverse(name, args=[uid])).status_code == 404


@pytest.mark.parametrize("name", ["dashboard:unit", "dashboard:unit_export"])
def test_commune_officer_gets_404_on_the_province_and_a_sibling_commune(
    client, school, sibling_school, commune_officer, name
):
    for uid in ("P12", "W03571"):
        assert _get(client, commune_officer, reverse(name, args=[uid])).status_code == 404
    assert client.get(reverse(name, args=["W03549"])).status_code == 200


def test_commune_officer_counts_only_the_commune(client, school, sibling_school, commune_officer):
    d = _get(client, commune_officer, reverse("dashboard:index")).context["d"]
    assert d.total.total == 1
    assert [a.code for a in d.areas] == [school.code]


def test_unknown_or_retired_unit_is_404(client, province, superuser):
    from units.models import AdminUnit

    AdminUnit.objects.create(
        uid="HD110", code="110", name="Huyện Phong Thổ", division_type="huyện",
        parent=province, valid_to=dt.date(2025, 7, 1),
    )  # fmt: skip
    client.force_login(superuser)
    assert client.get(reverse("dashboard:unit", args=["HD110"])).status_code == 404
    assert client.get(reverse("dashboard:unit", args=["NOPE"])).status_code == 404


@pytest.mark.parametrize("name", ["dashboard:index", "dashboard:export"])
def test_a_user_without_scope_gets_404(client, make_user, name):
    assert _get(client, make_user(), reverse(name)).status_code == 404


def test_anonymous_is_sent_to_login(client, province):
    response = client.get(reverse("dashboard:unit", args=["P12"]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# ---------------------------------------------------------------------------------------------
# Plan progress


def test_plan_progress_of_the_unit_comes_from_the_register(
    client, school, kindergarten, commune, commune_officer, add_decision, today
):
    from programme.models import PlanSchoolTarget, ProgrammePlan, TargetKind

    plan = ProgrammePlan.objects.create(
        unit=commune,
        kind="ke_hoach",
        issuing_body="UBND xã Phong Thổ",
        title="Kế hoạch xây dựng trường chuẩn",
        start_year=today.year,
        end_year=today.year,
    )
    PlanSchoolTarget.objects.create(
        plan=plan, school=school, year=today.year, target=TargetKind.NEW_1
    )
    PlanSchoolTarget.objects.create(
        plan=plan, school=kindergarten, year=today.year, target=TargetKind.NEW_1
    )
    add_decision(school, STANDARD_NEW, today, level=1)
    response = _get(client, commune_officer, reverse("dashboard:index"))
    (progress,) = response.context["d"].plans
    assert (progress.targeted, progress.achieved) == (2, 1)
    assert (progress.year_targeted, progress.year_achieved, progress.rate) == (2, 1, "50,00%")
    assert reverse("programme:plan", args=[plan.pk]) in response.content.decode()


def test_a_communes_school_lines_agree_with_the_live_status(
    school, kindergarten, add_decision, today, commune, commune_officer
):
    from recognition.selectors import latest_standard, with_status

    def new(code, level=0):
        return School.objects.create(
            code=code, name=f"Trường {code}", kind="TH", unit=commune, standard_level=level
        )

    declared, lapsed, revoked, same_day, future, other_track, renewed = (
        new(f"LC-T{i}", level=2 if i == 0 else 0) for i in range(7)
    )
    add_decision(school, STANDARD_NEW, years_ago(today, 1), level=1)
    add_decision(lapsed, STANDARD_NEW, years_ago(today, 7), level=2)
    add_decision(revoked, STANDARD_NEW, years_ago(today, 2), level=2)
    add_decision(revoked, rules.REVOCATION, today - dt.timedelta(days=3))
    add_decision(same_day, STANDARD_NEW, years_ago(today, 1), level=1)
    add_decision(same_day, rules.REVOCATION, years_ago(today, 1))
    add_decision(future, STANDARD_NEW, today + dt.timedelta(days=2), level=1)
    add_decision(other_track, rules.ACCREDITATION, years_ago(today, 1), level=3)
    add_decision(renewed, STANDARD_NEW, years_ago(today, 6), level=1)
    add_decision(renewed, STANDARD_UPGRADE, years_ago(today, 1), level=2)
    rows = {a.code: a for a in _board(commune_officer, commune, today).areas if a.is_school}
    live = with_status(School.objects.filter(unit=commune), today).annotate(
        until=latest_standard(today).values("valid_until")[:1]
    )
    assert len(rows) == 9 and declared.code in rows
    for s in live:
        row = rows[s.code]
        assert row.status == s.status, s.code
        assert row.valid_until == (s.until if s.in_register and s.status else None), s.code
        assert row.declared_only == (not s.in_register and bool(s.status)), s.code
        assert row.kind_label == s.get_kind_display()
    assert [rows[c].status for c in (declared.code, renewed.code, revoked.code)] == [2, 2, 0]
