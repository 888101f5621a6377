"""Speed under load (issue 13 §8): the production stack (gunicorn with deploy/gunicorn.conf.py,
DEBUG=0, PostgreSQL) driven by 50 concurrent clients for a bounded time, only ever on
127.0.0.1, and stopped by itself.

The pages are served as in production, kept per session while nothing is written
(core.page_cache); a third run starts a server with kept pages off (PAGE_CACHE_SECONDS=0), the
cost of every page right after a write: load_rendered_*.

Before any measured run, a discarded warm-up drives the mixed pages with all the clients for
WARMUP_ALL seconds, after gunicorn has logged every worker booted: each worker imports Django and
the apps (no .pyc where PYTHONDONTWRITEBYTECODE is set) and its lazy imports at its first
requests, a start-up cost that is not the steady state being measured. Then two runs against the
same server, each after a short warm-up:
- **mixed**: every client signs in as one of the demo roles (a session made for that user) and
  loops over real pages of that role — the school list, the dashboard, the self-assessment
  page, a criterion sheet, the JSON school list;
- **floor**: the same clients on `/api/me/`, an authenticated view with one query of its own.
Printed:
    load_mixed_rps, load_mixed_p50, load_mixed_p95   requests/s and latencies (ms)
    load_floor_rps, load_floor_p50, load_floor_p95
    load_mixed_ratio                                 mixed rps / floor rps (goal ≥ 0.2)
    load_rendered_rps, _p50, _p95, _ratio            the mix with kept pages off
    load_errors                                      responses other than 200 (must be 0)
Goal on 2 cores: ratio ≥ 0.2 and mixed p95 ≤ 500 ms.

The database (truongchuan_bench_load) keeps the demo between runs; the setup runs in a child
process (python -m bench.bench_load --worker setup) because the settings read DATABASE_URL once.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from bench.common import BENCH_DIR, ROOT, emit, ensure_pg_database, postgres_available, run_worker

CLIENTS = int(os.environ.get("BENCH_LOAD_CLIENTS", "50"))
SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "20"))
WARMUP = 3.0
WARMUP_ALL = float(os.environ.get("BENCH_LOAD_WARMUP", "10"))
PG_URL = "postgres://postgres@127.0.0.1:5432/truongchuan_bench_load"
SETUP = BENCH_DIR / "load_setup.json"
GUNICORN_LOG = BENCH_DIR / "load_gunicorn.log"


def run() -> None:
    if not postgres_available():
        print("# PostgreSQL không trả lời ở 127.0.0.1:5432: bỏ qua phép đo tải", flush=True)
        return
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    ensure_pg_database(PG_URL)
    SETUP.unlink(missing_ok=True)
    run_worker(
        "bench_load",
        ["setup"],
        PG_URL,
        MEDIA_ROOT=str(BENCH_DIR / "load_media"),
        ALLOWED_HOSTS="127.0.0.1,testserver",
    )
    if not SETUP.exists():
        return
    setup = json.loads(SETUP.read_text())
    with _server() as base:
        mixed = _drive(base, setup["clients"], setup["pages"])
        floor = _drive(base, setup["clients"], {role: ["/api/me/"] for role in setup["pages"]})
    # The same mix with kept pages off: every request renders (as right after a write).
    with _server(PAGE_CACHE_SECONDS="0") as base:
        rendered = _drive(base, setup["clients"], setup["pages"])
    for name, result in (("mixed", mixed), ("floor", floor), ("rendered", rendered)):
        emit(f"load_{name}_rps", result.rps, "req/s")
        emit(f"load_{name}_p50", result.p50, "ms")
        emit(f"load_{name}_p95", result.p95, "ms")
    emit("load_mixed_ratio", mixed.rps / floor.rps if floor.rps else 0, "x")
    emit("load_rendered_ratio", rendered.rps / floor.rps if floor.rps else 0, "x")
    emit("load_errors", mixed.errors + floor.errors + rendered.errors, "responses")
    for name, result in (("mixed", mixed), ("rendered", rendered)):
        for path, ms in sorted(result.by_page.items(), key=lambda i: -i[1]):
            print(f"# {name} p95 {ms:7.1f} ms  {path}", flush=True)


@contextmanager
def _server(**env: str) -> Iterator[str]:
    """gunicorn started, every worker booted and warmed up by the mixed pages (discarded);
    stopped on the way out."""
    setup = json.loads(SETUP.read_text())
    port = _free_port()
    server = _start_gunicorn(port, env)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_ready(base, server)
        _wait_workers_booted(server)
        _drive(base, setup["clients"], setup["pages"], seconds=WARMUP_ALL)  # discarded
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()


# --- the server ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_gunicorn(port: int, extra: dict[str, str]) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": PG_URL,
        "DJANGO_SETTINGS_MODULE": "truongchuan.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "MEDIA_ROOT": str(BENCH_DIR / "load_media"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": "/dev/null",
        "LOG_LEVEL": "ERROR",
        # gunicorn's own log at info: "Booting worker with pid …" tells when all have started.
        "GUNICORN_LOG_LEVEL": "info",
        # No worker recycled mid-run: a restart (imports, cold caches) is not the steady state.
        "GUNICORN_MAX_REQUESTS": "0",
        **extra,
    }
    log = open(GUNICORN_LOG, "w")  # noqa: SIM115 (kept open by the child)
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _wait_ready(base: str, server: subprocess.Popen) -> None:
    import requests

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn dừng khi khởi động (xem build/bench/load_gunicorn.log)")
        try:
            if requests.get(base + "/accounts/login/", timeout=10).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or booting its workers
            pass
        time.sleep(0.2)  # polling a starting server, not timing anything
    raise RuntimeError("gunicorn không trả lời sau 60 giây")


def _wait_workers_booted(server: subprocess.Popen) -> None:
    """Until gunicorn has logged as many booted workers as it has worker processes (the
    configured number, read from the server's children), at most 60 s."""
    expected = _configured_workers()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        if GUNICORN_LOG.read_text(errors="replace").count("Booting worker with pid") >= expected:
            return
        time.sleep(0.2)  # polling a starting server, not timing anything


def _configured_workers() -> int:
    import multiprocessing

    return int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2 + 1)))


# --- the clients -----------------------------------------------------------------------------


class Result:
    def __init__(self, samples: list[tuple[str, float, int]], seconds: float):
        times = [ms for _p, ms, _s in samples]
        self.rps = len(samples) / seconds
        self.p50 = statistics.median(times) if times else 0.0
        self.p95 = statistics.quantiles(times, n=20)[18] if len(times) > 20 else max(times or [0])
        self.errors = sum(1 for _p, _ms, status in samples if status != 200)
        by_page: dict[str, list[float]] = {}
        for path, ms, _s in samples:
            by_page.setdefault(path, []).append(ms)
        self.by_page = {
            p: (statistics.quantiles(v, n=20)[18] if len(v) > 20 else max(v))
            for p, v in by_page.items()
        }


def _drive(
    base: str, clients: list[dict], pages: dict[str, list[str]], seconds: float = SECONDS
) -> Result:
    """CLIENTS threads, each a signed-in role looping over its pages; samples taken after the
    warm-up until the deadline. The host is always 127.0.0.1 (asserted)."""
    import requests

    assert urlsplit(base).hostname == "127.0.0.1"
    start = time.monotonic()
    measure_from, stop_at = start + WARMUP, start + WARMUP + seconds
    samples: list[tuple[str, float, int]] = []
    lock = threading.Lock()

    def client(i: int) -> None:
        who = clients[i % len(clients)]
        session = requests.Session()
        session.cookies.set("sessionid", who["session"], domain="127.0.0.1")
        mine = pages[who["role"]]
        k = i
        while (now := time.monotonic()) < stop_at:
            path = mine[k % len(mine)]
            k += 1
            t0 = time.perf_counter()
            try:
                status = session.get(base + path, timeout=30, allow_redirects=False).status_code
            except requests.RequestException:
                status = 0
            ms = (time.perf_counter() - t0) * 1000
            if now >= measure_from:
                with lock:
                    samples.append((path, ms, status))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Result(samples, seconds)


# --- setup (inside the child process) ---------------------------------------------------------


def _setup() -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from accounts.permissions import scope_for
    from assessments.models import Assessment
    from schools.management.demo import demo_create_accounts
    from schools.models import School

    call_command("migrate", verbosity=0, interactive=False)
    # DEBUG=0 serves hashed static names from the manifest, as in production.
    call_command("collectstatic", verbosity=0, interactive=False)
    if not Assessment.objects.exists():
        for command in ("load_units", "load_frameworks", "load_demo", "load_programme_demo"):
            call_command(command, verbosity=0)
        call_command("refresh_recognition_status", verbosity=0)
        call_command("load_assessment_demo", verbosity=0)
    call_command("count_tallies", verbosity=0)
    accounts = {a.username: a for a in demo_create_accounts()}
    users = get_user_model().objects.filter(username__in=list(accounts))
    assessment = Assessment.objects.select_related("school").order_by("pk").first()
    sheet = assessment.sheets.select_related("criterion").order_by("pk").first()
    school_pages = [
        "/schools/",
        "/dashboard/",
        f"/assessments/{assessment.pk}/",
        f"/assessments/{assessment.pk}/tieu-chi/{sheet.criterion.code}/",
        "/api/schools/",
    ]
    officer_pages = ["/schools/", "/dashboard/", f"/assessments/{assessment.pk}/", "/api/schools/"]
    principal = next(u for u in users if u.memberships.filter(school=assessment.school).exists())
    # Officers of the units above that school (the others would get 404 on its pages).
    officers = [
        u
        for u in users
        if u.memberships.filter(unit__isnull=False).exists()
        and scope_for(u).can_see_school(assessment.school)
    ]
    clients, pages = [], {"school": school_pages, "officer": officer_pages}
    for user, role in [(principal, "school")] + [(u, "officer") for u in officers]:
        c = Client()
        c.force_login(user)
        clients.append(
            {"role": role, "username": user.username, "session": c.cookies["sessionid"].value}
        )
    # Every page answers 200 for its role before any timing (a 302 or 404 would be fast).
    for who in clients:
        c = Client(HTTP_HOST="127.0.0.1")
        c.cookies["sessionid"] = who["session"]
        for path in pages[who["role"]]:
            status = c.get(path).status_code
            if status != 200:
                raise SystemExit(f"{path} trả {status} cho {who['username']}")
    print(
        f"# tải: {School.objects.count()} trường, {len(clients)} tài khoản; "
        f"{CLIENTS} máy khách × {SECONDS:g} giây",
        flush=True,
    )
    SETUP.write_text(json.dumps({"clients": clients, "pages": pages}))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        _setup()
    else:
        run()
