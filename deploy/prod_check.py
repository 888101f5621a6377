"""`make prod-check`: the production stack, run here exactly as deploy/ runs it on a server, and
a smoke test through it.

1. A PostgreSQL database of its own (PRODCHECK_DATABASE_URL, default truongchuan_prodcheck on
   127.0.0.1), dropped and created, migrated and loaded with the demo; `collectstatic`.
2. The three processes of deploy/systemd with DEBUG=0: gunicorn (deploy/gunicorn.conf.py,
   WhiteNoise), `manage.py db_worker` and `manage.py scheduler`.
3. The smoke test over HTTP on 127.0.0.1 only: the login page, a static file through WhiteNoise
   (hashed name, compressed, cached for a year), a page as each demo role, a PDF made by the
   worker, /healthz/.
4. SIGTERM to each process: each must stop by itself, cleanly (exit status 0, its heartbeat
   removed, no task left running).

Exit status 0 when everything held; otherwise 1 with the reason and the end of the logs. HTTP
runs without TLS here, so the secure-cookie and HTTPS-redirect settings are turned off through
their environment variables; everything else is the production configuration."""

from __future__ import annotations

import argparse
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
BUILD = ROOT / "build" / "prodcheck"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/truongchuan_prodcheck"
DEMO_PASSWORD_RE = re.compile(r"^\|\s*(\S+)\s*\|[^|]+\|[^|]+\|\s*(\S+)\s*\|$")


class CheckFailed(Exception):
    pass


def say(message: str) -> None:
    print(f"prod-check: {message}", flush=True)


def check(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)
    say(f"OK  {message}")


def wait_until(predicate: Callable[[], object], timeout: float, what: str) -> object:
    """Poll until `predicate` returns something true (a running stack answers in its time)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise CheckFailed(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.5)


# ---------------------------------------------------------------------------------------------
# Database and environment


def recreate_database(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise CheckFailed(f"refusing the database name {name!r}")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def production_env(db_url: str, port: int) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "S3_", "SECURE_", "TC_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="truongchuan.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=db_url,
        MEDIA_ROOT=str(BUILD / "media"),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        GUNICORN_ACCESS_LOG=str(BUILD / "access.log"),
        HEARTBEAT_SECONDS="2",
        # Plain HTTP on 127.0.0.1: no TLS to redirect to or to protect cookies with.
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise CheckFailed(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def load_demo(env: dict[str, str], *, reuse: bool = False) -> dict[str, str]:
    """Migrate, load the demo (as `make demo` does) and return {username: password}."""
    commands = [["migrate", "--noinput"], ["collectstatic", "--noinput"]]
    if not reuse:
        commands += [
            ["load_units"],
            ["load_frameworks"],
            ["load_demo"],
            ["load_programme_demo"],
            ["refresh_recognition_status"],
            ["load_assessment_demo"],
        ]
    for command in commands:
        say(f"manage.py {' '.join(command)}")
        manage(env, *command)
    accounts = {}
    for line in manage(env, "demo_accounts").splitlines():
        match = DEMO_PASSWORD_RE.match(line.strip())
        if match and match.group(1) != "Tên":
            accounts[match.group(1)] = match.group(2)
    accounts.pop("Tên", None)
    if not accounts:
        raise CheckFailed("demo_accounts printed no account")
    return accounts


def sql(db_url: str, query: str) -> list[tuple]:
    with psycopg.connect(db_url) as conn:
        return conn.execute(query).fetchall()


# ---------------------------------------------------------------------------------------------
# Processes


@dataclass
class Process:
    name: str
    args: list[str]
    stop_timeout: float
    popen: subprocess.Popen | None = None
    log: Path = field(default_factory=Path)

    def start(self, env: dict[str, str]) -> None:
        self.log = BUILD / f"{self.name}.log"
        handle = self.log.open("w")
        self.popen = subprocess.Popen(
            self.args, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT
        )
        say(f"started {self.name} (pid {self.popen.pid}): {' '.join(self.args[1:])}")

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def terminate(self) -> int | None:
        """SIGTERM, then wait for the process to stop by itself; None if it did not."""
        if self.popen is None:
            return None
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
        try:
            return self.popen.wait(timeout=self.stop_timeout)
        except subprocess.TimeoutExpired:
            return None

    def kill(self) -> None:
        if self.alive():
            self.popen.kill()
            self.popen.wait()

    def tail(self, lines: int = 30) -> str:
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def stack() -> list[Process]:
    return [
        Process("web", [PY, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"], 40),
        Process(
            "worker", [PY, "manage.py", "db_worker", "--no-reload", "--worker-id", "pc-1"], 240
        ),
        Process("scheduler", [PY, "manage.py", "scheduler"], 30),
    ]


# ---------------------------------------------------------------------------------------------
# The smoke test


def login(base: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=30)
    token = session.cookies.get("csrftoken")
    response = session.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/accounts/login/"},
        allow_redirects=False,
        timeout=30,
    )
    check(
        page.status_code == 200 and response.status_code == 302 and "sessionid" in session.cookies,
        f"login as {username}",
    )
    return session


def smoke(base: str, accounts: dict[str, str], db_url: str) -> None:
    page = requests.get(f"{base}/accounts/login/", timeout=30)
    check(page.status_code == 200 and "csrfmiddlewaretoken" in page.text, "login page (200)")

    css = re.search(r'href="(/static/vendor/bootstrap/[^"]+\.[0-9a-f]{12}\.css)"', page.text)
    check(css is not None, "static files have hashed names (CompressedManifestStaticFilesStorage)")
    asset = requests.get(base + css.group(1), headers={"Accept-Encoding": "gzip"}, timeout=30)
    check(
        asset.status_code == 200
        and "max-age=315360000" in asset.headers.get("Cache-Control", "")
        and asset.headers.get("Content-Encoding") in ("gzip", "br"),
        f"static file through WhiteNoise, compressed and cached for a year ({css.group(1)})",
    )

    sessions = {}
    for username, password in accounts.items():
        session = login(base, username, password)
        for path in ("/", "/schools/"):
            response = session.get(base + path, timeout=60)
            check(
                response.status_code == 200 and username in response.text,
                f"{path} as {username} (200)",
            )
        sessions[username] = session

    # A PDF through the worker, as the first account that may make documents.
    found = None
    # An officer rather than the administrator: the PDF is made in a real user's scope.
    for name, candidate in sorted(sessions.items(), key=lambda item: item[0] == "admin"):
        index = candidate.get(f"{base}/documents/", timeout=60)
        unit = re.search(
            r'<select[^>]*name="unit"[^>]*>.*?<option value="([^"]+)"', index.text, re.S
        )
        if index.status_code == 200 and unit:
            found = (name, candidate, unit.group(1))
            break
    if found is None:
        raise CheckFailed("no demo account reaches the documents page")
    username, session, unit_uid = found
    response = session.post(
        f"{base}/documents/generate/statistics/",
        data={
            "unit": unit_uid,
            "fmt": "pdf",
            "period": "H1",
            "csrfmiddlewaretoken": session.cookies.get("csrftoken"),
        },
        headers={"Referer": f"{base}/documents/"},
        allow_redirects=False,
        timeout=60,
    )
    job_url = response.headers.get("Location", "")
    check(
        response.status_code == 302 and "/documents/jobs/" in job_url,
        f"PDF requested as {username} for {unit_uid}",
    )
    job_url = base + job_url if job_url.startswith("/") else job_url
    done = wait_until(
        lambda: "/file/pdf/" in session.get(job_url + "progress/", timeout=30).text,
        240,
        "the worker to make the PDF",
    )
    pdf = session.get(job_url + "file/pdf/", timeout=60)
    check(
        bool(done) and pdf.status_code == 200 and pdf.content.startswith(b"%PDF"),
        "PDF made by the worker and downloaded",
    )
    state = sql(db_url, "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult")
    check(
        any(s == "SUCCESSFUL" and w == ["pc-1"] for s, w in state),
        "the task ran once, in the worker process",
    )

    health = requests.get(f"{base}/healthz/", timeout=30)
    body = health.json()
    check(
        health.status_code == 200
        and body["status"] == "ok"
        and body["database"]["ok"]
        and body["worker"]["ok"]
        and body["storage"]["ok"]
        and body["scheduler"]["heartbeat_age_seconds"] is not None,
        f"/healthz/ 200: {body}",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PRODCHECK_PORT", 8114)))
    parser.add_argument(
        "--database-url", default=os.environ.get("PRODCHECK_DATABASE_URL", DEFAULT_DB)
    )
    parser.add_argument(
        "--reuse-db",
        action="store_true",
        help="keep the database of the previous run (already loaded): quicker, for a rerun",
    )
    args = parser.parse_args()
    BUILD.mkdir(parents=True, exist_ok=True)
    base = f"http://127.0.0.1:{args.port}"
    env = production_env(args.database_url, args.port)
    processes = stack()
    try:
        name = urlsplit(args.database_url).path.lstrip("/")
        if args.reuse_db:
            say(f"database {name} (kept from the previous run)")
        else:
            say(f"database {name} (dropped and created)")
            recreate_database(args.database_url)
        accounts = load_demo(env, reuse=args.reuse_db)
        for process in processes:
            process.start(env)

        def healthy() -> bool:
            for process in processes:
                if not process.alive():
                    raise CheckFailed(f"{process.name} stopped:\n{process.tail()}")
            try:
                return requests.get(f"{base}/healthz/", timeout=15).status_code == 200
            except requests.RequestException:  # not listening yet, or still booting
                return False

        wait_until(healthy, 90, "/healthz/ to answer 200")
        smoke(base, accounts, args.database_url)

        for process in processes:
            status = process.terminate()
            check(status == 0, f"{process.name} stopped cleanly on SIGTERM (exit {status})")
        pids = ",".join(str(p.popen.pid) for p in processes if p.popen is not None)
        check(
            sql(
                args.database_url,
                f"SELECT count(*) FROM core_processheartbeat WHERE pid IN ({pids})",
            )
            == [(0,)],
            "the stopped processes removed their heartbeats",
        )
        check(
            sql(
                args.database_url,
                "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'",
            )
            == [(0,)],
            "no task left running",
        )
    except (CheckFailed, requests.RequestException, psycopg.Error) as exc:
        say(f"FAILED: {exc}")
        for process in processes:
            say(f"--- {process.name} log ({process.log}):\n{process.tail()}")
        return 1
    finally:
        for process in processes:
            process.kill()
    say("the production stack works")
    return 0


if __name__ == "__main__":
    sys.exit(main())
