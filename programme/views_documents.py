"""The prose editor of a plan's document (programme.documents.plan). Mounted in the documents
URL namespace (`documents:plan_draft`, /documents/drafts/plan/<id>/)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from documents.forms import DraftForm
from documents.views import require_scope
from programme import selectors_plans
from programme.documents import plan as plan_builder
from programme.documents.selectors import draft_for
from programme.documents.services import draft_save
from programme.models import ReportDraft


@login_required
@require_http_methods(["GET", "POST"])
def plan_draft(request: HttpRequest, plan_id: int) -> HttpResponse:
    require_scope(request)
    plan = selectors_plans.plan_get(user=request.user, pk=plan_id)
    if not selectors_plans.can_manage_plan(request.user, plan):
        raise Http404
    draft = draft_for(kind=ReportDraft.Kind.PLAN, unit=plan.unit, plan_id=plan.pk)
    form = DraftForm(
        request.POST or None,
        sections=plan_builder.SECTIONS,
        initial_texts=draft.texts if draft else {"basis": plan.legal_basis},
    )
    if request.method == "POST" and form.is_valid():
        draft_save(
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
