"""The background worker: django-tasks' database worker (`manage.py db_worker`, overridden in
core/management/commands/db_worker.py) with what production needs on top of it:

* a **heartbeat** (`ProcessHeartbeat`, written by a thread every HEARTBEAT_SECONDS, also while a
  long PDF conversion runs): the health endpoint and the job pages tell a dead worker from a
  busy one;
* **abandoned tasks go back to the queue**: a task left "running" by a worker whose heartbeat is
  older than WORKER_STALE_SECONDS (killed, machine lost) is made ready again by the next worker,
  or failed with the reason once it has used all its attempts;
* **bounded retries**: a task that raises runs again after TASK_RETRY_DELAY_SECONDS × attempt,
  at most TASK_MAX_ATTEMPTS times in all; the last error (class and traceback) stays on the row,
  so the reason of a failure is never lost;
* **clean SIGTERM**: the first signal lets the running task finish and then stops (django-tasks'
  own behaviour); a second one interrupts the task, whose transaction rolls back, and puts it
  back in the queue — never a task stuck "running".

Claiming is django-tasks': `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL (DBTaskResult
.objects.get_locked), an exclusive transaction on SQLite, so two workers never take the same
task."""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import socket
import threading
from collections.abc import Callable
from types import FrameType

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, connections, transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_finished
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from core.models import ProcessHeartbeat

logger = logging.getLogger(__name__)


class WorkerInterrupted(BaseException):
    """Raised in the running task by a second SIGTERM/SIGINT: the task's transaction rolls
    back and the task goes back to the queue. A BaseException so that a task's own
    `except Exception` cannot swallow it."""


WORKER_LOST = "core.worker.WorkerLost"
INTERRUPTED = f"{WorkerInterrupted.__module__}.{WorkerInterrupted.__qualname__}"


def max_attempts() -> int:
    return max(1, int(settings.TASK_MAX_ATTEMPTS))


def stale_seconds() -> int:
    return int(settings.WORKER_STALE_SECONDS)


# ---------------------------------------------------------------------------------------------
# Heartbeats


def heartbeat_beat(*, process_id: str, role: str, started_at: dt.datetime) -> None:
    ProcessHeartbeat.objects.update_or_create(
        process_id=process_id,
        defaults={
            "role": role,
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "seen_at": timezone.now(),
        },
    )


def heartbeat_clear(*, process_id: str) -> None:
    ProcessHeartbeat.objects.filter(process_id=process_id).delete()


def heartbeat_age(role: str = ProcessHeartbeat.Role.WORKER) -> float | None:
    """Seconds since the freshest process of that role was last seen; None if none ever was."""
    seen = (
        ProcessHeartbeat.objects.filter(role=role)
        .order_by("-seen_at")
        .values_list("seen_at", flat=True)
        .first()
    )
    if seen is None:
        return None
    return max(0.0, (timezone.now() - seen).total_seconds())


def worker_alive() -> bool:
    """A worker was seen within WORKER_STALE_SECONDS."""
    age = heartbeat_age()
    return age is not None and age <= stale_seconds()


class Heartbeat(threading.Thread):
    """Beats every `interval` seconds on its own database connection until stopped; `also`
    runs after each beat (the worker's sweep for abandoned tasks). A database error is logged
    and retried at the next beat: a heartbeat must never kill its process."""

    def __init__(
        self,
        *,
        process_id: str,
        role: str,
        started_at: dt.datetime,
        interval: float,
        also: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(name=f"heartbeat-{role}", daemon=True)
        self.process_id, self.role, self.started_at = process_id, role, started_at
        self.interval, self.also = interval, also
        self.stopped = threading.Event()

    def beat(self) -> None:
        heartbeat_beat(process_id=self.process_id, role=self.role, started_at=self.started_at)

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.interval):
                try:
                    self.beat()
                    if self.also is not None:
                        self.also()
                except DatabaseError:
                    logger.warning("heartbeat of %s failed", self.process_id, exc_info=True)
        finally:
            connections.close_all()  # this thread's connections only

    def stop(self) -> None:
        self.stopped.set()
        if self.is_alive():
            self.join(timeout=self.interval + 5)


# ---------------------------------------------------------------------------------------------
# Retries and abandoned tasks


def _send_finished(result: DBTaskResult) -> None:
    try:
        task_result = result.task_result
    except ImportError:
        return
    task_finished.send(sender=type(result.task.get_backend()), task_result=task_result)


def after_failure(result: DBTaskResult) -> str:
    """Decide what happens to a task that just failed in this worker: "requeued" (interrupted
    by a shutdown: runs again at once, the interrupted run not counted), "retry" (runs again
    later) or "failed" (attempts used up; the error stays recorded)."""
    now = timezone.now()
    if result.exception_class_path == INTERRUPTED:
        DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.FAILED).update(
            status=TaskResultStatus.READY,
            run_after=now,
            finished_at=None,
            worker_ids=result.worker_ids[:-1],
        )
        return "requeued"
    attempts = len(result.worker_ids)
    if attempts < max_attempts():
        delay = dt.timedelta(seconds=float(settings.TASK_RETRY_DELAY_SECONDS) * attempts)
        DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.FAILED).update(
            status=TaskResultStatus.READY, run_after=now + delay, finished_at=None
        )
        logger.warning(
            "task %s failed (attempt %d of %d, %s): retrying",
            result.pk,
            attempts,
            max_attempts(),
            result.exception_class_path,
        )
        return "retry"
    logger.error("task %s failed for good after %d attempts", result.pk, attempts)
    return "failed"


def is_final_failure(task_result) -> bool:
    """For task_finished receivers: the task failed and will not run again (not a retry, not an
    interrupted run that goes back to the queue)."""
    if task_result.status != TaskResultStatus.FAILED:
        return False
    last = task_result.errors[-1].exception_class_path if task_result.errors else ""
    return last != INTERRUPTED and task_result.attempts >= max_attempts()


def requeue_abandoned() -> int:
    """Tasks "running" in a worker that stopped beating: back to ready, or failed with the
    reason when they used every attempt (a task that kills its worker must not loop forever).
    Returns how many were touched."""
    alive_since = timezone.now() - dt.timedelta(seconds=stale_seconds())
    alive = set(
        ProcessHeartbeat.objects.filter(
            role=ProcessHeartbeat.Role.WORKER, seen_at__gte=alive_since
        ).values_list("process_id", flat=True)
    )
    touched = 0
    failed: list[DBTaskResult] = []
    with transaction.atomic():
        for result in DBTaskResult.objects.running().select_for_update(skip_locked=True):
            if result.worker_ids and result.worker_ids[-1] in alive:
                continue
            touched += 1
            if len(result.worker_ids) < max_attempts():
                result.status = TaskResultStatus.READY
                result.run_after = timezone.now()
                result.save(update_fields=["status", "run_after"])
                logger.warning("task %s abandoned by a stopped worker: requeued", result.pk)
                continue
            result.status = TaskResultStatus.FAILED
            result.finished_at = timezone.now()
            result.exception_class_path = WORKER_LOST
            result.traceback = (
                "The worker running this task stopped without finishing it "
                f"({len(result.worker_ids)} attempts)."
            )
            result.save(
                update_fields=["status", "finished_at", "exception_class_path", "traceback"]
            )
            failed.append(result)
    for result in failed:
        _send_finished(result)
    return touched


def pending_count() -> int:
    return DBTaskResult.objects.ready().count()


def queue_position(task_id: str) -> int | None:
    """How many ready tasks will run before this one (None: not waiting, or unknown id)."""
    if not task_id:
        return None
    try:
        result = DBTaskResult.objects.ready().filter(pk=task_id).first()
    except (ValueError, DjangoValidationError):
        return None
    if result is None:
        return None
    return (
        DBTaskResult.objects.ready()
        .filter(priority__gte=result.priority, enqueued_at__lt=result.enqueued_at)
        .count()
    )


# ---------------------------------------------------------------------------------------------
# The worker


class Worker(db_worker.Worker):
    """django-tasks' worker loop with the heartbeat, the sweep for abandoned tasks, retries
    and the interrupting second signal."""

    def __init__(self, *, heartbeat_thread: bool = True, **kwargs) -> None:
        super().__init__(**kwargs)
        self.heartbeat_thread = heartbeat_thread
        self.started_at = timezone.now()
        self.heartbeat: Heartbeat | None = None

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        if not self.running and self.running_task:
            logger.warning(
                "Received %s again: interrupting the running task, it goes back to the queue",
                signal.strsignal(signum),
            )
            self.reset_signals()
            raise WorkerInterrupted(signal.strsignal(signum))
        super().shutdown(signum, frame)

    def run(self) -> None:
        self.heartbeat = Heartbeat(
            process_id=self.worker_id,
            role=ProcessHeartbeat.Role.WORKER,
            started_at=self.started_at,
            interval=float(settings.HEARTBEAT_SECONDS),
            also=requeue_abandoned,
        )
        self.heartbeat.beat()
        requeue_abandoned()
        if self.heartbeat_thread:
            self.heartbeat.start()
        try:
            super().run()
        finally:
            self.heartbeat.stop()
            try:
                heartbeat_clear(process_id=self.worker_id)
            except DatabaseError:
                logger.warning("could not clear the heartbeat of %s", self.worker_id)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        super().run_task(db_task_result)
        if db_task_result.status == TaskResultStatus.FAILED:
            if after_failure(db_task_result) == "requeued":
                self.running = False  # an interrupted worker stops: it was told to
