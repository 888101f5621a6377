"""The unit analysis agrees with evaluating each school alone, and its "N more schools" figure
is the number of schools that reach a higher level when the indicator is added and the school
re-evaluated (issue 16 §3, quality bar)."""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frameworks import engine
from frameworks.tests.conftest import FRAMEWORKS_2018, FRAMEWORKS_2026, fw, madeup, madeup_wide
from improvement import analysis

FRAMEWORKS = [fw(code) for code in FRAMEWORKS_2018 + FRAMEWORKS_2026] + [madeup(), madeup_wide()]


@st.composite
def unit(draw):
    """A framework and 1–12 schools near a level (gaps below, part of the next level met) —
    the shape where single indicators actually lift schools."""
    framework = draw(st.sampled_from(FRAMEWORKS))
    ids = sorted(framework.all_ids)
    schools = []
    for key in range(draw(st.integers(1, 12))):
        level = draw(st.integers(0, max(framework.criterion_top)))
        share = draw(st.sampled_from([0.5, 0.9, 0.97, 1.0]))
        flags = draw(st.lists(st.floats(0, 1), min_size=len(ids), max_size=len(ids)))
        met = {
            i
            for i, f in zip(ids, flags, strict=True)
            if (framework.level_of[i] <= level and f > 0.03)
            or (framework.level_of[i] == level + 1 and f < share)
        }
        if framework.level4_order:
            met |= draw(st.sets(st.sampled_from(framework.level4_order)))
        schools.append(analysis.SchoolInput(key, analysis.met_bits(framework, met)))
    return framework, schools


PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(unit())
def test_the_unit_analysis_agrees_with_each_school_evaluated_alone(case):
    framework, schools = case
    result = analysis.analyse(framework, schools)
    alone = {s.key: engine.evaluate_bits(framework, s.bits) for s in schools}
    assert result.school_count == len(schools)
    assert result.level_counts == dict(
        sorted(Counter(r.school_level for r in alone.values()).items())
    )
    for index, row in enumerate(result.criteria):
        levels = Counter(r.criterion_levels[index] for r in alone.values())
        assert row.at_level == [levels.get(lv, 0) for lv in range(row.top + 1)]
    for ident, row in result.indicators.items():
        bit = framework.every_bit[ident]
        assert row.met == sum(1 for s in schools if s.bits & bit)
        blocked = [
            key
            for key, r in alone.items()
            if r.next_level and any(ident in b["missing"] for b in r.next_level["blockers"])
        ]
        assert row.blocked == blocked
    for key, r in alone.items():
        outcome = result.schools[key]
        assert outcome.level == r.school_level
        assert list(outcome.criterion_levels) == r.criterion_levels


@PROPERTY
@given(unit())
def test_n_more_schools_is_checked_by_re_evaluating_with_the_indicator_added(case):
    framework, schools = case
    result = analysis.analyse(framework, schools)
    for ident, row in result.indicators.items():
        bit = framework.every_bit[ident]
        expected: dict[int, list] = {}
        for s in schools:
            if s.bits & bit:
                continue
            before = engine.evaluate_bits(framework, s.bits).school_level
            after = engine.evaluate_bits(framework, s.bits | bit).school_level
            if after > before:
                expected.setdefault(after, []).append(s.key)
        assert row.lifts == expected, ident


def test_one_missing_indicator_blocks_and_lifts_the_school():
    framework = madeup()
    everything = analysis.met_bits(framework, framework.all_ids | framework.level4_ids)
    one = next(iter(sorted(framework.all_ids)))
    schools = [
        analysis.SchoolInput("a", everything & ~framework.every_bit[one]),
        analysis.SchoolInput("b", everything),
    ]
    result = analysis.analyse(framework, schools)
    row = result.indicators[one]
    assert row.blocked == ["a"]
    assert row.lift_count == 1
    assert result.ranked[0].ident == one


def test_an_empty_unit_has_no_schools_and_no_blockers():
    result = analysis.analyse(madeup(), [])
    assert result.school_count == 0
    assert result.ranked == []
    assert all(sum(row.at_level) == 0 for row in result.criteria)
