"""Thông tư 57/2026/TT-BGDĐT (as reported; UNCERTAIN): school Mức 1 = the 8 mandatory criteria
at Mức 1 and at least 5 of the other 7 at Mức 1; Mức 2 = mandatory at Mức 2, at least 5 others at
Mức 2, none below Mức 1; Mức 2 of a criterion counts only when its Mức 1 is met."""

from __future__ import annotations

import pytest

from frameworks import engine

from .conftest import FRAMEWORKS_2026, fw, ids_at

CONDITIONS = {"cohort_completed": True, "three_years_data": True, "facilities_compliant": True}


def codes(framework, mandatory: bool) -> list[str]:
    return [
        c
        for c, m in zip(framework.criterion_codes, framework.mandatory, strict=True)
        if m is mandatory
    ]


def met_for(framework, m1: list[str], m2: list[str]) -> set[str]:
    return ids_at(framework, 1, criteria=set(m1)) | ids_at(framework, 2, criteria=set(m2))


def evaluate(framework, met, conditions=CONDITIONS):
    return engine.evaluate(framework, met, (), conditions)


@pytest.mark.parametrize("code", FRAMEWORKS_2026)
class TestThresholds:
    def test_shape_is_4_standards_15_criteria_8_mandatory(self, code):
        framework = fw(code)
        assert len(framework.standard_codes) == 4
        assert len(framework.criterion_codes) == 15
        assert codes(framework, True) == ["1.3", "1.4", "2.1", "2.2", "3.1", "3.2", "4.1", "4.2"]

    def test_mandatory_and_5_of_7_others_is_level_1(self, code):
        framework = fw(code)
        result = evaluate(
            framework, met_for(framework, codes(framework, True) + codes(framework, False)[:5], [])
        )
        assert result.school_level == 1

    def test_mandatory_and_4_of_7_others_is_not_level_1(self, code):
        framework = fw(code)
        others = codes(framework, False)
        result = evaluate(framework, met_for(framework, codes(framework, True) + others[:4], []))
        assert result.school_level == 0
        # Cheapest way: one more "other" criterion at Mức 1 — a single indicator.
        assert result.next_level == {
            "level": 1,
            "blockers": [{"criterion": others[4], "missing": [f"{others[4]}-M1"]}],
        }

    def test_one_mandatory_criterion_missing_blocks_level_1(self, code):
        framework = fw(code)
        mandatory = codes(framework, True)
        result = evaluate(
            framework, met_for(framework, mandatory[1:] + codes(framework, False), [])
        )
        assert result.school_level == 0
        assert result.next_level["blockers"] == [
            {"criterion": mandatory[0], "missing": [f"{mandatory[0]}-M1"]}
        ]

    def test_mandatory_at_2_and_5_others_at_2_is_level_2(self, code):
        framework = fw(code)
        everyone = list(framework.criterion_codes)
        m2 = codes(framework, True) + codes(framework, False)[:5]
        assert evaluate(framework, met_for(framework, everyone, m2)).school_level == 2

    def test_4_others_at_level_2_stays_at_1(self, code):
        framework = fw(code)
        everyone = list(framework.criterion_codes)
        others = codes(framework, False)
        result = evaluate(
            framework, met_for(framework, everyone, codes(framework, True) + others[:4])
        )
        assert result.school_level == 1
        assert result.next_level["blockers"] == [
            {"criterion": others[4], "missing": [f"{others[4]}-M2"]}
        ]

    def test_a_mandatory_criterion_at_1_blocks_level_2(self, code):
        framework = fw(code)
        everyone = list(framework.criterion_codes)
        result = evaluate(framework, met_for(framework, everyone, everyone[:]) - {"1.3-M2"})
        assert result.school_level == 1
        assert result.next_level["blockers"] == [{"criterion": "1.3", "missing": ["1.3-M2"]}]

    def test_level_2_needs_every_criterion_at_level_1(self, code):
        framework = fw(code)
        everyone = list(framework.criterion_codes)
        weak = codes(framework, False)[6]
        met = met_for(framework, everyone, everyone) - {f"{weak}-M1", f"{weak}-M2"}
        result = evaluate(framework, met)
        assert result.school_level == 1
        assert result.next_level["blockers"] == [{"criterion": weak, "missing": [f"{weak}-M1"]}]

    def test_level_2_of_a_criterion_counts_only_with_its_level_1(self, code):
        framework = fw(code)
        everyone = list(framework.criterion_codes)
        others = codes(framework, False)
        # Five "others" tick Mức 2, but one of them lacks its Mức 1: only four count.
        met = met_for(framework, everyone, codes(framework, True) + others[:5]) - {
            f"{others[0]}-M1"
        }
        result = evaluate(framework, met)
        assert result.criteria[others[0]] == 0
        assert result.school_level == 1

    def test_everything_met_is_the_top(self, code):
        framework = fw(code)
        result = evaluate(framework, framework.all_ids)
        assert result.school_level == 2
        assert result.next_level is None

    def test_no_accreditation_grade_is_declared(self, code):
        framework = fw(code)
        result = evaluate(framework, framework.all_ids)
        assert result.accreditation_level is None
        assert result.to_dict()["reasons"]["accreditation"]["code"] == "not_applicable"


@pytest.mark.parametrize("code", ["TT57-2026-PT", "TT57-2026-MN"])
@pytest.mark.parametrize("level", [1, 2])
def test_national_standard_grade_equals_the_level(code, level):
    framework = fw(code)
    met = ids_at(framework, *range(1, level + 1))
    assert evaluate(framework, met).national_standard_level == level


@pytest.mark.parametrize("missing", sorted(CONDITIONS))
def test_each_condition_is_needed_for_the_national_standard(missing):
    framework = fw("TT57-2026-PT")
    conditions = {k: v for k, v in CONDITIONS.items() if k != missing}
    result = evaluate(framework, framework.all_ids, conditions)
    assert result.national_standard_level is None
    assert result.unmet_conditions == (missing,)


def test_absent_conditions_are_unmet_and_listed():
    framework = fw("TT57-2026-PT")
    result = evaluate(framework, framework.all_ids, {})
    assert result.unmet_conditions == (
        "cohort_completed",
        "three_years_data",
        "facilities_compliant",
    )


def test_gdtx_has_no_national_standard():
    framework = fw("TT57-2026-GDTX")
    result = evaluate(framework, framework.all_ids, {})
    assert result.school_level == 2
    assert result.national_standard_level is None
    assert result.unmet_conditions == ()
    assert result.to_dict()["reasons"]["national_standard"]["code"] == "not_applicable"


def test_upgrade_wait_is_two_years():
    assert fw("TT57-2026-PT").version().recognition.upgrade_wait_years == 2
