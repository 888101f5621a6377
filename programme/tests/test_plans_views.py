"""Plan pages: scope (commune vs province vs outsider, retired-district plans through their
successors), plan vs actual on the page, creation and targets. Fixtures here are reused by
test_investment_views.py and test_monthly_views.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from programme import selectors
from programme.models import PlanSchoolTarget, ProgrammePlan
from recognition import rules
from recognition.models import RecognitionDecision
from schools.models import SchoolLocation
from units.models import AdminUnit


@pytest.fixture
def district(province, commune, sibling_commune) -> AdminUnit:
    """A retired district of the province whose area is now the two communes."""
    unit = AdminUnit.objects.create(
        uid="HD109",
        code="109",
        name="Huyện Phong Thổ",
        division_type="huyện",
        parent=province,
        valid_to=dt.date(2025, 7, 1),
    )
    unit.successors.set([commune, sibling_commune])
    return unit


@pytest.fixture
def this_year() -> int:
    return timezone.localdate().year


@pytest.fixture
def district_plan(district, school, sibling_school, this_year) -> ProgrammePlan:
    plan = ProgrammePlan.objects.create(
        unit=district,
        kind="de_an",
        number="5375/QĐ-UBND",
        issued_on=dt.date(this_year - 1, 1, 17),
        issuing_body="UBND huyện Phong Thổ",
        title="Đề án xây dựng trường chuẩn",
        start_year=this_year - 1,
        end_year=this_year,
        monthly_reports=True,
    )
    PlanSchoolTarget.objects.create(plan=plan, school=school, year=this_year - 1, target="new_1")
    PlanSchoolTarget.objects.create(
        plan=plan, school=sibling_school, year=this_year - 1, target="new_1"
    )
    return plan


@pytest.fixture
def outside_plan(other_commune, outside_school, this_year) -> ProgrammePlan:
    plan = ProgrammePlan.objects.create(
        unit=other_commune,
        kind="ke_hoach",
        issuing_body="UBND xã Ninh Giang",
        title="Kế hoạch của tỉnh khác",
        start_year=this_year,
        end_year=this_year,
        monthly_reports=True,
    )
    PlanSchoolTarget.objects.create(
        plan=plan, school=outside_school, year=this_year, target="new_1"
    )
    return plan


def login(client, user):
    client.force_login(user)
    return client


def test_commune_officer_sees_the_retired_district_plan_through_its_successor(
    client, commune_officer, district_plan, outside_plan
):
    response = login(client, commune_officer).get(reverse("programme:plans"))
    assert response.status_code == 200
    assert "Đề án xây dựng trường chuẩn" in response.content.decode()
    assert "Kế hoạch của tỉnh khác" not in response.content.decode()


def test_commune_officer_sees_only_their_schools_inside_a_plan(
    client, commune_officer, district_plan, school, sibling_school
):
    response = login(client, commune_officer).get(
        reverse("programme:plan", args=[district_plan.pk])
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert school.name in body
    assert sibling_school.name not in body


def test_province_officer_sees_every_school_of_the_plan(
    client, province_officer, district_plan, school, sibling_school
):
    response = login(client, province_officer).get(
        reverse("programme:plan", args=[district_plan.pk])
    )
    body = response.content.decode()
    assert school.name in body and sibling_school.name in body


def test_principal_sees_the_plans_covering_their_school(client, principal, district_plan, school):
    SchoolLocation.objects.create(school=school, unit=district_plan.unit)
    response = login(client, principal).get(reverse("programme:plan", args=[district_plan.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "name,args",
    [
        ("programme:plan", "plan"),
        ("programme:plan_edit", "plan"),
        ("programme:monthly", "plan"),
    ],
)
def test_outsider_gets_404_on_plan_pages(client, outsider, district_plan, name, args):
    response = login(client, outsider).get(reverse(name, args=[district_plan.pk]))
    assert response.status_code == 404


def test_outsider_gets_404_when_posting_targets(client, outsider, district_plan, school):
    c = login(client, outsider)
    url = reverse("programme:plan_target_add", args=[district_plan.pk])
    assert c.post(url, {"t-school": school.code, "t-target": "new_1"}).status_code == 404
    url = reverse("programme:plan_unit_target_add", args=[district_plan.pk])
    assert c.post(url, {"u-label": "x", "u-value": "1", "u-measure": "%"}).status_code == 404


def test_user_without_scope_gets_404_on_the_list(client, make_user):
    assert login(client, make_user()).get(reverse("programme:plans")).status_code == 404


def test_the_page_shows_plan_vs_actual(
    client, province_officer, district_plan, school, sibling_school, this_year
):
    RecognitionDecision.objects.create(
        school=school,
        kind=rules.STANDARD_NEW,
        level=1,
        number="1/QĐ",
        signed_on=dt.date(this_year - 1, 6, 1),
        signing_body="UBND tỉnh",
    )
    report = selectors.plan_report(
        user=province_officer, plan=district_plan, today=timezone.localdate()
    )
    last_year = report.result.years[0]
    assert (last_year.targeted, last_year.achieved, last_year.missed) == (2, 1, 1)
    # Xã trắng: the sibling commune has no standard school.
    assert [c.uid for c in report.white[-1].communes] == ["W03571"]
    response = login(client, province_officer).get(
        reverse("programme:plan", args=[district_plan.pk])
    )
    assert 'id="plan-vs-actual"' in response.content.decode()


def test_commune_officer_creates_a_plan_and_adds_a_target(client, commune_officer, school):
    c = login(client, commune_officer)
    data = {
        "unit": "W03549",
        "kind": "ke_hoach",
        "number": "12/KH-UBND",
        "issued_on": "02/03/2026",
        "issuing_body": "UBND xã Phong Thổ",
        "title": "Kế hoạch xây dựng trường chuẩn",
        "start_year": "2026",
        "end_year": "2030",
        "status": "dang_thuc_hien",
    }
    response = c.post(reverse("programme:plan_create"), data)
    assert response.status_code == 302
    plan = ProgrammePlan.objects.get(number="12/KH-UBND")
    response = c.post(
        reverse("programme:plan_target_add", args=[plan.pk]),
        {"t-school": school.code, "t-year": "2027", "t-target": "upgrade"},
    )
    assert response.status_code == 302
    assert plan.school_targets.get().target == "upgrade"


def test_a_refused_plan_form_keeps_what_was_typed(client, commune_officer):
    data = {
        "unit": "W03549",
        "kind": "ke_hoach",
        "issuing_body": "UBND xã Phong Thổ",
        "title": "Kế hoạch giữ chữ đã gõ",
        "start_year": "2030",
        "end_year": "2026",
        "status": "dang_thuc_hien",
    }
    response = login(client, commune_officer).post(reverse("programme:plan_create"), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Kế hoạch giữ chữ đã gõ" in body
    assert "trước năm bắt đầu" in body


def test_commune_officer_cannot_issue_a_plan_for_another_commune(client, commune_officer):
    data = {
        "unit": "W03571",
        "kind": "ke_hoach",
        "issuing_body": "x",
        "title": "x",
        "start_year": "2026",
        "end_year": "2026",
        "status": "dang_thuc_hien",
    }
    response = login(client, commune_officer).post(reverse("programme:plan_create"), data)
    assert response.status_code == 400  # not a choice of the form
    assert not ProgrammePlan.objects.exists()


def test_principal_cannot_edit_a_plan(client, principal, district_plan, school):
    SchoolLocation.objects.create(school=school, unit=district_plan.unit)
    c = login(client, principal)
    # The plan is in the principal's scope (it sets their school's targets): 403, not 404.
    assert c.get(reverse("programme:plan_edit", args=[district_plan.pk])).status_code == 403
    assert Role.PRINCIPAL  # principals submit monthly reports instead


def test_superuser_sees_every_plan(client, superuser, district_plan, outside_plan):
    response = login(client, superuser).get(reverse("programme:plans"))
    body = response.content.decode()
    assert "Đề án xây dựng trường chuẩn" in body and "Kế hoạch của tỉnh khác" in body
    assert (
        login(client, superuser).get(reverse("programme:plan", args=[outside_plan.pk])).status_code
        == 200
    )


def test_form_pages_open(client, commune_officer, district_plan):
    c = login(client, commune_officer)
    assert c.get(reverse("programme:plan_create")).status_code == 200
    assert c.get(reverse("programme:plan_edit", args=[district_plan.pk])).status_code == 200
