"""A made-up framework added as a data file only (fixtures/XX-2030-DEMO.json): three school
levels, "at least 1 of the mandatory", "at least 3 of the others", a partial Mức 4 list — the
engine handles it with no code change."""

from __future__ import annotations

import pytest

from frameworks import engine

from .conftest import FIXTURES, madeup

M1_ALL = {
    "A.1-M1a",
    "A.1-M1b",
    "A.2-M1",
    "B.1-M1",
    "B.2-M1a",
    "B.2-M1b",
    "B.2-M1c",
    "B.3-M1",
    "B.4-M1",
}


def test_it_loads_from_a_directory_like_any_other():
    frameworks = engine.load_dir(FIXTURES)
    assert list(frameworks) == ["XX-2030-DEMO"]


def test_level_1_needs_all_mandatory_and_2_of_4_others():
    framework = madeup()
    base = {"A.1-M1a", "A.1-M1b", "A.2-M1", "B.3-M1"}
    assert engine.evaluate(framework, base).school_level == 0
    assert engine.evaluate(framework, base | {"B.4-M1"}).school_level == 1


def test_cheapest_way_prefers_the_criterion_with_fewest_missing_indicators():
    framework = madeup()
    # Others: B.2 needs three Mức 1 indicators, B.1 and B.4 one each — pick B.1 (first of the cheapest).
    result = engine.evaluate(framework, {"A.1-M1a", "A.1-M1b", "A.2-M1", "B.3-M1"})
    assert result.next_level == {
        "level": 1,
        "blockers": [{"criterion": "B.1", "missing": ["B.1-M1"]}],
    }


def test_level_2_picks_the_cheapest_mandatory_and_others():
    framework = madeup()
    result = engine.evaluate(framework, M1_ALL)
    assert result.school_level == 1
    # Mandatory: A.1 needs 1, A.2 needs 3 → A.1. Others: B.4 (only Mức 1) already counts; B.2 and
    # B.3 need one each; B.1 needs three.
    assert result.next_level == {
        "level": 2,
        "blockers": [
            {"criterion": "A.1", "missing": ["A.1-M2"]},
            {"criterion": "B.2", "missing": ["B.2-M2"]},
            {"criterion": "B.3", "missing": ["B.3-M2"]},
        ],
    }
    met = M1_ALL | {"A.1-M2", "B.2-M2", "B.3-M2"}
    assert engine.evaluate(framework, met).school_level == 2


def test_level_3_needs_two_of_three_school_wide_requirements():
    framework = madeup()
    everything = framework.all_ids
    assert engine.evaluate(framework, everything, {"M4-1"}).school_level == 2
    result = engine.evaluate(framework, everything, {"M4-1", "M4-3"}, {"audited": True})
    assert result.school_level == 3
    assert (result.accreditation_level, result.national_standard_level) == (1, 2)


def test_level_3_blockers_name_the_first_missing_requirement():
    framework = madeup()
    result = engine.evaluate(framework, framework.all_ids, {"M4-3"})
    assert result.next_level == {"level": 3, "blockers": [{"criterion": "M4", "missing": ["M4-1"]}]}


def test_its_own_condition_and_validity_come_from_the_file():
    framework = madeup()
    result = engine.evaluate(framework, framework.all_ids, {"M4-1", "M4-2"})
    assert result.unmet_conditions == ("audited",)
    assert result.accreditation_level is None
    assert result.to_dict()["validity_years"] == 3


def test_a_broken_rule_is_refused_with_a_message():
    data = engine.read_data(FIXTURES / "XX-2030-DEMO.json")
    data["rule"]["school_levels"][0]["require"][1]["at_least"] = 9
    with pytest.raises(engine.InvalidFramework, match="cần 9 tiêu chí"):
        engine.compile_framework(data)


def test_an_incomplete_level4_list_leaves_the_level_that_counts_it_not_assessable():
    data = engine.read_data(FIXTURES / "XX-2030-DEMO.json")
    data["level4_complete"] = False
    framework = engine.compile_framework(data)
    result = engine.evaluate(
        framework, framework.all_ids, framework.level4_order, {"audited": True}
    )
    assert result.school_level == 2
    assert framework.max_level == 2
    assert result.next_level is None
    assert result.to_dict()["not_assessable"] == [{"level": 3, "note": engine.LEVEL4_INCOMPLETE}]


def test_level4_complete_must_be_a_boolean():
    data = engine.read_data(FIXTURES / "XX-2030-DEMO.json")
    data["level4_complete"] = "no"
    with pytest.raises(engine.InvalidFramework, match="level4_complete"):
        engine.compile_framework(data)
