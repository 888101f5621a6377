"""The prose editor of the six-month / annual report (dashboard.documents.report): sections
typed once per unit and period, reused at every generation. Mounted in the documents URL
namespace (`documents:report_draft`, /documents/drafts/report/)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.scope import scope_for
from dashboard.documents import report as report_builder
from documents import selectors
from documents.common import DocumentError
from documents.forms import DraftForm
from documents.views import require_scope
from programme.documents.selectors import draft_for
from programme.documents.services import draft_save
from programme.models import ReportDraft


def _can_edit_unit(user, unit) -> bool:
    scope = scope_for(user)
    if scope.is_all or scope.can_edit_unit(unit):
        return True
    if unit.is_current:
        return False
    return any(scope.can_edit_unit(s) for s in unit.successors.all())


@login_required
@require_http_methods(["GET", "POST"])
def report_draft(request: HttpRequest) -> HttpResponse:
    require_scope(request)
    params = request.GET
    try:
        unit = selectors.document_unit(user=request.user, uid=params.get("unit", ""))
    except DocumentError as exc:
        raise Http404(str(exc)) from exc
    if not _can_edit_unit(request.user, unit):
        raise Http404
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
    )
    if request.method == "POST" and form.is_valid():
        draft_save(
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
