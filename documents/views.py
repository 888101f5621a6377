"""The documents page: what the user may generate in their scope, direct .docx/.xlsx downloads,
PDF through a background task with progress, and the prose editor of reports and plans.
Thin: scope via documents.selectors / programme.selectors_plans; outside the scope is 404."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import has_perm, scope_for
from assessments.selectors import assessment_list
from documents import builders, pdf, selectors, services
from documents.builders import plan as plan_builder
from documents.builders import report as report_builder
from documents.common import DocumentError
from documents.forms import DraftForm, GenerateForm
from documents.models import GeneratedDocument, ReportDraft
from programme import selectors_plans

MIMES = {"docx": builders.DOCX_MIME, "xlsx": builders.XLSX_MIME, "pdf": builders.PDF_MIME}
RECENT = 20


def _require_scope(request: HttpRequest) -> None:
    if scope_for(request.user).is_empty:
        raise Http404


def _form(request: HttpRequest, data=None) -> GenerateForm:
    return GenerateForm(
        data,
        units=selectors.unit_choices(user=request.user),
        plans=plan_builder.plan_choices(request.user),
    )


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _require_scope(request)
    form = _form(request)
    return render(
        request,
        "documents/index.html",
        {
            "kinds": builders.UNIT_KINDS,
            "form": form,
            "jobs": selectors.my_documents(user=request.user)[:RECENT],
            "assessments": assessment_list(user=request.user)[:RECENT],
            "pdf_available": pdf.is_available(),
            "pdf_missing": pdf.MISSING_MESSAGE,
        },
    )


@login_required
@require_POST
def generate(request: HttpRequest, kind: str) -> HttpResponse:
    _require_scope(request)
    if kind not in {k.code for k in builders.UNIT_KINDS}:
        raise Http404
    form = _form(request, request.POST)
    if not form.is_valid():
        messages.error(
            request,
            "Thông tin chưa hợp lệ: "
            + "; ".join(
                f"{form.fields[k].label if k in form.fields else k}: {' '.join(v)}"
                for k, v in form.errors.items()
            ),
        )
        return redirect("documents:index")
    fmt = form.cleaned_data["fmt"]
    _check_visible(request, form.cleaned_data)
    try:
        req = services.request_from_params(user=request.user, kind=kind, params=form.params())
        if fmt == "pdf":
            if not pdf.is_available():
                messages.error(request, pdf.MISSING_MESSAGE)
                return redirect("documents:index")
            job = services.generated_document_request(user=request.user, req=req)
            return redirect("documents:job", pk=job.pk)
        data = services.document_render(req=req, fmt=fmt)
    except DocumentError as exc:
        messages.error(request, str(exc))
        return redirect("documents:index")
    response = HttpResponse(data, content_type=MIMES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{builders.filename_of(req, fmt)}"'
    return response


def _check_visible(request: HttpRequest, data: dict) -> None:
    """A unit or plan outside the user's scope does not exist for them: 404, not a message."""
    if data.get("unit"):
        try:
            selectors.document_unit(user=request.user, uid=data["unit"])
        except DocumentError as exc:
            raise Http404(str(exc)) from exc
    if data.get("plan"):
        selectors_plans.plan_get(user=request.user, pk=int(data["plan"]))


def _job_or_404(request: HttpRequest, pk: int) -> GeneratedDocument:
    job = selectors.my_document(user=request.user, pk=pk)
    if job is None:
        raise Http404("Không tìm thấy văn bản.")
    return job


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    return render(request, "documents/job.html", {"job": job})


@login_required
@require_GET
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The fragment htmx polls every 2 s until the job is finished."""
    job = _job_or_404(request, pk)
    return render(request, "documents/_job_progress.html", {"job": job})


@login_required
@require_GET
def job_file(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    job = _job_or_404(request, pk)
    field = {"docx": job.docx, "pdf": job.pdf}.get(fmt)
    if not field:
        raise Http404("Tệp chưa sẵn sàng.")
    name = builders.filename_of_title(job.title, fmt)
    return FileResponse(
        field.open("rb"), as_attachment=True, filename=name, content_type=MIMES[fmt]
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_draft(request: HttpRequest) -> HttpResponse:
    _require_scope(request)
    params = request.GET
    try:
        unit = selectors.document_unit(user=request.user, uid=params.get("unit", ""))
    except DocumentError as exc:
        raise Http404(str(exc)) from exc
    if not has_perm(request.user, "unit.documents", unit):
        raise PermissionDenied
    year = params.get("year", "")
    period = params.get("period", "H1")
    if not year.isdigit() or period not in ("H1", "H2", "Y"):
        raise Http404
    plan_id = int(params["plan"]) if params.get("plan", "").isdigit() else 0
    draft = selectors.draft_for(
        kind=ReportDraft.Kind.REPORT, unit=unit, plan_id=plan_id, year=int(year), period=period
    )
    form = DraftForm(
        request.POST or None,
        sections=report_builder.SECTIONS,
        initial_texts=draft.texts if draft else {},
    )
    if request.method == "POST" and form.is_valid():
        services.draft_save(
            user=request.user,
            kind=ReportDraft.Kind.REPORT,
            unit=unit,
            texts=form.texts(),
            plan_id=plan_id,
            year=int(year),
            period=period,
        )
        messages.success(request, "Đã lưu nội dung báo cáo.")
        query = urlencode({"unit": unit.uid, "year": year, "period": period, "plan": plan_id})
        return redirect(f"{reverse('documents:report_draft')}?{query}")
    return render(
        request,
        "documents/draft_form.html",
        {
            "form": form,
            "title": f"Nội dung báo cáo — {unit.name}, {period} {year}",
            "draft": draft,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_draft(request: HttpRequest, plan_id: int) -> HttpResponse:
    _require_scope(request)
    plan = selectors_plans.plan_get(user=request.user, pk=plan_id)
    if not has_perm(request.user, "plan.edit", plan):
        raise PermissionDenied
    draft = selectors.draft_for(kind=ReportDraft.Kind.PLAN, unit=plan.unit, plan_id=plan.pk)
    form = DraftForm(
        request.POST or None,
        sections=plan_builder.SECTIONS,
        initial_texts=draft.texts if draft else {"basis": plan.legal_basis},
    )
    if request.method == "POST" and form.is_valid():
        services.draft_save(
            user=request.user,
            kind=ReportDraft.Kind.PLAN,
            unit=plan.unit,
            texts=form.texts(),
            plan_id=plan.pk,
        )
        messages.success(request, "Đã lưu nội dung kế hoạch.")
        return redirect("documents:plan_draft", plan_id=plan.pk)
    return render(
        request,
        "documents/draft_form.html",
        {"form": form, "title": f"Nội dung kế hoạch — {plan.title}", "draft": draft},
    )
