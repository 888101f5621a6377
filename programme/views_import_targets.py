"""Excel import of a plan's school targets: the core.imports flow over
programme.importing_targets.SPEC (template, upload → preview, confirm)."""

from __future__ import annotations

from django.http import HttpRequest

from core.imports.flow import ImportFlow
from programme import importing_targets, selectors
from programme.models import ProgrammePlan


def _plan(request: HttpRequest, pk: int) -> ProgrammePlan:
    return selectors.plan_get(user=request.user, pk=pk)  # 404 outside the scope


targets_import_upload, targets_import_template, targets_import_confirm = ImportFlow(
    importing_targets.SPEC, "programme:plan_targets_import", _plan
).views()
