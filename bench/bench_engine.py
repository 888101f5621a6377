"""Level engine on national scale: the same 45,000 realistic self-assessment results stored two
ways in a throwaway SQLite file.

Realistic variant (the figures of issue 3) — the application's own shape: one row per indicator
(``assessments.IndicatorResult``: assessment, indicator FK, met true/false/null), school-wide
Mức 4 requirements being indicators too, conditions as columns of the assessment:

* the floor — merely reading them: one raw query over the *met* result rows ordered by
  assessment (a bulk evaluation needs only those: not met and not decided both count as not met,
  see assessments/levels.py) grouped per assessment with itertools.groupby into lists of
  indicator ids (ints), plus one query over the assessments (framework, version, conditions);
* read + evaluate — the same read, indicator ids mapped to codes through a precomputed dict,
  then engine.evaluate_met per school;
* evaluate alone on the inputs already in memory (the "≤ 1 s on one core" goal).

JSON variant (kept for comparison): each school's met ids as a JSON array in one row; floor =
raw query + json.loads. json.loads of short arrays is so cheap that this ratio mostly measures
hashing freshly decoded id strings.

Every timed run has the garbage collector off (as timeit does), floor and evaluation alike;
figures are the minimum of 5 runs, with the median printed too.

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
    """What a bulk evaluation keeps in memory: indicator id → code, framework id → compiled
    framework, (framework, version code) → version."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        registry = engine.registry()
        self.code_of = dict(conn.execute("SELECT id, code FROM indicator"))
        self.framework = {i: registry[c] for i, c in conn.execute("SELECT id, code FROM framework")}
        self.version = {(i, v.code): v for i, fw in self.framework.items() for v in fw.versions}


def _inputs(row: tuple, ids: list[int], lookups: Lookups) -> tuple:
    """engine.evaluate_met's arguments for one assessment."""
    fw_id = row[1]
    return (
        lookups.framework[fw_id],
        list(map(lookups.code_of.__getitem__, ids)),
        dict(zip(CONDITIONS, row[3:], strict=True)),
        lookups.version[fw_id, row[2]],
    )


def read_and_evaluate_results(conn: sqlite3.Connection, lookups: Lookups) -> int:
    evaluate_met = engine.evaluate_met
    frameworks, version_of, code = lookups.framework, lookups.version, lookups.code_of.__getitem__
    n = 0
    for row, ids in read_results(conn):
        fw_id = row[1]
        result = evaluate_met(
            frameworks[fw_id],
            list(map(code, ids)),
            dict(zip(CONDITIONS, row[3:], strict=True)),
            version=version_of[fw_id, row[2]],
        )
        n += result.school_level >= 0
    return n


def _evaluate_met_all(inputs: list) -> None:
    evaluate_met = engine.evaluate_met
    for fw, met, conditions, version in inputs:
        evaluate_met(fw, met, conditions, version=version)


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


def read_and_evaluate(conn: sqlite3.Connection, explain: bool = False) -> int:
    loads = json.loads
    registry = engine.registry()
    evaluate = engine.evaluate
    n = 0
    for _, code, met, level4, conditions in _rows(conn):
        result = evaluate(registry[code], loads(met), loads(level4), loads(conditions))
        if explain:
            result.next_level  # noqa: B018 — computing the explanation is the point
        n += result.school_level >= 0
    return n


def _evaluate_all(decoded: list) -> None:
    evaluate = engine.evaluate
    for row in decoded:
        evaluate(*row)


# -- timing -------------------------------------------------------------------------------------


def _best_of(fn: Callable[[], object], repeat: int = 5) -> tuple[float, float]:
    """(min, median) wall time in seconds with the garbage collector off, as timeit does; min is
    the least disturbed by other processes."""
    samples = []
    enabled = gc.isenabled()
    try:
        for _ in range(repeat):
            gc.collect()
            gc.disable()
            started = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - started)
            if enabled:
                gc.enable()
    finally:
        if enabled:
            gc.enable()
    return min(samples), statistics.median(samples)


def _emit_pair(name: str, figures: tuple[float, float]) -> None:
    emit(name, figures[0], "s")
    emit(name.replace("_45000", "_median_45000"), figures[1], "s")


def run() -> None:
    schools = generate()
    build_database(schools)
    registry = engine.registry()
    with sqlite3.connect(DB_PATH) as conn:
        plan = conn.execute("EXPLAIN QUERY PLAN " + RESULTS_SQL).fetchall()
        lookups = Lookups(conn)
        read_floor(conn)  # warm the page cache
        floor = _best_of(lambda: read_floor(conn))
        total = _best_of(lambda: read_and_evaluate_results(conn, lookups))
        inputs = [_inputs(row, ids, lookups) for row, ids in read_results(conn)]
        met_rows = sum(len(i[1]) for i in inputs)

        read_only(conn)
        json_floor = _best_of(lambda: read_only(conn))
        json_total = _best_of(lambda: read_and_evaluate(conn))
        explained = _best_of(lambda: read_and_evaluate(conn, explain=True))
        decoded = [
            (registry[code], json.loads(met), json.loads(level4), json.loads(conditions))
            for _, code, met, level4, conditions in _rows(conn)
        ]
    only = _best_of(lambda: _evaluate_met_all(inputs))
    json_only = _best_of(lambda: _evaluate_all(decoded))

    # Both variants must agree school by school, or the comparison means nothing.
    levels = [engine.evaluate(*row).school_level for row in decoded]
    fast = [engine.evaluate_met(fw, met, c, version=v).school_level for fw, met, c, v in inputs]
    assert levels == fast, "the two storage variants disagree"

    _emit_pair("engine_eval_45000", only)
    _emit_pair("engine_read_floor_45000", floor)
    _emit_pair("engine_read_and_eval_45000", total)
    emit("engine_ratio_to_read", total[0] / floor[0], "x")
    emit("engine_ratio_to_read_median", total[1] / floor[1], "x")
    _emit_pair("engine_json_eval_45000", json_only)
    _emit_pair("engine_json_read_floor_45000", json_floor)
    _emit_pair("engine_json_read_and_eval_45000", json_total)
    emit("engine_ratio_to_json_read", json_total[0] / json_floor[0], "x")
    _emit_pair("engine_json_read_eval_explain_45000", explained)
    share = {lv: levels.count(lv) for lv in sorted(set(levels))}
    print(f"# engine: school levels of the 45,000 generated results: {share}", flush=True)
    print(
        f"# engine: realistic variant reads {met_rows:,} met result rows; query plan: "
        + "; ".join(str(step[-1]) for step in plan),
        flush=True,
    )
