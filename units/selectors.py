"""Reads of administrative units, scoped to the user. Retired units (districts, pre-2025
provinces) have no place in today's tree, so they are visible through their successors or
through the schools that once sat in them."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from accounts.permissions import scope_for
from core.text import fold
from units.models import AdminUnit


def unit_list(*, user, q: str = "", include_retired: bool = False) -> QuerySet[AdminUnit]:
    scope = scope_for(user)
    units = scope.units()
    if include_retired:
        units = units | retired_units_visible(user=user)
    else:
        units = units.filter(valid_to__isnull=True)
    for word in fold(q).split():
        units = units.filter(search_text__contains=word)
    return units.select_related("parent").order_by("depth", "sort_key")


def retired_units_visible(*, user) -> QuerySet[AdminUnit]:
    scope = scope_for(user)
    retired = AdminUnit.objects.retired()
    if scope.is_all:
        return retired
    visible_current = scope.units().values("pk")
    school_ids = scope.schools().values("pk")
    # Read through the units' side of SchoolLocation (AdminUnit.historical_schools): the
    # registry sits above the units.
    located = AdminUnit.objects.filter(historical_schools__school__in=school_ids).values_list(
        "path", flat=True
    )
    q = Q(successors__in=visible_current)
    for path in set(located):
        # The unit a school sat in and every retired ancestor of it (its old district).
        q |= Q(pk__in=AdminUnit.objects.filter(path__in=_prefixes(path)).values("pk"))
    return AdminUnit.objects.filter(pk__in=retired.filter(q).values("pk"))


def _prefixes(path: str) -> list[str]:
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def unit_get(*, user, uid: str) -> AdminUnit:
    unit = AdminUnit.objects.filter(uid=uid).select_related("parent").first()
    if unit is None:
        raise Http404("Không tìm thấy đơn vị.")
    scope = scope_for(user)
    if scope.can_see_unit(unit):
        return unit
    if not unit.is_current and retired_units_visible(user=user).filter(pk=unit.pk).exists():
        return unit
    raise Http404("Không tìm thấy đơn vị trong phạm vi của bạn.")


def unit_children(*, user, unit: AdminUnit) -> list[AdminUnit]:
    """Child units with the number of schools the user can see in each."""
    scope = scope_for(user)
    children = AdminUnit.objects.filter(parent=unit)
    if not scope.is_all and not scope.can_see_unit(unit):
        children = children.filter(pk__in=scope.units().values("pk"))
    if unit.is_current:
        visible = scope.school_filter(prefix="schools__")
        return list(children.annotate(school_count=Count("schools", filter=visible)))
    # A retired unit's children held schools only in the past: count their recorded locations.
    visible = scope.school_filter(prefix="historical_schools__school__")
    return list(
        children.annotate(
            school_count=Count("historical_schools__school", filter=visible, distinct=True)
        )
    )
