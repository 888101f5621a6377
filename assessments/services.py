"""Writes for self-assessments. Every function is atomic, checks the user's rights
(assessments.access) and records each changed field in ChangeLog."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.text import nfc
from frameworks.models import Criterion, Indicator
from frameworks.selectors import framework_for

from . import access, levels
from .models import (
    Assessment,
    ChangeLog,
    CouncilMember,
    CouncilRole,
    CriterionSheet,
    GroupKind,
    ImprovementAction,
    IndicatorResult,
    MilestoneStatus,
    PlanMilestone,
    Snapshot,
    SnapshotKind,
    Status,
    WorkingGroup,
)

TEXT_FIELDS = ("strengths", "weaknesses")
ACTION_FIELDS = ("action", "responsible", "start", "end", "resources", "expected_evidence")
_YEAR_RE = re.compile(r"^(\d{4})-(\d{4})$")


class AssessmentError(Exception):
    """A rule of the procedure is broken; the message (Vietnamese) says which."""


class NotAllowed(AssessmentError):
    pass


class EditConflict(AssessmentError):
    def __init__(self, what: str = "") -> None:
        super().__init__(
            _(
                "%(what)s đã được người khác cập nhật trong lúc bạn sửa. Nội dung bạn gõ vẫn "
                "còn trong ô bên dưới: hãy mở trang ở thẻ khác để xem bản mới, chép lại phần "
                "cần giữ rồi lưu lại."
            )
            % {"what": what or _("Phiếu đánh giá")}
        )


class Locked(AssessmentError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "Báo cáo tự đánh giá đã nộp hoặc đã được chấp nhận nên chỉ xem được. Chỉ hiệu "
                "trưởng mở khóa được (kèm lý do)."
            )
        )


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _log(assessment, user, field_name, old, new, *, sheet=None, note="") -> ChangeLog:
    return ChangeLog(
        assessment=assessment,
        sheet=sheet,
        user=user if getattr(user, "is_authenticated", False) else None,
        field=field_name,
        old="" if old is None else str(old),
        new="" if new is None else str(new),
        note=note,
    )


def _touch(assessment: Assessment, *, bump: bool = False) -> None:
    now = timezone.now()
    updates: dict[str, Any] = {"last_activity_at": now, "updated_at": now}
    if bump:
        updates["version"] = F("version") + 1
    Assessment.objects.filter(pk=assessment.pk).update(**updates)
    assessment.last_activity_at = now


def _require_editable(assessment: Assessment) -> None:
    if not assessment.is_editable:
        raise Locked()


def validate_school_year(value: str) -> str:
    value = nfc(value).replace("–", "-").replace(" ", "")
    match = _YEAR_RE.match(value)
    if not match or int(match.group(2)) != int(match.group(1)) + 1:
        raise AssessmentError(
            _("Năm học “%(value)s” không đúng dạng, ví dụ 2025-2026.") % {"value": value}
        )
    return value


def live_levels(assessment: Assessment) -> levels.LiveLevels:
    rows = [
        levels.Row(ident, met, sheet_id is None)
        for ident, met, sheet_id in IndicatorResult.objects.filter(
            assessment=assessment
        ).values_list("indicator__ident", "met", "sheet_id")
    ]
    return levels.evaluate(
        assessment.framework.compiled(), rows, version=assessment.framework_version
    )


def _refresh_levels(assessment: Assessment, sheet: CriterionSheet | None) -> levels.LiveLevels:
    """Recompute and cache the school level and the sheet's level/filled flag."""
    live = live_levels(assessment)
    Assessment.objects.filter(pk=assessment.pk).update(computed_level=live.school_level)
    assessment.computed_level = live.school_level
    if sheet is not None:
        sheet.level = live.criteria[sheet.criterion.code].level
        sheet.filled = not sheet.results.filter(met__isnull=True).exists()
        CriterionSheet.objects.filter(pk=sheet.pk).update(level=sheet.level, filled=sheet.filled)
    return live


# --------------------------------------------------------------------------------------------
# Start
# --------------------------------------------------------------------------------------------


@dataclass
class StartResult:
    assessment: Assessment
    carried: list[str] = field(default_factory=list)
    not_carried: list[str] = field(default_factory=list)
    evidence_items: int = 0
    evidence_citations: int = 0


@transaction.atomic
def assessment_start(
    *, user, school, school_year: str, on_date: dt.date, copy_previous: bool = False
) -> StartResult:
    """Open a cycle: the framework in force for the school's kind on `on_date`, one sheet per
    criterion, one undecided result per indicator. With `copy_previous`, the texts and
    improvement plans of the latest earlier cycle are carried over criterion by criterion when
    both cycles use the same framework family; what cannot be carried is listed."""
    if not access.is_school_editor(user, school):
        raise NotAllowed(_("Chỉ hiệu trưởng hoặc cán bộ của trường được mở đợt tự đánh giá."))
    school_year = validate_school_year(school_year)
    choice = framework_for(school.kind, on_date)
    if choice is None:
        raise AssessmentError(
            _("Chưa có bộ tiêu chuẩn áp dụng cho trường %(kind)s vào ngày %(day)s.")
            % {"kind": school.get_kind_display(), "day": on_date.strftime("%d/%m/%Y")}
        )
    if Assessment.objects.filter(school=school, school_year=school_year).exists():
        raise AssessmentError(
            _("Trường đã có đợt tự đánh giá năm học %(year)s.") % {"year": school_year}
        )
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                school=school,
                school_year=school_year,
                framework=choice.framework,
                framework_version=choice.version.code,
                started_on=on_date,
                created_by=user,
                last_activity_at=timezone.now(),
            )
    except IntegrityError as exc:  # created by someone else a moment ago
        raise AssessmentError(
            _("Trường đã có đợt tự đánh giá năm học %(year)s.") % {"year": school_year}
        ) from exc
    criteria = list(Criterion.objects.filter(framework=choice.framework).order_by("position"))
    sheets = CriterionSheet.objects.bulk_create(
        [CriterionSheet(assessment=assessment, criterion=c) for c in criteria]
    )
    sheet_by_criterion = {s.criterion_id: s for s in sheets}
    IndicatorResult.objects.bulk_create(
        [
            IndicatorResult(
                assessment=assessment,
                sheet=sheet_by_criterion.get(ind.criterion_id),
                indicator=ind,
            )
            for ind in Indicator.objects.filter(framework=choice.framework)
        ]
    )
    result = StartResult(assessment)
    log = [_log(assessment, user, "status", "", Status.DRAFT, note=_("Mở đợt tự đánh giá"))]
    if copy_previous:
        _copy_previous(user, assessment, sheets, result, log)
    ChangeLog.objects.bulk_create(log)
    _refresh_levels(assessment, None)
    return result


def _copy_previous(user, assessment, sheets, result: StartResult, log: list[ChangeLog]) -> None:
    previous = (
        Assessment.objects.filter(school=assessment.school, school_year__lt=assessment.school_year)
        .select_related("framework")
        .order_by("-school_year")
        .first()
    )
    if previous is None:
        result.not_carried.append(_("Không có đợt tự đánh giá trước để sao chép."))
        return
    assessment.copied_from = previous
    Assessment.objects.filter(pk=assessment.pk).update(copied_from=previous)
    same_family = previous.framework.family == assessment.framework.family
    old_sheets = {
        s.criterion.code: s
        for s in previous.sheets.select_related("criterion").prefetch_related("actions")
    }
    for sheet in sheets:
        code = sheet.criterion.code
        old = old_sheets.pop(code, None)
        if old is None:
            continue
        if not same_family:
            continue
        sheet.current_state = dict(old.current_state)
        sheet.strengths, sheet.weaknesses = old.strengths, old.weaknesses
        sheet.save(update_fields=["current_state", "strengths", "weaknesses"])
        ImprovementAction.objects.bulk_create(
            [
                ImprovementAction(
                    sheet=sheet, **{f: getattr(a, f) for f in ACTION_FIELDS}, position=a.position
                )
                for a in old.actions.all()
            ]
        )
        result.carried.append(code)
        log.append(
            _log(
                assessment,
                user,
                "copy",
                "",
                previous.school_year,
                sheet=sheet,
                note=_("Sao chép từ đợt %(year)s") % {"year": previous.school_year},
            )
        )
    _carry_evidence(user, previous, assessment, sheets, same_family, result)
    if not same_family:
        result.not_carried.append(
            _(
                "Đợt %(year)s theo %(old)s, đợt này theo %(new)s: các tiêu chí khác nhau nên "
                "không sao chép nội dung; hãy dùng đợt cũ làm tài liệu tham khảo."
            )
            % {
                "year": previous.school_year,
                "old": previous.framework.code,
                "new": assessment.framework.code,
            }
        )
    else:
        for code in old_sheets:
            result.not_carried.append(
                _("Tiêu chí %(code)s của đợt %(year)s không còn trong bộ tiêu chuẩn mới.")
                % {"code": code, "year": previous.school_year}
            )


def _carry_evidence(user, previous, assessment, sheets, same_family, result: StartResult) -> None:
    """The evidence register follows the texts: every item is carried (re-coded when the
    framework's codes differ) and, where the texts were copied, so are the citations and the
    codes written in the texts."""
    from evidence import codes
    from evidence import services as evidence_services

    carry = evidence_services.evidence_carry_over(
        user=user, source=previous, target=assessment, with_citations=same_family
    )
    result.evidence_items = carry.items
    result.evidence_citations = carry.citations
    result.not_carried.extend(carry.not_carried)
    if carry.items and not same_family:
        result.not_carried.append(
            _(
                "Đã chuyển %(n)d minh chứng sang danh mục mới (mã theo %(fw)s) nhưng chưa trích "
                "dẫn vào tiêu chí nào: hãy trích dẫn lại khi viết phiếu đánh giá."
            )
            % {"n": carry.items, "fw": assessment.framework.code}
        )
    changed = {old: new for old, new in carry.mapping.items() if old != new}
    if not (changed and same_family):
        return
    old_style = codes.style_from_data(previous.framework.data)
    new_style = codes.style_from_data(assessment.framework.data)
    for sheet in sheets:
        if sheet.criterion.code not in result.carried:
            continue
        sheet.current_state = {
            k: codes.rewrite_codes(v, old_style, new_style, changed)
            for k, v in sheet.current_state.items()
        }
        for name in TEXT_FIELDS:
            setattr(
                sheet,
                name,
                codes.rewrite_codes(getattr(sheet, name), old_style, new_style, changed),
            )
        sheet.save(update_fields=["current_state", *TEXT_FIELDS])


# --------------------------------------------------------------------------------------------
# Council and groups
# --------------------------------------------------------------------------------------------

# Used only when a framework file carries no `council` block. UNCERTAIN for the 2026 family.
COUNCIL_RULE_FALLBACK: dict[str, dict[str, Any]] = {
    "2018": {
        "min_members": 7,
        "odd_members": False,
        "exactly_one_roles": [],
        "certainty": "uncertain",
    },
    "2026": {
        "min_members": 5,
        "odd_members": True,
        "exactly_one_roles": ["chu_tich", "thu_ky"],
        "certainty": "uncertain",
    },
}


def council_rule(assessment: Assessment) -> dict[str, Any]:
    data = assessment.framework.data or {}
    rule = data.get("council")
    if rule:
        return rule
    return COUNCIL_RULE_FALLBACK.get(assessment.framework.family, {"min_members": 0})


def council_warnings(assessment: Assessment) -> list[str]:
    """What is wrong with the council under the framework's rule (empty list = fine)."""
    rule = council_rule(assessment)
    members = list(assessment.council_members.all())
    count = len(members)
    warnings: list[str] = []
    minimum = rule.get("min_members") or 0
    if count < minimum:
        warnings.append(
            _("Hội đồng tự đánh giá cần ít nhất %(min)d thành viên (hiện có %(n)d).")
            % {"min": minimum, "n": count}
        )
    if rule.get("odd_members") and count % 2 == 0:
        warnings.append(_("Số thành viên hội đồng phải là số lẻ (hiện có %(n)d).") % {"n": count})
    labels = dict(CouncilRole.choices)
    for role in rule.get("exactly_one_roles", []):
        n = sum(1 for m in members if m.role == role)
        if n != 1:
            warnings.append(
                _("Hội đồng phải có đúng một %(role)s (hiện có %(n)d).")
                % {"role": str(labels.get(role, role)).lower(), "n": n}
            )
    if not any(m.role == CouncilRole.CHAIR for m in members) and "chu_tich" not in rule.get(
        "exactly_one_roles", []
    ):
        warnings.append(_("Hội đồng chưa có chủ tịch."))
    return warnings


def _require_manager(user, assessment: Assessment) -> None:
    if not access.can_manage(user, assessment):
        raise NotAllowed(_("Chỉ hiệu trưởng hoặc cán bộ của trường được sửa hội đồng."))
    _require_editable(assessment)


@transaction.atomic
def council_member_add(*, user, assessment: Assessment, data: dict[str, Any]) -> CouncilMember:
    _require_manager(user, assessment)
    member = CouncilMember.objects.create(
        assessment=assessment,
        full_name=nfc(data["full_name"]),
        title=nfc(data.get("title", "")),
        role=data.get("role") or CouncilRole.MEMBER,
        user=data.get("user"),
        group=data.get("group"),
        position=assessment.council_members.count(),
    )
    _log(assessment, user, "council", "", str(member)).save()
    _touch(assessment)
    return member


@transaction.atomic
def council_member_remove(*, user, member: CouncilMember) -> None:
    assessment = member.assessment
    _require_manager(user, assessment)
    _log(assessment, user, "council", str(member), "").save()
    member.delete()
    _touch(assessment)


@transaction.atomic
def working_group_create(
    *,
    user,
    assessment: Assessment,
    name: str,
    kind: str = GroupKind.WORKING,
    criteria: list[Criterion] | None = None,
) -> WorkingGroup:
    _require_manager(user, assessment)
    group = WorkingGroup.objects.create(
        assessment=assessment, name=nfc(name), kind=kind, position=assessment.groups.count()
    )
    if criteria:
        _check_criteria(assessment, criteria)
        group.criteria.set(criteria)
    _log(
        assessment, user, "group", "", f"{group.name}: " + ", ".join(c.code for c in criteria or [])
    ).save()
    _touch(assessment)
    return group


@transaction.atomic
def working_group_assign(*, user, group: WorkingGroup, criteria: list[Criterion]) -> None:
    assessment = group.assessment
    _require_manager(user, assessment)
    _check_criteria(assessment, criteria)
    old = ", ".join(c.code for c in group.criteria.order_by("position"))
    group.criteria.set(criteria)
    new = ", ".join(c.code for c in sorted(criteria, key=lambda c: c.position))
    if old != new:
        _log(assessment, user, f"group:{group.name}", old, new).save()
    _touch(assessment)


@transaction.atomic
def sheet_assign(*, user, sheet: CriterionSheet, assignee) -> None:
    assessment = sheet.assessment
    _require_manager(user, assessment)
    old = sheet.assigned_to
    sheet.assigned_to = assignee
    sheet.save(update_fields=["assigned_to"])
    _log(assessment, user, "assigned_to", old or "", assignee or "", sheet=sheet).save()
    _touch(assessment)


@transaction.atomic
def milestone_add(
    *, user, assessment: Assessment, activity: str, due: dt.date | None, status: str
) -> PlanMilestone:
    _require_manager(user, assessment)
    milestone = PlanMilestone.objects.create(
        assessment=assessment,
        activity=nfc(activity),
        due=due,
        status=status,
        position=assessment.milestones.count(),
    )
    _log(assessment, user, "plan", "", f"{milestone.activity} ({due or '—'})").save()
    _touch(assessment)
    return milestone


@transaction.atomic
def milestone_set_status(*, user, milestone: PlanMilestone, status: str) -> None:
    assessment = milestone.assessment
    _require_manager(user, assessment)
    if milestone.status != status:
        _log(
            assessment,
            user,
            f"plan:{milestone.activity}",
            milestone.get_status_display(),
            dict(MilestoneStatus.choices)[status],
        ).save()
        milestone.status = status
        milestone.save(update_fields=["status"])
        _touch(assessment)


def _check_criteria(assessment: Assessment, criteria: list[Criterion]) -> None:
    wrong = [c.code for c in criteria if c.framework_id != assessment.framework_id]
    if wrong:
        raise AssessmentError(
            _("Tiêu chí không thuộc bộ tiêu chuẩn của đợt này: %(codes)s.")
            % {"codes": ", ".join(wrong)}
        )


# --------------------------------------------------------------------------------------------
# Criterion sheets
# --------------------------------------------------------------------------------------------


def _require_sheet_editor(user, sheet: CriterionSheet) -> None:
    _require_editable(sheet.assessment)
    if not access.can_edit_sheet(user, sheet):
        raise NotAllowed(
            _(
                "Bạn không được phân công tiêu chí %(code)s; chỉ người hoặc nhóm được phân "
                "công và hiệu trưởng được sửa."
            )
            % {"code": sheet.criterion.code}
        )


def _clean_state(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): nfc(v) for k, v in value.items() if nfc(v)}


def _clean_actions(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        clean = {
            f: (nfc(row.get(f)) if f not in ("start", "end") else row.get(f)) for f in ACTION_FIELDS
        }
        if not clean["action"]:
            continue
        if clean["start"] and clean["end"] and clean["end"] < clean["start"]:
            raise AssessmentError(
                _("Kế hoạch cải tiến “%(action)s”: ngày kết thúc trước ngày bắt đầu.")
                % {"action": clean["action"][:60]}
            )
        out.append(clean)
    return out


def _actions_text(rows: list[dict[str, Any]]) -> str:
    lines = []
    for n, row in enumerate(rows, 1):
        period = "–".join(d.strftime("%d/%m/%Y") for d in (row["start"], row["end"]) if d)
        bits = [
            row["action"],
            row["responsible"],
            period,
            row["resources"],
            row["expected_evidence"],
        ]
        lines.append(f"{n}. " + " | ".join(b for b in bits if b))
    return "\n".join(lines)


@transaction.atomic
def sheet_save(
    *, user, sheet: CriterionSheet, data: dict[str, Any], version: int
) -> CriterionSheet:
    """Save the texts and improvement plan of a sheet opened at `version`. If someone saved it
    since, nothing is written and EditConflict is raised (the view keeps what was typed).
    `data` keys (all optional): current_state {level: text}, strengths, weaknesses, actions."""
    locked = (
        CriterionSheet.objects.select_for_update(of=("self",))
        .select_related("assessment", "assessment__school", "assessment__school__unit", "criterion")
        .get(pk=sheet.pk)
    )
    _require_sheet_editor(user, locked)
    if locked.version != version:
        raise EditConflict(_("Tiêu chí %(code)s") % {"code": locked.criterion.code})
    changes: list[ChangeLog] = []
    assessment = locked.assessment
    if "current_state" in data:
        new_state = _clean_state(data["current_state"])
        for level in sorted(set(locked.current_state) | set(new_state)):
            old, new = locked.current_state.get(level, ""), new_state.get(level, "")
            if old != new:
                changes.append(
                    _log(assessment, user, f"current_state.{level}", old, new, sheet=locked)
                )
        locked.current_state = new_state
    for name in TEXT_FIELDS:
        if name in data:
            new = nfc(data[name])
            if new != getattr(locked, name):
                changes.append(
                    _log(assessment, user, name, getattr(locked, name), new, sheet=locked)
                )
                setattr(locked, name, new)
    if "actions" in data:
        rows = _clean_actions(data["actions"])
        old_rows = [{f: getattr(a, f) for f in ACTION_FIELDS} for a in locked.actions.all()]
        if rows != old_rows:
            changes.append(
                _log(
                    assessment,
                    user,
                    "actions",
                    _actions_text(old_rows),
                    _actions_text(rows),
                    sheet=locked,
                )
            )
            locked.actions.all().delete()
            ImprovementAction.objects.bulk_create(
                [ImprovementAction(sheet=locked, position=n, **row) for n, row in enumerate(rows)]
            )
    if changes:
        locked.version += 1
        locked.updated_by = user
        locked.save(
            update_fields=[
                "current_state",
                "strengths",
                "weaknesses",
                "version",
                "updated_by",
                "updated_at",
            ]
        )
        ChangeLog.objects.bulk_create(changes)
        _touch(assessment)
    return locked


@transaction.atomic
def indicator_set(*, user, result: IndicatorResult, met: bool | None) -> levels.LiveLevels:
    """Record met / not met / undecided for one indicator; returns the new live levels. A
    single toggle is not version-checked (last click wins) but every click is logged."""
    result = (
        IndicatorResult.objects.select_for_update(of=("self",))
        .select_related(
            "assessment",
            "assessment__school",
            "assessment__school__unit",
            "assessment__framework",
            "sheet",
            "sheet__criterion",
            "indicator",
        )
        .get(pk=result.pk)
    )
    assessment = result.assessment
    if result.sheet is not None:
        result.sheet.assessment = assessment
        _require_sheet_editor(user, result.sheet)
    else:
        _require_editable(assessment)
        if not access.is_principal(user, assessment.school):
            raise NotAllowed(_("Chỉ hiệu trưởng đánh giá các yêu cầu Mức 4 toàn trường."))
    if result.met != met:
        _log(
            assessment,
            user,
            f"indicator:{result.indicator.ident}",
            _met_text(result.met),
            _met_text(met),
            sheet=result.sheet,
        ).save()
        result.met = met
        result.save(update_fields=["met"])
        _touch(assessment)
    return _refresh_levels(assessment, result.sheet)


def _met_text(met: bool | None) -> str:
    return {True: "Đạt", False: "Không đạt", None: "Chưa đánh giá"}[met]


# --------------------------------------------------------------------------------------------
# Workflow
# --------------------------------------------------------------------------------------------


def snapshot_content(assessment: Assessment) -> dict[str, Any]:
    """Everything the council vouches for, in a stable order (no timestamps, so the same state
    always gives the same hash)."""
    live = live_levels(assessment)
    sheets = []
    for sheet in assessment.sheets.select_related("criterion").prefetch_related(
        "actions", "results__indicator"
    ):
        sheets.append(
            {
                "criterion": sheet.criterion.code,
                "level": live.criteria[sheet.criterion.code].level,
                "indicators": {
                    r.indicator.ident: r.met
                    for r in sorted(sheet.results.all(), key=lambda r: r.indicator.position)
                },
                "current_state": dict(sorted(sheet.current_state.items())),
                "strengths": sheet.strengths,
                "weaknesses": sheet.weaknesses,
                "actions": [
                    {
                        f: (
                            getattr(a, f).isoformat()
                            if isinstance(getattr(a, f), dt.date)
                            else getattr(a, f)
                        )
                        for f in ACTION_FIELDS
                    }
                    for a in sheet.actions.all()
                ],
            }
        )
    level4 = {
        r.indicator.ident: r.met
        for r in assessment.indicator_results.filter(sheet__isnull=True)
        .select_related("indicator")
        .order_by("indicator__position")
    }
    return {
        "school": assessment.school.code,
        "school_name": assessment.school.name,
        "school_year": assessment.school_year,
        "framework": assessment.framework.code,
        "framework_version": assessment.framework_version,
        "framework_data_hash": assessment.framework.data_hash,
        "school_level": live.school_level,
        "council": [
            {
                "full_name": m.full_name,
                "title": m.title,
                "role": m.role,
                "group": m.group.name if m.group else "",
            }
            for m in assessment.council_members.select_related("group")
        ],
        "groups": [
            {
                "name": g.name,
                "kind": g.kind,
                "criteria": [c.code for c in g.criteria.order_by("position")],
            }
            for g in assessment.groups.all()
        ],
        "level4": level4,
        "sheets": sheets,
    }


def content_hash(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _snapshot(user, assessment: Assessment, kind: str) -> Snapshot:
    content = snapshot_content(assessment)
    return Snapshot.objects.create(
        assessment=assessment,
        created_by=user,
        kind=kind,
        content=content,
        sha256=content_hash(content),
    )


def _lock_row(assessment: Assessment) -> Assessment:
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("school", "school__unit", "framework")
        .get(pk=assessment.pk)
    )


def _transition(assessment, user, new_status, *, locked: bool, note: str = "") -> None:
    old = assessment.status
    assessment.status = new_status
    assessment.locked = locked
    assessment.version += 1
    assessment.save(update_fields=["status", "locked", "version", "return_reason", "updated_at"])
    _log(assessment, user, "status", old, new_status, note=note).save()
    _touch(assessment)


@transaction.atomic
def assessment_submit(*, user, assessment: Assessment) -> Snapshot:
    """Draft or returned → submitted: read-only for everyone, immutable snapshot with hash."""
    assessment = _lock_row(assessment)
    if not access.is_principal(user, assessment.school):
        raise NotAllowed(_("Chỉ hiệu trưởng nộp báo cáo tự đánh giá."))
    if not assessment.is_editable:
        raise AssessmentError(_("Chỉ nộp được báo cáo đang thực hiện hoặc bị trả lại."))
    was_returned = assessment.status == Status.RETURNED
    _transition(
        assessment,
        user,
        Status.SUBMITTED,
        locked=True,
        note=_("Nộp lại") if was_returned else _("Nộp"),
    )
    return _snapshot(user, assessment, SnapshotKind.SUBMIT)


assessment_resubmit = assessment_submit


@transaction.atomic
def assessment_return(*, user, assessment: Assessment, reason: str) -> Assessment:
    assessment = _lock_row(assessment)
    if not access.is_managing_officer(user, assessment.school):
        raise NotAllowed(_("Chỉ cán bộ đơn vị quản lý trường được trả lại báo cáo."))
    if assessment.status != Status.SUBMITTED:
        raise AssessmentError(_("Chỉ trả lại được báo cáo đã nộp."))
    reason = nfc(reason)
    if not reason:
        raise AssessmentError(_("Hãy ghi lý do trả lại để nhà trường biết cần sửa gì."))
    assessment.return_reason = reason
    _transition(assessment, user, Status.RETURNED, locked=False, note=reason)
    return assessment


@transaction.atomic
def assessment_accept(*, user, assessment: Assessment) -> Snapshot:
    assessment = _lock_row(assessment)
    if not access.is_managing_officer(user, assessment.school):
        raise NotAllowed(_("Chỉ cán bộ đơn vị quản lý trường được chấp nhận báo cáo."))
    if assessment.status != Status.SUBMITTED:
        raise AssessmentError(_("Chỉ chấp nhận được báo cáo đã nộp."))
    assessment.return_reason = ""
    _transition(assessment, user, Status.ACCEPTED, locked=True)
    return _snapshot(user, assessment, SnapshotKind.ACCEPT)


@transaction.atomic
def assessment_unlock(*, user, assessment: Assessment, reason: str) -> Assessment:
    """Only the principal reopens a submitted or accepted assessment, and says why. The
    snapshots already taken stay as they were."""
    assessment = _lock_row(assessment)
    if not access.is_principal(user, assessment.school):
        raise NotAllowed(_("Chỉ hiệu trưởng được mở khóa báo cáo tự đánh giá."))
    if not assessment.locked:
        raise AssessmentError(_("Báo cáo đang không bị khóa."))
    reason = nfc(reason)
    if not reason:
        raise AssessmentError(_("Hãy ghi lý do mở khóa."))
    _transition(assessment, user, Status.DRAFT, locked=False, note=reason)
    return assessment
