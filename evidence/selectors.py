"""Reads on the evidence register, always through the user's scope (accounts.permissions): an
assessment or an evidence item outside it does not exist (404)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from accounts.permissions import scope_for
from assessments.models import Assessment, CriterionSheet, IndicatorResult
from core.text import fold
from frameworks.codes import CodeStyle, style_from_data
from frameworks.models import Criterion, Standard

from .models import Evidence, EvidenceCitation


def assessments_visible(user) -> QuerySet[Assessment]:
    if not getattr(user, "is_authenticated", False):
        return Assessment.objects.none()
    return Assessment.objects.filter(scope_for(user).school_filter("school__"))


def get_assessment_or_404(user, pk: int) -> Assessment:
    assessment = (
        assessments_visible(user).select_related("school__unit", "framework").filter(pk=pk).first()
    )
    if assessment is None:
        raise Http404("Không tìm thấy đợt tự đánh giá trong phạm vi của bạn.")
    return assessment


def get_evidence_or_404(user, pk: int) -> Evidence:
    evidence = (
        Evidence.objects.filter(pk=pk, assessment__in=assessments_visible(user).values("pk"))
        .select_related(
            "assessment__school__unit",
            "assessment__framework",
            "first_criterion__standard",
            "uploaded_by",
        )
        .first()
    )
    if evidence is None:
        raise Http404("Không tìm thấy minh chứng trong phạm vi của bạn.")
    return evidence


def get_sheet_or_404(user, assessment: Assessment, pk: int) -> CriterionSheet:
    sheet = (
        CriterionSheet.objects.filter(pk=pk, assessment=assessment)
        .select_related("assessment__school__unit", "criterion")
        .first()
    )
    if sheet is None or not scope_for(user).can_see_school(assessment.school):
        raise Http404("Không tìm thấy phiếu đánh giá.")
    return sheet


def evidence_list(assessment: Assessment) -> QuerySet[Evidence]:
    return (
        Evidence.objects.filter(assessment=assessment)
        .select_related("first_criterion__standard")
        .annotate(citation_count=Count("citations"))
        .order_by("first_criterion__position", "seq", "pk")
    )


def _words(query: str) -> list[str]:
    return [w for w in re.split(r"\s+", fold(query)) if w]


def _with_display(assessment: Assessment, items):
    """Give each item `display`, its code as printed ("[H1-1.1-01]", "(MC.1.1.01)"), from one
    style per call (Evidence.display_code would decode the framework once per item)."""
    style = style_from_data(assessment.framework.data)
    for e in items:
        e.display = style.show(e.code)
    return items


def evidence_search(assessment: Assessment, query: str = "", limit: int = 50) -> list[Evidence]:
    """Accent-insensitive: "bien ban hop" finds "Biên bản họp"; a code finds its item."""
    qs = evidence_list(assessment)
    for word in _words(query):
        qs = qs.filter(search_text__contains=word)
    return _with_display(assessment, list(qs[:limit]))


def picker_items(
    assessment: Assessment,
    query: str = "",
    limit: int = 50,
    *,
    criterion_id: int | None = None,
) -> list[dict[str, Any]]:
    """What the criterion sheet's picker needs to insert a citation in the framework's style.
    `criterion_id`: only the items coded under that criterion (the sheet's own, shown before
    anything is typed)."""
    style = style_from_data(assessment.framework.data)
    if criterion_id is not None:
        found = list(evidence_list(assessment).filter(first_criterion_id=criterion_id)[:limit])
    else:
        found = evidence_search(assessment, query, limit)
    return [
        {
            "id": e.pk,
            "code": e.code,
            "display": style.show(e.code),
            "name": e.name,
            "criterion": e.first_criterion.code,
            "issued_on": e.issued_on.isoformat() if e.issued_on else None,
            "has_file": bool(e.file),
        }
        for e in found
    ]


# The criterion sheet's picker searches the whole register only from this many characters
# on, and lists at most PICKER_LIMIT items (a school's register runs to hundreds of items).
PICKER_MIN_CHARS = 2
PICKER_LIMIT = 15


def sheet_criterion_id(assessment: Assessment, sheet_id: str) -> int | None:
    """The criterion of one of this assessment's sheets (the picker's `sheet` parameter)."""
    if not sheet_id.isdigit():
        return None
    return (
        CriterionSheet.objects.filter(pk=int(sheet_id), assessment=assessment)
        .values_list("criterion_id", flat=True)
        .first()
    )


# ---------------------------------------------------------------------------------------------
# Catalogue: standard → criterion → items


@dataclass
class CatalogueRow:
    evidence: Evidence
    reused: bool = False  # cited by this criterion, coded under an earlier one


@dataclass
class CatalogueCriterion:
    criterion: Criterion
    rows: list[CatalogueRow] = field(default_factory=list)


@dataclass
class CatalogueStandard:
    standard: Standard
    criteria: list[CatalogueCriterion] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(c.rows) for c in self.criteria)


@dataclass
class Catalogue:
    style: CodeStyle
    standards: list[CatalogueStandard]
    total: int


def catalogue(assessment: Assessment) -> Catalogue:
    """The danh mục minh chứng as the 2018 guidance lays it out. Each item appears under its
    first criterion; under every other criterion whose sheet cites it, it appears again with
    the same code marked "dùng lại", so that every code cited in a sheet is in the catalogue."""
    items = _with_display(
        assessment,
        list(
            evidence_list(assessment).prefetch_related(
                Prefetch("citations", queryset=EvidenceCitation.objects.select_related("sheet"))
            )
        ),
    )
    by_criterion: dict[int, list[CatalogueRow]] = {}
    for e in items:
        by_criterion.setdefault(e.first_criterion_id, []).append(CatalogueRow(e))
    for e in items:
        for cit in e.citations.all():
            crit_id = cit.sheet.criterion_id
            if crit_id != e.first_criterion_id:
                by_criterion.setdefault(crit_id, []).append(CatalogueRow(e, reused=True))
    standards = []
    criteria = Criterion.objects.filter(framework=assessment.framework).select_related("standard")
    current: CatalogueStandard | None = None
    for crit in criteria.order_by("standard__position", "position"):
        if current is None or current.standard.pk != crit.standard_id:
            current = CatalogueStandard(crit.standard)
            standards.append(current)
        current.criteria.append(CatalogueCriterion(crit, by_criterion.get(crit.pk, [])))
    return Catalogue(style_from_data(assessment.framework.data), standards, len(items))


# ---------------------------------------------------------------------------------------------
# Warnings


def cycle_window(assessment: Assessment) -> tuple[dt.date, dt.date] | None:
    """Dates an evidence item is expected to fall in, from the school year "2025-2026".

    A school year runs 1 September – 31 August. The window ends on 31 August of the cycle's
    school year. It starts on 1 September of the cycle's first year for an annual cycle (TT57),
    and for a multi-year cycle (2018 frameworks: `self_assessment_cycle_years` = 5) that many
    school years earlier, because a 2018 report covers the five years since the last
    assessment: 2025-2026 under TT17 accepts 01/09/2020 – 31/08/2026. Items outside are
    flagged, not refused: founding decisions and the like are legitimately older."""
    match = re.fullmatch(r"\s*(\d{4})\s*[-–/]\s*(\d{4})\s*", assessment.school_year or "")
    if not match:
        return None
    first = int(match.group(1))
    years = int((assessment.framework.data or {}).get("self_assessment_cycle_years") or 1)
    lookback = years if years > 1 else 0
    return dt.date(first - lookback, 9, 1), dt.date(first + 1, 8, 31)


@dataclass
class MetWithoutEvidence:
    sheet: CriterionSheet
    indicators: list[str]


@dataclass
class Warnings:
    """Items carry `display` (the code as printed) for the page."""

    met_without_evidence: list[MetWithoutEvidence]
    never_cited: list[Evidence]
    outside_cycle: list[Evidence]
    window: tuple[dt.date, dt.date] | None

    @property
    def count(self) -> int:
        return (
            sum(len(m.indicators) for m in self.met_without_evidence)
            + len(self.never_cited)
            + len(self.outside_cycle)
        )


def evidence_warnings(assessment: Assessment) -> Warnings:
    """Three checks a reviewer makes first: an indicator marked met in a sheet that cites no
    evidence; evidence no sheet cites; evidence dated outside the cycle (see cycle_window)."""
    cited_sheets = set(
        EvidenceCitation.objects.filter(sheet__assessment=assessment).values_list(
            "sheet_id", flat=True
        )
    )
    met = (
        IndicatorResult.objects.filter(assessment=assessment, met=True, sheet__isnull=False)
        .exclude(sheet_id__in=cited_sheets)
        .select_related("sheet__criterion", "indicator")
        .order_by("sheet__criterion__position", "indicator__position")
    )
    grouped: dict[int, MetWithoutEvidence] = {}
    for r in met:
        grouped.setdefault(r.sheet_id, MetWithoutEvidence(r.sheet, [])).indicators.append(
            r.indicator.ident
        )
    items = _with_display(assessment, list(evidence_list(assessment)))
    never = [e for e in items if not e.citation_count]
    window = cycle_window(assessment)
    outside: list[Evidence] = []
    if window:
        outside = [e for e in items if e.issued_on and not (window[0] <= e.issued_on <= window[1])]
    return Warnings(list(grouped.values()), never, outside, window)


# ---------------------------------------------------------------------------------------------
# One criterion sheet


def sheet_citations(sheet: CriterionSheet) -> list[EvidenceCitation]:
    return list(
        EvidenceCitation.objects.filter(sheet=sheet)
        .select_related("evidence", "evidence__first_criterion")
        .order_by("position", "pk")
    )


def sheet_met_without_evidence(sheet: CriterionSheet, citations: list | None = None) -> list[str]:
    """Indicators of this sheet marked met while the sheet cites no evidence (the same rule as
    the register's warning, evidence_warnings)."""
    if citations is None:
        cited = EvidenceCitation.objects.filter(sheet=sheet).exists()
    else:
        cited = bool(citations)
    if cited:
        return []
    return list(
        IndicatorResult.objects.filter(sheet=sheet, met=True)
        .order_by("indicator__position")
        .values_list("indicator__ident", flat=True)
    )


def sheet_evidence_context(sheet: CriterionSheet) -> dict[str, Any]:
    """What the sheet's evidence block shows: the cited items in the framework's style, all of
    them together as they are written after a statement, and the met-without-evidence warning."""
    style = style_from_data(sheet.assessment.framework.data)
    citations = sheet_citations(sheet)
    for cit in citations:
        cit.display = style.show(cit.evidence.code)
    return {
        "citations": citations,
        "cited_all": style.show_many([c.evidence.code for c in citations]),
        "code_style": style,
        "met_without_evidence": sheet_met_without_evidence(sheet, citations),
    }
