"""The scheduler process (`manage.py scheduler`): the periodic tasks of settings.SCHEDULED_TASKS
enqueued at their time in the installation's time zone, a run missed while it was stopped
enqueued at start, and no crontab anywhere."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.management.commands import scheduler
from core.models import ProcessHeartbeat
from core.tasks import prune_task_results
from recognition.tasks import refresh_recognition_status

# transaction=True: the worker and the scheduler call close_old_connections(), as they must
# in production; inside a test's transaction that closes the test's own PostgreSQL
# connection (SQLite's in-memory one is never closed, which hid it).
pytestmark = pytest.mark.django_db(transaction=True)
VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.SCHEDULED_TASKS = [
        ("recognition.tasks.refresh_recognition_status", {"hour": "0", "minute": "5"}),
    ]


def test_every_scheduled_task_of_the_settings_is_a_task_and_has_a_job(settings):
    settings.SCHEDULED_TASKS = [
        ("recognition.tasks.refresh_recognition_status", {"hour": "0", "minute": "5"}),
        ("core.tasks.prune_task_results", {"hour": "3", "minute": "30"}),
    ]
    jobs = scheduler.build_scheduler().get_jobs()
    assert [j.id for j in jobs] == [path for path, _ in settings.SCHEDULED_TASKS]


def test_the_nightly_refresh_fires_after_midnight_vietnam_time():
    trigger = scheduler.trigger_for({"hour": "0", "minute": "5"})
    fire = trigger.get_next_fire_time(None, dt.datetime(2026, 12, 7, 15, 0, tzinfo=VN))
    assert fire == dt.datetime(2026, 12, 8, 0, 5, tzinfo=VN)


def test_a_run_missed_while_stopped_is_enqueued_at_start_once():
    now = dt.datetime(2026, 12, 7, 8, 0, tzinfo=VN)
    assert scheduler.catch_up(now) == ["recognition.tasks.refresh_recognition_status"]
    assert scheduler.catch_up(now) == []  # enqueued since 00:05: not twice
    rows = DBTaskResult.objects.filter(task_path=refresh_recognition_status.module_path)
    assert rows.count() == 1


def test_the_enqueued_refresh_runs_the_register_refresh(monkeypatch):
    calls = []
    monkeypatch.setattr("recognition.tasks.refresh_standard_levels", lambda: calls.append(1) or 3)
    assert refresh_recognition_status.call() == 3 and calls == [1]


def test_list_prints_the_schedule(capsys):
    call_command("scheduler", "--list")
    out = capsys.readouterr().out
    assert "recognition.tasks.refresh_recognition_status" in out and "00:05" in out


def test_pruning_keeps_recent_and_unfinished_task_rows(settings):
    settings.TASK_RESULTS_KEEP_DAYS = 30
    old = timezone.now() - dt.timedelta(days=40)
    done_old = refresh_recognition_status.enqueue()
    done_new = refresh_recognition_status.enqueue()
    waiting = refresh_recognition_status.enqueue()
    DBTaskResult.objects.filter(pk=done_old.id).update(status="SUCCESSFUL", finished_at=old)
    DBTaskResult.objects.filter(pk=done_new.id).update(status="FAILED", finished_at=timezone.now())
    ProcessHeartbeat.objects.create(process_id="killed", role="worker", started_at=old, seen_at=old)
    assert prune_task_results.call() == 1
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {
        uuid.UUID(str(done_new.id)),
        uuid.UUID(str(waiting.id)),
    }
    assert not ProcessHeartbeat.objects.exists()
