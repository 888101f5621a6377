"""`manage.py db_worker`: django-tasks' database worker with a heartbeat, the sweep for
abandoned tasks, bounded retries and a clean SIGTERM (core.worker). It takes the library's
command's place because `core` comes before `django_tasks_db` in INSTALLED_APPS; every option
of the library's command is kept."""

from __future__ import annotations

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from core.worker import Worker


class Command(db_worker.Command):
    help = (
        "Tiến trình nền chạy các việc trong hàng đợi (tạo PDF, việc định kỳ); "
        "dừng sạch khi nhận SIGTERM."
    )

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options,
    ) -> None:
        self.configure_logging(verbosity)
        excluded = exclude_queues.split(",") if exclude_queues else []
        worker = Worker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if reload and not batch:
            # Only the reloader's child runs tasks and answers signals.
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
