"""Reads for self-assessments, always scoped to the user through accounts.permissions: outside the
user's scope an assessment does not exist (404)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.permissions import assignable_users_filter, schools_where, scope_for
from frameworks.models import Standard

from . import levels
from .models import (
    Assessment,
    ChangeLog,
    CouncilRole,
    CriterionSheet,
    IndicatorResult,
    RequirementText,
    StandardReview,
)
from .register import evidence_register


def assessment_list(*, user) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(scope_for(user).school_filter("school__"))
        .select_related("school", "school__unit", "framework")
        # The circular as JSON (70 KB): decoded once per process, see frameworks.models.
        .defer("framework__data")
        .order_by("-school_year", "school__sort_key")
    )


def assessment_get_or_404(*, user, pk: int) -> Assessment:
    assessment = assessment_list(user=user).filter(pk=pk).first()
    if assessment is None:
        raise Http404("Không tìm thấy đợt tự đánh giá trong phạm vi của bạn.")
    return assessment


def other_cycles(*, assessment: Assessment) -> QuerySet[Assessment]:
    """The school's other cycles, newest first. The scope is decided per school, so whoever
    sees this cycle sees them all: no second scope filter; the framework's data (the whole
    circular as JSON) is not read, only its code."""
    return (
        Assessment.objects.filter(school_id=assessment.school_id)
        .exclude(pk=assessment.pk)
        .select_related("framework")
        .only("pk", "school_year", "framework__code")
        .order_by("-school_year")
    )


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
        # The overview shows counts, levels and who is in charge, not the sheets' texts.
        .defer("current_state", "strengths", "weaknesses")
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
    """The school-wide Mức 4 results in the circular's order, each with `number` (1, 2, … as
    the circular numbers them), `text` (the framework's, else the wording written from the
    gazette, else None) and `written` (that wording's row, if any)."""
    results = list(
        assessment.indicator_results.filter(sheet__isnull=True)
        .select_related("indicator")
        .order_by("indicator__position")
    )
    written = (
        requirement_texts(framework_id=assessment.framework_id, school_id=assessment.school_id)
        if any(r.indicator.text is None for r in results)
        else {}
    )
    for number, result in enumerate(results, start=1):
        result.number = number
        result.written = written.get(result.indicator_id)
        result.text = (
            result.indicator.text
            if result.indicator.text is not None
            else (result.written.text if result.written else None)
        )
    return results


def requirement_texts(*, framework_id: int, school_id: int | None) -> dict[int, RequirementText]:
    """Indicator id → the wording written from the gazette for a text the framework file lacks:
    the school's own, else the one an administrator wrote for every school."""
    rows = RequirementText.objects.filter(indicator__framework_id=framework_id).filter(
        Q(school_id=school_id) | Q(school__isnull=True)
    )
    out: dict[int, RequirementText] = {}
    for row in sorted(rows, key=lambda r: r.school_id is not None):  # the school's own last
        out[row.indicator_id] = row
    return out


def requirement_text_for(
    *, indicator_id: int, school_id: int | None, for_everyone: bool
) -> RequirementText | None:
    """The row a form edits: the school's own, or the one for every school."""
    rows = RequirementText.objects.filter(indicator_id=indicator_id)
    return (
        rows.filter(school__isnull=True) if for_everyone else rows.filter(school_id=school_id)
    ).first()


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


def written_standard_reviews(*, assessment: Assessment) -> set[int]:
    """Ids of the standards whose texts were written (saved at least once after the blank
    row assessment_start creates), for the overview's "đã viết" mark; the texts are not read."""
    return set(
        assessment.standard_reviews.filter(version__gt=1).values_list("standard_id", flat=True)
    )


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


# --------------------------------------------------------------------------------------------
# Reads the pages, the services and the documents share (moved from services: they write nothing)
# --------------------------------------------------------------------------------------------

ACTION_FIELDS = ("action", "responsible", "start", "end", "resources", "expected_evidence")
REVIEW_FIELDS = StandardReview.TEXT_FIELDS


def live_levels(
    assessment: Assessment, *, conditions: dict[str, bool] | None = None
) -> levels.LiveLevels:
    """The levels from the indicators ticked so far. ``conditions`` are the recognition
    conditions the school declared (the documents page asks them); absent ones count as unmet."""
    rows = [
        levels.Row(ident, met, sheet_id is None)
        for ident, met, sheet_id in IndicatorResult.objects.filter(
            assessment=assessment
        ).values_list("indicator__ident", "met", "sheet_id")
    ]
    return levels.evaluate(
        assessment.framework.compiled(),
        rows,
        version=assessment.framework_version,
        conditions=conditions,
    )


# Council rule and warnings (reads of the framework's rule and the council as it is).
# Used only when a framework file carries no `council` block. UNCERTAIN for the 2026 family.
COUNCIL_RULE_FALLBACK: dict[str, dict[str, Any]] = {
    "2018": {
        "min_members": 7,
        "odd_members": False,
        "exactly_one_roles": [],
        "certainty": "uncertain",
    },
    "2026": {
        "min_members": 5,
        "odd_members": True,
        "exactly_one_roles": ["chu_tich", "thu_ky"],
        "certainty": "uncertain",
    },
}


def council_rule(assessment: Assessment) -> dict[str, Any]:
    data = assessment.framework.data or {}
    rule = data.get("council")
    if rule:
        return rule
    return COUNCIL_RULE_FALLBACK.get(assessment.framework.family, {"min_members": 0})


def council_warnings(assessment: Assessment) -> list[str]:
    """What is wrong with the council under the framework's rule (empty list = fine)."""
    rule = council_rule(assessment)
    members = list(assessment.council_members.all())
    count = len(members)
    warnings: list[str] = []
    minimum = rule.get("min_members") or 0
    if count < minimum:
        warnings.append(
            _("Hội đồng tự đánh giá cần ít nhất %(min)d thành viên (hiện có %(n)d).")
            % {"min": minimum, "n": count}
        )
    if rule.get("odd_members") and count % 2 == 0:
        warnings.append(_("Số thành viên hội đồng phải là số lẻ (hiện có %(n)d).") % {"n": count})
    labels = dict(CouncilRole.choices)
    for role in rule.get("exactly_one_roles", []):
        n = sum(1 for m in members if m.role == role)
        if n != 1:
            warnings.append(
                _("Hội đồng phải có đúng một %(role)s (hiện có %(n)d).")
                % {"role": str(labels.get(role, role)).lower(), "n": n}
            )
    if not any(m.role == CouncilRole.CHAIR for m in members) and "chu_tich" not in rule.get(
        "exactly_one_roles", []
    ):
        warnings.append(_("Hội đồng chưa có chủ tịch."))
    return warnings


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def snapshot_content(assessment: Assessment) -> dict[str, Any]:
    """Everything the council vouches for, in a stable order (no timestamps, so the same state
    always gives the same hash): council, groups, every sheet with its decisions, texts,
    improvement plan and cited evidence codes, the per-standard texts, the Mức 4 decisions and
    the evidence register itself (metadata and the file's SHA-256)."""
    live = live_levels(assessment)
    sheets = []
    register = evidence_register()
    citations = register.snapshot_citations(assessment)
    for sheet in assessment.sheets.select_related("criterion").prefetch_related(
        "actions", "results__indicator"
    ):
        sheets.append(
            {
                "criterion": sheet.criterion.code,
                "level": live.criteria[sheet.criterion.code].level,
                "indicators": {
                    r.indicator.ident: r.met
                    for r in sorted(sheet.results.all(), key=lambda r: r.indicator.position)
                },
                "current_state": dict(sorted(sheet.current_state.items())),
                "strengths": sheet.strengths,
                "weaknesses": sheet.weaknesses,
                "actions": [
                    {f: _iso(getattr(a, f)) for f in ACTION_FIELDS} for a in sheet.actions.all()
                ],
                "citations": citations.get(sheet.pk, []),
            }
        )
    level4 = {
        r.indicator.ident: r.met
        for r in assessment.indicator_results.filter(sheet__isnull=True)
        .select_related("indicator")
        .order_by("indicator__position")
    }
    evidence = register.snapshot_items(assessment)
    return {
        "school": assessment.school.code,
        "school_name": assessment.school.name,
        "school_year": assessment.school_year,
        "framework": assessment.framework.code,
        "framework_version": assessment.framework_version,
        "framework_data_hash": assessment.framework.data_hash,
        "school_level": live.school_level,
        "council": [
            {
                "full_name": m.full_name,
                "title": m.title,
                "role": m.role,
                "group": m.group.name if m.group else "",
            }
            for m in assessment.council_members.select_related("group")
        ],
        "groups": [
            {
                "name": g.name,
                "kind": g.kind,
                "criteria": [c.code for c in g.criteria.order_by("position")],
            }
            for g in assessment.groups.all()
        ],
        "level4": level4,
        "sheets": sheets,
        "standards": [
            {"standard": code, **{f: getattr(review, f) for f in REVIEW_FIELDS}}
            for code, review in standard_reviews(assessment=assessment).items()
        ],
        "evidence": evidence,
    }
