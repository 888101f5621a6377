"""Scale-out (issue 13 point 6) and a clean stop, with real worker processes on PostgreSQL:
two `manage.py db_worker` processes share one queue, 50 jobs are each done exactly once (the
claim is django-tasks' `SELECT … FOR UPDATE SKIP LOCKED`), a real PDF job among them; SIGTERM
to a worker running a job lets the job finish, a second SIGTERM puts it back in the queue.

The workers connect to this test's database, so these tests run in the PostgreSQL run
(`make test-postgres`, `.ci/run`); the in-memory SQLite database of the other run cannot be
shared between processes (the same worker code runs in-process in test_worker.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.tests import worker_tasks
from documents import pdf
from documents.services import request_from_params
from documents.tasks import generated_document_request

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="worker processes need a shared database: runs in the PostgreSQL run",
    ),
]


@pytest.fixture(autouse=True)
def database_queue(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


def worker_env(tmp_path: Path) -> dict[str, str]:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}",
        MEDIA_ROOT=str(tmp_path / "media"),
        DEBUG="1",
        HEARTBEAT_SECONDS="1",
        TASK_RETRY_DELAY_SECONDS="0",
    )
    return env


def start_worker(tmp_path: Path, worker_id: str, *extra: str) -> subprocess.Popen:
    log = (tmp_path / f"{worker_id}.log").open("w")
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.05",
            "--worker-id",
            worker_id,
            *extra,
        ],
        cwd=ROOT,
        env=worker_env(tmp_path),
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def wait_until(predicate: Callable[[], object], timeout: float = 120) -> None:
    """Poll a condition another process brings about (a state, not a duration)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_two_workers_do_fifty_jobs_each_exactly_once(tmp_path, commune_officer, commune):
    out = tmp_path / "runs.txt"
    jobs = [
        worker_tasks.append_line.enqueue(str(out), f"job-{i}", work_seconds=0.05) for i in range(50)
    ]
    pdf_job = None
    if os.environ.get("TC_REQUIRE_PDF") or pdf.is_available():
        req = request_from_params(
            user=commune_officer, kind="statistics", params={"unit": commune.uid}
        )
        pdf_job = generated_document_request(user=commune_officer, req=req)

    workers = [start_worker(tmp_path, wid, "--batch") for wid in ("worker-a", "worker-b")]
    for w in workers:
        assert w.wait(timeout=300) == 0, [p.read_text() for p in tmp_path.glob("*.log")]

    lines = out.read_text().splitlines()
    keys = Counter(line.split()[0] for line in lines)
    assert keys == Counter({f"job-{i}": 1 for i in range(50)})  # none lost, none twice
    rows = DBTaskResult.objects.filter(pk__in=[j.id for j in jobs])
    assert {r.status for r in rows} == {TaskResultStatus.SUCCESSFUL}
    assert all(len(r.worker_ids) == 1 for r in rows)
    by_worker = Counter(r.worker_ids[0] for r in rows)
    assert set(by_worker) == {"worker-a", "worker-b"}, by_worker  # both took their share
    assert len({line.split()[1] for line in lines}) == 2  # two processes wrote
    if pdf_job is not None:
        pdf_job.refresh_from_db()
        assert pdf_job.status == "done", pdf_job.error
        assert pdf_job.pdf.open("rb").read(4) == b"%PDF"


def test_the_claim_skips_locked_rows():
    # What makes two workers safe on PostgreSQL: django-tasks' claim query itself.
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        DBTaskResult.objects.ready().get_locked()
    claim = [q["sql"] for q in queries if "dbtaskresult" in q["sql"]]
    assert claim and "FOR UPDATE SKIP LOCKED" in claim[0]


def _status(result) -> str:
    return DBTaskResult.objects.get(pk=result.id).status


def test_sigterm_to_a_worker_running_a_job_lets_it_finish(tmp_path):
    release = tmp_path / "release"
    job = worker_tasks.wait_for_release.enqueue(str(release))
    worker = start_worker(tmp_path, "worker-term")
    wait_until(lambda: _status(job) == TaskResultStatus.RUNNING)
    worker.send_signal(signal.SIGTERM)
    release.touch()  # the conversion ends after the signal
    assert worker.wait(timeout=60) == 0
    assert _status(job) == TaskResultStatus.SUCCESSFUL


def test_second_sigterm_puts_the_running_job_back_in_the_queue(tmp_path):
    job = worker_tasks.wait_for_release.enqueue(str(tmp_path / "never"))
    worker = start_worker(tmp_path, "worker-twice")
    wait_until(lambda: _status(job) == TaskResultStatus.RUNNING)
    worker.send_signal(signal.SIGTERM)
    wait_until(lambda: "shutting down" in (tmp_path / "worker-twice.log").read_text())
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=60) == 0
    assert _status(job) == TaskResultStatus.READY  # never stuck "running"


def test_a_killed_workers_job_is_taken_over_by_another_worker(tmp_path, settings):
    release = tmp_path / "release"
    job = worker_tasks.wait_for_release.enqueue(str(release))
    doomed = start_worker(tmp_path, "worker-killed")
    wait_until(lambda: _status(job) == TaskResultStatus.RUNNING)
    doomed.kill()  # no chance to clean up: the heartbeat goes stale
    doomed.wait()
    release.touch()
    env_stale = {"WORKER_STALE_SECONDS": "2"}
    log = (tmp_path / "worker-next.log").open("w")
    successor = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.05"],
        cwd=ROOT,
        env={**worker_env(tmp_path), **env_stale},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until(lambda: _status(job) == TaskResultStatus.SUCCESSFUL)
    finally:
        successor.send_signal(signal.SIGTERM)
        assert successor.wait(timeout=60) == 0
    assert DBTaskResult.objects.get(pk=job.id).worker_ids[0] == "worker-killed"
