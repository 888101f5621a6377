"""Pages of the evidence register. Thin: scope through selectors (outside it: 404), writes
through services (read-only roles inside the scope: 403)."""

from __future__ import annotations

import io
import uuid
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import audit
from core.models import AuditEvent

from . import access, importing, selectors, services
from .forms import EvidenceForm
from .models import EvidenceCitation
from .uploads import CONTENT_TYPES, human_size, max_bytes

IMPORT_SESSION_KEY = "evidence_import"


def _require(allowed: bool) -> None:
    """Inside the scope but without the right: 403 (outside the scope is 404 already)."""
    if not allowed:
        raise PermissionDenied


def _base_context(request: HttpRequest, assessment) -> dict:
    addable = access.addable_criterion_ids(request.user, assessment)
    return {
        "assessment": assessment,
        "style": services.style_for(assessment),
        "can_add": addable is None or bool(addable),
        "addable": addable,  # None: every criterion
        "can_manage": access.can_manage(request.user, assessment),
    }


def _apply_errors(form: EvidenceForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for key, errs in exc.message_dict.items():
            form.add_error(key if key in form.fields else None, errs)
    else:
        form.add_error(None, exc.messages)


@login_required
@require_GET
def register(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = selectors.get_assessment_or_404(request.user, assessment_id)
    query = request.GET.get("q", "")
    context = _base_context(request, assessment)
    context.update(
        {
            "catalogue": selectors.catalogue(assessment),
            "warnings": selectors.evidence_warnings(assessment),
            "query": query,
            "results": selectors.evidence_search(assessment, query, 200) if query else None,
        }
    )
    return render(request, "evidence/register.html", context)


def _form_data(form: EvidenceForm) -> dict:
    data = {k: v for k, v in form.cleaned_data.items() if k not in ("file", "remove_file")}
    return data


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = selectors.get_assessment_or_404(request.user, assessment_id)
    _require(access.can_add(request.user, assessment))
    initial = {}
    if request.GET.get("criterion", "").isdigit():
        initial["first_criterion"] = int(request.GET["criterion"])
    form = EvidenceForm(
        request.POST or None,
        request.FILES or None,
        assessment=assessment,
        initial=initial,
        criterion_ids=access.addable_criterion_ids(request.user, assessment),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data.get("file")
            try:
                evidence = services.evidence_create(
                    user=request.user,
                    assessment=assessment,
                    data=_form_data(form),
                    file=upload,
                    file_name=upload.name if upload else None,
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("Đã thêm minh chứng %(code)s.") % {"code": evidence.display_code},
                )
                return redirect("evidence:detail", pk=evidence.pk)
        status = 400
    context = _base_context(request, assessment)
    context.update({"form": form, "editing": False, "max_size": human_size(max_bytes())})
    return render(request, "evidence/form.html", context, status=status)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = selectors.get_evidence_or_404(request.user, pk)
    context = _base_context(request, evidence.assessment)
    context.update(
        {
            "evidence": evidence,
            "can_edit": access.can_edit_item(request.user, evidence),
            "citations": evidence.citations.select_related("sheet__criterion").order_by(
                "sheet__criterion__position"
            ),
            "history_rows": audit.history_rows(
                evidence, related=[(EvidenceCitation, {"evidence_id": evidence.pk})]
            ),
        }
    )
    return render(request, "evidence/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = selectors.get_evidence_or_404(request.user, pk)
    assessment = evidence.assessment
    _require(access.can_edit_item(request.user, evidence))
    initial = {
        "first_criterion": evidence.first_criterion_id,
        "name": evidence.name,
        "number": evidence.number,
        "issued_on": evidence.issued_on,
        "issuer": evidence.issuer,
        "box": evidence.box,
        "link": evidence.link,
        "note": evidence.note,
    }
    form = EvidenceForm(
        request.POST or None,
        request.FILES or None,
        assessment=assessment,
        editing=True,
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data.get("file")
            try:
                services.evidence_update(
                    user=request.user,
                    evidence=evidence,
                    data=_form_data(form),
                    file=upload,
                    file_name=upload.name if upload else None,
                    remove_file=form.cleaned_data.get("remove_file", False),
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(
                    request, _("Đã lưu minh chứng %(code)s.") % {"code": evidence.display_code}
                )
                return redirect("evidence:detail", pk=evidence.pk)
        status = 400
    context = _base_context(request, assessment)
    context.update({"form": form, "editing": True, "evidence": evidence})
    return render(request, "evidence/form.html", context, status=status)


@login_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = selectors.get_evidence_or_404(request.user, pk)
    _require(access.can_edit_item(request.user, evidence))
    try:
        services.evidence_delete(user=request.user, evidence=evidence)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("evidence:detail", pk=pk)
    messages.success(request, _("Đã xóa minh chứng %(code)s.") % {"code": evidence.display_code})
    return redirect("evidence:register", assessment_id=evidence.assessment_id)


def attachment_header(name: str) -> str:
    """Content-Disposition for a download: an ASCII fallback for old clients and the exact
    UTF-8 name per RFC 5987/6266 (filename*), so Vietnamese names survive."""
    fallback = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\;' else "_" for ch in name)
    return f"attachment; filename=\"{fallback or 'minh-chung'}\"; filename*=UTF-8''{quote(name, safe='')}"


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """The only way to a stored file: in scope, as an attachment, never sniffed or framed."""
    evidence = selectors.get_evidence_or_404(request.user, pk)
    if not evidence.file:
        raise Http404("Minh chứng này không có tệp.")
    try:
        handle = evidence.file.open("rb")
    except (OSError, FileNotFoundError) as exc:
        raise Http404("Không tìm thấy tệp trong kho lưu trữ.") from exc
    content_type = (
        evidence.content_type
        if evidence.content_type in CONTENT_TYPES
        else "application/octet-stream"
    )
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = attachment_header(evidence.original_name or "minh-chung")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    audit.event_record(kind=AuditEvent.Kind.DOWNLOAD, request=request, obj=evidence)
    return response


@login_required
@require_GET
def picker(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """Evidence to insert in a criterion sheet: JSON by default, an htmx list fragment when
    asked by htmx. Each item carries its code rendered in the framework's style."""
    assessment = selectors.get_assessment_or_404(request.user, assessment_id)
    query = request.GET.get("q", "")
    items = selectors.picker_items(assessment, query)
    style = services.style_for(assessment)
    if getattr(request, "htmx", False):
        return render(
            request,
            "evidence/_picker.html",
            {
                "items": items,
                "assessment": assessment,
                "query": query,
                "sheet_id": request.GET.get("sheet", "")
                if request.GET.get("sheet", "").isdigit()
                else "",
            },
        )
    return JsonResponse(
        {
            "framework": assessment.framework.code,
            "style": {
                "opening": style.opening,
                "closing": style.closing,
                "separator": style.separator,
                "uncertain": style.is_uncertain,
            },
            "items": items,
        }
    )


def _cite_response(request, evidence, sheet, cited: bool) -> HttpResponse:
    if getattr(request, "htmx", False):
        # The criterion sheet's evidence block, its met-without-evidence warning included: one
        # main swap, nothing out of band, so it lands whatever happened to the clicked button.
        sheet.assessment = evidence.assessment
        context = {
            "assessment": evidence.assessment,
            "sheet": sheet,
            "can_edit": access.can_cite(request.user, sheet),
            **selectors.sheet_evidence_context(sheet),
        }
        return render(request, "assessments/_sheet_evidence.html", context)
    return JsonResponse(
        {
            "evidence": evidence.pk,
            "sheet": sheet.pk,
            "code": evidence.code,
            "display": evidence.display_code,
            "cited": cited,
        }
    )


@login_required
@require_POST
def cite(request: HttpRequest, pk: int, sheet_id: int) -> HttpResponse:
    evidence = selectors.get_evidence_or_404(request.user, pk)
    sheet = selectors.get_sheet_or_404(request.user, evidence.assessment, sheet_id)
    try:
        services.evidence_cite(user=request.user, evidence=evidence, sheet=sheet)
    except ValidationError as exc:
        return JsonResponse({"error": " ".join(exc.messages)}, status=400)
    return _cite_response(request, evidence, sheet, True)


@login_required
@require_POST
def uncite(request: HttpRequest, pk: int, sheet_id: int) -> HttpResponse:
    evidence = selectors.get_evidence_or_404(request.user, pk)
    sheet = selectors.get_sheet_or_404(request.user, evidence.assessment, sheet_id)
    services.evidence_uncite(user=request.user, evidence=evidence, sheet=sheet)
    return _cite_response(request, evidence, sheet, False)


# ---------------------------------------------------------------------------------------------
# Excel import


def _import_context(request, assessment, **extra) -> dict:
    context = _base_context(request, assessment)
    context["max_size"] = human_size(settings.IMPORT_MAX_BYTES)
    context.update(extra)
    return context


def _discard_pending(request: HttpRequest) -> None:
    data = request.session.pop(IMPORT_SESSION_KEY, None)
    if data and data.get("path"):
        try:
            default_storage.delete(data["path"])
        except OSError:
            pass


@login_required
@require_GET
def import_template(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = selectors.get_assessment_or_404(request.user, assessment_id)
    _require(access.can_manage(request.user, assessment))
    return FileResponse(
        importing.build_template(assessment),
        as_attachment=True,
        filename=f"mau-danh-muc-minh-chung-{assessment.framework.code}.xlsx",
        content_type=importing.XLSX_MIME,
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = selectors.get_assessment_or_404(request.user, assessment_id)
    _require(access.can_manage(request.user, assessment))
    if request.method == "GET":
        return render(request, "evidence/import.html", _import_context(request, assessment))
    _discard_pending(request)
    upload = request.FILES.get("file")
    if upload is None:
        ctx = _import_context(request, assessment, file_error=_("Hãy chọn một tệp Excel (.xlsx)."))
        return render(request, "evidence/import.html", ctx, status=400)
    ctx = _import_context(request, assessment, original_name=upload.name)
    if upload.size > settings.IMPORT_MAX_BYTES:
        ctx["file_error"] = _("Tệp quá lớn (%(size)s); giới hạn là %(max)s.") % {
            "size": human_size(upload.size),
            "max": ctx["max_size"],
        }
        return render(request, "evidence/import.html", ctx, status=400)
    try:
        rows = importing.read_workbook(upload)
    except importing.ImportFileError as exc:
        ctx["file_error"] = str(exc)
        return render(request, "evidence/import.html", ctx, status=400)
    plan = importing.validate_rows(assessment=assessment, rows=rows)
    ctx["plan"] = plan
    if plan.ok:
        token = uuid.uuid4().hex
        upload.seek(0)
        path = default_storage.save(f"imports/{token}.xlsx", upload)
        request.session[IMPORT_SESSION_KEY] = {
            "token": token,
            "path": path,
            "name": upload.name,
            "user": request.user.pk,
            "assessment": assessment.pk,
            "at": timezone.now().isoformat(),
        }
        ctx["token"] = token
    return render(request, "evidence/import.html", ctx, status=200 if plan.ok else 400)


@login_required
@require_POST
def import_confirm(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = selectors.get_assessment_or_404(request.user, assessment_id)
    _require(access.can_manage(request.user, assessment))
    here = reverse("evidence:import", kwargs={"assessment_id": assessment.pk})
    pending = request.session.get(IMPORT_SESSION_KEY)
    if request.POST.get("action") == "cancel":
        _discard_pending(request)
        messages.info(request, _("Đã hủy lần nhập; không có dữ liệu nào được ghi."))
        return redirect(here)
    if (
        not pending
        or pending.get("user") != request.user.pk
        or pending.get("assessment") != assessment.pk
        or request.POST.get("token") != pending.get("token")
    ):
        messages.error(
            request,
            _(
                "Phiên nhập đã hết hạn hoặc không hợp lệ; không có dữ liệu nào được ghi. Hãy tải tệp lên lại."
            ),
        )
        return redirect(here)
    try:
        with default_storage.open(pending["path"], "rb") as fh:
            data = io.BytesIO(fh.read())
    except OSError:
        _discard_pending(request)
        messages.error(request, _("Không tìm thấy tệp đã tải lên; hãy tải tệp lên lại."))
        return redirect(here)
    original = pending["name"]
    _discard_pending(request)
    try:
        result = services.evidence_import(
            user=request.user, assessment=assessment, rows=importing.read_workbook(data)
        )
    except importing.ImportFileError as exc:
        ctx = _import_context(request, assessment, file_error=str(exc))
        return render(request, "evidence/import.html", ctx, status=400)
    except services.ImportRejected as exc:
        ctx = _import_context(
            request, assessment, plan=exc.plan, original_name=original, rejected_at_confirm=True
        )
        return render(request, "evidence/import.html", ctx, status=409)
    messages.success(
        request,
        _("Đã nhập tệp «%(name)s»: %(n)s minh chứng.")
        % {"name": original, "n": len(result.created)},
    )
    return redirect("evidence:register", assessment_id=assessment.pk)
