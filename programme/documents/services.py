"""Writes of the programme documents: the prose of a report or plan (`ReportDraft`), kept per
unit and period so the next generation reuses what was typed."""

from __future__ import annotations

from django.db import transaction

from core import concurrency
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
    version: int | None = None,
) -> ReportDraft:
    """Write the prose of a unit's report or plan. `version`: the draft's version when the
    form was opened (0 = there was none); a draft saved by someone else since is not
    overwritten (core.concurrency.EditConflict). None: no check (commands)."""
    with transaction.atomic():
        draft, created = ReportDraft.objects.get_or_create(
            kind=kind,
            unit=unit,
            plan_id=plan_id or 0,
            year=year or 0,
            period=period or "",
            defaults={"texts": texts, "updated_by": user if getattr(user, "pk", None) else None},
        )
        if created:
            if version not in (None, 0):
                raise concurrency.EditConflict()  # the draft was deleted meanwhile
            return draft
        if version == 0:
            raise concurrency.EditConflict()  # someone wrote the first draft meanwhile
        concurrency.version_claim(draft, version)
        draft.texts = texts
        draft.updated_by = user if getattr(user, "pk", None) else None
        draft.save()
    return draft


def draft_conflict(form, draft: ReportDraft | None, exc: Exception) -> concurrency.Conflict:
    """The refused draft form: typed texts kept, the saved ones listed."""
    saved = draft or ReportDraft(texts={}, version=0)
    texts = saved.texts or {}
    stored = {k: texts.get(k, "") for k in form.fields if k != "version"}
    return concurrency.conflict_for(form, saved, message=str(exc), stored=stored)
