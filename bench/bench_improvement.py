"""What holds schools back (issue 16 §3): the unit analysis — every school evaluated, criterion
and indicator counts, the schools each indicator blocks and the schools it alone would lift
(re-evaluated) — for a province of 1,500 schools and for the whole country (45,000), on the
engine benchmark's realistic generated results (bench_engine.generate), in memory.

Floor: the engine's own bulk evaluation of the same schools (engine.evaluate_bits, criterion
levels and the explanation per school), measured round by round with the analysis; the ratio
is printed. Goals: province ≤ 300 ms, national ≤ 3 s."""

from __future__ import annotations

import random
from collections import defaultdict

from bench.bench_engine import _emit_ratio, _figures, _interleaved, generate
from bench.common import emit
from frameworks import engine
from improvement import analysis

PROVINCE = 1_500


def _inputs(schools: list) -> dict[str, list[analysis.SchoolInput]]:
    registry = engine.registry()
    by_framework: dict[str, list[analysis.SchoolInput]] = defaultdict(list)
    for sid, code, met, level4, _ in schools:
        fw = registry[code]
        by_framework[code].append(analysis.SchoolInput(sid, analysis.met_bits(fw, met + level4)))
    return dict(by_framework)


def _floor(groups: dict[str, list[analysis.SchoolInput]]) -> None:
    registry = engine.registry()
    evaluate_bits = engine.evaluate_bits
    for code, schools in groups.items():
        fw = registry[code]
        for school in schools:
            result = evaluate_bits(fw, school.bits)
            result.criterion_levels  # noqa: B018 — computing them is the point
            result.next_level  # noqa: B018


def _analyse(groups: dict[str, list[analysis.SchoolInput]]) -> list[analysis.UnitAnalysis]:
    registry = engine.registry()
    out = []
    for code, schools in groups.items():
        result = analysis.analyse(registry[code], schools)
        result.ranked  # noqa: B018 — ranking is part of the page
        out.append(result)
    return out


def run() -> None:
    schools = generate()
    national = _inputs(schools)
    province = _inputs(random.Random(16).sample(schools, PROVINCE))
    runs = _interleaved(
        {
            "province_floor": lambda: _floor(province),
            "province": lambda: _analyse(province),
            "national_floor": lambda: _floor(national),
            "national": lambda: _analyse(national),
        }
    )
    p_best, p_median = _figures(runs["province"])
    emit("analysis_province_1500", p_best * 1000, "ms")
    emit("analysis_province_median_1500", p_median * 1000, "ms")
    emit("analysis_province_floor_1500", min(runs["province_floor"]) * 1000, "ms")
    _emit_ratio("analysis_ratio_province_to_engine", runs["province"], runs["province_floor"])
    n_best, n_median = _figures(runs["national"])
    emit("analysis_national_45000", n_best, "s")
    emit("analysis_national_median_45000", n_median, "s")
    emit("analysis_national_floor_45000", min(runs["national_floor"]), "s")
    _emit_ratio("analysis_ratio_national_to_engine", runs["national"], runs["national_floor"])
    results = _analyse(national)
    lifted = sum(r.lift_count for a in results for r in a.indicators.values())
    print(
        f"# improvement: province {p_best * 1000:.0f} ms (goal ≤ 300 ms: "
        f"{'met' if p_best <= 0.3 else 'NOT met'}), national {n_best:.2f} s (goal ≤ 3 s: "
        f"{'met' if n_best <= 3 else 'NOT met'}); {lifted:,} single-indicator lifts found",
        flush=True,
    )
