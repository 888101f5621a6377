"""School list at national scale: 45,000 schools over the 3,321 communes, filtered to one
province and searched by a name word typed without accents (issue 2, goal ≤ 150 ms).

Each database runs in its own subprocess because the settings read DATABASE_URL once at start:
    python -m bench.bench_school_list --worker <label>
The worker migrates, loads the units and generates the schools (kept between runs), then times
the full view (django.test.Client: middleware, session, scope, queries, template) and, as the
floor, one raw SQL query with the same filter, order and limit. Printed figures:
    school_list_province_search_<db>             province officer, full view, median ms
    school_list_province_search_superuser_<db>   superuser (no scope filter), median ms
    school_list_selector_<db>                    selector + paginator only (count + page rows)
    school_list_floor_<db>                       raw SQL, median ms
    school_list_ratio_<db>                       view / floor
"""

from __future__ import annotations

import sys

from bench.common import BENCH_DIR, PG_URL, emit, median_ms, run_worker, targets

SCHOOLS = 45_000
REPEAT = 30
# The largest province is the worst case for a province filter; "nguyen" is the most common
# word of school names (Nguyễn Trãi, Nguyễn Du, …), typed without accents as users do.
QUERY = "nguyen"


def run() -> None:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    for label, url in targets(BENCH_DIR / "list.sqlite3", PG_URL):
        run_worker("bench_school_list", [label], url)


def _worker(label: str) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from schools.management.commands.generate_national_data import CODE_PREFIX
    from schools.models import School
    from schools.selectors import SchoolFilters, school_list
    from schools.views import PAGE_SIZE
    from units.models import AdminUnit

    call_command("migrate", verbosity=0, interactive=False)
    if AdminUnit.objects.current().filter(uid__startswith="W").count() < 3321:
        call_command("load_units")
    if School.objects.filter(code__startswith=CODE_PREFIX).count() != SCHOOLS:
        call_command("generate_national_data", schools=SCHOOLS, seed=1, reset=True)
        with connection.cursor() as cursor:
            # A long-running database has planner statistics (PostgreSQL's autovacuum; SQLite
            # after `PRAGMA optimize`); right after a bulk load it has none.
            cursor.execute("ANALYZE")

    counts = {
        p.uid: School.objects.filter(unit__path__startswith=p.path).count()
        for p in AdminUnit.objects.filter(parent__isnull=True, valid_to__isnull=True)
    }
    province = AdminUnit.objects.get(uid=max(counts, key=counts.get))
    user_model = get_user_model()
    officer = user_model.objects.get(username=f"gen_so_{province.uid.lower()}")
    admin = user_model.objects.filter(username="bench_admin").first()
    if admin is None:
        admin = user_model.objects.create_superuser("bench_admin", "", "Bench-Admin-2025!")

    url = f"/schools/?province={province.uid}&q={QUERY}"
    hits = School.objects.filter(
        unit__path__startswith=province.path, search_text__contains=QUERY
    ).count()
    print(
        f"# {label}: {School.objects.count()} trường; {province.name} có {counts[province.uid]} "
        f"trường, {hits} khớp «{QUERY}»; GET {url}",
        flush=True,
    )

    for suffix, user in (("", officer), ("_superuser", admin)):
        client = Client()
        client.force_login(user)
        response = client.get(url)
        if response.status_code != 200:
            print(f"# {label}: {url} trả về {response.status_code}, bỏ qua", flush=True)
            return
        view_ms = median_ms(lambda c=client: c.get(url), repeat=REPEAT)
        emit(f"school_list_province_search{suffix}_{label}", view_ms, "ms")
        if not suffix:
            officer_ms = view_ms

    def selector() -> None:
        # A fresh user object per call, as in a request (the scope is cached on the user).
        user = user_model.objects.get(pk=officer.pk)
        qs = school_list(user=user, filters=SchoolFilters(q=QUERY, province=province.uid))
        qs.count()
        list(qs[:PAGE_SIZE])

    emit(f"school_list_selector_{label}", median_ms(selector, repeat=REPEAT), "ms")

    # The floor: the page's rows in one query, same filter, order and limit, no ORM, no scope.
    floor_sql = (
        "SELECT s.id, s.code, s.name, s.kind, s.ownership, s.standard_level, s.is_illustrative,"
        " u.name, p.name FROM schools_school s"
        " JOIN units_adminunit u ON u.id = s.unit_id"
        " LEFT JOIN units_adminunit p ON p.id = u.parent_id"
        " WHERE u.path LIKE %s AND s.search_text LIKE %s"
        " ORDER BY s.sort_key, s.code LIMIT " + str(int(PAGE_SIZE))
    )
    # LIMIT is inlined: as a bound parameter it makes SQLite plan a slower query.
    params = [province.path + "%", f"%{QUERY}%"]

    def floor() -> None:
        with connection.cursor() as cursor:
            cursor.execute(floor_sql, params)
            cursor.fetchall()

    floor_ms = median_ms(floor, repeat=REPEAT)
    emit(f"school_list_floor_{label}", floor_ms, "ms")
    emit(f"school_list_ratio_{label}", officer_ms / floor_ms if floor_ms else 0.0, "x")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        _worker(sys.argv[2])
    else:
        run()
