"""Level engine on national scale: 45,000 schools' self-assessment results (met indicator ids as
JSON text, the way a results table stores them) in a throwaway SQLite file, then

* the floor — merely reading them back: one raw sqlite3 query + json.loads of every row;
* reading + evaluating every school (levels, recognition, unmet conditions);
* reading + evaluating + explaining (next level's blockers) every school;
* evaluate() alone on rows already in memory.

Goal (issue 3): evaluation of 45,000 schools ≤ 1 s on one core, ≤ 1.5× the reading floor."""

from __future__ import annotations

import json
import random
import sqlite3
import statistics
import time
from collections.abc import Callable

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


def build_database() -> None:
    """(Re)create the results table with 45,000 schools."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    DB_PATH.unlink(missing_ok=True)
    registry = engine.registry()
    rng = random.Random(20260707)
    rows = []
    school_id = 0
    for kind, count in KIND_MIX:
        for _ in range(count):
            school_id += 1
            code = _framework_for(kind, rng)
            met, level4, conditions = _school_result(registry[code], rng)
            rows.append(
                (school_id, code, json.dumps(met), json.dumps(level4), json.dumps(conditions))
            )
    with sqlite3.connect(DB_PATH) as conn:
        conn.execute(
            "CREATE TABLE results (school_id INTEGER PRIMARY KEY, framework TEXT NOT NULL,"
            " met TEXT NOT NULL, level4 TEXT NOT NULL, conditions TEXT NOT NULL)"
        )
        conn.executemany("INSERT INTO results VALUES (?, ?, ?, ?, ?)", rows)
    assert school_id == SCHOOLS


def _rows(conn: sqlite3.Connection):
    return conn.execute("SELECT school_id, framework, met, level4, conditions FROM results")


def read_only(conn: sqlite3.Connection) -> int:
    """The floor: read and decode every row, nothing else."""
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


def _best_of(fn: Callable[[], object], repeat: int = 5) -> tuple[float, float]:
    """(min, median) wall time in seconds; min is the least disturbed by other processes."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return min(samples), statistics.median(samples)


def run() -> None:
    build_database()
    registry = engine.registry()
    with sqlite3.connect(DB_PATH) as conn:
        read_only(conn)  # warm the page cache
        floor, floor_median = _best_of(lambda: read_only(conn))
        total, total_median = _best_of(lambda: read_and_evaluate(conn))
        explained, _ = _best_of(lambda: read_and_evaluate(conn, explain=True))
        decoded = [
            (registry[code], json.loads(met), json.loads(level4), json.loads(conditions))
            for _, code, met, level4, conditions in _rows(conn)
        ]
    only, _ = _best_of(lambda: _evaluate_all(decoded))
    levels = [engine.evaluate(*row).school_level for row in decoded]
    emit("engine_eval_45000", total, "s")
    emit("engine_read_floor_45000", floor, "s")
    emit("engine_ratio_to_read", total / floor, "x")
    emit("engine_evaluate_only_45000", only, "s")
    emit("engine_eval_explain_45000", explained, "s")
    emit("engine_eval_median_45000", total_median, "s")
    emit("engine_read_floor_median_45000", floor_median, "s")
    share = {lv: levels.count(lv) for lv in sorted(set(levels))}
    print(f"# engine: school levels of the 45,000 generated results: {share}", flush=True)
