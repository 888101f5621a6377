"""Helpers shared by benchmarks: Django set-up on a chosen database, and median timing."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "build" / "bench"
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/truongchuan_bench")


def emit(name: str, value: float, unit: str) -> None:
    print(f"BENCH {name} {value:.3f} {unit}", flush=True)


def median_ms(fn: Callable[[], object], repeat: int = 15, warmup: int = 2) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", connect_timeout=3):
            return True
    except Exception:
        return False


def ensure_pg_database(url: str) -> None:
    """Create the benchmark's own PostgreSQL database if it does not exist (benchmarks never
    touch the application's database)."""
    import psycopg
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def targets(sqlite_file: Path, pg_url: str) -> list[tuple[str, str]]:
    """The databases a benchmark runs on: ("sqlite", url) and, when PostgreSQL answers,
    ("postgres", url) with its database created."""
    found = [("sqlite", f"sqlite:///{sqlite_file}")]
    if postgres_available():
        ensure_pg_database(pg_url)
        found.append(("postgres", pg_url))
    else:
        print("# PostgreSQL không trả lời ở 127.0.0.1:5432: bỏ qua phần PostgreSQL", flush=True)
    return found


def run_worker(module: str, args: list[str], url: str, **env: str) -> None:
    """Run ``python -m bench.<module> --worker *args`` in a child process on the database at
    ``url``, with production-like settings: no DEBUG query log (it would grow by every query
    timed), plain HTTP for the test client, no kept pages. ``env`` adds or overrides variables."""
    child_env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "truongchuan.settings",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SECRET_KEY": "bench-only-" + "x" * 50,
        "ALLOWED_HOSTS": "testserver",
        # Each timed visit renders the page: a kept copy (core.page_cache) would time the
        # cache. The load benchmark measures both (bench_load).
        "PAGE_CACHE_SECONDS": "0",
        **env,
    }
    result = subprocess.run(
        [sys.executable, "-m", f"bench.{module}", "--worker", *args],
        cwd=ROOT,
        env=child_env,
        check=False,
    )
    if result.returncode:
        where = f" ({' '.join(args)})" if args else ""
        print(f"# {module}{where} thất bại, mã {result.returncode}", flush=True)


def province_of_schools(
    *,
    uid: str,
    code: str,
    name: str,
    school_prefix: str,
    school_name: str,
    kind: str,
    schools: int,
    users: str,
    communes: int = 30,
) -> tuple[object, list, object, object]:
    """A province of `communes` communes and `schools` schools of one kind spread over them,
    with a province officer and the first school's principal (usernames `<users>_so`,
    `<users>_ht`), in one transaction; for the benchmarks' worker processes (Django set up)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from accounts.models import Membership, Role
    from schools.models import School
    from units.models import AdminUnit

    user_model = get_user_model()
    with transaction.atomic():
        province = AdminUnit.objects.create(uid=uid, code=code, name=name, division_type="tỉnh")
        units = [
            AdminUnit.objects.create(
                uid=f"W{code}{n:03d}",
                code=f"{code}{n:03d}",
                name=f"Xã {name.removeprefix('Tỉnh ')} {n}",
                division_type="xã",
                parent=province,
            )
            for n in range(communes)
        ]
        made = [
            School.objects.create(
                code=f"{school_prefix}-{n:05d}",
                name=f"{school_name} {n}",
                kind=kind,
                unit=units[n % len(units)],
            )
            for n in range(schools)
        ]
        officer = user_model.objects.create_user(f"{users}_so", password="Bench-2025!")
        Membership.objects.create(user=officer, unit=province, role=Role.PROVINCE_OFFICER)
        principal = user_model.objects.create_user(f"{users}_ht", password="Bench-2025!")
        Membership.objects.create(user=principal, school=made[0], role=Role.PRINCIPAL)
    return province, made, officer, principal
