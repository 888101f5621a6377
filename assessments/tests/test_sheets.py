import pytest

from assessments import services
from assessments.models import ChangeLog, CouncilRole

from .conftest import HOSTILE, results_of, sheet_of, tick_all

pytestmark = pytest.mark.django_db


def test_saving_a_sheet_logs_every_changed_field_and_bumps_the_version(assessment, principal):
    sheet = sheet_of(assessment, "1.2")
    services.sheet_save(
        user=principal,
        sheet=sheet,
        version=1,
        data={"current_state": {"1": "Hiện trạng mức 1"}, "strengths": "Mạnh", "weaknesses": ""},
    )
    sheet.refresh_from_db()
    assert sheet.version == 2
    fields = set(ChangeLog.objects.filter(sheet=sheet).values_list("field", flat=True))
    assert fields == {"current_state.1", "strengths"}
    services.sheet_save(user=principal, sheet=sheet, version=2, data={"strengths": "Mạnh hơn"})
    change = ChangeLog.objects.filter(sheet=sheet, field="strengths").first()
    assert (change.old, change.new, change.user) == ("Mạnh", "Mạnh hơn", principal)


def test_text_is_stored_in_nfc(assessment, principal):
    sheet = sheet_of(assessment, "1.2")
    decomposed = "Tra\u0306\u0300ng"  # "ă" + huyền typed as combining marks
    services.sheet_save(user=principal, sheet=sheet, version=1, data={"strengths": decomposed})
    sheet.refresh_from_db()
    assert sheet.strengths == "Trằng"


def test_a_stale_version_is_a_conflict_and_writes_nothing(assessment, principal):
    sheet = sheet_of(assessment, "1.2")
    services.sheet_save(user=principal, sheet=sheet, version=1, data={"strengths": "Bản đầu"})
    with pytest.raises(services.EditConflict, match="đã được người khác cập nhật"):
        services.sheet_save(user=principal, sheet=sheet, version=1, data={"strengths": "Ghi đè"})
    sheet.refresh_from_db()
    assert sheet.strengths == "Bản đầu" and sheet.version == 2


def test_a_member_edits_only_the_criteria_of_their_group(assessment, principal, staff):
    group = services.working_group_create(
        user=principal,
        assessment=assessment,
        name="Nhóm 1",
        criteria=[sheet_of(assessment, "1.1").criterion],
    )
    services.council_member_add(
        user=principal,
        assessment=assessment,
        data={
            "full_name": "Giáo viên A",
            "role": CouncilRole.MEMBER,
            "user": staff,
            "group": group,
        },
    )
    mine, other = sheet_of(assessment, "1.1"), sheet_of(assessment, "1.2")
    services.sheet_save(user=staff, sheet=mine, version=1, data={"strengths": "Của nhóm 1"})
    with pytest.raises(services.NotAllowed, match="không được phân công tiêu chí 1.2"):
        services.sheet_save(user=staff, sheet=other, version=1, data={"strengths": "Không"})
    with pytest.raises(services.NotAllowed):
        services.indicator_set(
            user=staff, result=results_of(assessment, "1.2")["1.2-M1a"], met=True
        )
    # The principal edits everything.
    services.sheet_save(user=principal, sheet=other, version=1, data={"strengths": "HT"})


def test_a_sheet_assigned_to_a_person_is_editable_by_that_person(
    assessment, principal, staff, other_staff
):
    sheet = sheet_of(assessment, "2.1")
    services.sheet_assign(user=principal, sheet=sheet, assignee=staff)
    services.sheet_save(user=staff, sheet=sheet, version=1, data={"weaknesses": "Thiếu GV"})
    with pytest.raises(services.NotAllowed):
        services.sheet_save(user=other_staff, sheet=sheet, version=2, data={"weaknesses": "x"})


def test_an_officer_of_the_managing_unit_cannot_write_sheets(assessment, commune_officer):
    with pytest.raises(services.NotAllowed):
        services.sheet_save(
            user=commune_officer,
            sheet=sheet_of(assessment, "1.1"),
            version=1,
            data={"strengths": "x"},
        )


def test_improvement_rows_with_end_before_start_are_refused(assessment, principal):
    import datetime as dt

    with pytest.raises(services.AssessmentError, match="ngày kết thúc trước ngày bắt đầu"):
        services.sheet_save(
            user=principal,
            sheet=sheet_of(assessment, "1.1"),
            version=1,
            data={
                "actions": [
                    {"action": "Sửa", "start": dt.date(2025, 5, 1), "end": dt.date(2025, 1, 1)}
                ]
            },
        )


def test_ticking_indicators_updates_criterion_and_school_levels(assessment, principal):
    live = services.indicator_set(
        user=principal, result=results_of(assessment, "1.1")["1.1-M1a"], met=True
    )
    assert live.criteria["1.1"].level == 0
    assert live.criteria["1.1"].explanation == "thiếu chỉ báo b), c) của Mức 1 để đạt Mức 1"
    tick_all(principal, assessment)
    assessment.refresh_from_db()
    assert assessment.computed_level == 3  # Mức 4 requirements are not ticked
    live = services.indicator_set(
        user=principal, result=results_of(assessment, "2.1")["2.1-M3"], met=False
    )
    assert live.school_level == 2
    assert live.criteria["2.1"].explanation == "thiếu yêu cầu của Mức 3 để đạt Mức 3"
    assert live.explanation == "thiếu yêu cầu của Mức 3 ở tiêu chí 2.1 để đạt Mức 3"
    sheet = sheet_of(assessment, "2.1")
    assert sheet.level == 2 and sheet.filled
    assert ChangeLog.objects.filter(
        sheet=sheet, field="indicator:2.1-M3", old="Đạt", new="Không đạt"
    ).exists()


def test_hostile_text_is_stored_as_typed_and_never_executed(assessment, principal):
    sheet = sheet_of(assessment, "1.1")
    services.sheet_save(user=principal, sheet=sheet, version=1, data={"strengths": HOSTILE})
    sheet.refresh_from_db()
    assert sheet.strengths == HOSTILE  # escaped on render, see test_views
