"""Housekeeping tasks of the background queue (run by the workers, enqueued by the scheduler)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.models import ProcessHeartbeat


@task()
def prune_task_results() -> int:
    """Delete finished task rows older than TASK_RESULTS_KEEP_DAYS (a failed one keeps its
    reason that long) and heartbeats not seen for a day. Returns how many task rows went."""
    before = timezone.now() - dt.timedelta(days=settings.TASK_RESULTS_KEEP_DAYS)
    deleted, _ = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED],
        finished_at__lt=before,
    ).delete()
    # The rows of processes killed without a chance to remove them (a clean stop does).
    ProcessHeartbeat.objects.filter(seen_at__lt=timezone.now() - dt.timedelta(days=1)).delete()
    return deleted
