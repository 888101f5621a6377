"""Pages of improvement actions (a school's blockers, its actions, reviews and monthly report)
and of the unit analysis (what holds schools back). Thin: selectors read, services write."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import get_school_or_404, get_unit_or_404, has_perm
from core import audit, concurrency, paging
from core.text import format_percent
from frameworks.models import Framework
from improvement import exports, rules, selectors, services
from improvement.forms import ActionForm, MonthlySendForm, NoteForm, ReviewForm
from improvement.models import ActionStatus, ImprovementAction
from programme.services import NotAllowed as MonthlyNotAllowed
from programme.services import Rejected as MonthlyRejected
from schools.models import School

PAGE_SIZE = 100  # the managing unit's list: a hundred a page, overdue first


def _apply_errors(form, exc: services.Rejected) -> None:
    for field, msgs in exc.errors.items():
        for msg in msgs:
            form.add_error(field if field in form.fields else None, msg)
    form.mark_invalid()


def _target_choices(blockers: selectors.SchoolBlockers, framework: Framework | None) -> list:
    """The blockers first (what the engine says is missing), then every criterion and
    indicator of the framework."""
    if framework is None:
        return []
    fw = framework.compiled()
    first = [
        (b.ident, f"{b.ident} — {b.text[:90]}" if b.text else b.ident) for b in blockers.blockers
    ]
    seen = {ident for ident, _label in first}
    rest = [(code, _("Tiêu chí %(c)s") % {"c": code}) for code in fw.criterion_codes]
    rest += [(ident, ident) for ident in fw.indicator_pos if ident not in seen]
    rest += [(ident, ident) for ident in fw.level4_order if ident not in seen]
    groups = []
    if first:
        groups.append((_("Còn thiếu để lên mức tiếp theo"), first))
    groups.append((_("Tiêu chí, chỉ báo khác"), rest))
    return groups


def _school_context(request: HttpRequest, school: School, **forms: Any) -> dict[str, Any]:
    today = timezone.localdate()
    blockers = selectors.school_blockers(school=school)
    framework = blockers.assessment.framework if blockers.assessment else None
    actions = list(selectors.school_actions(school=school))
    met = selectors.met_links(school=school, actions=actions)
    year = rules.school_year_of(today)
    reviews = list(selectors.reviews(school=school, school_year=year))
    may_register = has_perm(request.user, "improvement.register", school)
    register_form = forms.get("register_form") or ActionForm(
        initial={"status": rules.PLANNED, "start": today},
        targets=_target_choices(blockers, framework),
    )
    monthly = (
        selectors.monthly_plans(school=school, today=today)
        if has_perm(request.user, "monthly.submit", school)
        else []
    )
    return {
        "school": school,
        "today": today,
        "blockers": blockers,
        "framework": framework,
        "actions": [
            (a, rules.is_overdue(status=a.status, due=a.due, today=today), met.get(a.pk))
            for a in actions
        ],
        "school_year": year,
        "reviews": reviews,
        "review_warning": rules.review_warning(len(reviews)),
        "may_register": may_register,
        "register_form": register_form,
        "review_form": forms.get("review_form") or ReviewForm(initial={"held_on": today}),
        "monthly": [(p, MonthlySendForm(initial={"plan": p.pk, "version": v})) for p, v in monthly],
        "trend": selectors.school_trend(school=school, framework=framework) if framework else [],
        "criterion_codes": framework.compiled().criterion_codes if framework else (),
    }


def _school(request: HttpRequest, code: str) -> School:
    school = get_school_or_404(request.user, code=code)
    if not has_perm(request.user, "improvement.view", school):
        raise PermissionDenied
    return school


@login_required
@require_GET
def school_page(request: HttpRequest, code: str) -> HttpResponse:
    school = _school(request, code)
    return render(request, "improvement/school.html", _school_context(request, school))


@login_required
@require_POST
def action_register(request: HttpRequest, code: str) -> HttpResponse:
    school = _school(request, code)
    if not has_perm(request.user, "improvement.register", school):
        raise PermissionDenied
    blockers = selectors.school_blockers(school=school)
    if blockers.assessment is None:
        raise Http404("Trường chưa có đợt tự đánh giá.")
    framework = blockers.assessment.framework
    form = ActionForm(request.POST, targets=_target_choices(blockers, framework))
    if form.is_valid():
        data = dict(form.cleaned_data)
        data["indicators"], data["criteria"] = form.split_targets(
            framework.compiled().criterion_codes
        )
        try:
            action = services.action_register(
                user=request.user, school=school, framework=framework, data=data
            )
        except services.NotAllowed as exc:
            raise PermissionDenied from exc
        except services.Rejected as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Đã đăng ký «%(t)s».") % {"t": action.title})
            return redirect("improvement:school", code=school.code)
    form.mark_invalid()
    context = _school_context(request, school, register_form=form)
    return render(request, "improvement/school.html", context, status=400)


@login_required
@require_POST
def review_record(request: HttpRequest, code: str) -> HttpResponse:
    school = _school(request, code)
    if not has_perm(request.user, "improvement.register", school):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_record(
                user=request.user,
                school=school,
                held_on=form.cleaned_data["held_on"],
                conclusions=form.cleaned_data["conclusions"],
            )
        except services.NotAllowed as exc:
            raise PermissionDenied from exc
        except services.Rejected as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi lần rà soát kế hoạch cải tiến."))
            return redirect("improvement:school", code=school.code)
    form.mark_invalid()
    context = _school_context(request, school, review_form=form)
    return render(request, "improvement/school.html", context, status=400)


@login_required
@require_POST
def monthly_send(request: HttpRequest, code: str) -> HttpResponse:
    school = _school(request, code)
    if not has_perm(request.user, "monthly.submit", school):
        raise PermissionDenied
    form = MonthlySendForm(request.POST)
    plans = dict(
        (p.pk, p) for p, _v in selectors.monthly_plans(school=school, today=timezone.localdate())
    )
    if not form.is_valid() or form.cleaned_data["plan"] not in plans:
        messages.error(request, _("Không gửi được: kế hoạch không yêu cầu trường báo cáo tháng."))
        return redirect("improvement:school", code=school.code)
    try:
        report = services.monthly_send(
            user=request.user,
            plan=plans[form.cleaned_data["plan"]],
            school=school,
            actions=list(selectors.school_actions(school=school)),
            version=form.cleaned_data["version"],
        )
    except MonthlyNotAllowed as exc:
        raise PermissionDenied from exc
    except MonthlyRejected as exc:
        messages.error(request, str(exc))
    except concurrency.EditConflict as exc:
        # Someone sent this month's report since the page was opened: say so, send nothing.
        messages.error(request, str(exc))
        context = _school_context(request, school)
        return render(
            request, "improvement/school.html", context, status=concurrency.CONFLICT_STATUS
        )
    else:
        messages.success(
            request,
            _("Đã gửi báo cáo tiến độ tháng %(m)s.") % {"m": report.month.strftime("%m/%Y")},
        )
    return redirect("improvement:school", code=school.code)


def _action(request: HttpRequest, pk: int) -> ImprovementAction:
    return selectors.action_get_or_404(user=request.user, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action(request, pk)
    may_edit = has_perm(request.user, "improvement.register", action)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied
    framework = action.framework
    blockers = selectors.school_blockers(school=action.school)
    choices = _target_choices(blockers, framework)
    initial = {k: getattr(action, k) for k in services.ACTION_FIELDS}
    initial["targets"] = action.targets
    initial["version"] = action.version
    form = ActionForm(request.POST or None, initial=initial, targets=choices)
    status, conflict = 200, None
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            data.pop("targets")
            data["indicators"], data["criteria"] = form.split_targets(
                framework.compiled().criterion_codes
            )
            try:
                services.action_update(user=request.user, action=action, data=data, version=version)
            except services.NotAllowed as exc:
                raise PermissionDenied from exc
            except services.Rejected as exc:
                _apply_errors(form, exc)
            except concurrency.EditConflict as exc:
                action.refresh_from_db()
                conflict = concurrency.conflict_for(
                    form, action, message=str(exc), stored={"targets": ", ".join(action.targets)}
                )
            else:
                messages.success(request, _("Đã lưu hành động cải tiến."))
                return redirect("improvement:action", pk=action.pk)
        form.mark_invalid()
        status = concurrency.CONFLICT_STATUS if conflict else 400
    return render(
        request,
        "improvement/action.html",
        _action_context(request, action, form, conflict),
        status=status,
    )


def _action_context(request, action, form, conflict, note_form=None) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "action": action,
        "school": action.school,
        "form": form,
        "conflict": conflict,
        "may_edit": has_perm(request.user, "improvement.register", action),
        "may_note": has_perm(request.user, "improvement.note", action),
        "overdue": rules.is_overdue(status=action.status, due=action.due, today=today),
        "notes": action.notes.prefetch_related("evidence"),
        "note_form": note_form
        or NoteForm(
            initial={"written_on": today}, evidence=selectors.school_evidence(school=action.school)
        ),
        "history_rows": audit.history_rows(action),
    }


@login_required
@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action(request, pk)
    if not has_perm(request.user, "improvement.note", action):
        raise PermissionDenied
    form = NoteForm(request.POST, evidence=selectors.school_evidence(school=action.school))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.note_add(
                user=request.user,
                action=action,
                text=data["text"],
                written_on=data["written_on"],
                evidence_ids=data["evidence"],
                status=data["status"],
            )
        except services.NotAllowed as exc:
            raise PermissionDenied from exc
        except services.Rejected as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi tiến độ."))
            return redirect("improvement:action", pk=action.pk)
    form.mark_invalid()
    edit_form = ActionForm(
        initial={
            **{k: getattr(action, k) for k in services.ACTION_FIELDS},
            "version": action.version,
        },
        targets=_target_choices(selectors.school_blockers(school=action.school), action.framework),
    )
    return render(
        request,
        "improvement/action.html",
        _action_context(request, action, edit_form, None, note_form=form),
        status=400,
    )


# ---------------------------------------------------------------------------------------------
# The managing unit: its schools' actions, and the analysis


@login_required
@require_GET
def unit_actions(request: HttpRequest, uid: str) -> HttpResponse:
    unit = get_unit_or_404(request.user, uid=uid)
    if not has_perm(request.user, "improvement.analyse", unit):
        raise PermissionDenied
    today = timezone.localdate()
    status = request.GET.get("status", "")
    if status not in {"", "overdue", *ActionStatus.values}:
        status = ""
    # 1,500 schools: one aggregate for the counts, one page of plain rows, links made once.
    counts = selectors.unit_action_counts(user=request.user, unit=unit, today=today, status=status)
    page = paging.page_of(request.GET.get("page"), counts["total"], PAGE_SIZE)
    rows = (
        selectors.unit_action_rows(
            user=request.user, unit=unit, today=today, status=status, start=page.start, end=page.end
        )
        if page.total
        else []
    )
    return render(
        request,
        "improvement/unit_actions.html",
        {
            "unit": unit,
            "rows": rows,
            "total": counts["total"],
            "overdue_count": counts["overdue"],
            "page": page,
            "query_string": paging.query_without_page(request.GET),
            "school_base": reverse("improvement:school", args=["x"])[:-2],
            "action_base": reverse("improvement:action", args=[0])[:-2],
            "overdue_label": _("Quá hạn"),
            "status": status,
            "statuses": ActionStatus.choices,
        },
    )


def _analysis(request: HttpRequest, uid: str):
    unit = get_unit_or_404(request.user, uid=uid)
    if not has_perm(request.user, "improvement.analyse", unit):
        raise PermissionDenied
    frameworks = selectors.analysable_frameworks(user=request.user, unit=unit)
    chosen = request.GET.get("framework", "")
    framework = next(
        (f for f in frameworks if f.code == chosen), frameworks[0] if frameworks else None
    )
    result = (
        selectors.unit_analysis(user=request.user, unit=unit, framework=framework)
        if framework
        else None
    )
    return unit, frameworks, framework, result


@login_required
@require_GET
def analysis_page(request: HttpRequest, uid: str) -> HttpResponse:
    unit, frameworks, framework, result = _analysis(request, uid)
    context: dict[str, Any] = {
        "unit": unit,
        "frameworks": frameworks,
        "framework": framework,
        "result": result,
    }
    if result is not None and framework is not None:
        ranked = result.ranked[:20]
        fw = framework.compiled()
        drill = request.GET.get("indicator", "")
        row = result.indicators.get(drill)
        names = selectors.school_names(result.schools)
        costs = selectors.unit_costs(
            user=request.user, unit=unit, framework=framework, result=result
        )
        context.update(
            {
                "ranked": [exports.ranked_row(fw, result, r, costs) for r in ranked],
                "criteria": exports.criterion_rows(result),
                "levels": [
                    (level, n, format_percent(n, result.school_count))
                    for level, n in result.level_counts.items()
                ],
                "drill": row,
                "drill_blocked": [names[k] for k in row.blocked if k in names] if row else [],
                "drill_lifts": (
                    [
                        (lv, [names[k] for k in keys if k in names])
                        for lv, keys in sorted(row.lifts.items())
                    ]
                    if row
                    else []
                ),
                "trend": exports.trend_rows(
                    selectors.unit_trend(user=request.user, unit=unit, framework=framework)
                ),
                "chart_data": exports.chart_data(fw, ranked),
            }
        )
    return render(request, "improvement/analysis.html", context)


@login_required
@require_GET
def analysis_xlsx(request: HttpRequest, uid: str) -> FileResponse:
    unit, _frameworks, framework, result = _analysis(request, uid)
    if framework is None or result is None:
        raise Http404("Chưa có đợt tự đánh giá nào để phân tích.")
    costs = selectors.unit_costs(user=request.user, unit=unit, framework=framework, result=result)
    names = selectors.school_names(result.schools)
    wb = exports.workbook(unit=unit, framework=framework, result=result, costs=costs, names=names)
    out = BytesIO()
    wb.save(out)
    out.seek(0)
    filename = f"phan-tich-chi-bao-{unit.uid}-{framework.code}-{dt.date.today().isoformat()}.xlsx"
    return FileResponse(out, as_attachment=True, filename=filename, content_type=exports.XLSX_MIME)
