"""Reads of the programme documents: the saved prose of a report or plan."""

from __future__ import annotations

from programme.models import ReportDraft
from units.models import AdminUnit


def draft_for(
    *, kind: str, unit: AdminUnit, plan_id: int = 0, year: int = 0, period: str = ""
) -> ReportDraft | None:
    return ReportDraft.objects.filter(
        kind=kind, unit=unit, plan_id=plan_id or 0, year=year or 0, period=period or ""
    ).first()
