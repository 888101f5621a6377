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
:func:`evaluate_met`) per school. Compiling prepares, per clause, the set of indicators that must
not be missing, and per school level the plan of its explanation; evaluating is then a few
C-level set operations between those sets and the school's *missing* indicators — the school
level, the recognition levels, each criterion's level and the explanation of 45,000 schools take
well under a second (``python -m bench engine``). ``_school_level_reference`` and
``_explain_reference`` state the rules criterion by criterion; the tests hold the fast paths to
them, and a framework outside what the fast paths assume (an indicator below Mức 1, a criterion
named twice in one clause) is evaluated by them.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
FORMAT = "truongchuan-framework/1"
MISSING_TEXT = "chưa có văn bản"
LEVEL4_GROUP = "M4"  # how school-wide (Mức 4) requirements are grouped in explanations

_NOTHING_MISSING = 1 << 30  # "first missing level" of a criterion whose indicators are all met


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
    every: bool = False  # the clause names every criterion of the framework
    # The indicators of its criteria at levels ≤ min_level: a criterion satisfies the clause when
    # none of its indicators in this set is missing (filled in by _compile_clause).
    ids: frozenset[str] = frozenset()
    # Derived at construction so evaluate() does no per-call work: whether the clause needs all
    # its criteria, how many of them may fail (slack), and one "nothing missing" default per
    # criterion for map(gaps.get, …).
    is_all: bool = field(init=False)
    slack: int = field(init=False)
    defaults: tuple[int, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "is_all", not self.requirements and self.at_least >= len(self.criteria)
        )
        object.__setattr__(self, "slack", len(self.criteria) - self.at_least)
        object.__setattr__(self, "defaults", (_NOTHING_MISSING,) * len(self.criteria))


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


class Framework:
    """A framework compiled for evaluation: criteria indexed 0..n-1, indicator id → (criterion,
    level), the ids of each criterion at each level, and the school levels as clause lists."""

    __slots__ = (
        "all_ids",
        "code",
        "criterion_code_of",
        "condition_names",
        "criterion_codes",
        "criterion_ids_by_level",
        "criterion_of",
        "criterion_standard",
        "criterion_standard_code",
        "criterion_top",
        "data",
        "effective_from",
        "every_id",
        "effective_to",
        "explain_plans",
        "indicator_pos",
        "level4_ids",
        "level_of",
        "level4_order",
        "level_keys",
        "mandatory",
        "max_level",
        "rank",
        "regular",
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
        # Indicators and Mức 4 requirements alike, for evaluate_met (one results table).
        self.every_id = self.all_ids | self.level4_ids
        # For the explanation: indicator → criterion index and code, and its rank in the order
        # explanations list indicators (criterion, then level, then the circular's order).
        self.criterion_of = {ident: index for ident, (index, _) in pos.items()}
        self.criterion_code_of = {ident: codes[index] for ident, (index, _) in pos.items()}
        self.rank = {
            ident: rank
            for rank, ident in enumerate(
                i for per_level in by_level for ids in per_level for i in ids
            )
        }

    def _compile_explanations(self) -> None:
        """Per reached school level, the plan of the next one (absent: nothing to explain).

        The set-based evaluation and explanation assume what every real framework satisfies:
        indicator levels ≥ 1 and no criterion named twice in one clause. A framework that breaks
        either ("irregular") is evaluated by the reference implementation instead."""
        self.regular = all(level >= 1 for level in self.level_of.values()) and all(
            len(set(clause.criteria)) == len(clause.criteria)
            for sl in self.school_levels
            for clause in sl.clauses
        )
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
    return Clause(
        min_level=min_level,
        at_least=k,
        criteria=criteria,
        selector=selector if isinstance(selector, str) else ",".join(selector),
        every=len(criteria) == len(fw.criterion_codes),
        ids=frozenset(
            ident
            for ident, (index, level) in fw.indicator_pos.items()
            if level <= min_level and index in criteria
        ),
    )


def _compile_rule(fw: Framework, rule: Mapping[str, Any]) -> tuple[SchoolLevel, ...]:
    kind = rule.get("type")
    if kind == "cumulative":
        return _compile_cumulative(fw, rule)
    if kind == "thresholds":
        levels = []
        for raw in sorted(rule.get("school_levels", ()), key=lambda r: r["level"]):
            clauses = tuple(_compile_clause(fw, c) for c in raw.get("require", ()))
            levels.append(
                SchoolLevel(
                    raw["level"], clauses, raw.get("known", True), raw.get("note", "") or ""
                )
            )
        return tuple(levels)
    raise InvalidFramework(f"{fw.code}: loại quy tắc không hợp lệ: {kind!r}.")


def _compile_cumulative(fw: Framework, rule: Mapping[str, Any]) -> tuple[SchoolLevel, ...]:
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
    return tuple(levels)


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
    return Recognition(
        accreditation=_compile_recognition_rule(raw.get("accreditation"), top),
        national_standard=_compile_recognition_rule(raw.get("national_standard"), top),
        accreditation_note=raw.get("accreditation_note", "") or "",
        national_standard_note=raw.get("national_standard_note", "") or "",
        validity_years=raw.get("validity_years"),
        upgrade_wait_years=raw.get("upgrade_wait_years"),
        renewal_months_before_expiry=raw.get("renewal_registration_months_before_expiry"),
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
    """The outcome of :func:`evaluate`. Levels are computed eagerly; the per-standard counts and
    the explanation (:attr:`next_level`) are computed when first asked for."""

    __slots__ = (
        "_next",
        "accreditation_level",
        "accreditation_reason",
        "_gaps",
        "_levels",
        "framework",
        "level4_met",
        "missing",
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
        missing: frozenset[str],
        level4_met: frozenset[str],
        school_level: int,
        unmet_conditions: tuple[str, ...],
    ) -> None:
        self.framework = framework
        self.version = version
        self.missing = missing
        self._gaps: dict[int, int] | None = None
        self._levels: tuple[int, ...] | None = None
        self.level4_met = level4_met
        self.school_level = school_level
        self.unmet_conditions = unmet_conditions
        self._next: Any = _UNSET

    # -- derived views ----------------------------------------------------------------------

    @property
    def gaps(self) -> dict[int, int]:
        """Criterion index → lowest level at which it misses an indicator (absent: none)."""
        if self._gaps is None:
            self._gaps = _gaps(self.framework, self.missing)
        return self._gaps

    @property
    def first_missing(self) -> list[int]:
        """Per criterion, the lowest level with a missing indicator (a huge number if none)."""
        gaps = self.gaps
        return [gaps.get(i, _NOTHING_MISSING) for i in range(len(self.framework.criterion_codes))]

    def _level_tuple(self) -> tuple[int, ...]:
        """The criterion levels, computed once: a criterion's highest level when nothing is
        missing, else one below its lowest missing level."""
        if self._levels is None:
            levels = list(self.framework.criterion_top)
            for index, first in self.gaps.items():
                levels[index] = first - 1
            self._levels = tuple(levels)
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
            "level4_met": [i for i in fw.level4_order if i in self.level4_met],
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
    if not isinstance(met, (list, tuple, set, frozenset)):
        met = list(met)
    # One C-level pass: the framework's ids minus the met ones. If the sizes do not add up, the
    # input has duplicates (harmless) or unknown ids (refused).
    missing = fw.all_ids.difference(met)
    if len(fw.all_ids) - len(missing) != len(met):
        unknown = set(met) - fw.all_ids
        if unknown:
            raise UnknownIndicator(fw.code, unknown)
    l4 = frozenset(level4_met) if level4_met else _EMPTY
    if l4 and not l4 <= fw.level4_ids:
        raise UnknownIndicator(fw.code, l4 - fw.level4_ids, level4=True)

    return _finish(fw, missing, l4, conditions, version)


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
    an id of neither kind raises :class:`UnknownIndicator`.

    Ids decoded once and reused (values of a dict mapping database ids to codes, say) are
    cheaper than freshly decoded strings: their hash is already cached.
    """
    if not isinstance(met, (list, tuple, set, frozenset)):
        met = list(met)
    every = fw.every_id
    missing = every.difference(met)
    if len(every) - len(missing) != len(met):
        unknown = set(met) - every
        if unknown:
            raise UnknownIndicator(fw.code, unknown)
    level4_ids = fw.level4_ids
    if level4_ids:
        # Only the few Mức 4 requirements are walked, never the met ids again.
        l4 = level4_ids.difference(missing) or _EMPTY
        missing = missing - level4_ids
    else:
        l4 = _EMPTY
    return _finish(fw, missing, l4, conditions, version)


def _finish(
    fw: Framework,
    missing: frozenset[str],
    l4: frozenset[str],
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
    if fw.regular:
        school_level = _school_level(fw, missing, len(l4))
        result = Result(fw, version, missing, l4, school_level, unmet)
    else:
        result = Result(fw, version, missing, l4, 0, unmet)
        result.school_level = school_level = _school_level_reference(result)
    rec = version.recognition
    result.accreditation_level, result.accreditation_reason = _recognise(
        rec.accreditation, school_level, conditions
    )
    result.national_standard_level, result.national_standard_reason = _recognise(
        rec.national_standard, school_level, conditions
    )
    return result


def _gaps(fw: Framework, missing: frozenset[str]) -> dict[int, int]:
    """Criterion index → lowest level of its missing indicators. C-level: the missing ids sorted
    by level, highest first, turned into (criterion, level) pairs — the last pair written for a
    criterion, its lowest level, wins."""
    return dict(
        map(
            fw.indicator_pos.__getitem__, sorted(missing, key=fw.level_of.__getitem__, reverse=True)
        )
    )


def _school_level(fw: Framework, missing: frozenset[str], level4_count: int) -> int:
    """Highest level whose clauses all hold, climbing one level at a time: a school that misses
    Mức N is not considered for Mức N+1.

    A criterion satisfies level L when none of its indicators at levels ≤ L is missing, so a
    clause is a question about ``missing ∩ clause.ids`` (its criteria's indicators at ≤ L),
    answered by C-level set operations: an "all" clause holds when the two are disjoint; "at
    least k of n" holds when the missing ones fall in at most n − k distinct criteria. Same
    answers as :func:`_school_level_reference` on a regular framework (the tests check it)."""
    reached = 0
    criterion_of = fw.criterion_of.__getitem__
    for school_level in fw.school_levels:
        if not school_level.assessable:
            break
        for clause in school_level.clauses:
            if clause.requirements:
                if level4_count < clause.at_least:
                    return reached
            elif clause.is_all:
                if not missing.isdisjoint(clause.ids):
                    return reached
            elif not missing.isdisjoint(clause.ids) and (
                len(set(map(criterion_of, missing.intersection(clause.ids)))) > clause.slack
            ):
                return reached
        reached = school_level.level
    return reached


def _school_level_reference(result: Result) -> int:
    """The school level by the rule as written, criterion by criterion: the oracle of the tests
    and the evaluation of irregular frameworks (see :meth:`Framework._compile_explanations`).

    A criterion satisfies level L when none of its indicators at levels ≤ L is missing. The
    shortcuts on the lowest level of any missing indicator: when it is above L every criterion
    clause of L holds; when it is not and the clause needs every criterion, the clause fails.
    Only clauses over a subset of criteria (TT57's "mandatory" / "others") need the
    per-criterion gaps."""
    fw = result.framework
    missing = result.missing
    lowest = min(map(fw.level_of.__getitem__, missing)) if missing else _NOTHING_MISSING
    level4_count = len(result.level4_met)
    reached = 0
    for school_level in fw.school_levels:
        if not school_level.assessable:
            break
        for clause in school_level.clauses:
            if clause.requirements:
                if level4_count < clause.at_least:
                    return reached
                continue
            level = clause.min_level
            if lowest > level:
                continue
            if clause.every and clause.is_all:
                return reached
            values = map(result.gaps.get, clause.criteria, clause.defaults)
            if clause.is_all:
                if min(values) <= level:
                    return reached
            elif len([f for f in values if f > level]) < clause.at_least:
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


def _missing_by_criterion(result: Result) -> dict[int, list[str]]:
    """Missing indicators grouped by criterion index (in framework order), each list by level
    then in the circular's order."""
    missing = result.missing
    by_level = result.framework.criterion_ids_by_level
    return {
        index: [i for ids in by_level[index] for i in ids if i in missing]
        for index in sorted(result.gaps)
    }


def _explain(result: Result) -> dict[str, Any] | None:
    """The cheapest way to the next school level (see :func:`_explain_reference` for the rule);
    on a regular framework, computed with set operations on the missing indicators only.

    The blockers are one set of missing indicators: first what the "all" clauses force
    (``missing ∩ plan.forced``, the precomputed union of their indicators); then, per threshold
    clause, the still-unforced missing indicators of its criteria (``missing ∩ clause.ids``
    minus the blockers so far) grouped by criterion — a criterion with none already counts, the
    others cost their group's size and the cheapest are added, ties to the circular's order.
    The set is then listed in the circular's order (one sort by precomputed rank) and grouped
    by criterion. Identical output to the reference (the tests compare them)."""
    fw = result.framework
    if not fw.regular:
        return _explain_reference(result)
    plan = fw.explain_plans.get(result.school_level)
    if plan is None:
        return None
    missing = result.missing
    chosen = missing.intersection(plan.forced)
    for clause in plan.thresholds:
        rest = missing.intersection(clause.ids)
        if chosen:
            rest -= chosen
        if len(rest) <= clause.slack:  # too few missing to fill more than the slack
            continue
        groups: dict[int, list[str]] = {}
        criterion_of = fw.criterion_of
        for ident in rest:
            index = criterion_of[ident]
            if index in groups:
                groups[index].append(ident)
            else:
                groups[index] = [ident]
        need = len(groups) - clause.slack
        if need <= 0:
            continue
        cheapest = sorted(groups.items(), key=_cost_then_order)[:need]
        chosen = chosen.union(*(ids for _, ids in cheapest))
    # Grouped by hand: a third cheaper than itertools.groupby + list() per group.
    code_of = fw.criterion_code_of
    blockers: list[dict[str, Any]] = []
    last = None
    todo: list[str] = []
    for ident in sorted(chosen, key=fw.rank.__getitem__):
        code = code_of[ident]
        if code == last:
            todo.append(ident)
        else:
            todo = [ident]
            blockers.append({"criterion": code, "missing": todo})
            last = code
    if plan.requirements:
        level4_met = result.level4_met
        for at_least in plan.requirements:
            need = at_least - len(level4_met)
            if need > 0:
                todo = [i for i in fw.level4_order if i not in level4_met][:need]
                blockers.append({"criterion": LEVEL4_GROUP, "missing": todo})
    return {"level": plan.level, "blockers": blockers}


def _cost_then_order(group: tuple[int, list[str]]) -> tuple[int, int]:
    return len(group[1]), group[0]


def _explain_reference(result: Result) -> dict[str, Any] | None:
    """The cheapest way to the next school level, by the rule as written (the oracle of the
    tests, and the explanation of irregular frameworks).

    Cumulative rules leave no choice: every missing indicator at levels ≤ N. Threshold rules
    ("at least k of the others") pick the k criteria that need the fewest indicators, ties
    broken by the circular's order. "All" clauses are fixed first, so a criterion they already
    force costs nothing extra in a threshold clause. Exact when threshold clauses select
    disjoint criteria (every framework so far: mandatory vs. others).
    """
    fw = result.framework
    target_level = result.school_level + 1
    school_level = next((sl for sl in fw.school_levels if sl.level == target_level), None)
    if school_level is None or not school_level.assessable:
        return None
    grouped = _missing_by_criterion(result)
    target: dict[int, int] = {}
    for clause in school_level.clauses:
        if clause.is_all:
            for i in clause.criteria:
                if i in grouped and target.get(i, 0) < clause.min_level:
                    target[i] = clause.min_level
    for clause in school_level.clauses:
        if not (clause.requirements or clause.is_all):
            _choose_cheapest(fw, clause, target, grouped)
    blockers = []
    level_of = fw.level_of
    for index in sorted(target):
        todo = [i for i in grouped[index] if level_of[i] <= target[index]]
        if todo:
            blockers.append({"criterion": fw.criterion_codes[index], "missing": todo})
    for clause in school_level.clauses:
        if clause.requirements:
            need = clause.at_least - len(result.level4_met)
            if need > 0:
                todo = [i for i in fw.level4_order if i not in result.level4_met][:need]
                blockers.append({"criterion": LEVEL4_GROUP, "missing": todo})
    return {"level": target_level, "blockers": blockers}


def _choose_cheapest(
    fw: Framework, clause: Clause, target: dict[int, int], grouped: dict[int, list[str]]
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
