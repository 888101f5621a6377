"""Who may record decisions in the register.

Decisions are signed by the province (Sở GD&ĐT or the provincial People's Committee), so a
province officer records them for the schools of the province. Since 1/7/2025 communes manage
MN/TH/THCS schools, and how former district tasks were re-assigned is UNCERTAIN
(regulation.md §3), so commune officers may record too by default. The roles are a setting:
RECOGNITION_RECORDERS = ["province_officer"] limits recording to the province."""

from __future__ import annotations

from django.conf import settings

from accounts.models import Membership, Role
from accounts.scope import scope_for
from schools.models import School

DEFAULT_RECORDERS = (Role.PROVINCE_OFFICER.value, Role.COMMUNE_OFFICER.value)


def recorder_roles() -> tuple[str, ...]:
    return tuple(getattr(settings, "RECOGNITION_RECORDERS", DEFAULT_RECORDERS))


def recorder_paths(user) -> list[str] | None:
    """Unit paths under which the user may record; None = everywhere (superuser)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if user.is_superuser:
        return None
    cached = getattr(user, "_tc_recorder_paths", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(
                user=user, unit__isnull=False, role__in=recorder_roles()
            ).values_list("unit__path", flat=True)
        )
        user._tc_recorder_paths = cached
    return cached


def can_record_any(user) -> bool:
    paths = recorder_paths(user)
    return paths is None or bool(paths)


def can_record(user, school: School) -> bool:
    paths = recorder_paths(user)
    if paths is None:
        return True
    if not scope_for(user).can_see_school(school):
        return False
    return any(school.unit.path.startswith(p) for p in paths)
