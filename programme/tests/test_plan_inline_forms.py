"""The plan page's inline forms (activity carried out, school target, unit target) keep what
the user typed when refused: the page is shown again (400) with the typed values and the
Vietnamese error beside its field, instead of a redirect that loses them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from programme.models import PlanActivity, PlanSchoolTarget, PlanUnitTarget

from . import test_plans_scope_and_targets as scoped

commune_plan, login, this_year = scoped.commune_plan, scoped.login, scoped.this_year
pytestmark = pytest.mark.django_db


def test_a_refused_activity_keeps_the_typed_values_and_says_why(
    client, commune_officer, commune_plan, this_year
):
    response = login(client, commune_officer).post(
        reverse("programme:plan_activity_add", args=[commune_plan.pk]),
        {
            "a-done_on": f"{this_year}-05-20",
            "a-description": "Kiểm tra kỹ thuật 04/04 trường dự kiến",
            "a-done_count": "5",
            "a-planned_count": "4",
            "a-measure": "trường",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="Kiểm tra kỹ thuật 04/04 trường dự kiến"' in body
    assert 'name="a-done_count" value="5"' in body or 'value="5"' in body
    assert "Số đã thực hiện lớn hơn số theo kế hoạch." in body
    assert 'id="id_a-done_count-error"' in body and 'aria-invalid="true"' in body
    assert '<details class="mb-3" open>' in body
    assert not PlanActivity.objects.exists()


def test_an_activity_missing_its_content_is_refused_in_vietnamese(
    client, commune_officer, commune_plan, this_year
):
    response = login(client, commune_officer).post(
        reverse("programme:plan_activity_add", args=[commune_plan.pk]),
        {"a-done_on": "không phải ngày", "a-description": "", "a-measure": "trường"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="không phải ngày"' in body
    assert "Trường này là bắt buộc." in body or "bắt buộc" in body


def test_a_refused_school_target_keeps_the_choice_and_the_note(
    client, commune_officer, commune_plan, school, this_year
):
    c = login(client, commune_officer)
    url = reverse("programme:plan_target_add", args=[commune_plan.pk])
    typed = {
        "t-school": school.code,
        "t-year": str(this_year),
        "t-target": "new_1",
        "t-note": "Ưu tiên năm nay",
    }
    assert c.post(url, typed).status_code == 302
    response = c.post(url, typed)  # the same target twice: refused by the unique constraint
    assert response.status_code == 400
    body = response.content.decode()
    assert "đã có chỉ tiêu này" in body
    assert 'value="Ưu tiên năm nay"' in body
    assert f'<option value="{school.code}" selected>' in body
    assert PlanSchoolTarget.objects.count() == 1


def test_a_refused_unit_target_keeps_the_typed_values(
    client, commune_officer, commune_plan, this_year
):
    response = login(client, commune_officer).post(
        reverse("programme:plan_unit_target_add", args=[commune_plan.pk]),
        {
            "u-label": "Tỷ lệ trường đạt chuẩn",
            "u-value": "90",
            "u-value_max": "80",
            "u-measure": "%",
            "u-comparator": "",
            "u-metric": "",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="Tỷ lệ trường đạt chuẩn"' in body
    assert "Giá trị tối đa nhỏ hơn giá trị tối thiểu." in body
    assert not PlanUnitTarget.objects.exists()
