"""What holds schools back: the level engine run over every school of a unit, summed up per
criterion and indicator, and the indicators that block the most schools ranked.

Pure Python (no Django import), like the engine: the selector reads each school's met
indicators as one integer in the framework's bit layout (``Framework.every_bit``) and this
module does the rest, so the benchmark and the property tests call it on plain data.

For each school the engine gives its level, each criterion's level and the fewest missing
indicators that lift it one level (``Result.next_level``). Summed over the unit:

* per criterion, how many schools reach each level; per indicator, how many meet it;
* per indicator, the schools whose minimal blockers name it ("blocks N schools");
* per indicator, the schools it alone would lift ("nếu chỉ báo này đạt, thêm N trường đạt
  Mức k"): counted by re-evaluating the school with the indicator added. Only a school whose
  minimal blockers are a single indicator can be lifted by one indicator (the engine's
  blockers are the fewest, ``frameworks/tests/test_engine_properties.py``), and only by a
  missing indicator its next level looks at, so only those are re-evaluated; the property
  test re-evaluates every school with every indicator added and finds the same counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from frameworks import engine

LEVEL4 = engine.LEVEL4_GROUP


@dataclass(frozen=True)
class SchoolInput:
    """One school: its key (the school's id) and its met indicators and Mức 4 requirements as
    the sum of their ``fw.every_bit`` values."""

    key: Hashable
    bits: int


@dataclass(frozen=True)
class SchoolOutcome:
    key: Hashable
    level: int
    next_level: int | None
    blockers: tuple[str, ...]
    criterion_levels: tuple[int, ...]


@dataclass
class IndicatorRow:
    ident: str
    criterion: str  # criterion code, or LEVEL4 for a school-wide Mức 4 requirement
    level: int  # the indicator's level (4 for a school-wide requirement)
    met: int = 0
    blocked: list[Hashable] = field(default_factory=list)
    # Level reached with this indicator added → the schools it alone lifts there.
    lifts: dict[int, list[Hashable]] = field(default_factory=dict)

    @property
    def blocked_count(self) -> int:
        return len(self.blocked)

    @property
    def lift_count(self) -> int:
        return sum(map(len, self.lifts.values()))


@dataclass
class CriterionRow:
    code: str
    standard: str
    top: int
    # Schools whose criterion level is exactly 0..top.
    at_level: list[int]

    def reaching(self, level: int) -> int:
        """Schools whose criterion reaches at least ``level``."""
        return sum(self.at_level[level:])


@dataclass
class UnitAnalysis:
    framework: str
    school_count: int
    level_counts: dict[int, int]
    criteria: list[CriterionRow]
    indicators: dict[str, IndicatorRow]
    schools: dict[Hashable, SchoolOutcome]

    @property
    def ranked(self) -> list[IndicatorRow]:
        """The indicators that block at least one school, most schools first; then those that
        alone lift the most; then the circular's order."""
        order = {ident: i for i, ident in enumerate(self.indicators)}
        rows = [r for r in self.indicators.values() if r.blocked or r.lifts]
        return sorted(rows, key=lambda r: (-r.blocked_count, -r.lift_count, order[r.ident]))

    def share(self, count: int) -> float:
        return count / self.school_count if self.school_count else 0.0


@lru_cache(maxsize=64)
def _layout(fw: engine.Framework) -> tuple[dict[int, str], dict[int, tuple[int, bool]]]:
    """Bit → id over indicators and Mức 4 requirements; per reached school level, the bits its
    next level looks at and whether that level counts school-wide requirements."""
    ident_of = {bit: ident for ident, bit in fw.every_bit.items()}
    nxt: dict[int, tuple[int, bool]] = {}
    for reached, plan in fw.explain_plans.items():
        if plan is None:
            continue
        sl = next(s for s in fw.school_levels if s.level == plan.level)
        bits = 0
        for clause in sl.clauses:
            bits |= clause.bits
        nxt[reached] = (bits, any(c.requirements for c in sl.clauses))
    return ident_of, nxt


def _split(fw: engine.Framework, bits: int) -> bytes | list[int]:
    count, width = len(fw.criterion_codes), fw.field_bits
    if width == 8:
        return bits.to_bytes(count, "little")
    mask = (1 << width) - 1
    return [bits >> shift & mask for shift in range(0, count * width, width)]


def analyse(
    fw: engine.Framework, schools: Iterable[SchoolInput], *, version: str | None = None
) -> UnitAnalysis:
    """The unit's analysis under ``fw``. The recognition conditions do not matter here: they
    decide recognition, never the school level or its blockers."""
    ident_of, next_bits = _layout(fw)
    ver = fw.version(version)
    evaluate_bits = engine.evaluate_bits
    indicators: dict[str, IndicatorRow] = {}
    for index, code in enumerate(fw.criterion_codes):
        for ident in fw.field_ids[index]:
            indicators[ident] = IndicatorRow(ident, code, fw.level_of[ident])
    for ident in fw.level4_order:
        indicators[ident] = IndicatorRow(ident, LEVEL4, 4)
    outcomes: dict[Hashable, SchoolOutcome] = {}
    level_counts: Counter[int] = Counter()
    criteria_rows: list[tuple[int, ...]] = []
    met_fields: list[bytes | list[int]] = []
    level4_met: Counter[int] = Counter()
    criteria_bits, shift = fw.criteria_bits, fw.level4_shift
    for school in schools:
        bits = school.bits
        result = evaluate_bits(fw, bits, version=ver)
        levels = tuple(result.criterion_levels)
        nxt = result.next_level
        blockers: tuple[str, ...] = ()
        if nxt is not None:
            blockers = tuple(i for b in nxt["blockers"] for i in b["missing"])
            for ident in blockers:
                indicators[ident].blocked.append(school.key)
            if len(blockers) == 1:
                _lifts(fw, school, result, next_bits, ident_of, indicators, ver)
        level_counts[result.school_level] += 1
        criteria_rows.append(levels)
        met_fields.append(_split(fw, bits & criteria_bits))
        if bits >> shift:
            level4_met[bits >> shift] += 1
        outcomes[school.key] = SchoolOutcome(
            school.key, result.school_level, nxt["level"] if nxt else None, blockers, levels
        )
    # Per criterion: one column of levels and one of met patterns, counted once each.
    criteria: list[CriterionRow] = []
    columns = zip(*criteria_rows, strict=True) if criteria_rows else ()
    level_columns = list(columns) or [()] * len(fw.criterion_codes)
    pattern_columns = list(zip(*met_fields, strict=True)) if met_fields else []
    for index, code in enumerate(fw.criterion_codes):
        top = fw.criterion_top[index]
        counts = Counter(level_columns[index])
        criteria.append(
            CriterionRow(
                code,
                fw.criterion_standard_code[index],
                top,
                [counts.get(level, 0) for level in range(top + 1)],
            )
        )
        if pattern_columns:
            ids = fw.pattern_ids[index]
            for pattern, n in Counter(pattern_columns[index]).items():
                if pattern:
                    for ident in ids[pattern]:
                        indicators[ident].met += n
    for pattern, n in level4_met.items():
        for ident, bit in fw.level4_bit.items():
            if pattern & bit:
                indicators[ident].met += n
    return UnitAnalysis(
        framework=fw.code,
        school_count=len(outcomes),
        level_counts=dict(sorted(level_counts.items())),
        criteria=criteria,
        indicators=indicators,
        schools=outcomes,
    )


def _lifts(
    fw: engine.Framework,
    school: SchoolInput,
    result: engine.Result,
    next_bits: dict[int, tuple[int, bool]],
    ident_of: dict[int, str],
    indicators: dict[str, IndicatorRow],
    version: engine.Version,
) -> None:
    """Re-evaluate the school with each single missing indicator its next level looks at."""
    look, requirements = next_bits[result.school_level]
    candidates = result.missing_bits & look
    if requirements:
        candidates |= _unmet_level4(fw, result) << fw.level4_shift
    while candidates:
        bit = candidates & -candidates
        candidates ^= bit
        lifted = engine.evaluate_bits(fw, school.bits | bit, version=version).school_level
        if lifted > result.school_level:
            indicators[ident_of[bit]].lifts.setdefault(lifted, []).append(school.key)


def _unmet_level4(fw: engine.Framework, result: engine.Result) -> int:
    return ((1 << len(fw.level4_order)) - 1) & ~result.level4_bits


def met_bits(fw: engine.Framework, met: Iterable[str]) -> int:
    """The bits of met ids (indicators and Mức 4 requirements mixed); unknown ids raise."""
    every = fw.every_bit
    bits = 0
    for ident in met:
        if ident not in every:
            raise engine.UnknownIndicator(fw.code, {ident})
        bits |= every[ident]
    return bits


@dataclass(frozen=True)
class TrendPoint:
    """One cycle of a school or a unit: per criterion, the schools at each level."""

    cycle: str
    school_count: int
    criteria: tuple[CriterionRow, ...]


def trend(
    fw: engine.Framework, cycles: Iterable[tuple[str, list[SchoolInput]]]
) -> list[TrendPoint]:
    """Criterion levels across cycles (school years), oldest first as given."""
    points = []
    for cycle, schools in cycles:
        a = analyse(fw, schools)
        points.append(TrendPoint(cycle, a.school_count, tuple(a.criteria)))
    return points


@lru_cache(maxsize=64)
def _letters(fw: engine.Framework) -> dict[str, str]:
    letters: dict[str, str] = {}
    for standard in fw.data.get("standards", ()):
        for criterion in standard.get("criteria", ()):
            for indicator in criterion.get("indicators", ()):
                letters[indicator["id"]] = indicator.get("letter") or ""
    return letters


def indicator_name(fw: engine.Framework, ident: str) -> str:
    """An indicator as the circular names it ("chỉ báo a) Mức 2, tiêu chí 1.3"), never the
    internal id (documents and exports must not show ``1.3-M2a``)."""
    if ident in fw.level4_bit:
        return f"yêu cầu Mức 4 thứ {fw.level4_order.index(ident) + 1}"
    index, level = fw.indicator_pos[ident]
    letter = _letters(fw).get(ident, "")
    code = fw.criterion_codes[index]
    if letter:
        return f"chỉ báo {letter}) Mức {level}, tiêu chí {code}"
    return f"yêu cầu Mức {level}, tiêu chí {code}"
