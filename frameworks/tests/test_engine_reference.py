"""The engine's one, bit-based implementation of each rule (``_school_level``, ``_explain``, the
criterion levels, the gaps) must give exactly what the rules written criterion by criterion
(``reference.py``, kept with the tests as their oracle) give, on every framework — the made-up
and the wide one included — for any school and for realistic "near a level" schools."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frameworks import engine

from . import reference
from .conftest import FIXTURES, FRAMEWORKS_2018, FRAMEWORKS_2026, fw, madeup
from .test_engine_properties import FRAMEWORKS, near_level_school, school


def _check(case):
    framework, met, level4, conditions = case
    result = engine.evaluate(framework, met, level4, conditions)
    assert result.school_level == reference.school_level(result)
    assert engine._explain(result) == reference.explain(result)
    assert result.next_level == reference.explain(result)
    assert result.criterion_levels == reference.criterion_levels(result)
    assert result.gaps == reference.gaps(result)
    fast = engine.evaluate_met(framework, [*met, *level4], conditions)
    assert fast.to_dict() == result.to_dict()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(school())
def test_fast_paths_match_the_reference_on_any_school(case):
    _check(case)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(near_level_school())
def test_fast_paths_match_the_reference_near_a_level(case):
    _check(case)


@pytest.mark.parametrize("code", sorted(FRAMEWORKS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_each_framework_matches_the_reference(code, data):
    """The same check framework by framework, so none (the wide one included) is left to the
    luck of the draw above."""
    framework = FRAMEWORKS[code]
    _check(data.draw(st.one_of(school(framework), near_level_school(framework))))


def test_the_property_tests_cover_every_framework_and_both_made_up_ones():
    assert sorted(FRAMEWORKS) == sorted(
        [*FRAMEWORKS_2018, *FRAMEWORKS_2026, "XX-2030-DEMO", "XX-2030-WIDE"]
    )
    assert FRAMEWORKS["XX-2030-WIDE"].level_tables is None  # the general (wide) bit layout


def test_the_engine_holds_one_implementation_of_each_rule():
    """What the benchmark measures is what every framework uses: the reference versions of the
    rules live with the tests, and the engine has no second path to fall back on."""
    source = Path(engine.__file__).read_text(encoding="utf-8")
    assert "reference" not in {name.split("_")[-1] for name in vars(engine)}
    assert "_explain_reference" not in source and "_school_level_reference" not in source
    assert not hasattr(engine.Framework, "regular")


def test_the_explanation_plans_follow_the_rule():
    tt57 = fw("TT57-2026-PT")
    plan = tt57.explain_plans[1]  # at Mức 1, explaining Mức 2
    assert plan.level == 2
    mandatory_m2 = {
        f"{c}-M{n}"
        for c, m in zip(tt57.criterion_codes, tt57.mandatory, strict=True)
        if m
        for n in (1, 2)
    }
    assert plan.forced == mandatory_m2 | {f"{c}-M1" for c in tt57.criterion_codes}
    assert [(c.min_level, c.at_least) for c in plan.thresholds] == [(2, 5)]
    assert tt57.explain_plans.get(2) is None  # the top: nothing to explain
    tt17 = fw("TT17-2018")
    assert tt17.explain_plans[3].requirements == (len(tt17.level4_order),)
    assert tt17.explain_plans[3].thresholds == ()
    assert fw("TT18-2018").explain_plans[3] is None  # Mức 4 not assessable (no text)


def test_a_clause_naming_a_criterion_twice_is_refused():
    """Formerly evaluated by a second, reference path (B.1 counting twice, with blockers that
    were not always the fewest): no circular reads a clause that way, so the file is refused
    with a message naming the criterion."""
    data = engine.read_data(FIXTURES / "XX-2030-DEMO.json")
    data["rule"]["school_levels"][0]["require"][1] = {
        "criteria": ["B.1", "B.1", "B.2", "B.3"],
        "level": 1,
        "at_least": 2,
    }
    with pytest.raises(engine.InvalidFramework, match="tiêu chí B.1 hai lần"):
        engine.compile_framework(data)


@pytest.mark.parametrize("levels", [[0, 1, 2], [-1, 1, 2], [1, 2.5], [True, 2]])
def test_a_level_below_level_1_is_refused(levels):
    """Criterion level 0 means "not Mức 1": an indicator below it would give its criterion
    level −1 (and the per-standard counts no key for it)."""
    data = engine.read_data(FIXTURES / "XX-2030-DEMO.json")
    data["rule"]["criterion_levels"] = levels
    with pytest.raises(engine.InvalidFramework, match="từ 1 trở lên"):
        engine.compile_framework(data)


@pytest.mark.parametrize("code", FRAMEWORKS_2018 + FRAMEWORKS_2026)
def test_gaps_are_the_lowest_missing_level_of_each_criterion(code):
    framework = fw(code)
    result = engine.evaluate(framework, [])
    assert result.gaps == {
        index: min(lv for lv, ids in enumerate(per_level) if ids)
        for index, per_level in enumerate(framework.criterion_ids_by_level)
    }
    assert engine.evaluate(framework, framework.all_ids).gaps == {}
    assert reference.gaps(result) == result.gaps


def test_the_made_up_framework_explains_like_the_reference_level_by_level():
    framework = madeup()
    met = set()
    in_circular_order = [
        i for per_level in framework.criterion_ids_by_level for ids in per_level for i in ids
    ]
    for ident in in_circular_order:
        met.add(ident)
        result = engine.evaluate(framework, met, ["M4-2"])
        assert result.next_level == reference.explain(result)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted(FRAMEWORKS)), st.data())
def test_criterion_levels_is_a_fresh_list(code, data):
    framework = FRAMEWORKS[code]
    met = data.draw(st.sets(st.sampled_from(sorted(framework.all_ids))))
    result = engine.evaluate(framework, met)
    levels = result.criterion_levels
    levels[0] = 99
    assert result.criterion_levels[0] != 99
