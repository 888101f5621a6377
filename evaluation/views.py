"""Pages of the external evaluation. Thin: scope and rights from accounts.permissions (outside
the scope 404, inside without the right 403), reads in selectors, writes in services; a refused
form keeps what was typed (400, or 409 for a stale version)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import has_perm, scope_for
from assessments.models import Assessment
from core import audit, concurrency, paging
from evaluation import forms, rules, selectors, services
from evaluation.models import (
    CriterionReview,
    Evaluation,
    EvaluationStatus,
    TeamJudgment,
    TeamMember,
)
from frameworks.models import Criterion, Indicator


def _row_conflict(form, fresh, model, **kwargs):
    """The edit conflict of a row written create-or-replace: the other person's values, and
    version 0 in the form when the row is gone (its next save creates it again)."""
    conflict = concurrency.conflict_for(form, fresh or model(), **kwargs)
    if fresh is None:
        data = form.data.copy()
        data["version"] = "0"
        form.data = data
    return conflict


def _need(user, action: str, obj) -> None:
    if not has_perm(user, action, obj):
        raise PermissionDenied


def _evaluation(request: HttpRequest, pk: int, action: str = "evaluation.view") -> Evaluation:
    evaluation = selectors.get_evaluation_or_404(request.user, pk)
    _need(request.user, action, evaluation)
    return evaluation


def _fail(request: HttpRequest, exc: services.EvaluationError) -> None:
    if isinstance(exc, services.NotAllowed):
        raise PermissionDenied(str(exc))
    messages.error(request, str(exc))


def _back(evaluation: Evaluation) -> HttpResponse:
    return redirect("evaluation:detail", pk=evaluation.pk)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    if scope_for(user).is_empty:
        raise Http404
    status = request.GET.get("status", "submitted")
    if status not in ("submitted", "returned", "accepted", ""):
        status = "submitted"
    reviews = has_perm(user, "evaluation.review_registration")
    # The province's queue holds 1,500 schools: one page of plain rows (labels and links made
    # once), the sizes per status from one aggregate query (no COUNT per filter).
    counts = selectors.registration_queue_counts(user) if reviews else {}
    page = paging.page_of(request.GET.get("page"), counts.get(status, 0))
    context = {
        "queue": selectors.registration_queue_rows(
            user, status=status, start=page.start, end=page.end
        )
        if reviews and page.total
        else [],
        "status_options": [
            (value, label, counts.get(value, 0))
            for value, label in (
                ("submitted", _("Đã gửi")),
                ("returned", _("Bị trả lại")),
                ("accepted", _("Đã tiếp nhận")),
                ("", _("Tất cả")),
            )
        ],
        "page": page,
        "query_string": paging.query_without_page(request.GET),
        "registration_base": reverse("evaluation:registration", args=[0])[:-2],
        "late_label": _("sau hạn"),
        "reviews": reviews,
        "status": status,
        "evaluations": list(selectors.evaluations_for(user)[:200]),
        "my_teams": list(selectors.my_team_evaluations(user)),
        "registrations": list(
            selectors.registrations_visible(user)
            .filter(filed_by=user)
            .select_related("school")[:50]
        ),
        "can_register": has_perm(user, "evaluation.register"),
        "assessments": list(
            Assessment.objects.filter(
                school__in=scope_for(user).schools_of({"principal"}), status="accepted"
            ).select_related("school")
        )
        if has_perm(user, "evaluation.register")
        else [],
    }
    return render(request, "evaluation/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = get_object_or_404(
        Assessment.objects.filter(scope_for(request.user).school_filter("school__")).select_related(
            "school__unit", "framework"
        ),
        pk=assessment_id,
    )
    _need(request.user, "evaluation.register", assessment)
    form = forms.RegistrationForm(request.POST or None, initial={"purpose": "new"})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                reg, checks = services.registration_file(
                    user=request.user, assessment=assessment, **form.cleaned_data
                )
            except services.EvaluationError as exc:
                if isinstance(exc, services.NotAllowed):
                    raise PermissionDenied from exc
                form.add_error(None, str(exc))
            else:
                for check in checks:
                    if check.severity == rules.WARNING:
                        messages.warning(request, check.message)
                messages.success(request, _("Đã gửi đăng ký đánh giá ngoài."))
                return redirect("evaluation:registration", pk=reg.pk)
        status = 400
        form.mark_invalid()
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    facts = services.registration_facts(
        assessment=assessment,
        purpose=data.get("purpose") or request.GET.get("purpose") or "new",
        target_level=int(data.get("target_level") or request.GET.get("target_level") or 1)
        if str(data.get("target_level") or request.GET.get("target_level") or "1").isdigit()
        else 1,
    )
    context = {
        "assessment": assessment,
        "school": assessment.school,
        "form": form,
        "checks": rules.registration_checks(facts),
    }
    return render(request, "evaluation/register.html", context, status=status)


@login_required
def registration(request: HttpRequest, pk: int) -> HttpResponse:
    reg = selectors.get_registration_or_404(request.user, pk)
    _need(request.user, "evaluation.view", reg)
    context = {
        "reg": reg,
        "school": reg.school,
        "can_review": has_perm(request.user, "evaluation.review_registration", reg)
        and reg.status == "submitted",
        "return_form": forms.ReturnForm(initial={"version": reg.version}),
        "accept_form": forms.AcceptForm(initial={"version": reg.version}),
        "evaluation": Evaluation.objects.filter(registration=reg).first(),
    }
    return render(request, "evaluation/registration.html", context)


@login_required
@require_POST
def registration_accept(request: HttpRequest, pk: int) -> HttpResponse:
    reg = selectors.get_registration_or_404(request.user, pk)
    _need(request.user, "evaluation.review_registration", reg)
    form = forms.AcceptForm(request.POST)
    form.is_valid()
    try:
        evaluation = services.registration_accept(
            user=request.user, registration=reg, version=form.cleaned_data.get("version")
        )
    except services.EditConflict as exc:
        messages.error(request, str(exc))
        return redirect("evaluation:registration", pk=reg.pk)
    except services.EvaluationError as exc:
        _fail(request, exc)
        return redirect("evaluation:registration", pk=reg.pk)
    messages.success(request, _("Đã tiếp nhận đăng ký; hãy thành lập đoàn đánh giá ngoài."))
    return _back(evaluation)


@login_required
@require_POST
def registration_return(request: HttpRequest, pk: int) -> HttpResponse:
    reg = selectors.get_registration_or_404(request.user, pk)
    _need(request.user, "evaluation.review_registration", reg)
    form = forms.ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.registration_return(user=request.user, registration=reg, **form.cleaned_data)
        except services.EditConflict:
            status = 409
            form.add_error(None, concurrency.STALE_MESSAGE)
        except services.EvaluationError as exc:
            if isinstance(exc, services.NotAllowed):
                raise PermissionDenied from exc
            form.add_error(None, str(exc))
            status = 400
        else:
            messages.success(request, _("Đã trả lại đăng ký cho trường."))
            return redirect("evaluation:registration", pk=reg.pk)
    else:
        status = 400
    reg.refresh_from_db()
    context = {
        "reg": reg,
        "school": reg.school,
        "can_review": reg.status == "submitted",
        "return_form": form,
        "accept_form": forms.AcceptForm(initial={"version": reg.version}),
        "evaluation": None,
    }
    return render(request, "evaluation/registration.html", context, status=status)


def _detail_context(request: HttpRequest, evaluation: Evaluation) -> dict:
    user = request.user
    live = selectors.team_levels(evaluation)
    criteria = list(
        Criterion.objects.filter(framework_id=evaluation.framework_id).order_by("position")
    )
    member = selectors.member_of(user, evaluation)
    mine = set(member.criteria.values_list("pk", flat=True)) if member else set()
    reviewed = set(
        CriterionReview.objects.filter(evaluation=evaluation)
        .exclude(strengths="", weaknesses="", recommendations="")
        .values_list("criterion_id", flat=True)
    )
    return {
        "evaluation": evaluation,
        "school": evaluation.school,
        "live": live,
        "reviewed": reviewed,
        "supported": selectors.supported_standard_level(live),
        "criteria": [
            (
                c,
                live.criteria[c.code],
                member is not None and (member.role == "leader" or c.pk in mine),
            )
            for c in criteria
        ],
        "members": list(evaluation.members.select_related("user").prefetch_related("criteria")),
        "visits": list(evaluation.visits.all()),
        "feedback": list(evaluation.feedback.all()),
        "may": {
            action: has_perm(user, f"evaluation.{action}", evaluation)
            for action in (
                "form_team",
                "judge",
                "consolidate",
                "record_visit",
                "report",
                "write_review",
            )
        }
        | {"record_decision": has_perm(user, "evaluation.record_decision", evaluation)},
        "start_form": forms.StartForm(initial={"version": evaluation.version}),
        "visit_form": forms.VisitForm(),
        "send_form": forms.SendForm(),
        "feedback_form": forms.FeedbackForm(),
        "finalise_form": forms.FinaliseForm(
            initial={
                "version": evaluation.version,
                "proposal_level": selectors.supported_standard_level(live),
                "proposal_accreditation_level": selectors.supported_accreditation_level(live),
            },
            with_accreditation=live.result.version.recognition.accreditation is not None,
        ),
        "intact": services.report_intact(evaluation) if evaluation.final_sha256 else None,
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    return render(request, "evaluation/detail.html", _detail_context(request, evaluation))


@login_required
@require_http_methods(["GET", "POST"])
def team(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk, "evaluation.form_team")
    criteria = list(
        Criterion.objects.filter(framework_id=evaluation.framework_id).order_by("position")
    )
    form = forms.MemberForm(request.POST or None, criteria=criteria)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.team_member_add(
                    user=request.user,
                    evaluation=evaluation,
                    person=data["person"],
                    role=data["role"],
                    full_name=data["full_name"],
                    title=data["title"],
                    criteria=[c for c in criteria if str(c.pk) in data["criteria"]],
                )
            except services.EvaluationError as exc:
                if isinstance(exc, services.NotAllowed):
                    raise PermissionDenied from exc
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Đã thêm thành viên vào đoàn."))
                return redirect("evaluation:team", pk=evaluation.pk)
        status = 400
        form.mark_invalid()
    context = {
        "evaluation": evaluation,
        "school": evaluation.school,
        "form": form,
        "members": list(evaluation.members.select_related("user").prefetch_related("criteria")),
        "minimum": services.team_min_members(evaluation.framework),
        "start_form": forms.StartForm(initial={"version": evaluation.version}),
    }
    return render(request, "evaluation/team.html", context, status=status)


@login_required
@require_POST
def team_remove(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    evaluation = _evaluation(request, pk, "evaluation.form_team")
    member = get_object_or_404(TeamMember, pk=member_id, evaluation=evaluation)
    try:
        services.team_member_remove(user=request.user, member=member)
    except services.EvaluationError as exc:
        _fail(request, exc)
    return redirect("evaluation:team", pk=evaluation.pk)


@login_required
@require_POST
def start(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk, "evaluation.form_team")
    form = forms.StartForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("evaluation:team", pk=evaluation.pk)
    try:
        services.evaluation_start(user=request.user, evaluation=evaluation, **form.cleaned_data)
    except services.EvaluationError as exc:
        _fail(request, exc)
        return redirect("evaluation:team", pk=evaluation.pk)
    messages.success(request, _("Đoàn đánh giá ngoài bắt đầu làm việc."))
    return _back(evaluation)


def _criterion_rows(request, evaluation: Evaluation, criterion: Criterion, bound=None):
    indicators = list(Indicator.objects.filter(criterion=criterion).order_by("position"))
    member = selectors.member_of(request.user, evaluation)
    judgments = selectors.member_judgments(evaluation, [i.pk for i in indicators])
    team = {
        j.indicator_id: j
        for j in TeamJudgment.objects.filter(evaluation=evaluation, indicator__in=indicators)
    }
    self_met = dict(
        evaluation.assessment.indicator_results.filter(indicator__in=indicators).values_list(
            "indicator_id", "met"
        )
    )
    rows = []
    for ind in indicators:
        own = next(
            (j for j in judgments.get(ind.pk, []) if member and j.member_id == member.pk), None
        )
        if bound is not None and bound.data.get("indicator") == str(ind.pk):
            form = bound
        else:
            form = forms.JudgmentForm(
                prefix=f"i{ind.pk}",
                initial={
                    "indicator": ind.pk,
                    "met": "" if own is None or own.met is None else ("1" if own.met else "0"),
                    "comment": own.comment if own else "",
                    "version": own.version if own else 0,
                },
            )
        rows.append(
            {
                "indicator": ind,
                "self_met": self_met.get(ind.pk),
                "judgments": judgments.get(ind.pk, []),
                "team": team.get(ind.pk),
                "form": form,
            }
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def criterion(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    crit = get_object_or_404(Criterion, framework_id=evaluation.framework_id, code=code)
    status = 200
    bound = None
    if request.method == "POST":
        _need(request.user, "evaluation.judge", evaluation)
        prefix = next(
            (k.split("-", 1)[0] for k in request.POST if k.startswith("i") and "-" in k), ""
        )
        bound = forms.JudgmentForm(request.POST, prefix=prefix or None)
        if bound.is_valid():
            data = bound.cleaned_data
            try:
                services.member_judge(
                    user=request.user,
                    evaluation=evaluation,
                    indicator=data["indicator"],
                    met=data["met"],
                    comment=data["comment"],
                    version=data["version"],
                )
            except services.EditConflict:
                bound.add_error(None, concurrency.STALE_MESSAGE)
                status = 409
            except services.EvaluationError as exc:
                if isinstance(exc, services.NotAllowed):
                    raise PermissionDenied from exc
                bound.add_error(None, str(exc))
                status = 400
            else:
                if not request.htmx:
                    messages.success(request, _("Đã ghi ý kiến."))
                bound = None
                if not request.htmx:
                    return redirect("evaluation:criterion", pk=evaluation.pk, code=crit.code)
        else:
            status = 400
    live = selectors.team_levels(evaluation)
    context = {
        "evaluation": evaluation,
        "school": evaluation.school,
        "criterion": crit,
        "rows": _criterion_rows(request, evaluation, crit, bound),
        "team_level": live.criteria[crit.code],
        "may_judge": selectors.may_judge_criterion(request.user, evaluation, crit.pk)
        and evaluation.accepts_judgments
        and evaluation.status != EvaluationStatus.FORMING,
        "may_consolidate": has_perm(request.user, "evaluation.consolidate", evaluation)
        and evaluation.accepts_judgments,
    }
    template = "evaluation/_criterion_rows.html" if request.htmx else "evaluation/criterion.html"
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def consolidate(request: HttpRequest, pk: int, indicator_id: int) -> HttpResponse:
    evaluation = _evaluation(request, pk, "evaluation.consolidate")
    ind = get_object_or_404(Indicator, pk=indicator_id, framework_id=evaluation.framework_id)
    row = TeamJudgment.objects.filter(evaluation=evaluation, indicator=ind).first()
    initial = {
        "met": "" if row is None or row.met is None else ("1" if row.met else "0"),
        "reason": row.reason if row else "",
        "version": row.version if row else 0,
    }
    form = forms.ConsolidateForm(request.POST or None, initial=initial)
    status, conflict = 200, None
    if request.method == "POST":
        if form.is_valid():
            try:
                services.team_judge(
                    user=request.user, evaluation=evaluation, indicator=ind, **form.cleaned_data
                )
            except services.EditConflict:
                status = 409
                fresh = TeamJudgment.objects.filter(evaluation=evaluation, indicator=ind).first()
                stored = {
                    "met": "" if fresh is None or fresh.met is None else ("1" if fresh.met else "0")
                }
                conflict = _row_conflict(form, fresh, TeamJudgment, stored=stored)
            except services.EvaluationError as exc:
                if isinstance(exc, services.NotAllowed):
                    raise PermissionDenied from exc
                form.add_error(None, str(exc))
                status = 400
            else:
                messages.success(
                    request, _("Đã ghi kết luận của đoàn cho %(i)s.") % {"i": ind.ident}
                )
                if ind.criterion_id:
                    return redirect(
                        "evaluation:criterion", pk=evaluation.pk, code=ind.criterion.code
                    )
                return _back(evaluation)
        else:
            status = 400
        form.mark_invalid()
    member_rows = selectors.member_judgments(evaluation, [ind.pk]).get(ind.pk, [])
    self_met = (
        evaluation.assessment.indicator_results.filter(indicator=ind)
        .values_list("met", flat=True)
        .first()
    )
    context = {
        "evaluation": evaluation,
        "school": evaluation.school,
        "indicator": ind,
        "form": form,
        "conflict": conflict,
        "judgments": member_rows,
        "self_met": self_met,
    }
    return render(request, "evaluation/consolidate.html", context, status=status)


@login_required
def divergence(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    only = request.GET.get("chi_khac") == "1"
    div = selectors.divergence(evaluation, only_differences=only)
    # Each badge rendered once per value, not once per row (a 28-criterion school: ~300 rows).
    met = {
        value: render_to_string("evaluation/_met.html", {"met": value}, request)
        for value in (None, True, False)
    }
    change = {
        value: render_to_string("evaluation/_change.html", {"change": value}, request)
        for value in (rules.RAISED, rules.LOWERED, rules.EQUAL, rules.PENDING)
    }
    criterion_base = reverse("evaluation:criterion", args=[evaluation.pk, "x"])[:-2]
    for line in div.criteria:
        line.change_badge = mark_safe(change[line.change])  # noqa: S308 (our own template)
        for ind in line.indicators:
            ind.self_badge = mark_safe(met[ind.self_met])  # noqa: S308
            ind.team_badge = mark_safe(met[ind.team_met])  # noqa: S308
            ind.change_badge = mark_safe(change[ind.change])  # noqa: S308
    context = {
        "evaluation": evaluation,
        "school": evaluation.school,
        "div": div,
        "only": only,
        "criterion_base": criterion_base,
        "review_base": reverse("evaluation:review", args=[evaluation.pk, "x"])[:-2],
        "review_word": _("Nhận xét của đoàn"),
        "level_word": _("Mức"),
    }
    return render(request, "evaluation/divergence.html", context)


def _review_closed_message(evaluation: Evaluation) -> str:
    if evaluation.status == EvaluationStatus.FORMING:
        return _("Đoàn chưa bắt đầu làm việc: chưa viết được nhận xét.")
    if not evaluation.accepts_judgments:
        return _(
            "Báo cáo đánh giá ngoài đã là bản chính thức (đã khóa): không sửa được nhận xét"
            " của đoàn về tiêu chí."
        )
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """The team's strengths, weaknesses and recommendations for one criterion (printed in the
    report): written by the leader or the secretary, read by the rest of the team and the
    officers."""
    evaluation = _evaluation(request, pk)
    crit = get_object_or_404(
        Criterion.objects.select_related("standard"),
        framework_id=evaluation.framework_id,
        code=code,
    )
    row = CriterionReview.objects.filter(evaluation=evaluation, criterion=crit).first()
    initial = {
        "strengths": row.strengths if row else "",
        "weaknesses": row.weaknesses if row else "",
        "recommendations": row.recommendations if row else "",
        "version": row.version if row else 0,
    }
    form = forms.CriterionReviewForm(request.POST or None, initial=initial)
    may_write = has_perm(request.user, "evaluation.write_review", evaluation)
    status, conflict = 200, None
    if request.method == "POST":
        _need(request.user, "evaluation.write_review", evaluation)
        if form.is_valid():
            try:
                services.criterion_review_write(
                    user=request.user, evaluation=evaluation, criterion=crit, **form.cleaned_data
                )
            except services.EditConflict:
                status = 409
                fresh = CriterionReview.objects.filter(
                    evaluation=evaluation, criterion=crit
                ).first()
                conflict = _row_conflict(form, fresh, CriterionReview)
            except services.EvaluationError as exc:
                if isinstance(exc, services.NotAllowed):
                    raise PermissionDenied from exc
                form.add_error(None, str(exc))
                status = 400
            else:
                messages.success(
                    request, _("Đã lưu nhận xét của đoàn về tiêu chí %(c)s.") % {"c": crit.code}
                )
                return redirect("evaluation:review", pk=evaluation.pk, code=crit.code)
        else:
            status = 400
        form.mark_invalid()
        row = CriterionReview.objects.filter(evaluation=evaluation, criterion=crit).first()
    codes = list(
        Criterion.objects.filter(framework_id=evaluation.framework_id)
        .order_by("position")
        .values_list("code", flat=True)
    )
    at = codes.index(crit.code)
    indicators = list(Indicator.objects.filter(criterion=crit).order_by("position"))
    team = {
        j.indicator_id: j
        for j in TeamJudgment.objects.filter(evaluation=evaluation, indicator__in=indicators)
    }
    live = selectors.team_levels(evaluation)
    sheet = evaluation.assessment.sheets.filter(criterion=crit).first()
    context = {
        "evaluation": evaluation,
        "school": evaluation.school,
        "criterion": crit,
        "review": row,
        "form": form,
        "conflict": conflict,
        # A refused post keeps its form (and what was typed), even once the report is final.
        "may_write": may_write
        and (request.method == "POST" or not _review_closed_message(evaluation)),
        "closed_message": _review_closed_message(evaluation) if may_write else "",
        "team_level": live.criteria[crit.code],
        "indicators": [(ind, team.get(ind.pk)) for ind in indicators],
        "sheet": sheet,
        "previous": codes[at - 1] if at > 0 else None,
        "next": codes[at + 1] if at + 1 < len(codes) else None,
        "history_rows": audit.history_rows(row) if row is not None else None,
    }
    return render(request, "evaluation/review.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def visit(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk, "evaluation.record_visit")
    form = forms.VisitForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.visit_record(
                    user=request.user, evaluation=evaluation, data=form.cleaned_data
                )
            except services.EvaluationError as exc:
                if isinstance(exc, services.NotAllowed):
                    raise PermissionDenied from exc
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Đã ghi đợt khảo sát."))
                return _back(evaluation)
        status = 400
        form.mark_invalid()
    context = {"evaluation": evaluation, "school": evaluation.school, "form": form}
    return render(request, "evaluation/visit.html", context, status=status)


def _post_step(request: HttpRequest, pk: int, form_class, call) -> HttpResponse:
    evaluation = _evaluation(request, pk, "evaluation.report")
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        response = _back(evaluation)
        response.status_code = 303
        return response
    try:
        call(evaluation, form.cleaned_data)
    except services.EvaluationError as exc:
        _fail(request, exc)
    return _back(evaluation)


@login_required
@require_POST
def report_send(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_step(
        request,
        pk,
        forms.SendForm,
        lambda ev, d: services.report_send(user=request.user, evaluation=ev, **d),
    )


@login_required
@require_POST
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_step(
        request,
        pk,
        forms.FeedbackForm,
        lambda ev, d: services.feedback_record(user=request.user, evaluation=ev, **d),
    )


@login_required
@require_POST
def finalise(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_step(
        request,
        pk,
        forms.FinaliseForm,
        lambda ev, d: services.report_finalise(user=request.user, evaluation=ev, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk, "evaluation.record_decision")
    live_supported, supported_accreditation = selectors.supported_levels(evaluation)
    rec = (evaluation.framework.data or {}).get("recognition") or {}
    authority = ((rec.get("national_standard") or {}).get("authority")) or ""
    form = forms.DecisionForm(
        request.POST or None,
        initial={
            "outcome": "recognised" if live_supported else "refused",
            "level": evaluation.proposal_level or live_supported,
            "accreditation_level": evaluation.proposal_accreditation_level
            or supported_accreditation,
            "signed_on": timezone.localdate(),
            "signing_body": f"Sở Giáo dục và Đào tạo {evaluation.school.unit.ancestors()[0].name}"
            if evaluation.school.unit.parent_id
            else f"Sở Giáo dục và Đào tạo {evaluation.school.unit.name}",
            "signer_title": authority,
            "version": evaluation.version,
        },
        with_accreditation=selectors.maps_accreditation(evaluation),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            version = data.pop("version")
            try:
                if data["outcome"] == "refused":
                    services.decision_refuse(
                        user=request.user,
                        evaluation=evaluation,
                        reason=data["reason"],
                        version=version,
                    )
                else:
                    services.decision_record(
                        user=request.user, evaluation=evaluation, data=data, version=version
                    )
            except services.Rejected as exc:
                for field, msgs in exc.errors.items():
                    for msg in msgs:
                        form.add_error(field if field in form.fields else None, msg)
            except services.EditConflict:
                form.add_error(None, concurrency.STALE_MESSAGE)
                status = 409
            except services.EvaluationError as exc:
                if isinstance(exc, services.NotAllowed):
                    raise PermissionDenied from exc
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Đã ghi quyết định vào sổ công nhận."))
                return _back(evaluation)
        status = status if status != 200 else 400
        form.mark_invalid()
    context = {
        "evaluation": evaluation,
        "school": evaluation.school,
        "form": form,
        "supported": live_supported,
        "supported_accreditation": supported_accreditation,
        "register_url": reverse("programme:school", args=[evaluation.school.code]),
    }
    return render(request, "evaluation/decision.html", context, status=status)
