"""Writes of the programme documents: the prose of a report or plan (`ReportDraft`), kept per
unit and period so the next generation reuses what was typed."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from programme.models import ReportDraft
from units.models import AdminUnit


def draft_save(
    *,
    user,
    kind: str,
    unit: AdminUnit,
    texts: dict[str, str],
    plan_id: int = 0,
    year: int = 0,
    period: str = "",
) -> ReportDraft:
    with transaction.atomic():
        draft, created = ReportDraft.objects.select_for_update().get_or_create(
            kind=kind,
            unit=unit,
            plan_id=plan_id or 0,
            year=year or 0,
            period=period or "",
            defaults={"texts": texts, "updated_by": user},
        )
        if not created:
            draft.texts = texts
            draft.updated_by = user if getattr(user, "pk", None) else None
            draft.save()
            ReportDraft.objects.filter(pk=draft.pk).update(version=F("version") + 1)
    return draft
