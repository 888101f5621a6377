"""Plans in the open API are named by their stable public code, never by the database id
(issue 15 §1): the path, the list (code and link), the monthly reports and their filter."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from programme.models import MonthlyReport, PlanSchoolTarget, ProgrammePlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(commune, school):
    plan = ProgrammePlan.objects.create(
        unit=commune,
        kind="ke_hoach",
        number="12/KH-UBND",
        issuing_body="UBND xã Phong Thổ",
        title="Kế hoạch xây dựng trường đạt chuẩn",
        start_year=2025,
        end_year=2026,
        monthly_reports=True,
    )
    PlanSchoolTarget.objects.create(plan=plan, school=school, year=2025, target="new_1")
    return plan


def test_every_plan_gets_its_own_public_code(commune):
    made = [
        ProgrammePlan.objects.create(
            unit=commune,
            kind="de_an",
            issuing_body="UBND",
            title="Đề án",
            start_year=2025,
            end_year=2026,
        )
        for _ in range(2)
    ]
    codes = {p.public_id for p in made}
    assert len(codes) == 2 and all(isinstance(c, uuid.UUID) for c in codes)
    made[0].title = "Đề án (sửa)"
    made[0].save()
    made[0].refresh_from_db()
    assert made[0].public_id in codes  # an edit keeps the code


def test_the_plan_list_gives_the_code_and_a_link_not_the_database_id(
    token_client, commune_officer, plan
):
    data = token_client(commune_officer).get(reverse("api:v1_plans")).json()
    row = data["results"][0]
    assert row["code"] == str(plan.public_id)
    assert row["url"].endswith(f"/api/v1/plans/{plan.public_id}/")
    assert row["document_number"] == "12/KH-UBND"
    assert "number" not in row and "id" not in row and "pk" not in row


def test_a_plan_is_read_by_its_code(token_client, commune_officer, plan, school):
    client = token_client(commune_officer)
    response = client.get(reverse("api:v1_plan", args=[plan.public_id]))
    assert response.status_code == 200
    data = response.json()
    assert data["code"] == str(plan.public_id)
    assert [t["school"] for t in data["targets"]] == [school.code]
    # The database id is no address.
    assert client.get(f"/api/v1/plans/{plan.pk}/").status_code == 404
    # An unknown code, like one outside the scope, is 404.
    assert client.get(reverse("api:v1_plan", args=[uuid.uuid4()])).status_code == 404


def test_a_plan_outside_the_scope_is_404(token_client, outsider, plan):
    response = token_client(outsider).get(reverse("api:v1_plan", args=[plan.public_id]))
    assert response.status_code == 404


def test_monthly_reports_name_the_plan_by_its_code_and_filter_by_it(
    token_client, commune_officer, plan, school
):
    MonthlyReport.objects.create(
        plan=plan,
        school=school,
        month=dt.date(2025, 10, 1),
        progress="Đã sửa phòng học.",
        submitted_at=timezone.now(),
    )
    client = token_client(commune_officer)
    url = reverse("api:v1_monthly_reports")
    rows = client.get(url).json()["results"]
    assert [r["plan"] for r in rows] == [str(plan.public_id)]
    assert client.get(url, {"plan": str(plan.public_id)}).json()["count"] == 1
    assert client.get(url, {"plan": str(uuid.uuid4())}).json()["count"] == 0


def test_a_monthly_report_filter_with_a_bad_plan_code_is_a_vietnamese_400(
    token_client, commune_officer, plan
):
    response = token_client(commune_officer).get(
        reverse("api:v1_monthly_reports"), {"plan": str(plan.pk)}
    )
    assert response.status_code == 400
    assert response.json() == {"plan": ["Mã kế hoạch không hợp lệ."]}


def test_the_schema_names_plans_by_a_uuid_code(client):
    schema = client.get(reverse("api:v1_schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/plans/{code}/"]["get"]
    (param,) = [p for p in operation["parameters"] if p["in"] == "path"]
    assert param["schema"]["format"] == "uuid" and "kế hoạch" in param["description"]
    plan_fields = schema["components"]["schemas"]["Plan"]["properties"]
    assert plan_fields["code"]["format"] == "uuid" and "number" not in plan_fields
    assert schema["components"]["schemas"]["MonthlyReport"]["properties"]["plan"]["format"] == (
        "uuid"
    )


def test_investments_name_their_plan_by_its_code_and_filter_by_it(
    token_client, commune_officer, plan, school
):
    from decimal import Decimal

    from programme.models import InvestmentProject

    InvestmentProject.objects.create(
        unit=school.unit,
        school=school,
        plan=plan,
        name="Nhà lớp học 5 phòng",
        category="xay_dung_moi",
        total_million=Decimal("5000"),
        year=2025,
    )
    InvestmentProject.objects.create(
        unit=school.unit,
        school=school,
        name="Sửa nhà hiệu bộ",
        category="nang_cap_sua_chua",
        total_million=Decimal("850"),
        year=2025,
    )
    client = token_client(commune_officer)
    url = reverse("api:v1_investments")
    rows = {r["name"]: r["plan"] for r in client.get(url).json()["results"]}
    assert rows == {"Nhà lớp học 5 phòng": str(plan.public_id), "Sửa nhà hiệu bộ": None}
    only = client.get(url, {"plan": str(plan.public_id), "year": "2025"}).json()["results"]
    assert [r["name"] for r in only] == ["Nhà lớp học 5 phòng"]


@pytest.mark.parametrize(
    ("name", "params", "field"),
    [
        ("api:v1_investments", {"year": "²"}, "year"),
        ("api:v1_investments", {"year": "9" * 30}, "year"),
        ("api:v1_investments", {"plan": "9" * 30}, "plan"),
        ("api:v1_recognitions", {"level": "²"}, "level"),
        ("api:v1_recognitions", {"level": "9" * 30}, "level"),
        ("api:v1_assessments", {"level": "-1"}, "level"),
        ("api:v1_monthly_reports", {"month_from": "2025-13-01"}, "month_from"),
    ],
)
def test_an_odd_filter_is_a_vietnamese_400_never_a_500(
    token_client, commune_officer, school, name, params, field
):
    response = token_client(commune_officer).get(reverse(name), params)
    assert response.status_code == 400
    (message,) = response.json()[field]
    assert message.startswith(("Phải là số nguyên từ", "Mã kế hoạch", "Ngày không hợp lệ"))
