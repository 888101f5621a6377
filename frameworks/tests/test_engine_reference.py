"""The bit-based fast paths of the engine (``_school_level``, ``_explain``, the criterion levels)
must give exactly what the reference implementations — the rules written criterion by criterion
— give, on every framework, for any school and for realistic "near a level" schools."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frameworks import engine

from .conftest import FIXTURES, FRAMEWORKS_2018, FRAMEWORKS_2026, fw, madeup
from .test_engine_properties import FRAMEWORKS, near_level_school, school


def _reference_criterion_levels(result):
    """Per criterion: its highest level when nothing is missing, else one below the lowest level
    of its missing indicators — from the framework's tables, not the engine's shortcuts."""
    framework = result.framework
    levels = []
    for index, per_level in enumerate(framework.criterion_ids_by_level):
        missing = [lv for lv, ids in enumerate(per_level) for i in ids if i in result.missing]
        levels.append(min(missing) - 1 if missing else framework.criterion_top[index])
    return levels


def _check(case):
    framework, met, level4, conditions = case
    result = engine.evaluate(framework, met, level4, conditions)
    assert framework.regular
    assert result.school_level == engine._school_level_reference(result)
    assert engine._explain(result) == engine._explain_reference(result)
    assert result.next_level == engine._explain_reference(result)
    assert result.criterion_levels == _reference_criterion_levels(result)
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
def test_every_framework_takes_the_fast_path(code):
    """What the benchmark measures is what the frameworks use."""
    assert FRAMEWORKS[code].regular


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


def _irregular():
    """The made-up framework with a criterion named twice in a clause: outside what the fast
    paths assume."""
    data = engine.read_data(FIXTURES / "XX-2030-DEMO.json")
    data["rule"]["school_levels"][0]["require"][1] = {
        "criteria": ["B.1", "B.1", "B.2", "B.3"],
        "level": 1,
        "at_least": 2,
    }
    return engine.compile_framework(data)


def test_an_irregular_framework_is_evaluated_by_the_reference():
    framework = _irregular()
    assert not framework.regular
    base = {"A.1-M1a", "A.1-M1b", "A.2-M1"}
    # B.1 counts twice, as the reference reads the clause.
    result = engine.evaluate(framework, base | {"B.1-M1"})
    assert result.school_level == engine._school_level_reference(result) == 1
    result = engine.evaluate(framework, base | {"B.3-M1"})
    assert result.school_level == 0
    assert result.next_level == engine._explain_reference(result)
    assert result.next_level == {
        "level": 1,
        "blockers": [{"criterion": "B.1", "missing": ["B.1-M1"]}],
    }


@pytest.mark.parametrize("code", FRAMEWORKS_2018 + FRAMEWORKS_2026)
def test_gaps_are_the_lowest_missing_level_of_each_criterion(code):
    framework = fw(code)
    result = engine.evaluate(framework, [])
    assert result.gaps == {
        index: min(lv for lv, ids in enumerate(per_level) if ids)
        for index, per_level in enumerate(framework.criterion_ids_by_level)
    }
    assert engine.evaluate(framework, framework.all_ids).gaps == {}


def test_the_made_up_framework_explains_like_the_reference_level_by_level():
    framework = madeup()
    met = set()
    in_circular_order = [
        i for per_level in framework.criterion_ids_by_level for ids in per_level for i in ids
    ]
    for ident in in_circular_order:
        met.add(ident)
        result = engine.evaluate(framework, met, ["M4-2"])
        assert result.next_level == engine._explain_reference(result)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted(FRAMEWORKS)), st.data())
def test_criterion_levels_is_a_fresh_list(code, data):
    framework = FRAMEWORKS[code]
    met = data.draw(st.sets(st.sampled_from(sorted(framework.all_ids))))
    result = engine.evaluate(framework, met)
    levels = result.criterion_levels
    levels[0] = 99
    assert result.criterion_levels[0] != 99
