"""The one upload → preview → confirm flow of every import, and its template download.

`ImportFlow(spec, ...)` gives three views. The uploaded file waits between preview and
confirm in Django's default storage under imports/<uuid>.xlsx; the session (key = the spec's
`key`) holds its token, owner, original name and the object imported into, so one user can
never confirm another's file nor confirm it into another object. Nothing is written before
confirm, and confirm checks every row again inside the write transaction (`ImportSpec.run`).

Status codes, the same for every import: 200 page or clean preview; 400 a refused file
(no file, too big, not a sane .xlsx, wrong header, or any row in error); 409 a file whose rows
became wrong between preview and confirm; 302 after confirm or cancel; 404 outside the scope
(and without the right where the spec says so), 403 inside the scope without the right."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.imports.reading import ImportFileError
from core.imports.spec import ACTION_LABELS, ImportPlan, ImportRejected, ImportSpec
from core.imports.template import XLSX_MIME, template_bytes
from core.text import format_decimal, format_int

MAX_ERRORS_SHOWN = 1000
PREVIEW_ROWS = 100
STORAGE_DIR = "imports"


def max_bytes() -> int:
    return int(settings.IMPORT_MAX_BYTES)


def human_mb(size: int) -> str:
    return format_decimal(size / (1024 * 1024), 1) + " MB"


def purge_stale(max_age: dt.timedelta = dt.timedelta(days=1)) -> None:
    """Files of previews never confirmed nor cancelled (a closed tab) would pile up; each new
    upload removes those older than a day. Best effort: storage errors never block an upload."""
    try:
        _dirs, files = default_storage.listdir(STORAGE_DIR)
        cutoff = timezone.now() - max_age
        for name in files:
            path = f"{STORAGE_DIR}/{name}"
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
    except (OSError, NotImplementedError):
        pass


def preview_context(spec: ImportSpec, plan: ImportPlan) -> dict[str, Any]:
    errors = plan.errors
    limit = getattr(spec, "preview_limit", PREVIEW_ROWS)
    rows = plan.rows[:limit]
    return {
        "plan": plan,
        "counts": plan.counts,
        "preview_rows": rows,
        "preview_table": [(r, [fn(r) for _h, fn in spec.preview_columns]) for r in rows],
        "preview_limit": limit,
        "errors_shown": [str(e) for e in errors[:MAX_ERRORS_SHOWN]],
        "errors_hidden": max(0, len(errors) - MAX_ERRORS_SHOWN),
        "error_count": len(errors),
        "total_fmt": format_int(plan.total),
    }


def context_key(context: Any) -> Any:
    return getattr(context, "pk", None)


@dataclass
class ImportFlow:
    """The views of one import. `resolve(request, **url_kwargs)` returns the object imported
    into (404 outside the user's scope); `url_name` is the upload page, `<url_name>_template`
    and `<url_name>_confirm` the two others."""

    spec: ImportSpec
    url_name: str
    resolve: Callable[..., Any] = lambda request, **kwargs: None

    # --- helpers ---------------------------------------------------------------------------

    def _context(self, request: HttpRequest, kwargs: dict) -> Any:
        context = self.resolve(request, **kwargs)
        if not self.spec.can_import(request.user, context):
            raise self.spec.forbidden
        return context

    def _urls(self, kwargs: dict) -> dict[str, str]:
        return {
            "upload": reverse(self.url_name, kwargs=kwargs),
            "template": reverse(f"{self.url_name}_template", kwargs=kwargs),
            "confirm": reverse(f"{self.url_name}_confirm", kwargs=kwargs),
        }

    def _page(self, request, context, kwargs, status: int = 200, **extra) -> HttpResponse:
        page = {
            "spec": self.spec,
            "import_urls": self._urls(kwargs),
            "max_size": human_mb(max_bytes()),
            "action_labels": {a: str(ACTION_LABELS[a]) for a in self.spec.actions},
            **self.spec.page_context(request, context),
            **extra,
        }
        return render(request, self.spec.page_template, page, status=status)

    def _discard(self, request: HttpRequest) -> None:
        data = request.session.pop(self.spec.key, None)
        if data and data.get("path"):
            try:
                default_storage.delete(data["path"])
            except OSError:
                pass  # a file already gone is what we wanted

    # --- views -----------------------------------------------------------------------------

    def template_view(self, request: HttpRequest, **kwargs) -> HttpResponse:
        context = self._context(request, kwargs)
        return FileResponse(
            template_bytes(self.spec, user=request.user, context=context),
            as_attachment=True,
            filename=self.spec.filename(context),
            content_type=XLSX_MIME,
        )

    def upload_view(self, request: HttpRequest, **kwargs) -> HttpResponse:
        context = self._context(request, kwargs)
        if request.method == "GET":
            return self._page(request, context, kwargs)
        # A new upload replaces any file still waiting for confirmation.
        self._discard(request)
        purge_stale()
        upload = request.FILES.get("file")
        if upload is None:
            return self._page(
                request,
                context,
                kwargs,
                400,
                file_error=_("Hãy chọn một tệp Excel (.xlsx) để tải lên."),
            )
        if upload.size > max_bytes():
            error = _("Tệp quá lớn (%(size)s); giới hạn là %(max)s.") % {
                "size": human_mb(upload.size),
                "max": human_mb(max_bytes()),
            }
            return self._page(
                request, context, kwargs, 400, file_error=error, original_name=upload.name
            )
        try:
            rows = self.spec.read(upload, context)
        except ImportFileError as exc:
            return self._page(
                request, context, kwargs, 400, file_error=str(exc), original_name=upload.name
            )
        plan = self.spec.check(user=request.user, context=context, rows=rows)
        extra = {"original_name": upload.name, **preview_context(self.spec, plan)}
        if not plan.ok:
            return self._page(request, context, kwargs, 400, **extra)
        token = uuid.uuid4().hex
        upload.seek(0)
        path = default_storage.save(f"{STORAGE_DIR}/{token}.xlsx", upload)
        request.session[self.spec.key] = {
            "token": token,
            "path": path,
            "name": upload.name,
            "user": request.user.pk,
            "context": context_key(context),
            "at": timezone.now().isoformat(),
        }
        return self._page(request, context, kwargs, token=token, **extra)

    def confirm_view(self, request: HttpRequest, **kwargs) -> HttpResponse:
        context = self._context(request, kwargs)
        here = self._urls(kwargs)["upload"]
        if request.POST.get("action") == "cancel":
            self._discard(request)
            messages.info(request, _("Đã hủy lần nhập; không có dữ liệu nào được ghi."))
            return redirect(here)
        pending = request.session.get(self.spec.key)
        if (
            not pending
            or pending.get("user") != request.user.pk
            or pending.get("context") != context_key(context)
            or request.POST.get("token") != pending.get("token")
        ):
            messages.error(
                request,
                _(
                    "Phiên nhập đã hết hạn hoặc không hợp lệ; không có dữ liệu nào được ghi. "
                    "Hãy tải tệp lên lại."
                ),
            )
            return redirect(here)
        try:
            with default_storage.open(pending["path"], "rb") as fh:
                data = io.BytesIO(fh.read())
        except OSError:
            self._discard(request)
            messages.error(request, _("Không tìm thấy tệp đã tải lên; hãy tải tệp lên lại."))
            return redirect(here)
        original = pending["name"]
        self._discard(request)
        try:
            result = self.spec.run(
                user=request.user, context=context, rows=self.spec.read(data, context)
            )
        except ImportFileError as exc:
            return self._page(
                request, context, kwargs, 400, file_error=str(exc), original_name=original
            )
        except ImportRejected as exc:
            # The data changed since the preview (e.g. a code was taken): show why.
            extra = {"original_name": original, "rejected_at_confirm": True}
            extra.update(preview_context(self.spec, exc.plan))
            return self._page(request, context, kwargs, 409, **extra)
        messages.success(request, self.spec.success_message(result, original))
        after = self.spec.after_confirm(request, context, result)
        return after if after is not None else redirect(self.spec.done_url(context))

    def views(self) -> tuple[Callable, Callable, Callable]:
        """(upload, template, confirm) ready for urls.py."""
        upload = login_required(require_http_methods(["GET", "POST"])(self.upload_view))
        template = login_required(require_GET(self.template_view))
        confirm = login_required(require_POST(self.confirm_view))
        return upload, template, confirm
