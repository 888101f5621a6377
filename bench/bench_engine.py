"""Level engine on national scale: the same 45,000 realistic self-assessment results stored two
ways in a throwaway SQLite file, evaluated in full.

Full evaluation (the figures of issue 3) — everything the engine answers for a school: its school
level, accreditation and national-standard levels (with the reason when not reached), each
criterion's level, and the explanation (``Result.next_level``: for the next level, the fewest
missing indicators grouped by criterion — for TT57's thresholds, the cheapest criteria).

Realistic variant — the application's own shape: one row per indicator
(``assessments.IndicatorResult``: assessment, indicator FK, met true/false/null), school-wide
Mức 4 requirements being indicators too, conditions as columns of the assessment:

* the floor — merely reading them: one raw query over the *met* result rows ordered by
  assessment (a bulk evaluation needs only those: not met and not decided both count as not met,
  see assessments/levels.py) grouped per assessment with itertools.groupby into lists of
  indicator ids (ints), plus one query over the assessments (framework, version, conditions);
* read + full evaluation — the same read, each school's indicator ids turned into the
  engine's input (one integer: the sum of their bits, ``Framework.every_bit``, through a dict
  from database id made once), then engine.evaluate_bits, criterion levels and next_level per
  school — what a bulk job over ``IndicatorResult`` rows does; the results are checked equal,
  school by school, to engine.evaluate_met's on the ids as codes;
* full evaluation alone on the inputs already in memory (the "≤ 1 s on one core" goal): the met
  ids as codes through engine.evaluate_met, so turning codes into bits is counted in.

Headline: ``engine_eval_full_45000`` (goal ≤ 1 s) and ``engine_ratio_full_to_read`` (read + full
evaluation over the read floor, goal ≤ 1.5×). Read + evaluate costs a little more than the floor
plus the in-memory figure: evaluation interleaved with SQLite's reading (the engine's tables and
SQLite's pages share the CPU caches), and the caller's own work per school (conditions as a
dict, the version looked up). Secondary lines: the same without the criterion levels and the
explanation (``*_levels_only*``: school and recognition levels, what the engine computes
eagerly); the full evaluation with the garbage collector on; ``Result.to_dict()`` (the
``evaluate`` command's whole JSON document, adding per-standard counts and reason messages).

JSON variant (kept for comparison): each school's met ids as a JSON array in one row; floor =
raw query + json.loads; evaluated with engine.evaluate. json.loads of short arrays is so cheap
that this ratio mostly measures hashing freshly decoded id strings: it is above 1.5× and is
printed as such.

Every timed run has the garbage collector off (as timeit does), floor and evaluation alike,
except the line that says otherwise; figures are the minimum of 5 runs, with the median printed
too. A floor and the reads-and-evaluations compared with it run round by round (floor, full,
levels only; five rounds), so a ratio compares runs made under the same load: the headline ratio
is best over best, its median line the median of the five rounds' ratios. Both variants must agree school by school on the whole result before anything is printed.

Goal (issue 3): evaluation of 45,000 schools ≤ 1 s on one core, ≤ 1.5× the reading floor."""

from __future__ import annotations

import gc
import json
import random
import sqlite3
import statistics
import time
from collections.abc import Callable, Iterator
from itertools import groupby
from operator import itemgetter

from bench.common import BENCH_DIR, emit
from frameworks import engine

SCHOOLS = 45_000
DB_PATH = BENCH_DIR / "engine.sqlite3"

# Rough national mix of school kinds (mầm non and tiểu học dominate), and the share of schools
# whose latest assessment was still under the 2018 circulars.
KIND_MIX = [
    ("MN", 15_000),
    ("TH", 13_000),
    ("THCS", 10_000),
    ("THPT", 2_500),
    ("TH&THCS", 2_000),
    ("THCS&THPT", 1_000),
    ("TH&THCS&THPT", 500),
    ("GDTX", 1_000),
]
SHARE_2018 = 0.5
FRAMEWORK_2018 = {"MN": "TT19-2018", "TH": "TT17-2018"}
FRAMEWORK_2026 = {"MN": "TT57-2026-MN", "GDTX": "TT57-2026-GDTX"}


def _framework_for(kind: str, rng: random.Random) -> str:
    if kind != "GDTX" and rng.random() < SHARE_2018:
        return FRAMEWORK_2018.get(kind, "TT18-2018")
    return FRAMEWORK_2026.get(kind, "TT57-2026-PT")


def _school_result(fw: engine.Framework, rng: random.Random) -> tuple[list[str], list[str], dict]:
    """A realistic result: schools sit near a level — everything up to it met, part of the next
    level met, a few gaps. Target levels follow a plausible national spread (most schools at
    Mức 1–2, few at the top)."""
    top = max(fw.criterion_top)
    target = min(rng.choices([0, 1, 2, 3, 4], weights=[15, 35, 35, 12, 3])[0], fw.max_level)
    progress = rng.uniform(0.3, 0.95)
    met = []
    for ident, (_, level) in fw.indicator_pos.items():
        if level <= target or (level == min(target + 1, top) and rng.random() < progress):
            met.append(ident)
    if target == 0:  # a few Mức 1 gaps
        for ident in rng.sample(met, k=min(len(met), rng.randint(1, 5))):
            met.remove(ident)
    level4 = [i for i in fw.level4_order if target >= 3 and rng.random() < 0.6]
    conditions = {name: rng.random() < 0.9 for name in fw.condition_names}
    return met, level4, conditions


# Condition columns of the assessment table (NULL where the framework has no such condition).
CONDITIONS = ("cohort_completed", "three_years_data", "facilities_compliant")


def generate() -> list[tuple[int, str, list[str], list[str], dict[str, bool]]]:
    """The 45,000 results both variants store: (school id, framework, met, Mức 4 met, conditions)."""
    registry = engine.registry()
    rng = random.Random(20260707)
    schools = []
    for kind, count in KIND_MIX:
        for _ in range(count):
            code = _framework_for(kind, rng)
            met, level4, conditions = _school_result(registry[code], rng)
            schools.append((len(schools) + 1, code, met, level4, conditions))
    assert len(schools) == SCHOOLS
    return schools


def build_database(schools: list) -> None:
    """(Re)create both variants' tables with the same 45,000 schools."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    DB_PATH.unlink(missing_ok=True)
    registry = engine.registry()
    with sqlite3.connect(DB_PATH) as conn:
        conn.execute(
            "CREATE TABLE results (school_id INTEGER PRIMARY KEY, framework TEXT NOT NULL,"
            " met TEXT NOT NULL, level4 TEXT NOT NULL, conditions TEXT NOT NULL)"
        )
        conn.executemany(
            "INSERT INTO results VALUES (?, ?, ?, ?, ?)",
            (
                (sid, code, json.dumps(met), json.dumps(level4), json.dumps(conditions))
                for sid, code, met, level4, conditions in schools
            ),
        )
        _build_realistic(conn, registry, schools)


def _build_realistic(conn: sqlite3.Connection, registry: dict, schools: list) -> None:
    """Mirror of frameworks.Indicator / assessments.Assessment / assessments.IndicatorResult:
    a row for every indicator of the framework (the app creates them all when an assessment
    opens), met = 1, 0 or NULL (not yet decided); Mức 4 requirements are indicators with no
    criterion. Indexes as Django makes them: the FK on assessment and the unique
    (assessment, indicator) pair."""
    conn.executescript(
        """
        CREATE TABLE framework (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE);
        CREATE TABLE indicator (id INTEGER PRIMARY KEY, framework_id INTEGER NOT NULL,
            criterion INTEGER NULL, code TEXT NOT NULL);
        CREATE TABLE assessment (id INTEGER PRIMARY KEY, framework_id INTEGER NOT NULL,
            framework_version TEXT NOT NULL, cohort_completed INTEGER NULL,
            three_years_data INTEGER NULL, facilities_compliant INTEGER NULL);
        CREATE TABLE result (id INTEGER PRIMARY KEY, assessment_id INTEGER NOT NULL,
            indicator_id INTEGER NOT NULL, met INTEGER NULL);
        """
    )
    fw_ids: dict[str, int] = {}
    indicator_ids: dict[tuple[str, str], int] = {}
    indicators = []
    for fw_index, (code, fw) in enumerate(sorted(registry.items()), start=1):
        fw_ids[code] = fw_index
        for ident, (criterion, _) in fw.indicator_pos.items():
            indicator_ids[code, ident] = len(indicators) + 1
            indicators.append((len(indicators) + 1, fw_index, criterion + 1, ident))
        for ident in fw.level4_order:
            indicator_ids[code, ident] = len(indicators) + 1
            indicators.append((len(indicators) + 1, fw_index, None, ident))
    conn.executemany("INSERT INTO framework VALUES (?, ?)", [(i, c) for c, i in fw_ids.items()])
    conn.executemany("INSERT INTO indicator VALUES (?, ?, ?, ?)", indicators)
    rng = random.Random(7)

    def assessments():
        for sid, code, _, _, conditions in schools:
            flags = [conditions.get(name) for name in CONDITIONS]
            yield (sid, fw_ids[code], registry[code].versions[-1].code, *flags)

    def results():
        for sid, code, met, level4, _ in schools:
            fw = registry[code]
            done = set(met) | set(level4)
            for ident in (*fw.indicator_pos, *fw.level4_order):
                # Unmet indicators: mostly decided "not met", some not decided yet.
                flag = 1 if ident in done else (0 if rng.random() < 0.7 else None)
                yield sid, indicator_ids[code, ident], flag

    conn.executemany("INSERT INTO assessment VALUES (?, ?, ?, ?, ?, ?)", assessments())
    conn.executemany(
        "INSERT INTO result (assessment_id, indicator_id, met) VALUES (?, ?, ?)", results()
    )
    conn.executescript(
        """
        CREATE INDEX result_assessment ON result (assessment_id);
        CREATE UNIQUE INDEX result_one_per_indicator ON result (assessment_id, indicator_id);
        CREATE INDEX result_indicator ON result (indicator_id);
        ANALYZE;
        """
    )


# -- realistic variant --------------------------------------------------------------------------

ASSESSMENTS_SQL = (
    "SELECT id, framework_id, framework_version, cohort_completed, three_years_data,"
    " facilities_compliant FROM assessment ORDER BY id"
)
RESULTS_SQL = "SELECT assessment_id, indicator_id FROM result WHERE met = 1 ORDER BY assessment_id"


def read_results(conn: sqlite3.Connection) -> Iterator[tuple[tuple, list[int]]]:
    """(assessment row, met indicator ids) per assessment — an assessment with nothing met has
    no met row, hence the merge instead of a bare groupby."""
    second = itemgetter(1)
    groups = groupby(conn.execute(RESULTS_SQL), key=itemgetter(0))
    current = next(groups, None)
    for row in conn.execute(ASSESSMENTS_SQL):
        if current is not None and current[0] == row[0]:
            yield row, list(map(second, current[1]))
            current = next(groups, None)
        else:
            yield row, []


def read_floor(conn: sqlite3.Connection) -> int:
    """The floor: read and group every met result, nothing else."""
    n = 0
    for _ in read_results(conn):
        n += 1
    return n


class Lookups:
    """What a bulk evaluation keeps in memory: indicator id → code and → its bit in its
    framework's layout (``Framework.every_bit``), framework id → compiled framework,
    (framework, version code) → version."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        registry = engine.registry()
        self.framework = {i: registry[c] for i, c in conn.execute("SELECT id, code FROM framework")}
        self.version = {(i, v.code): v for i, fw in self.framework.items() for v in fw.versions}
        indicators = conn.execute("SELECT id, framework_id, code FROM indicator").fetchall()
        self.code_of = {i: code for i, _, code in indicators}
        self.bit_of = {i: self.framework[fw_id].every_bit[code] for i, fw_id, code in indicators}


def _inputs(row: tuple, ids: list[int], lookups: Lookups) -> tuple:
    """engine.evaluate_met's arguments for one assessment."""
    fw_id = row[1]
    return (
        lookups.framework[fw_id],
        list(map(lookups.code_of.__getitem__, ids)),
        dict(zip(CONDITIONS, row[3:], strict=True)),
        lookups.version[fw_id, row[2]],
    )


def read_and_evaluate_results(
    conn: sqlite3.Connection,
    lookups: Lookups,
    *,
    full: bool = True,
    keep: list[engine.Result] | None = None,
) -> int:
    evaluate_bits = engine.evaluate_bits
    frameworks, version_of, bit = lookups.framework, lookups.version, lookups.bit_of.__getitem__
    n = 0
    for row, ids in read_results(conn):
        fw_id = row[1]
        # A sum is an OR here: the unique (assessment, indicator) index lists each id once.
        result = evaluate_bits(
            frameworks[fw_id],
            sum(map(bit, ids)),
            dict(zip(CONDITIONS, row[3:], strict=True)),
            version=version_of[fw_id, row[2]],
        )
        if full:
            result.criterion_levels  # noqa: B018 — computing them is the point
            result.next_level  # noqa: B018
        if keep is not None:
            keep.append(result)
        n += result.school_level >= 0
    return n


def _evaluate_met_full(inputs: list) -> None:
    """The full evaluation of every school: levels, criterion levels and the explanation."""
    evaluate_met = engine.evaluate_met
    for fw, met, conditions, version in inputs:
        result = evaluate_met(fw, met, conditions, version=version)
        result.criterion_levels  # noqa: B018 — computing them is the point
        result.next_level  # noqa: B018


def _evaluate_met_levels(inputs: list) -> None:
    """School and recognition levels only (what evaluate_met computes eagerly)."""
    evaluate_met = engine.evaluate_met
    for fw, met, conditions, version in inputs:
        evaluate_met(fw, met, conditions, version=version)


def _evaluate_met_to_dict(inputs: list) -> None:
    evaluate_met = engine.evaluate_met
    for fw, met, conditions, version in inputs:
        evaluate_met(fw, met, conditions, version=version).to_dict()


# -- JSON variant -------------------------------------------------------------------------------


def _rows(conn: sqlite3.Connection):
    return conn.execute("SELECT school_id, framework, met, level4, conditions FROM results")


def read_only(conn: sqlite3.Connection) -> int:
    """The JSON floor: read and decode every row, nothing else."""
    loads = json.loads
    n = 0
    for _, _, met, level4, conditions in _rows(conn):
        loads(met), loads(level4), loads(conditions)
        n += 1
    return n


def read_and_evaluate(conn: sqlite3.Connection, *, full: bool = True) -> int:
    loads = json.loads
    registry = engine.registry()
    evaluate = engine.evaluate
    n = 0
    for _, code, met, level4, conditions in _rows(conn):
        result = evaluate(registry[code], loads(met), loads(level4), loads(conditions))
        if full:
            result.criterion_levels  # noqa: B018 — computing them is the point
            result.next_level  # noqa: B018
        n += result.school_level >= 0
    return n


def _full(result: engine.Result) -> tuple:
    """Everything the full evaluation answers, to compare the two variants."""
    return (
        result.school_level,
        result.accreditation_level,
        result.accreditation_reason,
        result.national_standard_level,
        result.national_standard_reason,
        result.unmet_conditions,
        result.criterion_levels,
        result.next_level,
    )


# -- timing -------------------------------------------------------------------------------------


def _timed(fn: Callable[[], object], *, gc_off: bool = True) -> float:
    """Wall time of one call in seconds, by default with the garbage collector off, as timeit
    does."""
    enabled = gc.isenabled()
    gc.collect()
    if gc_off:
        gc.disable()
    try:
        started = time.perf_counter()
        fn()
        return time.perf_counter() - started
    finally:
        if enabled:
            gc.enable()


def _best_of(
    fn: Callable[[], object], repeat: int = 5, *, gc_off: bool = True
) -> tuple[float, float]:
    """(min, median) wall time in seconds; min is the least disturbed by other processes."""
    samples = [_timed(fn, gc_off=gc_off) for _ in range(repeat)]
    return min(samples), statistics.median(samples)


def _interleaved(fns: dict[str, Callable[[], object]], repeat: int = 5) -> dict[str, list[float]]:
    """Samples of several calls taken round by round (floor, then each variant), so that a
    ratio compares runs made under the same conditions rather than five of one and later five
    of the other."""
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            samples[name].append(_timed(fn))
    return samples


def _figures(samples: list[float]) -> tuple[float, float]:
    return min(samples), statistics.median(samples)


def _emit_pair(name: str, figures: tuple[float, float]) -> None:
    emit(name, figures[0], "s")
    emit(name.replace("_45000", "_median_45000"), figures[1], "s")


def _emit_ratio(name: str, numerator: list[float], floor: list[float]) -> float:
    """The ratio of the best runs, and the median of the round-by-round ratios."""
    best = min(numerator) / min(floor)
    emit(name, best, "x")
    emit(
        f"{name}_median",
        statistics.median(n / f for n, f in zip(numerator, floor, strict=True)),
        "x",
    )
    return best


def run() -> None:
    schools = generate()
    build_database(schools)
    registry = engine.registry()
    with sqlite3.connect(DB_PATH) as conn:
        plan = conn.execute("EXPLAIN QUERY PLAN " + RESULTS_SQL).fetchall()
        lookups = Lookups(conn)
        read_floor(conn)  # warm the page cache
        realistic = _interleaved(
            {
                "floor": lambda: read_floor(conn),
                "full": lambda: read_and_evaluate_results(conn, lookups),
                "levels": lambda: read_and_evaluate_results(conn, lookups, full=False),
            }
        )
        inputs = [_inputs(row, ids, lookups) for row, ids in read_results(conn)]
        met_rows = sum(len(i[1]) for i in inputs)

        read_only(conn)
        json_runs = _interleaved(
            {
                "floor": lambda: read_only(conn),
                "full": lambda: read_and_evaluate(conn),
                "levels": lambda: read_and_evaluate(conn, full=False),
            }
        )
        decoded = [
            (registry[code], json.loads(met), json.loads(level4), json.loads(conditions))
            for _, code, met, level4, conditions in _rows(conn)
        ]
    full = _best_of(lambda: _evaluate_met_full(inputs))
    levels_only = _best_of(lambda: _evaluate_met_levels(inputs))
    full_gc_on = _best_of(lambda: _evaluate_met_full(inputs), gc_off=False)
    to_dict = _best_of(lambda: _evaluate_met_to_dict(inputs))

    # Both variants must agree school by school on the whole result, or the comparison means
    # nothing.
    results = [engine.evaluate(*row) for row in decoded]
    fast = [engine.evaluate_met(fw, met, c, version=v) for fw, met, c, v in inputs]
    assert list(map(_full, results)) == list(map(_full, fast)), "the two variants disagree"
    with sqlite3.connect(DB_PATH) as conn:
        read_and_evaluate_results(conn, Lookups(conn), keep=(timed_path := []))
    assert list(map(_full, timed_path)) == list(map(_full, fast)), "the timed path disagrees"
    levels = [r.school_level for r in results]
    blockers = [
        sum(len(b["missing"]) for b in r.next_level["blockers"]) for r in results if r.next_level
    ]

    # Headline: the full evaluation (levels, criterion levels, explanation).
    _emit_pair("engine_eval_full_45000", full)
    _emit_pair("engine_read_floor_45000", _figures(realistic["floor"]))
    _emit_pair("engine_read_and_eval_full_45000", _figures(realistic["full"]))
    ratio = _emit_ratio("engine_ratio_full_to_read", realistic["full"], realistic["floor"])
    # Secondary: levels only, the garbage collector on, the whole JSON document.
    _emit_pair("engine_eval_levels_only_45000", levels_only)
    _emit_pair("engine_read_and_eval_levels_only_45000", _figures(realistic["levels"]))
    _emit_ratio("engine_ratio_levels_only_to_read", realistic["levels"], realistic["floor"])
    _emit_pair("engine_eval_full_gc_on_45000", full_gc_on)
    _emit_pair("engine_eval_to_dict_45000", to_dict)
    # JSON variant.
    _emit_pair("engine_json_read_floor_45000", _figures(json_runs["floor"]))
    _emit_pair("engine_json_read_and_eval_full_45000", _figures(json_runs["full"]))
    _emit_ratio("engine_ratio_full_to_json_read", json_runs["full"], json_runs["floor"])
    _emit_pair("engine_json_read_and_eval_levels_only_45000", _figures(json_runs["levels"]))
    _emit_ratio("engine_ratio_levels_only_to_json_read", json_runs["levels"], json_runs["floor"])

    print(
        f"# engine: full evaluation of 45,000 schools {full[0]:.3f} s "
        f"(goal ≤ 1 s: {'met' if full[0] <= 1 else 'NOT met'}); read + full evaluation "
        f"{ratio:.2f}× the read floor (goal ≤ 1.5×: {'met' if ratio <= 1.5 else 'NOT met'})",
        flush=True,
    )
    share = {lv: levels.count(lv) for lv in sorted(set(levels))}
    print(f"# engine: school levels of the 45,000 generated results: {share}", flush=True)
    print(
        f"# engine: {len(blockers):,} explanations, {sum(blockers):,} blocking indicators "
        f"(at most {max(blockers)} for one school)",
        flush=True,
    )
    print(
        f"# engine: realistic variant reads {met_rows:,} met result rows; query plan: "
        + "; ".join(str(step[-1]) for step in plan),
        flush=True,
    )
