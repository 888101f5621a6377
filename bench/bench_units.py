"""`load_units` with the whole pre-2025 map: today's 34 provinces and 3,321 communes
(vietnam-provinces) and the 10,795 retired units with their old → new links (vietnamadminunits),
into empty tables, then again over the loaded rows (what every `make demo` does). Floor: the
same rows and links written by raw executemany INSERTs, no ORM, no package reading.

    load_units_full_<db>          first load into empty tables, s
    load_units_rerun_<db>         second run, nothing to change, s
    load_units_floor_<db>         raw INSERT of the same rows and links, s
    load_units_ratio_<db>         first load / floor
"""

from __future__ import annotations

import sys
import time

from bench.common import BENCH_DIR, emit, run_worker, targets

PG_URL = "postgres://postgres@127.0.0.1:5432/truongchuan_bench_units"
COLUMNS = (
    "id",
    "uid",
    "code",
    "name",
    "division_type",
    "parent_id",
    "depth",
    "path",
    "valid_from",
    "valid_to",
    "note",
    "search_text",
    "sort_key",
)


def run() -> None:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    sqlite_file = BENCH_DIR / "units.sqlite3"
    sqlite_file.unlink(missing_ok=True)
    for label, url in targets(sqlite_file, PG_URL):
        run_worker("bench_units", [label], url)


def _clear(connection, tables: list[str]) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - our own table names


def _worker(label: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from units.models import AdminUnit
    from units.services import units_load_current, units_load_legacy

    call_command("migrate", verbosity=0, interactive=False)
    through = AdminUnit.successors.through
    tables = [through._meta.db_table, AdminUnit._meta.db_table]
    _clear(connection, tables)

    t0 = time.perf_counter()
    units_load_current()
    units_load_legacy()
    full = time.perf_counter() - t0
    emit(f"load_units_full_{label}", full, "s")

    t0 = time.perf_counter()
    units_load_current()
    units_load_legacy()
    emit(f"load_units_rerun_{label}", time.perf_counter() - t0, "s")

    rows = list(AdminUnit.objects.order_by("depth", "id").values_list(*COLUMNS))
    links = list(through.objects.values_list("from_adminunit_id", "to_adminunit_id"))
    _clear(connection, tables)
    marks = ", ".join(["%s"] * len(COLUMNS))
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {tables[1]} ({', '.join(COLUMNS)}) VALUES ({marks})",  # noqa: S608
            rows,
        )
        cursor.executemany(
            f"INSERT INTO {tables[0]} (from_adminunit_id, to_adminunit_id) "  # noqa: S608
            "VALUES (%s, %s)",
            links,
        )
    floor = time.perf_counter() - t0
    emit(f"load_units_floor_{label}", floor, "s")
    emit(f"load_units_ratio_{label}", full / floor if floor else 0.0, "x")
    print(f"# {len(rows)} đơn vị, {len(links)} liên kết kế thừa", flush=True)


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--worker":
        _worker(sys.argv[2])
