"""Recognition register pages. Thin: scope via accounts.permissions, reads in selectors, writes in
services. Anything outside the user's scope is 404, never 403."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import get_school_or_404, get_unit_or_404, has_perm, scope_for
from core import audit, concurrency
from core.models import AuditEvent
from core.text import format_date_short, format_int
from recognition import rules, selectors, services
from recognition.checks import FIELDS
from recognition.forms import CorrectionForm, DecisionForm
from recognition.models import DecisionKind, RecognitionDecision
from schools.selectors import filter_communes, filter_provinces

PAGE_SIZE = 50
STATUS_PAGE_SIZE = 100
MAX_MONTHS = 120


def _require_scope(request: HttpRequest) -> None:
    # A user who may see no school has no register: the pages do not exist for them.
    if scope_for(request.user).is_empty:
        raise Http404


def _unit_params(request: HttpRequest) -> dict[str, str]:
    """province/commune filters, each checked to be inside the user's scope (else 404)."""
    out = {}
    for key in ("province", "commune"):
        uid = (request.GET.get(key) or "").strip()
        if uid:
            get_unit_or_404(request.user, uid=uid)
            out[key] = uid
    return out


def _unit_context(request: HttpRequest, units: dict[str, str]) -> dict:
    return {
        "provinces": filter_provinces(user=request.user),
        "communes": filter_communes(user=request.user, province_uid=units.get("province", "")),
        "unit_params": units,
        "can_record": has_perm(request.user, "recognition.import"),
    }


def _query_string(params: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode({k: v for k, v in params.items() if v})


@login_required
@require_GET
def register_list(request: HttpRequest) -> HttpResponse:
    _require_scope(request)
    filters = selectors.RegisterFilters.from_params(request.GET)
    _unit_params(request)
    qs = selectors.decision_list(user=request.user, filters=filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "query_string": _query_string(filters.as_params()),
        "kinds": DecisionKind.choices,
        "years": selectors.decision_years(user=request.user),
        "total_fmt": format_int(page.paginator.count),
        "tab": "register",
        **_unit_context(request, {"province": filters.province, "commune": filters.commune}),
    }
    return render(request, "programme/register_list.html", context)


@login_required
@require_GET
def school_register(request: HttpRequest, code: str) -> HttpResponse:
    school = get_school_or_404(request.user, code=code)
    decisions = selectors.school_decisions(school)
    today = timezone.localdate()
    status = rules.school_status(decisions, today)
    context = {
        "school": school,
        "decisions": list(reversed(decisions)),  # newest first on the timeline
        "status": status,
        "today": today,
        "can_record": has_perm(request.user, "recognition.record", school),
        "can_correct": has_perm(request.user, "recognition.correct", school),
        "cache_differs": school.standard_level != status.standard_level,
        "history_rows": audit.history_rows(
            None, related=[(RecognitionDecision, {"school_id": school.pk})]
        ),
    }
    return render(request, "programme/school_register.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def decision_create(request: HttpRequest, code: str) -> HttpResponse:
    school = get_school_or_404(request.user, code=code)
    if not has_perm(request.user, "recognition.record", school):
        raise PermissionDenied
    form = DecisionForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = {**form.cleaned_data}
            try:
                decision = services.recognition_record(user=request.user, school=school, data=data)
            except services.NotAllowed as exc:
                raise Http404 from exc
            except services.DecisionRejected as exc:
                for field, msgs in exc.errors.items():
                    for msg in msgs:
                        form.add_error(field if field in form.fields else None, msg)
            else:
                messages.success(
                    request,
                    _("Đã ghi quyết định số %(number)s cho %(school)s.")
                    % {"number": decision.number, "school": school.name},
                )
                return redirect("programme:school", code=school.code)
        status = 400
        form.mark_invalid()
    context = {
        "school": school,
        "form": form,
        "status": rules.school_status(selectors.school_decisions(school), timezone.localdate()),
        "file_lost": request.method == "POST" and bool(request.FILES),
    }
    return render(request, "programme/decision_form.html", context, status=status)


def _decision_or_404(school, pk: int) -> RecognitionDecision:
    decision = RecognitionDecision.objects.filter(school=school, pk=pk).first()
    if decision is None:
        raise Http404("Không tìm thấy quyết định trong sổ của trường.")
    return decision


@login_required
@require_http_methods(["GET", "POST"])
def decision_correct(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Đính chính: the recorded decision's fields with a reason kept in its history; the page
    shows the decision's history of corrections. Stale: 409 with the typed values kept."""
    school = get_school_or_404(request.user, code=code)
    decision = _decision_or_404(school, pk)
    if not has_perm(request.user, "recognition.correct", decision):
        raise PermissionDenied
    initial = {key: getattr(decision, key) for key in FIELDS}
    form = CorrectionForm(request.POST or None, initial={**initial, "version": decision.version})
    status, conflict = 200, None
    if request.method == "POST":
        if form.is_valid():
            data = {**form.cleaned_data}
            reason, version = data.pop("reason"), data.pop("version")
            try:
                decision = services.recognition_correct(
                    user=request.user, decision=decision, data=data, reason=reason, version=version
                )
            except services.NotAllowed as exc:
                raise PermissionDenied from exc
            except concurrency.EditConflict as exc:
                decision.refresh_from_db()
                conflict = concurrency.conflict_for(form, decision, message=str(exc))
                status = 409
            except services.DecisionRejected as exc:
                for field, msgs in exc.errors.items():
                    for msg in msgs:
                        form.add_error(field if field in form.fields else None, msg)
            else:
                messages.success(
                    request,
                    _("Đã đính chính quyết định số %(number)s của %(school)s.")
                    % {"number": decision.number, "school": school.name},
                )
                return redirect("programme:school", code=school.code)
        status = status if status != 200 else 400
        form.mark_invalid()
    context = {
        "school": school,
        "decision": decision,
        "form": form,
        "conflict": conflict,
        "history_rows": audit.history_rows(decision),
    }
    return render(request, "programme/decision_correct.html", context, status=status)


@login_required
@require_GET
def decision_file(request: HttpRequest, pk: int) -> FileResponse:
    decision = selectors.decision_for_download(user=request.user, pk=pk)
    if decision is None:
        raise Http404("Không tìm thấy tệp trong phạm vi của bạn.")
    try:
        fh = decision.scan.open("rb")
    except (OSError, FileNotFoundError) as exc:
        raise Http404("Tệp không còn trên máy chủ.") from exc
    response = FileResponse(
        fh,
        as_attachment=request.GET.get("download") == "1",
        filename=decision.scan_name or "quyet-dinh",
        content_type=decision.scan_type or "application/octet-stream",
    )
    # A scan is private: no shared cache may keep it.
    response["Cache-Control"] = "private, no-store"
    audit.event_record(kind=AuditEvent.Kind.DOWNLOAD, request=request, obj=decision)
    return response


def _months(request: HttpRequest) -> int:
    try:
        months = int(request.GET.get("months") or rules.DEFAULT_EXPIRING_MONTHS)
    except ValueError:
        months = rules.DEFAULT_EXPIRING_MONTHS
    return max(1, min(MAX_MONTHS, months))


@dataclass
class StatusRow:
    """One line of a status list, formatted in Python: a page of 100 lines renders several
    times faster than with per-cell template filters, url tags and translations."""

    url: str
    name: str
    code: str
    unit_name: str
    decision: str
    level: str
    valid_until: str
    deadline: str
    deadline_passed: bool
    accreditation: str


def _status_page(request: HttpRequest, qs, context: dict) -> HttpResponse:
    """Render a page of decisions (or of schools, for "not standard") with the renewal deadline
    and the accreditation level in force."""
    page = Paginator(qs, STATUS_PAGE_SIZE).get_page(request.GET.get("page"))
    today = context.setdefault("today", timezone.localdate())
    items = list(page.object_list)
    schools = [getattr(item, "school", item) for item in items]
    acc = selectors.accreditation_levels(on=today, school_ids=[s.pk for s in schools])
    url_pattern = reverse("programme:school", args=["__code__"])
    level_word, acc_word = _("Mức độ"), _("Cấp độ")
    revoked = context.get("tab") == "revoked"
    rows = []
    for item, school in zip(items, schools, strict=True):
        d = item if item is not school else None
        deadline = d.renewal_deadline if d is not None else None
        if revoked:
            level = _("Thu hồi")
        else:
            level = f"{level_word} {d.level}" if d is not None and d.level else "—"
        acc_level = acc.get(school.pk)
        rows.append(
            StatusRow(
                url=url_pattern.replace("__code__", quote(school.code)),
                name=school.name,
                code=school.code,
                unit_name=school.unit.name,
                decision=f"{d.number} ({format_date_short(d.signed_on)})" if d is not None else "—",
                level=level,
                valid_until=format_date_short(d.valid_until) if d and d.valid_until else "—",
                deadline=format_date_short(deadline) if deadline else "",
                deadline_passed=bool(deadline and deadline < today),
                accreditation=f"{acc_word} {acc_level}" if acc_level else "—",
            )
        )
    context["page"] = page
    context["rows"] = rows
    context["passed_label"] = _("đã qua")
    context["total_fmt"] = format_int(page.paginator.count)
    return render(request, "programme/status_list.html", context)


@login_required
@require_GET
def expiring_list(request: HttpRequest) -> HttpResponse:
    _require_scope(request)
    units = _unit_params(request)
    months = _months(request)
    today = timezone.localdate()
    qs = selectors.expiring(user=request.user, on=today, months=months, **units)
    context = {
        "tab": "expiring",
        "months": months,
        "until": rules.add_months(today, months),
        "today": today,
        "query_string": _query_string({**units, "months": str(months)}),
        **_unit_context(request, units),
    }
    return _status_page(request, qs, context)


@login_required
@require_GET
def expired_list(request: HttpRequest) -> HttpResponse:
    _require_scope(request)
    units = _unit_params(request)
    today = timezone.localdate()
    show_revoked = request.GET.get("revoked") == "1"
    if show_revoked:
        qs = selectors.revoked(user=request.user, on=today, **units)
    else:
        qs = selectors.expired(user=request.user, on=today, **units)
    context = {
        "tab": "revoked" if show_revoked else "expired",
        "today": today,
        "query_string": _query_string({**units, "revoked": "1" if show_revoked else ""}),
        **_unit_context(request, units),
    }
    return _status_page(request, qs, context)


@login_required
@require_GET
def level_list(request: HttpRequest) -> HttpResponse:
    _require_scope(request)
    units = _unit_params(request)
    today = timezone.localdate()
    level_text = request.GET.get("level") or "1"
    level = int(level_text) if level_text in {"0", "1", "2"} else 1
    counts = selectors.level_counts(user=request.user, on=today, **units)
    if level:
        qs = selectors.by_level(user=request.user, on=today, level=level, **units)
    else:
        qs = selectors.not_standard(user=request.user, on=today, **units)
    context = {
        "tab": "levels",
        "level": level,
        "counts": counts,
        "today": today,
        "query_string": _query_string({**units, "level": str(level)}),
        **_unit_context(request, units),
    }
    return _status_page(request, qs, context)


@login_required
@require_GET
def forecast_view(request: HttpRequest) -> HttpResponse:
    _require_scope(request)
    units = _unit_params(request)
    today = timezone.localdate()
    years = selectors.forecast(user=request.user, on=today, years=6, **units)
    peak = max((y.standard + y.accreditation for y in years), default=0) or 1
    context = {
        "tab": "forecast",
        "years": years,
        "peak": peak,
        "today": today,
        "totals": {
            "standard_1": sum(y.standard_1 for y in years),
            "standard_2": sum(y.standard_2 for y in years),
            "accreditation": sum(y.accreditation for y in years),
        },
        **_unit_context(request, units),
    }
    return render(request, "programme/forecast.html", context)


@login_required
@require_GET
def go_record(request: HttpRequest) -> HttpResponse:
    """From the register list's "record" box: a school code typed → that school's form."""
    code = (request.GET.get("code") or "").strip()
    return redirect("programme:record", code=code) if code else redirect("programme:register")
