"""Reads of the school registry, always scoped to the user."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from accounts.scope import scope_for
from core.text import fold
from schools.models import School
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
