"""The documents of one self-assessment: the list of what can be printed with the checks to do
first, direct .docx/.xlsx downloads, PDF through the background task, and the editor of the
prose sections. Anyone who may see the assessment prints; those who manage it write the prose.
Outside the user's scope the assessment does not exist (404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import has_perm
from assessments.documents import checks, prose
from assessments.documents import data as sa_data
from assessments.documents import services as prose_services
from assessments.documents.forms import AssessmentGenerateForm, ProseForm
from assessments.models import AssessmentProse
from assessments.selectors import assessment_get_or_404
from core import concurrency
from documents import pdf, registry, selectors, services, tasks
from documents.common import DocumentError
from documents.views import MIMES


def _kinds_for(data) -> list:
    form = data.documents.get("improvement_form") or ""
    return [k for k in registry.assessment_kinds() if not k.only_with or k.only_with == form]


@login_required
@require_GET
def assessment_documents(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = assessment_get_or_404(user=request.user, pk=pk)
    data = sa_data.load(assessment)
    kinds = _kinds_for(data)
    return render(
        request,
        "documents/assessment.html",
        {
            "assessment": assessment,
            "data": data,
            "kinds": kinds,
            # Codes of the kinds with an Excel version (the template cannot test `kind.xlsx`:
            # it would call the builder).
            "xlsx_kinds": {k.code for k in kinds if k.xlsx is not None},
            "findings": checks.findings(data),
            "criteria": data.criteria,
            "can_edit": has_perm(request.user, "assessment.manage", assessment)
            and assessment.is_editable,
            "pdf_available": pdf.is_available(),
            "pdf_missing": pdf.MISSING_MESSAGE,
            "jobs": [
                j
                for j in selectors.my_documents(user=request.user)[:50]
                if j.params.get("assessment") == assessment.pk
            ][:10],
        },
    )


@login_required
@require_POST
def assessment_generate(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    assessment = assessment_get_or_404(user=request.user, pk=pk)
    if kind not in {k.code for k in registry.assessment_kinds()}:
        raise Http404
    form = AssessmentGenerateForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            "Thông tin chưa hợp lệ: "
            + "; ".join(f"{form.fields[k].label}: {' '.join(v)}" for k, v in form.errors.items()),
        )
        return redirect("documents:assessment", pk=assessment.pk)
    fmt = form.cleaned_data["fmt"]
    try:
        req = services.request_from_params(
            user=request.user, kind=kind, params=form.params(assessment.pk)
        )
        if fmt == "pdf":
            if not pdf.is_available():
                messages.error(request, pdf.MISSING_MESSAGE)
                return redirect("documents:assessment", pk=assessment.pk)
            job = tasks.generated_document_request(user=request.user, req=req)
            return redirect("documents:job", pk=job.pk)
        data = services.document_render(req=req, fmt=fmt)
    except DocumentError as exc:
        messages.error(request, str(exc))
        return redirect("documents:assessment", pk=assessment.pk)
    response = HttpResponse(data, content_type=MIMES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{registry.filename_of(req, fmt)}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def assessment_prose(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = assessment_get_or_404(user=request.user, pk=pk)
    data = sa_data.load(assessment)
    can_edit = has_perm(request.user, "assessment.manage", assessment) and assessment.is_editable
    row = assessment.document_prose if hasattr(assessment, "document_prose") else None
    version = row.version if row else 0
    form = ProseForm(
        request.POST or None,
        sa=data,
        saved=row.texts if row else {},
        version=version,
        readonly=not can_edit,
    )
    conflict = None
    if request.method == "POST":
        if not has_perm(request.user, "assessment.manage", assessment):
            raise PermissionDenied  # in scope (404 above otherwise), not theirs to write
        if not can_edit:
            raise Http404
        if form.is_valid():
            try:
                prose_services.assessment_prose_save(
                    user=request.user,
                    assessment=assessment,
                    texts=form.texts(),
                    version=form.cleaned_data["version"],
                )
            except prose_services.ProseConflict as exc:
                fresh = AssessmentProse.objects.filter(
                    assessment=assessment
                ).first() or AssessmentProse(assessment=assessment, version=0)
                texts = fresh.texts or {}
                conflict = concurrency.conflict_for(
                    form,
                    fresh,
                    message=str(exc),
                    stored={s.key: texts.get(s.key, "") for s in form.sections},
                )
            except prose_services.ProseNotAllowed as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Đã lưu nội dung văn bản.")
                return redirect("documents:assessment_prose", pk=assessment.pk)
    return render(
        request,
        "documents/assessment_prose.html",
        {
            "assessment": assessment,
            "data": data,
            "form": form,
            "can_edit": can_edit,
            "monitoring_columns": prose.MONITORING_COLUMNS,
            "conflict": conflict,
        },
        status=concurrency.CONFLICT_STATUS if conflict else 200,
    )
