"""`manage.py scheduler`: the process that starts periodic work (settings.SCHEDULED_TASKS) by
putting a task in the queue at its time, with APScheduler's cron triggers in the installation's
time zone. The workers run the tasks (retries, heartbeat); this process only enqueues, so one
scheduler per installation is enough and a slow task never delays the next one. No crontab.

At start it enqueues what should have run since its previous fire time and did not (the
scheduler was stopped over midnight for an upgrade): the nightly refresh is never skipped.
SIGTERM/SIGINT stop it cleanly (an enqueue in progress finishes, the heartbeat row goes)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import socket
import threading
from types import FrameType
from zoneinfo import ZoneInfo

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from core.models import ProcessHeartbeat
from core.worker import Heartbeat, heartbeat_clear

logger = logging.getLogger(__name__)


def trigger_for(cron: dict[str, str]) -> CronTrigger:
    return CronTrigger(timezone=ZoneInfo(settings.TIME_ZONE), **cron)


def enqueue_scheduled(path: str) -> None:
    """Put one scheduled task in the queue (runs in APScheduler's thread pool)."""
    close_old_connections()
    try:
        result = import_string(path).enqueue()
        logger.info("scheduled task %s enqueued as %s", path, result.id)
    finally:
        close_old_connections()


def previous_fire_time(trigger: CronTrigger, now: dt.datetime) -> dt.datetime | None:
    """The last time ≤ now the trigger fired, looking back at most eight days."""
    fire = trigger.get_next_fire_time(None, now - dt.timedelta(days=8))
    last = None
    while fire is not None and fire <= now:
        last = fire
        fire = trigger.get_next_fire_time(fire, fire + dt.timedelta(seconds=1))
    return last


def catch_up(now: dt.datetime | None = None) -> list[str]:
    """Enqueue each scheduled task whose last fire time passed with no task enqueued since;
    returns their paths."""
    now = now or timezone.now()
    done = []
    for path, cron in settings.SCHEDULED_TASKS:
        last = previous_fire_time(trigger_for(cron), now)
        if last is None:
            continue
        task_path = import_string(path).module_path
        if not DBTaskResult.objects.filter(task_path=task_path, enqueued_at__gte=last).exists():
            enqueue_scheduled(path)
            done.append(path)
    return done


def build_scheduler() -> BlockingScheduler:
    scheduler = BlockingScheduler(timezone=ZoneInfo(settings.TIME_ZONE))
    for path, cron in settings.SCHEDULED_TASKS:
        import_string(path)  # a wrong path fails at start, not at midnight
        scheduler.add_job(
            enqueue_scheduled,
            trigger_for(cron),
            args=[path],
            id=path,
            name=path,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=3600,
        )
    return scheduler


class Command(BaseCommand):
    help = "Tiến trình lịch định kỳ: đưa các việc hằng ngày (cập nhật mức chuẩn…) vào hàng đợi."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--list", action="store_true", help="In lịch các việc định kỳ rồi thoát."
        )

    def handle(self, *args, **options) -> None:
        scheduler = build_scheduler()
        if options["list"]:
            now = timezone.now()
            for path, cron in settings.SCHEDULED_TASKS:
                fire = trigger_for(cron).get_next_fire_time(None, now)
                self.stdout.write(f"{path}\t{cron}\t{fire:%d/%m/%Y %H:%M %Z}")
            return
        process_id = f"scheduler-{socket.gethostname()}-{os.getpid()}"[:64]
        heartbeat = Heartbeat(
            process_id=process_id,
            role=ProcessHeartbeat.Role.SCHEDULER,
            started_at=timezone.now(),
            interval=float(settings.HEARTBEAT_SECONDS),
        )
        heartbeat.beat()

        stopping = threading.Event()

        def stop(signum: int, frame: FrameType | None) -> None:
            logger.warning("Received %s: stopping the scheduler", signal.strsignal(signum))
            stopping.set()
            if scheduler.running:
                scheduler.shutdown(wait=True)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        heartbeat.start()
        try:
            caught_up = catch_up()
            if caught_up:
                self.stdout.write(f"Đã đưa vào hàng đợi việc bị lỡ: {', '.join(caught_up)}")
            self.stdout.write(
                f"Lịch định kỳ chạy ({len(settings.SCHEDULED_TASKS)} việc); dừng bằng SIGTERM."
            )
            self.stdout.flush()
            if not stopping.is_set():  # a signal during the catch-up
                scheduler.start()
        finally:
            heartbeat.stop()
            heartbeat_clear(process_id=process_id)
            self.stdout.write("Lịch định kỳ đã dừng.")
