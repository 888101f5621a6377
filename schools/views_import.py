"""Excel import of the school registry (the core.imports flow over schools.importing.SPEC:
template, upload → preview, confirm) and export of the filtered list."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.scope import scope_for
from core.imports.flow import ImportFlow
from schools import exporting, importing
from schools.selectors import SchoolFilters, school_list

SESSION_KEY = importing.SPEC.key

import_upload, import_template, import_confirm = ImportFlow(
    importing.SPEC, "schools:import"
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
