"""The documents page: what the user may generate in their scope (the kinds the domains
registered), direct .docx/.xlsx downloads, PDF through a background task with progress.
Thin: scope via documents.selectors and the registry's plan lookup; outside the scope is 404.
The prose editors live with the documents' domains (programme, dashboard, assessments)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import scope_for
from core.worker import queue_position, worker_alive
from documents import pdf, registry, selectors, services, tasks
from documents.common import DocumentError
from documents.forms import GenerateForm
from documents.models import GeneratedDocument

MIMES = {"docx": registry.DOCX_MIME, "xlsx": registry.XLSX_MIME, "pdf": registry.PDF_MIME}
RECENT = 20


def require_scope(request: HttpRequest) -> None:
    if scope_for(request.user).is_empty:
        raise Http404


def _form(request: HttpRequest, data=None) -> GenerateForm:
    return GenerateForm(
        data,
        units=selectors.unit_choices(user=request.user),
        plans=registry.plan_choices(request.user),
    )


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    require_scope(request)
    form = _form(request)
    return render(
        request,
        "documents/index.html",
        {
            "kinds": registry.unit_kinds(),
            "form": form,
            "jobs": selectors.my_documents(user=request.user)[:RECENT],
            "pdf_available": pdf.is_available(),
            "pdf_missing": pdf.MISSING_MESSAGE,
            # The domains' sections of the page (e.g. the self-assessments to print from).
            **registry.index_context(request.user),
        },
    )


@login_required
@require_POST
def generate(request: HttpRequest, kind: str) -> HttpResponse:
    require_scope(request)
    if kind not in {k.code for k in registry.unit_kinds()}:
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
            job = tasks.generated_document_request(user=request.user, req=req)
            return redirect("documents:job", pk=job.pk)
        data = services.document_render(req=req, fmt=fmt)
    except DocumentError as exc:
        messages.error(request, str(exc))
        return redirect("documents:index")
    response = HttpResponse(data, content_type=MIMES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{registry.filename_of(req, fmt)}"'
    return response


def _check_visible(request: HttpRequest, data: dict) -> None:
    """A unit or plan outside the user's scope does not exist for them: 404, not a message."""
    if data.get("unit"):
        try:
            selectors.document_unit(user=request.user, uid=data["unit"])
        except DocumentError as exc:
            raise Http404(str(exc)) from exc
    if data.get("plan"):
        registry.plan_get(user=request.user, pk=int(data["plan"]))


def _job_or_404(request: HttpRequest, pk: int) -> GeneratedDocument:
    job = selectors.my_document(user=request.user, pk=pk)
    if job is None:
        raise Http404("Không tìm thấy văn bản.")
    return job


def _job_context(job: GeneratedDocument) -> dict:
    waiting = not job.is_finished
    alive = worker_alive() if waiting else True
    return {
        "job": job,
        # No worker beat for a minute: the page says so and offers the .docx meanwhile.
        "stuck": waiting and not alive,
        "ahead": queue_position(job.task_id)
        if job.status == GeneratedDocument.Status.QUEUED
        else None,
    }


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    return render(request, "documents/job.html", _job_context(job))


@login_required
@require_GET
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The fragment htmx polls every 2 s until the job is finished."""
    job = _job_or_404(request, pk)
    return render(request, "documents/_job_progress.html", _job_context(job))


@login_required
@require_GET
def job_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    job = _job_or_404(request, pk)
    if fmt == "docx":
        # Ready at once, even while the PDF waits for the worker.
        try:
            data, name = services.generated_document_docx(job=job)
        except DocumentError as exc:
            messages.error(request, str(exc))
            return redirect("documents:job", pk=job.pk)
        response = HttpResponse(data, content_type=MIMES["docx"])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    if fmt != "pdf" or not job.pdf:
        raise Http404("Tệp chưa sẵn sàng.")
    name = registry.filename_of_title(job.title, fmt)
    return FileResponse(
        job.pdf.open("rb"), as_attachment=True, filename=name, content_type=MIMES[fmt]
    )
