"""Tasks the worker tests enqueue (importable by path, as the worker imports a task)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from core.models import ProcessHeartbeat


@task()
def succeed(key: str) -> str:
    return key


@task()
def fail_always() -> None:
    raise RuntimeError("LibreOffice crashed")


@task(takes_context=True)
def fail_first_attempt(context) -> int:
    if context.attempt == 1:
        raise RuntimeError("first attempt fails")
    return context.attempt


@task()
def signal_self(times: int) -> str:
    """Writes a row, then SIGTERMs its own worker `times` times: once, the worker must let it
    finish; twice, the task is interrupted and its write rolled back."""
    with transaction.atomic():
        now = timezone.now()
        ProcessHeartbeat.objects.create(
            process_id="half-written", role="worker", started_at=now, seen_at=now
        )
        for _ in range(times):
            os.kill(os.getpid(), signal.SIGTERM)
    return "finished"


@task()
def append_line(path: str, key: str, work_seconds: float = 0.0) -> str:
    """The scale-out proof: each run appends its key (O_APPEND: whole lines, even from two
    processes); `work_seconds` stands for the job's work, so that both workers take some."""
    if work_seconds:
        time.sleep(work_seconds)
    with open(path, "a") as f:
        f.write(f"{key} {os.getpid()}\n")
    return key


@task()
def wait_for_release(path: str) -> str:
    """Runs until the file `path` exists (a long PDF conversion, in the SIGTERM tests)."""
    while not Path(path).exists():
        time.sleep(0.05)
    return "released"
