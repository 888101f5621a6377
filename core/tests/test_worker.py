"""The background worker (core.worker, `manage.py db_worker`): heartbeat, bounded retries with
the reason kept, abandoned tasks back in the queue, and a clean stop on SIGTERM. The worker runs
here in the test process (batch mode: it stops when the queue is empty); the same worker in
separate processes on PostgreSQL is in test_scale_out.py."""

from __future__ import annotations

import datetime as dt
import signal

import pytest
from django.core.management import get_commands
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core import worker as core_worker
from core.models import ProcessHeartbeat
from core.tests import worker_tasks

# transaction=True: the worker and the scheduler call close_old_connections(), as they must
# in production; inside a test's transaction that closes the test's own PostgreSQL
# connection (SQLite's in-memory one is never closed, which hid it).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_MAX_ATTEMPTS = 3
    settings.TASK_RETRY_DELAY_SECONDS = 0
    settings.WORKER_STALE_SECONDS = 60


def run_worker(worker_id: str = "w-test") -> core_worker.Worker:
    """One worker in this process until the queue is empty (or it is told to stop)."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    worker = core_worker.Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
        heartbeat_thread=False,  # the in-memory test database is this thread's only
    )
    worker.configure_signals()
    try:
        worker.run()
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
    return worker


def row(result) -> DBTaskResult:
    return DBTaskResult.objects.get(pk=getattr(result, "id", None) or result.pk)


def test_db_worker_command_is_ours():
    assert get_commands()["db_worker"] == "core"


def test_it_runs_a_task_and_leaves_no_heartbeat_behind():
    result = worker_tasks.succeed.enqueue("a")
    run_worker()
    done = row(result)
    assert done.status == TaskResultStatus.SUCCESSFUL and done.return_value == "a"
    assert not ProcessHeartbeat.objects.exists()  # a clean stop removes its row


def test_a_failing_task_is_retried_a_bounded_number_of_times_and_keeps_its_reason():
    result = worker_tasks.fail_always.enqueue()
    run_worker()
    failed = row(result)
    assert failed.status == TaskResultStatus.FAILED
    assert len(failed.worker_ids) == 3  # TASK_MAX_ATTEMPTS
    assert failed.exception_class_path == "builtins.RuntimeError"
    assert "LibreOffice crashed" in failed.traceback


def test_a_task_that_fails_once_succeeds_on_its_second_attempt():
    result = worker_tasks.fail_first_attempt.enqueue()
    run_worker()
    done = row(result)
    assert done.status == TaskResultStatus.SUCCESSFUL and done.return_value == 2


def test_a_retry_waits_its_delay(settings):
    settings.TASK_RETRY_DELAY_SECONDS = 600
    result = worker_tasks.fail_always.enqueue()
    run_worker()
    waiting = row(result)
    assert waiting.status == TaskResultStatus.READY and len(waiting.worker_ids) == 1
    assert waiting.run_after > timezone.now() + dt.timedelta(seconds=500)
    assert "LibreOffice crashed" in waiting.traceback  # why the first attempt failed


def test_sigterm_lets_the_running_task_finish_then_stops():
    first = worker_tasks.signal_self.enqueue(1)
    run_worker()
    assert row(first).status == TaskResultStatus.SUCCESSFUL
    assert ProcessHeartbeat.objects.filter(process_id="half-written").exists()


def test_sigterm_stops_the_worker_before_the_next_task():
    worker_tasks.signal_self.enqueue(1)
    later = worker_tasks.succeed.enqueue("later")
    # The first task asks the worker to stop: the second stays in the queue for the next one.
    run_worker()
    assert row(later).status == TaskResultStatus.READY


def test_second_sigterm_interrupts_the_task_rolls_it_back_and_requeues_it():
    result = worker_tasks.signal_self.enqueue(2)
    run_worker()
    back = row(result)
    assert back.status == TaskResultStatus.READY
    assert back.worker_ids == []  # the interrupted run is not counted as an attempt
    assert not ProcessHeartbeat.objects.filter(process_id="half-written").exists()


def _running(worker_id: str, attempts: int = 1) -> DBTaskResult:
    result = worker_tasks.succeed.enqueue("x")
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now(),
        worker_ids=[f"earlier-{i}" for i in range(attempts - 1)] + [worker_id],
    )
    return row(result)


def _beat(process_id: str, seconds_ago: float) -> None:
    seen = timezone.now() - dt.timedelta(seconds=seconds_ago)
    ProcessHeartbeat.objects.create(
        process_id=process_id, role="worker", started_at=seen, seen_at=seen
    )


def test_task_of_a_dead_worker_goes_back_to_the_queue_and_a_live_ones_stays():
    _beat("dead", 120)
    _beat("alive", 5)
    orphan = _running("dead")
    busy = _running("alive")
    assert core_worker.requeue_abandoned() == 1
    assert row(orphan).status == TaskResultStatus.READY
    assert row(busy).status == TaskResultStatus.RUNNING


def test_task_that_keeps_killing_its_worker_fails_with_the_reason():
    orphan = _running("gone", attempts=3)
    core_worker.requeue_abandoned()
    failed = row(orphan)
    assert failed.status == TaskResultStatus.FAILED
    assert failed.exception_class_path == core_worker.WORKER_LOST
    assert "stopped" in failed.traceback


def test_a_starting_worker_sweeps_abandoned_tasks_and_runs_them():
    orphan = _running("killed")
    run_worker()
    assert row(orphan).status == TaskResultStatus.SUCCESSFUL


def test_heartbeat_age_tells_a_dead_worker_from_a_live_one():
    assert core_worker.heartbeat_age() is None and not core_worker.worker_alive()
    _beat("old", 120)
    assert not core_worker.worker_alive()
    core_worker.heartbeat_beat(process_id="new", role="worker", started_at=timezone.now())
    assert core_worker.worker_alive() and core_worker.heartbeat_age() < 5


def test_queue_position_counts_the_tasks_before():
    first = worker_tasks.succeed.enqueue("1")
    worker_tasks.succeed.enqueue("2")
    third = worker_tasks.succeed.enqueue("3")
    assert core_worker.queue_position(str(first.id)) == 0
    assert core_worker.queue_position(str(third.id)) == 2
    assert core_worker.queue_position("not-a-uuid") is None
    assert core_worker.queue_position("") is None
