"""Background tasks of the register (django-tasks; the scheduler enqueues them)."""

from __future__ import annotations

from django_tasks import task

from recognition.services import refresh_standard_levels
from recognition.tally import tally_refresh


@task()
def refresh_recognition_status() -> int:
    """The daily refresh (`manage.py refresh_recognition_status`): certificates expire on
    their date without any write, the cached school levels follow, and the dashboards' kept
    counts are recounted for the new day. Returns how many schools changed level."""
    changed = refresh_standard_levels()
    tally_refresh()
    return changed


@task()
def count_tallies() -> int:
    """Every minute: the dashboards' kept counts catch up with the writes since the last count
    (recognition.tally; a read of one row and one statement when nothing moved)."""
    return tally_refresh()
