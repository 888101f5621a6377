"""Self-assessment pages. Thin: scope and rights come from selectors/access, writes from services.
Every page first finds the assessment inside the user's scope, so an outsider gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import StandardOf, has_perm
from core import audit, concurrency
from core.page_cache import kept_page
from frameworks.models import Criterion, Indicator

from . import diff, history, overview_table, progress_table, selectors, services
from .forms import (
    CouncilMemberForm,
    GroupForm,
    MilestoneForm,
    ReasonForm,
    RequirementTextForm,
    SheetForm,
    StandardReviewForm,
    StartForm,
)
from .models import (
    CouncilMember,
    CriterionSheet,
    IndicatorResult,
    MilestoneStatus,
    PlanMilestone,
    Snapshot,
    Status,
    WorkingGroup,
)
from .register import evidence_register


def _rights(user, assessment) -> dict[str, bool]:
    manager = has_perm(user, "assessment.manage", assessment)
    submitted = assessment.status == Status.SUBMITTED
    return {
        "can_manage": manager and assessment.is_editable,
        "can_submit": has_perm(user, "assessment.submit", assessment) and assessment.is_editable,
        "can_unlock": has_perm(user, "assessment.reopen", assessment) and assessment.locked,
        "can_review": submitted
        and (
            has_perm(user, "assessment.accept", assessment)
            or has_perm(user, "assessment.return", assessment)
        ),
        "is_principal": has_perm(user, "assessment.submit", assessment),
        "can_write_text": has_perm(user, "requirement_text.write", assessment),
    }


def _level4_gate(live, results) -> dict:
    """The school-wide Mức 4 requirements are judged only once the school reaches the level
    below them: `level4_below` names it, `level4_considered` says whether it is reached."""
    level = results[0].indicator.level if results else 0
    return {
        "level4_below": max(level - 1, 0),
        "level4_considered": not results or live.school_level >= level - 1,
    }


def _version(value) -> int:
    """The optimistic-lock version a page sent; anything unreadable never matches."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _pk(value) -> int:
    """An id posted by a form; anything unreadable finds nothing (404), never a 500."""
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0


@login_required
def assessment_list(request):
    assessments = selectors.assessment_list(user=request.user)
    return render(
        request,
        "assessments/list.html",
        {
            "assessments": assessments,
            "can_start": selectors.startable_schools(user=request.user).exists(),
            "is_officer": has_perm(request.user, "assessment.progress"),
        },
    )


@login_required
def assessment_start(request):
    schools = selectors.startable_schools(user=request.user)
    if not schools.exists():
        raise Http404
    initial = {}
    if request.GET.get("school"):
        school = schools.filter(code=request.GET["school"]).first()
        if school is None:
            raise Http404
        initial["school"] = school
    form = StartForm(request.POST or None, schools=schools, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.assessment_start(
                user=request.user,
                school=form.cleaned_data["school"],
                school_year=form.cleaned_data["school_year"],
                on_date=form.cleaned_data["on_date"],
                copy_previous=form.cleaned_data["copy_previous"],
            )
        except services.AssessmentError as exc:
            form.add_error(None, str(exc))
        else:
            a = result.assessment
            messages.success(
                request,
                _("Đã mở đợt tự đánh giá %(year)s theo %(fw)s.")
                % {"year": a.school_year, "fw": a.framework.code},
            )
            if result.evidence_items:
                messages.info(
                    request,
                    _("Đã chuyển %(n)d minh chứng và %(c)d trích dẫn từ đợt trước.")
                    % {"n": result.evidence_items, "c": result.evidence_citations},
                )
            for line in result.not_carried:
                messages.warning(request, line)
            return redirect("assessments:detail", pk=a.pk)
    return render(request, "assessments/start.html", {"form": form})


@login_required
@kept_page
def assessment_detail(request, pk: int):
    assessment = selectors.assessment_get_or_404(user=request.user, pk=pk)
    live = selectors.live_levels(assessment)
    blocks = selectors.overview(assessment=assessment)
    written = selectors.written_standard_reviews(assessment=assessment)
    for block in blocks:
        block.review_written = block.standard.pk in written
        for sheet in block.sheets:
            sheet.live = live.criteria[sheet.criterion.code]
        block.rows_html = overview_table.criteria_rows(assessment, block.sheets)
    level4_rows = selectors.level4_results(assessment=assessment)
    context = {
        "assessment": assessment,
        "live": live,
        "blocks": blocks,
        "warnings": selectors.council_warnings(assessment),
        "council_rule": selectors.council_rule(assessment),
        "level4": level4_rows,
        # The list names each snapshot; its content (the whole report as JSON) is not read.
        "snapshots": assessment.snapshots.only("pk", "kind", "created_at", "sha256"),
        "events_html": overview_table.change_log(
            history.readable(selectors.assessment_history(assessment=assessment)[:20], assessment)
        ),
        "reason_form": ReasonForm(),
        "is_2018": assessment.framework.family == "2018",
        **_level4_gate(live, level4_rows),
        "other_cycles": selectors.other_cycles(assessment=assessment),
        **_rights(request.user, assessment),
    }
    # The submit dialog's pre-print checks read every document's data: they are loaded when
    # the dialog opens (submit_checks), not on every view of the page (issue 13 §8).
    return render(request, "assessments/detail.html", context)


@login_required
def submit_checks(request, pk: int):
    """The body of the "Nộp báo cáo" dialog: the open pre-print checks (blocking ones stop the
    submission, warnings are acknowledged) and the confirm form; asked by htmx when the dialog
    opens."""
    assessment = selectors.assessment_get_or_404(user=request.user, pk=pk)
    if not has_perm(request.user, "assessment.submit", assessment):
        raise PermissionDenied
    blocking, warnings = (
        services.submission_checks(assessment) if assessment.is_editable else ([], [])
    )
    context = {
        "assessment": assessment,
        "editable": assessment.is_editable,
        "locked_message": "" if assessment.is_editable else str(services.Locked()),
        "submit_blocking": blocking,
        "submit_warnings": warnings,
    }
    return render(request, "assessments/_submit_checks.html", context)


@login_required
def council(request, pk: int):
    assessment = selectors.assessment_get_or_404(user=request.user, pk=pk)
    rights = _rights(request.user, assessment)
    member_form = CouncilMemberForm(assessment=assessment, prefix="m")
    group_form = GroupForm(assessment=assessment, prefix="g")
    milestone_form = MilestoneForm(prefix="p")
    # A refused stale post: the other person's value shown, the user's choice kept in its row.
    conflict: concurrency.Conflict | None = None
    kept: dict = {}
    if request.method == "POST":
        if not has_perm(request.user, "assessment.manage", assessment):
            raise PermissionDenied
        op = request.POST.get("op")
        try:
            if op == "member":
                member_form = CouncilMemberForm(request.POST, assessment=assessment, prefix="m")
                if member_form.is_valid():
                    services.council_member_add(
                        user=request.user, assessment=assessment, data=member_form.cleaned_data
                    )
                    return redirect("assessments:council", pk=pk)
            elif op == "remove":
                member = get_object_or_404(
                    CouncilMember, pk=_pk(request.POST.get("member")), assessment=assessment
                )
                services.council_member_remove(user=request.user, member=member)
                return redirect("assessments:council", pk=pk)
            elif op == "group":
                group_form = GroupForm(request.POST, assessment=assessment, prefix="g")
                if group_form.is_valid():
                    services.working_group_create(
                        user=request.user,
                        assessment=assessment,
                        name=group_form.cleaned_data["name"],
                        kind=group_form.cleaned_data["kind"],
                        criteria=list(group_form.cleaned_data["criteria"]),
                    )
                    return redirect("assessments:council", pk=pk)
            elif op == "assign":
                group = get_object_or_404(
                    WorkingGroup, pk=_pk(request.POST.get("group")), assessment=assessment
                )
                criteria = Criterion.objects.filter(
                    framework=assessment.framework,
                    pk__in=[v for v in request.POST.getlist("criteria") if v.isdigit()],
                )
                try:
                    services.working_group_assign(
                        user=request.user,
                        group=group,
                        criteria=list(criteria),
                        version=concurrency.read_version(request.POST.get("version")),
                    )
                except concurrency.EditConflict as exc:
                    group.refresh_from_db()
                    stored = ", ".join(c.code for c in group.criteria.order_by("position"))
                    chosen = ", ".join(c.code for c in criteria.order_by("position"))
                    label = _("Tiêu chí của %(group)s") % {"group": group.name}
                    conflict = _council_conflict(exc, label, stored, chosen)
                    kept = {"group": group.pk, "criteria": {c.pk for c in criteria}}
                else:
                    return redirect("assessments:council", pk=pk)
            elif op == "assign_person":
                sheet = get_object_or_404(
                    CriterionSheet.objects.select_related("criterion", "assigned_to"),
                    pk=_pk(request.POST.get("sheet")),
                    assessment=assessment,
                )
                sheet.assessment = assessment
                assignee = None
                if request.POST.get("user"):
                    # Who may be given a criterion is the service's rule (school staff only).
                    assignee = get_object_or_404(get_user_model(), pk=_pk(request.POST.get("user")))
                try:
                    services.sheet_assign(
                        user=request.user,
                        sheet=sheet,
                        assignee=assignee,
                        version=concurrency.read_version(request.POST.get("version")),
                    )
                except concurrency.EditConflict as exc:
                    sheet.refresh_from_db()
                    label = _("Người phụ trách tiêu chí %(code)s") % {"code": sheet.criterion.code}
                    conflict = _council_conflict(
                        exc, label, _person_name(sheet.assigned_to), _person_name(assignee)
                    )
                    kept = {"sheet": sheet.pk, "user": assignee.pk if assignee else None}
                else:
                    messages.success(
                        request,
                        _("Đã phân công tiêu chí %(code)s cho %(who)s.")
                        % {"code": sheet.criterion.code, "who": assignee.username}
                        if assignee
                        else _("Đã bỏ phân công cá nhân của tiêu chí %(code)s.")
                        % {"code": sheet.criterion.code},
                    )
                    return redirect(f"{request.path}#assign-people")
            elif op == "milestone":
                milestone_form = MilestoneForm(request.POST, prefix="p")
                if milestone_form.is_valid():
                    services.milestone_add(
                        user=request.user, assessment=assessment, **milestone_form.cleaned_data
                    )
                    return redirect("assessments:council", pk=pk)
            elif op == "milestone_status":
                milestone = get_object_or_404(
                    PlanMilestone, pk=_pk(request.POST.get("milestone")), assessment=assessment
                )
                status = request.POST.get("status") or ""
                try:
                    services.milestone_set_status(
                        user=request.user,
                        milestone=milestone,
                        status=status,
                        version=concurrency.read_version(request.POST.get("version")),
                    )
                except concurrency.EditConflict as exc:
                    milestone.refresh_from_db()
                    label = _("Tình trạng của “%(activity)s”") % {"activity": milestone.activity}
                    conflict = _council_conflict(
                        exc,
                        label,
                        milestone.get_status_display(),
                        str(dict(MilestoneStatus.choices).get(status, status)),
                    )
                    kept = {"milestone": milestone.pk, "status": status}
                else:
                    return redirect("assessments:council", pk=pk)
        except services.AssessmentError as exc:
            messages.error(request, str(exc))
    groups = list(assessment.groups.prefetch_related("criteria", "members"))
    all_criteria = list(
        Criterion.objects.filter(framework=assessment.framework).order_by("position")
    )
    groups_of: dict[int, list[str]] = {}
    for group in groups:
        group.criterion_ids = {c.pk for c in group.criteria.all()}
        for criterion_id in group.criterion_ids:
            groups_of.setdefault(criterion_id, []).append(group.name)
    sheets = list(
        assessment.sheets.select_related("criterion", "assigned_to").order_by("criterion__position")
    )
    for sheet in sheets:
        sheet.group_names = groups_of.get(sheet.criterion_id, [])
    context = {
        "assessment": assessment,
        "members": assessment.council_members.select_related("user", "group"),
        "groups": groups,
        "all_criteria": all_criteria,
        "sheets": sheets,
        "assignable": list(selectors.assignable_users(assessment=assessment))
        if rights["can_manage"]
        else [],
        "milestones": assessment.milestones.all(),
        "warnings": selectors.council_warnings(assessment),
        "council_rule": selectors.council_rule(assessment),
        "member_form": member_form,
        "group_form": group_form,
        "milestone_form": milestone_form,
        "conflict": conflict,
        "kept": kept,
        **rights,
    }
    status = concurrency.CONFLICT_STATUS if conflict else 200
    return render(request, "assessments/council.html", context, status=status)


def _person_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def _council_conflict(
    exc: concurrency.EditConflict, label: str, stored: str, chosen: str
) -> concurrency.Conflict:
    """The council page's refusal: the one value the stale post would have overwritten, as
    saved now (the other person's) and as chosen on the page (kept, not saved)."""
    return concurrency.Conflict(
        message=str(exc), changes=[concurrency.FieldChange(label, stored, chosen)]
    )


def _sheet_context(request, assessment, sheet, form=None, live=None) -> dict:
    levels = selectors.sheet_levels(sheet=sheet)
    live = live or selectors.live_levels(assessment)
    can_edit = assessment.is_editable and has_perm(request.user, "sheet.edit", sheet)
    if form is None:
        initial = {
            "version": sheet.version,
            "strengths": sheet.strengths,
            "weaknesses": sheet.weaknesses,
        }
        initial.update(
            {f"state_{lv}": sheet.current_state.get(str(lv), "") for lv, _name, _rows in levels}
        )
        form = SheetForm(
            initial=initial,
            levels=[(lv, name) for lv, name, _r in levels],
            actions=sheet.actions.all(),
        )
    codes = list(assessment.framework.compiled().criterion_codes)
    index = codes.index(sheet.criterion.code)
    return {
        **evidence_register().sheet_context(sheet),
        "assessment": assessment,
        "sheet": sheet,
        "levels": levels,
        "live": live,
        "criterion_live": live.criteria[sheet.criterion.code],
        "form": form,
        "can_edit": can_edit,
        "previous_code": codes[index - 1] if index > 0 else None,
        "next_code": codes[index + 1] if index + 1 < len(codes) else None,
    }


@login_required
@kept_page
def sheet_detail(request, pk: int, code: str):
    assessment = selectors.assessment_get_or_404(user=request.user, pk=pk)
    sheet = selectors.sheet_get_or_404(assessment=assessment, code=code)
    form = conflict = None
    if request.method == "POST":
        # Autosave answers 403 itself, with the service's message as JSON.
        if not request.headers.get("X-Autosave") and not has_perm(
            request.user, "sheet.edit", sheet
        ):
            raise PermissionDenied
        levels = [(lv, name) for lv, name, _r in selectors.sheet_levels(sheet=sheet)]
        form = SheetForm(request.POST, levels=levels)
        if request.headers.get("X-Autosave"):
            return _autosave(
                form,
                lambda data: services.sheet_save(
                    user=request.user, sheet=sheet, data=data, version=data["version"]
                ),
            )
        if form.is_valid():
            try:
                services.sheet_save(
                    user=request.user,
                    sheet=sheet,
                    data=form.cleaned_data,
                    version=form.cleaned_data["version"],
                )
            except services.EditConflict as exc:
                sheet.refresh_from_db()
                stored = {f"state_{lv}": text for lv, text in sheet.current_state.items()}
                conflict = concurrency.conflict_for(
                    form, sheet, message=str(exc), stored=stored, fields=list(form.fields)
                )
            except services.AssessmentError as exc:
                # What the user typed stays in the form; nothing was written.
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Đã lưu tiêu chí %(code)s.") % {"code": code})
                return redirect("assessments:sheet", pk=pk, code=code)
    context = _sheet_context(request, assessment, sheet, form)
    context["conflict"] = conflict
    status = 409 if form is not None and form.errors and (request.htmx or conflict) else 200
    return render(request, "assessments/sheet.html", context, status=status)


def _autosave(form, save) -> JsonResponse:
    """A page's background save (static/js/sheet.js): JSON, and a status the script can tell
    apart — 409 when someone saved since the page was opened, 403 when the user may not write
    (any more), 400 for a value to correct. Nothing is written on any of them."""
    if not form.is_valid():
        errors = [str(e) for errs in form.errors.values() for e in errs]
        return JsonResponse({"error": " ".join(errors)}, status=400)
    try:
        saved = save(form.cleaned_data)
    except services.EditConflict as exc:
        return JsonResponse({"error": str(exc), "conflict": True}, status=409)
    except (services.NotAllowed, services.Locked) as exc:
        return JsonResponse({"error": str(exc)}, status=403)
    except services.AssessmentError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    at = timezone.localtime().strftime("%H:%M:%S")
    return JsonResponse(
        {
            "version": saved.version,
            "message": _("Đã tự động lưu lúc %(at)s.") % {"at": at},
        }
    )


def _met_choice(request) -> bool | None:
    return {"1": True, "0": False}.get(request.POST.get("met", ""), None)


def _set_indicator(request, result: IndicatorResult, version_field: str):
    """Apply one met / not-met click; returns the live levels and, when refused, the message
    and status (409 for a click made on an older page, 403 when not allowed)."""
    try:
        live = services.indicator_set(
            user=request.user,
            result=result,
            met=_met_choice(request),
            version=_version(request.POST.get(version_field)),
        )
    except services.StaleIndicators as exc:
        return None, str(exc), 409
    except services.AssessmentError as exc:
        return None, str(exc), 403
    return live, "", 200


@login_required
@require_POST
def indicator_set(request, pk: int, code: str, result_id: int):
    """One met / not-met click on a criterion sheet. The page sends the sheet's
    `indicators_version`; a click made on an older page is refused with 409 and the current
    decisions (the indicator list, swapped out of band) so the member sees what is stored."""
    assessment = selectors.assessment_get_or_404(user=request.user, pk=pk)
    sheet = selectors.sheet_get_or_404(assessment=assessment, code=code)
    result = get_object_or_404(IndicatorResult, pk=result_id, sheet=sheet)
    # htmx clicks get the 403 with the service's message in the swapped fragment.
    if not request.htmx and not has_perm(request.user, "sheet.edit", sheet):
        raise PermissionDenied
    live, error, status = _set_indicator(request, result, "indicators_version")
    if error:
        live = selectors.live_levels(assessment)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("assessments:sheet", pk=pk, code=code)
    sheet.refresh_from_db(fields=["indicators_version", "level", "filled"])
    context = {
        "assessment": assessment,
        "sheet": sheet,
        "live": live,
        "criterion_live": live.criteria[code],
        "error": error,
        "met_without_evidence": evidence_register().sheet_met_without_evidence(sheet),
        "can_edit": assessment.is_editable and has_perm(request.user, "sheet.edit", sheet),
        "stale": status == 409,
    }
    if status == 409:
        context["levels"] = selectors.sheet_levels(sheet=sheet)
    return render(request, "assessments/_indicator_response.html", context, status=status)


@login_required
def level4(request, pk: int):
    """The school-wide Mức 4 requirements of the 2018 frameworks: no criterion, no sheet,
    decided by the managers, with the school level live and the decisions' change log."""
    assessment = selectors.assessment_get_or_404(user=request.user, pk=pk)
    results = selectors.level4_results(assessment=assessment)
    if not results:
        raise Http404("Bộ tiêu chuẩn này không có yêu cầu Mức 4 toàn trường.")
    live = selectors.live_levels(assessment)
    context = {
        "assessment": assessment,
        "results": results,
        "live": live,
        **_level4_gate(live, results),
        "can_decide": assessment.is_editable
        and has_perm(request.user, "level4.decide", assessment),
        "can_write_text": has_perm(request.user, "requirement_text.write", assessment),
        "changes": history.readable(
            selectors.level4_history(assessment=assessment)[:50], assessment
        ),
    }
    return render(request, "assessments/level4.html", context)


@login_required
@require_POST
def level4_set(request, pk: int, result_id: int):
    assessment = selectors.assessment_get_or_404(user=request.user, pk=pk)
    result = get_object_or_404(
        IndicatorResult, pk=result_id, assessment=assessment, sheet__isnull=True
    )
    if not request.htmx and not has_perm(request.user, "level4.decide", assessment):
        raise PermissionDenied
    _, error, status = _set_indicator(request, result, "level4_version")
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("assessments:level4", pk=pk)
    assessment.refresh_from_db(fields=["level4_version", "computed_level"])
    context = {
        "assessment": assessment,
        "live": selectors.live_levels(assessment),
        "error": error,
        "stale": status == 409,
        "changes": history.readable(
            selectors.level4_history(assessment=assessment)[:50], assessment
        ),
        "can_decide": assessment.is_editable
        and has_perm(request.user, "level4.decide", assessment),
        "can_write_text": has_perm(request.user, "requirement_text.write", assessment),
    }
    if status == 409:
        context["results"] = selectors.level4_results(assessment=assessment)
    return render(request, "assessments/_level4_response.html", context, status=status)


@login_required
def requirement_text(request, pk: int, indicator_id: int):
    """Write the wording of a requirement the framework has no text for, from the official
    gazette: for the school (its managers), or — `?cho=moi-truong`, administrators — for every
    school. Until it is written, documents leave the line empty and the pre-print check points
    here."""
    assessment = selectors.assessment_get_or_404(user=request.user, pk=pk)
    indicator = get_object_or_404(
        Indicator, pk=indicator_id, framework_id=assessment.framework_id, text__isnull=True
    )
    for_everyone = request.GET.get("cho") == "moi-truong"
    action = "requirement_text.write_all" if for_everyone else "requirement_text.write"
    can_write = has_perm(request.user, action, None if for_everyone else assessment)
    row = selectors.requirement_text_for(
        indicator_id=indicator.pk, school_id=assessment.school_id, for_everyone=for_everyone
    )
    conflict = None
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        form = RequirementTextForm(request.POST)
        if form.is_valid():
            try:
                services.requirement_text_save(
                    user=request.user,
                    assessment=assessment,
                    indicator=indicator,
                    text=form.cleaned_data["text"],
                    source=form.cleaned_data["source"],
                    for_everyone=for_everyone,
                    version=form.cleaned_data["version"],
                )
            except services.EditConflict as exc:
                fresh = selectors.requirement_text_for(
                    indicator_id=indicator.pk,
                    school_id=assessment.school_id,
                    for_everyone=for_everyone,
                )
                conflict = concurrency.conflict_for(form, fresh, message=str(exc))
            except services.AssessmentError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Đã lưu văn bản yêu cầu theo Công báo."))
                target = "assessments:level4" if indicator.criterion_id is None else None
                if target:
                    return redirect(target, pk=pk)
                return redirect("assessments:sheet", pk=pk, code=indicator.criterion.code)
    else:
        form = RequirementTextForm(
            initial={
                "text": row.text if row else "",
                "source": row.source if row else "",
                "version": row.version if row else 0,
            }
        )
    if not can_write:
        for field in form.fields.values():
            field.disabled = True
    number = None
    if indicator.criterion_id is None:
        idents = list(
            Indicator.objects.filter(
                framework_id=assessment.framework_id, criterion__isnull=True
            ).values_list("pk", flat=True)
        )
        number = idents.index(indicator.pk) + 1
    context = {
        "assessment": assessment,
        "indicator": indicator,
        "number": number,
        "form": form,
        "row": row,
        "for_everyone": for_everyone,
        "can_write": can_write,
        "may_write_all": has_perm(request.user, "requirement_text.write_all"),
        "shared": None
        if for_everyone
        else selectors.requirement_text_for(
            indicator_id=indicator.pk, school_id=None, for_everyone=True
        ),
        "conflict": conflict,
    }
    status = concurrency.CONFLICT_STATUS if conflict else 200
    return render(request, "assessments/requirement_text.html", context, status=status)


@login_required
def standard_review(request, pk: int, code: str):
    """The per-standard texts (TT57: Đánh giá chung — strengths, weaknesses, causes, direction;
    2018: Mở đầu and Kết luận về Tiêu chuẩn n), with the same optimistic lock, autosave and
    change log as a criterion sheet."""
    assessment = selectors.assessment_get_or_404(user=request.user, pk=pk)
    standard = selectors.standard_get_or_404(assessment=assessment, code=code)
    review = selectors.standard_reviews(assessment=assessment)[standard.code]
    family = assessment.framework.family
    can_edit = assessment.is_editable and has_perm(
        request.user, "standard.edit", StandardOf(assessment, standard)
    )
    conflict = None
    if request.method == "POST":
        if not request.headers.get("X-Autosave") and not has_perm(
            request.user, "standard.edit", StandardOf(assessment, standard)
        ):
            raise PermissionDenied
        form = StandardReviewForm(request.POST, family=family)

        def save(data):
            return services.standard_review_save(
                user=request.user,
                assessment=assessment,
                standard=standard,
                data=data,
                version=data["version"],
            )

        if request.headers.get("X-Autosave"):
            return _autosave(form, save)
        if form.is_valid():
            try:
                save(form.cleaned_data)
            except services.EditConflict as exc:
                fresh = selectors.standard_reviews(assessment=assessment)[standard.code]
                conflict = concurrency.conflict_for(form, fresh, message=str(exc))
            except services.AssessmentError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, _("Đã lưu đánh giá chung Tiêu chuẩn %(c)s.") % {"c": standard.code}
                )
                return redirect("assessments:standard", pk=pk, code=standard.code)
    else:
        initial = {"version": review.version}
        initial.update({f: getattr(review, f) for f in services.REVIEW_FIELDS})
        form = StandardReviewForm(initial=initial, family=family)
    criteria = list(standard.criteria.order_by("position"))
    context = {
        "assessment": assessment,
        "standard": standard,
        "review": review,
        "form": form,
        "can_edit": can_edit,
        "criteria": criteria,
        "changes": history.readable(
            selectors.standard_review_history(assessment=assessment, code=standard.code)[:50],
            assessment,
        ),
        "conflict": conflict,
    }
    status = concurrency.CONFLICT_STATUS if conflict else 200
    return render(request, "assessments/standard.html", context, status=status)


@login_required
def assessment_record(request, pk: int):
    """The cycle's change history: its own page, and the fragment the cycle page loads when the
    reader scrolls to it (reading every history row on each visit of that busy page cost more
    than the rest of it)."""
    assessment = selectors.assessment_get_or_404(user=request.user, pk=pk)
    rows = audit.history_rows(
        assessment,
        related=[
            (model, {"assessment_id": assessment.pk})
            for model in (CouncilMember, WorkingGroup, PlanMilestone)
        ],
    )
    template = "core/_history.html" if request.htmx else "assessments/record.html"
    return render(request, template, {"assessment": assessment, "history_rows": rows})


@login_required
def sheet_history(request, pk: int, code: str):
    assessment = selectors.assessment_get_or_404(user=request.user, pk=pk)
    sheet = selectors.sheet_get_or_404(assessment=assessment, code=code)
    return render(
        request,
        "assessments/history.html",
        {
            "assessment": assessment,
            "sheet": sheet,
            "changes": history.readable(selectors.sheet_history(sheet=sheet), assessment),
        },
    )


@login_required
def snapshot_detail(request, pk: int, snapshot_id: int):
    assessment = selectors.assessment_get_or_404(user=request.user, pk=pk)
    snapshot = get_object_or_404(Snapshot, pk=snapshot_id, assessment=assessment)
    intact = services.content_hash(snapshot.content) == snapshot.sha256
    return render(
        request,
        "assessments/snapshot.html",
        {"assessment": assessment, "snapshot": snapshot, "intact": intact},
    )


def _render_comparison(request, assessment, old, new, *, old_label, new_label, extra=None):
    context = {
        "assessment": assessment,
        "comparison": diff.compare(old, new),
        "old_label": old_label,
        "new_label": new_label,
        **(extra or {}),
    }
    return render(request, "assessments/compare.html", context)


@login_required
def compare_snapshots(request, pk: int):
    """Two snapshots of one cycle (default: the two latest), e.g. what changed between the
    submission that was returned and the resubmission."""
    assessment = selectors.assessment_get_or_404(user=request.user, pk=pk)
    snapshots = list(assessment.snapshots.all())
    by_pk = {str(s.pk): s for s in snapshots}
    if len(snapshots) < 2:
        raise Http404("Cần ít nhất hai bản chụp để so sánh.")
    new = by_pk.get(request.GET.get("b", ""), snapshots[0])
    old = by_pk.get(request.GET.get("a", ""), snapshots[1])
    if old.created_at > new.created_at:
        old, new = new, old

    def label(s: Snapshot) -> str:
        return f"{s.get_kind_display()} {timezone.localtime(s.created_at):%d/%m/%Y %H:%M}"

    return _render_comparison(
        request,
        assessment,
        old.content,
        new.content,
        old_label=label(old),
        new_label=label(new),
        extra={"snapshots": snapshots, "old_snapshot": old, "new_snapshot": new},
    )


@login_required
def compare_cycles(request, pk: int, other_pk: int):
    """This cycle against another cycle of the same school, as they stand now."""
    assessment = selectors.assessment_get_or_404(user=request.user, pk=pk)
    other = selectors.assessment_get_or_404(user=request.user, pk=other_pk)
    if other.school_id != assessment.school_id or other.pk == assessment.pk:
        raise Http404("Chỉ so sánh được hai đợt của cùng một trường.")
    old, new = sorted([other, assessment], key=lambda a: a.school_year)
    return _render_comparison(
        request,
        assessment,
        selectors.snapshot_content(old),
        selectors.snapshot_content(new),
        old_label=_("Năm học %(y)s (%(fw)s)") % {"y": old.school_year, "fw": old.framework.code},
        new_label=_("Năm học %(y)s (%(fw)s)") % {"y": new.school_year, "fw": new.framework.code},
        extra={"cycles": True, "different_frameworks": old.framework_id != new.framework_id},
    )


WORKFLOW_ACTIONS = {
    "submit": "assessment.submit",
    "return": "assessment.return",
    "accept": "assessment.accept",
    "unlock": "assessment.reopen",
}


def _workflow(request, pk: int, action: str):
    assessment = selectors.assessment_get_or_404(user=request.user, pk=pk)
    if not has_perm(request.user, WORKFLOW_ACTIONS[action], assessment):
        # Inside the scope without the right: 403 (outside it was a 404 above).
        raise PermissionDenied
    reason = request.POST.get("reason", "")
    try:
        if action == "submit":
            services.assessment_submit(
                user=request.user,
                assessment=assessment,
                acknowledged=request.POST.get("acknowledge") == "1",
            )
            messages.success(request, _("Đã nộp báo cáo tự đánh giá; báo cáo chỉ còn xem được."))
        elif action == "return":
            services.assessment_return(user=request.user, assessment=assessment, reason=reason)
            messages.success(request, _("Đã trả lại báo cáo cho nhà trường."))
        elif action == "accept":
            services.assessment_accept(user=request.user, assessment=assessment)
            messages.success(request, _("Đã chấp nhận báo cáo tự đánh giá."))
        elif action == "unlock":
            services.assessment_unlock(user=request.user, assessment=assessment, reason=reason)
            messages.success(request, _("Đã mở khóa báo cáo."))
    except services.AssessmentError as exc:
        messages.error(request, str(exc))
    target = request.POST.get("next", "")
    if target == "progress":
        return redirect("assessments:progress")
    return redirect("assessments:detail", pk=pk)


@login_required
@require_POST
def assessment_submit(request, pk: int):
    return _workflow(request, pk, "submit")


@login_required
@require_POST
def assessment_return(request, pk: int):
    return _workflow(request, pk, "return")


@login_required
@require_POST
def assessment_accept(request, pk: int):
    return _workflow(request, pk, "accept")


@login_required
@require_POST
def assessment_unlock(request, pk: int):
    return _workflow(request, pk, "unlock")


@login_required
def progress(request):
    if not has_perm(request.user, "assessment.progress"):
        raise Http404
    year = request.GET.get("year", "")
    rows = selectors.progress(user=request.user, school_year=year or None)
    return render(
        request,
        "assessments/progress.html",
        {
            "rows": rows,
            # 1,500 rows: built in Python, see assessments.progress_table.
            "rows_html": progress_table.render_rows(rows, csrf_token=get_token(request)),
            "year": year,
            "years": selectors.school_years(user=request.user),
        },
    )
