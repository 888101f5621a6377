"""Reads of the recognition register, always scoped to the user (accounts.scope).

Status lists (expiring, expired, by level, forecast) are answered in SQL with exactly the rule
of recognition.rules.school_status: the latest decision of a track signed on or before the day
decides; a revocation ends the status; a grant holds through its valid_until. Tests check that
both agree at the boundaries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear

from accounts.scope import scope_for
from recognition import rules
from recognition.models import RecognitionDecision
from schools.models import School
from units.models import AdminUnit


@dataclass(frozen=True)
class RegisterFilters:
    kind: str = ""
    level: str = ""
    province: str = ""  # AdminUnit.uid
    commune: str = ""  # AdminUnit.uid
    year: str = ""

    @classmethod
    def from_params(cls, params) -> RegisterFilters:
        return cls(**{k: (params.get(k) or "").strip() for k in cls.__dataclass_fields__})

    def as_params(self) -> dict[str, str]:
        return {k: v for k, v in self.__dict__.items() if v}


def _unit_filter(qs: QuerySet, prefix: str, province: str, commune: str) -> QuerySet:
    for uid in (commune, province):
        if uid:
            unit = AdminUnit.objects.filter(uid=uid).only("path").first()
            # An unknown unit filters everything out rather than being silently ignored.
            return (
                qs.filter(**{f"{prefix}unit__path__startswith": unit.path}) if unit else qs.none()
            )
    return qs


def decision_list(*, user, filters: RegisterFilters) -> QuerySet[RecognitionDecision]:
    scope = scope_for(user)
    qs = RecognitionDecision.objects.filter(scope.school_filter("school__"))
    qs = _unit_filter(qs, "school__", filters.province, filters.commune)
    if filters.kind in rules.TRACK_OF:
        qs = qs.filter(kind=filters.kind)
    if filters.level.isdigit():
        qs = qs.filter(level=int(filters.level))
    if filters.year.isdigit():
        qs = qs.filter(signed_on__year=int(filters.year))
    return qs.select_related("school", "school__unit", "school__unit__parent").order_by(
        "-signed_on", "-id"
    )


def decision_years(*, user) -> list[int]:
    scope = scope_for(user)
    qs = RecognitionDecision.objects.filter(scope.school_filter("school__"))
    years = qs.annotate(y=ExtractYear("signed_on")).values_list("y", flat=True).distinct()
    return sorted({y for y in years if y}, reverse=True)


def school_decisions(school: School) -> list[RecognitionDecision]:
    """The school's whole register, oldest first (the caller has checked scope)."""
    return list(
        RecognitionDecision.objects.filter(school=school)
        .select_related("created_by")
        .order_by("signed_on", "id")
    )


def decision_for_download(*, user, pk: int) -> RecognitionDecision | None:
    scope = scope_for(user)
    return (
        RecognitionDecision.objects.filter(scope.school_filter("school__"), pk=pk)
        .exclude(scan="")
        .first()
    )


# ---------------------------------------------------------------------------------------------
# Status lists
#
# "Current" decisions: for each school and track, the latest decision signed on or before the
# day (no later one exists in the same track). Filtering decisions (not schools) lets the
# database start from the valid_until index and check "is it the latest" only for candidates.


def _is_latest(on: dt.date) -> Q:
    later = RecognitionDecision.objects.filter(
        school=OuterRef("school"), track=OuterRef("track"), signed_on__lte=on
    ).filter(
        Q(signed_on__gt=OuterRef("signed_on"))
        | Q(signed_on=OuterRef("signed_on"), id__gt=OuterRef("id"))
    )
    return ~Exists(later)


def current_decisions(
    *, user, on: dt.date, track: str = rules.TRACK_STANDARD, province: str = "", commune: str = ""
) -> QuerySet[RecognitionDecision]:
    qs = RecognitionDecision.objects.filter(
        scope_for(user).school_filter("school__"), track=track, signed_on__lte=on
    )
    qs = _unit_filter(qs, "school__", province, commune)
    # Only what the lists show: loading every column of three models costs more than the query.
    return qs.filter(_is_latest(on)).select_related("school", "school__unit").only(*LIST_FIELDS)


LIST_FIELDS = (
    "id",
    "school",
    "number",
    "signed_on",
    "kind",
    "track",
    "level",
    "valid_until",
    "school__code",
    "school__name",
    "school__sort_key",
    "school__unit",
    "school__unit__name",
)


def _in_force(on: dt.date) -> Q:
    return Q(valid_until__gte=on) & ~Q(kind__in=rules.REVOCATIONS)


def expiring(*, user, on: dt.date, months: int, **units) -> QuerySet[RecognitionDecision]:
    """National-standard recognitions in force on `on` that end within `months` months."""
    end = rules.add_months(on, months)
    return (
        current_decisions(user=user, on=on, **units)
        .filter(_in_force(on), valid_until__lte=end)
        .order_by("valid_until", "school__sort_key")
    )


def expired(*, user, on: dt.date, **units) -> QuerySet[RecognitionDecision]:
    """Latest national-standard recognitions that lapsed (not revoked, not renewed)."""
    return (
        current_decisions(user=user, on=on, **units)
        .filter(valid_until__lt=on)
        .exclude(kind__in=rules.REVOCATIONS)
        .order_by("-valid_until", "school__sort_key")
    )


def revoked(*, user, on: dt.date, **units) -> QuerySet[RecognitionDecision]:
    return (
        current_decisions(user=user, on=on, **units)
        .filter(kind__in=rules.REVOCATIONS)
        .order_by("-signed_on", "school__sort_key")
    )


def by_level(*, user, on: dt.date, level: int, **units) -> QuerySet[RecognitionDecision]:
    """Recognitions in force at Mức độ `level` (1 or 2), one per school."""
    return (
        current_decisions(user=user, on=on, **units)
        .filter(_in_force(on), level=level)
        .order_by("school__sort_key", "school__code")
    )


def not_standard(*, user, on: dt.date, **units) -> QuerySet[School]:
    """Schools with no national-standard recognition in force (never, lapsed or revoked)."""
    held = current_decisions(user=user, on=on, **units).filter(_in_force(on)).values("school_id")
    schools = _unit_filter(
        scope_for(user).schools(), "", units.get("province", ""), units.get("commune", "")
    )
    return schools.exclude(pk__in=held).select_related("unit").order_by("sort_key", "code")


def level_counts(*, user, on: dt.date, **units) -> dict[int, int]:
    counts = dict(
        current_decisions(user=user, on=on, **units)
        .filter(_in_force(on))
        .order_by()
        .values_list("level")
        .annotate(n=Count("pk"))
    )
    total = _unit_filter(
        scope_for(user).schools(), "", units.get("province", ""), units.get("commune", "")
    ).count()
    out = {1: counts.get(1, 0), 2: counts.get(2, 0)}
    out[0] = total - out[1] - out[2]
    return out


def accreditation_levels(*, on: dt.date, school_ids: list[int]) -> dict[int, int]:
    """Accreditation level in force per school, for the schools of one page."""
    qs = RecognitionDecision.objects.filter(
        school_id__in=school_ids, track=rules.TRACK_ACCREDITATION, signed_on__lte=on
    ).filter(_is_latest(on), _in_force(on))
    return dict(qs.values_list("school_id", "level"))


@dataclass(frozen=True)
class ForecastYear:
    year: int
    standard_1: int
    standard_2: int
    accreditation: int

    @property
    def standard(self) -> int:
        return self.standard_1 + self.standard_2


def forecast(*, user, on: dt.date, years: int = 6, **units) -> list[ForecastYear]:
    """Recognitions in force today that expire in each of the next `years` calendar years
    (the current year counts from today), if not renewed."""
    last = dt.date(on.year + years - 1, 12, 31)
    span = range(on.year, on.year + years)
    std1, std2, acc = (dict.fromkeys(span, 0) for _ in range(3))
    for track, sink in ((rules.TRACK_STANDARD, None), (rules.TRACK_ACCREDITATION, acc)):
        rows = (
            current_decisions(user=user, on=on, track=track, **units)
            .filter(_in_force(on), valid_until__lte=last)
            .annotate(y=ExtractYear("valid_until"))
            .order_by()
            .values_list("y", "level")
            .annotate(n=Count("pk"))
        )
        for year, level, n in rows:
            target = sink if sink is not None else (std2 if level == 2 else std1)
            target[year] += n
    return [ForecastYear(y, std1[y], std2[y], acc[y]) for y in span]


# ---------------------------------------------------------------------------------------------
# Status in SQL (the dashboard, the plans' unit targets and the documents count with it)


def latest_standard(on: dt.date) -> QuerySet[RecognitionDecision]:
    return RecognitionDecision.objects.filter(
        school=OuterRef("pk"), track=rules.TRACK_STANDARD, signed_on__lte=on
    ).order_by("-signed_on", "-id")


def with_status(schools: QuerySet[School], on: dt.date) -> QuerySet[School]:
    """Annotate `status` (0, 1, 2 on the day) and `in_register` (the school has decisions)."""
    in_force = Case(
        When(kind__in=rules.REVOCATIONS, then=Value(0)),
        When(valid_until__lt=on, then=Value(0)),
        default=Coalesce(F("level"), Value(0)),
        output_field=IntegerField(),
    )
    registered = Subquery(
        latest_standard(on).annotate(in_force=in_force).values("in_force")[:1],
        output_field=IntegerField(),
    )
    return schools.annotate(
        in_register=Exists(RecognitionDecision.objects.filter(school=OuterRef("pk"))),
        status=Case(
            When(in_register=True, then=Coalesce(registered, Value(0))),
            default=F("standard_level"),
            output_field=IntegerField(),
        ),
    )
