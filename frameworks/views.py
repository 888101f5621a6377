"""Bộ tiêu chuẩn: browse the frameworks (public legal data, any logged-in user), search them
accent-insensitively, and compare two side by side. Views stay thin: reads are in selectors."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import engine, selectors
from .models import Framework

SELECTOR_NAMES = {
    "all": gettext_lazy("tất cả tiêu chí"),
    "mandatory": gettext_lazy("các tiêu chí bắt buộc"),
    "others": gettext_lazy("các tiêu chí không bắt buộc"),
}


@login_required
def framework_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    frameworks = list(selectors.framework_list())
    context = {
        "frameworks": frameworks,
        "query": query,
        "results": selectors.search_all(query) if query else None,
    }
    return render(request, "frameworks/list.html", context)


@login_required
def framework_detail(request: HttpRequest, code: str) -> HttpResponse:
    framework = selectors.framework_get(code)
    query = request.GET.get("q", "").strip()
    context = {
        "framework": framework,
        "versions": list(framework.versions.all()),
        "tree": selectors.framework_tree(framework, query),
        "query": query,
        "rule_lines": rule_lines(framework),
        "recognition": recognition_lines(framework),
        "data": framework.data,
        "missing_text": engine.MISSING_TEXT,
        "others": _comparison_candidates(framework),
    }
    template = "frameworks/detail.html"
    if request.htmx and request.htmx.target == "fw-tree":
        template = "frameworks/_tree.html"
    return render(request, template, context)


def _comparison_candidates(framework: Framework) -> list[Framework]:
    """Other frameworks, the likeliest comparison first: another generation for the same kinds
    of school (TT17-2018 → TT57-2026-PT)."""
    kinds = set(framework.school_kinds)
    others = [fw for fw in selectors.framework_list() if fw.pk != framework.pk]
    return sorted(
        others,
        key=lambda fw: (fw.family == framework.family, not kinds & set(fw.school_kinds), fw.code),
    )


@login_required
def framework_compare(request: HttpRequest) -> HttpResponse:
    frameworks = list(selectors.framework_list())
    codes = [fw.code for fw in frameworks]
    left_code = request.GET.get("a") or next((c for c in codes if c.endswith("2018")), "")
    right_code = request.GET.get("b") or next((c for c in codes if "2026" in c), "")
    comparison = None
    if left_code and right_code:
        left = selectors.framework_get(left_code)
        right = selectors.framework_get(right_code)
        comparison = selectors.framework_comparison(left, right)
        for side in (comparison["left"], comparison["right"]):
            side["rule_lines"] = rule_lines(side["framework"])
    context = {
        "frameworks": frameworks,
        "left_code": left_code,
        "right_code": right_code,
        "comparison": comparison,
    }
    return render(request, "frameworks/compare.html", context)


def rule_lines(framework: Framework) -> list[tuple[str, list[str]]]:
    """The school-level rule in words, straight from the data (not a hard-coded description):
    [("Mức 1", ["tất cả tiêu chí bắt buộc đạt Mức 1", "ít nhất 5/7 …"]), …]."""
    compiled = framework.compiled()
    lines = []
    for school_level in compiled.school_levels:
        parts = [_clause_text(compiled, clause) for clause in school_level.clauses]
        if school_level.level > 1:
            parts.insert(0, _("đạt Mức %(n)s") % {"n": school_level.level - 1})
        if not school_level.assessable:
            parts.append(school_level.note or _("chưa thể đánh giá"))
        lines.append((_("Mức %(n)s") % {"n": school_level.level}, parts))
    return lines


def _clause_text(compiled: engine.Framework, clause: engine.Clause) -> str:
    if clause.requirements:
        total = len(compiled.level4_order)
        if clause.at_least >= total:
            return _("mọi yêu cầu Mức 4 (%(n)s yêu cầu)") % {"n": total}
        return _("ít nhất %(k)s/%(n)s yêu cầu Mức 4") % {"k": clause.at_least, "n": total}
    who = SELECTOR_NAMES.get(clause.selector, _("tiêu chí %(c)s") % {"c": clause.selector})
    if clause.is_all:
        return _("%(who)s đạt Mức %(lv)s") % {"who": who, "lv": clause.min_level}
    return _("ít nhất %(k)s/%(n)s %(who)s đạt Mức %(lv)s") % {
        "k": clause.at_least,
        "n": len(clause.criteria),
        "who": who,
        "lv": clause.min_level,
    }


def recognition_lines(framework: Framework) -> list[dict[str, Any]]:
    """Per version: accreditation and national-standard mapping, conditions, validity, wait."""
    conditions = framework.data.get("conditions", {})
    out = []
    for version in framework.compiled().versions:
        rec = version.recognition
        out.append(
            {
                "version": version,
                "accreditation": _mapping_text(rec.accreditation, _("Cấp độ")),
                "accreditation_note": rec.accreditation_note,
                "national_standard": _mapping_text(rec.national_standard, _("Mức độ")),
                "national_standard_note": rec.national_standard_note,
                "ns_authority": rec.national_standard.authority if rec.national_standard else "",
                "conditions": [
                    (
                        name,
                        conditions.get(name, {}).get("label", name),
                        conditions.get(name, {}).get("certainty", "confirmed"),
                    )
                    for name in _condition_names(rec)
                ],
                "validity_years": rec.validity_years,
                "upgrade_wait_years": rec.upgrade_wait_years,
                "renewal_months": rec.renewal_months_before_expiry,
                "team_min_members": rec.team_min_members,
                "team_uncertain": rec.team_certainty == "uncertain",
            }
        )
    return out


def _mapping_text(rule: engine.RecognitionRule | None, grade_word: str) -> list[str]:
    if rule is None:
        return []
    return [
        _("Mức %(level)s → %(grade_word)s %(grade)s")
        % {"level": level, "grade_word": grade_word, "grade": grade}
        for level, grade in enumerate(rule.mapping)
        if grade is not None
    ]


def _condition_names(rec: engine.Recognition) -> list[str]:
    names: list[str] = []
    for rule in (rec.accreditation, rec.national_standard):
        for name in rule.conditions if rule else ():
            if name not in names:
                names.append(name)
    return names
