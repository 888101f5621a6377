"""Writes of the self-assessment documents: the prose sections (`AssessmentProse`), locked
with the assessment, guarded by a version, and logged in the assessment's history."""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction
from django.db.models import F

from assessments import access
from assessments.documents.prose import MONITORING_COLUMNS, SECTION_BY_KEY
from assessments.models import AssessmentProse, ChangeLog
from core.text import nfc


class ProseConflict(Exception):
    """Someone saved the prose after this user opened the form; nothing was written."""


class ProseNotAllowed(Exception):
    pass


def assessment_prose_save(*, user, assessment, texts: dict[str, Any], version: int):
    """Save the prose of a self-assessment's documents (assessments.documents.prose) opened
    at `version` (0 = none existed). Read-only once the assessment is submitted or locked; only
    those who manage the assessment (assessments.access.can_manage) write it."""
    if not access.can_manage(user, assessment):
        raise ProseNotAllowed("Chỉ hiệu trưởng (người quản lý đợt tự đánh giá) được sửa nội dung.")
    if not assessment.is_editable:
        raise ProseNotAllowed(
            "Đợt tự đánh giá đã nộp hoặc đã khóa: nội dung văn bản chỉ còn để xem."
        )
    clean: dict[str, Any] = {
        key: nfc(str(value)).strip()
        for key, value in texts.items()
        if key in SECTION_BY_KEY and str(value).strip()
    }
    rows = texts.get("monitoring") or []
    monitoring = [
        {k: nfc(str(r.get(k, ""))).strip() for k, _label in MONITORING_COLUMNS}
        for r in rows
        if any(str(r.get(k, "")).strip() for k, _label in MONITORING_COLUMNS)
    ]
    if monitoring:
        clean["monitoring"] = monitoring
    conditions = {str(k): bool(v) for k, v in (texts.get("conditions") or {}).items()}
    if conditions:
        clean["conditions"] = conditions
    with transaction.atomic():
        row = AssessmentProse.objects.select_for_update().filter(assessment=assessment).first()
        current = row.version if row else 0
        if current != version:
            raise ProseConflict(
                "Nội dung đã được người khác cập nhật sau khi bạn mở trang. Nội dung bạn nhập "
                "vẫn còn bên dưới; hãy xem lại rồi lưu lần nữa."
            )
        old = dict(row.texts) if row else {}
        _log_prose(user, assessment, old, clean)
        if row is None:
            row = AssessmentProse.objects.create(
                assessment=assessment, texts=clean, updated_by=user
            )
        elif row.texts != clean:
            row.texts = clean
            row.updated_by = user
            row.version = F("version") + 1
            row.save()
            row.refresh_from_db()
    return row


def _log_prose(user, assessment, old: dict[str, Any], new: dict[str, Any]) -> None:
    """One change-log row per changed section, in the assessment's history."""

    def show(value: Any) -> str:
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)

    ChangeLog.objects.bulk_create(
        [
            ChangeLog(
                assessment=assessment,
                user=user if getattr(user, "pk", None) else None,
                field=f"van_ban.{key}",
                old=show(old.get(key, "")),
                new=show(new.get(key, "")),
                note="Nội dung văn bản tự đánh giá",
            )
            for key in sorted(set(old) | set(new))
            if old.get(key) != new.get(key)
        ]
    )
