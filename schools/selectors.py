"""Reads of the school registry, always scoped to the user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from accounts.permissions import scope_for, units_where
from core.text import fold
from schools.models import School, SchoolLocation
from units.models import AdminUnit


@dataclass(frozen=True)
class SchoolFilters:
    """The list's filters, parsed once from the query string and reused by the Excel export."""

    q: str = ""
    province: str = ""  # AdminUnit.uid
    commune: str = ""  # AdminUnit.uid
    kind: str = ""
    status: str = ""  # "0", "1", "2" = StandardLevel

    @classmethod
    def from_params(cls, params) -> SchoolFilters:
        return cls(**{k: (params.get(k) or "").strip() for k in cls.__dataclass_fields__})

    def as_params(self) -> dict[str, str]:
        return {k: v for k, v in self.__dict__.items() if v}


def school_list(*, user, filters: SchoolFilters) -> QuerySet[School]:
    qs = scope_for(user).schools()
    if filters.q:
        # Every word must appear, accents ignored: "huoi luong" finds "Huổi Luông".
        for word in fold(filters.q).split():
            qs = qs.filter(search_text__contains=word)
    for uid in (filters.commune, filters.province):
        if uid:
            unit = AdminUnit.objects.filter(uid=uid).only("path").first()
            # An unknown unit filters everything out rather than being silently ignored.
            qs = qs.filter(unit__path__startswith=unit.path) if unit else qs.none()
            break
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status in {"0", "1", "2"}:
        qs = qs.filter(standard_level=int(filters.status))
    return qs.select_related("unit", "unit__parent").order_by("sort_key", "code")


def filter_provinces(*, user) -> list[AdminUnit]:
    """Provinces offered in the list's filter: those the user can see at least part of."""
    scope = scope_for(user)
    if scope.is_all:
        return list(AdminUnit.objects.current().filter(parent__isnull=True))
    uids = {p.strip("/").split("/")[0] for p in scope.unit_paths}
    uids |= {
        path.strip("/").split("/")[0]
        for path in School.objects.filter(pk__in=scope.school_ids).values_list(
            "unit__path", flat=True
        )
    }
    return list(AdminUnit.objects.filter(uid__in=uids))


def filter_communes(*, user, province_uid: str) -> list[AdminUnit]:
    """Communes offered once a province is chosen, limited to what the user can see."""
    if not province_uid:
        return []
    province = AdminUnit.objects.filter(uid=province_uid).first()
    if province is None:
        return []
    communes = scope_for(user).units().current().filter(parent=province)
    if not scope_for(user).is_all and not communes.exists():
        ids = scope_for(user).school_ids
        communes = AdminUnit.objects.filter(parent=province, schools__pk__in=ids).distinct()
    return list(communes.only("uid", "name", "sort_key"))


def editable_communes(*, user) -> QuerySet[AdminUnit]:
    """Current communes the user may put a school into: under a unit they edit (a viewer's
    province is not enough), or all for a superuser."""
    qs = AdminUnit.objects.current().filter(parent__isnull=False)
    qs = qs.filter(pk__in=units_where(user, "school.create").values("pk"))
    return qs.select_related("parent").order_by("parent__sort_key", "sort_key")


def schools_located_at(*, user, unit: AdminUnit, on: dt.date) -> QuerySet[School]:
    """Schools that sat inside `unit` (or any unit below it) on a date: the answer to
    "trường thuộc huyện Ninh Giang năm 2018" after the units were merged away."""
    inside = SchoolLocation.objects.filter(unit__path__startswith=unit.path).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=on),
        Q(valid_to__isnull=True) | Q(valid_to__gt=on),
    )
    located = scope_for(user).schools().filter(pk__in=inside.values("school_id"))
    if unit.is_current:
        # Current units also hold schools that have no recorded history.
        located = located | scope_for(user).schools().filter(unit__path__startswith=unit.path)
    return located.select_related("unit", "unit__parent").order_by("sort_key").distinct()
