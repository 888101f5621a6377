"""The council page: assigning a criterion to a person, the self-assessment plan's milestones,
the secretariat group; each with its outsider test."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from assessments import selectors, services
from assessments.models import ChangeLog, GroupKind, MilestoneStatus, PlanMilestone
from frameworks.models import Criterion

from .conftest import sheet_of

pytestmark = pytest.mark.django_db


def council_url(assessment):
    return reverse("assessments:council", args=[assessment.pk])


# ---- a criterion given to a person ----------------------------------------------------------


def test_the_principal_assigns_a_criterion_to_a_person_from_the_council_page(
    client, assessment, principal, staff
):
    client.force_login(principal)
    page = client.get(council_url(assessment)).content.decode()
    sheet = sheet_of(assessment, "2.2")
    assert 'name="op" value="assign_person"' in page
    assert f'<option value="{staff.pk}">gv_huoiluong</option>' in page
    response = client.post(
        council_url(assessment),
        {"op": "assign_person", "sheet": sheet.pk, "user": staff.pk, "version": 1},
    )
    assert response.status_code == 302
    assert sheet_of(assessment, "2.2").assigned_to == staff
    page = client.get(council_url(assessment)).content.decode()
    assert "Đã phân công tiêu chí 2.2 cho gv_huoiluong." in page
    assert f'<option value="{staff.pk}" selected>gv_huoiluong</option>' in page
    # The person may now write that sheet.
    services.sheet_save(
        user=staff, sheet=sheet_of(assessment, "2.2"), version=1, data={"strengths": "GV giỏi"}
    )
    # And the assignment is taken back with the empty choice.
    client.post(
        council_url(assessment),
        {"op": "assign_person", "sheet": sheet.pk, "user": "", "version": 2},
    )
    assert sheet_of(assessment, "2.2").assigned_to is None


def test_assigning_to_a_user_outside_the_school_staff_says_why(
    client, assessment, principal, make_user, sibling_school
):
    stranger = make_user("staff", school=sibling_school, username="gv_daosan")
    client.force_login(principal)
    sheet = sheet_of(assessment, "2.2")
    response = client.post(
        council_url(assessment),
        {"op": "assign_person", "sheet": sheet.pk, "user": stranger.pk},
        follow=True,
    )
    assert "Chỉ phân công tiêu chí cho hiệu trưởng hoặc cán bộ" in response.content.decode()
    assert sheet_of(assessment, "2.2").assigned_to is None


def test_assign_person_rejects_outsider(client, assessment, outsider, staff):
    client.force_login(outsider)
    sheet = sheet_of(assessment, "2.2")
    response = client.post(
        council_url(assessment), {"op": "assign_person", "sheet": sheet.pk, "user": staff.pk}
    )
    assert response.status_code == 404
    assert sheet_of(assessment, "2.2").assigned_to is None


def test_a_sheet_of_another_cycle_cannot_be_assigned_through_this_page(
    client, assessment, principal, staff, school
):
    other = services.assessment_start(
        user=principal, school=school, school_year="2025-2026", on_date=dt.date(2025, 10, 1)
    ).assessment
    client.force_login(principal)
    foreign = sheet_of(other, "1.1")
    response = client.post(
        council_url(assessment), {"op": "assign_person", "sheet": foreign.pk, "user": staff.pk}
    )
    assert response.status_code == 404
    assert sheet_of(other, "1.1").assigned_to is None


# ---- the plan's milestones --------------------------------------------------------------------


def test_milestone_add_and_status_change_are_logged(assessment, principal):
    milestone = services.milestone_add(
        user=principal,
        assessment=assessment,
        activity="Thu thập minh chứng",
        due=dt.date(2024, 11, 30),
        status=MilestoneStatus.TODO,
    )
    assert (milestone.activity, milestone.status) == ("Thu thập minh chứng", "todo")
    services.milestone_set_status(user=principal, milestone=milestone, status=MilestoneStatus.DONE)
    services.milestone_set_status(user=principal, milestone=milestone, status=MilestoneStatus.DONE)
    milestone.refresh_from_db()
    assert milestone.status == "done"
    logs = list(
        ChangeLog.objects.filter(assessment=assessment, field__startswith="plan")
        .order_by("pk")
        .values_list("field", "old", "new")
    )
    assert logs == [
        ("plan", "", "Thu thập minh chứng (2024-11-30)"),
        ("plan:Thu thập minh chứng", "Chưa thực hiện", "Đã xong"),
    ]


def test_milestone_text_is_stored_in_nfc(assessment, principal):
    milestone = services.milestone_add(
        user=principal,
        assessment=assessment,
        activity="Vie\u0302\u0301t ba\u0301o ca\u0301o",  # combining marks
        due=None,
        status=MilestoneStatus.TODO,
    )
    assert milestone.activity == "Viết báo cáo"


def test_milestones_are_added_and_updated_from_the_council_page(client, assessment, principal):
    client.force_login(principal)
    response = client.post(
        council_url(assessment),
        {
            "op": "milestone",
            "p-activity": "Họp hội đồng lần 1",
            "p-due": "2024-10-15",
            "p-status": "doing",
        },
    )
    assert response.status_code == 302
    milestone = PlanMilestone.objects.get(assessment=assessment)
    assert (milestone.due, milestone.status) == (dt.date(2024, 10, 15), "doing")
    response = client.post(
        council_url(assessment),
        {"op": "milestone_status", "milestone": milestone.pk, "status": "done", "version": 1},
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == "done"
    page = client.get(council_url(assessment)).content.decode()
    assert "Họp hội đồng lần 1" in page and "15/10/2024" in page
    assert '<option value="done" selected>Đã xong</option>' in page


def test_a_milestone_without_activity_is_refused_in_vietnamese(client, assessment, principal):
    client.force_login(principal)
    response = client.post(
        council_url(assessment), {"op": "milestone", "p-activity": "", "p-status": "todo"}
    )
    assert response.status_code == 200
    assert not PlanMilestone.objects.exists()
    assert "Trường này là bắt buộc." in response.content.decode()


def test_milestones_reject_outsider(client, assessment, principal, outsider):
    milestone = services.milestone_add(
        user=principal, assessment=assessment, activity="Họp", due=None, status="todo"
    )
    client.force_login(outsider)
    add = client.post(
        council_url(assessment), {"op": "milestone", "p-activity": "Lạ", "p-status": "todo"}
    )
    change = client.post(
        council_url(assessment),
        {"op": "milestone_status", "milestone": milestone.pk, "status": "done"},
    )
    assert (add.status_code, change.status_code) == (404, 404)
    milestone.refresh_from_db()
    assert milestone.status == "todo"
    assert PlanMilestone.objects.count() == 1


def test_malformed_posts_are_refused_without_a_server_error(client, assessment, principal):
    milestone = services.milestone_add(
        user=principal, assessment=assessment, activity="Họp", due=None, status="todo"
    )
    client.force_login(principal)
    url = council_url(assessment)
    for data in (
        {"op": "assign_person", "sheet": "abc", "user": "1"},
        {"op": "assign_person", "sheet": sheet_of(assessment, "1.1").pk, "user": "x"},
        {"op": "remove", "member": "x"},
        {"op": "milestone_status", "milestone": "1; drop", "status": "done"},
    ):
        assert client.post(url, data).status_code == 404, data
    response = client.post(
        url, {"op": "milestone_status", "milestone": milestone.pk, "status": "xong"}, follow=True
    )
    assert "Tình trạng “xong” không hợp lệ." in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.status == "todo"


def test_a_milestone_of_a_locked_assessment_stays(client, assessment, principal):
    milestone = services.milestone_add(
        user=principal, assessment=assessment, activity="Họp", due=None, status="todo"
    )
    services.assessment_submit(user=principal, assessment=assessment)
    with pytest.raises(services.Locked):
        services.milestone_set_status(user=principal, milestone=milestone, status="done")


# ---- the secretariat --------------------------------------------------------------------------


def test_a_secretariat_group_is_created_from_the_council_page(client, assessment, principal):
    client.force_login(principal)
    response = client.post(
        council_url(assessment),
        {"op": "group", "g-name": "Nhóm thư ký", "g-kind": "secretariat"},
    )
    assert response.status_code == 302
    group = assessment.groups.get()
    assert (group.name, group.kind) == ("Nhóm thư ký", GroupKind.SECRETARIAT)
    assert not group.criteria.exists()
    page = client.get(council_url(assessment)).content.decode()
    assert '<span class="badge text-bg-light">Nhóm thư ký</span>' in page
    assert ChangeLog.objects.filter(assessment=assessment, field="group", new="Nhóm thư ký: ")
    snapshot_groups = selectors.snapshot_content(assessment)["groups"]
    assert snapshot_groups == [{"name": "Nhóm thư ký", "kind": "secretariat", "criteria": []}]


def test_group_creation_rejects_outsider(client, assessment, outsider):
    client.force_login(outsider)
    response = client.post(
        council_url(assessment), {"op": "group", "g-name": "Lạ", "g-kind": "secretariat"}
    )
    assert response.status_code == 404
    assert not assessment.groups.exists()


# ---- two people on the council page at once (issue 18, point 4) ------------------------------


def test_a_stale_milestone_status_is_refused_showing_the_saved_one_and_keeping_the_choice(
    client, assessment, principal
):
    milestone = services.milestone_add(
        user=principal, assessment=assessment, activity="Họp hội đồng", due=None, status="todo"
    )
    services.milestone_set_status(user=principal, milestone=milestone, status="doing", version=1)
    client.force_login(principal)
    response = client.post(
        council_url(assessment),
        {"op": "milestone_status", "milestone": milestone.pk, "status": "done", "version": 1},
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "đã được người khác sửa" in body
    milestone.refresh_from_db()
    assert (milestone.status, milestone.version) == ("doing", 2)  # nothing overwritten
    assert "Tình trạng của “Họp hội đồng”" in body
    assert "Đang thực hiện" in body  # the other person's status is shown
    # The choice is kept in its row, with the version read now: saving again is deliberate.
    assert '<option value="done" selected>Đã xong</option>' in body
    assert (
        f'name="milestone" value="{milestone.pk}"><input type="hidden" name="version" value="2"'
        in body
    )


def test_a_stale_group_assignment_is_refused_and_nothing_is_logged(client, assessment, principal):
    criteria = {c.code: c for c in Criterion.objects.filter(framework=assessment.framework)}
    group = services.working_group_create(
        user=principal, assessment=assessment, name="Nhóm 1", kind="working", criteria=[]
    )
    services.working_group_assign(
        user=principal, group=group, criteria=[criteria["1.1"]], version=group.version
    )
    logged = ChangeLog.objects.count()
    client.force_login(principal)
    response = client.post(
        council_url(assessment),
        {"op": "assign", "group": group.pk, "criteria": [criteria["1.2"].pk], "version": 1},
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert list(group.criteria.values_list("code", flat=True)) == ["1.1"]
    assert ChangeLog.objects.count() == logged
    assert "Tiêu chí của Nhóm 1" in body and "1.2" in body
    assert f'value="{criteria["1.2"].pk}" id="g{group.pk}c{criteria["1.2"].pk}" checked' in body
    assert f'id="g{group.pk}c{criteria["1.1"].pk}" checked' not in body


def test_a_stale_person_assignment_names_both_people(
    client, assessment, principal, staff, other_staff
):
    sheet = sheet_of(assessment, "2.2")
    services.sheet_assign(user=principal, sheet=sheet, assignee=staff, version=1)
    client.force_login(principal)
    response = client.post(
        council_url(assessment),
        {"op": "assign_person", "sheet": sheet.pk, "user": other_staff.pk, "version": 1},
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert sheet_of(assessment, "2.2").assigned_to == staff
    assert "Người phụ trách tiêu chí 2.2" in body
    assert "gv_huoiluong" in body and "gv2_huoiluong" in body
    assert f'<option value="{other_staff.pk}" selected>gv2_huoiluong</option>' in body


def test_choosing_what_is_already_saved_is_no_conflict(client, assessment, principal, staff):
    sheet = sheet_of(assessment, "2.2")
    services.sheet_assign(user=principal, sheet=sheet, assignee=staff, version=1)
    client.force_login(principal)
    response = client.post(
        council_url(assessment),
        {"op": "assign_person", "sheet": sheet.pk, "user": staff.pk, "version": 1},
    )
    assert response.status_code == 302


def test_assigning_a_person_leaves_the_texts_lock_of_the_sheet_alone(assessment, principal, staff):
    sheet = sheet_of(assessment, "1.1")
    services.sheet_assign(user=principal, sheet=sheet, assignee=staff, version=1)
    sheet = sheet_of(assessment, "1.1")
    assert (sheet.version, sheet.assignment_version) == (1, 2)


def test_council_edits_are_in_the_audit_history(client, assessment, principal, staff):
    first = Criterion.objects.get(framework=assessment.framework, code="1.1")
    group = services.working_group_create(
        user=principal, assessment=assessment, name="Nhóm 1", kind="working", criteria=[]
    )
    milestone = services.milestone_add(
        user=principal, assessment=assessment, activity="Họp", due=None, status="todo"
    )
    sheet = sheet_of(assessment, "1.1")
    counts = (group.history.count(), milestone.history.count(), sheet.history.count())
    client.force_login(principal)
    for data in (
        {"op": "assign", "group": group.pk, "criteria": [first.pk], "version": 1},
        {"op": "milestone_status", "milestone": milestone.pk, "status": "done", "version": 1},
        {"op": "assign_person", "sheet": sheet.pk, "user": staff.pk, "version": 1},
    ):
        assert client.post(council_url(assessment), data).status_code == 302, data
    assert (group.history.count(), milestone.history.count(), sheet.history.count()) == tuple(
        n + 1 for n in counts
    )
    assert [r.history_user for r in (group.history.first(), milestone.history.first())] == [
        principal,
        principal,
    ]
    assert (milestone.history.first().status, milestone.history.first().version) == ("done", 2)
    assert (sheet.history.first().assigned_to, sheet.history.first().history_user) == (
        staff,
        principal,
    )
    assert group.history.first().version == 2
