"""Public reads: no user, no scope — everything here is either an official act (a recognition
decision in the register: number, date, level, validity) or what a school or its authority
published (`Publication.content`). Personal fields (signer names, notes, scans, council or team
members, accounts) are never selected."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from recognition import rules
from recognition.models import RecognitionDecision
from schools.models import School, SchoolKind
from units.models import AdminUnit

from .models import Publication

PAGE_SIZE = 100
EXPIRING_MONTHS = rules.DEFAULT_EXPIRING_MONTHS
DECISION_FIELDS = ("id", "kind", "track", "level", "number", "signed_on", "signing_body")


def public_school(code: str) -> School:
    school = School.objects.select_related("unit").filter(code=code).first()
    if school is None:
        raise Http404("Không tìm thấy trường.")
    return school


def public_province(uid: str) -> AdminUnit:
    unit = AdminUnit.objects.filter(uid=uid, parent__isnull=True).first()
    if unit is None:
        raise Http404("Không tìm thấy tỉnh, thành phố.")
    return unit


def provinces() -> QuerySet[AdminUnit]:
    return AdminUnit.objects.current().filter(parent__isnull=True).order_by("sort_key")


@dataclass(frozen=True)
class SchoolPage:
    school: School
    place: list[str]
    status: rules.Status
    decisions: list[RecognitionDecision]
    publications: dict[str, Publication]


def school_page(school: School, *, today: dt.date) -> SchoolPage:
    decisions = list(
        RecognitionDecision.objects.filter(school=school)
        .only(*DECISION_FIELDS, "framework_code", "valid_until")
        .order_by("signed_on", "id")
    )
    live = {
        p.kind: p
        for p in Publication.objects.filter(school=school, withdrawn_at__isnull=True).only(
            "kind", "content", "published_at", "school_id"
        )
    }
    unit = school.unit
    place = [u.name for u in (*unit.ancestors(), unit)] if unit else []
    return SchoolPage(
        school=school,
        place=place,
        status=rules.school_status(decisions, today),
        decisions=list(reversed(decisions)),
        publications=live,
    )


@dataclass(frozen=True)
class ProvinceFilters:
    kind: str = ""
    level: str = ""
    commune: str = ""  # AdminUnit.uid
    validity: str = ""  # "expiring" (within 12 months) or "long"

    @classmethod
    def from_params(cls, params) -> ProvinceFilters:
        return cls(**{k: (params.get(k) or "").strip() for k in cls.__dataclass_fields__})


def standard_schools(province: AdminUnit, filters: ProvinceFilters, *, today: dt.date) -> QuerySet:
    """The decisions that make each school of the province a standard school today: the latest
    national-standard decision signed on or before today, a grant still valid."""
    later = RecognitionDecision.objects.filter(
        school=OuterRef("school"), track=rules.TRACK_STANDARD, signed_on__lte=today
    ).filter(
        Q(signed_on__gt=OuterRef("signed_on"))
        | Q(signed_on=OuterRef("signed_on"), id__gt=OuterRef("id"))
    )
    qs = RecognitionDecision.objects.filter(
        track=rules.TRACK_STANDARD,
        signed_on__lte=today,
        valid_until__gte=today,
        school__unit__path__startswith=province.path,
    ).filter(~Exists(later))
    if filters.kind in SchoolKind.values:
        qs = qs.filter(school__kind=filters.kind)
    if filters.level in ("1", "2"):
        qs = qs.filter(level=int(filters.level))
    if filters.commune:
        commune = AdminUnit.objects.filter(uid=filters.commune).only("path").first()
        qs = (
            qs.filter(school__unit__path__startswith=commune.path)
            if commune and commune.path.startswith(province.path)
            else qs.none()
        )
    horizon = rules.add_months(today, EXPIRING_MONTHS)
    if filters.validity == "expiring":
        qs = qs.filter(valid_until__lte=horizon)
    elif filters.validity == "long":
        qs = qs.filter(valid_until__gt=horizon)
    return (
        qs.select_related("school", "school__unit")
        .only(
            *DECISION_FIELDS,
            "valid_until",
            "school__code",
            "school__name",
            "school__kind",
            "school__sort_key",
            "school__unit__name",
        )
        .order_by("school__unit__sort_key", "school__sort_key", "school__pk")
    )


def standard_schools_page(
    province: AdminUnit, filters: ProvinceFilters, *, today: dt.date, page: str | None
) -> Page:
    return Paginator(standard_schools(province, filters, today=today), PAGE_SIZE).get_page(page)


def communes(province: AdminUnit) -> QuerySet[AdminUnit]:
    return (
        AdminUnit.objects.current()
        .filter(parent=province)
        .only("uid", "name", "sort_key")
        .order_by("sort_key")
    )
