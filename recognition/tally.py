"""Kept counts for the dashboards (issue 13 §9): schools by national-standard status per
commune, kind and day, so a province's or the country's dashboard sums a few thousand rows
instead of deciding the status of 45,000 schools from 80,000 decisions on every view.

The counts are derived, never the truth: `with_status` (recognition.selectors) stays the rule,
and the tallies are its GROUP BY stored per commune for the days the dashboards show (today and
31/12 of each earlier year of the trend). They are trusted only while they are *fresh*: the
state row records the day counted and marks of the data counted from — the highest history row
of schools and of decisions (every write is audited, core.audit), their highest id and their
number (a bulk insert or a raw delete moves those). When a mark moves, the communes touched
since are recounted from the history rows (a decision or an edited school touches one or two
communes: a few milliseconds); when the day changes or too much moved, everything is recounted
(the daily status refresh does it once a day). The scheduler runs `count_tallies` every
minute, and the register's own writes recount their communes at once; in between the
dashboards count live: never a stale number, only a slower page.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, Sum, Value
from django.utils import timezone

from recognition import rules
from recognition.models import RecognitionDecision, StatusTally, TallyState
from recognition.selectors import _in_force, _is_latest, with_status
from schools.models import School
from units.models import AdminUnit

TREND_YEARS = 10
EXPIRING_MONTHS = rules.DEFAULT_EXPIRING_MONTHS
# Beyond this many communes touched since the last count, one full recount is cheaper.
MAX_INCREMENTAL_UNITS = 200


def tally_days(on: dt.date, years: int = TREND_YEARS) -> list[dt.date]:
    """31/12 of each of the last `years` years, the current one counted up to `on`."""
    return [dt.date(y, 12, 31) for y in range(on.year - years + 1, on.year)] + [on]


def _marks_sql() -> str:
    school, decision = School._meta.db_table, RecognitionDecision._meta.db_table
    school_history = School.history.model._meta.db_table
    decision_history = RecognitionDecision.history.model._meta.db_table
    return (
        f"(SELECT MAX(history_id) FROM {school_history}),"
        f" (SELECT MAX(history_id) FROM {decision_history}),"
        f" (SELECT MAX(id) FROM {school}), (SELECT COUNT(*) FROM {school}),"
        f" (SELECT MAX(id) FROM {decision}), (SELECT COUNT(*) FROM {decision})"
    )


def _marks() -> dict[str, int]:
    """The data's marks in one statement (a page checks them before trusting the tallies)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {_marks_sql()}")
        row = cursor.fetchone()
    return dict(zip(MARKS, (v or 0 for v in row), strict=True))


MARKS = (
    "school_history",
    "decision_history",
    "school_max",
    "school_count",
    "decision_max",
    "decision_count",
)


def _state() -> TallyState:
    state = TallyState.objects.order_by("pk").first()
    return state if state is not None else TallyState.objects.create(day=None, marks={})


def is_fresh(on: dt.date) -> bool:
    """Whether the tallies answer for `on` exactly as the live count would: the kept state and
    the data's marks read in one statement (every dashboard view asks)."""
    table = TallyState._meta.db_table
    first = f"FROM {table} ORDER BY id LIMIT 1"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT day {first}), (SELECT marks {first}), {_marks_sql()}")
        day, marks, *now = cursor.fetchone()
    if day is None or marks is None:
        return False
    if isinstance(day, str):  # SQLite hands the date over as text
        day = dt.date.fromisoformat(day)
    if isinstance(marks, (str, bytes)):  # jsonb and SQLite's JSON as text
        marks = json.loads(marks)
    return day == on and marks == dict(zip(MARKS, (v or 0 for v in now), strict=True))


# ---------------------------------------------------------------------------------------------
# Counting


def _expiring_exists(on: dt.date) -> Exists:
    """The school's latest national-standard decision is in force on `on` and ends within the
    window (recognition.selectors.expiring, per school)."""
    end = rules.add_months(on, EXPIRING_MONTHS)
    return Exists(
        RecognitionDecision.objects.filter(
            school=OuterRef("pk"), track=rules.TRACK_STANDARD, signed_on__lte=on
        )
        .filter(_is_latest(on))
        .filter(_in_force(on), valid_until__lte=end)
    )


def _count(units: Iterable[int] | None, days: list[dt.date]) -> list[StatusTally]:
    """The commune rows for `days` (all communes, or `units`). The last day (today) is counted
    whole, with the expiring count; an earlier day only feeds the trend, which counts schools
    the register holds at a level: only those, and without the kind."""
    provinces = dict(AdminUnit.objects.filter(depth=0).values_list("uid", "id"))
    schools = School.objects.all()
    if units is not None:
        schools = schools.filter(unit_id__in=list(units))
    rows: list[StatusTally] = []
    for day in days:
        qs = with_status(schools, day)
        if day == days[-1]:
            qs = qs.annotate(expiring_now=_expiring_exists(day)).values_list(
                "unit_id", "unit__path", "kind", "status", "in_register", "expiring_now"
            )
        else:
            qs = qs.filter(in_register=True, status__gt=0).values_list(
                "unit_id", "unit__path", Value(""), "status", "in_register", Value(False)
            )
        merged: dict[tuple, StatusTally] = {}
        for unit_id, path, kind, status, in_register, expiring, n in qs.order_by().annotate(
            n=Count("pk")
        ):
            key = (unit_id, kind, status, bool(in_register))
            row = merged.get(key)
            if row is None:
                province = provinces.get(path.strip("/").split("/")[0], unit_id)
                row = merged[key] = StatusTally(
                    day=day,
                    province_id=province,
                    unit_id=unit_id,
                    kind=kind,
                    status=status,
                    in_register=bool(in_register),
                    n=0,
                )
            row.n += n
            if expiring:
                row.expiring += n
        rows.extend(merged.values())
    return rows


def _rollups(provinces: Iterable[int] | None) -> list[StatusTally]:
    """Each province's rows summed over its communes, from the commune rows just written."""
    qs = StatusTally.objects.filter(rollup=False)
    if provinces is not None:
        qs = qs.filter(province_id__in=list(provinces))
    return [
        StatusTally(
            day=day,
            province_id=province,
            unit_id=province,
            kind=kind,
            status=status,
            in_register=in_register,
            n=n,
            expiring=expiring,
            rollup=True,
        )
        for day, province, kind, status, in_register, n, expiring in qs.order_by()
        .values_list("day", "province_id", "kind", "status", "in_register")
        .annotate(n=Sum("n"), e=Sum("expiring"))
    ]


def _touched_units(state: TallyState) -> set[int] | None:
    """Communes whose counts may have changed since the marks of `state` (None: unknown, count
    everything). A school's communes are its unit now and in every history row since, plus the
    one it had at the last count (a school moved away from a commune changes that commune)."""
    marks, now = state.marks, _marks()
    if set(marks) != set(MARKS):
        return None
    school_rows = School.history.model.objects
    mark = marks["school_history"]
    school_since = school_rows.filter(history_id__gt=mark)
    decision_since = RecognitionDecision.history.model.objects.filter(
        history_id__gt=marks["decision_history"]
    )
    # Rows added or removed without a history row (a raw bulk insert, a raw delete): the
    # numbers do not add up, and nothing says which communes they touched.
    for since, prefix in ((school_since, "school"), (decision_since, "decision")):
        added = since.filter(history_type="+").values("id").distinct().count()
        removed = since.filter(history_type="-").values("id").distinct().count()
        if now[f"{prefix}_count"] != marks[f"{prefix}_count"] + added - removed:
            return None
    changed = set(school_since.values_list("id", flat=True))
    created = set(school_since.filter(history_type="+").values_list("id", flat=True))
    school_ids = changed | set(decision_since.values_list("school_id", flat=True))
    if len(school_ids) > MAX_INCREMENTAL_UNITS * 20:
        return None
    # A changed school with no history row before the mark was written without one: where it
    # was counted is unknown.
    earlier = school_rows.filter(history_id__lte=mark)
    known = set(earlier.filter(id__in=changed - created).values_list("id", flat=True).distinct())
    if changed - created - known:
        return None
    units = set(school_since.values_list("unit_id", flat=True).distinct())
    # The unit each school had at the last count: its latest history row before the mark.
    before = (
        earlier.filter(id__in=school_ids)
        .values("id")
        .annotate(last=Max("history_id"))
        .values_list("last", flat=True)
    )
    units |= set(school_rows.filter(history_id__in=before).values_list("unit_id", flat=True))
    units |= set(School.objects.filter(id__in=school_ids).values_list("unit_id", flat=True))
    units.discard(None)
    return None if len(units) > MAX_INCREMENTAL_UNITS else units


def tally_refresh(*, on: dt.date | None = None, full: bool = False) -> int:
    """Bring the tallies up to date for `on` (default today): recount the communes touched
    since the last count, or everything when the day changed, the data moved without history
    or `full`. Returns the communes recounted (-1: all). Serialised by a row lock, so two
    workers never interleave their counts."""
    on = on or timezone.localdate()
    days = tally_days(on)
    with transaction.atomic():
        state = TallyState.objects.select_for_update().filter(pk=_state().pk).get()
        units = None if full or state.day != on else _touched_units(state)
        marks = _marks()
        if units is None:
            StatusTally.objects.all().delete()
            StatusTally.objects.bulk_create(_count(None, days), batch_size=2000)
            StatusTally.objects.bulk_create(_rollups(None), batch_size=2000)
        elif units:
            stale = StatusTally.objects.filter(rollup=False, unit_id__in=units)
            provinces = set(stale.values_list("province_id", flat=True).distinct())
            stale.delete()
            fresh = _count(units, days)
            provinces |= {row.province_id for row in fresh}
            StatusTally.objects.bulk_create(fresh, batch_size=2000)
            StatusTally.objects.filter(rollup=True, province_id__in=provinces).delete()
            StatusTally.objects.bulk_create(_rollups(provinces), batch_size=2000)
        state.day, state.marks = on, marks
        state.save(update_fields=["day", "marks"])
    return -1 if units is None else len(units)


# ---------------------------------------------------------------------------------------------
# Reading (the dashboards check is_fresh first and decide the units from the user's scope)


def _under(day: dt.date | list[dt.date], paths: list[str] | None, totals: bool) -> Q:
    """Tallies of the day(s) under any of `paths` (None: everywhere). For `totals` (sums over
    the whole area, no commune lines) a province reads its rollup rows."""
    q = Q(day__in=day) if isinstance(day, list) else Q(day=day)
    if paths is None:
        return q & Q(rollup=totals)
    under = Q(pk__in=[])
    for path in paths:
        if path.count("/") == 2:  # "/P12/": a province, by the indexed column
            under |= Q(rollup=totals, province__path=path)
        else:
            under |= Q(rollup=False, unit__path__startswith=path)
    return q & under


def status_rows(
    *, day: dt.date, paths: list[str] | None, by_province: bool
) -> list[tuple[str, str, int, bool, int]]:
    """(path, kind, status, in register, n) as dashboard.selectors.status_rows gives them, the
    path being the commune's, or the province's when the page rolls up by province."""
    qs = (
        StatusTally.objects.filter(_under(day, paths, totals=by_province))
        .order_by()
        .values_list("unit__path", "kind", "status", "in_register")
        .annotate(total=Sum("n"))
    )
    return [(path, kind, status, bool(reg), n) for path, kind, status, reg, n in qs]


def trend_counts(*, days: list[dt.date], paths: list[str] | None) -> dict[tuple, int]:
    """{(day, level): schools the register holds at that level on that day}."""
    qs = (
        StatusTally.objects.filter(_under(days, paths, totals=True), in_register=True, status__gt=0)
        .order_by()
        .values_list("day", "status")
        .annotate(total=Sum("n"))
    )
    return {(day, status): n for day, status, n in qs}


def expiring_count(*, day: dt.date, paths: list[str] | None) -> int:
    qs = StatusTally.objects.filter(_under(day, paths, totals=True))
    return qs.aggregate(n=Sum("expiring"))["n"] or 0
