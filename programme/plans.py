"""Rules of programme plans, in pure Python (no Django import): plan vs actual from the
recognition register, communes without a standard school ("xã trắng"), investment totals and
the monthly report grid. Selectors feed these functions with plain values; tests call them
directly.

Plan vs actual — the rule, per school target:
- A target with a year Y is ACHIEVED when a matching decision (see `matches`) was signed in Y.
  A matching decision signed in another year does not achieve it: the target is MISSED for Y
  (once Y is over) and that decision counts as "achieved without a target" in its own year.
  The row keeps the other decision so the page can say "đạt năm 2019, khác năm chỉ tiêu".
- A target without a year (seed 004 §2.3 lists upgrades for the whole period) is ACHIEVED by a
  matching decision signed in any year of the period.
- Not yet achieved: PENDING while its year is in the future, IN_PROGRESS during its year (or,
  without a year, until the period ends), MISSED afterwards.
- "Duy trì" (maintain) is not a decision: it is ACHIEVED when the school's recognition is
  valid at the end of the period looked at — 31/12 of a past year, `today` (a report's window
  end, e.g. 30/06 for a six-month report) in the current year — from the register
  (recognition.rules.school_status). Not held: MISSED for a past year, IN_PROGRESS while the
  year runs (a re-recognition may still come). A re-recognition signed in that year is
  attached to the maintain target (not counted as "without a target").
- Decisions signed after `today` do not exist yet for the comparison (a six-month report of
  2021 does not count a recognition of November 2021).
- "Nâng cao chất lượng" (improve) has no measure in the register: NOT_MEASURED (followed
  through the monthly reports), except that a new recognition in the year ACHIEVES it.
- Every national-standard grant (new, re-recognition, upgrade) signed in the period by a
  school of the plan that achieves none of its targets is "achieved without a target".

Money: Decimal only, summed exactly; shown in million đồng with Vietnamese separators
(14.765), never rounded before summing, so totals always equal the sum of their rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from core.text import format_decimal, format_int
from recognition import rules

# Target kinds (stored values; programme.models.TargetKind uses the same strings).
NEW_1 = "new_1"
NEW_2 = "new_2"
RE_RECOGNITION = "re_recognition"
UPGRADE = "upgrade"
MAINTAIN = "maintain"
IMPROVE = "improve"
DECISION_TARGETS = (NEW_1, NEW_2, RE_RECOGNITION, UPGRADE)

# Outcome states of one school target.
ACHIEVED = "achieved"
MISSED = "missed"
IN_PROGRESS = "in_progress"
PENDING = "pending"
NOT_MEASURED = "not_measured"

STATE_LABELS = {
    ACHIEVED: "Đạt",
    MISSED: "Không đạt",
    IN_PROGRESS: "Đang thực hiện",
    PENDING: "Chưa đến năm",
    NOT_MEASURED: "Theo dõi qua báo cáo",
}


def matches(target_kind: str, decision: rules.Decision) -> bool:
    """Does this register decision fulfil a target of this kind?"""
    if decision.kind not in rules.STANDARD_GRANTS:
        return False
    level = decision.level or 1
    if target_kind == NEW_1:
        return decision.kind == rules.STANDARD_NEW
    if target_kind == NEW_2:
        return decision.kind == rules.STANDARD_UPGRADE or (
            decision.kind == rules.STANDARD_NEW and level == 2
        )
    if target_kind == RE_RECOGNITION:
        # Re-recognised at the same or a higher level, or recognised anew after a lapse.
        return True
    if target_kind == UPGRADE:
        return level == 2
    if target_kind == IMPROVE:
        return decision.kind == rules.STANDARD_NEW
    return False


@dataclass(frozen=True)
class Target:
    school_id: int
    year: int | None
    kind: str
    id: int | None = None


@dataclass(frozen=True)
class Outcome:
    target: Target
    state: str
    decision: rules.Decision | None = None  # the decision that achieved it
    other_decision: rules.Decision | None = None  # a matching decision in another year

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass(frozen=True)
class Unplanned:
    """A national-standard grant of a plan school that achieved none of its targets."""

    school_id: int
    decision: rules.Decision

    @property
    def year(self) -> int:
        return self.decision.signed_on.year


@dataclass
class YearRow:
    year: int | None  # None = targets for the whole period
    targeted: int = 0
    achieved: int = 0
    missed: int = 0
    in_progress: int = 0
    pending: int = 0
    not_measured: int = 0
    without_target: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind → [targeted, achieved]

    def add(self, outcome: Outcome) -> None:
        self.targeted += 1
        setattr(self, outcome.state, getattr(self, outcome.state) + 1)
        counts = self.by_kind.setdefault(outcome.target.kind, [0, 0])
        counts[0] += 1
        counts[1] += outcome.state == ACHIEVED


@dataclass
class PlanVsActual:
    start_year: int
    end_year: int
    outcomes: list[Outcome]
    unplanned: list[Unplanned]
    years: list[YearRow]
    whole_period: YearRow

    @property
    def total(self) -> YearRow:
        row = YearRow(year=None)
        for r in [*self.years, self.whole_period]:
            for name in (
                "targeted",
                "achieved",
                "missed",
                "in_progress",
                "pending",
                "not_measured",
                "without_target",
            ):
                setattr(row, name, getattr(row, name) + getattr(r, name))
        return row


def _year_state(year: int, today: dt.date) -> str:
    if year > today.year:
        return PENDING
    if year == today.year:
        return IN_PROGRESS
    return MISSED


def plan_vs_actual(
    *,
    start_year: int,
    end_year: int,
    targets: Iterable[Target],
    decisions_by_school: Mapping[int, Iterable[Any]],
    plan_school_ids: Iterable[int] = (),
    today: dt.date,
) -> PlanVsActual:
    """Compare a plan's school targets with the register.

    decisions_by_school: every decision of each concerned school (any date; dicts, model
    objects or rules.Decision). plan_school_ids: the schools of the plan's area, whose
    unplanned recognitions are counted (target schools are always included)."""
    by_school = {
        sid: [d for d in rules._ordered(items) if d.signed_on <= today]
        for sid, items in decisions_by_school.items()
    }
    period = range(start_year, end_year + 1)
    targets = sorted(
        targets, key=lambda t: (t.year is None, t.year or 0, t.kind, t.school_id, t.id or 0)
    )
    used: set[tuple[int, int]] = set()  # (school_id, index in its ordered decisions)
    outcomes: list[Outcome] = []
    for t in targets:
        decisions = by_school.get(t.school_id, [])
        outcomes.append(_outcome(t, decisions, period, today, used))

    unplanned: list[Unplanned] = []
    schools = set(plan_school_ids) | {t.school_id for t in targets}
    for sid in sorted(schools):
        for index, d in enumerate(by_school.get(sid, [])):
            if (
                d.kind in rules.STANDARD_GRANTS
                and d.signed_on.year in period
                and (sid, index) not in used
            ):
                unplanned.append(Unplanned(sid, d))

    rows = {y: YearRow(year=y) for y in period}
    whole = YearRow(year=None)
    for o in outcomes:
        row = rows.get(o.target.year) if o.target.year is not None else whole
        if row is None:  # a target outside the period: shown with the whole period
            row = whole
        row.add(o)
    for u in unplanned:
        rows[u.year].without_target += 1
    return PlanVsActual(start_year, end_year, outcomes, unplanned, list(rows.values()), whole)


def _outcome(
    t: Target,
    decisions: list[rules.Decision],
    period: range,
    today: dt.date,
    used: set[tuple[int, int]],
) -> Outcome:
    if t.kind == MAINTAIN:
        year = t.year if t.year is not None else period[-1]
        if year > today.year:
            return Outcome(t, PENDING)
        year_end = dt.date(year, 12, 31)
        on = min(year_end, today)
        held = rules.school_status(decisions, on).standard_level
        # A re-recognition signed that year is how the school kept the standard: it belongs
        # to this target, not to "achieved without a target".
        renewal = None
        for index, d in enumerate(decisions):
            if (
                held
                and d.kind == rules.STANDARD_RENEWAL
                and d.signed_on.year == year
                and (t.school_id, index) not in used
            ):
                used.add((t.school_id, index))
                renewal = d
                break
        if held:
            return Outcome(t, ACHIEVED, decision=renewal)
        return Outcome(t, MISSED if on == year_end else IN_PROGRESS)

    years = period if t.year is None else range(t.year, t.year + 1)
    other: rules.Decision | None = None
    for index, d in enumerate(decisions):
        if not matches(t.kind, d) or (t.school_id, index) in used:
            continue
        if d.signed_on.year in years:
            used.add((t.school_id, index))
            return Outcome(t, ACHIEVED, decision=d)
        if other is None and d.signed_on.year in period:
            other = d
    if t.kind == IMPROVE:
        return Outcome(t, NOT_MEASURED)
    last = t.year if t.year is not None else period[-1]
    if t.year is None and last >= today.year:
        return Outcome(t, IN_PROGRESS, other_decision=other)
    return Outcome(t, _year_state(last, today), other_decision=other)


def white_communes(
    communes: Mapping[Hashable, Iterable[int]],
    decisions_by_school: Mapping[int, Iterable[Any]],
    on: dt.date,
) -> list[Hashable]:
    """Communes with no school holding the national standard on `on` ("xã trắng", seed 004).
    communes: commune key → ids of the schools located in it on that day."""
    out = []
    for key, school_ids in communes.items():
        if not any(
            rules.school_status(decisions_by_school.get(sid, []), on).standard_level
            for sid in school_ids
        ):
            out.append(key)
    return out


# ---------------------------------------------------------------------------------------------
# Unit-level numeric targets (seed 004: "100% cán bộ quản lý có trình độ đại học")
#
# Only what the register can tell is computed: the share and the number of standard schools of
# the plan's area on the last day of the target's year (or of the plan, without a year; today
# while that day is still ahead), and the staff shares the schools' year data gives
# (STAFF_METRICS). Anything else has no data here: its state is NOT_MEASURED and documents say
# "chưa có số liệu" rather than guess.

METRIC_STANDARD_SHARE = "standard_share"
METRIC_STANDARD_COUNT = "standard_count"
DERIVED_METRICS = (METRIC_STANDARD_SHARE, METRIC_STANDARD_COUNT)
NO_DATA = "chưa có số liệu"


def unit_metric_value(metric: str, standard: int, total: int) -> Decimal | None:
    """The actual value of a derived metric from counts: a share in percent rounded half up to
    2 places (as core.text.format_percent), or the number of standard schools; None when the
    metric is not derived or there is no school to count."""
    if metric == METRIC_STANDARD_COUNT:
        return Decimal(standard)
    if metric == METRIC_STANDARD_SHARE and total:
        return (Decimal(standard) * 100 / Decimal(total)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
    return None


# Staff targets (seed 004) computed from the schools' year data (schools.yeardata keys): the
# share of the part among the whole, summed over the schools of the plan's area that recorded
# both.
METRIC_MANAGERS_UNIVERSITY = "managers_university"
METRIC_STAFF_UNIVERSITY = "staff_university"
METRIC_TEACHERS_QUALIFIED = "teachers_qualified"
METRIC_TEACHERS_ABOVE = "teachers_above"
STAFF_METRICS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    METRIC_MANAGERS_UNIVERSITY: (("managers_university",), ("staff_managers",)),
    METRIC_STAFF_UNIVERSITY: (
        ("managers_university", "teachers_university"),
        ("staff_managers", "staff_teachers"),
    ),
    METRIC_TEACHERS_QUALIFIED: (("teachers_qualified",), ("staff_teachers",)),
    METRIC_TEACHERS_ABOVE: (("teachers_above",), ("staff_teachers",)),
}


def staff_metric_counts(metric: str, rows: Iterable[Mapping[str, int]]) -> tuple[int, int, int]:
    """(part, whole, schools counted) over the schools' year values: a school counts when it
    recorded every key of the metric (a school that left the degree row empty is not taken as
    having nobody with a degree)."""
    part_keys, whole_keys = STAFF_METRICS[metric]
    part = whole = counted = 0
    for values in rows:
        if all(values.get(k) is not None for k in (*part_keys, *whole_keys)):
            part += sum(values[k] for k in part_keys)
            whole += sum(values[k] for k in whole_keys)
            counted += 1
    return part, whole, counted


def share_percent(part: int, whole: int) -> Decimal | None:
    """A share in percent rounded half up to 2 places (as core.text.format_percent)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# Comparators of a unit target (programme.models.Comparator): "" reaches the value ("100%",
# "từ 5 đến 8%" at its lower bound), ABOVE must exceed it ("trên 80%"), BELOW stay under it
# ("dưới 1,5%").
ABOVE = "above"
BELOW = "below"
COMPARATOR_WORDS = {ABOVE: "trên", BELOW: "dưới"}


def unit_target_state(
    value: Decimal, actual: Decimal | None, *, final: bool, comparator: str = ""
) -> str:
    """ACHIEVED when the actual reaches the target's (lower) value — exceeds it for "trên",
    stays under it for "dưới"; otherwise MISSED once the measuring day is past, IN_PROGRESS
    before; NOT_MEASURED without data. A range ("từ 5 đến 8%") is reached at its lower bound."""
    if actual is None:
        return NOT_MEASURED
    met = {ABOVE: actual > value, BELOW: actual < value}.get(comparator, actual >= value)
    if met:
        return ACHIEVED
    return MISSED if final else IN_PROGRESS


# ---------------------------------------------------------------------------------------------
# Investment

CAT_UPGRADE_REPAIR = "nang_cap_sua_chua"
CAT_NEW_BUILD = "xay_dung_moi"
CAT_EQUIPMENT = "mua_sam_thiet_bi"
CATEGORY_ORDER = (CAT_UPGRADE_REPAIR, CAT_NEW_BUILD, CAT_EQUIPMENT)
CONSTRUCTION = (CAT_UPGRADE_REPAIR, CAT_NEW_BUILD)
ROMAN = ("I", "II", "III", "IV", "V")


@dataclass
class InvestmentGroup:
    numeral: str
    category: str
    rows: list[Any]
    subtotal: Decimal


@dataclass
class InvestmentTotals:
    groups: list[InvestmentGroup]  # non-empty categories, numbered I, II, … in seed 000's order
    construction_total: Decimal  # "xây dựng mới và nâng cấp, sửa chữa" (seed 000: 14.765)
    equipment_total: Decimal  # "mua sắm trang bị thiết bị dạy học" (seed 000: 1.915)
    grand_total: Decimal
    by_source: dict[str, Decimal]
    by_category: dict[str, Decimal]


def investment_totals(
    rows: Iterable[Any],
    *,
    category: Callable[[Any], str] = lambda r: r.category,
    amount: Callable[[Any], Decimal] = lambda r: r.total_million,
    source: Callable[[Any], str] = lambda r: r.funding_source,
) -> InvestmentTotals:
    """Group rows by category in the order of seed 000's table, with exact Decimal subtotals.
    Floats are refused: money must never pass through binary floating point."""
    by_cat: dict[str, list[Any]] = {c: [] for c in CATEGORY_ORDER}
    by_source: dict[str, Decimal] = {}
    for r in rows:
        value = amount(r)
        if not isinstance(value, Decimal):
            if isinstance(value, float):
                raise TypeError("Investment amounts must be Decimal, not float.")
            value = Decimal(value)
        by_cat.setdefault(category(r), []).append(r)
        by_source[source(r)] = by_source.get(source(r), Decimal(0)) + value
    groups: list[InvestmentGroup] = []
    by_category: dict[str, Decimal] = {}
    for cat, items in by_cat.items():
        subtotal = sum((Decimal(amount(r)) for r in items), Decimal(0))
        by_category[cat] = subtotal
        if items:
            groups.append(InvestmentGroup(ROMAN[len(groups)], cat, items, subtotal))
    construction = sum((by_category.get(c, Decimal(0)) for c in CONSTRUCTION), Decimal(0))
    equipment = by_category.get(CAT_EQUIPMENT, Decimal(0))
    grand = sum(by_category.values(), Decimal(0))
    return InvestmentTotals(groups, construction, equipment, grand, by_source, by_category)


def format_million(value: Decimal) -> str:
    """Million đồng as seed 000 writes them: 14765 → "14.765"; 12,5 → "12,5"."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return format_int(value)
    text = format_decimal(value, 3)
    return text.rstrip("0").rstrip(",")


def split_codes(text: str) -> list[str]:
    """ "3.1; 3.3 ,  5.2" → ["3.1", "3.3", "5.2"] (criterion codes linked to a project)."""
    out: list[str] = []
    for part in text.replace(";", ",").split(","):
        code = " ".join(part.split())
        if code and code not in out:
            out.append(code)
    return out


# ---------------------------------------------------------------------------------------------
# Monthly reports

SUBMITTED = "submitted"
MISSING = "missing"
DUE = "due"
FUTURE = "future"


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    out, month = [], month_start(first)
    while month <= last:
        out.append(month)
        month = next_month(month)
    return out


def report_months(
    start_year: int, end_year: int, issued_on: dt.date | None, year: int | None = None
) -> list[dt.date]:
    """Months a plan asks for reports: from the month it was issued (or January of its first
    year) to December of its last year; `year` narrows a multi-year plan to one year."""
    first = dt.date(start_year, 1, 1)
    if issued_on and start_year <= issued_on.year <= end_year:
        first = max(first, month_start(issued_on))
    last = dt.date(end_year, 12, 1)
    months = months_between(first, last)
    return [m for m in months if year is None or m.year == year]


def cell_state(month: dt.date, submitted: bool, today: dt.date) -> str:
    """A month's report is due by the month's last day; after that, none is MISSING."""
    if submitted:
        return SUBMITTED
    if next_month(month) <= today:
        return MISSING
    if month <= today:
        return DUE
    return FUTURE


@dataclass
class GridRow:
    school_id: int
    cells: list[tuple[dt.date, str]]

    @property
    def missing(self) -> int:
        return sum(state == MISSING for _, state in self.cells)


@dataclass
class Grid:
    months: list[dt.date]
    rows: list[GridRow]
    missing_by_month: list[int]

    @property
    def missing(self) -> int:
        return sum(self.missing_by_month)


def monthly_grid(
    school_ids: Iterable[int],
    months: list[dt.date],
    submitted: set[tuple[int, dt.date]],
    today: dt.date,
) -> Grid:
    rows = [
        GridRow(sid, [(m, cell_state(m, (sid, m) in submitted, today)) for m in months])
        for sid in school_ids
    ]
    missing = [sum(r.cells[i][1] == MISSING for r in rows) for i in range(len(months))]
    return Grid(months, rows, missing)
