"""Reads of plans, investment projects and monthly reports, always scoped to the user.

Other apps (dashboard, documents) read plans through these functions only:
- plan_list / plan_get: plans the user may see;
- plan_targets: the school targets of a plan, limited to schools the user sees;
- plan_report: plan vs actual from the register, with "xã trắng" per year (PlanReport);
- investment_list / investment_summary: projects and their Decimal totals (groups I/II/…);
- monthly_overview / school_months / open_reminders: the monthly reporting grid.

Visibility of a plan follows its unit: the user's own units and everything under them, the
retired units their units succeeded (units.selectors.retired_units_visible: huyện Ninh Giang's
2016–2020 plan is visible to Xã Ninh Giang and to Hải Phòng), and for school members the units
that contain their school (their commune's and province's plans). Inside a visible plan, a
user sees only the schools of their scope."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from accounts.permissions import scope_for, unit_paths_where, units_where
from core.text import format_date_short, format_decimal, format_int, format_percent
from programme import plans
from programme.models import (
    InvestmentProject,
    MonthlyReport,
    PlanSchoolTarget,
    PlanUnitTarget,
    ProgrammePlan,
    Reminder,
)
from recognition.models import RecognitionDecision
from recognition.selectors import with_status
from schools.models import School, SchoolLocation, SchoolYearData
from units.models import AdminUnit
from units.selectors import retired_units_visible


def _prefixes(path: str) -> list[str]:
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def unit_visibility_q(user, field: str = "unit") -> Q:
    """Q over a model's AdminUnit foreign key `field`: the unit is visible to the user."""
    scope = scope_for(user)
    if scope.is_all:
        return Q()
    q = Q(**{f"{field}__pk__in": []})
    for path in scope.unit_paths:
        q |= Q(**{f"{field}__path__startswith": path})
    q |= Q(**{f"{field}__in": retired_units_visible(user=user).values("pk")})
    if scope.school_ids:
        paths = School.objects.filter(pk__in=scope.school_ids).values_list("unit__path", flat=True)
        ancestors = {p for path in paths for p in _prefixes(path)}
        q |= Q(**{f"{field}__path__in": sorted(ancestors)})
    return q


def plan_list(*, user) -> QuerySet[ProgrammePlan]:
    if scope_for(user).is_empty:
        return ProgrammePlan.objects.none()
    scope = scope_for(user)
    if scope.is_all:
        return ProgrammePlan.objects.select_related("unit", "parent").order_by(
            "-start_year", "-end_year", "-issued_on", "-id"
        )
    # Also every plan that names one of the user's schools (a principal sees the plans that
    # set targets for their school, whatever unit issued them).
    named = PlanSchoolTarget.objects.filter(scope.school_filter("school__")).values("plan_id")
    return (
        ProgrammePlan.objects.filter(unit_visibility_q(user) | Q(pk__in=named))
        .select_related("unit", "parent")
        .order_by("-start_year", "-end_year", "-issued_on", "-id")
    )


def plan_get(*, user, pk: int) -> ProgrammePlan:
    """The plan if the user may see it, else 404 (never 403: ids cannot be probed)."""
    plan = plan_list(user=user).filter(pk=pk).first()
    if plan is None:
        raise Http404("Không tìm thấy kế hoạch trong phạm vi của bạn.")
    return plan


def plan_get_by_code(*, user, code) -> ProgrammePlan:
    """The plan named by its public code (the open API) if the user may see it, else 404."""
    plan = plan_list(user=user).filter(public_id=code).first()
    if plan is None:
        raise Http404("Không tìm thấy kế hoạch trong phạm vi của bạn.")
    return plan


def plan_units_for_form(*, user) -> QuerySet[AdminUnit]:
    """Units a user may issue a plan for: current units under their editor memberships, and
    the retired units those succeeded (to record a historical plan)."""
    if unit_paths_where(user, "plan.add") is None:
        return AdminUnit.objects.all().order_by("depth", "sort_key")
    editable = units_where(user, "plan.add")
    retired = AdminUnit.objects.retired().filter(successors__in=editable.values("pk"))
    return (
        AdminUnit.objects.filter(Q(pk__in=editable.values("pk")) | Q(pk__in=retired.values("pk")))
        .distinct()
        .order_by("depth", "sort_key")
    )


def plan_expects_monthly(*, plan: ProgrammePlan, school: School) -> bool:
    """The plan asks for monthly reports and sets a target for the school (who may send them
    is the permission table's monthly.submit)."""
    return bool(plan.monthly_reports) and plan.school_targets.filter(school=school).exists()


def plan_targets(*, user, plan: ProgrammePlan) -> list[PlanSchoolTarget]:
    scope = scope_for(user)
    return list(
        PlanSchoolTarget.objects.filter(scope.school_filter("school__"), plan=plan)
        .select_related("school", "school__unit")
        .order_by("year", "target", "school__sort_key")
    )


def plan_unit_targets(plan: ProgrammePlan) -> list[PlanUnitTarget]:
    return list(plan.unit_targets.order_by("order", "id"))


# ---------------------------------------------------------------------------------------------
# Plan vs actual


def _period_dates(plan: ProgrammePlan) -> tuple[dt.date, dt.date]:
    return dt.date(plan.start_year, 1, 1), dt.date(plan.end_year, 12, 31)


def _communes_of(plan: ProgrammePlan) -> list[AdminUnit]:
    """Communes of the plan's unit during its period; for a retired unit without recorded
    communes, the units that succeeded it; else the unit itself (a commune's own plan)."""
    start, end = _period_dates(plan)
    children = list(
        AdminUnit.objects.filter(parent=plan.unit)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=start))
        .order_by("sort_key")
    )
    if not children and not plan.unit.is_current:
        # A retired unit whose old communes are not recorded: its successors stand in.
        children = list(plan.unit.successors.order_by("sort_key"))
    return children or [plan.unit]


def _locations(units: list[AdminUnit]) -> list[tuple[int, int, dt.date | None, dt.date | None]]:
    """(unit id, school id, from, to) for schools located in (or under) each unit."""
    out = []
    for unit in units:
        for sid, vf, vt in SchoolLocation.objects.filter(
            unit__path__startswith=unit.path
        ).values_list("school_id", "valid_from", "valid_to"):
            out.append((unit.pk, sid, vf, vt))
        if unit.is_current:
            # Current units also hold schools without recorded history.
            for sid in School.objects.filter(unit__path__startswith=unit.path).values_list(
                "pk", flat=True
            ):
                out.append((unit.pk, sid, None, None))
    return out


def _located_on(rows, on: dt.date) -> dict[int, set[int]]:
    found: dict[int, set[int]] = defaultdict(set)
    for unit_id, sid, vf, vt in rows:
        if (vf is None or vf <= on) and (vt is None or vt > on):
            found[unit_id].add(sid)
    return found


def _decisions_by_school(school_ids) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = defaultdict(list)
    for row in RecognitionDecision.objects.filter(school_id__in=list(school_ids)).values(
        "id", "school_id", "kind", "signed_on", "level", "framework_code", "number"
    ):
        out[row["school_id"]].append(row)
    return out


@dataclass
class WhiteCommunes:
    label: str  # "Đầu kỳ (31/12/2015)" or "2017"
    on: dt.date
    communes: list[AdminUnit]


@dataclass
class PlanReport:
    """Plan vs actual for the schools the user sees (see programme.plans for the rule)."""

    plan: ProgrammePlan
    result: plans.PlanVsActual
    schools: dict[int, School]
    targets: list[PlanSchoolTarget]
    white: list[WhiteCommunes] = field(default_factory=list)
    communes_total: int = 0

    def school(self, school_id: int) -> School:
        return self.schools[school_id]


def plan_report(*, user, plan: ProgrammePlan, today: dt.date) -> PlanReport:
    scope = scope_for(user)
    targets = plan_targets(user=user, plan=plan)
    communes = _communes_of(plan)
    locations = _locations(communes)
    start, end = _period_dates(plan)
    area_ids = {sid for _, sid, vf, vt in locations if (vf is None or vf <= end)}
    area_ids &= {sid for _, sid, vf, vt in locations if (vt is None or vt > start)}
    visible = set(
        scope.schools()
        .filter(pk__in=area_ids | {t.school_id for t in targets})
        .values_list("pk", flat=True)
    )
    area_ids &= visible
    school_ids = area_ids | {t.school_id for t in targets}
    decisions = _decisions_by_school(school_ids)
    result = plans.plan_vs_actual(
        start_year=plan.start_year,
        end_year=plan.end_year,
        targets=[plans.Target(t.school_id, t.year, t.target, t.pk) for t in targets],
        decisions_by_school=decisions,
        plan_school_ids=area_ids,
        today=today,
    )
    schools = {s.pk: s for s in School.objects.filter(pk__in=school_ids).select_related("unit")}
    report = PlanReport(plan=plan, result=result, schools=schools, targets=targets)

    # Xã trắng: decided with every school of the commune (counts only), shown only for
    # communes where the user sees at least one school.
    all_decisions = _decisions_by_school({sid for _, sid, _, _ in locations})
    by_id = {c.pk: c for c in communes}
    dates = [("Đầu kỳ", dt.date(plan.start_year - 1, 12, 31))]
    dates += [(str(y), dt.date(y, 12, 31)) for y in plan.years if dt.date(y, 12, 31) <= today]
    if plan.start_year <= today.year <= plan.end_year:
        dates.append((f"Hiện nay ({today:%d/%m/%Y})", today))
    for label, on in dates:
        located = _located_on(locations, on)
        shown = {uid: sids for uid, sids in located.items() if scope.is_all or sids & visible}
        if scope.is_all:
            for c in communes:  # a commune with no school at all is white too
                shown.setdefault(c.pk, set())
        keys = plans.white_communes(shown, all_decisions, on)
        report.white.append(
            WhiteCommunes(label, on, sorted((by_id[k] for k in keys), key=lambda u: u.sort_key))
        )
    report.communes_total = len(communes)
    return report


# ---------------------------------------------------------------------------------------------
# Unit-level targets: target vs actual


@dataclass
class UnitTargetRow:
    """One unit-level target with what the register says of it (programme.plans rule)."""

    target: PlanUnitTarget
    state: str
    actual: Decimal | None = None
    standard: int = 0
    total: int = 0
    on: dt.date | None = None
    # Staff metrics: the school year read and how many of the area's schools recorded it.
    school_year: str = ""
    schools_counted: int = 0
    schools_total: int = 0

    @property
    def target_text(self) -> str:
        return unit_target_value(self.target)

    @property
    def actual_text(self) -> str:
        """ "29,17% (14/48 trường, ngày 31/12/2021)", "85,00% (17/20 người; năm học
        2020-2021, 5/6 trường có số liệu)", or "chưa có số liệu"."""
        if self.actual is None or self.on is None:
            return plans.NO_DATA
        if self.target.metric in plans.STAFF_METRICS:
            return (
                f"{format_percent(self.standard, self.total)} ({self.standard}/{self.total}"
                f" người; năm học {self.school_year}, {self.schools_counted}/"
                f"{self.schools_total} trường có số liệu)"
            )
        if self.target.metric == plans.METRIC_STANDARD_SHARE:
            value = format_percent(self.standard, self.total)
        else:
            value = format_int(self.actual)
        return f"{value} ({self.standard}/{self.total} trường, ngày {format_date_short(self.on)})"

    @property
    def state_label(self) -> str:
        return plans.STATE_LABELS[self.state] if self.actual is not None else plans.NO_DATA


def unit_target_value(t: PlanUnitTarget) -> str:
    """ "4 xã", "100%", "từ 5 đến 8%", "12,5%": a number and its unit are spaced as Vietnamese
    writes them ("%" sticks to the number, any word does not)."""

    def num(v: Decimal) -> str:
        places = min(2, max(0, -Decimal(v).normalize().as_tuple().exponent))
        return format_decimal(v, places)

    measure = (t.measure or "").strip()
    unit = measure if measure == "%" or not measure else f" {measure}"
    if t.value_max is not None:
        return f"từ {num(t.value)} đến {num(t.value_max)}{unit}"
    word = plans.COMPARATOR_WORDS.get(t.comparator, "")
    return f"{word} {num(t.value)}{unit}".strip()


def _measuring_day(plan: ProgrammePlan, t: PlanUnitTarget, today: dt.date) -> tuple[dt.date, bool]:
    """31/12 of the target's year (of the plan's last year without one); today, not final,
    while that day is ahead."""
    day = dt.date(t.year or plan.end_year, 12, 31)
    return (day, True) if day <= today else (today, False)


def unit_target_report(*, user, plan: ProgrammePlan, today: dt.date) -> list[UnitTargetRow]:
    """Target vs actual of the plan's unit-level targets. Derived metrics count the standard
    schools (status as recognition.selectors.with_status) among the schools the user sees in the
    plan's area on the measuring day: its communes during the period, through the location
    history for a retired district (seed 004's huyện Ninh Giang)."""
    targets = plan_unit_targets(plan)
    rows: list[UnitTargetRow] = []
    derived = [t for t in targets if t.metric in plans.DERIVED_METRICS]
    counted: dict[dt.date, tuple[int, int]] = {}
    if derived:
        locations = _locations(_communes_of(plan))
        visible = scope_for(user).schools()
        for t in derived:
            day, _final = _measuring_day(plan, t, today)
            if day in counted:
                continue
            ids = set().union(*_located_on(locations, day).values())
            statuses = (
                with_status(visible.filter(pk__in=ids), day)
                .order_by()
                .values_list("status")
                .annotate(n=Count("pk"))
            )
            standard = sum(n for status, n in statuses if status)
            counted[day] = (standard, sum(n for _status, n in statuses))
    for t in targets:
        if t.metric in plans.STAFF_METRICS:
            rows.append(_staff_target_row(user, plan, t, today))
            continue
        if t.metric not in plans.DERIVED_METRICS:
            rows.append(UnitTargetRow(t, plans.NOT_MEASURED))
            continue
        day, final = _measuring_day(plan, t, today)
        standard, total = counted[day]
        actual = plans.unit_metric_value(t.metric, standard, total)
        state = plans.unit_target_state(t.value, actual, final=final, comparator=t.comparator)
        rows.append(UnitTargetRow(t, state, actual, standard, total, day))
    return rows


def _school_year_of(day: dt.date) -> str:
    """The school year a day falls in (from 1 September)."""
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}-{start + 1}"


def _staff_target_row(
    user, plan: ProgrammePlan, t: PlanUnitTarget, today: dt.date
) -> UnitTargetRow:
    """A staff share from the year data of the plan's area schools the user sees, for the school
    year of the measuring day (each school's latest year up to it)."""
    day, final = _measuring_day(plan, t, today)
    year = _school_year_of(day)
    ids = set().union(*_located_on(_locations(_communes_of(plan)), day).values())
    ids &= set(scope_for(user).schools().filter(pk__in=ids).values_list("pk", flat=True))
    latest: dict[int, dict] = {}
    for school_id, values in (
        SchoolYearData.objects.filter(school_id__in=ids, school_year__lte=year)
        .order_by("school_id", "-school_year")
        .values_list("school_id", "values")
    ):
        latest.setdefault(school_id, values or {})
    part, whole, counted = plans.staff_metric_counts(t.metric, latest.values())
    actual = plans.share_percent(part, whole)
    state = plans.unit_target_state(t.value, actual, final=final, comparator=t.comparator)
    return UnitTargetRow(
        t, state, actual, part, whole, day, school_year=year, schools_counted=counted,
        schools_total=len(ids),
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Investment


def investment_visibility_q(user) -> Q:
    """A school's project is visible with the school; a unit-level row with its unit."""
    scope = scope_for(user)
    if scope.is_all:
        return Q()
    return scope.school_filter("school__") | (
        Q(school__isnull=True) & unit_visibility_q(user, "unit")
    )


@dataclass(frozen=True)
class InvestmentFilters:
    year: str = ""
    plan: str = ""
    category: str = ""
    source: str = ""

    @classmethod
    def from_params(cls, params) -> InvestmentFilters:
        return cls(**{k: (params.get(k) or "").strip() for k in cls.__dataclass_fields__})


def investment_list(
    *, user, filters: InvestmentFilters | None = None
) -> QuerySet[InvestmentProject]:
    if scope_for(user).is_empty:
        return InvestmentProject.objects.none()
    qs = InvestmentProject.objects.filter(investment_visibility_q(user))
    f = filters or InvestmentFilters()
    # ASCII digits of a sensible length only: "²" or 30 digits are no filter, never a 500.
    if f.year.isascii() and f.year.isdigit() and len(f.year) == 4:
        qs = qs.filter(year=int(f.year))
    if f.plan.isascii() and f.plan.isdigit() and len(f.plan) <= 18:
        qs = qs.filter(plan_id=int(f.plan))
    if f.category:
        qs = qs.filter(category=f.category)
    if f.source:
        qs = qs.filter(funding_source=f.source)
    return qs.select_related("school", "school__unit", "unit", "plan").order_by(
        "year", "category", "order", "id"
    )


def investment_get(*, user, pk: int) -> InvestmentProject:
    project = investment_list(user=user).filter(pk=pk).first()
    if project is None:
        raise Http404("Không tìm thấy dự án trong phạm vi của bạn.")
    return project


def investment_summary(*, user, filters: InvestmentFilters | None = None) -> plans.InvestmentTotals:
    """Rows grouped like seed 000's table (I. Nâng cấp, sửa chữa; II. Xây dựng mới; then
    equipment), with Decimal subtotals, construction total, equipment total and grand total."""
    return plans.investment_totals(list(investment_list(user=user, filters=filters)))


def investment_years(*, user) -> list[int]:
    return sorted(set(investment_list(user=user).values_list("year", flat=True)), reverse=True)


def total_of(rows) -> Decimal:
    return sum((r.total_million for r in rows), Decimal(0))


# ---------------------------------------------------------------------------------------------
# Monthly reports


def monthly_schools(*, user, plan: ProgrammePlan) -> list[School]:
    """Schools that report monthly in a plan (its target schools), within the user's scope."""
    scope = scope_for(user)
    ids = plan.school_targets.values("school_id")
    return list(
        scope.schools().filter(pk__in=ids).select_related("unit").order_by("sort_key", "code")
    )


@dataclass
class MonthlyOverview:
    plan: ProgrammePlan
    year: int | None
    years: list[int]
    schools: list[School]
    grid: plans.Grid
    reports: dict[tuple[int, dt.date], MonthlyReport]
    reminders: dict[tuple[int, dt.date], Reminder]


def monthly_overview(
    *, user, plan: ProgrammePlan, today: dt.date, year: int | None = None
) -> MonthlyOverview:
    """The schools × months grid: submitted, missing (month over, nothing sent), due, future.
    A multi-year plan shows one year at a time (default: the current year or the last one)."""
    years = plan.years
    if year not in years:
        year = today.year if today.year in years else years[-1]
    months = plans.report_months(plan.start_year, plan.end_year, plan.issued_on, year)
    schools = monthly_schools(user=user, plan=plan)
    ids = [s.pk for s in schools]
    reports = {
        (r.school_id, r.month): r
        for r in MonthlyReport.objects.filter(plan=plan, school_id__in=ids, month__year=year)
    }
    reminders: dict[tuple[int, dt.date], Reminder] = {}
    for r in Reminder.objects.filter(plan=plan, school_id__in=ids, month__year=year).order_by(
        "sent_at"
    ):
        reminders[(r.school_id, r.month)] = r  # the latest wins
    grid = plans.monthly_grid(ids, months, set(reports), today)
    return MonthlyOverview(plan, year, years, schools, grid, reports, reminders)


def school_months(
    *, plan: ProgrammePlan, school: School, today: dt.date
) -> list[tuple[dt.date, str, MonthlyReport | None, list[Reminder]]]:
    """Every reporting month of the plan for one school (the caller checked scope)."""
    months = plans.report_months(plan.start_year, plan.end_year, plan.issued_on)
    reports = {r.month: r for r in MonthlyReport.objects.filter(plan=plan, school=school)}
    reminders: dict[dt.date, list[Reminder]] = defaultdict(list)
    for r in Reminder.objects.filter(plan=plan, school=school):
        reminders[r.month].append(r)
    return [
        (m, plans.cell_state(m, m in reports, today), reports.get(m), reminders.get(m, []))
        for m in months
    ]


def open_reminders(*, user, school: School | None = None) -> list[Reminder]:
    """Reminders for months still without a report, for the schools the user sees (a school's
    home page shows them)."""
    scope = scope_for(user)
    qs = Reminder.objects.filter(scope.school_filter("school__"))
    if school is not None:
        qs = qs.filter(school=school)
    sent = MonthlyReport.objects.filter(
        plan_id=OuterRef("plan_id"), school_id=OuterRef("school_id"), month=OuterRef("month")
    )
    return list(
        qs.filter(~Exists(sent)).select_related("plan", "school").order_by("-sent_at")[:200]
    )


def report_for_download(*, user, pk: int) -> MonthlyReport | None:
    scope = scope_for(user)
    return (
        MonthlyReport.objects.filter(scope.school_filter("school__"), pk=pk)
        .exclude(attachment="")
        .first()
    )


# ---------------------------------------------------------------------------------------------
# What an investment project serves: the criteria and indicators of a framework


FACILITY_WORDS = "cơ sở vật chất"


def framework_target_choices(frameworks) -> list[tuple[str, list[tuple[str, str]]]]:
    """Per framework, its criteria then their indicators as "<framework>:<id>" choices; the
    facility standard ("Cơ sở vật chất …") first, since investment mostly serves it."""
    groups = []
    for framework in frameworks:
        data = framework.data or {}
        standards = sorted(
            data.get("standards", ()),
            key=lambda st: FACILITY_WORDS not in (st.get("title") or "").lower(),
        )
        options: list[tuple[str, str]] = []
        for standard in standards:
            for criterion in standard.get("criteria", ()):
                code = criterion["code"]
                title = (criterion.get("title") or "")[:80]
                options.append((f"{framework.code}:{code}", f"Tiêu chí {code}. {title}"))
                for indicator in criterion.get("indicators", ()):
                    text = (indicator.get("text") or "")[:70]
                    options.append(
                        (f"{framework.code}:{indicator['id']}", f"  {indicator['id']} {text}")
                    )
        groups.append((framework.short_title or framework.title, options))
    return groups
