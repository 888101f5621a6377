"""The prose editor of the six-month / annual report (dashboard.documents.report): sections
typed once per unit and period, reused at every generation. Mounted in the documents URL
namespace (`documents:report_draft`, /documents/drafts/report/)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.permissions import has_perm
from core import concurrency
from dashboard.documents import report as report_builder
from documents import selectors
from documents.common import DocumentError
from documents.forms import DraftForm
from documents.views import require_scope
from programme.documents.selectors import draft_for
from programme.documents.services import draft_conflict, draft_save
from programme.models import ReportDraft


@login_required
@require_http_methods(["GET", "POST"])
def report_draft(request: HttpRequest) -> HttpResponse:
    require_scope(request)
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
    draft = draft_for(
        kind=ReportDraft.Kind.REPORT, unit=unit, plan_id=plan_id, year=int(year), period=period
    )
    form = DraftForm(
        request.POST or None,
        sections=report_builder.SECTIONS,
        initial_texts=draft.texts if draft else {},
        version=draft.version if draft else 0,
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            draft_save(
                user=request.user,
                kind=ReportDraft.Kind.REPORT,
                unit=unit,
                texts=form.texts(),
                plan_id=plan_id,
                year=int(year),
                period=period,
                version=form.cleaned_data["version"],
            )
        except concurrency.EditConflict as exc:
            draft = draft_for(
                kind=ReportDraft.Kind.REPORT,
                unit=unit,
                plan_id=plan_id,
                year=int(year),
                period=period,
            )
            conflict = draft_conflict(form, draft, exc)
        else:
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
            "conflict": conflict,
        },
        status=concurrency.CONFLICT_STATUS if conflict else 200,
    )
