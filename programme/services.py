"""Writes of plans, investment projects, monthly reports and reminders. Each function checks
the user's right inside a transaction and raises NotAllowed (views answer 404) or Rejected
(messages per field, in Vietnamese, so a refused form keeps what was typed)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import has_perm
from core.concurrency import EditConflict, version_claim
from core.text import nfc
from evidence.uploads import UploadRejected, check_upload
from programme import plans, selectors, signals
from programme.models import (
    InvestmentProject,
    MonthlyReport,
    PlanActivity,
    PlanSchoolTarget,
    PlanUnitTarget,
    ProgrammePlan,
    Reminder,
)
from schools.models import School
from units.models import AdminUnit


class NotAllowed(Exception):
    """Outside the user's rights: views turn this into 404."""


class Rejected(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(m for msgs in errors.values() for m in msgs))


PLAN_FIELDS = (
    "kind",
    "number",
    "issued_on",
    "issuing_body",
    "title",
    "start_year",
    "end_year",
    "legal_basis",
    "goals",
    "status",
    "monthly_reports",
    "note",
)


def _check_period(start: int, end: int) -> dict[str, list[str]]:
    if end < start:
        return {"end_year": [f"Năm kết thúc ({end}) trước năm bắt đầu ({start})."]}
    if end - start > 10:
        return {"end_year": ["Giai đoạn của kế hoạch dài quá 10 năm; hãy kiểm tra lại."]}
    return {}


@transaction.atomic
def plan_save(
    *,
    user,
    data: dict[str, Any],
    unit: AdminUnit,
    plan: ProgrammePlan | None = None,
    version: int | None = None,
) -> ProgrammePlan:
    """Create a plan for `unit`, or update `plan` (its unit does not change) if it is still at
    `version`, the one the form was read at (core.concurrency: EditConflict otherwise)."""
    if plan is None:
        if not selectors.plan_units_for_form(user=user).filter(pk=unit.pk).exists():
            raise NotAllowed("Bạn không được lập kế hoạch cho đơn vị này.")
        plan = ProgrammePlan(unit=unit, created_by=user)
    elif not has_perm(user, "plan.edit", plan):
        raise NotAllowed("Bạn không được sửa kế hoạch này.")
    errors = _check_period(data["start_year"], data["end_year"])
    if errors:
        raise Rejected(errors)
    if plan.pk is not None:
        plan = version_claim(plan, version)
    for key in PLAN_FIELDS:
        if key in data:
            # The form gives "" for an empty text and None for an empty date: both are stored
            # as they come (an empty issue date is NULL, never "").
            setattr(plan, key, data[key])
    plan.save()
    return plan


@transaction.atomic
def plan_target_add(
    *, user, plan: ProgrammePlan, school: School, year: int | None, target: str, note: str = ""
) -> PlanSchoolTarget:
    if not has_perm(user, "target.edit", plan) or not has_perm(user, "school.view", school):
        raise NotAllowed("Bạn không được giao chỉ tiêu cho trường này.")
    if year is not None and not plan.start_year <= year <= plan.end_year:
        raise Rejected(
            {"year": [f"Năm {year} nằm ngoài giai đoạn {plan.period_label} của kế hoạch."]}
        )
    try:
        with transaction.atomic():
            return PlanSchoolTarget.objects.create(
                plan=plan, school=school, year=year, target=target, note=nfc(note).strip()
            )
    except IntegrityError as exc:
        raise Rejected(
            {"": [f"{school.name} đã có chỉ tiêu này trong năm {year or 'cả giai đoạn'}."]}
        ) from exc


@transaction.atomic
def plan_activity_add(*, user, plan: ProgrammePlan, data: dict[str, Any]) -> PlanActivity:
    """Record a task carried out ("Kiểm tra kỹ thuật … 04/04 trường"): the report of the
    period that holds its date states it."""
    if not has_perm(user, "activity.add", plan):
        raise NotAllowed("Bạn không được ghi hoạt động của kế hoạch này.")
    data = dict(data)
    errors: dict[str, list[str]] = {}
    done, planned = data.get("done_count"), data.get("planned_count")
    if done is not None and planned is not None and done > planned:
        errors["done_count"] = ["Số đã thực hiện lớn hơn số theo kế hoạch."]
    day = data["done_on"]
    if not plan.start_year <= day.year <= plan.end_year:
        errors["done_on"] = [
            f"Ngày thực hiện nằm ngoài giai đoạn {plan.period_label} của kế hoạch."
        ]
    if errors:
        raise Rejected(errors)
    data["measure"] = nfc(data.get("measure") or "trường").strip() or "trường"
    return PlanActivity.objects.create(plan=plan, **data)


@transaction.atomic
def plan_unit_target_add(*, user, plan: ProgrammePlan, data: dict[str, Any]) -> PlanUnitTarget:
    if not has_perm(user, "target.edit", plan):
        raise NotAllowed("Bạn không được sửa kế hoạch này.")
    data = dict(data)
    value, value_max = data["value"], data.get("value_max")
    metric = data.get("metric") or ""
    errors: dict[str, list[str]] = {}
    if value_max is not None and value_max < value:
        errors["value_max"] = ["Giá trị tối đa nhỏ hơn giá trị tối thiểu."]
    if value < 0:
        errors["value"] = ["Giá trị không được âm."]
    if metric == plans.METRIC_STANDARD_SHARE:
        if max(value, value_max or value) > 100:
            errors["value"] = ["Tỷ lệ trường đạt chuẩn không vượt quá 100%."]
        data["measure"] = "%"
    elif metric == plans.METRIC_STANDARD_COUNT:
        data["measure"] = "trường"
    if errors:
        raise Rejected(errors)
    data["metric"] = metric
    data["comparator"] = data.get("comparator") or ""
    year = data.get("year")
    if year is not None and not plan.start_year <= year <= plan.end_year:
        raise Rejected(
            {"year": [f"Năm {year} nằm ngoài giai đoạn {plan.period_label} của kế hoạch."]}
        )
    order = plan.unit_targets.count() + 1
    return PlanUnitTarget.objects.create(plan=plan, order=order, **data)


# ---------------------------------------------------------------------------------------------
# Investment

INVESTMENT_FIELDS = (
    "name",
    "category",
    "scale",
    "total_million",
    "funding_source",
    "funding_note",
    "year",
    "status",
    "progress_percent",
    "criteria_codes",
    "note",
)


@transaction.atomic
def investment_save(
    *,
    user,
    data: dict[str, Any],
    school: School,
    plan: ProgrammePlan | None = None,
    project: InvestmentProject | None = None,
    version: int | None = None,
) -> InvestmentProject:
    """Create or update a school's project. `version` (from the form) refuses a save over a
    change someone else made meanwhile."""
    if not has_perm(user, "investment.edit", school) or (
        project is not None and not has_perm(user, "investment.edit", project)
    ):
        raise NotAllowed("Bạn không được ghi dự án cho trường này.")
    if plan is not None and not selectors.plan_list(user=user).filter(pk=plan.pk).exists():
        raise NotAllowed("Kế hoạch không thuộc phạm vi của bạn.")
    total = data["total_million"]
    errors: dict[str, list[str]] = {}
    if not isinstance(total, Decimal):
        errors.setdefault("total_million", []).append("Tổng mức đầu tư phải là số thập phân.")
    elif total < 0:
        errors.setdefault("total_million", []).append("Tổng mức đầu tư không được âm.")
    if not 0 <= (data.get("progress_percent") or 0) <= 100:
        errors.setdefault("progress_percent", []).append("Tiến độ phải từ 0 đến 100%.")
    if data.get("funding_source") == "khac" and not (data.get("funding_note") or "").strip():
        errors.setdefault("funding_note", []).append("Chọn «Nguồn khác» thì ghi rõ nguồn vốn.")
    framework = data.get("framework")
    serves = _serves(framework, data.get("targets") or [], errors)
    if errors:
        raise Rejected(errors)
    if project is None:
        project = InvestmentProject(created_by=user)
    else:
        project = version_claim(project, version)
    for key in INVESTMENT_FIELDS:
        if key in data:
            setattr(project, key, data[key] if data[key] is not None else "")
    project.school, project.unit, project.plan = school, school.unit, plan
    if "targets" in data:
        project.framework = framework if serves != ([], []) else None
        project.criteria, project.indicators = serves
    project.save()
    return project


def _serves(framework, targets: list[str], errors: dict[str, list[str]]):
    """(criteria, indicators) a project serves, from targets written "<framework>:<id>"; a
    target of another framework than the one chosen is refused, naming it."""
    criteria: list[str] = []
    indicators: list[str] = []
    if not targets:
        return criteria, indicators
    if framework is None:
        errors.setdefault("framework", []).append(
            "Hãy chọn bộ tiêu chuẩn của các tiêu chí, chỉ báo mà dự án phục vụ."
        )
        return criteria, indicators
    fw = framework.compiled()
    wrong = []
    for target in targets:
        code, _sep, ident = target.partition(":")
        if code != framework.code:
            wrong.append(ident or target)
        elif ident in fw.criterion_codes:
            criteria.append(ident)
        elif ident in fw.every_id:
            indicators.append(ident)
        else:
            wrong.append(ident)
    if wrong:
        errors.setdefault("targets", []).append(
            f"{', '.join(wrong)} không thuộc bộ tiêu chuẩn {framework.short_title or framework.code}"
            " đã chọn: dự án chỉ phục vụ tiêu chí, chỉ báo của một bộ tiêu chuẩn."
        )
    return criteria, indicators


# ---------------------------------------------------------------------------------------------
# Monthly reports


@transaction.atomic
def monthly_report_submit(
    *,
    user,
    plan: ProgrammePlan,
    school: School,
    month: dt.date,
    data: dict[str, Any],
    version: int | None = None,
) -> MonthlyReport:
    """Create or replace the school's report for a month (one per plan, school and month).
    `version` is the report's version when the form was opened, 0 when there was none yet: a
    report sent by someone else meanwhile is not replaced (EditConflict). None: no check."""
    if not (
        has_perm(user, "monthly.submit", school)
        and selectors.plan_expects_monthly(plan=plan, school=school)
    ):
        raise NotAllowed("Bạn không được gửi báo cáo cho trường này.")
    month = plans.month_start(month)
    allowed = plans.report_months(plan.start_year, plan.end_year, plan.issued_on)
    errors: dict[str, list[str]] = {}
    if month not in allowed:
        errors["month"] = [f"Tháng {month:%m/%Y} không thuộc thời gian báo cáo của kế hoạch."]
    elif month > plans.month_start(timezone.localdate()):
        errors["month"] = [f"Chưa đến tháng {month:%m/%Y}: không gửi báo cáo trước."]
    if not nfc(data.get("progress") or "").strip():
        errors["progress"] = ["Chưa ghi tiến độ thực hiện trong tháng."]
    upload = data.get("attachment")
    checked = None
    if upload:
        try:
            checked = check_upload(upload, upload.name, upload.size)
        except UploadRejected as exc:
            errors["attachment"] = [str(exc)]
    if errors:
        raise Rejected(errors)
    report = MonthlyReport.objects.filter(plan=plan, school=school, month=month).first()
    if report is not None:
        report = version_claim(report, version)
    elif version not in (None, 0):
        # The form was opened on a report that has been removed since.
        raise EditConflict()
    else:
        report = MonthlyReport(plan=plan, school=school, month=month)
    report.progress = data.get("progress") or ""
    report.results = data.get("results") or ""
    report.difficulties = data.get("difficulties") or ""
    report.submitted_by = user
    report.submitted_at = timezone.now()
    old_file = report.attachment.name if report.attachment else ""
    if checked is not None:
        report.attachment_name = checked.name
        report.attachment_type = checked.kind.content_type
        report.attachment.save(f"bao-cao.{checked.kind.ext}", upload, save=False)
    report.save()
    if checked is not None and old_file:
        report.attachment.storage.delete(old_file)
    return report


@transaction.atomic
def reminder_send(
    *, user, plan: ProgrammePlan, school: School, month: dt.date, message: str = ""
) -> Reminder:
    """Record that the unit reminded a school of a missing report (shown to the school)."""
    if not (
        has_perm(user, "plan.edit", plan)
        and has_perm(user, "reminder.send", school)
        and plan.school_targets.filter(school=school).exists()
    ):
        raise NotAllowed("Bạn không được nhắc trường này.")
    month = plans.month_start(month)
    if MonthlyReport.objects.filter(plan=plan, school=school, month=month).exists():
        raise Rejected({"": [f"{school.name} đã gửi báo cáo tháng {month:%m/%Y}."]})
    text = message or f"Đề nghị nhà trường gửi báo cáo tiến độ tháng {month:%m/%Y}."
    reminder = Reminder.objects.create(
        plan=plan, school=school, month=month, message=text, sent_by=user
    )
    signals.reminder_sent.send(
        sender=Reminder,
        reminder=reminder,
        plan=plan,
        school=school,
        month=month,
        actor=user,
        link=reverse("programme:monthly_school", args=[plan.pk, school.code]),
    )
    return reminder
