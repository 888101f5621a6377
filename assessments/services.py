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
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import StandardOf, has_perm, may_be_assigned
from core import audit, concurrency
from core.text import nfc
from frameworks import codes
from frameworks.models import Criterion, Indicator, Standard
from frameworks.selectors import framework_for

from . import levels, signals
from .changelog import assessment_touch as _touch
from .changelog import change_log_row as _log
from .documents import checks
from .documents import data as sa_data
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
    RequirementText,
    Snapshot,
    SnapshotKind,
    StandardReview,
    Status,
    WorkingGroup,
)
from .register import evidence_register
from .selectors import (
    ACTION_FIELDS,
    REVIEW_FIELDS,
    live_levels,
    requirement_text_for,
    snapshot_content,
)

TEXT_FIELDS = ("strengths", "weaknesses")
ACTION_TEXT_FIELDS = ("action", "resources", "expected_evidence")
_YEAR_RE = re.compile(r"^(\d{4})-(\d{4})$")


class AssessmentError(Exception):
    """A rule of the procedure is broken; the message (Vietnamese) says which."""


class NotAllowed(AssessmentError):
    pass


class EditConflict(AssessmentError, concurrency.EditConflict):
    def __init__(self, what: str = "") -> None:
        super().__init__(
            _(
                "%(what)s đã được người khác cập nhật trong lúc bạn sửa. Nội dung bạn gõ vẫn "
                "còn trong ô bên dưới: hãy mở trang ở thẻ khác để xem bản mới, chép lại phần "
                "cần giữ rồi lưu lại."
            )
            % {"what": what or _("Phiếu đánh giá")}
        )


class NotReady(AssessmentError):
    """The pre-print checks stop the submission (or were not acknowledged)."""


def submission_checks(assessment: Assessment) -> tuple[list, list]:
    """(blocking, to acknowledge) of the pre-print checks, for "Nộp báo cáo"."""
    found = checks.findings(sa_data.load(assessment))
    return checks.submission_problems(found)


class StaleIndicators(EditConflict):
    """A met / not-met click made on a page older than the decisions stored."""

    def __init__(self, what: str = "") -> None:
        AssessmentError.__init__(
            self,
            _(
                "Không lưu lựa chọn vừa bấm: %(what)s đã được người khác cập nhật sau khi bạn "
                "mở trang. Trang đã hiện lại đánh giá hiện tại; hãy xem lại rồi chọn lại nếu "
                "vẫn cần."
            )
            % {"what": what or _("các chỉ báo")},
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


def _require_editable(assessment: Assessment) -> None:
    if not assessment.is_editable:
        raise Locked()


def _require_editable_now(assessment: Assessment) -> None:
    """The lock as stored now (row locked until the end of the transaction), not as it was
    when the caller loaded the assessment: a submit in between must win."""
    status, locked = (
        Assessment.objects.select_for_update()
        .filter(pk=assessment.pk)
        .values_list("status", "locked")
        .get()
    )
    assessment.status, assessment.locked = status, locked
    _require_editable(assessment)


def _person(user) -> str:
    if user is None:
        return ""
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return f"{full} ({user.username})" if full else user.username


def validate_school_year(value: str) -> str:
    value = nfc(value).replace("–", "-").replace(" ", "")
    match = _YEAR_RE.match(value)
    if not match or int(match.group(2)) != int(match.group(1)) + 1:
        raise AssessmentError(
            _("Năm học “%(value)s” không đúng dạng, ví dụ 2025-2026.") % {"value": value}
        )
    return value


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
    carried: list[str] = field(default_factory=list)  # criteria whose texts were copied
    carried_standards: list[str] = field(default_factory=list)
    not_carried: list[str] = field(default_factory=list)
    evidence_items: int = 0
    evidence_citations: int = 0


@transaction.atomic
def assessment_start(
    *, user, school, school_year: str, on_date: dt.date, copy_previous: bool = False
) -> StartResult:
    """Open a cycle: the framework in force for the school's kind on `on_date`, one sheet per
    criterion, one undecided result per indicator, one blank per-standard text. With
    `copy_previous`, the latest earlier cycle's texts, improvement plans, evidence register and
    citations are carried over (see _copy_previous); what cannot be carried is listed."""
    if not has_perm(user, "assessment.start", school):
        raise NotAllowed(_("Chỉ hiệu trưởng của trường được mở đợt tự đánh giá."))
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
    criteria = list(
        Criterion.objects.filter(framework=choice.framework)
        .select_related("standard")
        .order_by("position")
    )
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
    reviews = StandardReview.objects.bulk_create(
        [
            StandardReview(assessment=assessment, standard=std)
            for std in Standard.objects.filter(framework=choice.framework).order_by("position")
        ]
    )
    # Audit (core.audit): the rows bulk_create wrote, with the user who opened the cycle.
    audit.bulk_history(sheets, user=user)
    audit.bulk_history(list(assessment.indicator_results.all()), user=user)
    audit.bulk_history(reviews, user=user)
    result = StartResult(assessment)
    log = [_log(assessment, user, "status", "", Status.DRAFT, note=_("Mở đợt tự đánh giá"))]
    if copy_previous:
        _copy_previous(user, assessment, sheets, reviews, result, log)
    ChangeLog.objects.bulk_create(log)
    _refresh_levels(assessment, None)
    return result


def _sheet_has_text(sheet: CriterionSheet, actions: list[ImprovementAction]) -> list[str]:
    """What a sheet holds, in words, for the list of what was not carried."""
    parts = []
    if any(v for v in sheet.current_state.values()):
        parts.append(_("hiện trạng"))
    if sheet.strengths:
        parts.append(_("điểm mạnh"))
    if sheet.weaknesses:
        parts.append(_("điểm yếu"))
    if actions:
        parts.append(_("kế hoạch cải tiến"))
    return parts


def _copy_previous(
    user,
    assessment: Assessment,
    sheets: list[CriterionSheet],
    reviews: list[StandardReview],
    result: StartResult,
    log: list[ChangeLog],
) -> None:
    """Carry the latest earlier cycle into the one just opened, criterion by criterion and
    standard by standard, matched by code — also across a change of framework (2018 → TT57),
    where the criteria sharing a code are carried and the others are listed:

    * the evidence register first (assessments.register, carried by the evidence app: every
      item whose criterion still exists, re-coded in the new style when needed, and the citations of the
      sheets whose criterion code exists in both);
    * then the texts (current state per level, strengths, weaknesses, improvement plan) and the
      per-standard texts, with the evidence codes written in them rewritten to the new codes
      (frameworks.codes.rewrite_codes);
    * and, in `result.not_carried`, every text, level, citation and item left behind, and every
      code still written in a carried text whose item could not follow."""
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
    audit.record_update(assessment, user=user)  # audit: update() bypasses save()
    year, new_fw = previous.school_year, assessment.framework.code
    same_family = previous.framework.family == assessment.framework.family

    carry = evidence_register().carry_over(user=user, source=previous, target=assessment)
    result.evidence_items = carry.items
    result.evidence_citations = carry.citations
    old_style = codes.style_from_data(previous.framework.data)
    new_style = codes.style_from_data(assessment.framework.data)
    changed = {old: new for old, new in carry.mapping.items() if old != new}

    def recode(text: str) -> str:
        return codes.rewrite_codes(text, old_style, new_style, changed) if changed else text

    lost_codes = list(carry.dropped)
    leftovers: dict[str, set[str]] = {}  # where: codes of items that did not follow

    def check_leftovers(where: str, texts: list[str]) -> None:
        if lost_codes:
            found = codes.codes_in(" ".join(texts), old_style, lost_codes)
            if found:
                leftovers.setdefault(where, set()).update(found)

    levels_of: dict[int, set[str]] = {}
    for crit_id, level in (
        Indicator.objects.filter(framework=assessment.framework, criterion__isnull=False)
        .values_list("criterion_id", "level")
        .distinct()
    ):
        levels_of.setdefault(crit_id, set()).add(str(level))

    old_sheets = {
        s.criterion.code: s
        for s in previous.sheets.select_related("criterion").prefetch_related("actions")
    }
    note = _("Sao chép từ đợt %(year)s") % {"year": year}
    for sheet in sheets:
        code = sheet.criterion.code
        old = old_sheets.pop(code, None)
        if old is None:
            continue
        actions = list(old.actions.all())
        if not _sheet_has_text(old, actions):
            continue
        allowed = levels_of.get(sheet.criterion_id, set())
        state = {}
        for level, text in sorted(old.current_state.items()):
            if not text:
                continue
            if level in allowed:
                state[level] = recode(text)
            else:
                result.not_carried.append(
                    _(
                        "Tiêu chí %(code)s: hiện trạng Mức %(level)s của đợt %(year)s không "
                        "sao chép vì tiêu chí %(code)s của %(fw)s không có Mức %(level)s."
                    )
                    % {"code": code, "level": level, "year": year, "fw": new_fw}
                )
        sheet.current_state = state
        sheet.strengths, sheet.weaknesses = recode(old.strengths), recode(old.weaknesses)
        sheet.save(update_fields=["current_state", "strengths", "weaknesses"])
        new_actions = []
        for a in actions:
            row = {f: getattr(a, f) for f in ACTION_FIELDS}
            for name in ACTION_TEXT_FIELDS:
                row[name] = recode(row[name])
            new_actions.append(ImprovementAction(sheet=sheet, position=a.position, **row))
        ImprovementAction.objects.bulk_create(new_actions)
        audit.bulk_history(new_actions, user=user)  # audit: bulk write
        check_leftovers(
            _("Tiêu chí %(code)s") % {"code": code},
            [*state.values(), sheet.strengths, sheet.weaknesses]
            + [getattr(a, n) for a in new_actions for n in ACTION_TEXT_FIELDS],
        )
        result.carried.append(code)
        log.append(_log(assessment, user, "copy", "", year, sheet=sheet, note=note))
    for code, old in old_sheets.items():
        parts = _sheet_has_text(old, list(old.actions.all()))
        if parts:
            result.not_carried.append(
                _(
                    "Tiêu chí %(code)s của đợt %(year)s (%(parts)s) không sao chép: %(fw)s "
                    "không có tiêu chí %(code)s."
                )
                % {"code": code, "year": year, "parts": ", ".join(parts), "fw": new_fw}
            )

    old_reviews = {r.standard.code: r for r in previous.standard_reviews.select_related("standard")}
    for review in reviews:
        old = old_reviews.pop(review.standard.code, None)
        if old is None or not any(getattr(old, f) for f in REVIEW_FIELDS):
            continue
        for name in REVIEW_FIELDS:
            setattr(review, name, recode(getattr(old, name)))
        review.save(update_fields=list(REVIEW_FIELDS))
        check_leftovers(
            _("Tiêu chuẩn %(code)s") % {"code": review.standard.code},
            [getattr(review, f) for f in REVIEW_FIELDS],
        )
        result.carried_standards.append(review.standard.code)
        log.append(_log(assessment, user, f"standard:{review.standard.code}", "", year, note=note))
    for code, old in old_reviews.items():
        if any(getattr(old, f) for f in REVIEW_FIELDS):
            result.not_carried.append(
                _(
                    "Đánh giá chung Tiêu chuẩn %(code)s của đợt %(year)s không sao chép: "
                    "%(fw)s không có Tiêu chuẩn %(code)s."
                )
                % {"code": code, "year": year, "fw": new_fw}
            )

    result.not_carried.extend(carry.not_carried)
    for where, found in leftovers.items():
        result.not_carried.append(
            _(
                "%(where)s: nội dung đã chép còn ghi mã %(codes)s của minh chứng không chuyển "
                "sang được; hãy sửa lại."
            )
            % {
                "where": where,
                "codes": ", ".join(old_style.show(c) for c in sorted(found)),
            }
        )
    if not same_family:
        result.not_carried.insert(
            0,
            _(
                "Đợt %(year)s theo %(old)s, đợt này theo %(new)s: chỉ sao chép nội dung, minh "
                "chứng và trích dẫn của các tiêu chí, tiêu chuẩn có cùng mã ở hai bộ (mã minh "
                "chứng viết trong bài đã đổi sang kiểu mới). Tiêu chí cùng mã ở hai bộ có thể "
                "khác nội dung: hãy rà soát lại từng tiêu chí đã sao chép."
            )
            % {"year": year, "old": previous.framework.code, "new": new_fw},
        )


# --------------------------------------------------------------------------------------------
# Council and groups
# --------------------------------------------------------------------------------------------


def _require_manager(user, assessment: Assessment) -> None:
    if not has_perm(user, "assessment.manage", assessment):
        raise NotAllowed(
            _(
                "Chỉ hiệu trưởng, chủ tịch hoặc thư ký hội đồng tự đánh giá được sửa hội đồng, "
                "nhóm công tác, phân công và kế hoạch."
            )
        )
    _require_editable_now(assessment)


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
def working_group_assign(
    *, user, group: WorkingGroup, criteria: list[Criterion], version: int | None = None
) -> None:
    """Set the criteria a group holds. `version` is the group's version the page was read at:
    when someone changed the group since, EditConflict is raised and nothing is written (None:
    a server-side caller, no check). Choosing what is already stored is no conflict."""
    assessment = group.assessment
    _require_manager(user, assessment)
    _check_criteria(assessment, criteria)
    old = ", ".join(c.code for c in group.criteria.order_by("position"))
    new = ", ".join(c.code for c in sorted(criteria, key=lambda c: c.position))
    if old == new:
        return
    concurrency.version_claim(group, version)
    group.criteria.set(criteria)
    # The claim's update() and the many-to-many write bypass save(): one history row for both.
    audit.record_update(group, user=user)
    _log(assessment, user, f"group:{group.name}", old, new).save()
    _touch(assessment)


@transaction.atomic
def sheet_assign(*, user, sheet: CriterionSheet, assignee, version: int | None = None) -> None:
    """Give a criterion to one person (on top of any working group holding it), or take it
    back with `assignee=None`. Only a principal or staff member of the school can be given a
    criterion: nobody else could write the sheet. `version` is the sheet's
    `assignment_version` the page was read at (EditConflict when someone assigned since)."""
    assessment = sheet.assessment
    _require_manager(user, assessment)
    if assignee is not None and not may_be_assigned(assignee, assessment.school):
        raise AssessmentError(
            _(
                "Chỉ phân công tiêu chí cho hiệu trưởng hoặc cán bộ, giáo viên có tài khoản "
                "của trường."
            )
        )
    old = sheet.assigned_to
    if (old.pk if old else None) == (assignee.pk if assignee else None):
        return
    concurrency.version_claim(sheet, version, field="assignment_version", refresh=False)
    sheet.assigned_to = assignee
    sheet.save(update_fields=["assigned_to", "assignment_version"])
    _log(assessment, user, "assigned_to", _person(old), _person(assignee), sheet=sheet).save()
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
def milestone_set_status(
    *, user, milestone: PlanMilestone, status: str, version: int | None = None
) -> None:
    """`version` is the milestone's version the page was read at (EditConflict when someone
    changed it since; None: no check)."""
    assessment = milestone.assessment
    _require_manager(user, assessment)
    if status not in MilestoneStatus.values:
        raise AssessmentError(_("Tình trạng “%(value)s” không hợp lệ.") % {"value": status})
    # Compared with the stored status, not the caller's copy: a stale page choosing what is
    # saved now changes nothing.
    milestone.refresh_from_db(fields=["status", "version"])
    if milestone.status != status:
        concurrency.version_claim(milestone, version, refresh=False)
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
    if not has_perm(user, "sheet.edit", sheet):
        raise NotAllowed(
            _(
                "Bạn không được phân công tiêu chí %(code)s; chỉ người hoặc nhóm được phân "
                "công, hiệu trưởng, chủ tịch và thư ký hội đồng được sửa."
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
            new_actions = ImprovementAction.objects.bulk_create(
                [ImprovementAction(sheet=locked, position=n, **row) for n, row in enumerate(rows)]
            )
            audit.bulk_history(new_actions, user=user)  # audit: bulk write
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
def indicator_set(
    *, user, result: IndicatorResult, met: bool | None, version: int | None = None
) -> levels.LiveLevels:
    """Record met / not met / undecided for one indicator; returns the new live levels. Every
    change is logged.

    `version` is the decisions' version the click was made on: the sheet's
    `indicators_version`, or the assessment's `level4_version` for a school-wide Mức 4
    requirement. When someone changed a decision since, nothing is written and
    StaleIndicators is raised (the page then shows the current decisions). The pages always
    send it; None skips the check, for server-side callers acting on the stored state."""
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
    sheet = result.sheet
    if sheet is not None:
        sheet.assessment = assessment
        _require_sheet_editor(user, sheet)
        current = (
            CriterionSheet.objects.select_for_update()
            .filter(pk=sheet.pk)
            .values_list("indicators_version", flat=True)
            .get()
        )
        what = _("các chỉ báo của tiêu chí %(code)s") % {"code": sheet.criterion.code}
    else:
        _require_editable(assessment)
        if not has_perm(user, "level4.decide", assessment):
            raise NotAllowed(
                _(
                    "Chỉ hiệu trưởng, chủ tịch hoặc thư ký hội đồng đánh giá các yêu cầu Mức 4 "
                    "toàn trường."
                )
            )
        current = (
            Assessment.objects.select_for_update()
            .filter(pk=assessment.pk)
            .values_list("level4_version", flat=True)
            .get()
        )
        what = _("các yêu cầu Mức 4")
    if version is not None and version != current:
        raise StaleIndicators(what)
    if result.met != met:
        _log(
            assessment,
            user,
            f"indicator:{result.indicator.ident}",
            _met_text(result.met),
            _met_text(met),
            sheet=sheet,
        ).save()
        result.met = met
        result.save(update_fields=["met"])
        if sheet is not None:
            CriterionSheet.objects.filter(pk=sheet.pk).update(
                indicators_version=F("indicators_version") + 1
            )
        else:
            Assessment.objects.filter(pk=assessment.pk).update(
                level4_version=F("level4_version") + 1
            )
        _touch(assessment)
    return _refresh_levels(assessment, sheet)


def _met_text(met: bool | None) -> str:
    return {True: "Đạt", False: "Không đạt", None: "Chưa đánh giá"}[met]


# --------------------------------------------------------------------------------------------
# Per-standard texts
# --------------------------------------------------------------------------------------------


@transaction.atomic
def standard_review_save(
    *, user, assessment: Assessment, standard: Standard, data: dict[str, Any], version: int
) -> StandardReview:
    """Save the per-standard texts (StandardReview.TEXT_FIELDS keys of `data`, all optional)
    opened at `version`. Someone saved them since: EditConflict, nothing written. Managers and
    members assigned a criterion of the standard may write (the permission table's standard.edit)."""
    assessment = (
        Assessment.objects.select_related("school", "school__unit", "framework")
        .filter(pk=assessment.pk)
        .get()
    )
    if standard.framework_id != assessment.framework_id:
        raise AssessmentError(
            _("Tiêu chuẩn %(code)s không thuộc bộ tiêu chuẩn của đợt này.")
            % {"code": standard.code}
        )
    _require_editable(assessment)
    if not has_perm(user, "standard.edit", StandardOf(assessment, standard)):
        raise NotAllowed(
            _(
                "Bạn không được phân công tiêu chí nào của Tiêu chuẩn %(code)s; chỉ thành viên "
                "phụ trách tiêu chí của tiêu chuẩn, hiệu trưởng, chủ tịch và thư ký hội đồng "
                "được sửa."
            )
            % {"code": standard.code}
        )
    StandardReview.objects.get_or_create(assessment=assessment, standard=standard)
    review = (
        StandardReview.objects.select_for_update(of=("self",))
        .select_related("standard")
        .get(assessment=assessment, standard=standard)
    )
    if review.version != version:
        raise EditConflict(_("Đánh giá chung Tiêu chuẩn %(code)s") % {"code": standard.code})
    changes = []
    for name in REVIEW_FIELDS:
        if name not in data:
            continue
        new = nfc(data[name])
        old = getattr(review, name)
        if new != old:
            changes.append(_log(assessment, user, f"standard:{standard.code}.{name}", old, new))
            setattr(review, name, new)
    if changes:
        review.version += 1
        review.updated_by = user
        review.save(update_fields=[*REVIEW_FIELDS, "version", "updated_by", "updated_at"])
        ChangeLog.objects.bulk_create(changes)
        _touch(assessment)
    return review


# --------------------------------------------------------------------------------------------
# Workflow
# --------------------------------------------------------------------------------------------


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


@transaction.atomic
def requirement_text_save(
    *,
    user,
    assessment: Assessment,
    indicator: Indicator,
    text: str,
    source: str,
    for_everyone: bool = False,
    version: int | None,
) -> RequirementText:
    """Write the wording of a requirement the framework has no text for, copied from the
    official gazette: for the assessment's school, or (an administrator) for every school.
    `version` is the one the form was read at (0: no wording existed); a wording saved since
    is never overwritten."""
    if for_everyone:
        if not has_perm(user, "requirement_text.write_all"):
            raise NotAllowed(_("Chỉ quản trị hệ thống ghi văn bản dùng chung cho mọi trường."))
    elif not has_perm(user, "requirement_text.write", assessment):
        raise NotAllowed(_("Chỉ hiệu trưởng, chủ tịch hoặc thư ký hội đồng ghi văn bản này."))
    if indicator.framework_id != assessment.framework_id:
        raise AssessmentError(_("Yêu cầu này không thuộc bộ tiêu chuẩn của đợt tự đánh giá."))
    if indicator.text is not None:
        raise AssessmentError(_("Yêu cầu này đã có văn bản trong bộ tiêu chuẩn."))
    text, source = nfc(text).strip(), nfc(source).strip()
    if not text:
        raise AssessmentError(_("Hãy chép nguyên văn yêu cầu theo Công báo."))
    if not source:
        raise AssessmentError(_("Hãy ghi nguồn: Công báo số, ngày, trang."))
    school = None if for_everyone else assessment.school
    row = requirement_text_for(
        indicator_id=indicator.pk, school_id=assessment.school_id, for_everyone=for_everyone
    )
    if row is None:
        if version not in (None, 0):
            raise EditConflict(_("Văn bản yêu cầu"))
        try:
            with transaction.atomic():
                row = RequirementText.objects.create(
                    indicator=indicator, school=school, text=text, source=source, updated_by=user
                )
        except IntegrityError:  # written by someone else between the read and the insert
            raise EditConflict(_("Văn bản yêu cầu")) from None
        old = ""
    else:
        try:
            concurrency.version_claim(row, version)
        except concurrency.EditConflict:
            raise EditConflict(_("Văn bản yêu cầu")) from None
        old = row.text
        row.text, row.source, row.updated_by = text, source, user
        row.save(update_fields=["text", "source", "updated_by", "updated_at"])
    if old != text:
        _log(
            assessment,
            user,
            f"van_ban_yeu_cau.{indicator.ident}",
            old,
            text,
            note=_("Ghi theo Công báo cho mọi trường") if for_everyone else _("Ghi theo Công báo"),
        ).save()
    return row


def _lock_row(assessment: Assessment) -> Assessment:
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("school", "school__unit", "framework")
        .get(pk=assessment.pk)
    )


def _transition(assessment, user, new_status, *, locked: bool, note: str = "") -> None:
    old = assessment.status
    # The reason the user gave (return, reopen) goes with the history row of this save.
    assessment._change_reason = note or None
    assessment.status = new_status
    assessment.locked = locked
    assessment.version += 1
    assessment.save(update_fields=["status", "locked", "version", "return_reason", "updated_at"])
    _log(assessment, user, "status", old, new_status, note=note).save()
    _touch(assessment)


def _announce(signal, assessment: Assessment, user, **words: Any) -> None:
    """Tell the listeners (assessments.signals) inside the transaction of the change."""
    signal.send(
        sender=Assessment,
        assessment=assessment,
        school=assessment.school,
        actor=user,
        link=reverse("assessments:detail", args=[assessment.pk]),
        **words,
    )


@transaction.atomic
def assessment_submit(
    *, user, assessment: Assessment, acknowledged: bool | None = None
) -> Snapshot:
    """Draft or returned → submitted: read-only for everyone, immutable snapshot with hash.

    The pre-print checks decide whether it may go: a blocking one (a criterion not judged)
    refuses the submission, the warnings (evidence cited nowhere, a requirement text still to be
    written…) must have been `acknowledged` by the principal. `acknowledged=None` is a caller
    that showed no checks to anyone (a command, a script, the demo loader): the checks are not
    applied, as `version_claim(read=None)` writes whatever the version."""
    assessment = _lock_row(assessment)
    if not has_perm(user, "assessment.submit", assessment):
        raise NotAllowed(_("Chỉ hiệu trưởng nộp báo cáo tự đánh giá."))
    if not assessment.is_editable:
        raise AssessmentError(_("Chỉ nộp được báo cáo đang thực hiện hoặc bị trả lại."))
    if acknowledged is not None:
        blocking, warnings = submission_checks(assessment)
        if blocking:
            raise NotReady(
                _("Chưa nộp được: %(what)s") % {"what": " ".join(f.message for f in blocking)}
            )
        if warnings and not acknowledged:
            raise NotReady(
                _(
                    "Chưa nộp: hãy đọc %(n)s điều còn lưu ý trong danh sách kiểm tra và đánh "
                    "dấu xác nhận trước khi nộp."
                )
                % {"n": len(warnings)}
            )
    was_returned = assessment.status == Status.RETURNED
    _transition(
        assessment,
        user,
        Status.SUBMITTED,
        locked=True,
        note=_("Nộp lại") if was_returned else _("Nộp"),
    )
    snapshot = _snapshot(user, assessment, SnapshotKind.SUBMIT)
    _announce(signals.assessment_submitted, assessment, user, resubmitted=was_returned)
    return snapshot


assessment_resubmit = assessment_submit


@transaction.atomic
def assessment_return(*, user, assessment: Assessment, reason: str) -> Assessment:
    assessment = _lock_row(assessment)
    if not has_perm(user, "assessment.return", assessment):
        raise NotAllowed(_("Chỉ cán bộ đơn vị quản lý trường được trả lại báo cáo."))
    if assessment.status != Status.SUBMITTED:
        raise AssessmentError(_("Chỉ trả lại được báo cáo đã nộp."))
    reason = nfc(reason)
    if not reason:
        raise AssessmentError(_("Hãy ghi lý do trả lại để nhà trường biết cần sửa gì."))
    assessment.return_reason = reason
    _transition(assessment, user, Status.RETURNED, locked=False, note=reason)
    _announce(signals.assessment_returned, assessment, user, reason=reason)
    return assessment


@transaction.atomic
def assessment_accept(*, user, assessment: Assessment) -> Snapshot:
    assessment = _lock_row(assessment)
    if not has_perm(user, "assessment.accept", assessment):
        raise NotAllowed(_("Chỉ cán bộ đơn vị quản lý trường được chấp nhận báo cáo."))
    if assessment.status != Status.SUBMITTED:
        raise AssessmentError(_("Chỉ chấp nhận được báo cáo đã nộp."))
    assessment.return_reason = ""
    _transition(assessment, user, Status.ACCEPTED, locked=True)
    snapshot = _snapshot(user, assessment, SnapshotKind.ACCEPT)
    _announce(signals.assessment_accepted, assessment, user)
    return snapshot


@transaction.atomic
def assessment_unlock(*, user, assessment: Assessment, reason: str) -> Assessment:
    """The principal reopens a submitted assessment; an accepted one is reopened by the unit
    that manages the school (the permission table's assessment.reopen). Whoever reopens says
    why; the snapshots already taken stay as they were."""
    assessment = _lock_row(assessment)
    if not assessment.locked:
        raise AssessmentError(_("Báo cáo đang không bị khóa."))
    if not has_perm(user, "assessment.reopen", assessment):
        if assessment.status == Status.ACCEPTED:
            raise NotAllowed(
                _("Báo cáo đã được chấp nhận: chỉ đơn vị quản lý trường được mở khóa.")
            )
        raise NotAllowed(_("Chỉ hiệu trưởng được mở khóa báo cáo tự đánh giá."))
    reason = nfc(reason)
    if not reason:
        raise AssessmentError(_("Hãy ghi lý do mở khóa."))
    _transition(assessment, user, Status.DRAFT, locked=False, note=reason)
    return assessment
