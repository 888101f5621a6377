"""The analysis as page rows, chart data and an xlsx workbook (documents.xlsx). Indicators are
named as the circular names them (analysis.indicator_name), never by internal id."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from core.text import format_decimal, format_percent
from documents import xlsx
from frameworks.models import Framework
from improvement import analysis
from units.models import AdminUnit

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def lift_text(row: analysis.IndicatorRow) -> str:
    """ "nếu chỉ báo này đạt, thêm 12 trường đạt Mức 2" (one clause per level reached)."""
    if not row.lifts:
        return ""
    parts = [
        f"thêm {len(keys)} trường đạt Mức {level}" for level, keys in sorted(row.lifts.items())
    ]
    return "Nếu chỉ báo này đạt: " + "; ".join(parts) + "."


def ranked_row(
    fw, result: analysis.UnitAnalysis, row: analysis.IndicatorRow, costs: dict[str, Any]
) -> dict[str, Any]:
    cost = costs.get(row.ident)
    return {
        "ident": row.ident,
        "name": analysis.indicator_name(fw, row.ident),
        "criterion": row.criterion,
        "blocked": row.blocked_count,
        "blocked_share": format_percent(row.blocked_count, result.school_count),
        "met_share": format_percent(row.met, result.school_count),
        "lift": lift_text(row),
        "lift_count": row.lift_count,
        "cost": format_decimal(cost["cost"], 0) if cost else "",
        "cost_projects": cost["projects"] if cost else 0,
        "cost_unblocks": len(cost["unblocks"]) if cost else 0,
    }


def criterion_rows(result: analysis.UnitAnalysis) -> list[dict[str, Any]]:
    """Per criterion: the share of schools reaching each level (Mức 1..top)."""
    rows = []
    for row in result.criteria:
        rows.append(
            {
                "code": row.code,
                "standard": row.standard,
                "levels": [
                    (
                        level,
                        row.reaching(level),
                        format_percent(row.reaching(level), result.school_count),
                    )
                    for level in range(1, row.top + 1)
                ],
                "below": format_percent(
                    row.at_level[0] if row.at_level else 0, result.school_count
                ),
            }
        )
    return rows


def trend_rows(points: list[analysis.TrendPoint]) -> dict[str, Any]:
    """Per criterion, per cycle: the share of schools at Mức 2 or above (Mức 1 when the
    criterion has only one level)."""
    if not points:
        return {"cycles": [], "rows": []}
    codes = [c.code for c in points[0].criteria]
    rows = []
    for index, code in enumerate(codes):
        cells = []
        for point in points:
            row = point.criteria[index]
            level = min(2, row.top) or 1
            cells.append(format_percent(row.reaching(level), point.school_count))
        rows.append({"code": code, "cells": cells})
    return {"cycles": [p.cycle for p in points], "rows": rows}


def chart_data(fw, ranked: list[analysis.IndicatorRow]) -> dict[str, Any]:
    """For static/js/improvement.js: the ranked blockers (schools blocked, schools lifted) and
    the criteria's shares at Mức 1 and 2."""
    return {
        "blockers": {
            "labels": [analysis.indicator_name(fw, r.ident) for r in ranked[:12]],
            "blocked": [r.blocked_count for r in ranked[:12]],
            "lifted": [r.lift_count for r in ranked[:12]],
        },
        "series": {"blocked": "Số trường bị chặn", "lifted": "Số trường lên mức nếu đạt"},
    }


def workbook(
    *,
    unit: AdminUnit,
    framework: Framework,
    result: analysis.UnitAnalysis,
    costs: dict[str, Any],
    names: dict[int, Any],
):
    fw = framework.compiled()
    wb = xlsx.new_workbook()
    heading = f"Chỉ báo, tiêu chí cản trở các trường lên mức — {unit.name}"
    sub = f"{framework.short_title or framework.title}; {result.school_count} trường"
    xlsx.add_table_sheet(
        wb,
        title="Chỉ báo cản trở",
        heading=heading,
        subheading=sub,
        columns=[
            xlsx.XColumn("TT", 6, "int"),
            xlsx.XColumn("Chỉ báo", 40),
            xlsx.XColumn("Số trường bị chặn", 12, "int"),
            xlsx.XColumn("Tỷ lệ", 10, "percent"),
            xlsx.XColumn("Nếu đạt: số trường lên mức", 14, "int"),
            xlsx.XColumn("Chi tiết", 36),
            xlsx.XColumn("Kinh phí dự kiến (triệu đồng)", 16, "number"),
        ],
        rows=[
            [
                i,
                analysis.indicator_name(fw, r.ident),
                r.blocked_count,
                xlsx.percent_value(r.blocked_count, result.school_count),
                r.lift_count,
                lift_text(r),
                Decimal(costs[r.ident]["cost"]) if r.ident in costs else None,
            ]
            for i, r in enumerate(result.ranked, start=1)
        ],
    )
    top = max((c.top for c in result.criteria), default=0)
    xlsx.add_table_sheet(
        wb,
        title="Tiêu chí",
        heading=f"Tỷ lệ trường đạt từng mức theo tiêu chí — {unit.name}",
        subheading=sub,
        columns=[
            xlsx.XColumn("Tiêu chí", 10),
            *[xlsx.XColumn(f"Đạt Mức {lv} trở lên", 12, "percent") for lv in range(1, top + 1)],
        ],
        rows=[
            [
                f"Tiêu chí {c.code}",
                *[
                    xlsx.percent_value(c.reaching(lv), result.school_count) if lv <= c.top else None
                    for lv in range(1, top + 1)
                ],
            ]
            for c in result.criteria
        ],
    )
    xlsx.add_table_sheet(
        wb,
        title="Trường",
        heading=f"Mức đạt và điểm còn thiếu của từng trường — {unit.name}",
        subheading=sub,
        columns=[
            xlsx.XColumn("Trường", 40),
            xlsx.XColumn("Mức đạt", 8, "int"),
            xlsx.XColumn("Còn thiếu để lên mức tiếp theo", 60),
        ],
        rows=[
            [
                names[key].name if key in names else str(key),
                outcome.level,
                "; ".join(analysis.indicator_name(fw, i) for i in outcome.blockers),
            ]
            for key, outcome in sorted(
                result.schools.items(),
                key=lambda kv: names[kv[0]].sort_key if kv[0] in names else "",
            )
        ],
    )
    return wb
