"""Excel imports of the schools pages on the core.imports flow (template, upload → preview,
confirm): the registry (schools.importing.SPEC) and a school's figures by school year
(schools.importing_yeardata.SPEC); and the export of the filtered list."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.permissions import get_school_or_404, scope_for
from core.imports.flow import ImportFlow
from schools import exporting, importing, importing_yeardata
from schools.models import School
from schools.selectors import SchoolFilters, school_list

SESSION_KEY = importing.SPEC.key

import_upload, import_template, import_confirm = ImportFlow(
    importing.SPEC, "schools:import"
).views()


def _school(request: HttpRequest, code: str) -> School:
    return get_school_or_404(request.user, code=code)  # 404 outside the scope


year_data_import, year_data_import_template, year_data_import_confirm = ImportFlow(
    importing_yeardata.SPEC, "schools:year_data_import", _school
).views()


@login_required
@require_GET
def school_export(request: HttpRequest) -> HttpResponse:
    if scope_for(request.user).is_empty:
        raise Http404
    filters = SchoolFilters.from_params(request.GET)
    schools = school_list(user=request.user, filters=filters).iterator(chunk_size=2000)
    out = exporting.write_export(schools)
    filename = f"danh-sach-truong-{timezone.localdate().isoformat()}.xlsx"
    return FileResponse(
        out, as_attachment=True, filename=filename, content_type=exporting.XLSX_MIME
    )
