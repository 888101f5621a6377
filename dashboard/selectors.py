"""Reads for the programme dashboard (issue 4 §5), scoped to the user through accounts.permissions.

Every number is counted by the database (GROUP BY / filtered COUNT), never by loading schools
into Python, so the same code serves a commune of 20 schools and the whole country's 45,000.

A school's national-standard status on a day follows recognition.rules.school_status: the latest
national-standard decision signed on or before the day decides (ties: the later recorded); a
revocation ends the status; a grant holds its level through valid_until. A school with no
decision at all in the register keeps the level the registry declared (School.standard_level,
seeded by the school import before its decisions are entered), exactly as
recognition.services.refresh_standard_levels leaves it; the dashboard says how many such schools
it counts. The trend by year can only use what the register proves, so it ignores them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connections
from django.db.models import (
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import Lead
from django.http import Http404

from accounts.permissions import scope_for
from core.text import format_date_short, format_int, format_percent
from programme.models import PlanStatus, ProgrammePlan
from programme.selectors import plan_list, plan_report
from recognition import rules, selectors, tally
from recognition.models import RecognitionDecision
from recognition.selectors import with_status
from schools.models import School, SchoolKind, SchoolLocation
from units.models import AdminUnit

TREND_YEARS = tally.TREND_YEARS
EXPIRING_MONTHS = tally.EXPIRING_MONTHS
STATUS_LABELS = {1: "Mức độ 1", 2: "Mức độ 2", 0: "Chưa đạt chuẩn"}


# ---------------------------------------------------------------------------------------------
# Value objects


@dataclass
class Counts:
    """Schools by national-standard status; the rate is computed from the counts."""

    level_1: int = 0
    level_2: int = 0
    none: int = 0

    def add(self, status: int, n: int) -> None:
        if status == 2:
            self.level_2 += n
        elif status == 1:
            self.level_1 += n
        else:
            self.none += n

    def merge(self, other: Counts) -> None:
        self.level_1 += other.level_1
        self.level_2 += other.level_2
        self.none += other.none

    @property
    def standard(self) -> int:
        return self.level_1 + self.level_2

    @property
    def total(self) -> int:
        return self.level_1 + self.level_2 + self.none

    @property
    def rate(self) -> str:
        return format_percent(self.standard, self.total)

    # Vietnamese thousands separators for the page ("14.765").
    @property
    def level_1_fmt(self) -> str:
        return format_int(self.level_1)

    @property
    def level_2_fmt(self) -> str:
        return format_int(self.level_2)

    @property
    def none_fmt(self) -> str:
        return format_int(self.none)

    @property
    def standard_fmt(self) -> str:
        return format_int(self.standard)

    @property
    def total_fmt(self) -> str:
        return format_int(self.total)

    @property
    def rate_fraction(self) -> Decimal:
        """Share as a fraction rounded half up to 4 places (55,56% → 0.5556), for xlsx."""
        if not self.total:
            return Decimal("0.0000")
        return (Decimal(self.standard) / Decimal(self.total)).quantize(
            Decimal("0.0001"), rounding=ROUND_HALF_UP
        )


@dataclass
class KindRow:
    kind: str
    label: str
    counts: Counts = field(default_factory=Counts)


@dataclass
class TrendPoint:
    year: int
    on: dt.date  # 31/12 of the year, or today for the current year
    level_1: int = 0
    level_2: int = 0

    @property
    def standard(self) -> int:
        return self.level_1 + self.level_2

    @property
    def partial(self) -> bool:
        return self.on != dt.date(self.year, 12, 31)


@dataclass
class AreaRow:
    """One drill-down line: a child unit (link to its dashboard) or a school (link to its
    register page, with its own status)."""

    label: str
    uid: str = ""  # a unit's uid, "" for a school
    code: str = ""  # a school's code, "" for a unit
    kind_label: str = ""
    counts: Counts = field(default_factory=Counts)
    status: int | None = None  # a school's level
    valid_until: dt.date | None = None
    declared_only: bool = False  # a school counted from the registry, no decision yet

    @property
    def is_school(self) -> bool:
        return bool(self.code)


@dataclass
class PlanProgress:
    """Plan vs actual of one plan in force this year (programme.selectors.plan_report)."""

    pk: int
    title: str
    period: str
    targeted: int
    achieved: int
    missed: int
    in_progress: int
    pending: int
    without_target: int
    year_targeted: int  # this year's targets
    year_achieved: int

    @property
    def rate(self) -> str:
        return format_percent(self.achieved, self.targeted)


@dataclass
class Dashboard:
    unit: AdminUnit | None  # None: the user's whole scope (several top units)
    title: str
    on: dt.date
    kinds: list[KindRow]
    total: Counts
    declared_only: int  # schools counted at a level from the registry without decisions
    trend: list[TrendPoint]
    expiring: int
    expiring_months: int
    areas: list[AreaRow]
    plans: list[PlanProgress] = field(default_factory=list)

    @property
    def expiring_fmt(self) -> str:
        return format_int(self.expiring)

    def chart_data(self) -> dict:
        """What static/js/dashboard.js draws (passed with json_script)."""
        return {
            "kinds": {
                "labels": [k.label for k in self.kinds],
                "level_1": [k.counts.level_1 for k in self.kinds],
                "level_2": [k.counts.level_2 for k in self.kinds],
                "none": [k.counts.none for k in self.kinds],
            },
            "trend": {
                "labels": [str(p.year) for p in self.trend],
                "level_1": [p.level_1 for p in self.trend],
                "level_2": [p.level_2 for p in self.trend],
                "standard": [p.standard for p in self.trend],
            },
            "series": {
                "level_1": STATUS_LABELS[1],
                "level_2": STATUS_LABELS[2],
                "none": STATUS_LABELS[0],
                "standard": "Tổng số trường đạt chuẩn",
            },
        }


# ---------------------------------------------------------------------------------------------
# Scope


def top_units(*, user) -> list[AdminUnit]:
    """The current units at the top of the user's scope (a superuser: every province)."""
    return [u for u in scope_for(user).top_units if u.is_current]


def dashboard_unit(*, user, uid: str) -> AdminUnit:
    """A current unit inside the user's scope; anything else does not exist (404)."""
    unit = AdminUnit.objects.current().filter(uid=uid).first()
    if unit is None or not scope_for(user).can_see_unit(unit):
        raise Http404("Không tìm thấy đơn vị trong phạm vi của bạn.")
    return unit


def home_unit(*, user) -> AdminUnit | None:
    """The unit /dashboard/ shows: the user's only top unit, or None for "the whole scope"
    (several units, schools only, or a superuser). Raises 404 when the user sees nothing."""
    scope = scope_for(user)
    if scope.is_empty:
        raise Http404("Bạn chưa được giao phạm vi nào.")
    units = top_units(user=user)
    if len(units) == 1 and not scope.school_ids and not scope.is_all:
        return units[0]
    return None


def schools_in(*, user, unit: AdminUnit | None) -> QuerySet[School]:
    qs = scope_for(user).schools()
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    return qs


def _overlapping(start: dt.date, end: dt.date) -> Q:
    """Location rows in force at some time in [start, end] (valid_to is exclusive)."""
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=end)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gt=start)
    )


def schools_of_area(*, user, unit: AdminUnit, start: dt.date, end: dt.date) -> QuerySet[School]:
    """Schools of a unit for a period, in the user's scope: a current unit holds the schools
    located under it now; a retired unit (huyện Phong Thổ, retired 01/07/2025) holds the schools
    its location history (SchoolLocation) puts under it at some time in [start, end] — their
    `unit` is a commune of today's map, so a filter on unit__path would find none of them."""
    schools = scope_for(user).schools()
    if unit.is_current:
        return schools.filter(unit__path__startswith=unit.path)
    located = SchoolLocation.objects.filter(
        _overlapping(start, end), unit__path__startswith=unit.path
    ).values("school_id")
    return schools.filter(pk__in=located)


def area_day(unit: AdminUnit, on: dt.date) -> dt.date:
    """The day whose map answers "schools of `unit` on `on`": `on` itself, or the last day of
    a unit retired before it (huyện Phong Thổ "today" means its schools on 30/06/2025)."""
    if unit.valid_to is not None and on >= unit.valid_to:
        return unit.valid_to - dt.timedelta(days=1)
    return on


def area_location_path(unit: AdminUnit, on: dt.date) -> Subquery:
    """For a retired unit: the path of the (old) unit under it where each school sat on `on`,
    to roll the schools up into the retired unit's own communes."""
    return Subquery(
        SchoolLocation.objects.filter(
            _overlapping(on, on), school=OuterRef("pk"), unit__path__startswith=unit.path
        )
        .order_by(F("valid_from").desc(nulls_last=True), "-pk")
        .values("unit__path")[:1]
    )


def decisions_in(*, user, unit: AdminUnit | None) -> QuerySet[RecognitionDecision]:
    qs = RecognitionDecision.objects.filter(scope_for(user).school_filter("school__"))
    if unit is not None:
        qs = qs.filter(school__unit__path__startswith=unit.path)
    return qs


# ---------------------------------------------------------------------------------------------
# Status in SQL


# latest_standard and with_status live in recognition.selectors (the plans use them too).


def status_rows(
    *, user, unit: AdminUnit | None, on: dt.date
) -> list[tuple[str, str, int, bool, int]]:
    """The dashboard's one aggregate: (unit path, kind, status, in register, n) per group.
    Kind totals and drill-down lines are both rolled up from these few rows."""
    qs = with_status(schools_in(user=user, unit=unit), on)
    return [
        (path, kind, status, bool(in_register), n)
        for path, kind, status, in_register, n in qs.order_by()
        .values_list("unit__path", "kind", "status", "in_register")
        .annotate(n=Count("pk"))
    ]


# ---------------------------------------------------------------------------------------------
# Trend


# 31/12 of each of the last years, the current one counted up to `on`: the days the kept
# counts are kept for, so the live trend and the kept one answer for the same days.
trend_dates = tally.tally_days


def trend(
    *, user, unit: AdminUnit | None, on: dt.date, years: int = TREND_YEARS
) -> list[TrendPoint]:
    """Standard schools by level at each date of trend_dates, in one query.

    Each national-standard decision holds from its date until the next decision of the same
    school (by date, then recording order) or its valid_until, whichever comes first; a grant
    whose interval contains the day is the school's status that day (a revocation holds no
    level). The "next decision" comes from a window function (LEAD), one pass over the rows."""
    dates = trend_dates(on, years)
    inner = (
        decisions_in(user=user, unit=unit)
        .filter(track=rules.TRACK_STANDARD, signed_on__lte=on)
        .annotate(
            next_on=Window(
                Lead("signed_on"),
                partition_by=[F("school_id")],
                order_by=[F("signed_on").asc(), F("id").asc()],
            )
        )
        .order_by()
        .values("signed_on", "valid_until", "kind", "level", "next_on")
    )
    # The outer sums are plain SQL: built with the ORM, twenty filtered counts cost more to
    # compose (expression copies and hashes) than the database takes to run them.
    sql, params = inner.query.sql_with_params()
    db = connections[inner.db]  # the replica when the view reads from one
    ops = db.ops
    revoked = ", ".join(["%s"] * len(rules.REVOCATIONS))
    sums, sum_params = [], []
    for day in dates:
        value = ops.adapt_datefield_value(day)
        for level in (1, 2):
            sums.append(
                "COALESCE(SUM(CASE WHEN d.signed_on <= %s AND d.valid_until >= %s"
                f" AND d.kind NOT IN ({revoked})"
                " AND (d.next_on IS NULL OR d.next_on > %s) AND d.level = %s"
                " THEN 1 ELSE 0 END), 0)"
            )
            sum_params += [value, value, *rules.REVOCATIONS, value, level]
    with db.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(sums)} FROM ({sql}) d", [*sum_params, *params])
        counts = cursor.fetchone()
    return [
        TrendPoint(day.year, day, int(counts[2 * i]), int(counts[2 * i + 1]))
        for i, day in enumerate(dates)
    ]


# ---------------------------------------------------------------------------------------------
# Drill-down


def _child_units(*, user, unit: AdminUnit | None) -> list[AdminUnit]:
    if unit is None:
        return top_units(user=user)
    children = AdminUnit.objects.current().filter(parent=unit)
    scope = scope_for(user)
    if not scope.is_all:
        children = children.filter(pk__in=scope.units().values("pk"))
    return list(children)


def _school_rows(schools: QuerySet[School], on: dt.date) -> list[AreaRow]:
    """The schools' own lines, each with its status on `on` (as recognition.with_status counts
    it) and its decision's end date. One query: the schools joined to their decisions, as
    plain values (a school has a few decisions), instead of three correlated subqueries per
    school and a model instance per row."""
    kinds = {value: str(label) for value, label in SchoolKind.choices}
    found: dict[int, dict] = {}
    latest: dict[int, tuple] = {}  # school -> (signed_on, id, kind, level, valid_until)
    values = schools.order_by("sort_key", "code", "pk").values_list(
        "pk",
        "code",
        "name",
        "kind",
        "standard_level",
        "recognitions__id",
        "recognitions__track",
        "recognitions__signed_on",
        "recognitions__kind",
        "recognitions__level",
        "recognitions__valid_until",
    )
    for pk, code, name, kind, own_level, d_id, track, signed_on, d_kind, level, until in values:
        school = found.setdefault(
            pk,
            {"code": code, "name": name, "kind": kind, "level": own_level, "registered": False},
        )
        if d_id is None:
            continue
        school["registered"] = True
        if track == rules.TRACK_STANDARD and signed_on <= on:
            decision = (signed_on, d_id, d_kind, level, until)
            if pk not in latest or decision[:2] > latest[pk][:2]:
                latest[pk] = decision
    rows = []
    for pk, school in found.items():
        decision = latest.get(pk)
        if not school["registered"]:
            status = school["level"]
        elif decision is None:
            status = 0
        else:
            _signed, _id, d_kind, level, until = decision
            lapsed = d_kind in rules.REVOCATIONS or (until is not None and until < on)
            status = 0 if lapsed else (level or 0)
        counts = Counts()
        counts.add(status, 1)
        rows.append(
            AreaRow(
                label=school["name"],
                code=school["code"],
                kind_label=kinds.get(school["kind"], school["kind"]),
                counts=counts,
                status=status,
                valid_until=decision[4] if school["registered"] and status else None,
                declared_only=not school["registered"] and bool(status),
            )
        )
    return rows


def areas(
    *,
    user,
    unit: AdminUnit | None,
    on: dt.date,
    rows: Iterable[tuple[str, str, int, bool, int]],
) -> list[AreaRow]:
    """Child units with their counts (rolled up from `rows` by path), then the schools that
    sit directly in the unit (a commune's schools, or the member schools of a principal)."""
    children = _child_units(user=user, unit=unit)
    by_path = {c.path: AreaRow(label=c.name, uid=c.uid) for c in children}
    # Longest path first, so a unit nested in another (if any) gets its own schools.
    paths = sorted(by_path, key=len, reverse=True)
    for path, _kind, status, _reg, n in rows:
        for prefix in paths:
            if path.startswith(prefix):
                by_path[prefix].counts.add(status, n)
                break
    out = list(by_path.values())  # children come in Vietnamese alphabetical order
    scope = scope_for(user)
    if unit is not None:
        direct = schools_in(user=user, unit=unit).filter(unit=unit)
    elif scope.school_ids:
        direct = scope.schools().filter(pk__in=scope.school_ids)
        for path in by_path:
            direct = direct.exclude(unit__path__startswith=path)
    else:
        direct = School.objects.none()
    return out + _school_rows(direct, on)


# ---------------------------------------------------------------------------------------------
# The page


def _tally_paths(*, user, unit: AdminUnit | None) -> list[str] | None | bool:
    """Where the kept counts (recognition.tally) can answer for this page: the unit paths to
    sum (None: everywhere), or False when the user's scope names single schools (a principal),
    which the per-commune counts cannot tell apart."""
    scope = scope_for(user)
    if scope.school_ids:
        return False
    if unit is not None:
        return [unit.path]
    return None if scope.is_all else scope.unit_paths


def dashboard(*, user, unit: AdminUnit | None, on: dt.date, live: bool = False) -> Dashboard:
    """The page's numbers, from the kept counts when they are fresh for `on` and the page is a
    unit's (or the whole scope of unit seats), counted live otherwise (or when `live`)."""
    paths = False if live else _tally_paths(user=user, unit=unit)
    usable = paths is not False and (unit is None or unit.is_current)
    if usable and tally.is_fresh(on):
        by_province = unit is None and scope_for(user).is_all
        rows = tally.status_rows(day=on, paths=paths, by_province=by_province)
        counts = tally.trend_counts(days=trend_dates(on), paths=paths)
        trend_points = [
            TrendPoint(day.year, day, counts.get((day, 1), 0), counts.get((day, 2), 0))
            for day in trend_dates(on)
        ]
        expiring = tally.expiring_count(day=on, paths=paths)
    else:
        rows = status_rows(user=user, unit=unit, on=on)
        trend_points = trend(user=user, unit=unit, on=on)
        units = {"province": unit.uid} if unit is not None else {}
        expiring = selectors.expiring(user=user, on=on, months=EXPIRING_MONTHS, **units).count()
    kinds = {k: KindRow(k, str(label)) for k, label in SchoolKind.choices}
    total = Counts()
    declared = 0
    for _path, kind, status, in_register, n in rows:
        row = kinds.get(kind) or kinds.setdefault(kind, KindRow(kind, kind))
        row.counts.add(status, n)
        total.add(status, n)
        if not in_register and status:
            declared += n
    return Dashboard(
        unit=unit,
        title=unit.name if unit is not None else "Toàn bộ phạm vi được giao",
        on=on,
        kinds=[k for k in kinds.values() if k.counts.total],
        total=total,
        declared_only=declared,
        trend=trend_points,
        expiring=expiring,
        expiring_months=EXPIRING_MONTHS,
        areas=areas(user=user, unit=unit, on=on, rows=rows),
        plans=plan_progress(user=user, unit=unit, on=on),
    )


MAX_PLANS = 3


def plan_progress(*, user, unit: AdminUnit | None, on: dt.date) -> list[PlanProgress]:
    """Plans of the unit itself that cover this year (not drafts), newest first, with their
    plan-vs-actual totals. Each report is computed by the plans module from the register of
    the plan's schools, so only a few plans are shown; the plan page has the detail."""
    if unit is None:
        return []
    # A unit the user sees shows all its plans (plan_list's visibility rule): no need to build
    # the rule's retired-units and named-schools alternatives for that one unit.
    issued = (
        ProgrammePlan.objects.select_related("unit", "parent")
        if scope_for(user).can_see_unit(unit)
        else plan_list(user=user)
    )
    plans = (
        issued.filter(unit=unit, start_year__lte=on.year, end_year__gte=on.year)
        .order_by("-start_year", "-end_year", "-issued_on", "-id")
        .exclude(status=PlanStatus.DRAFT)[:MAX_PLANS]
    )
    out = []
    for plan in plans:
        result = plan_report(user=user, plan=plan, today=on).result
        total = result.total
        year = next((r for r in result.years if r.year == on.year), None)
        out.append(
            PlanProgress(
                pk=plan.pk,
                title=str(plan),
                period=plan.period_label,
                targeted=total.targeted,
                achieved=total.achieved,
                missed=total.missed,
                in_progress=total.in_progress,
                pending=total.pending,
                without_target=total.without_target,
                year_targeted=year.targeted if year else 0,
                year_achieved=year.achieved if year else 0,
            )
        )
    return out


def breadcrumbs(*, user, unit: AdminUnit | None) -> list[tuple[str, str]]:
    """(label, uid) from the top of the tree down to the unit's parent; uid "" when the user
    may not open that level's dashboard (a commune officer sees the province's name only)."""
    if unit is None:
        return []
    scope = scope_for(user)
    return [(a.name, a.uid if scope.can_see_unit(a) else "") for a in unit.ancestors()]


# ---------------------------------------------------------------------------------------------
# The same numbers as a workbook

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COUNT_HEADERS = [
    "Tổng số trường",
    "Đạt chuẩn Mức độ 1",
    "Đạt chuẩn Mức độ 2",
    "Chưa đạt chuẩn",
    "Số trường đạt chuẩn",
    "Tỷ lệ đạt chuẩn",
]


def _count_cells(c: Counts) -> list:
    return [c.total, c.level_1, c.level_2, c.none, c.standard, float(c.rate_fraction)]


def workbook(d: Dashboard):
    """Three sheets with Vietnamese headers: by school kind (with the total line), by year, and
    the drill-down lines. Counts are numbers, rates are fractions shown as percentages, so the
    sheet can be summed; the rate is computed from the counts and rounded half up to 2 places
    of a percent (as core.text.format_percent)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    bold = Font(bold=True)
    on = format_date_short(d.on)

    def sheet(ws, title: str, headers: list[str]) -> None:
        ws.append([title])
        ws["A1"].font = Font(bold=True, size=13)
        ws.append([f"Số liệu ngày {on}, tính từ sổ quyết định công nhận."])
        ws.append([])
        ws.append(headers)
        for cell in ws[4]:
            cell.font = bold
        ws.freeze_panes = "A5"
        for i, h in enumerate(headers, start=1):
            ws.column_dimensions[get_column_letter(i)].width = max(14, len(h) + 2)

    def percent(ws, col: int) -> None:
        for row in ws.iter_rows(min_row=5, min_col=col, max_col=col):
            row[0].number_format = "0.00%"

    ws = wb.active
    ws.title = "Theo cấp học"
    sheet(ws, f"Trường đạt chuẩn quốc gia theo cấp học — {d.title}", ["Cấp học", *COUNT_HEADERS])
    ws.column_dimensions["A"].width = 44
    for k in d.kinds:
        ws.append([k.label, *_count_cells(k.counts)])
    ws.append(["Tổng cộng", *_count_cells(d.total)])
    for cell in ws[ws.max_row]:
        cell.font = bold
    percent(ws, 7)
    if d.declared_only:
        ws.append([])
        ws.append(
            [
                f"Ghi chú: {d.declared_only} trường được tính theo mức chuẩn khai trong danh sách"
                " trường, chưa có quyết định trong sổ công nhận."
            ]
        )

    ws = wb.create_sheet("Theo năm")
    sheet(
        ws,
        f"Số trường đạt chuẩn quốc gia theo năm — {d.title}",
        ["Năm", "Tính đến ngày", "Mức độ 1", "Mức độ 2", "Tổng số trường đạt chuẩn"],
    )
    for p in d.trend:
        ws.append([p.year, format_date_short(p.on), p.level_1, p.level_2, p.standard])

    ws = wb.create_sheet("Theo đơn vị, trường")
    sheet(
        ws,
        f"Số liệu theo đơn vị và trường — {d.title}",
        ["Đơn vị / Trường", "Mã", "Cấp học", *COUNT_HEADERS, "Hiệu lực đến"],
    )
    ws.column_dimensions["A"].width = 44
    for a in d.areas:
        until = format_date_short(a.valid_until) if a.valid_until else ""
        ws.append([a.label, a.uid or a.code, a.kind_label, *_count_cells(a.counts), until])
    ws.append(["Tổng cộng", "", "", *_count_cells(_sum(a.counts for a in d.areas)), ""])
    for cell in ws[ws.max_row]:
        cell.font = bold
    percent(ws, 9)
    return wb


def _sum(items: Iterable[Counts]) -> Counts:
    out = Counts()
    for c in items:
        out.merge(c)
    return out
