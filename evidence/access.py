"""Who may read and who may change an assessment's evidence register.

Reading follows accounts.scope: anybody who sees the school (its staff, reviewers and viewers,
the commune and the province above it). Changing belongs to the school side — the principal and
staff holding a membership of the school — because the register is part of the school's own
self-assessment; unit officers read it and return or accept the whole assessment instead.
Citing evidence in a criterion sheet is editing that sheet, so it follows the sheet's rule
(assessments.access.can_edit_sheet: the principal, or a member assigned the criterion)."""

from __future__ import annotations

from assessments import access as assessment_access
from assessments.models import Assessment, CriterionSheet


def can_view(user, assessment: Assessment) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and assessment_access.can_see(
        user, assessment
    )


def can_edit(user, assessment: Assessment) -> bool:
    """May add, change or delete evidence now (the assessment must also be editable)."""
    return (
        bool(getattr(user, "is_authenticated", False))
        and assessment.is_editable
        and assessment_access.is_school_editor(user, assessment.school)
    )


def can_cite(user, sheet: CriterionSheet) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False))
        and sheet.assessment.is_editable
        and assessment_access.can_edit_sheet(user, sheet)
    )
