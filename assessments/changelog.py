"""The assessment's change log: one `ChangeLog` row per changed field. Written by the
assessments services and by the apps that change an assessment's content from outside (the
evidence register), so it sits below both and imports neither."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils import timezone

from .models import Assessment, ChangeLog, CriterionSheet


def change_log_row(assessment, user, field_name, old, new, *, sheet=None, note="") -> ChangeLog:
    return ChangeLog(
        assessment=assessment,
        sheet=sheet,
        user=user if getattr(user, "is_authenticated", False) else None,
        field=field_name,
        old="" if old is None else str(old),
        new="" if new is None else str(new),
        note=note,
    )


def change_log_record(
    *,
    user,
    assessment: Assessment,
    changes: list[tuple[str, Any, Any]],
    sheet: CriterionSheet | None = None,
    note: str = "",
) -> None:
    """Record changes made by another app on this assessment (the evidence register: items
    added, changed, deleted; citations added and removed, per sheet). `changes` are
    (field, old, new). Also marks the assessment's last activity. The caller checks rights and
    runs inside its own transaction."""
    if not changes:
        return
    ChangeLog.objects.bulk_create(
        [
            change_log_row(assessment, user, name, old, new, sheet=sheet, note=note)
            for name, old, new in changes
        ]
    )
    assessment_touch(assessment)


def assessment_touch(assessment: Assessment, *, bump: bool = False) -> None:
    """Mark the assessment's last activity (and bump its version when asked)."""
    now = timezone.now()
    updates: dict[str, Any] = {"last_activity_at": now, "updated_at": now}
    if bump:
        updates["version"] = F("version") + 1
    Assessment.objects.filter(pk=assessment.pk).update(**updates)
    assessment.last_activity_at = now
