"""Writes of improvement actions, progress notes and reviews; the monthly report drafted from
the actions. Each checks the right inside the transaction (accounts.permissions.has_perm),
validates with improvement.rules and writes nothing when refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.permissions import has_perm
from core.concurrency import version_claim
from evidence.models import Evidence
from frameworks.models import Framework
from improvement import rules
from improvement.models import ImprovementAction, ImprovementReview, ProgressNote
from programme import services as programme_services
from programme.models import MonthlyReport, ProgrammePlan
from schools.models import School


class NotAllowed(Exception):
    """Outside the user's rights: views answer 403/404."""


class Rejected(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(m for msgs in errors.values() for m in msgs))


ACTION_FIELDS = (
    "title",
    "responsible",
    "start",
    "due",
    "resources",
    "expected_evidence",
    "status",
    "drop_reason",
)


def _check(framework: Framework, data: dict[str, Any]) -> None:
    fw = framework.compiled()
    errors = rules.check_action(
        title=data.get("title") or "",
        responsible=data.get("responsible") or "",
        start=data.get("start"),
        due=data.get("due"),
        status=data.get("status") or rules.PLANNED,
        drop_reason=data.get("drop_reason") or "",
        indicators=data.get("indicators") or [],
        criteria=data.get("criteria") or [],
        known_indicators=fw.every_id,
        known_criteria=fw.criterion_codes,
        framework_label=f"bộ tiêu chuẩn {framework.short_title or framework.code}",
    )
    if errors:
        raise Rejected(errors)


@transaction.atomic
def action_register(
    *, user, school: School, framework: Framework, data: dict[str, Any]
) -> ImprovementAction:
    """Register one indicator/criterion (or several) the school will raise this year."""
    if not has_perm(user, "improvement.register", school):
        raise NotAllowed("Bạn không được đăng ký hành động cải tiến cho trường này.")
    _check(framework, data)
    action = ImprovementAction(
        school=school,
        framework=framework,
        year=data.get("year") or data["start"].year,
        indicators=sorted(set(data.get("indicators") or [])),
        criteria=sorted(set(data.get("criteria") or [])),
        created_by=user,
    )
    for key in ACTION_FIELDS:
        if key in data and data[key] is not None:
            setattr(action, key, data[key])
    if action.status == rules.DONE:
        action.done_on = timezone.localdate()
    action.save()
    return action


@transaction.atomic
def action_update(
    *, user, action: ImprovementAction, data: dict[str, Any], version: int | None
) -> ImprovementAction:
    """Edit an action read at `version` (core.concurrency: EditConflict otherwise)."""
    if not has_perm(user, "improvement.register", action):
        raise NotAllowed("Bạn không được sửa hành động cải tiến này.")
    merged = {
        "indicators": action.indicators,
        "criteria": action.criteria,
        **{k: getattr(action, k) for k in ACTION_FIELDS},
        **data,
    }
    _check(action.framework, merged)
    was = action.status
    action = version_claim(action, version)
    for key in (*ACTION_FIELDS, "indicators", "criteria"):
        if key in data and data[key] is not None:
            setattr(action, key, data[key])
    if action.status == rules.DONE and was != rules.DONE:
        action.done_on = timezone.localdate()
    elif action.status != rules.DONE:
        action.done_on = None
    if action.status != rules.DROPPED:
        action.drop_reason = ""
    action.save()
    return action


@transaction.atomic
def note_add(
    *,
    user,
    action: ImprovementAction,
    text: str,
    written_on: dt.date | None = None,
    evidence_ids: list[int] | None = None,
    status: str = "",
) -> ProgressNote:
    """A progress note, with evidence register items of the same school attached; it may move
    a planned action to in progress or done."""
    if not has_perm(user, "improvement.note", action):
        raise NotAllowed("Bạn không được ghi tiến độ hành động này.")
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if not text.strip():
        errors["text"] = ["Hãy ghi nội dung đã thực hiện."]
    written_on = written_on or today
    if written_on > today:
        errors["written_on"] = [f"Ngày ghi ({written_on:%d/%m/%Y}) chưa đến."]
    items = list(
        Evidence.objects.filter(pk__in=evidence_ids or [], assessment__school=action.school)
    )
    if len(items) != len(set(evidence_ids or [])):
        errors["evidence"] = ["Chỉ đính kèm được minh chứng trong danh mục của trường."]
    if status and status not in (rules.IN_PROGRESS, rules.DONE):
        errors["status"] = ["Trạng thái không hợp lệ."]
    if errors:
        raise Rejected(errors)
    note = ProgressNote.objects.create(action=action, written_on=written_on, text=text, author=user)
    note.evidence.set(items)
    if status and status != action.status and action.status in rules.OPEN:
        ImprovementAction.objects.filter(pk=action.pk).update(
            status=status,
            done_on=today if status == rules.DONE else None,
            version=action.version + 1,
        )
        action.refresh_from_db()
        action.save()  # a history row for the status change
    return note


@transaction.atomic
def review_record(
    *, user, school: School, held_on: dt.date | None, conclusions: str
) -> ImprovementReview:
    if not has_perm(user, "improvement.register", school):
        raise NotAllowed("Bạn không được ghi lần rà soát cho trường này.")
    errors = rules.check_review(
        held_on=held_on, conclusions=conclusions, today=timezone.localdate()
    )
    if errors:
        raise Rejected(errors)
    assert held_on is not None
    return ImprovementReview.objects.create(
        school=school,
        school_year=rules.school_year_of(held_on),
        held_on=held_on,
        conclusions=conclusions,
        recorded_by=user,
    )


def monthly_draft(*, actions: list[ImprovementAction], today: dt.date) -> dict[str, str]:
    """The monthly progress report's texts drafted from the actions' state."""
    by_status: dict[str, list[ImprovementAction]] = {}
    for action in actions:
        by_status.setdefault(action.status, []).append(action)

    def lines(items: list[ImprovementAction]) -> str:
        return "\n".join(
            f"- {a.title} ({', '.join(a.targets)}; {a.responsible}; hạn {a.due:%d/%m/%Y})"
            for a in items
        )

    progress = [f"Trường đăng ký {len(actions)} hành động cải tiến."]
    labels = {
        rules.DONE: "Đã hoàn thành",
        rules.IN_PROGRESS: "Đang thực hiện",
        rules.PLANNED: "Chưa bắt đầu",
        rules.DROPPED: "Dừng thực hiện",
    }
    for status, label in labels.items():
        items = by_status.get(status, [])
        if items:
            progress.append(f"{label}: {len(items)}.\n{lines(items)}")
    overdue = [a for a in actions if rules.is_overdue(status=a.status, due=a.due, today=today)]
    return {
        "progress": "\n".join(progress),
        "results": lines(by_status.get(rules.DONE, [])),
        "difficulties": (f"Quá hạn {len(overdue)} hành động:\n{lines(overdue)}" if overdue else ""),
    }


def monthly_send(
    *, user, plan: ProgrammePlan, school: School, actions: list[ImprovementAction], version: int
) -> MonthlyReport:
    """Send this month's progress report drafted from the actions, through programme's own
    service (its rights, its create-or-replace version rule)."""
    today = timezone.localdate()
    texts = monthly_draft(actions=actions, today=today)
    return programme_services.monthly_report_submit(
        user=user,
        plan=plan,
        school=school,
        month=today.replace(day=1),
        data=texts,
        version=version,
    )
