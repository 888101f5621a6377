"""Pages of plans (plan vs actual), investment projects and monthly progress reports. Thin:
reads in selectors, writes in services. Outside the user's scope: 404."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import get_school_or_404, has_perm, schools_where, scope_for
from core import audit, concurrency
from core.models import AuditEvent
from frameworks.models import Framework
from programme import plans, selectors, services
from programme.forms import (
    ActivityForm,
    BootstrapForm,
    InvestmentForm,
    MonthlyReportForm,
    PlanForm,
    ReminderForm,
    SchoolTargetForm,
    UnitTargetForm,
)
from programme.models import (
    FundingSource,
    InvestmentCategory,
    InvestmentProject,
    MonthlyReport,
    PlanActivity,
    PlanSchoolTarget,
    PlanUnitTarget,
    ProgrammePlan,
    TargetKind,
)
from units.models import AdminUnit

STATE_LABELS = {
    plans.ACHIEVED: gettext_lazy("Đạt"),
    plans.MISSED: gettext_lazy("Không đạt"),
    plans.IN_PROGRESS: gettext_lazy("Đang thực hiện"),
    plans.PENDING: gettext_lazy("Chưa đến năm"),
    plans.NOT_MEASURED: gettext_lazy("Theo dõi qua báo cáo"),
}
MONTH_STATE_LABELS = {
    plans.SUBMITTED: gettext_lazy("Đã gửi"),
    plans.MISSING: gettext_lazy("Chưa gửi"),
    plans.DUE: gettext_lazy("Trong tháng"),
    plans.FUTURE: gettext_lazy("Chưa đến"),
}


def _require_scope(request: HttpRequest) -> None:
    if scope_for(request.user).is_empty:
        raise Http404


def _apply_errors(form, exc: services.Rejected) -> None:
    for field, msgs in exc.errors.items():
        for msg in msgs:
            form.add_error(field if field in form.fields else None, msg)
    form.mark_invalid()


# ---------------------------------------------------------------------------------------------
# Plans


@login_required
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    _require_scope(request)
    context = {
        "plans": selectors.plan_list(user=request.user),
        "can_add": has_perm(request.user, "plan.add"),
        "reminders": selectors.open_reminders(user=request.user),
    }
    return render(request, "programme/plan_list.html", context)


def _plan_form(request: HttpRequest, plan: ProgrammePlan | None) -> HttpResponse:
    units = list(selectors.plan_units_for_form(user=request.user))
    if plan is None and not units:
        raise Http404
    initial = {}
    if plan is not None:
        initial = {k: getattr(plan, k) for k in services.PLAN_FIELDS}
        initial["unit"] = plan.unit.uid
        initial["version"] = plan.version
        units = [plan.unit]
    form = PlanForm(request.POST or None, initial=initial, units=units)
    status, conflict = 200, None
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            unit = AdminUnit.objects.get(uid=data.pop("unit"))
            version = data.pop("version")
            try:
                saved = services.plan_save(
                    user=request.user, data=data, unit=unit, plan=plan, version=version
                )
            except services.NotAllowed as exc:
                raise Http404 from exc
            except services.Rejected as exc:
                _apply_errors(form, exc)
            except concurrency.EditConflict as exc:
                plan.refresh_from_db()
                conflict = concurrency.conflict_for(
                    form, plan, message=str(exc), stored={"unit": plan.unit.uid}
                )
            else:
                messages.success(request, _("Đã lưu kế hoạch."))
                return redirect("programme:plan", pk=saved.pk)
        form.mark_invalid()
        status = concurrency.CONFLICT_STATUS if conflict else 400
    context = {"form": form, "plan": plan, "conflict": conflict}
    return render(request, "programme/plan_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    return _plan_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    if not has_perm(request.user, "plan.edit", plan):
        raise PermissionDenied
    return _plan_form(request, plan)


def _target_forms(request: HttpRequest, plan: ProgrammePlan):
    schools = scope_for(request.user).schools().order_by("sort_key")[:2000]
    return (
        SchoolTargetForm(schools=schools, years=plan.years, prefix="t"),
        UnitTargetForm(prefix="u"),
    )


def _add_errors(form: BootstrapForm, exc: Exception) -> None:
    """A service's refusal shown where it belongs: beside the field it names, else above."""
    errors = getattr(exc, "errors", None) or {"": [str(exc)]}
    for name, msgs in errors.items():
        for msg in msgs:
            form.add_error(name if name in form.fields else None, msg)


def _plan_page(
    request: HttpRequest,
    plan: ProgrammePlan,
    *,
    failed: BootstrapForm | None = None,
) -> HttpResponse:
    """The plan's page; `failed` is a form just posted and refused (its errors and the values
    typed stay on the page, 400), the others are blank."""
    today = timezone.localdate()
    report = selectors.plan_report(user=request.user, plan=plan, today=today)
    can_manage = has_perm(request.user, "plan.edit", plan)
    labels = dict(TargetKind.choices)
    by_year: dict = {}
    for o in report.result.outcomes:
        by_year.setdefault(o.target.year, []).append(
            {
                "o": o,
                "school": report.school(o.target.school_id),
                "label": labels[o.target.kind],
                "state": STATE_LABELS[o.state],
            }
        )
    unplanned = [{"u": u, "school": report.school(u.school_id)} for u in report.result.unplanned]
    context = {
        "plan": plan,
        "history_rows": audit.history_rows(
            plan,
            related=[
                # Only the targets of schools the user sees, as in the table above.
                (
                    PlanSchoolTarget,
                    {
                        "plan_id": plan.pk,
                        "school_id__in": scope_for(request.user).schools().values("pk"),
                    },
                ),
                (PlanUnitTarget, {"plan_id": plan.pk}),
                (PlanActivity, {"plan_id": plan.pk}),
            ],
        ),
        "report": report,
        "outcomes_by_year": sorted(by_year.items(), key=lambda p: (p[0] is None, p[0] or 0)),
        "unit_targets": selectors.unit_target_report(user=request.user, plan=plan, today=today),
        "can_manage": can_manage,
        "unplanned": unplanned,
        "reminders": [
            r for r in selectors.open_reminders(user=request.user) if r.plan_id == plan.pk
        ],
        "today": today,
    }
    if can_manage:
        context["target_form"], context["unit_form"] = _target_forms(request, plan)
    context["activities"] = list(plan.activities.all())
    if has_perm(request.user, "activity.add", plan):
        context["activity_form"] = ActivityForm(prefix="a")
    if failed is not None:
        failed.mark_invalid()
        name = {
            ActivityForm: "activity_form",
            SchoolTargetForm: "target_form",
            UnitTargetForm: "unit_form",
        }[type(failed)]
        context[name] = failed
    return render(
        request, "programme/plan_detail.html", context, status=400 if failed is not None else 200
    )


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_page(request, selectors.plan_get(user=request.user, pk=pk))


@login_required
@require_POST
def plan_activity_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    if not has_perm(request.user, "activity.add", plan):
        raise PermissionDenied
    form = ActivityForm(request.POST, prefix="a")
    if form.is_valid():
        try:
            services.plan_activity_add(user=request.user, plan=plan, data=dict(form.cleaned_data))
        except services.Rejected as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi hoạt động."))
            return redirect("programme:plan", pk=plan.pk)
    return _plan_page(request, plan, failed=form)


@login_required
@require_POST
def plan_target_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    if not has_perm(request.user, "target.edit", plan):
        raise PermissionDenied
    schools = scope_for(request.user).schools().order_by("sort_key")[:2000]
    form = SchoolTargetForm(request.POST, schools=schools, years=plan.years, prefix="t")
    if form.is_valid():
        school = get_school_or_404(request.user, code=form.cleaned_data["school"])
        try:
            services.plan_target_add(
                user=request.user,
                plan=plan,
                school=school,
                year=form.cleaned_data["year"],
                target=form.cleaned_data["target"],
                note=form.cleaned_data["note"],
            )
        except services.NotAllowed as exc:
            raise Http404 from exc
        except services.Rejected as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm chỉ tiêu cho %(s)s.") % {"s": school.name})
            return redirect("programme:plan", pk=plan.pk)
    return _plan_page(request, plan, failed=form)


@login_required
@require_POST
def plan_unit_target_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    if not has_perm(request.user, "target.edit", plan):
        raise PermissionDenied
    form = UnitTargetForm(request.POST, prefix="u")
    if form.is_valid():
        try:
            services.plan_unit_target_add(
                user=request.user, plan=plan, data=dict(form.cleaned_data)
            )
        except services.Rejected as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm chỉ tiêu của đơn vị."))
            return redirect("programme:plan", pk=plan.pk)
    return _plan_page(request, plan, failed=form)


# ---------------------------------------------------------------------------------------------
# Monthly reports


def _parse_month(text: str) -> dt.date:
    try:
        year, month = (int(p) for p in text.split("-"))
        return dt.date(year, month, 1)
    except ValueError as exc:
        raise Http404 from exc


@login_required
@require_GET
def monthly_grid(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    if not plan.monthly_reports:
        raise Http404
    year = request.GET.get("year")
    overview = selectors.monthly_overview(
        user=request.user,
        plan=plan,
        today=timezone.localdate(),
        year=int(year) if year and year.isascii() and year.isdigit() and len(year) == 4 else None,
    )
    schools = {s.pk: s for s in overview.schools}
    rows = [
        {
            "school": schools[r.school_id],
            "missing": r.missing,
            "cells": [
                {
                    "month": m,
                    "state": state,
                    "report": overview.reports.get((r.school_id, m)),
                    "reminder": overview.reminders.get((r.school_id, m)),
                }
                for m, state in r.cells
            ],
        }
        for r in overview.grid.rows
    ]
    context = {
        "plan": plan,
        "overview": overview,
        "rows": rows,
        "month_totals": list(
            zip(overview.grid.months, overview.grid.missing_by_month, strict=True)
        ),
        "can_remind": has_perm(request.user, "plan.edit", plan),
    }
    return render(request, "programme/monthly_grid.html", context)


@login_required
@require_POST
def monthly_remind(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    if not has_perm(request.user, "plan.edit", plan):
        raise PermissionDenied
    form = ReminderForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Thiếu trường hoặc tháng cần nhắc.")
    school = get_school_or_404(request.user, code=form.cleaned_data["school"])
    month = form.cleaned_data["month"]
    try:
        services.reminder_send(
            user=request.user,
            plan=plan,
            school=school,
            month=month,
            message=form.cleaned_data["message"],
        )
    except services.NotAllowed as exc:
        raise Http404 from exc
    except services.Rejected as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Đã nhắc %(s)s gửi báo cáo tháng %(m)s.") % {"s": school.name, "m": f"{month:%m/%Y}"},
        )
    return redirect(f"{reverse('programme:monthly', args=[plan.pk])}?year={month.year}")


@login_required
@require_GET
def monthly_school(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    school = get_school_or_404(request.user, code=code)
    if not selectors.plan_expects_monthly(plan=plan, school=school):
        raise Http404
    context = {
        "plan": plan,
        "school": school,
        "months": selectors.school_months(plan=plan, school=school, today=timezone.localdate()),
        "can_submit": has_perm(request.user, "monthly.submit", school),
        "history_rows": audit.history_rows(
            None, related=[(MonthlyReport, {"plan_id": plan.pk, "school_id": school.pk})]
        ),
    }
    return render(request, "programme/monthly_school.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def monthly_submit(request: HttpRequest, pk: int, code: str, month: str) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    school = get_school_or_404(request.user, code=code)
    if not selectors.plan_expects_monthly(plan=plan, school=school):
        raise Http404
    if not has_perm(request.user, "monthly.submit", school):
        raise PermissionDenied
    first = _parse_month(month)
    existing = plan.monthly_reports_set.filter(school=school, month=first).first()
    initial = {"version": 0}
    if existing:
        initial = {k: getattr(existing, k) for k in ("progress", "results", "difficulties")}
        initial["version"] = existing.version
    form = MonthlyReportForm(request.POST or None, request.FILES or None, initial=initial)
    status, conflict = 200, None
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.monthly_report_submit(
                    user=request.user,
                    plan=plan,
                    school=school,
                    month=first,
                    data=data,
                    version=version,
                )
            except services.NotAllowed as exc:
                raise Http404 from exc
            except services.Rejected as exc:
                _apply_errors(form, exc)
            except concurrency.EditConflict as exc:
                existing = plan.monthly_reports_set.filter(school=school, month=first).first()
                conflict = concurrency.conflict_for(
                    form, existing or MonthlyReport(progress=""), message=str(exc)
                )
            else:
                messages.success(
                    request, _("Đã gửi báo cáo tháng %(m)s.") % {"m": f"{first:%m/%Y}"}
                )
                return redirect("programme:monthly_school", pk=plan.pk, code=school.code)
        form.mark_invalid()
        status = concurrency.CONFLICT_STATUS if conflict else 400
    context = {
        "plan": plan,
        "school": school,
        "month": first,
        "form": form,
        "conflict": conflict,
        "existing": existing,
        "file_lost": request.method == "POST" and bool(request.FILES),
    }
    return render(request, "programme/monthly_form.html", context, status=status)


@login_required
@require_GET
def monthly_file(request: HttpRequest, pk: int) -> FileResponse:
    report = selectors.report_for_download(user=request.user, pk=pk)
    if report is None:
        raise Http404("Không tìm thấy tệp trong phạm vi của bạn.")
    try:
        fh = report.attachment.open("rb")
    except (OSError, FileNotFoundError) as exc:
        raise Http404("Tệp không còn trên máy chủ.") from exc
    response = FileResponse(
        fh,
        as_attachment=True,
        filename=report.attachment_name or "bao-cao",
        content_type=report.attachment_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    audit.event_record(kind=AuditEvent.Kind.DOWNLOAD, request=request, obj=report)
    return response


# ---------------------------------------------------------------------------------------------
# Investment


@login_required
@require_GET
def investment_list(request: HttpRequest) -> HttpResponse:
    _require_scope(request)
    filters = selectors.InvestmentFilters.from_params(request.GET)
    totals = selectors.investment_summary(user=request.user, filters=filters)
    fmt = plans.format_million
    for group in totals.groups:
        group.subtotal_fmt = fmt(group.subtotal)
        for row in group.rows:
            row.total_fmt = fmt(row.total_million)
    context = {
        "construction_fmt": fmt(totals.construction_total),
        "equipment_fmt": fmt(totals.equipment_total),
        "grand_fmt": fmt(totals.grand_total),
        "filters": filters,
        "totals": totals,
        "sources": [
            (value, label, fmt(totals.by_source[value]))
            for value, label in FundingSource.choices
            if value in totals.by_source
        ],
        "categories": InvestmentCategory.choices,
        "source_choices": FundingSource.choices,
        "years": selectors.investment_years(user=request.user),
        "plans": selectors.plan_list(user=request.user),
        "can_add": has_perm(request.user, "investment.add"),
    }
    return render(request, "programme/investment_list.html", context)


def _investment_form(request: HttpRequest, project: InvestmentProject | None) -> HttpResponse:
    schools = list(
        schools_where(request.user, "investment.edit")
        .select_related("unit")
        .order_by("sort_key")[:2000]
    )
    if not schools:
        raise Http404
    plans_qs = list(selectors.plan_list(user=request.user))
    frameworks = list(Framework.objects.order_by("-effective_from", "code"))
    initial = {"year": timezone.localdate().year, "progress_percent": 0}
    if project is not None:
        initial = {k: getattr(project, k) for k in services.INVESTMENT_FIELDS}
        code = project.framework.code if project.framework else ""
        initial["framework"] = code
        initial["targets"] = [f"{code}:{i}" for i in (*project.criteria, *project.indicators)]
        initial["total_million"] = plans.format_million(project.total_million)
        initial["school"] = project.school.code if project.school else ""
        initial["plan"] = project.plan_id
        initial["version"] = project.version
    elif request.GET.get("school"):
        initial["school"] = request.GET["school"]
    form = InvestmentForm(
        request.POST or None,
        initial=initial,
        schools=schools,
        plans=plans_qs,
        frameworks=frameworks,
        targets=selectors.framework_target_choices(frameworks),
    )
    status, conflict = 200, None
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            school = get_school_or_404(request.user, code=data.pop("school"))
            plan_id, version = data.pop("plan"), data.pop("version")
            data["framework"] = next(
                (f for f in frameworks if f.code == data.pop("framework")), None
            )
            plan = next((p for p in plans_qs if p.pk == plan_id), None)
            try:
                saved = services.investment_save(
                    user=request.user,
                    data=data,
                    school=school,
                    plan=plan,
                    project=project,
                    version=version,
                )
            except services.NotAllowed as exc:
                raise Http404 from exc
            except services.Rejected as exc:
                _apply_errors(form, exc)
            except concurrency.EditConflict as exc:
                project.refresh_from_db()
                conflict = concurrency.conflict_for(
                    form,
                    project,
                    message=str(exc),
                    stored={
                        "school": project.school.code if project.school else "",
                        "plan": project.plan_id,
                        "total_million": plans.format_million(project.total_million),
                    },
                )
            else:
                messages.success(request, _("Đã lưu dự án «%(n)s».") % {"n": saved.name})
                return redirect("programme:investments")
        form.mark_invalid()
        status = concurrency.CONFLICT_STATUS if conflict else 400
    return render(
        request,
        "programme/investment_form.html",
        {
            "form": form,
            "project": project,
            "conflict": conflict,
            "history_rows": audit.history_rows(project) if project is not None else None,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def investment_create(request: HttpRequest) -> HttpResponse:
    _require_scope(request)
    return _investment_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def investment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.investment_get(user=request.user, pk=pk)
    if not has_perm(request.user, "investment.edit", project):
        # Seen (investment_get is scoped: 404 outside) but not theirs to change.
        raise PermissionDenied
    return _investment_form(request, project)
