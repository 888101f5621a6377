"""Plans seen from next door and from outside (404, nothing written), investment projects for a
school outside the scope, per-source investment totals on the page, and unit-level numeric
targets added through the page with their actual value from the register."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from programme import services
from programme.models import (
    InvestmentProject,
    MonthlyReport,
    PlanSchoolTarget,
    PlanUnitTarget,
    ProgrammePlan,
)
from recognition import rules
from recognition.models import RecognitionDecision

from . import test_plans_views as base

district, district_plan, this_year, login = (
    base.district,
    base.district_plan,
    base.this_year,
    base.login,
)


@pytest.fixture
def sibling_plan(sibling_commune, sibling_school, this_year) -> ProgrammePlan:
    """Xã Dào San's own plan: a commune officer of Xã Phong Thổ must not even know it exists."""
    plan = ProgrammePlan.objects.create(
        unit=sibling_commune,
        kind="ke_hoach",
        issuing_body="UBND xã Dào San",
        title="Kế hoạch của xã bên cạnh",
        start_year=this_year - 1,
        end_year=this_year,
        monthly_reports=True,
    )
    PlanSchoolTarget.objects.create(
        plan=plan, school=sibling_school, year=this_year, target="maintain"
    )
    return plan


@pytest.fixture
def commune_plan(commune, school, this_year) -> ProgrammePlan:
    return ProgrammePlan.objects.create(
        unit=commune,
        kind="ke_hoach",
        issuing_body="UBND xã Phong Thổ",
        title="Kế hoạch xây dựng trường chuẩn của xã",
        start_year=this_year - 2,
        end_year=this_year,
    )


# ---------------------------------------------------------------------------------------------
# A sibling commune's plan


def test_sibling_communes_plan_is_not_listed(client, commune_officer, sibling_plan):
    body = login(client, commune_officer).get(reverse("programme:plans")).content.decode()
    assert "Kế hoạch của xã bên cạnh" not in body


@pytest.mark.parametrize("name", ["plan", "plan_edit", "monthly"])
def test_sibling_communes_plan_pages_are_404(client, commune_officer, sibling_plan, name):
    response = login(client, commune_officer).get(
        reverse(f"programme:{name}", args=[sibling_plan.pk])
    )
    assert response.status_code == 404


def test_sibling_communes_monthly_report_page_is_404(
    client, commune_officer, sibling_plan, sibling_school, this_year
):
    url = reverse(
        "programme:monthly_submit", args=[sibling_plan.pk, sibling_school.code, f"{this_year}-01"]
    )
    c = login(client, commune_officer)
    assert c.get(url).status_code == 404
    assert c.post(url, {"progress": "Không được ghi"}).status_code == 404
    assert not MonthlyReport.objects.exists()


def test_posting_targets_to_a_sibling_communes_plan_is_404_and_writes_nothing(
    client, commune_officer, sibling_plan, school
):
    c = login(client, commune_officer)
    response = c.post(
        reverse("programme:plan_target_add", args=[sibling_plan.pk]),
        {"t-school": school.code, "t-target": "new_1"},
    )
    assert response.status_code == 404
    response = c.post(
        reverse("programme:plan_unit_target_add", args=[sibling_plan.pk]),
        {"u-label": "Tỷ lệ", "u-value": "50", "u-measure": "%"},
    )
    assert response.status_code == 404
    assert sibling_plan.school_targets.count() == 1
    assert not PlanUnitTarget.objects.exists()


def test_posting_an_edit_of_a_sibling_communes_plan_is_404(client, commune_officer, sibling_plan):
    response = login(client, commune_officer).post(
        reverse("programme:plan_edit", args=[sibling_plan.pk]),
        {"unit": "W03571", "kind": "ke_hoach", "issuing_body": "x", "title": "Đổi tên",
         "start_year": "2025", "end_year": "2026", "status": "dang_thuc_hien"},
    )  # fmt: skip
    assert response.status_code == 404
    sibling_plan.refresh_from_db()
    assert sibling_plan.title == "Kế hoạch của xã bên cạnh"


# ---------------------------------------------------------------------------------------------
# An outsider (another province) posting


def test_outsider_post_to_plan_edit_is_404_and_changes_nothing(client, outsider, district_plan):
    response = login(client, outsider).post(
        reverse("programme:plan_edit", args=[district_plan.pk]),
        {"unit": "HD109", "kind": "de_an", "issuing_body": "x", "title": "Bị sửa",
         "start_year": "2025", "end_year": "2026", "status": "dang_thuc_hien"},
    )  # fmt: skip
    assert response.status_code == 404
    district_plan.refresh_from_db()
    assert district_plan.title == "Đề án xây dựng trường chuẩn"


def test_outsider_post_to_monthly_submit_is_404_and_writes_nothing(
    client, outsider, district_plan, school
):
    month = f"{district_plan.start_year}-03"
    url = reverse("programme:monthly_submit", args=[district_plan.pk, school.code, month])
    response = login(client, outsider).post(url, {"progress": "Báo cáo giả"})
    assert response.status_code == 404
    assert not MonthlyReport.objects.exists()


# ---------------------------------------------------------------------------------------------
# Investment


def investment_data(school) -> dict[str, str]:
    return {
        "school": school.code,
        "name": "Nhà lớp học 4 phòng",
        "category": "xay_dung_moi",
        "total_million": "3.500",
        "funding_source": "ngan_sach",
        "year": "2026",
        "status": "ke_hoach",
        "progress_percent": "0",
    }


def test_a_project_for_a_school_outside_the_scope_is_refused_and_nothing_written(
    client, commune_officer, sibling_school, outside_school
):
    c = login(client, commune_officer)
    for other in (sibling_school, outside_school):
        response = c.post(reverse("programme:investment_create"), investment_data(other))
        assert response.status_code in (400, 404)
        assert other.name not in response.content.decode()
    assert not InvestmentProject.objects.exists()


def test_the_service_refuses_a_project_for_a_school_outside_the_scope(
    commune_officer, sibling_school
):
    data = {
        "name": "Nhà lớp học",
        "category": "xay_dung_moi",
        "total_million": Decimal("3500"),
        "year": 2026,
    }
    with pytest.raises(services.NotAllowed):
        services.investment_save(user=commune_officer, data=data, school=sibling_school)
    assert not InvestmentProject.objects.exists()


def test_the_investment_page_shows_totals_per_funding_source(
    client, province_officer, school, sibling_school, outside_school
):
    def make(s, amount, source, category="nang_cap_sua_chua"):
        InvestmentProject.objects.create(
            unit=s.unit, school=s, name=f"Dự án {amount}", category=category,
            total_million=Decimal(amount), funding_source=source, year=2021,
        )  # fmt: skip

    make(school, "5900", "ngan_sach")
    make(sibling_school, "850", "ngan_sach")
    make(school, "1234.5", "mtqg_ntm", "xay_dung_moi")
    make(sibling_school, "450", "xa_hoi_hoa")
    make(outside_school, "777", "xa_hoi_hoa")  # another province: not counted
    body = login(client, province_officer).get(reverse("programme:investments")).content.decode()
    assert 'data-source="ngan_sach">6.750<' in body
    assert 'data-source="mtqg_ntm">1.234,5<' in body
    assert 'data-source="xa_hoi_hoa">450<' in body
    assert 'data-source="khac"' not in body
    # The per-source lines add up to the grand total.
    assert 'id="grand-total">8.434,5<' in body


# ---------------------------------------------------------------------------------------------
# Unit-level numeric targets


def test_commune_officer_adds_a_unit_target_through_the_page(
    client, commune_officer, commune_plan, this_year
):
    response = login(client, commune_officer).post(
        reverse("programme:plan_unit_target_add", args=[commune_plan.pk]),
        {
            "u-label": "Tỷ lệ trường đạt chuẩn quốc gia",
            "u-year": str(this_year - 1),
            "u-value": "62,5",
            "u-measure": "%",
            "u-metric": "standard_share",
            "u-note": "Nghị quyết của xã",
        },
    )
    assert response.status_code == 302
    target = commune_plan.unit_targets.get()
    assert target.value == Decimal("62.5") and target.metric == "standard_share"
    assert target.order == 1 and target.year == this_year - 1


def test_a_share_above_100_percent_is_refused(client, commune_officer, commune_plan):
    response = login(client, commune_officer).post(
        reverse("programme:plan_unit_target_add", args=[commune_plan.pk]),
        {"u-label": "Tỷ lệ", "u-value": "120", "u-measure": "%", "u-metric": "standard_share"},
        follow=True,
    )
    assert "không vượt quá 100%" in response.content.decode()
    assert not PlanUnitTarget.objects.exists()


def test_the_plan_page_shows_target_vs_actual(
    client, commune_officer, commune_plan, school, this_year
):
    RecognitionDecision.objects.create(
        school=school, kind=rules.STANDARD_NEW, level=1, number="7/QĐ",
        signed_on=dt.date(this_year - 2, 5, 4), signing_body="UBND tỉnh",
    )  # fmt: skip
    last_year = this_year - 1
    PlanUnitTarget.objects.create(
        plan=commune_plan, label="Tỷ lệ trường đạt chuẩn quốc gia", year=last_year,
        value=Decimal("100"), measure="%", metric="standard_share", order=1,
    )  # fmt: skip
    PlanUnitTarget.objects.create(
        plan=commune_plan, label="Giáo viên đạt chuẩn trình độ", year=last_year,
        value=Decimal("80"), measure="%", order=2,
    )  # fmt: skip
    body = (
        login(client, commune_officer)
        .get(reverse("programme:plan", args=[commune_plan.pk]))
        .content.decode()
    )
    assert 'id="unit-targets"' in body
    assert f"100,00% (1/1 trường, ngày 31/12/{last_year})" in body
    assert "chưa có số liệu" in body
    assert 'data-state="achieved"' in body and 'data-state="not_measured"' in body


def test_a_derived_target_for_the_current_year_is_measured_today(
    commune_officer, commune_plan, school, this_year
):
    from programme import selectors

    PlanUnitTarget.objects.create(
        plan=commune_plan, label="Số trường đạt chuẩn", year=this_year, value=Decimal("1"),
        measure="trường", metric="standard_count",
    )  # fmt: skip
    today = dt.date(this_year, 6, 1)  # the year is not over: measured on that day, not final
    [row] = selectors.unit_target_report(user=commune_officer, plan=commune_plan, today=today)
    assert row.on == today and row.actual == Decimal(0) and row.state == "in_progress"
