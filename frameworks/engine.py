"""The level engine: which level a school reaches under a regulatory framework, which recognition
that gives, and exactly what stands between it and the next level.

Pure Python on purpose — no Django import — so the command line, the benchmark, background jobs
and other tools can use it on the framework data files alone (`frameworks/data/*.json`).

The rules are data. Each framework file declares:

* ``rule.type = "cumulative"`` — Thông tư 17, 18, 19/2018/TT-BGDĐT: a criterion reaches Mức N when
  every indicator at levels ≤ N is met; the school reaches Mức N when it reaches Mức N−1 and every
  indicator defined at Mức N (over all criteria) is met, so a criterion with no requirement at a
  level never blocks that level; Mức 4 = Mức 3 + every school-wide Mức 4 requirement.
* ``rule.type = "thresholds"`` — Thông tư 57/2026/TT-BGDĐT (as reported): each school level is a
  list of clauses "at least k (or all) of these criteria reach level L", e.g. Mức 1 = the 8
  mandatory criteria at Mức 1 and at least 5 of the other 7 at Mức 1. Mức 2 of a criterion counts
  only when its Mức 1 is met (a criterion's level is cumulative in both families).

Both forms compile to the same clause lists, so a new framework with other thresholds needs a data
file only. Compile once (:func:`compile_framework`), then call :func:`evaluate` (or
:func:`evaluate_met`, or :func:`evaluate_bits` in bulk) per school. Compiling lays the indicators
out as bits — one field per criterion, lowest level first (:meth:`Framework._compile_bits`) —
and prepares, per clause, the bits that must not be missing, and per school level the plan of its
explanation. A school's results are then one integer: a clause is one AND, a criterion's level
one table lookup on its field, the blockers of the explanation its fields read back as ids — the
school level, the recognition levels, each criterion's level and the explanation of 45,000
schools take under half a second (``python -m bench engine``). Each rule has this one
implementation; the tests hold it to the rules written criterion by criterion
(``frameworks/tests/reference.py``) on every framework. Compiling refuses what the rules cannot
mean — a level below Mức 1, a criterion named twice in one clause — so every framework that
compiles is one the bit layout evaluates exactly.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache, reduce
from operator import and_, getitem, neg, or_
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
FORMAT = "truongchuan-framework/1"
MISSING_TEXT = "chưa có văn bản"
LEVEL4_GROUP = "M4"  # how school-wide (Mức 4) requirements are grouped in explanations
# Why a level that counts an incomplete school-wide list cannot be assessed (data files may
# give their own note, as TT18's does).
LEVEL4_INCOMPLETE = "Danh sách yêu cầu Mức 4 chưa đầy đủ: chưa thể đánh giá mức này."


class FrameworkError(ValueError):
    """Base of every error the engine reports; the message is Vietnamese, for the user."""


class InvalidFramework(FrameworkError):
    """A data file that does not follow the format (its message names the file and the place)."""


class UnknownFramework(FrameworkError):
    def __init__(self, code: str, known: Iterable[str] = ()) -> None:
        self.code = code
        known_text = ", ".join(sorted(known)) or "không có"
        super().__init__(
            f"Không có bộ tiêu chuẩn “{code}”. Các bộ tiêu chuẩn hiện có: {known_text}."
        )


class UnknownVersion(FrameworkError):
    def __init__(self, framework: str, code: str, known: Iterable[str] = ()) -> None:
        self.code = code
        super().__init__(
            f"Bộ tiêu chuẩn {framework} không có phiên bản “{code}”. "
            f"Các phiên bản: {', '.join(known)}."
        )


class UnknownIndicator(FrameworkError):
    def __init__(self, framework: str, ids: Iterable[str], *, level4: bool = False) -> None:
        self.framework = framework
        self.ids = sorted(ids)
        what = "yêu cầu Mức 4" if level4 else "chỉ báo"
        super().__init__(
            f"Mã {what} không có trong bộ tiêu chuẩn {framework}: {', '.join(self.ids)}."
        )


# --------------------------------------------------------------------------------------------
# Compiled framework
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Clause:
    """One requirement of a school level: at least ``at_least`` of ``criteria`` reach
    ``min_level`` — or, when ``requirements`` is set, at least ``at_least`` school-wide
    requirements (Mức 4 list) are met."""

    min_level: int
    at_least: int
    criteria: tuple[int, ...] = ()
    requirements: bool = False
    selector: str = "all"
    # The indicators of its criteria at levels ≤ min_level: a criterion satisfies the clause when
    # none of its indicators in this set is missing (filled in by _compile_clause), as ids and
    # as bits of the framework's layout.
    ids: frozenset[str] = frozenset()
    bits: int = 0
    # Derived at construction so evaluate() does no per-call work: whether the clause needs all
    # its criteria and how many of them may fail (slack).
    is_all: bool = field(init=False)
    slack: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "is_all", not self.requirements and self.at_least >= len(self.criteria)
        )
        object.__setattr__(self, "slack", len(self.criteria) - self.at_least)


@dataclass(frozen=True, slots=True)
class SchoolLevel:
    level: int
    clauses: tuple[Clause, ...]
    assessable: bool = True
    note: str = ""


@dataclass(frozen=True, slots=True)
class ExplainPlan:
    """What :func:`_explain` needs for one school level, prepared at compile time: the
    indicators every "all" clause forces (their union), the threshold clauses to satisfy
    cheaply, and the number of school-wide requirements of each requirements clause."""

    level: int
    forced: frozenset[str]
    thresholds: tuple[Clause, ...]
    requirements: tuple[int, ...]
    forced_bits: int = 0


@dataclass(frozen=True, slots=True)
class RecognitionRule:
    """How a school level maps to a recognition grade, and the conditions it needs."""

    mapping: tuple[int | None, ...]  # indexed by school level
    conditions: tuple[str, ...]
    authority: str = ""
    certainty: str = "confirmed"

    def grade(self, school_level: int) -> int | None:
        return self.mapping[school_level] if school_level < len(self.mapping) else None


@dataclass(frozen=True, slots=True)
class Recognition:
    accreditation: RecognitionRule | None
    national_standard: RecognitionRule | None
    accreditation_note: str
    national_standard_note: str
    validity_years: int | None
    upgrade_wait_years: int | None
    renewal_months_before_expiry: int | None
    # The external evaluation team the Sở forms (regulation.md §3: at least 5 members).
    team_min_members: int | None = None
    team_certainty: str = "confirmed"
    team_basis: str = ""


@dataclass(frozen=True, slots=True)
class Version:
    code: str
    title: str
    effective_from: dt.date
    effective_to: dt.date | None
    wording_known: bool
    note: str
    recognition: Recognition
    data: Mapping[str, Any]

    def covers(self, day: dt.date) -> bool:
        return _in_range(day, self.effective_from, self.effective_to)


class _Patterns(dict):
    """Field pattern → the criterion's indicators whose bits it sets, in the circular's order.
    Filled on first use, so that a lookup is a plain dict access; with fields of one byte at
    most 256 entries, wider fields (hypothetical so far) are not kept."""

    __slots__ = ("cache", "ids")

    def __init__(self, ids: tuple[str, ...], *, cache: bool) -> None:
        super().__init__()
        self.ids = ids
        self.cache = cache

    def __missing__(self, pattern: int) -> tuple[str, ...]:
        ids = tuple(ident for k, ident in enumerate(self.ids) if pattern >> k & 1)
        if self.cache:
            self[pattern] = ids
        return ids


class Framework:
    """A framework compiled for evaluation: criteria indexed 0..n-1, indicator id → (criterion,
    level), the ids of each criterion at each level, and the school levels as clause lists."""

    __slots__ = (
        "all_ids",
        "bits_end",
        "code",
        "condition_names",
        "criteria_bits",
        "criterion_codes",
        "criterion_ids_by_level",
        "criterion_standard",
        "criterion_standard_code",
        "criterion_top",
        "data",
        "effective_from",
        "every_bit",
        "every_id",
        "effective_to",
        "explain_plans",
        "field_bits",
        "field_ids",
        "field_masks",
        "indicator_bit",
        "indicator_pos",
        "level4_bit",
        "level4_complete",
        "level4_ids",
        "level4_shift",
        "level_of",
        "level4_order",
        "level_keys",
        "level_tables",
        "low_levels",
        "mandatory",
        "max_level",
        "pattern_ids",
        "school_kinds",
        "school_levels",
        "standard_codes",
        "title",
        "versions",
    )

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.code: str = data["code"]
        self.title: str = data.get("title", "")
        self.school_kinds: tuple[str, ...] = tuple(data.get("school_kinds", ()))
        self.effective_from = parse_date(data.get("effective_from"))
        self.effective_to = parse_date(data.get("effective_to"))
        self._compile_criteria(data)
        self.school_levels = _compile_rule(self, data.get("rule") or {})
        assessable = [sl.level for sl in self.school_levels if sl.assessable]
        self.max_level = max(assessable, default=0)
        self._compile_explanations()
        self.condition_names = tuple(data.get("conditions", {}) or ())
        self.versions = _compile_versions(self, data)

    def _compile_criteria(self, data: Mapping[str, Any]) -> None:
        codes: list[str] = []
        standard_of: list[int] = []
        tops: list[int] = []
        by_level: list[tuple[tuple[str, ...], ...]] = []
        mandatory: list[bool] = []
        pos: dict[str, tuple[int, int]] = {}
        levels = declared_levels(data)
        # Mức 1 is the lowest level of every circular, and criterion level 0 means "not Mức 1":
        # an indicator below it would give its criterion a level of −1.
        if not all(type(level) is int and level >= 1 for level in levels):
            raise InvalidFramework(
                f"{self.code}: rule.criterion_levels phải là các mức từ 1 trở lên ({levels})."
            )
        top_level = max(levels, default=0)
        self.standard_codes = tuple(s["code"] for s in data.get("standards", ()))
        for s_index, standard in enumerate(data.get("standards", ())):
            for criterion in standard.get("criteria", ()):
                c_index = len(codes)
                if criterion["code"] in codes:
                    raise InvalidFramework(
                        f"{self.code}: tiêu chí {criterion['code']} bị khai báo hai lần."
                    )
                codes.append(criterion["code"])
                standard_of.append(s_index)
                mandatory.append(bool(criterion.get("mandatory", False)))
                ids_at: list[list[str]] = [[] for _ in range(top_level + 1)]
                for indicator in criterion.get("indicators", ()):
                    ident, level = indicator["id"], indicator["level"]
                    if ident in pos:
                        raise InvalidFramework(f"{self.code}: mã chỉ báo {ident} bị trùng.")
                    if level not in levels:
                        raise InvalidFramework(
                            f"{self.code}: chỉ báo {ident} ở Mức {level}, "
                            f"ngoài các mức của tiêu chí ({levels})."
                        )
                    pos[ident] = (c_index, level)
                    ids_at[level].append(ident)
                tops.append(max((lv for lv in levels if ids_at[lv]), default=0))
                by_level.append(tuple(tuple(ids) for ids in ids_at))
        self.criterion_codes = tuple(codes)
        self.criterion_standard = tuple(standard_of)
        self.criterion_standard_code = tuple(self.standard_codes[s] for s in standard_of)
        self.criterion_top = tuple(tops)
        # Criterion level → its key in Result.standard_counts ("0" = not Mức 1).
        self.level_keys = {level: str(level) for level in range(max(tops, default=0) + 1)}
        self.criterion_ids_by_level = tuple(by_level)
        self.mandatory = tuple(mandatory)
        self.indicator_pos = pos
        self.level_of = {ident: level for ident, (_, level) in pos.items()}
        self.all_ids = frozenset(pos)
        self.level4_order = tuple(item["id"] for item in data.get("level4", ()))
        self.level4_ids = frozenset(self.level4_order)
        # False while only part of the school-wide list is known (TT18: two items of Điều 22):
        # a school level that counts them cannot be assessed (see _compile_rule).
        complete = data.get("level4_complete", True)
        if not isinstance(complete, bool):
            raise InvalidFramework(f"{self.code}: level4_complete phải là true hoặc false.")
        self.level4_complete = complete
        # Indicators and Mức 4 requirements alike, for evaluate_met (one results table).
        self.every_id = self.all_ids | self.level4_ids
        self._compile_bits()

    def _compile_bits(self) -> None:
        """The bit layout evaluation works on (see "Evaluation" below): one field of
        ``field_bits`` bits per criterion, in framework order, its indicators from the lowest
        bit up by level then in the circular's order; the school-wide Mức 4 requirements above
        the last field. A school's results are then one integer, and every question the engine
        asks is a few operations on it."""
        n = len(self.criterion_codes)
        width = max([8, *(sum(map(len, per_level)) for per_level in self.criterion_ids_by_level)])
        self.field_bits = width
        field_ids: list[tuple[str, ...]] = []
        low_levels: list[tuple[int, ...]] = []
        bit: dict[str, int] = {}
        for index, per_level in enumerate(self.criterion_ids_by_level):
            local = [(level, ident) for level, ids in enumerate(per_level) for ident in ids]
            for k, (_, ident) in enumerate(local):
                bit[ident] = 1 << (index * width + k)
            field_ids.append(tuple(ident for _, ident in local))
            # Indexed by (lowest missing bit + 1), 0 = nothing missing: the criterion's level.
            top = self.criterion_top[index]
            low_levels.append((top, *(level - 1 for level, _ in local)))
        self.indicator_bit = bit
        self.field_ids = tuple(field_ids)
        self.low_levels = tuple(low_levels)
        # With 8-bit fields a whole field pattern indexes a 256-entry table: one lookup per
        # criterion instead of isolating its lowest bit. A pattern whose lowest bit lies above
        # the criterion's indicators never occurs; its entry is None.
        self.level_tables = (
            tuple(
                tuple(
                    low[b] if (b := (p & -p).bit_length()) < len(low) else None for p in range(256)
                )
                for low in self.low_levels
            )
            if width == 8
            else None
        )
        self.field_masks = tuple(((1 << width) - 1) << (i * width) for i in range(n))
        self.criteria_bits = sum(bit.values())
        self.level4_shift = n * width
        self.level4_bit = {ident: 1 << k for k, ident in enumerate(self.level4_order)}
        self.every_bit = {
            **bit,
            **{i: b << self.level4_shift for i, b in self.level4_bit.items()},
        }
        self.bits_end = self.level4_shift + len(self.level4_order)
        # Per criterion, field pattern → its indicators, filled as explanations meet them.
        self.pattern_ids = tuple(_Patterns(ids, cache=width == 8) for ids in self.field_ids)

    def _compile_explanations(self) -> None:
        """Per reached school level, the plan of the next one (absent: nothing to explain)."""
        plans: dict[int, ExplainPlan | None] = {}
        for sl in self.school_levels:
            if sl.level - 1 in plans:  # the first school level with that number counts
                continue
            if not sl.assessable:
                plans[sl.level - 1] = None
                continue
            forced = frozenset().union(*(c.ids for c in sl.clauses if c.is_all and c.min_level > 0))
            plans[sl.level - 1] = ExplainPlan(
                level=sl.level,
                forced=forced,
                thresholds=tuple(c for c in sl.clauses if not (c.requirements or c.is_all)),
                requirements=tuple(c.at_least for c in sl.clauses if c.requirements),
                forced_bits=sum(map(self.indicator_bit.__getitem__, forced)),
            )
        self.explain_plans = plans

    # -- versions ---------------------------------------------------------------------------

    def version(self, code: str | None = None) -> Version:
        """The version with this code; without a code, the latest one."""
        if code is None:
            return self.versions[-1]
        for version in self.versions:
            if version.code == code:
                return version
        raise UnknownVersion(self.code, code, [v.code for v in self.versions])

    def version_on(self, day: dt.date) -> Version | None:
        for version in self.versions:
            if version.covers(day):
                return version
        return None

    def covers(self, kind: str, day: dt.date) -> bool:
        return kind in self.school_kinds and _in_range(day, self.effective_from, self.effective_to)

    def __repr__(self) -> str:
        return f"<Framework {self.code}>"


def declared_levels(data: Mapping[str, Any]) -> tuple[int, ...]:
    rule = data.get("rule") or {}
    levels = rule.get("criterion_levels")
    if not levels:
        raise InvalidFramework(f"{data.get('code')}: thiếu rule.criterion_levels.")
    return tuple(levels)


def _select(fw: Framework, selector: Any) -> tuple[int, ...]:
    """Criteria named by a clause: "all", "mandatory", "others" (not mandatory), or a list of
    criterion codes."""
    n = len(fw.criterion_codes)
    if selector == "all":
        return tuple(range(n))
    if selector == "mandatory":
        return tuple(i for i in range(n) if fw.mandatory[i])
    if selector == "others":
        return tuple(i for i in range(n) if not fw.mandatory[i])
    if isinstance(selector, list):
        unknown = [c for c in selector if c not in fw.criterion_codes]
        if unknown:
            raise InvalidFramework(f"{fw.code}: quy tắc nhắc tới tiêu chí không có: {unknown}.")
        # "At least k of [B.1, B.1, B.2]" has no reading in any circular (does B.1 count
        # twice?): a repeated code is a slip in the file, refused rather than guessed at.
        repeated = ", ".join(sorted({c for c in selector if selector.count(c) > 1}))
        if repeated:
            raise InvalidFramework(
                f"{fw.code}: quy tắc nêu tiêu chí {repeated} hai lần trong một điều kiện."
            )
        return tuple(fw.criterion_codes.index(c) for c in selector)
    raise InvalidFramework(f"{fw.code}: bộ chọn tiêu chí không hợp lệ: {selector!r}.")


def _compile_clause(fw: Framework, raw: Mapping[str, Any]) -> Clause:
    at_least = raw.get("at_least", "all")
    if "requirements" in raw:
        count = len(fw.level4_order)
        k = count if at_least == "all" else int(at_least)
        return Clause(min_level=0, at_least=k, requirements=True, selector="level4")
    criteria = _select(fw, raw.get("criteria", "all"))
    k = len(criteria) if at_least == "all" else int(at_least)
    if k > len(criteria):
        raise InvalidFramework(
            f"{fw.code}: cần {k} tiêu chí nhưng bộ chọn {raw.get('criteria')!r} chỉ có "
            f"{len(criteria)}."
        )
    selector = raw.get("criteria", "all")
    min_level = int(raw["level"])
    ids = frozenset(
        ident
        for ident, (index, level) in fw.indicator_pos.items()
        if level <= min_level and index in criteria
    )
    return Clause(
        min_level=min_level,
        at_least=k,
        criteria=criteria,
        selector=selector if isinstance(selector, str) else ",".join(selector),
        ids=ids,
        bits=sum(map(fw.indicator_bit.__getitem__, ids)),
    )


def _compile_rule(fw: Framework, rule: Mapping[str, Any]) -> tuple[SchoolLevel, ...]:
    kind = rule.get("type")
    if kind == "cumulative":
        levels = _compile_cumulative(fw, rule)
    elif kind == "thresholds":
        levels = []
        for raw in sorted(rule.get("school_levels", ()), key=lambda r: r["level"]):
            clauses = tuple(_compile_clause(fw, c) for c in raw.get("require", ()))
            levels.append(
                SchoolLevel(
                    raw["level"], clauses, raw.get("known", True), raw.get("note", "") or ""
                )
            )
    else:
        raise InvalidFramework(f"{fw.code}: loại quy tắc không hợp lệ: {kind!r}.")
    if fw.level4_complete:
        return tuple(levels)
    # Counting part of a list would pass schools that miss the unknown rest: a level that needs
    # the school-wide requirements is not determinable until the list is complete.
    return tuple(
        SchoolLevel(sl.level, sl.clauses, False, sl.note or LEVEL4_INCOMPLETE)
        if any(c.requirements for c in sl.clauses)
        else sl
        for sl in levels
    )


def _compile_cumulative(fw: Framework, rule: Mapping[str, Any]) -> list[SchoolLevel]:
    """TT17/18/19/2018: Mức N = every criterion satisfies N (all indicators at ≤ N met). A
    criterion whose highest defined level is below N satisfies N once all its indicators are
    met — that is how "no requirement at a level does not block" falls out of the data."""
    levels = [
        SchoolLevel(n, (_compile_clause(fw, {"criteria": "all", "level": n}),))
        for n in sorted(rule["criterion_levels"])
    ]
    wide = rule.get("school_wide")
    if wide:
        top = max(rule["criterion_levels"])
        clauses = (
            _compile_clause(fw, {"criteria": "all", "level": top}),
            _compile_clause(fw, {"requirements": wide.get("requirements", "level4")}),
        )
        levels.append(
            SchoolLevel(wide["level"], clauses, wide.get("known", True), wide.get("note", ""))
        )
    return levels


def _compile_recognition_rule(raw: Mapping[str, Any] | None, top: int) -> RecognitionRule | None:
    if not raw:
        return None
    mapping: list[int | None] = [None] * (top + 1)
    for school_level, grade in raw.get("mapping", {}).items():
        if int(school_level) <= top:
            mapping[int(school_level)] = grade
    return RecognitionRule(
        mapping=tuple(mapping),
        conditions=tuple(raw.get("conditions", ())),
        authority=raw.get("authority", ""),
        certainty=raw.get("certainty", "confirmed"),
    )


def _compile_recognition(raw: Mapping[str, Any], top: int) -> Recognition:
    team = raw.get("external_evaluation") or {}
    return Recognition(
        accreditation=_compile_recognition_rule(raw.get("accreditation"), top),
        national_standard=_compile_recognition_rule(raw.get("national_standard"), top),
        accreditation_note=raw.get("accreditation_note", "") or "",
        national_standard_note=raw.get("national_standard_note", "") or "",
        validity_years=raw.get("validity_years"),
        upgrade_wait_years=raw.get("upgrade_wait_years"),
        renewal_months_before_expiry=raw.get("renewal_registration_months_before_expiry"),
        team_min_members=team.get("team_min_members"),
        team_certainty=team.get("certainty", raw.get("certainty", "confirmed")),
        team_basis=team.get("basis", "") or "",
    )


def _compile_versions(fw: Framework, data: Mapping[str, Any]) -> tuple[Version, ...]:
    """A version (e.g. TT22/2024 amending the 2018 circulars) shares the criteria and overrides
    recognition parameters such as the wait before an upgrade (2 years → 1 year)."""
    top = max((sl.level for sl in fw.school_levels), default=0)
    base = data.get("recognition") or {}
    raw_versions = data.get("versions") or [
        {"code": fw.code, "title": data.get("title", ""), "effective_from": data["effective_from"]}
    ]
    versions = []
    for raw in sorted(raw_versions, key=lambda v: v["effective_from"]):
        merged = _merge(base, (raw.get("overrides") or {}).get("recognition", {}))
        versions.append(
            Version(
                code=raw["code"],
                title=raw.get("title", ""),
                effective_from=parse_date(raw["effective_from"]),
                effective_to=parse_date(raw.get("effective_to")),
                wording_known=raw.get("wording_known", True),
                note=raw.get("note", "") or "",
                recognition=_compile_recognition(merged, top),
                data=raw,
            )
        )
    return tuple(versions)


def _merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(dict(base))
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def parse_date(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def _in_range(day: dt.date, start: dt.date | None, end: dt.date | None) -> bool:
    return (start is None or start <= day) and (end is None or day <= end)


def compile_framework(data: Mapping[str, Any]) -> Framework:
    """Check a framework's data and compile it for :func:`evaluate`."""
    if data.get("format") != FORMAT:
        raise InvalidFramework(
            f"{data.get('code', '?')}: định dạng “{data.get('format')}” không phải {FORMAT}."
        )
    try:
        return Framework(data)
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, FrameworkError):
            raise
        raise InvalidFramework(f"{data.get('code', '?')}: dữ liệu không hợp lệ ({exc}).") from exc


# --------------------------------------------------------------------------------------------
# Loading and selection
# --------------------------------------------------------------------------------------------


def read_data(path: Path) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def load_dir(directory: Path = DATA_DIR) -> dict[str, Framework]:
    """Every framework file of a directory, compiled, by code."""
    frameworks: dict[str, Framework] = {}
    for path in sorted(Path(directory).glob("*.json")):
        fw = compile_framework(read_data(path))
        frameworks[fw.code] = fw
    return frameworks


@lru_cache(maxsize=8)
def registry(directory: Path = DATA_DIR) -> dict[str, Framework]:
    """The project's frameworks, compiled once per process."""
    return load_dir(directory)


def get(code: str, frameworks: Mapping[str, Framework] | None = None) -> Framework:
    frameworks = registry() if frameworks is None else frameworks
    try:
        return frameworks[code]
    except KeyError:
        raise UnknownFramework(code, frameworks) from None


def select(
    frameworks: Iterable[Framework], kind: str, day: dt.date
) -> tuple[Framework, Version] | None:
    """The framework and version in force for a school of this kind on this day (a TH school in
    2024 → TT17-2018 original; in 2025 → TT17-2018 as amended by TT22/2024; from 07/7/2026 →
    TT57-2026-PT). None when no framework covers it (e.g. GDTX before 2026)."""
    for fw in sorted(frameworks, key=lambda f: f.effective_from or dt.date.min, reverse=True):
        if fw.covers(kind, day):
            version = fw.version_on(day) or fw.version()
            return fw, version
    return None


# --------------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------------

NOT_REACHED = "not_reached"
UNMET_CONDITIONS = "unmet_conditions"
NOT_APPLICABLE = "not_applicable"


class Result:
    """The outcome of :func:`evaluate`. Levels are computed eagerly; the criterion levels, the
    per-standard counts and the explanation (:attr:`next_level`) are computed when first asked
    for. ``missing_bits`` / ``level4_bits``: the school's missing indicators and met Mức 4
    requirements in the framework's bit layout (:meth:`Framework._compile_bits`); ``missing``
    and ``level4_met`` are the same as sets of ids."""

    __slots__ = (
        "_next",
        "accreditation_level",
        "accreditation_reason",
        "_gaps",
        "_levels",
        "_level4_met",
        "_missing",
        "framework",
        "level4_bits",
        "missing_bits",
        "national_standard_level",
        "national_standard_reason",
        "school_level",
        "unmet_conditions",
        "version",
    )

    def __init__(
        self,
        framework: Framework,
        version: Version,
        missing_bits: int,
        level4_bits: int,
        school_level: int,
        unmet_conditions: tuple[str, ...],
    ) -> None:
        self.framework = framework
        self.version = version
        self.missing_bits = missing_bits
        self.level4_bits = level4_bits
        self._missing: frozenset[str] | None = None
        self._level4_met: frozenset[str] | None = None
        self._gaps: dict[int, int] | None = None
        self._levels: tuple[int, ...] | None = None
        self.school_level = school_level
        self.unmet_conditions = unmet_conditions
        self._next: Any = _UNSET

    # -- derived views ----------------------------------------------------------------------

    @property
    def missing(self) -> frozenset[str]:
        """The indicators not met (Mức 4 requirements aside)."""
        if self._missing is None:
            fw = self.framework
            fields = _fields(fw, self.missing_bits)
            self._missing = frozenset(
                ident
                for ids, p in zip(fw.pattern_ids, fields, strict=True)
                if p
                for ident in ids[p]
            )
        return self._missing

    @property
    def level4_met(self) -> frozenset[str]:
        """The school-wide Mức 4 requirements met."""
        if self._level4_met is None:
            bits, bit = self.level4_bits, self.framework.level4_bit
            self._level4_met = frozenset(i for i, b in bit.items() if bits & b) or _EMPTY
        return self._level4_met

    @property
    def gaps(self) -> dict[int, int]:
        """Criterion index → lowest level at which it misses an indicator (absent: none)."""
        if self._gaps is None:
            fw = self.framework
            self._gaps = {
                index: fw.low_levels[index][(p & -p).bit_length()] + 1
                for index, p in enumerate(_fields(fw, self.missing_bits))
                if p
            }
        return self._gaps

    def _level_tuple(self) -> tuple[int, ...]:
        """The criterion levels, computed once: a criterion's highest level when nothing is
        missing, else one below its lowest missing level — read off its field's lowest bit."""
        if self._levels is None:
            fw = self.framework
            fields = _fields(fw, self.missing_bits)
            if fw.level_tables is not None:
                self._levels = tuple(map(getitem, fw.level_tables, fields))
            else:
                lowest = map(int.bit_length, map(and_, fields, map(neg, fields)))
                self._levels = tuple(map(getitem, fw.low_levels, lowest))
        return self._levels

    @property
    def criterion_levels(self) -> list[int]:
        """Level of each criterion in framework order (0 = Không đạt Mức 1); a fresh list."""
        return list(self._level_tuple())

    @property
    def criteria(self) -> dict[str, int]:
        return dict(zip(self.framework.criterion_codes, self._level_tuple(), strict=True))

    @property
    def standard_counts(self) -> dict[str, dict[str, int]]:
        """Per standard: how many criteria sit at each level ("0" = not Mức 1)."""
        fw = self.framework
        keys = fw.level_keys
        counts = {code: dict.fromkeys(keys.values(), 0) for code in fw.standard_codes}
        for standard, level in zip(fw.criterion_standard_code, self._level_tuple(), strict=True):
            counts[standard][keys[level]] += 1
        return counts

    @property
    def next_level(self) -> dict[str, Any] | None:
        """``{"level": n, "blockers": [{"criterion": "1.5", "missing": ["1.5-M3"]}]}`` — the
        fewest missing indicators that lift the school one level — or None at the top."""
        if self._next is _UNSET:
            self._next = _explain(self)
        return self._next

    def reason(self, which: str) -> dict[str, Any] | None:
        code = getattr(self, f"{which}_reason")
        if code is None:
            return None
        rule = getattr(self.version.recognition, which)
        return {"code": code, "message": _reason_message(self, which, code, rule)}

    def to_dict(self) -> dict[str, Any]:
        fw, version = self.framework, self.version
        rec = version.recognition
        return {
            "framework": fw.code,
            "version": version.code,
            "criteria": self.criteria,
            "standards": self.standard_counts,
            "school_level": self.school_level,
            "accreditation_level": self.accreditation_level,
            "national_standard_level": self.national_standard_level,
            "reasons": {
                "accreditation": self.reason("accreditation"),
                "national_standard": self.reason("national_standard"),
            },
            "unmet_conditions": list(self.unmet_conditions),
            "level4_met": [i for i in fw.level4_order if self.level4_bits & fw.level4_bit[i]],
            "next_level": self.next_level,
            "top_level": fw.max_level,
            "not_assessable": [
                {"level": sl.level, "note": sl.note} for sl in fw.school_levels if not sl.assessable
            ],
            "validity_years": rec.validity_years,
            "upgrade_wait_years": rec.upgrade_wait_years,
        }


_UNSET = object()
_EMPTY: frozenset[str] = frozenset()


def evaluate(
    fw: Framework,
    met: Iterable[str],
    level4_met: Iterable[str] = (),
    conditions: Mapping[str, bool] | None = None,
    *,
    version: Version | str | None = None,
) -> Result:
    """Evaluate one school.

    ``met``: ids of met indicators (``1.1-M1a``…); ``level4_met``: met school-wide Mức 4
    requirements (``M4-1``…); ``conditions``: named recognition conditions, absent = unmet.
    Unknown ids raise :class:`UnknownIndicator`.
    """
    met_bits = _bits(fw, fw.indicator_bit, met)
    level4_bits = _bits(fw, fw.level4_bit, level4_met, level4=True) if level4_met else 0
    return _finish(fw, fw.criteria_bits ^ met_bits, level4_bits, conditions, version)


def evaluate_met(
    fw: Framework,
    met: Iterable[str],
    conditions: Mapping[str, bool] | None = None,
    *,
    version: Version | str | None = None,
) -> Result:
    """Fast path of :func:`evaluate` for the way results are stored (one row per indicator,
    ``assessments.IndicatorResult``): ``met`` holds every met id, indicators and school-wide
    Mức 4 requirements mixed, so the caller need not split them. Same result as
    ``evaluate(fw, <met indicators>, <met Mức 4 requirements>, conditions, version=version)``;
    an id of neither kind raises :class:`UnknownIndicator`."""
    return evaluate_bits(fw, _bits(fw, fw.every_bit, met), conditions, version=version)


def evaluate_bits(
    fw: Framework,
    bits: int,
    conditions: Mapping[str, bool] | None = None,
    *,
    version: Version | str | None = None,
) -> Result:
    """:func:`evaluate_met` for bulk callers that map their own keys (database ids, say) to
    ``fw.every_bit`` once: ``bits`` is the sum of the met ids' values, each id counted once."""
    if bits >> fw.bits_end:  # a bit past the layout (a negative number shifts to -1)
        raise FrameworkError(f"{fw.code}: dãy bit kết quả nằm ngoài bộ tiêu chuẩn.")
    return _finish(fw, fw.criteria_bits & ~bits, bits >> fw.level4_shift, conditions, version)


def _bits(
    fw: Framework, bit: Mapping[str, int], ids: Iterable[str], *, level4: bool = False
) -> int:
    """The ids as one integer of the framework's layout. Summing is the fast way; a repeated id
    would carry into another bit, which the bit count gives away (it is then lower than the
    number of ids), so the slower OR is kept for that case."""
    if not isinstance(ids, (list, tuple, set, frozenset)):
        ids = list(ids)
    try:
        bits = sum(map(bit.__getitem__, ids))
        if bits.bit_count() != len(ids):
            bits = reduce(or_, map(bit.__getitem__, ids), 0)
    except (KeyError, TypeError):
        unknown = {str(i) for i in ids if i not in bit}
        raise UnknownIndicator(fw.code, unknown, level4=level4) from None
    return bits


def _fields(fw: Framework, bits: int) -> bytes | list[int]:
    """One value per criterion: its field of ``bits``. Eight-bit fields (every framework so
    far) are the bytes of the integer, which C makes at once."""
    count = len(fw.criterion_codes)
    width = fw.field_bits
    if width == 8:
        return bits.to_bytes(count, "little")
    mask = (1 << width) - 1
    return [bits >> shift & mask for shift in range(0, count * width, width)]


def _finish(
    fw: Framework,
    missing_bits: int,
    level4_bits: int,
    conditions: Mapping[str, bool] | None,
    version: Version | str | None,
) -> Result:
    if version is None:
        version = fw.versions[-1]
    elif not isinstance(version, Version):
        version = fw.version(version)
    conditions = conditions or {}
    names = fw.condition_names
    unmet = tuple([c for c in names if not conditions.get(c)]) if names else ()
    school_level = _school_level(fw, missing_bits, level4_bits.bit_count())
    result = Result(fw, version, missing_bits, level4_bits, school_level, unmet)
    rec = version.recognition
    result.accreditation_level, result.accreditation_reason = _recognise(
        rec.accreditation, school_level, conditions
    )
    result.national_standard_level, result.national_standard_reason = _recognise(
        rec.national_standard, school_level, conditions
    )
    return result


def _school_level(fw: Framework, missing: int, level4_count: int) -> int:
    """Highest level whose clauses all hold, climbing one level at a time: a school that misses
    Mức N is not considered for Mức N+1.

    A criterion satisfies level L when none of its indicators at levels ≤ L is missing, so a
    clause is a question about ``missing & clause.bits`` (its criteria's indicators at ≤ L): an
    "all" clause holds when that is zero; "at least k of n" holds when it is non-zero in at most
    n − k criterion fields. The tests hold it to the rule written criterion by criterion
    (``frameworks/tests/reference.py``)."""
    reached = 0
    for school_level in fw.school_levels:
        if not school_level.assessable:
            break
        for clause in school_level.clauses:
            if clause.requirements:
                if level4_count < clause.at_least:
                    return reached
            elif clause.is_all:
                if missing & clause.bits:
                    return reached
            else:
                gaps = missing & clause.bits
                if gaps:
                    fields = _fields(fw, gaps)
                    if len(fields) - fields.count(0) > clause.slack:
                        return reached
        reached = school_level.level
    return reached


def _recognise(
    rule: RecognitionRule | None, school_level: int, conditions: Mapping[str, bool]
) -> tuple[int | None, str | None]:
    if rule is None:
        return None, NOT_APPLICABLE
    mapping = rule.mapping  # RecognitionRule.grade, inlined: twice per school
    grade = mapping[school_level] if school_level < len(mapping) else None
    if grade is None:
        return None, NOT_REACHED
    for name in rule.conditions:
        if not conditions.get(name):
            return None, UNMET_CONDITIONS
    return grade, None


def _reason_message(result: Result, which: str, code: str, rule: RecognitionRule | None) -> str:
    rec = result.version.recognition
    if code == NOT_APPLICABLE:
        note = rec.accreditation_note if which == "accreditation" else rec.national_standard_note
        return note or "Bộ tiêu chuẩn này không quy định hình thức công nhận này."
    if code == UNMET_CONDITIONS and rule is not None:
        names = [c for c in rule.conditions if c in result.unmet_conditions]
        return "Chưa đáp ứng điều kiện: " + ", ".join(names) + "."
    assert rule is not None
    needed = min((lv for lv, g in enumerate(rule.mapping) if g), default=None)
    if needed is None:
        return "Không có mức nào được công nhận."
    return f"Trường chưa đạt Mức {needed} (hiện: Mức {result.school_level})."


# --------------------------------------------------------------------------------------------
# Explanation
# --------------------------------------------------------------------------------------------


def _explain(result: Result) -> dict[str, Any] | None:
    """The cheapest way to the next school level, computed on the bits of the missing
    indicators.

    Cumulative rules leave no choice: every missing indicator at levels ≤ N. Threshold rules
    ("at least k of the others") take the k criteria that need the fewest indicators, ties
    broken by the circular's order; what the "all" clauses force is fixed first, so a criterion
    they already force costs nothing extra in a threshold clause.

    The blockers are one set of missing indicators: first what the "all" clauses force
    (``missing & plan.forced_bits``, the precomputed union of their indicators); then, per
    threshold clause, the still-unforced missing indicators of its criteria (``missing &
    clause.bits`` minus the blockers so far), one field per criterion — a criterion with none
    already counts, the others cost their field's bit count and the cheapest are added, ties to
    the circular's order. The set is then read field by field, which lists it grouped by
    criterion in the circular's order. The tests compare it with the rule written criterion by
    criterion (``frameworks/tests/reference.py``) and with an exact optimum."""
    fw = result.framework
    plan = fw.explain_plans.get(result.school_level)
    if plan is None:
        return None
    missing = result.missing_bits
    chosen = missing & plan.forced_bits
    for clause in plan.thresholds:
        rest = missing & clause.bits & ~chosen
        if rest.bit_count() <= clause.slack:  # too few missing to fill more than the slack
            continue
        groups = [(p.bit_count(), index) for index, p in enumerate(_fields(fw, rest)) if p]
        need = len(groups) - clause.slack
        if need <= 0:
            continue
        groups.sort()  # cheapest first, ties to the circular's order
        field_masks = fw.field_masks
        for _, index in groups[:need]:
            chosen |= rest & field_masks[index]
    blockers: list[dict[str, Any]] = [
        {"criterion": code, "missing": list(ids[p])}
        for code, ids, p in zip(
            fw.criterion_codes, fw.pattern_ids, _fields(fw, chosen), strict=True
        )
        if p
    ]
    if plan.requirements:
        level4_bits, bit = result.level4_bits, fw.level4_bit
        for at_least in plan.requirements:
            need = at_least - level4_bits.bit_count()
            if need > 0:
                todo = [i for i in fw.level4_order if not level4_bits & bit[i]][:need]
                blockers.append({"criterion": LEVEL4_GROUP, "missing": todo})
    return {"level": plan.level, "blockers": blockers}
