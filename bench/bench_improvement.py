"""What holds schools back (issue 16 §3): the unit analysis — every school evaluated, criterion
and indicator counts, the schools each indicator blocks and the schools it alone would lift
(re-evaluated) — for a province of 1,500 schools and for the whole country (45,000), on the
engine benchmark's realistic generated results (bench_engine.generate), in memory.

Floor: the engine's own bulk evaluation of the same schools (engine.evaluate_bits, criterion
levels and the explanation per school), measured round by round with the analysis; the ratio
is printed. Goals: province ≤ 300 ms, national ≤ 3 s. The analysis reads no database, so its
figures hold for SQLite and PostgreSQL alike.

The managing unit's overdue-actions list (1,500 schools, goal ≤ 200 ms) reads the database: it
is measured on SQLite and, when it answers, on PostgreSQL (`…_sqlite`, `…_postgres`), each
against a raw-SQL floor with the ratio printed."""

from __future__ import annotations

import random
import sys
from collections import defaultdict

from bench.bench_engine import _emit_ratio, _figures, _interleaved, generate
from bench.common import BENCH_DIR, PG_URL, emit, median_ms, run_worker, targets
from frameworks import engine
from improvement import analysis

PROVINCE = 1_500
ACTIONS_PER_SCHOOL = 4
COMMUNES = 60
PROVINCE_UID = "PIMPROVE"
DB_PATH = BENCH_DIR / "improvement.sqlite3"
IMPROVEMENT_PG_URL = PG_URL.replace("_bench", "_bench_improvement")


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
    # The analysis is pure Python over the engine's bits: no database, one figure for both.
    _run_analysis()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    # The overdue list reads the database: measured on SQLite and, when it answers, PostgreSQL.
    for label, url in targets(DB_PATH, IMPROVEMENT_PG_URL):
        run_worker("bench_improvement", [label], url)


def _run_analysis() -> None:
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


# -- the managing unit's overdue-actions list (Django, its own database per engine) -------------


def _generate_actions(province, user_model) -> None:
    import datetime as dt

    from accounts.models import Membership, Role
    from frameworks.models import Framework
    from improvement.models import ImprovementAction
    from schools.models import School
    from units.models import AdminUnit

    rng = random.Random(16)
    framework = Framework.objects.get(code="TT17-2018")
    ids = sorted(framework.compiled().all_ids)
    communes = [
        AdminUnit.objects.create(
            uid=f"WIMP{i:03d}",
            code=f"9{i:04d}",
            name=f"Xã Thử {i}",
            division_type="xã",
            parent=province,
        )  # fmt: skip
        for i in range(COMMUNES)
    ]
    schools = School.objects.bulk_create(
        School(code=f"BI-{i:05d}", name=f"Trường Thử {i}", kind="TH", unit=communes[i % COMMUNES])
        for i in range(PROVINCE)
    )
    today = dt.date.today()
    actions = []
    for school in schools:
        for k in range(ACTIONS_PER_SCHOOL):
            start = today - dt.timedelta(days=rng.randrange(30, 300))
            due = start + dt.timedelta(days=rng.randrange(20, 400))
            actions.append(
                ImprovementAction(
                    school=school,
                    framework=framework,
                    year=start.year,
                    indicators=[rng.choice(ids)],
                    title=f"Hành động {k + 1}",
                    responsible="Phó hiệu trưởng",
                    start=start,
                    due=due,
                    status=rng.choice(["planned", "in_progress", "in_progress", "done"]),
                )  # fmt: skip
            )
    ImprovementAction.objects.bulk_create(actions, batch_size=2000)
    officer = user_model.objects.create_user("bench_so_imp", password="Bench-So-2025!")
    Membership.objects.create(user=officer, unit=province, role=Role.PROVINCE_OFFICER)


def _recreate_database(label: str) -> None:
    """Start again from an empty database (the generated data no longer matches)."""
    from django.db import connection

    connection.close()
    if label == "sqlite":
        DB_PATH.unlink()
        return
    import psycopg
    from psycopg import sql

    name = connection.settings_dict["NAME"]
    admin_url = IMPROVEMENT_PG_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _worker(label: str) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from frameworks.services import framework_load_dir
    from improvement import selectors
    from improvement.models import ImprovementAction
    from units.models import AdminUnit

    call_command("migrate", verbosity=0, interactive=False)
    user_model = get_user_model()
    province = AdminUnit.objects.filter(uid=PROVINCE_UID).first()
    if province is None or ImprovementAction.objects.count() != PROVINCE * ACTIONS_PER_SCHOOL:
        if province is not None:
            _recreate_database(label)
            call_command("migrate", verbosity=0, interactive=False)
        framework_load_dir()
        province = AdminUnit.objects.create(
            uid=PROVINCE_UID, code="98", name="Tỉnh Thử Cải Tiến", division_type="tỉnh"
        )
        _generate_actions(province, user_model)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    officer = user_model.objects.get(username="bench_so_imp")
    today = timezone.localdate()
    url = f"/improvement/don-vi/{PROVINCE_UID}/?status=overdue"
    client = Client()
    client.force_login(officer)
    response = client.get(url)
    if response.status_code != 200:
        print(f"# {url} trả về {response.status_code}", flush=True)
        return
    overdue = selectors.overdue_actions(ImprovementAction.objects.all(), today=today).count()
    print(
        f"# {label}: {PROVINCE} trường, {ImprovementAction.objects.count()} hành động,"
        f" {overdue} quá hạn; GET {url}",
        flush=True,
    )
    view_ms = median_ms(lambda: client.get(url), repeat=15)
    emit(f"improvement_overdue_list_1500_{label}", view_ms, "ms")

    def selector() -> None:
        user = user_model.objects.get(pk=officer.pk)
        qs = selectors.unit_actions(user=user, unit=province, today=today, status="overdue")
        qs.count()
        list(qs[:100])

    emit(f"improvement_overdue_selector_1500_{label}", median_ms(selector, repeat=15), "ms")
    sql = (
        "SELECT a.id, a.title, a.due, s.name FROM improvement_improvementaction a"
        " JOIN schools_school s ON s.id = a.school_id JOIN units_adminunit u ON u.id = s.unit_id"
        " WHERE u.path LIKE %s AND a.status IN ('planned', 'in_progress') AND a.due < %s"
        " ORDER BY a.due, a.id LIMIT 100"
    )
    count_sql = (
        "SELECT COUNT(*) FROM improvement_improvementaction a"
        " JOIN schools_school s ON s.id = a.school_id JOIN units_adminunit u ON u.id = s.unit_id"
        " WHERE u.path LIKE %s AND a.status IN ('planned', 'in_progress') AND a.due < %s"
    )
    params = [province.path + "%", today]

    def floor() -> None:
        with connection.cursor() as cursor:
            cursor.execute(count_sql, params)
            cursor.fetchone()
            cursor.execute(sql, params)
            cursor.fetchall()

    floor_ms = median_ms(floor, repeat=15)
    emit(f"improvement_overdue_floor_1500_{label}", floor_ms, "ms")
    emit(f"improvement_overdue_ratio_{label}", view_ms / floor_ms if floor_ms else 0.0, "x")
    print(
        f"# improvement ({label}): overdue list {view_ms:.0f} ms (goal ≤ 200 ms:"
        f" {'met' if view_ms <= 200 else 'NOT met'})",
        flush=True,
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        _worker(sys.argv[2])
    else:
        run()
