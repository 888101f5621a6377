"""Excel import of historical decisions: template, upload → preview, confirm. The file waits
between preview and confirm in Django's storage under imports/recognitions-<uuid>.xlsx, its
token in the session with its owner; confirm checks every row again inside the transaction."""

from __future__ import annotations

import io
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scope import scope_for
from core.text import format_decimal, format_int
from recognition import access, importing
from recognition.services import ImportRejected, recognition_import

SESSION_KEY = "recognition_import"
PREVIEW_ROWS = 100
MAX_ERRORS_SHOWN = 1000
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def _max_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _mb(size: int) -> str:
    return format_decimal(size / (1024 * 1024), 1) + " MB"


def _require_recorder(request: HttpRequest) -> None:
    if not access.can_record_any(request.user):
        raise Http404


def _discard(request: HttpRequest) -> None:
    data = request.session.pop(SESSION_KEY, None)
    if data and data.get("path"):
        try:
            default_storage.delete(data["path"])
        except OSError:
            pass


def _preview(plan: importing.ImportPlan) -> dict:
    errors = plan.errors
    return {
        "plan": plan,
        "preview_rows": plan.rows[:PREVIEW_ROWS],
        "preview_limit": PREVIEW_ROWS,
        "errors_shown": [str(e) for e in errors[:MAX_ERRORS_SHOWN]],
        "errors_hidden": max(0, len(errors) - MAX_ERRORS_SHOWN),
        "error_count": len(errors),
        "total_fmt": format_int(len(plan.rows)),
    }


def _base(request: HttpRequest) -> dict:
    return {"max_size": _mb(_max_bytes()), "tab": "import"}


def _recordable_schools(user):
    qs = scope_for(user).schools().select_related("unit")
    paths = access.recorder_paths(user)
    if paths is not None:
        q = Q(pk__in=[])
        for p in paths:
            q |= Q(unit__path__startswith=p)
        qs = qs.filter(q)
    return qs.order_by("unit__sort_key", "sort_key")


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    _require_recorder(request)
    wb = importing.build_template(_recordable_schools(request.user).iterator(chunk_size=2000))
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return FileResponse(
        buf,
        as_attachment=True,
        filename="mau-nhap-quyet-dinh-cong-nhan.xlsx",
        content_type=importing.XLSX_MIME,
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    _require_recorder(request)
    context = _base(request)
    if request.method == "GET":
        return render(request, "programme/import.html", context)
    _discard(request)
    upload = request.FILES.get("file")
    if upload is None:
        context["file_error"] = _("Hãy chọn một tệp Excel (.xlsx) để tải lên.")
        return render(request, "programme/import.html", context, status=400)
    context["original_name"] = upload.name
    if upload.size > _max_bytes():
        context["file_error"] = _("Tệp quá lớn (%(size)s); giới hạn là %(max)s.") % {
            "size": _mb(upload.size),
            "max": _mb(_max_bytes()),
        }
        return render(request, "programme/import.html", context, status=400)
    try:
        rows = importing.read_workbook(upload)
    except importing.ImportFileError as exc:
        context["file_error"] = str(exc)
        return render(request, "programme/import.html", context, status=400)
    plan = importing.validate_rows(user=request.user, rows=rows)
    context.update(_preview(plan))
    if plan.ok:
        token = uuid.uuid4().hex
        upload.seek(0)
        path = default_storage.save(f"imports/recognitions-{token}.xlsx", upload)
        request.session[SESSION_KEY] = {
            "token": token,
            "path": path,
            "name": upload.name,
            "user": request.user.pk,
        }
        context["token"] = token
    return render(request, "programme/import.html", context, status=200 if plan.ok else 400)


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    _require_recorder(request)
    if request.POST.get("action") == "cancel":
        _discard(request)
        messages.info(request, _("Đã hủy lần nhập; không có dữ liệu nào được ghi."))
        return redirect("programme:import")
    pending = request.session.get(SESSION_KEY)
    if (
        not pending
        or pending.get("user") != request.user.pk
        or request.POST.get("token") != pending.get("token")
    ):
        messages.error(
            request,
            _(
                "Phiên nhập đã hết hạn hoặc không hợp lệ; không có dữ liệu nào được ghi. Hãy tải tệp lên lại."
            ),
        )
        return redirect("programme:import")
    try:
        with default_storage.open(pending["path"], "rb") as fh:
            data = io.BytesIO(fh.read())
    except OSError:
        _discard(request)
        messages.error(request, _("Không tìm thấy tệp đã tải lên; hãy tải tệp lên lại."))
        return redirect("programme:import")
    original = pending["name"]
    _discard(request)
    context = _base(request)
    context["original_name"] = original
    try:
        result = recognition_import(user=request.user, rows=importing.read_workbook(data))
    except importing.ImportFileError as exc:
        context["file_error"] = str(exc)
        return render(request, "programme/import.html", context, status=400)
    except ImportRejected as exc:
        context.update(_preview(exc.plan))
        context["rejected_at_confirm"] = True
        return render(request, "programme/import.html", context, status=409)
    messages.success(
        request,
        _("Đã nhập tệp «%(name)s»: %(n)s quyết định của %(s)s trường.")
        % {"name": original, "n": format_int(result.created), "s": format_int(result.schools)},
    )
    return redirect("programme:register")
