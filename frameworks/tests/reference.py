"""The rules of the level engine written criterion by criterion, as the circulars state them: the
oracle the tests hold the engine's one (bit-based) implementation to, on every framework
(``test_engine_reference.py``). Deliberately slow and plain; nothing outside the tests uses it.

Each function takes an :class:`engine.Result` and answers from its sets of ids (``missing``,
``level4_met``) and the framework's tables, never from the bits the engine computes with.
"""

from __future__ import annotations

from typing import Any

from frameworks import engine

NOTHING_MISSING = 1 << 30  # "first missing level" of a criterion whose indicators are all met


def criterion_levels(result: engine.Result) -> list[int]:
    """Per criterion: its highest level when nothing is missing, else one below the lowest level
    of its missing indicators."""
    framework = result.framework
    levels = []
    for index, per_level in enumerate(framework.criterion_ids_by_level):
        missing = [lv for lv, ids in enumerate(per_level) for i in ids if i in result.missing]
        levels.append(min(missing) - 1 if missing else framework.criterion_top[index])
    return levels


def gaps(result: engine.Result) -> dict[int, int]:
    """Criterion index → lowest level at which it misses an indicator (absent: none)."""
    framework = result.framework
    found: dict[int, int] = {}
    for ident in result.missing:
        index, level = framework.indicator_pos[ident]
        found[index] = min(level, found.get(index, NOTHING_MISSING))
    return found


def school_level(result: engine.Result) -> int:
    """The school level by the rule as written: the highest level whose clauses all hold,
    climbing one level at a time (a school that misses Mức N is not considered for Mức N+1).

    A criterion satisfies level L when none of its indicators at levels ≤ L is missing. The
    shortcuts on the lowest level of any missing indicator: when it is above L every criterion
    clause of L holds; when it is not and the clause needs every criterion, the clause fails.
    Only clauses over a subset of criteria (TT57's "mandatory" / "others") need the
    per-criterion gaps."""
    fw = result.framework
    missing = result.missing
    lowest = min(map(fw.level_of.__getitem__, missing)) if missing else NOTHING_MISSING
    level4_count = len(result.level4_met)
    by_criterion = gaps(result)
    reached = 0
    for level_rule in fw.school_levels:
        if not level_rule.assessable:
            break
        for clause in level_rule.clauses:
            if clause.requirements:
                if level4_count < clause.at_least:
                    return reached
                continue
            level = clause.min_level
            if lowest > level:
                continue
            every = len(clause.criteria) == len(fw.criterion_codes)
            if every and clause.is_all:
                return reached
            values = [by_criterion.get(i, NOTHING_MISSING) for i in clause.criteria]
            if clause.is_all:
                if min(values) <= level:
                    return reached
            elif len([f for f in values if f > level]) < clause.at_least:
                return reached
        reached = level_rule.level
    return reached


def _missing_by_criterion(result: engine.Result) -> dict[int, list[str]]:
    """Missing indicators grouped by criterion index (in framework order), each list by level
    then in the circular's order."""
    missing = result.missing
    by_level = result.framework.criterion_ids_by_level
    return {
        index: [i for ids in by_level[index] for i in ids if i in missing]
        for index in sorted(gaps(result))
    }


def explain(result: engine.Result) -> dict[str, Any] | None:
    """The cheapest way to the next school level, by the rule as written.

    Cumulative rules leave no choice: every missing indicator at levels ≤ N. Threshold rules
    ("at least k of the others") pick the k criteria that need the fewest indicators, ties
    broken by the circular's order. "All" clauses are fixed first, so a criterion they already
    force costs nothing extra in a threshold clause. Exact when threshold clauses select
    disjoint criteria (every framework so far: mandatory vs. others).
    """
    fw = result.framework
    target_level = result.school_level + 1
    level_rule = next((sl for sl in fw.school_levels if sl.level == target_level), None)
    if level_rule is None or not level_rule.assessable:
        return None
    grouped = _missing_by_criterion(result)
    target: dict[int, int] = {}
    for clause in level_rule.clauses:
        if clause.is_all:
            for i in clause.criteria:
                if i in grouped and target.get(i, 0) < clause.min_level:
                    target[i] = clause.min_level
    for clause in level_rule.clauses:
        if not (clause.requirements or clause.is_all):
            _choose_cheapest(fw, clause, target, grouped)
    blockers = []
    level_of = fw.level_of
    for index in sorted(target):
        todo = [i for i in grouped[index] if level_of[i] <= target[index]]
        if todo:
            blockers.append({"criterion": fw.criterion_codes[index], "missing": todo})
    for clause in level_rule.clauses:
        if clause.requirements:
            need = clause.at_least - len(result.level4_met)
            if need > 0:
                todo = [i for i in fw.level4_order if i not in result.level4_met][:need]
                blockers.append({"criterion": engine.LEVEL4_GROUP, "missing": todo})
    return {"level": target_level, "blockers": blockers}


def _choose_cheapest(
    fw: engine.Framework,
    clause: engine.Clause,
    target: dict[int, int],
    grouped: dict[int, list[str]],
) -> None:
    """Lift the cheapest criteria of a threshold clause to its level (in place on target)."""
    level = clause.min_level
    level_of = fw.level_of

    def cost(index: int, up_to: int) -> int:
        return sum(1 for i in grouped.get(index, ()) if level_of[i] <= up_to)

    costs = []
    done = 0
    for index in clause.criteria:
        forced = target.get(index, 0)
        extra = cost(index, level) - cost(index, forced) if forced < level else 0
        if extra == 0:
            done += 1
        else:
            costs.append((extra, index))
    need = clause.at_least - done
    if need <= 0:
        return
    costs.sort()
    for _, index in costs[:need]:
        target[index] = level
