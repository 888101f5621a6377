"""Programme dashboard (issue 4 §5) at province and national scale, on SQLite and PostgreSQL.

(a) A province of 1,500 schools with 10 years of decisions (bench_register's generator):
    the dashboard page as the province officer through django.test.Client (middleware, session,
    scope, the status aggregate, the trend, drill-down, expiring count, template). Goal ≤ 200 ms.
        dashboard_province_1500_<db>         full page, median ms
        dashboard_province_selector_<db>     dashboard.selectors.dashboard() only, median ms
        dashboard_province_export_<db>       the .xlsx export, median ms
(b) National data: 45,000 schools (generate_national_data) and a generated register for them
    (bulk insert). The dashboard aggregate selectors timed side by side with the same aggregate
    written by hand in SQL, for the whole country (superuser scope). Goal ≤ 2×.
        dashboard_national_status_selector_<db> / _sql_<db> / _ratio_<db>
        dashboard_national_trend_selector_<db>  / _sql_<db> / _ratio_<db>
        dashboard_tally_full_count_<db>      recount of the kept counts (recognition.tally), s
        dashboard_tally_unchanged_<db>       the scheduler's check when nothing moved, ms
        dashboard_national_page_<db>         the superuser's national page, median ms (goal ≤ 150)
        dashboard_national_page_live_<db>    the same page counted live (the reference), ms
        dashboard_national_page_ratio_<db>   kept / live

Each database runs in its own subprocess (the settings read DATABASE_URL once):
    python -m bench.bench_dashboard --worker <province|national> <label>
Databases (kept between runs): build/bench/dashboard.sqlite3, dashboard_national.sqlite3;
PostgreSQL truongchuan_bench_dash and truongchuan_bench_dash_national.
"""

from __future__ import annotations

import random
import sys
import time
from unittest import mock

from bench.common import BENCH_DIR, emit, median_ms, run_worker, targets

PROVINCE_SCHOOLS = 1_500  # bench_register.SCHOOLS
NATIONAL_SCHOOLS = 45_000
REPEAT = 30
REPEAT_NATIONAL = 10
PG_BASE = "postgres://postgres@127.0.0.1:5432/"
DATABASES = {
    "province": ("dashboard.sqlite3", "truongchuan_bench_dash"),
    "national": ("dashboard_national.sqlite3", "truongchuan_bench_dash_national"),
}


def run() -> None:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    for part, (sqlite_name, pg_name) in DATABASES.items():
        for label, url in targets(BENCH_DIR / sqlite_name, PG_BASE + pg_name):
            run_worker("bench_dashboard", [part, label], url)


# ---------------------------------------------------------------------------------------------
# (a) province


def _province(label: str) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from bench.bench_register import PROVINCE_UID, _generate
    from dashboard import selectors as dashboard
    from recognition import tally
    from recognition.models import RecognitionDecision
    from schools.models import School
    from units.models import AdminUnit

    call_command("migrate", verbosity=0, interactive=False)
    user_model = get_user_model()
    province = AdminUnit.objects.filter(uid=PROVINCE_UID).first()
    if province is None or School.objects.count() != PROVINCE_SCHOOLS:
        call_command("flush", verbosity=0, interactive=False)  # a half-built run: start again
        province = AdminUnit.objects.create(
            uid=PROVINCE_UID, code="99", name="Tỉnh Thử Nghiệm", division_type="tỉnh"
        )
        _generate(province, user_model)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    officer = user_model.objects.get(username="bench_so")
    tally.tally_refresh(full=True)  # the generator bulk-inserts without history rows
    today = timezone.localdate()
    url = f"/dashboard/{province.uid}/"
    client = Client()
    client.force_login(officer)
    response = client.get(url)
    if response.status_code != 200:
        print(f"# {label}: {url} trả về {response.status_code}", flush=True)
        return
    d = dashboard.dashboard(user=officer, unit=province, on=today)
    print(
        f"# {label}: {School.objects.count()} trường, {RecognitionDecision.objects.count()}"
        f" quyết định; đạt chuẩn {d.total.standard} ({d.total.rate}), sắp hết hạn {d.expiring};"
        f" GET {url}",
        flush=True,
    )
    emit(f"dashboard_province_1500_{label}", median_ms(lambda: client.get(url), REPEAT), "ms")

    def selector() -> None:
        user = user_model.objects.get(pk=officer.pk)  # a fresh scope, as in a request
        dashboard.dashboard(user=user, unit=province, on=today)

    emit(f"dashboard_province_selector_{label}", median_ms(selector, REPEAT), "ms")
    export = f"/dashboard/{province.uid}/export.xlsx"
    emit(
        f"dashboard_province_export_{label}",
        median_ms(lambda: b"".join(client.get(export).streaming_content), REPEAT),
        "ms",
    )


# ---------------------------------------------------------------------------------------------
# (b) national


def _national_register(rng: random.Random) -> int:
    """A register for the generated schools: most recognised schools have a history that
    ends at their generated level; a few lapsed or were revoked; some have no decision (their
    level stays the one the registry declared). Bulk inserted."""
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from recognition import rules
    from recognition.models import RecognitionDecision
    from schools.management.commands.generate_national_data import CODE_PREFIX
    from schools.models import School

    today = timezone.localdate()
    start = rules.add_years(today, -10)
    span = (today - start).days
    batch: list[RecognitionDecision] = []
    total = 0
    seq = 0

    def add(school_id: int, kind: str, day: dt.date, level: int | None = None) -> None:
        nonlocal seq
        seq += 1
        d = RecognitionDecision(
            school_id=school_id,
            kind=kind,
            signed_on=day,
            level=level,
            number=f"{seq}/QĐ-SGDĐT",
            signing_body="Sở GD&ĐT (dữ liệu sinh để đo)",
            framework_code="TT17-2018" if day >= dt.date(2018, 10, 10) else "TT59-2012",
        )
        d.prepare()
        batch.append(d)

    schools = School.objects.filter(code__startswith=CODE_PREFIX).order_by("pk")
    with transaction.atomic():
        for pk, level in schools.values_list("pk", "standard_level").iterator(chunk_size=5000):
            if rng.random() < 0.1:
                continue  # not in the register yet
            if level or rng.random() < 0.2:
                day = start + dt.timedelta(days=rng.randrange(span // 2))
                add(pk, rules.STANDARD_NEW, day, 1)
                held = 1
                while True:
                    if held == 1 and level == 2:
                        day = rules.add_years(day, 2) + dt.timedelta(days=rng.randrange(200))
                        held = 2
                        add(pk, rules.STANDARD_UPGRADE, min(day, today), 2)
                        continue
                    nxt = rules.add_years(day, 5) - dt.timedelta(days=rng.randrange(10, 150))
                    if nxt > today:
                        break
                    day = nxt
                    add(pk, rules.STANDARD_RENEWAL, day, held)
                if not level and day < today:  # lapsed or revoked since
                    add(pk, rules.REVOCATION, min(today, day + dt.timedelta(days=400)))
            if rng.random() < 0.4:
                add(pk, rules.ACCREDITATION, start + dt.timedelta(days=rng.randrange(span)), 2)
            if len(batch) >= 5000:
                RecognitionDecision.objects.bulk_create(batch, batch_size=2500)
                total += len(batch)
                batch.clear()
        RecognitionDecision.objects.bulk_create(batch, batch_size=2500)
        total += len(batch)
    return total


STATUS_SQL = """
SELECT u.path, s.kind,
  CASE WHEN EXISTS (SELECT 1 FROM programme_recognitiondecision r WHERE r.school_id = s.id)
    THEN COALESCE((
      SELECT CASE WHEN d.kind IN ('revocation', 'accreditation_revocation') OR d.valid_until < %s
                  THEN 0 ELSE COALESCE(d.level, 0) END
      FROM programme_recognitiondecision d
      WHERE d.school_id = s.id AND d.track = 'standard' AND d.signed_on <= %s
      ORDER BY d.signed_on DESC, d.id DESC LIMIT 1), 0)
    ELSE s.standard_level END AS status,
  EXISTS (SELECT 1 FROM programme_recognitiondecision r WHERE r.school_id = s.id) AS reg,
  COUNT(*)
FROM schools_school s JOIN units_adminunit u ON u.id = s.unit_id
GROUP BY 1, 2, 3, 4
"""


def _trend_sql(dates) -> tuple[str, list]:
    cols, params = [], []
    for day in dates:
        for level in (1, 2):
            cols.append(
                "SUM(CASE WHEN t.signed_on <= %s AND t.valid_until >= %s"
                " AND t.kind NOT IN ('revocation', 'accreditation_revocation')"
                f" AND (t.next_on IS NULL OR t.next_on > %s) AND t.level = {level}"
                " THEN 1 ELSE 0 END)"
            )
            params += [day, day, day]
    sql = (
        "SELECT "
        + ", ".join(cols)
        + " FROM (SELECT d.kind, d.level, d.signed_on, d.valid_until, LEAD(d.signed_on) OVER"
        " (PARTITION BY d.school_id ORDER BY d.signed_on, d.id) AS next_on"
        " FROM programme_recognitiondecision d WHERE d.track = 'standard' AND d.signed_on <= %s) t"
    )
    return sql, params + [dates[-1]]


def _national(label: str) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from dashboard import selectors as dashboard
    from recognition import tally
    from recognition.models import RecognitionDecision
    from schools.management.commands.generate_national_data import CODE_PREFIX
    from schools.models import School
    from units.models import AdminUnit

    call_command("migrate", verbosity=0, interactive=False)
    if AdminUnit.objects.current().filter(uid__startswith="W").count() < 3321:
        call_command("load_units")
    generated = School.objects.filter(code__startswith=CODE_PREFIX).count()
    if generated != NATIONAL_SCHOOLS or not RecognitionDecision.objects.exists():
        RecognitionDecision.objects.all().delete()
        call_command("generate_national_data", schools=NATIONAL_SCHOOLS, seed=1, reset=True)
        made = _national_register(random.Random(5))
        print(f"# {label}: đã sinh {made} quyết định", flush=True)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    user_model = get_user_model()
    admin = user_model.objects.filter(username="bench_admin").first()
    if admin is None:
        admin = user_model.objects.create_superuser("bench_admin", "", "Bench-Admin-2025!")
    today = timezone.localdate()

    rows = dashboard.status_rows(user=admin, unit=None, on=today)
    with connection.cursor() as cursor:
        cursor.execute(STATUS_SQL, [today, today])
        raw = cursor.fetchall()
    if sorted(rows) != sorted((p, k, s, bool(r), n) for p, k, s, r, n in raw):
        print(f"# cảnh báo ({label}): SQL viết tay và selector cho kết quả khác nhau", flush=True)
    standard = sum(n for _p, _k, s, _r, n in rows if s)
    print(
        f"# {label}: {School.objects.count()} trường, {RecognitionDecision.objects.count()}"
        f" quyết định, {standard} trường đạt chuẩn hôm nay; {len(rows)} nhóm",
        flush=True,
    )

    def status_selector() -> None:
        user = user_model.objects.get(pk=admin.pk)
        dashboard.status_rows(user=user, unit=None, on=today)

    def status_sql() -> None:
        with connection.cursor() as cursor:
            cursor.execute(STATUS_SQL, [today, today])
            cursor.fetchall()

    _side_by_side(label, "status", status_selector, status_sql)

    dates = dashboard.trend_dates(today)
    trend_sql, trend_params = _trend_sql(dates)
    points = dashboard.trend(user=admin, unit=None, on=today)
    with connection.cursor() as cursor:
        cursor.execute(trend_sql, trend_params)
        raw_trend = cursor.fetchone()
    if [v for p in points for v in (p.level_1, p.level_2)] != [int(v or 0) for v in raw_trend]:
        print(f"# cảnh báo ({label}): xu hướng SQL viết tay khác selector", flush=True)

    def trend_selector() -> None:
        user = user_model.objects.get(pk=admin.pk)
        dashboard.trend(user=user, unit=None, on=today)

    def trend_raw() -> None:
        with connection.cursor() as cursor:
            cursor.execute(trend_sql, trend_params)
            cursor.fetchone()

    _side_by_side(label, "trend", trend_selector, trend_raw)

    # The kept counts (recognition.tally): one full count (the daily run, or after a bulk
    # load without history like this generator's), a check when nothing moved (the
    # scheduler's minute), then the page from them — and the same page counted live.
    t0 = time.perf_counter()
    tally.tally_refresh(on=today, full=True)
    emit(f"dashboard_tally_full_count_{label}", time.perf_counter() - t0, "s")
    emit(
        f"dashboard_tally_unchanged_{label}",
        median_ms(lambda: tally.tally_refresh(on=today), REPEAT_NATIONAL),
        "ms",
    )
    client = Client()
    client.force_login(admin)
    if client.get("/dashboard/").status_code == 200:
        kept = median_ms(lambda: client.get("/dashboard/"), REPEAT_NATIONAL)
        with mock.patch.object(tally, "is_fresh", return_value=False):
            live = median_ms(lambda: client.get("/dashboard/"), REPEAT_NATIONAL)
        emit(f"dashboard_national_page_{label}", kept, "ms")
        emit(f"dashboard_national_page_live_{label}", live, "ms")
        emit(f"dashboard_national_page_ratio_{label}", kept / live, "x")


def _side_by_side(label: str, name: str, selector, raw) -> None:
    selector_ms = median_ms(selector, REPEAT_NATIONAL)
    raw_ms = median_ms(raw, REPEAT_NATIONAL)
    emit(f"dashboard_national_{name}_selector_{label}", selector_ms, "ms")
    emit(f"dashboard_national_{name}_sql_{label}", raw_ms, "ms")
    emit(f"dashboard_national_{name}_ratio_{label}", selector_ms / raw_ms if raw_ms else 0, "x")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--worker":
        import django

        django.setup()
        {"province": _province, "national": _national}[sys.argv[2]](sys.argv[3])
    else:
        run()
