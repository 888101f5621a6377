"""Dashboard pages (issue 4 §5). Thin: the numbers come from dashboard.selectors, already
scoped to the user; a unit outside the scope is 404, never 403. They read from the replica when
one is configured (core.dbrouter): counts and charts tolerate seconds of replication lag."""

from __future__ import annotations

from io import BytesIO

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.dbrouter import reads_from_replica
from core.page_cache import kept_page
from dashboard import selectors as dash
from units.models import AdminUnit


def _page(request: HttpRequest, unit: AdminUnit | None) -> HttpResponse:
    d = dash.dashboard(user=request.user, unit=unit, on=timezone.localdate())
    context = {
        "d": d,
        "chart_data": d.chart_data(),
        "only_schools": bool(d.areas) and all(a.is_school for a in d.areas),
        "crumbs": dash.breadcrumbs(user=request.user, unit=unit),
        # The expiring list filters by a top unit as "province", by any other as "commune".
        "expiring_params": ""
        if unit is None
        else f"{'commune' if unit.parent_id else 'province'}={unit.uid}",
    }
    return render(request, "programme/dashboard.html", context)


def _export(request: HttpRequest, unit: AdminUnit | None) -> FileResponse:
    d = dash.dashboard(user=request.user, unit=unit, on=timezone.localdate())
    out = BytesIO()
    dash.workbook(d).save(out)
    out.seek(0)
    name = unit.uid if unit is not None else "pham-vi"
    filename = f"bang-dieu-khien-{name}-{d.on.isoformat()}.xlsx"
    return FileResponse(out, as_attachment=True, filename=filename, content_type=dash.XLSX_MIME)


@login_required
@require_GET
@reads_from_replica
@kept_page
def dashboard_home(request: HttpRequest) -> HttpResponse:
    return _page(request, dash.home_unit(user=request.user))


@login_required
@require_GET
@reads_from_replica
@kept_page
def dashboard_unit(request: HttpRequest, uid: str) -> HttpResponse:
    return _page(request, dash.dashboard_unit(user=request.user, uid=uid))


@login_required
@require_GET
@reads_from_replica
def export_home(request: HttpRequest) -> FileResponse:
    return _export(request, dash.home_unit(user=request.user))


@login_required
@require_GET
@reads_from_replica
def export_unit(request: HttpRequest, uid: str) -> FileResponse:
    return _export(request, dash.dashboard_unit(user=request.user, uid=uid))
