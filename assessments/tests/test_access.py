"""Who manages a cycle (principal; council chair and secretary with an account) and who edits
what (a staff member: only what is assigned to them) — issue 5 audit, item 2."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import Role
from accounts.permissions import StandardOf, assigned_criterion_ids, has_perm
from assessments import services
from assessments.models import ChangeLog, CouncilRole, PlanMilestone, WorkingGroup
from evidence import services as evidence_services
from evidence.models import Evidence
from frameworks.models import Criterion, Standard

from .conftest import results_of, sheet_of

pytestmark = pytest.mark.django_db


def criterion(assessment, code):
    return Criterion.objects.get(framework=assessment.framework, code=code)


def seat(assessment, principal, user, role, group=None):
    return services.council_member_add(
        user=principal,
        assessment=assessment,
        data={"full_name": f"Ghế {role}", "role": role, "user": user, "group": group},
    )


# ---- a staff member cannot hand out work, least of all to themselves ------------------------


def test_a_staff_member_cannot_give_themselves_a_criterion(assessment, principal, staff):
    group = services.working_group_create(
        user=principal, assessment=assessment, name="Nhóm 1", criteria=[]
    )
    seat(assessment, principal, staff, CouncilRole.MEMBER, group)
    with pytest.raises(services.NotAllowed, match="Chỉ hiệu trưởng, chủ tịch hoặc thư ký"):
        services.working_group_assign(
            user=staff, group=group, criteria=[criterion(assessment, "1.1")]
        )
    with pytest.raises(services.NotAllowed):
        services.sheet_assign(user=staff, sheet=sheet_of(assessment, "1.2"), assignee=staff)
    assert not group.criteria.exists()
    assert sheet_of(assessment, "1.2").assigned_to is None
    assert assigned_criterion_ids(staff, assessment) == set()


def test_a_staff_member_cannot_manage_council_groups_or_plan(assessment, principal, staff):
    with pytest.raises(services.NotAllowed):
        services.council_member_add(
            user=staff, assessment=assessment, data={"full_name": "Tự thêm", "role": "chu_tich"}
        )
    with pytest.raises(services.NotAllowed):
        services.working_group_create(user=staff, assessment=assessment, name="Nhóm riêng")
    with pytest.raises(services.NotAllowed):
        services.milestone_add(
            user=staff, assessment=assessment, activity="Họp", due=None, status="todo"
        )
    assert not assessment.council_members.exists()
    assert not WorkingGroup.objects.exists() and not PlanMilestone.objects.exists()


def test_only_the_principal_opens_a_cycle(loaded, principal, staff, school):
    with pytest.raises(services.NotAllowed, match="Chỉ hiệu trưởng"):
        services.assessment_start(
            user=staff, school=school, school_year="2024-2025", on_date=dt.date(2024, 10, 1)
        )
    services.assessment_start(
        user=principal, school=school, school_year="2024-2025", on_date=dt.date(2024, 10, 1)
    )


# ---- the council's chair and secretary manage; other seats do not -------------------------


@pytest.mark.parametrize("role", [CouncilRole.CHAIR, CouncilRole.SECRETARY])
def test_the_chair_or_secretary_with_an_account_manages_assignments(
    assessment, principal, staff, other_staff, role
):
    seat(assessment, principal, staff, role)
    services.sheet_assign(user=staff, sheet=sheet_of(assessment, "2.1"), assignee=other_staff)
    group = services.working_group_create(
        user=staff, assessment=assessment, name="Nhóm 2", criteria=[criterion(assessment, "2.2")]
    )
    services.milestone_add(
        user=staff, assessment=assessment, activity="Họp hội đồng", due=None, status="todo"
    )
    assert sheet_of(assessment, "2.1").assigned_to == other_staff
    assert list(group.criteria.values_list("code", flat=True)) == ["2.2"]
    # Managers write every sheet.
    services.sheet_save(
        user=staff, sheet=sheet_of(assessment, "5.1"), version=1, data={"strengths": "Rõ"}
    )


def test_a_vice_chair_or_member_seat_gives_no_management(assessment, principal, staff):
    seat(assessment, principal, staff, CouncilRole.VICE_CHAIR)
    with pytest.raises(services.NotAllowed):
        services.sheet_assign(user=staff, sheet=sheet_of(assessment, "2.1"), assignee=staff)


def test_a_chair_seat_needs_a_school_staff_membership(assessment, principal, make_user, school):
    viewer = make_user(Role.VIEWER, school=school, username="xem_huoiluong")
    seat(assessment, principal, viewer, CouncilRole.CHAIR)
    assert not has_perm(viewer, "assessment.manage", assessment)
    with pytest.raises(services.NotAllowed):
        services.milestone_add(
            user=viewer, assessment=assessment, activity="Họp", due=None, status="todo"
        )


def test_removing_the_seat_removes_the_rights(assessment, principal, staff):
    member = seat(assessment, principal, staff, CouncilRole.SECRETARY)
    assert has_perm(staff, "assessment.manage", assessment)
    services.council_member_remove(user=principal, member=member)
    assert not has_perm(staff, "assessment.manage", assessment)


def test_a_seat_in_another_cycle_gives_nothing_in_this_one(assessment, principal, staff, school):
    nxt = services.assessment_start(
        user=principal, school=school, school_year="2025-2026", on_date=dt.date(2025, 10, 1)
    ).assessment
    seat(nxt, principal, staff, CouncilRole.CHAIR)
    assert has_perm(staff, "assessment.manage", nxt)
    assert not has_perm(staff, "assessment.manage", assessment)


# ---- assignments -----------------------------------------------------------------------------


def test_a_criterion_goes_only_to_the_schools_principal_or_staff(
    assessment, principal, make_user, school, sibling_school
):
    viewer = make_user(Role.VIEWER, school=school)
    stranger = make_user(Role.STAFF, school=sibling_school)
    for user in (viewer, stranger):
        with pytest.raises(services.AssessmentError, match="Chỉ phân công tiêu chí cho"):
            services.sheet_assign(user=principal, sheet=sheet_of(assessment, "1.1"), assignee=user)
    assert sheet_of(assessment, "1.1").assigned_to is None


def test_assigning_logs_who_had_the_criterion_and_who_has_it_now(
    assessment, principal, staff, other_staff
):
    sheet = sheet_of(assessment, "1.3")
    services.sheet_assign(user=principal, sheet=sheet, assignee=staff)
    services.sheet_assign(user=principal, sheet=sheet, assignee=other_staff)
    services.sheet_assign(user=principal, sheet=sheet, assignee=other_staff)  # no change
    services.sheet_assign(user=principal, sheet=sheet, assignee=None)
    rows = list(
        ChangeLog.objects.filter(sheet=sheet, field="assigned_to")
        .order_by("pk")
        .values_list("old", "new")
    )
    assert rows == [
        ("", "gv_huoiluong"),
        ("gv_huoiluong", "gv2_huoiluong"),
        ("gv2_huoiluong", ""),
    ]


def test_a_member_edits_a_sheet_assigned_in_person_and_nothing_else(assessment, principal, staff):
    services.sheet_assign(user=principal, sheet=sheet_of(assessment, "3.1"), assignee=staff)
    services.sheet_save(
        user=staff, sheet=sheet_of(assessment, "3.1"), version=1, data={"strengths": "Sân rộng"}
    )
    services.indicator_set(user=staff, result=results_of(assessment, "3.1")["3.1-M1a"], met=True)
    with pytest.raises(services.NotAllowed):
        services.indicator_set(
            user=staff, result=results_of(assessment, "3.2")["3.2-M1a"], met=True
        )
    level4 = assessment.indicator_results.filter(sheet__isnull=True).first()
    with pytest.raises(services.NotAllowed, match="yêu cầu Mức 4"):
        services.indicator_set(user=staff, result=level4, met=True)


# ---- evidence follows the assignment ---------------------------------------------------------


def add(user, assessment, code, name="Biên bản"):
    return evidence_services.evidence_create(
        user=user,
        assessment=assessment,
        data={"first_criterion": criterion(assessment, code), "name": name},
    )


def test_a_member_adds_evidence_only_under_their_criteria(assessment, principal, staff):
    with pytest.raises(PermissionDenied):
        add(staff, assessment, "1.1")  # nothing assigned yet
    services.sheet_assign(user=principal, sheet=sheet_of(assessment, "1.1"), assignee=staff)
    mine = add(staff, assessment, "1.1", "Kế hoạch của tôi")
    assert mine.code == "H1-1.1-01"
    with pytest.raises(PermissionDenied, match="tiêu chí được phân công"):
        add(staff, assessment, "1.2")
    assert Evidence.objects.count() == 1


def test_a_member_changes_and_deletes_only_items_of_their_criteria(assessment, principal, staff):
    services.sheet_assign(user=principal, sheet=sheet_of(assessment, "1.1"), assignee=staff)
    mine = add(staff, assessment, "1.1")
    theirs = add(principal, assessment, "1.2", "Của hiệu trưởng")
    evidence_services.evidence_update(user=staff, evidence=mine, data={"note": "Bản gốc"})
    with pytest.raises(PermissionDenied):
        evidence_services.evidence_update(user=staff, evidence=theirs, data={"name": "Sửa"})
    with pytest.raises(PermissionDenied):
        evidence_services.evidence_delete(user=staff, evidence=theirs)
    evidence_services.evidence_delete(user=staff, evidence=mine)
    theirs.refresh_from_db()
    assert theirs.name == "Của hiệu trưởng"


def test_a_member_cites_any_item_but_only_in_their_own_sheets(assessment, principal, staff):
    services.sheet_assign(user=principal, sheet=sheet_of(assessment, "1.1"), assignee=staff)
    item = add(principal, assessment, "4.1", "Biên bản họp cha mẹ học sinh")
    evidence_services.evidence_cite(user=staff, evidence=item, sheet=sheet_of(assessment, "1.1"))
    with pytest.raises(PermissionDenied):
        evidence_services.evidence_cite(
            user=staff, evidence=item, sheet=sheet_of(assessment, "4.1")
        )
    with pytest.raises(PermissionDenied):
        evidence_services.evidence_uncite(
            user=staff, evidence=item, sheet=sheet_of(assessment, "4.1")
        )


def test_only_managers_import_the_register(client, assessment, principal, staff):
    services.sheet_assign(user=principal, sheet=sheet_of(assessment, "1.1"), assignee=staff)
    client.force_login(staff)
    url = reverse("evidence:import", kwargs={"assessment_id": assessment.pk})
    assert client.get(url).status_code == 403
    register = client.get(
        reverse("evidence:register", kwargs={"assessment_id": assessment.pk})
    ).content.decode()
    assert "Thêm minh chứng" in register and url not in register
    client.force_login(principal)
    assert client.get(url).status_code == 200


def test_the_create_form_offers_a_member_only_their_criteria(client, assessment, principal, staff):
    services.sheet_assign(user=principal, sheet=sheet_of(assessment, "2.3"), assignee=staff)
    client.force_login(staff)
    page = client.get(
        reverse("evidence:create", kwargs={"assessment_id": assessment.pk})
    ).content.decode()
    assert f'value="{criterion(assessment, "2.3").pk}"' in page
    assert f'value="{criterion(assessment, "1.1").pk}"' not in page
    response = client.post(
        reverse("evidence:create", kwargs={"assessment_id": assessment.pk}),
        {"first_criterion": criterion(assessment, "1.1").pk, "name": "Không được"},
    )
    assert response.status_code == 400
    assert not Evidence.objects.exists()


def test_an_unassigned_member_cannot_edit_an_item_from_its_page(
    client, assessment, principal, staff
):
    item = add(principal, assessment, "1.1")
    client.force_login(staff)
    assert client.get(reverse("evidence:edit", kwargs={"pk": item.pk})).status_code == 403
    assert client.post(reverse("evidence:delete", kwargs={"pk": item.pk})).status_code == 403
    page = client.get(reverse("evidence:detail", kwargs={"pk": item.pk})).content.decode()
    assert reverse("evidence:edit", kwargs={"pk": item.pk}) not in page
    assert Evidence.objects.filter(pk=item.pk).exists()


# ---- views -----------------------------------------------------------------------------------


def test_a_staff_member_posting_to_the_council_page_is_refused(client, assessment, staff):
    client.force_login(staff)
    url = reverse("assessments:council", args=[assessment.pk])
    page = client.get(url).content.decode()
    assert "Bạn chỉ xem được" in page and 'name="op" value="assign_person"' not in page
    sheet = sheet_of(assessment, "1.1")
    response = client.post(url, {"op": "assign_person", "sheet": sheet.pk, "user": staff.pk})
    assert response.status_code == 403
    assert sheet_of(assessment, "1.1").assigned_to is None


def test_standard_texts_need_a_criterion_of_that_standard(assessment, principal, staff):
    std1 = Standard.objects.get(framework=assessment.framework, code="1")
    std2 = Standard.objects.get(framework=assessment.framework, code="2")
    services.sheet_assign(user=principal, sheet=sheet_of(assessment, "1.4"), assignee=staff)
    assert has_perm(staff, "standard.edit", StandardOf(assessment, std1))
    assert not has_perm(staff, "standard.edit", StandardOf(assessment, std2))
    assert has_perm(principal, "standard.edit", StandardOf(assessment, std2))
