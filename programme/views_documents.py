"""The prose editor of a plan's document (programme.documents.plan). Mounted in the documents
URL namespace (`documents:plan_draft`, /documents/drafts/plan/<id>/)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.permissions import has_perm
from core import concurrency
from documents.forms import DraftForm
from documents.views import require_scope
from programme import selectors
from programme.documents import plan as plan_builder
from programme.documents.selectors import draft_for
from programme.documents.services import draft_conflict, draft_save
from programme.models import ReportDraft


@login_required
@require_http_methods(["GET", "POST"])
def plan_draft(request: HttpRequest, plan_id: int) -> HttpResponse:
    require_scope(request)
    plan = selectors.plan_get(user=request.user, pk=plan_id)
    if not has_perm(request.user, "plan.edit", plan):
        raise PermissionDenied
    draft = draft_for(kind=ReportDraft.Kind.PLAN, unit=plan.unit, plan_id=plan.pk)
    form = DraftForm(
        request.POST or None,
        sections=plan_builder.SECTIONS,
        initial_texts=draft.texts if draft else {"basis": plan.legal_basis},
        version=draft.version if draft else 0,
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            draft_save(
                user=request.user,
                kind=ReportDraft.Kind.PLAN,
                unit=plan.unit,
                texts=form.texts(),
                plan_id=plan.pk,
                version=form.cleaned_data["version"],
            )
        except concurrency.EditConflict as exc:
            draft = draft_for(kind=ReportDraft.Kind.PLAN, unit=plan.unit, plan_id=plan.pk)
            conflict = draft_conflict(form, draft, exc)
        else:
            messages.success(request, "Đã lưu nội dung kế hoạch.")
            return redirect("documents:plan_draft", plan_id=plan.pk)
    return render(
        request,
        "documents/draft_form.html",
        {
            "form": form,
            "title": f"Nội dung kế hoạch — {plan.title}",
            "draft": draft,
            "conflict": conflict,
        },
        status=concurrency.CONFLICT_STATUS if conflict else 200,
    )
