"""The home page's to-do (issue 14 §2): per role, scoped, with counts and links."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from accounts.models import Membership, Role
from assessments import services as assessment_services
from dashboard import todo
from frameworks.models import Framework
from frameworks.services import framework_load_dir
from improvement.models import ImprovementAction
from recognition.models import RecognitionDecision

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 7)


@pytest.fixture
def assessment(principal, school):
    framework_load_dir()
    return assessment_services.assessment_start(
        user=principal, school=school, school_year="2024-2025", on_date=dt.date(2024, 10, 1)
    ).assessment


def _by_key(items):
    return {t.key: t for t in items}


def test_the_officer_sees_reports_waiting_and_recognitions_ending(
    assessment, principal, school, commune_officer, outsider, outside_school
):
    assessment_services.assessment_submit(user=principal, assessment=assessment)
    RecognitionDecision.objects.create(
        school=school,
        kind="standard_new",
        signed_on=dt.date(2022, 9, 1),
        level=1,
        number="1/QĐ",
        signing_body="UBND tỉnh",
    )
    mine = todo.home_todo(user=commune_officer, today=TODAY)
    items = _by_key(mine.manager)
    assert items["waiting"].count == 1
    assert items["waiting"].rows[0].url == reverse("assessments:detail", args=[assessment.pk])
    expiring = items["expiring"]
    assert expiring.count == 1
    assert "hạn đăng ký lại 01/04/2027" in expiring.rows[0].detail
    assert f"còn {(dt.date(2027, 4, 1) - TODAY).days} ngày" in expiring.rows[0].detail
    assert mine.chart["levels"]["labels"]
    # Someone else's province: nothing of Lai Châu.
    theirs = _by_key(todo.home_todo(user=outsider, today=TODAY).manager)
    assert theirs["waiting"].count == 0 and theirs["expiring"].count == 0


def test_the_principal_sees_the_open_cycles_work(assessment, principal, school):
    (st,) = todo.home_todo(user=principal, today=TODAY).schools
    items = _by_key(st.items)
    assert items["not_judged"].count == assessment.sheets.count()
    assert items["checks"].count >= 1  # the criteria not judged block the submission
    assert items["returned"].count == 0
    assert todo.home_todo(user=principal, today=TODAY).manager is None


def test_a_returned_report_shows_its_reason(assessment, principal, commune_officer):
    assessment_services.assessment_submit(user=principal, assessment=assessment)
    assessment_services.assessment_return(
        user=commune_officer, assessment=assessment, reason="Thiếu số liệu Phần I"
    )
    (st,) = todo.home_todo(user=principal, today=TODAY).schools
    returned = _by_key(st.items)["returned"]
    assert returned.count == 1 and "Thiếu số liệu Phần I" in returned.rows[0].detail


def test_a_council_member_sees_the_criteria_assigned_to_them(assessment, school, make_user):
    member = make_user("staff", school=school, username="gv_1")
    sheet = assessment.sheets.select_related("criterion").order_by("pk").first()
    sheet.assigned_to = member
    sheet.save(update_fields=["assigned_to"])
    (st,) = todo.home_todo(user=member, today=TODAY).schools
    assigned = _by_key(st.items)["assigned"]
    assert assigned.count == 1 and assigned.rows[0].text == f"Tiêu chí {sheet.criterion.code}"


def test_a_higher_app_adds_its_items_through_register(commune_officer, monkeypatch):
    monkeypatch.setitem(todo.PROVIDERS, todo.MANAGER, [])
    todo.register(
        todo.MANAGER, lambda user, today: [todo.Todo("registration", "Hồ sơ đăng ký cần xem", 2)]
    )
    items = todo.home_todo(user=commune_officer, today=TODAY).manager
    assert [t.key for t in items][:2] == ["waiting", "registration"]


def test_the_home_page_shows_the_todo_and_the_chart_data(client, commune_officer):
    client.force_login(commune_officer)
    page = client.get("/").content.decode()
    assert "Việc cần làm hôm nay" in page and 'id="home-chart-data"' in page
    assert "js/home.js" in page


def test_a_principal_of_two_schools_sees_each_school_s_overdue_actions_once(
    principal, school, sibling_school
):
    framework_load_dir()
    Membership.objects.create(user=principal, role=Role.PRINCIPAL, school=sibling_school)
    for where, title in ((school, "Sửa nhà vệ sinh"), (sibling_school, "Mua bàn ghế")):
        ImprovementAction.objects.create(
            school=where,
            framework=Framework.objects.get(code="TT17-2018"),
            year=2026,
            indicators=["1.1-M2"],
            title=title,
            responsible="Hiệu trưởng",
            start=dt.date(2026, 9, 1),
            due=dt.date(2026, 10, 1),
        )
    cards = todo.home_todo(user=principal, today=TODAY).schools
    assert {st.school for st in cards} == {school, sibling_school}
    for st in cards:
        (item,) = [t for t in st.items if t.key == "improvement-overdue"]
        assert item.count == 1 and st.school.name in item.label
        (row,) = item.rows
        expected = "Sửa nhà vệ sinh" if st.school == school else "Mua bàn ghế"
        assert row.text == expected
        assert item.url == reverse("improvement:school", args=[st.school.code])
