"""Who may do what on a self-assessment. Seeing follows accounts.scope (the school and the units
above it); doing is narrower. The rules, and why:

* **Managers** of a cycle set up the council, its secretariat and working groups, assign criteria
  to groups and to persons, keep the self-assessment plan, decide the school-wide Mức 4
  requirements and may write every criterion sheet and every per-standard text. They are:

  - the principal (a PRINCIPAL membership of the school): the principal's decision establishes
    the council and the principal answers for the report;
  - the council's **chair** (chủ tịch) and **secretary** (thư ký) of *this* cycle, when their
    council seat is linked to an account that still holds a principal or staff membership of the
    school. The chair leads the council and the secretary organises its work (Công văn
    5932/BGDĐT-QLCL), so both need to distribute the work; a vice-chair or an ordinary member
    does not. The right comes from the seat: removing the seat, or the school membership,
    removes it.

* Only the **principal** opens a cycle (no council exists yet), submits and unlocks.
* Any other school member (STAFF membership) edits only what is assigned to them: the criterion
  sheets assigned to them in person (`CriterionSheet.assigned_to`) or through a working group
  whose member they are (`CouncilMember.user` + `group`), the per-standard texts of a standard in
  which they hold at least one such criterion, and the evidence whose first criterion is one of
  theirs (evidence.access). Nobody can give themselves a criterion: assignments are a manager's
  act (services._require_manager).
* The managing unit (commune or province officer whose unit contains the school) returns or
  accepts a submitted assessment.
* A superuser may do everything (support work).

Every function here ignores the lock (submitted / accepted); the services check both."""

from __future__ import annotations

from accounts.models import Membership, Role
from accounts.scope import scope_for
from frameworks.models import Criterion

from .models import Assessment, CouncilMember, CouncilRole, CriterionSheet, WorkingGroup

SCHOOL_EDITOR_ROLES = (Role.PRINCIPAL, Role.STAFF)
UNIT_OFFICER_ROLES = (Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER)
MANAGING_SEATS = (CouncilRole.CHAIR, CouncilRole.SECRETARY)


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


def can_start(user, school) -> bool:
    """Open a cycle for the school: the principal only."""
    return is_principal(user, school)


def holds_managing_seat(user, assessment: Assessment) -> bool:
    """The user's account sits on this cycle's council as chair or secretary."""
    if not getattr(user, "is_authenticated", False):
        return False
    return CouncilMember.objects.filter(
        assessment=assessment, user=user, role__in=MANAGING_SEATS
    ).exists()


def is_manager(user, assessment: Assessment) -> bool:
    """The principal, or the chair / secretary of this cycle's council who is still on the
    school's staff (see the module docstring)."""
    school = assessment.school
    if is_principal(user, school):
        return True
    return is_school_editor(user, school) and holds_managing_seat(user, assessment)


def can_manage(user, assessment: Assessment) -> bool:
    """Council, groups, assignments, plan, Mức 4 requirements."""
    return is_manager(user, assessment)


def assigned_criterion_ids(user, assessment: Assessment) -> set[int]:
    """Criteria this user works on: sheets assigned to them plus their groups' criteria."""
    if not getattr(user, "is_authenticated", False):
        return set()
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


def editable_criterion_ids(user, assessment: Assessment) -> set[int] | None:
    """The criteria whose sheets (and evidence) the user may write: None means every criterion
    (a manager); otherwise the assigned ones, or none for a user outside the school's staff."""
    if is_manager(user, assessment):
        return None
    if not is_school_editor(user, assessment.school):
        return set()
    return assigned_criterion_ids(user, assessment)


def can_edit_sheet(user, sheet: CriterionSheet) -> bool:
    """Whether the user may write this sheet (texts, indicators, citations)."""
    ids = editable_criterion_ids(user, sheet.assessment)
    return ids is None or sheet.criterion_id in ids


def can_edit_standard(user, assessment: Assessment, standard) -> bool:
    """The per-standard texts (StandardReview): managers, and members assigned at least one
    criterion of the standard."""
    ids = editable_criterion_ids(user, assessment)
    if ids is None:
        return True
    if not ids:
        return False
    return Criterion.objects.filter(standard=standard, pk__in=ids).exists()


def can_decide_level4(user, assessment: Assessment) -> bool:
    """The school-wide Mức 4 requirements belong to no criterion, hence to no group."""
    return is_manager(user, assessment)
