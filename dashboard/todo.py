"""The home page's "what needs me today", per role, with counts and links. Reads only, scoped
to the user from the permission table (accounts.permissions).

* Officers (Sở, commune): self-assessments waiting for acceptance, recognitions ending within
  12 months with their re-recognition registration deadline (expiry − 5 months) and the days
  left, missing monthly reports, plan targets of this year still open;
* a principal, for each school: criteria not yet judged, pre-print checks open, the cycle's
  timeline, returned reports, evidence dated outside the cycle (to renew);
* a council member (staff): the criteria assigned to them.

Apps above this one add their own items through `register()` from their AppConfig.ready()
(external evaluation: registrations to check, an evaluator's evaluations; improvement actions:
those overdue): `register(MANAGER, provider)` with `provider(user, today) -> list[Todo]`. The
school audiences (PRINCIPAL, STAFF) have one card per school: their providers are called once
per school as `provider(user, today, school=school)` and return that school's items only (a
principal of several schools must not see one count repeated under each)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse

from accounts.models import Role
from accounts.permissions import assigned_criterion_ids, school_filter_where, scope_for
from assessments.models import Assessment, CriterionSheet, MilestoneStatus, PlanMilestone, Status
from assessments.services import submission_checks
from core.text import format_date_short, format_int
from evaluation import selectors as ee_selectors
from evidence.selectors import evidence_warnings
from improvement import selectors as improvement_selectors
from improvement.models import ImprovementAction
from programme import plans as plan_rules
from programme.models import MonthlyReport, PlanSchoolTarget, PlanStatus
from programme.selectors import open_reminders, plan_list
from recognition import selectors as register_selectors
from schools.models import School, SchoolKind

from .selectors import home_unit, plan_progress

MANAGER = "manager"
PRINCIPAL = "principal"
STAFF = "staff"
REVIEWER = "reviewer"
ROWS = 8  # rows shown under an item; the link has them all
EXPIRING_MONTHS = 12


@dataclass
class TodoRow:
    text: str
    url: str = ""
    detail: str = ""
    tone: str = ""  # "danger" for what is late


@dataclass
class Todo:
    key: str
    label: str
    count: int
    url: str = ""
    link_text: str = ""
    rows: list[TodoRow] = field(default_factory=list)
    tone: str = "warning"  # "danger" | "warning" | "info"

    @property
    def count_fmt(self) -> str:
        return format_int(self.count)


Provider = Callable[..., list[Todo]]
PROVIDERS: dict[str, list[Provider]] = {MANAGER: [], PRINCIPAL: [], STAFF: [], REVIEWER: []}


def register(audience: str, provider: Provider) -> None:
    """An app above adds items to an audience's to-do (see the module's docstring)."""
    if provider not in PROVIDERS[audience]:
        PROVIDERS[audience].append(provider)


def _extra(audience: str, user, today: dt.date, school: School | None = None) -> list[Todo]:
    out: list[Todo] = []
    for provider in PROVIDERS[audience]:
        out += provider(user, today) if school is None else provider(user, today, school=school)
    return out


# ---------------------------------------------------------------------------------------------
# Officers


def waiting_for_acceptance(*, user) -> Todo:
    qs = Assessment.objects.filter(
        school_filter_where(user, "assessment.accept", "school__"), status=Status.SUBMITTED
    )
    rows = [
        TodoRow(
            f"{a.school.name} — {a.school_year}",
            reverse("assessments:detail", args=[a.pk]),
            f"nộp {format_date_short(a.updated_at.date())}",
        )
        for a in qs.select_related("school").order_by("updated_at")[:ROWS]
    ]
    return Todo(
        "waiting",
        "Báo cáo tự đánh giá chờ chấp nhận",
        qs.count(),
        reverse("assessments:progress"),
        "Bảng tiến độ tự đánh giá",
        rows,
    )


def expiring_recognitions(*, user, today: dt.date) -> Todo:
    qs = register_selectors.expiring(user=user, on=today, months=EXPIRING_MONTHS)
    rows = []
    for d in qs[:ROWS]:
        deadline = d.renewal_deadline  # the certificate's own circular sets the lead time
        days = (deadline - today).days if deadline else None
        if days is None:
            when = "không có hạn đăng ký lại theo văn bản áp dụng"
        elif days >= 0:
            when = f"còn {format_int(days)} ngày"
        else:
            when = f"đã quá hạn đăng ký {format_int(-days)} ngày"
        rows.append(
            TodoRow(
                d.school.name,
                reverse("programme:school", args=[d.school.code]),
                f"hết hạn {format_date_short(d.valid_until)}; hạn đăng ký lại "
                f"{format_date_short(deadline)} ({when})"
                if deadline
                else f"hết hạn {format_date_short(d.valid_until)} ({when})",
                "danger" if days is not None and days < 31 else "",
            )
        )
    return Todo(
        "expiring",
        f"Trường sắp hết hạn công nhận (trong {EXPIRING_MONTHS} tháng)",
        qs.count(),
        reverse("programme:expiring"),
        "Danh sách sắp hết hạn",
        rows,
    )


def missing_monthly_reports(*, user, today: dt.date) -> Todo:
    """Last month's reports not sent, per plan, for the schools in the user's scope."""
    month = plan_rules.month_start(today.replace(day=1) - dt.timedelta(days=1))
    scope = scope_for(user)
    active = (
        plan_list(user=user)
        .filter(monthly_reports=True, start_year__lte=month.year, end_year__gte=month.year)
        .exclude(status=PlanStatus.DRAFT)
    )
    rows, total = [], 0
    for plan in active:
        if month not in plan_rules.report_months(plan.start_year, plan.end_year, plan.issued_on):
            continue
        targets = PlanSchoolTarget.objects.filter(plan=plan).filter(scope.school_filter("school__"))
        expected = targets.values("school_id").distinct().count()
        sent = (
            MonthlyReport.objects.filter(
                plan=plan, month=month, school_id__in=targets.values("school_id")
            )
            .values("school_id")
            .distinct()
            .count()
        )
        if expected > sent:
            total += expected - sent
            rows.append(
                TodoRow(
                    str(plan.title),
                    reverse("programme:monthly", args=[plan.pk]),
                    f"{format_int(expected - sent)}/{format_int(expected)} trường chưa gửi",
                )
            )
    return Todo(
        "monthly",
        f"Báo cáo tiến độ tháng {month:%m/%Y} chưa gửi",
        total,
        reverse("programme:plans"),
        "Kế hoạch",
        rows[:ROWS],
    )


def targets_at_risk(*, plans: list) -> Todo:
    """This year's targets of the unit's plans not achieved yet (dashboard.plan_progress)."""
    rows, total = [], 0
    for p in plans:
        open_ = p.year_targeted - p.year_achieved
        if open_ > 0:
            total += open_
            rows.append(
                TodoRow(
                    p.title,
                    reverse("programme:plan", args=[p.pk]),
                    f"đạt {format_int(p.year_achieved)}/{format_int(p.year_targeted)} chỉ tiêu "
                    "năm nay",
                )
            )
    return Todo(
        "targets",
        "Chỉ tiêu năm nay chưa đạt",
        total,
        reverse("programme:plans"),
        "Kế hoạch",
        rows,
        "info",
    )


def manager_todos(*, user, today: dt.date, plans: list) -> list[Todo]:
    extra = _extra(MANAGER, user, today)  # once: each provider counts in the database
    return [
        waiting_for_acceptance(user=user),
        *[t for t in extra if t.key.startswith("registration")],
        expiring_recognitions(user=user, today=today),
        missing_monthly_reports(user=user, today=today),
        *[t for t in extra if not t.key.startswith("registration")],
        targets_at_risk(plans=plans),
    ]


# ---------------------------------------------------------------------------------------------
# A school's principal and staff


def _open_assessment(school: School) -> Assessment | None:
    return (
        Assessment.objects.filter(school=school, status__in=(Status.DRAFT, Status.RETURNED))
        .select_related("framework", "school")
        .order_by("-started_on", "-pk")
        .first()
    )


@dataclass
class SchoolTodo:
    school: School
    assessment: Assessment | None
    items: list[Todo]


def principal_todos(*, user, school: School, today: dt.date) -> SchoolTodo:
    a = _open_assessment(school)
    items: list[Todo] = []
    if a is not None:
        detail = reverse("assessments:detail", args=[a.pk])
        pending = CriterionSheet.objects.filter(assessment=a, filled=False)
        rows = [
            TodoRow(
                f"Tiêu chí {s.criterion.code}",
                reverse("assessments:sheet", args=[a.pk, s.criterion.code]),
                s.assigned_to.get_full_name() or s.assigned_to.username if s.assigned_to else "",
            )
            for s in pending.select_related("criterion", "assigned_to").order_by(
                "criterion__position"
            )[:ROWS]
        ]
        items.append(
            Todo("not_judged", "Tiêu chí chưa đánh giá xong", pending.count(), detail, "", rows)
        )
        blocking, warnings = submission_checks(a)
        items.append(
            Todo(
                "checks",
                "Điều cần xử lý trước khi in, nộp báo cáo",
                len(blocking) + len(warnings),
                reverse("documents:assessment", args=[a.pk]),
                "Kiểm tra trước khi in",
                [
                    TodoRow(f.message, f.url, tone="danger" if f.blocking else "")
                    for f in (blocking + warnings)[:ROWS]
                ],
            )
        )
        steps = PlanMilestone.objects.filter(assessment=a, due__isnull=False).exclude(
            status=MilestoneStatus.DONE
        )
        items.append(
            Todo(
                "timeline",
                "Mốc kế hoạch tự đánh giá chưa xong",
                steps.count(),
                reverse("assessments:council", args=[a.pk]),
                "Kế hoạch tự đánh giá",
                [
                    TodoRow(
                        m.activity,
                        "",
                        f"hạn {format_date_short(m.due)}"
                        + (" — đã quá hạn" if m.due < today else ""),
                        "danger" if m.due < today else "",
                    )
                    for m in steps.order_by("due", "position")[:ROWS]
                ],
                "info",
            )
        )
        renew = evidence_warnings(a).outside_cycle
        items.append(
            Todo(
                "evidence",
                "Minh chứng cần cập nhật (ngày ban hành ngoài chu kỳ)",
                len(renew),
                reverse("evidence:register", kwargs={"assessment_id": a.pk}),
                "Danh mục minh chứng",
                [
                    TodoRow(e.name, reverse("evidence:detail", args=[e.pk]), e.display)
                    for e in renew[:ROWS]
                ],
                "info",
            )
        )
    returned = Assessment.objects.filter(school=school, status=Status.RETURNED)
    items.append(
        Todo(
            "returned",
            "Báo cáo bị trả lại",
            returned.count(),
            reverse("assessments:list"),
            "",
            [
                TodoRow(
                    r.school_year,
                    reverse("assessments:detail", args=[r.pk]),
                    f"Lý do: {r.return_reason}",
                    "danger",
                )
                for r in returned.order_by("-updated_at")[:ROWS]
            ],
            "danger",
        )
    )
    reminders = open_reminders(user=user, school=school)
    items.append(
        Todo(
            "reminders",
            "Báo cáo tháng được nhắc",
            len(reminders),
            "",
            "",
            [
                TodoRow(
                    f"Tháng {r.month:%m/%Y} — {r.plan.title}",
                    reverse("programme:monthly_school", args=[r.plan_id, school.code]),
                    r.message,
                )
                for r in reminders[:ROWS]
            ],
        )
    )
    items += _extra(PRINCIPAL, user, today, school)
    return SchoolTodo(school, a, items)


def staff_todos(*, user, school: School, today: dt.date) -> SchoolTodo:
    a = _open_assessment(school)
    items: list[Todo] = []
    if a is not None:
        ids = assigned_criterion_ids(user, a)
        sheets = (
            CriterionSheet.objects.filter(assessment=a, criterion_id__in=ids)
            .select_related("criterion")
            .order_by("criterion__position")
        )
        rows = [
            TodoRow(
                f"Tiêu chí {s.criterion.code}",
                reverse("assessments:sheet", args=[a.pk, s.criterion.code]),
                "đã đánh giá xong" if s.filled else "chưa đánh giá xong",
                "" if s.filled else "danger",
            )
            for s in sheets
        ]
        items.append(
            Todo(
                "assigned",
                "Tiêu chí được phân công chưa đánh giá xong",
                sum(1 for s in sheets if not s.filled),
                reverse("assessments:detail", args=[a.pk]),
                "Mở đợt tự đánh giá",
                rows,
            )
        )
    items += _extra(STAFF, user, today, school)
    return SchoolTodo(school, a, items)


# ---------------------------------------------------------------------------------------------
# The chart of a manager's area


def level_chart(*, user) -> dict:
    """Standard schools by kind and level, from the schools' cached levels (refreshed every
    night from the register): what static/js/home.js draws."""
    counts = (
        scope_for(user)
        .schools()
        .values("kind")
        .annotate(
            l1=Count("pk", filter=Q(standard_level=1)),
            l2=Count("pk", filter=Q(standard_level=2)),
            total=Count("pk"),
        )
    )
    by_kind = {c["kind"]: c for c in counts}
    kinds = [(k, label) for k, label in SchoolKind.choices if k in by_kind]
    return {
        "labels": [str(label) for _k, label in kinds],
        "level_1": [by_kind[k]["l1"] for k, _ in kinds],
        "level_2": [by_kind[k]["l2"] for k, _ in kinds],
        "none": [by_kind[k]["total"] - by_kind[k]["l1"] - by_kind[k]["l2"] for k, _ in kinds],
    }


def target_chart(plans: list) -> dict:
    return {
        "labels": [p.title[:40] for p in plans],
        "targeted": [p.year_targeted for p in plans],
        "achieved": [p.year_achieved for p in plans],
    }


def roles_of(user) -> set[str]:
    return {s.role for s in scope_for(user).seats}


def is_manager(user) -> bool:
    return bool(roles_of(user) & {Role.PROVINCE_OFFICER, Role.COMMUNE_OFFICER})


@dataclass
class HomeTodo:
    manager: list[Todo] | None = None
    chart: dict | None = None
    schools: list[SchoolTodo] = field(default_factory=list)
    reviewer: list[Todo] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.manager is not None or self.schools or self.reviewer)


def home_todo(*, user, today: dt.date) -> HomeTodo:
    scope = scope_for(user)
    out = HomeTodo()
    if scope.is_all or scope.is_empty:
        return out  # support sees the national summary; an account without seats, nothing
    roles = roles_of(user)
    if roles & {Role.PROVINCE_OFFICER, Role.COMMUNE_OFFICER}:
        unit = home_unit(user=user)
        plans = plan_progress(user=user, unit=unit, on=today) if unit is not None else []
        out.manager = manager_todos(user=user, today=today, plans=plans)
        out.chart = {
            "levels": level_chart(user=user),
            "targets": target_chart(plans),
            "series": {
                "level_1": "Đạt chuẩn Mức độ 1",
                "level_2": "Đạt chuẩn Mức độ 2",
                "none": "Chưa đạt chuẩn",
                "targeted": f"Chỉ tiêu năm {today.year}",
                "achieved": "Đã đạt",
            },
        }
    schools = School.objects.filter(pk__in=scope.school_ids).select_related("unit")
    for school in schools.order_by("sort_key", "code"):
        seat_roles = {s.role for s in scope.seats if s.school_id == school.pk}
        if Role.PRINCIPAL in seat_roles:
            out.schools.append(principal_todos(user=user, school=school, today=today))
        elif Role.STAFF in seat_roles:
            out.schools.append(staff_todos(user=user, school=school, today=today))
    if Role.REVIEWER in roles:
        out.reviewer = _extra(REVIEWER, user, today)
    return out


# ---------------------------------------------------------------------------------------------
# External evaluation and improvement actions (apps below this one: read directly)


def registrations_to_check(user, today: dt.date) -> list[Todo]:
    """Registrations for external evaluation waiting for the user's units to check them."""
    qs = ee_selectors.registration_queue(user)
    count = qs.count()
    if not count:
        return []
    rows = [
        TodoRow(
            r.school.name,
            reverse("evaluation:registration", args=[r.pk]),
            f"gửi {format_date_short(r.submitted_at.date())}" if r.submitted_at else "",
            "danger" if r.late else "",
        )
        for r in qs[:ROWS]
    ]
    return [
        Todo(
            "registrations",
            "Hồ sơ đăng ký đánh giá ngoài cần kiểm tra",
            count,
            reverse("evaluation:index"),
            "Danh sách đăng ký",
            rows,
        )
    ]


def overdue_improvements(user, today: dt.date, school: School | None = None) -> list[Todo]:
    """Improvement actions past their due date in the user's schools (a manager's), or in
    `school` (a principal's card of that school), the longest overdue first (the managing
    unit's list, the school's page, has all of them)."""
    where = school_filter_where(user, "improvement.view", "school__")
    if school is not None:
        where &= Q(school=school)
    qs = improvement_selectors.overdue_actions(
        ImprovementAction.objects.filter(where).select_related("school"), today=today
    )
    count = qs.count()
    if not count:
        return []
    rows = [
        TodoRow(
            a.title if school is not None else f"{a.school.name}: {a.title}",
            reverse("improvement:action", args=[a.pk]),
            f"hạn {format_date_short(a.due)} (quá {format_int((today - a.due).days)} ngày)",
            "danger",
        )
        for a in qs[:ROWS]
    ]
    return [
        Todo(
            "improvement-overdue",
            "Biện pháp cải tiến quá hạn" + (f" — {school.name}" if school is not None else ""),
            count,
            reverse("improvement:school", args=[school.code]) if school is not None else "",
            "Biện pháp cải tiến của trường" if school is not None else "",
            rows,
            tone="danger",
        )
    ]


def my_evaluations(user, today: dt.date) -> list[Todo]:
    """An evaluator's open evaluations, with the feedback deadline where one is set."""
    qs = ee_selectors.my_team_evaluations(user).order_by("pk")
    evaluations = list(qs[:ROWS])
    if not evaluations:
        return []
    rows = [
        TodoRow(
            e.school.name,
            reverse("evaluation:detail", args=[e.pk]),
            e.get_status_display(),
        )
        for e in evaluations
    ]
    return [
        Todo(
            "evaluations",
            "Đợt đánh giá ngoài của đoàn bạn tham gia",
            qs.count(),
            reverse("evaluation:index"),
            "Tất cả đợt đánh giá ngoài",
            rows,
            tone="info",
        )
    ]


register(MANAGER, registrations_to_check)
register(MANAGER, overdue_improvements)
register(PRINCIPAL, overdue_improvements)
register(REVIEWER, my_evaluations)
