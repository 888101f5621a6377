"""Reads for self-assessments, always scoped to the user through accounts.scope: outside the
user's scope an assessment does not exist (404)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from accounts.permissions import assignable_users_filter, schools_where, scope_for
from frameworks.models import Standard

from .models import Assessment, ChangeLog, CriterionSheet, IndicatorResult, StandardReview


def assessment_list(*, user) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(scope_for(user).school_filter("school__"))
        .select_related("school", "school__unit", "framework")
        .order_by("-school_year", "school__sort_key")
    )


def assessment_get_or_404(*, user, pk: int) -> Assessment:
    assessment = assessment_list(user=user).filter(pk=pk).first()
    if assessment is None:
        raise Http404("Không tìm thấy đợt tự đánh giá trong phạm vi của bạn.")
    return assessment


def sheet_get_or_404(*, assessment: Assessment, code: str) -> CriterionSheet:
    sheet = (
        CriterionSheet.objects.filter(assessment=assessment, criterion__code=code)
        .select_related("criterion", "criterion__standard", "assigned_to", "updated_by")
        .first()
    )
    if sheet is None:
        raise Http404("Không có tiêu chí này trong đợt tự đánh giá.")
    sheet.assessment = assessment
    return sheet


def startable_schools(*, user):
    """Schools where the user may open a cycle (the permission table's assessment.start)."""
    return schools_where(user, "assessment.start").select_related("unit")


@dataclass
class StandardBlock:
    standard: Standard
    sheets: list[CriterionSheet]


def overview(*, assessment: Assessment) -> list[StandardBlock]:
    """Criteria by standard, with their sheets and counts of decided indicators."""
    sheets = (
        assessment.sheets.select_related("criterion", "criterion__standard", "assigned_to")
        .annotate(
            n_results=Count("results"),
            n_decided=Count("results", filter=Q(results__met__isnull=False)),
        )
        .order_by("criterion__position")
    )
    blocks: dict[int, StandardBlock] = {}
    for sheet in sheets:
        std = sheet.criterion.standard
        blocks.setdefault(std.pk, StandardBlock(std, [])).sheets.append(sheet)
    return sorted(blocks.values(), key=lambda b: b.standard.position)


def sheet_levels(*, sheet: CriterionSheet) -> list[tuple[int, str, list[IndicatorResult]]]:
    """The sheet's indicator results grouped by level: [(level, level name, results)]."""
    names = {
        lv["level"]: lv.get("name", f"Mức {lv['level']}")
        for lv in sheet.assessment.framework.data.get("levels", [])
    }
    grouped: dict[int, list[IndicatorResult]] = {}
    for result in sheet.results.select_related("indicator").order_by("indicator__position"):
        grouped.setdefault(result.indicator.level, []).append(result)
    return [(lv, names.get(lv, f"Mức {lv}"), grouped[lv]) for lv in sorted(grouped)]


def level4_results(*, assessment: Assessment) -> list[IndicatorResult]:
    return list(
        assessment.indicator_results.filter(sheet__isnull=True)
        .select_related("indicator")
        .order_by("indicator__position")
    )


def level4_history(*, assessment: Assessment) -> QuerySet[ChangeLog]:
    """Changes of the school-wide Mức 4 decisions (logged without a sheet)."""
    return assessment.changes.filter(
        sheet__isnull=True, field__startswith="indicator:"
    ).select_related("user")


def assignable_users(*, assessment: Assessment):
    """Accounts a criterion can be given to: the school's principal and staff."""
    return (
        get_user_model()
        .objects.filter(assignable_users_filter(assessment.school))
        .distinct()
        .order_by("username")
    )


def standard_get_or_404(*, assessment: Assessment, code: str) -> Standard:
    standard = Standard.objects.filter(framework_id=assessment.framework_id, code=code).first()
    if standard is None:
        raise Http404("Không có tiêu chuẩn này trong đợt tự đánh giá.")
    return standard


def standard_reviews(*, assessment: Assessment) -> dict[str, StandardReview]:
    """The per-standard texts of a cycle keyed by standard code, in the framework's order.
    Every standard of the framework is present: one never written comes back blank and unsaved
    (pk None; assessment_start creates them, older cycles may lack some). The six text fields:
    intro, strengths, weaknesses, causes, direction, conclusion."""
    saved = {r.standard_id: r for r in assessment.standard_reviews.all()}
    out: dict[str, StandardReview] = {}
    for standard in Standard.objects.filter(framework_id=assessment.framework_id).order_by(
        "position"
    ):
        review = saved.get(standard.pk) or StandardReview(assessment=assessment, standard=standard)
        review.standard = standard
        out[standard.code] = review
    return out


def standard_review_history(*, assessment: Assessment, code: str) -> QuerySet[ChangeLog]:
    return assessment.changes.filter(
        sheet__isnull=True, field__startswith=f"standard:{code}."
    ).select_related("user")


def sheet_history(*, sheet: CriterionSheet) -> QuerySet[ChangeLog]:
    return sheet.changes.select_related("user").order_by("-at", "-pk")


def assessment_history(*, assessment: Assessment) -> QuerySet[ChangeLog]:
    return assessment.changes.filter(sheet__isnull=True).select_related("user")


@dataclass(slots=True)
class ProgressRow:
    """One line of the managing unit's table: plain values, no model instance (1,500 of them
    per page)."""

    assessment_id: int
    school_id: int
    school_name: str
    unit_name: str
    school_year: str
    status: str
    locked: bool
    level: int
    last_activity_at: Any
    filled: int
    total: int

    @property
    def share(self) -> int:
        return (self.filled * 100 // self.total) if self.total else 0


def progress(*, user, school_year: str | None = None) -> list[ProgressRow]:
    """The managing unit's table: one row per assessment of its schools (latest year unless
    `school_year` is given) with share of criteria filled, cached level, status and last
    activity. Two queries whatever the number of schools, both reading plain columns (no model
    instances): the rows, then the sheet counts grouped by assessment only (grouping the rows
    themselves by every selected column made the database sort 1,500 × 26 wide rows)."""
    qs = Assessment.objects.filter(scope_for(user).school_filter("school__"))
    if school_year:
        qs = qs.filter(school_year=school_year)
    counts = {
        assessment_id: (total, filled)
        for assessment_id, total, filled in CriterionSheet.objects.filter(
            assessment__in=qs.values("pk")
        )
        .values("assessment_id")
        .annotate(total=Count("id"), filled=Count("id", filter=Q(filled=True)))
        .order_by()
        .values_list("assessment_id", "total", "filled")
    }
    rows: list[ProgressRow] = []
    seen: set[int] = set()
    for pk, school_id, name, unit, year, status, locked, level, last in qs.order_by(
        "school__sort_key", "school_id", "-school_year"
    ).values_list(
        "pk",
        "school_id",
        "school__name",
        "school__unit__name",
        "school_year",
        "status",
        "locked",
        "computed_level",
        "last_activity_at",
    ):
        if school_id in seen:
            continue  # keep only the latest cycle of each school
        seen.add(school_id)
        total, filled = counts.get(pk, (0, 0))
        rows.append(
            ProgressRow(pk, school_id, name, unit, year, status, locked, level, last, filled, total)
        )
    return rows


def school_years(*, user) -> list[str]:
    return list(
        assessment_list(user=user)
        .order_by("-school_year")
        .values_list("school_year", flat=True)
        .distinct()
    )
