"""Background tasks of the register (django-tasks; the scheduler enqueues them)."""

from __future__ import annotations

from django_tasks import task

from recognition.services import refresh_standard_levels


@task()
def refresh_recognition_status() -> int:
    """The daily refresh (`manage.py refresh_recognition_status`): certificates expire on
    their date without any write, the cached school levels follow. Returns how many changed."""
    return refresh_standard_levels()
