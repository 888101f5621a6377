"""Pages of the evidence register. Thin: scope through selectors (outside it: 404), writes
through services (read-only roles inside the scope: 403)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import addable_criterion_ids, has_perm
from core import audit, concurrency
from core.imports.flow import ImportFlow

from . import downloads, importing, selectors, services
from .forms import EvidenceForm
from .models import EvidenceCitation
from .uploads import human_size, max_bytes


def _require(allowed: bool) -> None:
    """Inside the scope but without the right: 403 (outside the scope is 404 already)."""
    if not allowed:
        raise PermissionDenied


def _base_context(request: HttpRequest, assessment) -> dict:
    addable = addable_criterion_ids(request.user, assessment)
    return {
        "assessment": assessment,
        "style": services.style_for(assessment),
        "can_add": addable is None or bool(addable),
        "addable": addable,  # None: every criterion
        "can_manage": has_perm(request.user, "evidence.manage", assessment),
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
    skip = ("file", "remove_file", "version")
    data = {k: v for k, v in form.cleaned_data.items() if k not in skip}
    return data


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = selectors.get_assessment_or_404(request.user, assessment_id)
    _require(has_perm(request.user, "evidence.add", assessment))
    initial = {}
    if request.GET.get("criterion", "").isdigit():
        initial["first_criterion"] = int(request.GET["criterion"])
    form = EvidenceForm(
        request.POST or None,
        request.FILES or None,
        assessment=assessment,
        initial=initial,
        criterion_ids=addable_criterion_ids(request.user, assessment),
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
            "can_edit": has_perm(request.user, "evidence.edit", evidence),
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
    _require(has_perm(request.user, "evidence.edit", evidence))
    initial = {
        "first_criterion": evidence.first_criterion_id,
        "name": evidence.name,
        "number": evidence.number,
        "issued_on": evidence.issued_on,
        "issuer": evidence.issuer,
        "box": evidence.box,
        "link": evidence.link,
        "note": evidence.note,
        "version": evidence.version,
    }
    form = EvidenceForm(
        request.POST or None,
        request.FILES or None,
        assessment=assessment,
        editing=True,
        initial=initial,
    )
    status, conflict = 200, None
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
                    version=form.cleaned_data["version"],
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            except concurrency.EditConflict as exc:
                evidence.refresh_from_db()
                conflict = concurrency.conflict_for(form, evidence, message=str(exc))
            else:
                messages.success(
                    request, _("Đã lưu minh chứng %(code)s.") % {"code": evidence.display_code}
                )
                return redirect("evidence:detail", pk=evidence.pk)
        status = concurrency.CONFLICT_STATUS if conflict else 400
    context = _base_context(request, assessment)
    context.update({"form": form, "editing": True, "evidence": evidence, "conflict": conflict})
    return render(request, "evidence/form.html", context, status=status)


@login_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = selectors.get_evidence_or_404(request.user, pk)
    _require(has_perm(request.user, "evidence.edit", evidence))
    try:
        services.evidence_delete(user=request.user, evidence=evidence)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("evidence:detail", pk=pk)
    messages.success(request, _("Đã xóa minh chứng %(code)s.") % {"code": evidence.display_code})
    return redirect("evidence:register", assessment_id=evidence.assessment_id)


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """A stored file from the page: in scope, as an attachment, never sniffed or framed (the
    API's file link answers the same way, evidence/downloads.py)."""
    evidence = selectors.get_evidence_or_404(request.user, pk)
    return downloads.file_response(request, evidence)


@login_required
@require_GET
def picker(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """Evidence to insert in a criterion sheet: JSON by default, an htmx list fragment when
    asked by htmx. Each item carries its code rendered in the framework's style."""
    assessment = selectors.get_assessment_or_404(request.user, assessment_id)
    query = request.GET.get("q", "")
    if getattr(request, "htmx", False):
        # The sheet's picker: before anything is typed, the items coded under the sheet's own
        # criterion; the whole register only from PICKER_MIN_CHARS characters, a few at a time.
        sheet_id = request.GET.get("sheet", "")
        criterion_id = selectors.sheet_criterion_id(assessment, sheet_id)
        typed = query.strip()
        too_short = 0 < len(typed) < selectors.PICKER_MIN_CHARS
        if too_short:
            items = []
        elif not typed and criterion_id is not None:
            items = selectors.picker_items(
                assessment, limit=selectors.PICKER_LIMIT, criterion_id=criterion_id
            )
        else:
            items = selectors.picker_items(assessment, typed, selectors.PICKER_LIMIT + 1)
        more = len(items) > selectors.PICKER_LIMIT
        return render(
            request,
            "evidence/_picker.html",
            {
                "items": items[: selectors.PICKER_LIMIT],
                "more": more,
                "too_short": too_short,
                "own_only": not typed and criterion_id is not None,
                "min_chars": selectors.PICKER_MIN_CHARS,
                "assessment": assessment,
                "query": query,
                "sheet_id": sheet_id if criterion_id is not None else "",
            },
        )
    items = selectors.picker_items(assessment, query)
    style = services.style_for(assessment)
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
            "can_edit": has_perm(request.user, "evidence.cite", sheet),
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
# Excel import: the core.imports flow over evidence.importing.SPEC


def _import_assessment(request: HttpRequest, assessment_id: int):
    return selectors.get_assessment_or_404(request.user, assessment_id)


import_upload, import_template, import_confirm = ImportFlow(
    importing.SPEC, "evidence:import", _import_assessment
).views()
