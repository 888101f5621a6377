"""Who may read and who may change an assessment's evidence register.

Reading follows accounts.scope: anybody who sees the school (its staff, reviewers and viewers,
the commune and the province above it). Changing follows the division of work of the
self-assessment (assessments.access):

* the cycle's managers (principal; council chair and secretary with an account) keep the whole
  register: add, change or delete any item, import an Excel list;
* a staff member adds items whose *first* criterion — the one that gives the code — is assigned
  to them (in person or through their working group), and changes or deletes only such items;
* citing an item in a criterion sheet is editing that sheet, so it follows the sheet's rule
  (assessments.access.can_edit_sheet): any item of the register may be cited in one's own sheets;
* unit officers read the register and return or accept the whole assessment instead.

Nothing changes once the assessment is submitted or accepted."""

from __future__ import annotations

from assessments import access as assessment_access
from assessments.models import Assessment, CriterionSheet


def _active(user, assessment: Assessment) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and assessment.is_editable


def can_view(user, assessment: Assessment) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and assessment_access.can_see(
        user, assessment
    )


def can_manage(user, assessment: Assessment) -> bool:
    """The whole register now: any item, Excel import, carrying a register over."""
    return _active(user, assessment) and assessment_access.is_manager(user, assessment)


def addable_criterion_ids(user, assessment: Assessment) -> set[int] | None:
    """Criteria under which the user may add (and then change) items now: None = all of them,
    an empty set = none."""
    if not _active(user, assessment):
        return set()
    return assessment_access.editable_criterion_ids(user, assessment)


def can_add(user, assessment: Assessment) -> bool:
    """May add at least one item now (shows the "Thêm minh chứng" button)."""
    ids = addable_criterion_ids(user, assessment)
    return ids is None or bool(ids)


def can_add_for(user, assessment: Assessment, criterion_id: int) -> bool:
    ids = addable_criterion_ids(user, assessment)
    return ids is None or criterion_id in ids


def can_edit_item(user, evidence) -> bool:
    """Change or delete this item now: a manager, or the member whose criterion gives its
    code."""
    return can_add_for(user, evidence.assessment, evidence.first_criterion_id)


def can_cite(user, sheet: CriterionSheet) -> bool:
    return _active(user, sheet.assessment) and assessment_access.can_edit_sheet(user, sheet)
