"""Reads of the documents library, scoped to the user: the units a document may be made for and
the user's own generated files."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet

from accounts.permissions import scope_for
from documents.common import DocumentError
from documents.models import GeneratedDocument
from units.models import AdminUnit
from units.selectors import UnitAmbiguous, UnitNotResolved, resolve_unit, retired_units_visible

MAX_UNIT_CHOICES = 4000


def document_units(*, user) -> QuerySet[AdminUnit]:
    """Units the user may generate documents for: current units in scope (a province and its
    communes; ancestors shown in breadcrumbs are not included) and the retired units their
    units succeeded (huyện Phong Thổ's 2021 report)."""
    scope = scope_for(user)
    if scope.is_empty:
        return AdminUnit.objects.none()
    # Today's units first: the whole pre-2025 map (10,000 retired units) would otherwise fill
    # the choices of a national account before any current unit ("/HP…" sorts before "/P…").
    order = (F("valid_to").asc(nulls_first=True), "path")
    if scope.is_all:
        return AdminUnit.objects.all().order_by(*order)
    q = Q(pk__in=[])
    for path in scope.unit_paths:
        q |= Q(path__startswith=path)
    q |= Q(pk__in=retired_units_visible(user=user).values("pk"))
    return AdminUnit.objects.filter(q).order_by(*order)


def document_unit(*, user, uid: str) -> AdminUnit:
    """The unit by its uid, or by an old or current name or code as records write it
    ("Huyện Phong Thổ, tỉnh Lai Châu", "109"): the unit named, if it is in the user's scope."""
    units = document_units(user=user)
    unit = units.filter(uid=uid).first()
    if unit is None and uid:
        try:
            unit = units.filter(pk=resolve_unit(uid).unit.pk).first()
        except UnitAmbiguous as exc:
            raise DocumentError(str(exc)) from exc
        except UnitNotResolved:
            unit = None
    if unit is None:
        raise DocumentError(f"Không tìm thấy đơn vị “{uid}” trong phạm vi của bạn.")
    return unit


def unit_choices(*, user) -> list[tuple[str, str]]:
    out = []
    for unit in document_units(user=user)[:MAX_UNIT_CHOICES]:
        label = ("— " * unit.depth) + unit.name
        if not unit.is_current:
            label += " (đơn vị cũ)"
        out.append((unit.uid, label))
    return out


def my_documents(*, user) -> QuerySet[GeneratedDocument]:
    if not getattr(user, "is_authenticated", False):
        return GeneratedDocument.objects.none()
    return GeneratedDocument.objects.filter(owner=user).order_by("-created_at", "-id")


def my_document(*, user, pk: int) -> GeneratedDocument | None:
    """Only the owner sees a generated file: anyone else gets None (the view answers 404)."""
    return my_documents(user=user).filter(pk=pk).first()
