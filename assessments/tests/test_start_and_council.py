import datetime as dt

import pytest

from accounts.models import Role
from assessments import selectors, services
from assessments.models import Assessment, ChangeLog, CouncilRole, CriterionSheet, IndicatorResult
from frameworks.models import Criterion, Indicator

from .conftest import sheet_of

pytestmark = pytest.mark.django_db


def test_a_primary_school_assessed_in_2024_gets_tt17_2018(assessment):
    assert assessment.framework.code == "TT17-2018"
    assert assessment.framework_version == "2018"
    assert assessment.status == "draft" and not assessment.locked


def test_a_primary_school_assessed_in_september_2026_gets_tt57(loaded, principal, school):
    a = services.assessment_start(
        user=principal, school=school, school_year="2026-2027", on_date=dt.date(2026, 9, 15)
    ).assessment
    assert a.framework.code == "TT57-2026-PT"
    assert a.sheets.count() == 15


def test_start_creates_one_sheet_per_criterion_and_one_result_per_indicator(assessment):
    fw = assessment.framework
    assert (
        CriterionSheet.objects.filter(assessment=assessment).count()
        == Criterion.objects.filter(framework=fw).count()
    )
    assert (
        IndicatorResult.objects.filter(assessment=assessment).count()
        == Indicator.objects.filter(framework=fw).count()
    )
    # Mức 4 requirements are school-wide: no sheet.
    assert IndicatorResult.objects.filter(assessment=assessment, sheet__isnull=True).exists()
    assert not IndicatorResult.objects.filter(assessment=assessment, met__isnull=False).exists()


def test_a_school_has_one_cycle_per_school_year(assessment, principal, school):
    with pytest.raises(services.AssessmentError, match="đã có đợt tự đánh giá năm học 2024-2025"):
        services.assessment_start(
            user=principal, school=school, school_year="2024-2025", on_date=dt.date(2025, 3, 1)
        )


def test_a_malformed_school_year_is_refused_in_vietnamese(loaded, principal, school):
    with pytest.raises(services.AssessmentError, match="ví dụ 2025-2026"):
        services.assessment_start(
            user=principal, school=school, school_year="2024-2026", on_date=dt.date(2024, 10, 1)
        )


def test_a_commune_officer_cannot_start_a_school_cycle(loaded, commune_officer, school):
    with pytest.raises(services.NotAllowed):
        services.assessment_start(
            user=commune_officer,
            school=school,
            school_year="2024-2025",
            on_date=dt.date(2024, 10, 1),
        )
    assert not Assessment.objects.exists()


def test_copy_previous_carries_texts_within_the_same_family(assessment, principal, school):
    sheet = sheet_of(assessment, "1.1")
    services.sheet_save(
        user=principal,
        sheet=sheet,
        version=sheet.version,
        data={
            "current_state": {"1": "Có kế hoạch chiến lược."},
            "strengths": "Tốt",
            "actions": [
                {
                    "action": "Rà soát kế hoạch",
                    "responsible": "Hiệu trưởng",
                    "start": dt.date(2025, 9, 1),
                    "end": dt.date(2025, 12, 31),
                    "resources": "",
                    "expected_evidence": "Kế hoạch",
                }
            ],
        },
    )
    result = services.assessment_start(
        user=principal,
        school=school,
        school_year="2025-2026",
        on_date=dt.date(2025, 10, 1),
        copy_previous=True,
    )
    new = sheet_of(result.assessment, "1.1")
    assert new.current_state == {"1": "Có kế hoạch chiến lược."}
    assert new.strengths == "Tốt"
    assert new.actions.get().action == "Rà soát kế hoạch"
    assert "1.1" in result.carried
    assert result.assessment.copied_from == assessment


def test_copy_previous_across_a_framework_change_says_what_was_not_carried(
    assessment, principal, school
):
    result = services.assessment_start(
        user=principal,
        school=school,
        school_year="2026-2027",
        on_date=dt.date(2026, 9, 15),
        copy_previous=True,
    )
    assert result.carried == []
    assert any("TT17-2018" in line and "TT57-2026-PT" in line for line in result.not_carried)


def _add(assessment, user, roles):
    for n, role in enumerate(roles):
        services.council_member_add(
            user=user, assessment=assessment, data={"full_name": f"Thành viên {n}", "role": role}
        )


def test_a_2018_council_needs_seven_members(assessment, principal):
    _add(assessment, principal, [CouncilRole.CHAIR, CouncilRole.SECRETARY, CouncilRole.MEMBER])
    warnings = selectors.council_warnings(assessment)
    assert "Hội đồng tự đánh giá cần ít nhất 7 thành viên (hiện có 3)." in warnings
    _add(assessment, principal, [CouncilRole.MEMBER] * 4)
    assert selectors.council_warnings(assessment) == []


def test_a_tt57_council_needs_five_an_odd_number_one_chair_one_secretary(loaded, principal, school):
    a = services.assessment_start(
        user=principal, school=school, school_year="2026-2027", on_date=dt.date(2026, 9, 15)
    ).assessment
    _add(
        a,
        principal,
        [
            CouncilRole.CHAIR,
            CouncilRole.CHAIR,
            CouncilRole.MEMBER,
            CouncilRole.MEMBER,
            CouncilRole.MEMBER,
            CouncilRole.MEMBER,
        ],
    )
    warnings = selectors.council_warnings(a)
    assert "Số thành viên hội đồng phải là số lẻ (hiện có 6)." in warnings
    assert "Hội đồng phải có đúng một chủ tịch (hiện có 2)." in warnings
    assert "Hội đồng phải có đúng một thư ký (hiện có 0)." in warnings
    a.council_members.filter(role=CouncilRole.CHAIR).first().delete()
    last = a.council_members.filter(role=CouncilRole.MEMBER).first()
    last.role = CouncilRole.SECRETARY
    last.save()
    assert selectors.council_warnings(a) == []


def test_council_rule_falls_back_to_a_table_marked_uncertain(assessment):
    assessment.framework.data = {
        k: v for k, v in assessment.framework.data.items() if k != "council"
    }
    rule = selectors.council_rule(assessment)
    assert rule["min_members"] == 7 and rule["certainty"] == "uncertain"


def test_council_changes_are_logged(assessment, principal):
    _add(assessment, principal, [CouncilRole.CHAIR])
    assert ChangeLog.objects.filter(assessment=assessment, field="council").exists()


def test_staff_not_on_the_school_cannot_manage_the_council(assessment, make_user, sibling_school):
    stranger = make_user(Role.PRINCIPAL, school=sibling_school)
    with pytest.raises(services.NotAllowed):
        _add(assessment, stranger, [CouncilRole.MEMBER])
