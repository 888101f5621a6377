"""Reads for frameworks. Frameworks are public legal data: every logged-in user may read them,
so these selectors are not scoped to a user (unlike schools and units)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from core.text import fold

from . import engine
from .models import Criterion, Framework, FrameworkVersion, Indicator, Standard


@dataclass(frozen=True)
class FrameworkChoice:
    """The framework in force and its dated version (e.g. TT17-2018 as amended by TT22/2024)."""

    framework: Framework
    version: FrameworkVersion

    @property
    def code(self) -> str:
        return self.framework.code


def framework_list() -> QuerySet[Framework]:
    return Framework.objects.prefetch_related("versions").order_by("-effective_from", "code")


def framework_for(kind: str, day: dt.date) -> FrameworkChoice | None:
    """The framework and version that apply to a school of `kind` assessed on `day`: a TH school
    in 2024 → TT17-2018 (2018 wording), in 2025 → TT17-2018 version TT22-2024, from 07/7/2026 →
    TT57-2026-PT. None when nothing covers it (e.g. a GDTX centre before TT57)."""
    frameworks = {fw.code: fw for fw in Framework.objects.all()}
    chosen = engine.select([fw.compiled() for fw in frameworks.values()], kind, day)
    if chosen is None:
        return None
    compiled, version = chosen
    framework = frameworks[compiled.code]
    row = framework.versions.get(code=version.code)
    return FrameworkChoice(framework=framework, version=row)


def framework_get(code: str) -> Framework:
    try:
        return Framework.objects.prefetch_related("versions").get(code=code)
    except Framework.DoesNotExist:
        raise Http404(code) from None


def framework_tree(framework: Framework, query: str = "") -> dict[str, Any]:
    """Standards → criteria → indicators grouped by level, optionally filtered by an
    accent-insensitive search ("hoc sinh" finds "học sinh"): a criterion whose code or title
    matches shows all its indicators, otherwise only the matching ones. Plus the school-wide
    Mức 4 list. A framework has at most a few hundred indicators: filtering in Python on the
    stored folded keys costs less than a query per criterion."""
    key = fold(query)
    standards = Standard.objects.filter(framework=framework).prefetch_related(
        Prefetch("criteria", queryset=Criterion.objects.order_by("position")),
        Prefetch("criteria__indicators", queryset=Indicator.objects.order_by("position")),
    )
    level_numbers = sorted(engine.declared_levels(framework.data))
    tree = []
    hits = 0
    for standard in standards.order_by("position"):
        rows = []
        for criterion in standard.criteria.all():
            found = list(criterion.indicators.all())
            if key and key not in criterion.search_text:
                found = [i for i in found if key in i.search_text]
                if not found:
                    continue
            hits += len(found)
            levels = [(n, [i for i in found if i.level == n]) for n in level_numbers]
            rows.append({"criterion": criterion, "levels": levels})
        if rows or not key:
            tree.append({"standard": standard, "criteria": rows})
    level4 = list(
        Indicator.objects.filter(framework=framework, criterion__isnull=True).order_by("position")
    )
    if key:
        level4 = [i for i in level4 if key in i.search_text]
    return {"standards": tree, "level4": level4, "hits": hits + len(level4), "query": query}


def search_all(query: str, limit: int = 200) -> list[Indicator]:
    """Indicators of every framework matching an accent-insensitive query."""
    key = fold(query)
    if not key:
        return []
    return list(
        Indicator.objects.filter(search_text__contains=key)
        .select_related("framework", "criterion")
        .order_by("framework__code", "position")[:limit]
    )


def framework_comparison(left: Framework, right: Framework) -> dict[str, Any]:
    """Two frameworks side by side, standard by standard (aligned on the standard's position),
    with each side's shape and rules."""
    sides = [_shape(left), _shape(right)]
    rows = []
    count = max(len(sides[0]["standards"]), len(sides[1]["standards"]))
    for n in range(count):
        pair = [s["standards"][n] if n < len(s["standards"]) else None for s in sides]
        rows.append(pair)
    return {"left": sides[0], "right": sides[1], "rows": rows}


def _shape(framework: Framework) -> dict[str, Any]:
    standards = list(
        Standard.objects.filter(framework=framework)
        .prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.order_by("position")),
            "criteria__indicators",
        )
        .order_by("position")
    )
    compiled = framework.compiled()
    by_level: dict[int, int] = {}
    for _, level in compiled.indicator_pos.values():
        by_level[level] = by_level.get(level, 0) + 1
    return {
        "framework": framework,
        "standards": standards,
        "criteria_count": len(compiled.criterion_codes),
        "mandatory_count": sum(compiled.mandatory),
        "indicators_by_level": sorted(by_level.items()),
        "level4_count": len(compiled.level4_order),
        "levels": framework.data.get("levels", []),
    }
