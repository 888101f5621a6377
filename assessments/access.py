"""Who may do what on a self-assessment. Seeing follows accounts.scope (the school and the units
above it); doing is narrower:

* the school side (principal and staff holding a membership of the school) starts a cycle and
  manages the council; the principal edits every criterion, submits and unlocks;
* any other school member edits only the criteria assigned to them, directly or through their
  working group;
* the managing unit (commune or province officer whose unit contains the school) returns or
  accepts a submitted assessment;
* a superuser may do everything (support work)."""

from __future__ import annotations

from accounts.models import Membership, Role
from accounts.scope import scope_for

from .models import Assessment, CouncilMember, CriterionSheet, WorkingGroup

SCHOOL_EDITOR_ROLES = (Role.PRINCIPAL, Role.STAFF)
UNIT_OFFICER_ROLES = (Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER)


def _school_roles(user, school_id: int) -> set[str]:
    cache = getattr(user, "_tc_school_roles", None)
    if cache is None:
        cache = {}
        user._tc_school_roles = cache
    if school_id not in cache:
        cache[school_id] = set(
            Membership.objects.filter(user=user, school_id=school_id).values_list("role", flat=True)
        )
    return cache[school_id]


def is_principal(user, school) -> bool:
    return bool(user.is_superuser or Role.PRINCIPAL in _school_roles(user, school.pk))


def is_school_editor(user, school) -> bool:
    return bool(user.is_superuser or _school_roles(user, school.pk) & set(SCHOOL_EDITOR_ROLES))


def is_managing_officer(user, school) -> bool:
    """A unit officer whose unit contains the school (the commune or the province)."""
    if user.is_superuser:
        return True
    paths = [
        m.unit.path
        for m in Membership.objects.filter(user=user, role__in=UNIT_OFFICER_ROLES).select_related(
            "unit"
        )
    ]
    return any(school.unit.path.startswith(p) for p in paths)


def can_see(user, assessment: Assessment) -> bool:
    return scope_for(user).can_see_school(assessment.school)


def can_manage(user, assessment: Assessment) -> bool:
    """Start, council and groups, assignments."""
    return is_school_editor(user, assessment.school)


def assigned_criterion_ids(user, assessment: Assessment) -> set[int]:
    """Criteria this user works on: sheets assigned to them plus their groups' criteria."""
    ids = set(
        CriterionSheet.objects.filter(assessment=assessment, assigned_to=user).values_list(
            "criterion_id", flat=True
        )
    )
    group_ids = CouncilMember.objects.filter(
        assessment=assessment, user=user, group__isnull=False
    ).values_list("group_id", flat=True)
    ids.update(
        WorkingGroup.criteria.through.objects.filter(workinggroup_id__in=group_ids).values_list(
            "criterion_id", flat=True
        )
    )
    return ids


def can_edit_sheet(user, sheet: CriterionSheet) -> bool:
    """Whether the user may write this sheet now (ignores the lock; services check both)."""
    school = sheet.assessment.school
    if is_principal(user, school):
        return True
    if not is_school_editor(user, school):
        return False
    return sheet.criterion_id in assigned_criterion_ids(user, sheet.assessment)
