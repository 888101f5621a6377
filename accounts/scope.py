"""The single place that answers "which schools and units may this user see or change".
Every selector in every app starts from these functions, so a new view cannot forget scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import EDITOR_ROLES, Membership, Role
from schools.models import School
from units.models import AdminUnit


@dataclass
class Scope:
    user: object
    is_all: bool = False
    unit_paths: list[str] = field(default_factory=list)
    edit_unit_paths: list[str] = field(default_factory=list)
    school_ids: set[int] = field(default_factory=set)
    edit_school_ids: set[int] = field(default_factory=set)
    principal_school_ids: set[int] = field(default_factory=set)

    @property
    def is_empty(self) -> bool:
        return not (self.is_all or self.unit_paths or self.school_ids)

    def _school_q(self, paths: list[str], ids: set[int], prefix: str = "") -> Q:
        q = Q(pk__in=[]) if not prefix else Q(**{f"{prefix}pk__in": []})
        for path in paths:
            q |= Q(**{f"{prefix}unit__path__startswith": path})
        if ids:
            q |= Q(**{f"{prefix}pk__in": ids})
        return q

    def school_filter(self, prefix: str = "") -> Q:
        """A Q for "school (at `prefix`) is visible", for querysets of related models."""
        if self.is_all:
            return Q()
        return self._school_q(self.unit_paths, self.school_ids, prefix)

    def schools(self) -> QuerySet[School]:
        return School.objects.filter(self.school_filter())

    def units(self) -> QuerySet[AdminUnit]:
        """Units the user may browse: each unit membership's unit and everything below it.
        Ancestors are NOT included (same rule as can_see_unit): a commune officer reads the
        province's name in breadcrumbs through unit.ancestors(), but cannot list or open the
        province, nor its other communes. School memberships add no units."""
        if self.is_all:
            return AdminUnit.objects.all()
        q = Q(pk__in=[])
        for path in self.unit_paths:
            q |= Q(path__startswith=path)
        return AdminUnit.objects.filter(q)

    def can_see_school(self, school: School) -> bool:
        return self.is_all or self.schools().filter(pk=school.pk).exists()

    def can_edit_school(self, school: School) -> bool:
        if self.is_all:
            return True
        if school.pk in self.edit_school_ids:
            return True
        return any(school.unit.path.startswith(p) for p in self.edit_unit_paths)

    def registry_access(self, school: School) -> str | None:
        """Who keeps the school's registry entry: "unit" (superusers and officers editing the
        unit the school sits in: every field), "school" (its principal: contacts, principal,
        founding year, sites; schools.services.SCHOOL_FIELDS) or None (school staff, reviewers,
        viewers, outsiders). Staff still edit the school's own work in other apps through
        can_edit_school; the registry is not theirs."""
        if self.is_all or any(school.unit.path.startswith(p) for p in self.edit_unit_paths):
            return "unit"
        if school.pk in self.principal_school_ids:
            return "school"
        return None

    def can_see_unit(self, unit: AdminUnit) -> bool:
        return self.is_all or any(unit.path.startswith(p) for p in self.unit_paths)

    def can_edit_unit(self, unit: AdminUnit) -> bool:
        return self.is_all or any(unit.path.startswith(p) for p in self.edit_unit_paths)

    @cached_property
    def top_units(self) -> list[AdminUnit]:
        if self.is_all:
            return list(AdminUnit.objects.current().filter(parent__isnull=True))
        return list(AdminUnit.objects.filter(path__in=self.unit_paths))


def scope_for(user) -> Scope:
    """Build (and cache on the user object for the request) the user's scope."""
    cached = getattr(user, "_tc_scope", None)
    if cached is not None:
        return cached
    scope = Scope(user=user)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        pass
    elif user.is_superuser:
        scope.is_all = True
    else:
        for m in Membership.objects.filter(user=user).select_related("unit"):
            if m.unit_id:
                scope.unit_paths.append(m.unit.path)
                if m.role in EDITOR_ROLES:
                    scope.edit_unit_paths.append(m.unit.path)
            else:
                scope.school_ids.add(m.school_id)
                if m.role in EDITOR_ROLES:
                    scope.edit_school_ids.add(m.school_id)
                if m.role == Role.PRINCIPAL:
                    scope.principal_school_ids.add(m.school_id)
    user._tc_scope = scope
    return scope


def get_school_or_404(user, **lookup) -> School:
    """Outside the user's scope a school does not exist: 404, never 403, so that codes of
    other provinces' schools cannot be probed."""
    school = scope_for(user).schools().filter(**lookup).select_related("unit").first()
    if school is None:
        raise Http404("Không tìm thấy trường trong phạm vi của bạn.")
    return school


def get_unit_or_404(user, **lookup) -> AdminUnit:
    unit = scope_for(user).units().filter(**lookup).first()
    if unit is None:
        raise Http404("Không tìm thấy đơn vị trong phạm vi của bạn.")
    return unit
