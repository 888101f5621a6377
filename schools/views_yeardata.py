"""The school data form (Phần I "Cơ sở dữ liệu"): one table, rows × school years, saved all or
nothing. Anyone who may see the school reads it; its principal and staff fill it."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.permissions import get_school_or_404, has_perm
from core import audit, concurrency
from schools import services_yeardata, yeardata
from schools.models import SchoolYearData
from schools.selectors_yeardata import year_table

DEFAULT_YEARS = 5
MAX_YEARS = 10


def current_school_year(today: dt.date | None = None) -> str:
    """A school year starts in September (August for enrolment): 30/11/2026 → "2026-2027"."""
    day = today or timezone.localdate()
    start = day.year if day.month >= 8 else day.year - 1
    return yeardata.school_year(start)


def _params(request: HttpRequest) -> tuple[str, int]:
    latest = request.GET.get("den") or current_school_year()
    try:
        yeardata.parse_school_year(latest)
        count = int(request.GET.get("so_nam") or DEFAULT_YEARS)
    except ValueError as exc:
        raise Http404 from exc
    return latest, min(max(count, 1), MAX_YEARS)


@login_required
@require_http_methods(["GET", "POST"])
def year_data(request: HttpRequest, code: str) -> HttpResponse:
    school = get_school_or_404(request.user, code=code)
    latest, count = _params(request)
    table = year_table(school=school, latest=latest, count=count)
    can_edit = has_perm(request.user, "yeardata.edit", school)
    typed: dict[str, dict[str, str]] = {}
    errors: list[yeardata.CellError] = []
    conflict: list[str] = []
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        inputs = {}
        for year in table.years:
            raw = {key: request.POST.get(f"v-{year}-{key}", "") for key in table.schema.input_keys}
            typed[year] = raw
            version = concurrency.read_version(request.POST.get(f"version-{year}", "0"))
            inputs[year] = services_yeardata.YearInput(raw=raw, version=version)
        try:
            services_yeardata.school_year_data_save(user=request.user, school=school, years=inputs)
        except services_yeardata.YearDataInvalid as exc:
            errors = exc.errors
            messages.error(
                request,
                _("Chưa lưu: %(n)d ô chưa hợp lệ. Số liệu bạn nhập vẫn còn bên dưới.")
                % {"n": len(errors)},
            )
        except services_yeardata.YearDataConflict as exc:
            conflict = exc.years
            messages.error(
                request,
                _(
                    "Chưa lưu: số liệu năm học %(years)s đã được người khác cập nhật sau khi bạn "
                    "mở trang. Số liệu bạn nhập vẫn còn bên dưới, số mới nhất ghi bên cạnh; "
                    "xem lại rồi bấm Lưu lần nữa."
                )
                % {"years": ", ".join(exc.years)},
            )
        else:
            messages.success(request, _("Đã lưu số liệu của trường."))
            return redirect(request.get_full_path())
    error_cells = {(e.year, e.key): e.message for e in errors}
    grid = []
    for section in table.schema.sections:
        rows = []
        for row in section.rows:
            cells = []
            for year in table.years:
                saved = table.values[year].get(row.key)
                value = typed[year].get(row.key, "") if year in typed else saved
                cells.append(
                    {
                        "year": year,
                        "name": f"v-{year}-{row.key}",
                        "value": "" if value is None else value,
                        "saved": saved,
                        "error": error_cells.get((year, row.key), ""),
                        "changed_elsewhere": year in conflict
                        and str(saved or "") != str(value or ""),
                    }
                )
            rows.append({"row": row, "cells": cells})
        grid.append({"section": section, "rows": rows})
    return render(
        request,
        "schools/year_data.html",
        {
            "school": school,
            "table": table,
            "grid": grid,
            "errors": errors,
            "can_edit": can_edit,
            "history_rows": audit.history_rows(
                None, related=[(SchoolYearData, {"school_id": school.pk})]
            ),
            "latest": latest,
            "count": count,
        },
        status=concurrency.CONFLICT_STATUS if conflict else 200,
    )
