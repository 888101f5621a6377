"""Excel imports of the programme pages, on the core.imports flow: historical decisions
(programme.importing.SPEC) and a plan's school targets (programme.importing_targets.SPEC)."""

from __future__ import annotations

from django.http import HttpRequest

from core.imports.flow import ImportFlow
from programme import importing, importing_targets, selectors_plans
from programme.models import ProgrammePlan

import_upload, import_template, import_confirm = ImportFlow(
    importing.SPEC, "programme:import"
).views()


def _plan(request: HttpRequest, pk: int) -> ProgrammePlan:
    return selectors_plans.plan_get(user=request.user, pk=pk)  # 404 outside the scope


targets_import_upload, targets_import_template, targets_import_confirm = ImportFlow(
    importing_targets.SPEC, "programme:plan_targets_import", _plan
).views()
