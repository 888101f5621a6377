"""Investment projects: Decimal totals equal the sum of rows, groups I/II like seed 000, create
and edit forms (a refused form keeps its input), scope and 404 for outsiders."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from programme import selectors
from programme.forms import parse_million
from programme.models import InvestmentProject

from .test_plans_views import login


@pytest.fixture
def projects(school, sibling_school, outside_school):
    def make(school, name, category, amount):
        return InvestmentProject.objects.create(
            unit=school.unit,
            school=school,
            name=name,
            category=category,
            total_million=Decimal(amount),
            year=2021,
        )

    return [
        make(school, "Nâng cấp nhà hiệu bộ", "nang_cap_sua_chua", "850"),
        make(sibling_school, "Nâng cấp 7 phòng hiệu bộ", "nang_cap_sua_chua", "5900"),
        make(school, "Nhà lớp học 5 phòng", "xay_dung_moi", "5000"),
        make(outside_school, "Dự án tỉnh khác", "xay_dung_moi", "777"),
    ]


def test_province_totals_group_like_seed_000(client, province_officer, projects):
    totals = selectors.investment_summary(user=province_officer)
    assert [(g.numeral, g.subtotal) for g in totals.groups] == [
        ("I", Decimal("6750")),
        ("II", Decimal("5000")),
    ]
    assert totals.construction_total == Decimal("11750")
    rows = list(selectors.investment_list(user=province_officer))
    assert totals.grand_total == sum((p.total_million for p in rows), Decimal(0))
    body = login(client, province_officer).get(reverse("programme:investments")).content.decode()
    assert "11.750" in body and "6.750" in body and "Dự án tỉnh khác" not in body


def test_commune_officer_sees_only_their_schools_projects(client, commune_officer, projects):
    totals = selectors.investment_summary(user=commune_officer)
    assert totals.grand_total == Decimal("5850")
    body = login(client, commune_officer).get(reverse("programme:investments")).content.decode()
    assert "Nâng cấp 7 phòng hiệu bộ" not in body


@pytest.mark.parametrize(
    "params",
    [{"year": "²"}, {"year": "9" * 30}, {"plan": "²"}, {"plan": "9" * 30}, {"year": "2021"}],
)
def test_odd_filters_are_no_filter_never_a_500(client, commune_officer, projects, params):
    response = login(client, commune_officer).get(reverse("programme:investments"), params)
    assert response.status_code == 200
    assert "Nâng cấp nhà hiệu bộ" in response.content.decode()


def test_outsider_gets_404_on_someone_elses_project(client, outsider, projects):
    c = login(client, outsider)
    assert c.get(reverse("programme:investment_edit", args=[projects[0].pk])).status_code == 404
    response = c.post(reverse("programme:investment_edit", args=[projects[0].pk]), {})
    assert response.status_code == 404


def test_user_without_scope_gets_404(client, make_user):
    c = login(client, make_user())
    assert c.get(reverse("programme:investments")).status_code == 404
    assert c.get(reverse("programme:investment_create")).status_code == 404


def form_data(school, **extra):
    data = {
        "school": school.code,
        "name": "Cải tạo nhà vệ sinh",
        "category": "nang_cap_sua_chua",
        "scale": "02 khu vệ sinh",
        "total_million": "1.234,5",
        "funding_source": "mtqg_ntm",
        "year": "2026",
        "status": "ke_hoach",
        "progress_percent": "0",
        "criteria_codes": "3.1; 3.3",
    }
    data.update(extra)
    return data


def test_principal_records_a_project_with_vietnamese_number(client, principal, school):
    response = login(client, principal).post(
        reverse("programme:investment_create"), form_data(school)
    )
    assert response.status_code == 302
    project = InvestmentProject.objects.get()
    assert project.total_million == Decimal("1234.5")
    assert project.criteria_codes == "3.1, 3.3"
    assert project.unit == school.unit


def test_a_refused_form_keeps_its_input(client, principal, school):
    data = form_data(school, total_million="mười triệu", name="Dự án giữ chữ")
    response = login(client, principal).post(reverse("programme:investment_create"), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Dự án giữ chữ" in body and "mười triệu" in body
    assert "Số tiền không hợp lệ" in body
    assert not InvestmentProject.objects.exists()


def test_other_source_needs_a_note(client, principal, school):
    data = form_data(school, funding_source="khac")
    response = login(client, principal).post(reverse("programme:investment_create"), data)
    assert response.status_code == 400
    assert "ghi rõ nguồn vốn" in response.content.decode()


def test_edit_refuses_a_stale_version(client, commune_officer, projects, school):
    project = projects[0]
    url = reverse("programme:investment_edit", args=[project.pk])
    c = login(client, commune_officer)
    assert c.get(url).status_code == 200
    ok = c.post(url, form_data(school, version=str(project.version), total_million="900"))
    assert ok.status_code == 302
    project.refresh_from_db()
    assert project.total_million == Decimal("900") and project.version == 2
    stale = c.post(url, form_data(school, version="1", total_million="1"))
    assert stale.status_code == 409  # a conflict answers 409 on every edit form
    assert "người khác sửa" in stale.content.decode()


@pytest.mark.parametrize(
    "text,value",
    [("14.765", "14765"), ("5.900", "5900"), ("12,5", "12.5"), ("1.234,567", "1234.567")],
)
def test_money_is_read_the_vietnamese_way(text, value):
    assert parse_million(text) == Decimal(value)
