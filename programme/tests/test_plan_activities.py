"""Activities of a plan carried out and counted ("Kiểm tra kỹ thuật … 04/04 trường", seed 000):
recorded on the plan page by the plan's officers, refused from next door (404) and when the
counts or the day do not fit, audited, and stated by the six-month report of their period."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from programme import services
from programme.models import PlanActivity

from . import test_plans_scope_and_targets as scoped

commune_plan, sibling_plan, login, this_year = (
    scoped.commune_plan,
    scoped.sibling_plan,
    scoped.login,
    scoped.this_year,
)


def post(client, user, plan, **values):
    data = {f"a-{k}": v for k, v in values.items()}
    return login(client, user).post(
        reverse("programme:plan_activity_add", args=[plan.pk]), data, follow=True
    )


def test_commune_officer_records_an_activity_on_the_plan_page(
    client, commune_officer, commune_plan, this_year
):
    response = post(
        client,
        commune_officer,
        commune_plan,
        done_on=f"{this_year}-05-20",
        description="Kiểm tra kỹ thuật các trường dự kiến đạt chuẩn",
        done_count="4",
        planned_count="4",
        measure="trường",
    )
    assert response.status_code == 200
    activity = PlanActivity.objects.get()
    assert (activity.done_count, activity.planned_count) == (4, 4)
    assert activity.history.count() == 1  # audited
    assert "Kiểm tra kỹ thuật các trường dự kiến đạt chuẩn" in response.content.decode()


def test_it_rejects_more_done_than_planned_and_a_day_outside_the_plan(
    client, commune_officer, commune_plan, this_year
):
    response = post(
        client,
        commune_officer,
        commune_plan,
        done_on=f"{this_year}-05-20",
        description="Kiểm tra kỹ thuật",
        done_count="5",
        planned_count="4",
        measure="trường",
    )
    assert "Số đã thực hiện lớn hơn số theo kế hoạch" in response.content.decode()
    response = post(
        client,
        commune_officer,
        commune_plan,
        done_on=f"{this_year + 3}-05-20",
        description="Kiểm tra kỹ thuật",
        measure="trường",
    )
    assert "nằm ngoài giai đoạn" in response.content.decode()
    assert not PlanActivity.objects.exists()


def test_it_rejects_an_outsider(client, commune_officer, sibling_plan, this_year):
    response = login(client, commune_officer).post(
        reverse("programme:plan_activity_add", args=[sibling_plan.pk]),
        {"a-done_on": f"{this_year}-05-20", "a-description": "X", "a-measure": "trường"},
    )
    assert response.status_code == 404
    with pytest.raises(services.NotAllowed):
        services.plan_activity_add(
            user=commune_officer,
            plan=sibling_plan,
            data={"done_on": sibling_plan_day(this_year), "description": "X"},
        )
    assert not PlanActivity.objects.exists()


def sibling_plan_day(year: int) -> dt.date:
    return dt.date(year, 5, 20)
