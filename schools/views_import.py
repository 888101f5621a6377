"""Excel import (template, upload → preview, confirm) and export of the school registry.

The uploaded file waits between preview and confirm in Django's default storage under
imports/<uuid>.xlsx; the session holds its token, owner and original name, so one user can
never confirm another's file. Nothing is written before confirm, and confirm checks every row
again inside the write transaction."""

from __future__ import annotations

import datetime as dt
import io
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import has_perm, scope_for
from core.text import format_decimal, format_int
from schools import exporting, importing
from schools.selectors import SchoolFilters, school_list
from schools.services import ImportRejected, school_import

SESSION_KEY = "school_import"
PREVIEW_ROWS = 50
MAX_ERRORS_SHOWN = 1000


def _require_importer(request: HttpRequest) -> None:
    # Outsiders to the feature get 404, as for anything outside their scope.
    if not has_perm(request.user, "school.import"):
        raise Http404


def _pending(request: HttpRequest) -> dict | None:
    data = request.session.get(SESSION_KEY)
    if not data or data.get("user") != request.user.pk:
        return None
    return data


def _discard_pending(request: HttpRequest) -> None:
    data = request.session.pop(SESSION_KEY, None)
    if data and data.get("path"):
        try:
            default_storage.delete(data["path"])
        except OSError:
            pass  # a file already gone is what we wanted


def _purge_stale(max_age: dt.timedelta = dt.timedelta(days=1)) -> None:
    """Files of previews never confirmed nor cancelled (a closed tab) would pile up; each new
    upload removes those older than a day. Best effort: storage errors never block an upload."""
    try:
        _dirs, files = default_storage.listdir("imports")
        cutoff = timezone.now() - max_age
        for name in files:
            path = f"imports/{name}"
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
    except (OSError, NotImplementedError):
        pass


def _mb(size: int) -> str:
    return format_decimal(size / (1024 * 1024), 1) + " MB"


def _preview_context(plan: importing.ImportPlan) -> dict:
    counts = plan.counts
    return {
        "plan": plan,
        "counts": counts,
        "preview_rows": plan.rows[:PREVIEW_ROWS],
        "preview_limit": PREVIEW_ROWS,
        "errors_shown": [str(e) for e in plan.errors[:MAX_ERRORS_SHOWN]],
        "errors_hidden": max(0, len(plan.errors) - MAX_ERRORS_SHOWN),
        "action_labels": importing.ACTION_LABELS,
        "total_fmt": format_int(plan.total),
    }


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    wb = exporting.build_template(importing.commune_choices(request.user))
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return FileResponse(
        buf,
        as_attachment=True,
        filename="mau-nhap-danh-sach-truong.xlsx",
        content_type=exporting.XLSX_MIME,
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    context: dict = {"max_size": _mb(settings.IMPORT_MAX_BYTES)}
    if request.method == "GET":
        return render(request, "schools/import.html", context)

    # A new upload replaces any file still waiting for confirmation.
    _discard_pending(request)
    _purge_stale()
    upload = request.FILES.get("file")
    if upload is None:
        context["file_error"] = _("Hãy chọn một tệp Excel (.xlsx) để tải lên.")
        return render(request, "schools/import.html", context, status=400)
    context["original_name"] = upload.name
    if upload.size > settings.IMPORT_MAX_BYTES:
        context["file_error"] = _("Tệp quá lớn (%(size)s); giới hạn là %(max)s.") % {
            "size": _mb(upload.size),
            "max": _mb(settings.IMPORT_MAX_BYTES),
        }
        return render(request, "schools/import.html", context, status=400)
    try:
        rows = importing.read_workbook(upload)
    except importing.ImportFileError as exc:
        context["file_error"] = str(exc)
        return render(request, "schools/import.html", context, status=400)
    plan = importing.validate_rows(user=request.user, rows=rows)
    context.update(_preview_context(plan))
    if plan.ok:
        token = uuid.uuid4().hex
        upload.seek(0)
        path = default_storage.save(f"imports/{token}.xlsx", upload)
        request.session[SESSION_KEY] = {
            "token": token,
            "path": path,
            "name": upload.name,
            "user": request.user.pk,
            "at": timezone.now().isoformat(),
        }
        context["token"] = token
    return render(request, "schools/import.html", context)


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    pending = _pending(request)
    if request.POST.get("action") == "cancel":
        _discard_pending(request)
        messages.info(request, _("Đã hủy lần nhập; không có dữ liệu nào được ghi."))
        return redirect("schools:import")
    if pending is None or request.POST.get("token") != pending["token"]:
        messages.error(
            request,
            _(
                "Phiên nhập đã hết hạn hoặc không hợp lệ; không có dữ liệu nào được ghi. Hãy tải tệp lên lại."
            ),
        )
        return redirect("schools:import")
    try:
        with default_storage.open(pending["path"], "rb") as fh:
            data = io.BytesIO(fh.read())
    except (OSError, FileNotFoundError):
        _discard_pending(request)
        messages.error(request, _("Không tìm thấy tệp đã tải lên; hãy tải tệp lên lại."))
        return redirect("schools:import")
    original = pending["name"]
    _discard_pending(request)
    try:
        result = school_import(user=request.user, rows=importing.read_workbook(data))
    except importing.ImportFileError as exc:
        context = {"max_size": _mb(settings.IMPORT_MAX_BYTES), "file_error": str(exc)}
        return render(request, "schools/import.html", context, status=400)
    except ImportRejected as exc:
        # The registry changed since the preview (e.g. a code was taken): show why.
        context = {"max_size": _mb(settings.IMPORT_MAX_BYTES), "original_name": original}
        context.update(_preview_context(exc.plan))
        context["rejected_at_confirm"] = True
        return render(request, "schools/import.html", context, status=409)
    messages.success(
        request,
        _(
            "Đã nhập tệp «%(name)s»: %(new)s trường mới, %(upd)s trường cập nhật, "
            "%(same)s trường không thay đổi."
        )
        % {
            "name": original,
            "new": format_int(result.created),
            "upd": format_int(result.updated),
            "same": format_int(result.unchanged),
        },
    )
    return redirect("schools:list")


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
