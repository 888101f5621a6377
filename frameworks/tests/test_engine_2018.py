"""Thông tư 17, 18, 19/2018/TT-BGDĐT: the cumulative rule at each of its boundaries, for each of
the three frameworks, plus recognition (accreditation Cấp độ k = Mức k; national standard Mức độ 1
= Mức 2, Mức độ 2 = Mức 3 or 4) and the TT22/2024 version."""

from __future__ import annotations

import pytest

from frameworks import engine

from .conftest import FRAMEWORKS_2018, fw, ids_at, up_to

ALL_CONDITIONS = {"cohort_completed": True}


def evaluate(framework, met, level4=(), conditions=ALL_CONDITIONS, **kw):
    return engine.evaluate(framework, met, level4, conditions, **kw)


def criterion_with_top(framework, top: int) -> str:
    return next(
        code
        for code, t in zip(framework.criterion_codes, framework.criterion_top, strict=True)
        if t == top
    )


@pytest.mark.parametrize("code", FRAMEWORKS_2018)
class TestCumulativeRule:
    def test_nothing_met_is_not_level_1_and_every_m1_blocks(self, code):
        framework = fw(code)
        result = evaluate(framework, set())
        assert result.school_level == 0
        assert result.next_level["level"] == 1
        missing = {i for b in result.next_level["blockers"] for i in b["missing"]}
        assert missing == ids_at(framework, 1)
        assert [b["criterion"] for b in result.next_level["blockers"]] == list(
            framework.criterion_codes
        )

    @pytest.mark.parametrize("level", [1, 2, 3])
    def test_every_indicator_up_to_a_level_reaches_it(self, code, level):
        assert evaluate(fw(code), up_to(fw(code), level)).school_level == level

    @pytest.mark.parametrize("level", [1, 2, 3])
    def test_one_missing_indicator_at_a_level_keeps_the_school_below(self, code, level):
        framework = fw(code)
        dropped = sorted(ids_at(framework, level))[0]
        result = evaluate(framework, up_to(framework, level) - {dropped})
        assert result.school_level == level - 1
        criterion = framework.criterion_codes[framework.indicator_pos[dropped][0]]
        assert result.next_level == {
            "level": level,
            "blockers": [{"criterion": criterion, "missing": [dropped]}],
        }

    def test_a_criterion_without_level_3_requirements_does_not_block_level_3(self, code):
        framework = fw(code)
        short = criterion_with_top(framework, 2)
        result = evaluate(framework, up_to(framework, 3))
        assert result.school_level == 3
        assert result.criteria[short] == 2

    def test_higher_indicators_do_not_skip_a_missing_lower_one(self, code):
        framework = fw(code)
        dropped = sorted(ids_at(framework, 2))[0]
        result = evaluate(framework, up_to(framework, 3) - {dropped})
        assert result.school_level == 1

    def test_a_criterion_level_needs_every_lower_level(self, code):
        framework = fw(code)
        criterion = framework.criterion_codes[0]
        met = up_to(framework, 3) - ids_at(framework, 1, criteria={criterion})
        result = evaluate(framework, met)
        assert result.criteria[criterion] == 0
        assert result.school_level == 0

    def test_standard_counts_add_up_to_the_criteria(self, code):
        framework = fw(code)
        result = evaluate(framework, up_to(framework, 2))
        total = sum(sum(c.values()) for c in result.standard_counts.values())
        assert total == len(framework.criterion_codes)
        assert set(result.standard_counts) == set(framework.standard_codes)

    def test_unknown_indicator_is_refused_by_name(self, code):
        with pytest.raises(engine.UnknownIndicator, match="9.9-M1z"):
            evaluate(fw(code), {"9.9-M1z", "1.1-M2"})


@pytest.mark.parametrize("code", ["TT17-2018", "TT19-2018"])
class TestLevel4:
    def test_level_3_plus_every_level4_requirement_is_level_4(self, code):
        framework = fw(code)
        result = evaluate(framework, up_to(framework, 3), framework.level4_order)
        assert result.school_level == 4
        assert result.next_level is None
        assert result.accreditation_level == 4
        assert result.national_standard_level == 2

    def test_one_missing_level4_requirement_stays_at_3(self, code):
        framework = fw(code)
        result = evaluate(framework, up_to(framework, 3), framework.level4_order[1:])
        assert result.school_level == 3
        assert result.next_level == {
            "level": 4,
            "blockers": [{"criterion": "M4", "missing": [framework.level4_order[0]]}],
        }

    def test_level4_requirements_without_level_3_give_nothing_extra(self, code):
        framework = fw(code)
        dropped = sorted(ids_at(framework, 3))[0]
        result = evaluate(framework, up_to(framework, 3) - {dropped}, framework.level4_order)
        assert result.school_level == 2

    def test_unknown_level4_id_is_refused(self, code):
        with pytest.raises(engine.UnknownIndicator, match="M4-99"):
            evaluate(fw(code), set(), {"M4-99"})


def test_tt18_level4_list_is_unknown_so_level_3_is_the_top():
    framework = fw("TT18-2018")
    result = evaluate(framework, up_to(framework, 3))
    assert result.school_level == 3
    assert result.next_level is None
    assert result.to_dict()["not_assessable"][0]["level"] == 4
    assert framework.max_level == 3


def test_tt18_meeting_the_two_known_level4_requirements_is_still_not_level_4():
    """Only M4-1 and M4-2 of TT18's Điều 22 are known (level4_complete: false): meeting them
    must not pass a school that may miss the rest."""
    framework = fw("TT18-2018")
    assert framework.level4_order == ("M4-1", "M4-2")
    assert framework.level4_complete is False
    result = evaluate(framework, up_to(framework, 3), framework.level4_order)
    assert result.school_level == 3
    assert result.level4_met == {"M4-1", "M4-2"}
    assert result.next_level is None
    assert "chưa thể đánh giá Mức 4" in result.to_dict()["not_assessable"][0]["note"]


@pytest.mark.parametrize("code", FRAMEWORKS_2018)
@pytest.mark.parametrize(
    ("level", "accreditation", "national"), [(0, None, None), (1, 1, None), (2, 2, 1), (3, 3, 2)]
)
def test_recognition_follows_the_level(code, level, accreditation, national):
    framework = fw(code)
    result = evaluate(framework, up_to(framework, level))
    assert (result.accreditation_level, result.national_standard_level) == (accreditation, national)


@pytest.mark.parametrize("code", ["TT17-2018", "TT18-2018"])
def test_without_a_completed_cohort_nothing_is_recognised(code):
    framework = fw(code)
    result = evaluate(framework, up_to(framework, 3), conditions={})
    assert result.school_level == 3
    assert result.accreditation_level is None
    assert result.national_standard_level is None
    assert result.unmet_conditions == ("cohort_completed",)
    assert result.to_dict()["reasons"]["accreditation"]["code"] == "unmet_conditions"
    assert "cohort_completed" in result.to_dict()["reasons"]["national_standard"]["message"]


def test_kindergartens_have_no_cohort_condition():
    framework = fw("TT19-2018")
    result = evaluate(framework, up_to(framework, 2), conditions={})
    assert result.unmet_conditions == ()
    assert (result.accreditation_level, result.national_standard_level) == (2, 1)


def test_level_1_is_not_a_national_standard_and_says_why():
    framework = fw("TT17-2018")
    result = evaluate(framework, up_to(framework, 1))
    reason = result.to_dict()["reasons"]["national_standard"]
    assert reason["code"] == "not_reached"
    assert "Mức 2" in reason["message"]


@pytest.mark.parametrize("code", FRAMEWORKS_2018)
def test_tt22_2024_version_shortens_the_upgrade_wait_and_flags_unknown_wording(code):
    framework = fw(code)
    original, amended = framework.version("2018"), framework.version("TT22-2024")
    assert original.recognition.upgrade_wait_years == 2
    assert amended.recognition.upgrade_wait_years == 1
    assert amended.recognition.validity_years == original.recognition.validity_years == 5
    assert amended.wording_known is False
    assert str(amended.effective_from) == "2025-01-25"
    result = evaluate(framework, set(), version="2018")
    assert result.to_dict()["upgrade_wait_years"] == 2
