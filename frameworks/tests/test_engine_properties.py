"""Properties that must hold for every framework, including the made-up one: meeting more never
lowers any result, and meeting the reported blockers reaches the next level."""

from __future__ import annotations

from itertools import combinations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frameworks import engine

from .conftest import FRAMEWORKS_2018, FRAMEWORKS_2026, fw, madeup, madeup_wide

FRAMEWORKS = {code: fw(code) for code in FRAMEWORKS_2018 + FRAMEWORKS_2026}
FRAMEWORKS["XX-2030-DEMO"] = madeup()
FRAMEWORKS["XX-2030-WIDE"] = madeup_wide()
CONDITION_NAMES = ["cohort_completed", "three_years_data", "facilities_compliant", "audited"]


@st.composite
def school(draw, framework=None):
    """A framework, a met set biased towards realistic "mostly met" schools, level-4 items and
    conditions."""
    framework = framework or draw(
        st.sampled_from(sorted(FRAMEWORKS.values(), key=lambda f: f.code))
    )
    ids = sorted(framework.all_ids)
    share = draw(st.sampled_from([0.3, 0.7, 0.9, 0.97, 1.0]))
    flags = draw(st.lists(st.floats(0, 1), min_size=len(ids), max_size=len(ids)))
    met = {i for i, f in zip(ids, flags, strict=True) if f < share}
    level4 = (
        draw(st.sets(st.sampled_from(framework.level4_order))) if framework.level4_order else set()
    )
    conditions = draw(st.dictionaries(st.sampled_from(CONDITION_NAMES), st.booleans()))
    return framework, met, level4, conditions


@st.composite
def near_level_school(draw, framework=None):
    """The realistic shape (the benchmark's): everything up to some level met but for a few
    gaps, part of the next level met, the rest missing — where the choice among criteria of a
    threshold rule actually matters."""
    framework = framework or draw(
        st.sampled_from(sorted(FRAMEWORKS.values(), key=lambda f: f.code))
    )
    ids = sorted(framework.all_ids)
    level = draw(st.integers(0, max(framework.criterion_top)))
    share = draw(st.sampled_from([0.2, 0.5, 0.8, 0.95]))
    flags = draw(st.lists(st.floats(0, 1), min_size=len(ids), max_size=len(ids)))
    met = {
        i
        for i, f in zip(ids, flags, strict=True)
        if (framework.level_of[i] <= level and f > 0.04)
        or (framework.level_of[i] == level + 1 and f < share)
    }
    level4 = (
        draw(st.sets(st.sampled_from(framework.level4_order))) if framework.level4_order else set()
    )
    conditions = draw(st.dictionaries(st.sampled_from(CONDITION_NAMES), st.booleans()))
    return framework, met, level4, conditions


def _levels(result):
    return (
        result.school_level,
        result.accreditation_level or 0,
        result.national_standard_level or 0,
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(school(), st.data())
def test_meeting_more_never_lowers_any_result(case, data):
    framework, met, level4, conditions = case
    extra = data.draw(st.sets(st.sampled_from(sorted(framework.all_ids))))
    extra4 = (
        data.draw(st.sets(st.sampled_from(framework.level4_order)))
        if framework.level4_order
        else set()
    )
    more_conditions = {
        **conditions,
        **{name: True for name in data.draw(st.sets(st.sampled_from(CONDITION_NAMES)))},
    }
    before = engine.evaluate(framework, met, level4, conditions)
    after = engine.evaluate(framework, met | extra, level4 | extra4, more_conditions)
    assert all(a >= b for a, b in zip(_levels(after), _levels(before), strict=True))
    assert all(a >= b for a, b in zip(after.criterion_levels, before.criterion_levels, strict=True))
    assert set(after.unmet_conditions) <= set(before.unmet_conditions)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(school())
def test_meeting_the_blockers_reaches_the_next_level(case):
    framework, met, level4, conditions = case
    result = engine.evaluate(framework, met, level4, conditions)
    nxt = result.next_level
    if nxt is None:
        assert result.school_level == framework.max_level
        return
    assert nxt["level"] == result.school_level + 1
    assert nxt["blockers"], "a school below the top is always blocked by something"
    fixes = {
        i for b in nxt["blockers"] if b["criterion"] != engine.LEVEL4_GROUP for i in b["missing"]
    }
    fixes4 = {
        i for b in nxt["blockers"] if b["criterion"] == engine.LEVEL4_GROUP for i in b["missing"]
    }
    assert not fixes & met, "blockers list only missing indicators"
    after = engine.evaluate(framework, met | fixes, level4 | fixes4, conditions)
    assert after.school_level >= nxt["level"]


@settings(max_examples=150, deadline=None)
@given(school(framework=FRAMEWORKS["TT57-2026-PT"]))
def test_threshold_blockers_are_the_fewest_indicators(case):
    """TT57: a brute-force search over sets of missing indicators finds none smaller."""
    framework, met, level4, conditions = case
    result = engine.evaluate(framework, met, level4, conditions)
    nxt = result.next_level
    if nxt is None:
        return
    reported = sum(len(b["missing"]) for b in nxt["blockers"])
    if reported > 4:  # keep the brute force small; mostly-met schools are the realistic case
        return
    missing = sorted(framework.all_ids - met)
    best = None
    for size in range(len(missing) + 1):
        if best is not None:
            break
        for subset in combinations(missing, size):
            if engine.evaluate(framework, met | set(subset)).school_level >= nxt["level"]:
                best = size
                break
    assert best == reported


def _fewest_to_reach(framework, met, level4, target):
    """Exact optimum, for any number of indicators: the fewest indicators and school-wide
    requirements that bring the school to ``target``, by dynamic programming over criteria.

    A criterion satisfies a clause of level L when none of its indicators at levels ≤ L is
    missing (so one with no requirement at L does once its own are met); the cheapest way to
    make it satisfy L meets exactly its missing indicators at levels ≤ L. So a cheapest set is a
    choice of one level t per criterion (meet everything ≤ t). The school already holds the
    levels below ``target`` and meeting more never breaks them, so only the clauses of
    ``target`` count: the DP state is how many criteria each clause has got so far (capped at
    what it needs). Returns (cost, the indicators, the requirements of one cheapest way)."""
    clauses = next(sl for sl in framework.school_levels if sl.level == target).clauses
    criterion_clauses = [c for c in clauses if not c.requirements]
    states = {tuple(0 for _ in criterion_clauses): (0, frozenset())}
    for index, per_level in enumerate(framework.criterion_ids_by_level):
        options = []
        for t in range(len(per_level)):
            add = frozenset(i for lv in range(t + 1) for i in per_level[lv] if i not in met)
            after = met | add
            gaps = [lv for lv, ids in enumerate(per_level) for i in ids if i not in after]
            first_missing = min(gaps, default=float("inf"))
            options.append((add, first_missing))
        nxt = {}
        for counts, (cost, chosen) in states.items():
            for add, first_missing in options:
                new = tuple(
                    min(n + c.criteria.count(index) * (first_missing > c.min_level), c.at_least)
                    for n, c in zip(counts, criterion_clauses, strict=True)
                )
                candidate = (cost + len(add), chosen | add)
                if new not in nxt or candidate[0] < nxt[new][0]:
                    nxt[new] = candidate
        states = nxt
    cost, chosen = states[tuple(c.at_least for c in criterion_clauses)]
    extra4 = max([c.at_least - len(level4) for c in clauses if c.requirements] + [0])
    chosen4 = [i for i in framework.level4_order if i not in level4][:extra4]
    return cost + extra4, chosen, set(chosen4)


def _check_fewest(case):
    framework, met, level4, conditions = case
    result = engine.evaluate(framework, met, level4, conditions)
    nxt = result.next_level
    if nxt is None:
        return
    reported = sum(len(b["missing"]) for b in nxt["blockers"])
    best, chosen, chosen4 = _fewest_to_reach(framework, met, level4, nxt["level"])
    # The oracle's own answer must work, or it proves nothing.
    after = engine.evaluate(framework, met | chosen, level4 | chosen4, conditions)
    assert after.school_level >= nxt["level"]
    assert reported == best


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(school(), near_level_school()))
def test_blockers_are_the_fewest_indicators_whatever_their_number(case):
    """Every framework, blockers of any size (the brute force above stops at 4): the reported
    blockers are as few as the exact optimum."""
    _check_fewest(case)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(near_level_school(framework=FRAMEWORKS["TT57-2026-PT"]))
def test_threshold_blockers_are_the_fewest_near_a_level(case):
    """TT57, where the cheapest criteria must be chosen, on realistic schools."""
    _check_fewest(case)
