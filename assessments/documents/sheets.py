"""Phiếu đánh giá tiêu chí: one criterion's form, or all of them in one file (each on its own
page, each signed by the person who wrote it). The exact columns of the MOET form are UNCERTAIN
(regulation.md §8); this follows the structure of the guidance: requirements by level, 1. Mô tả
hiện trạng, 2. Điểm mạnh, 3. Điểm yếu, 4. Kế hoạch cải tiến, 5. Tự đánh giá."""

from __future__ import annotations

from core.text import nfc
from documents import nd30
from documents.common import DocumentError, DocumentRequest
from documents.nd30 import Column, Row

from . import common
from .data import CriterionData, SAData


def build_docx(req: DocumentRequest, data: SAData) -> nd30.NDDocument:
    criteria = data.criteria
    if req.criterion:
        criteria = [c for c in criteria if c.code == req.criterion]
        if not criteria:
            raise DocumentError(
                f"Bộ tiêu chuẩn {data.framework_code} không có tiêu chí “{req.criterion}”."
            )
    spec = common.spec(
        data,
        req,
        doc_type="PHIẾU ĐÁNH GIÁ TIÊU CHÍ",
        subject="",
        kind_symbol="PĐG",
        issuer="Hội đồng tự đánh giá",
        show_recipients=False,
        default_date=common.sheets_date(data),
    )
    spec.show_number = False
    doc = nd30.NDDocument(spec, opening=False)
    for n, criterion in enumerate(criteria):
        if n:
            doc.page_break()
        doc.header_block()
        _sheet(doc, data, criterion)
        writer = criterion.assigned_to or criterion.group or data.principal_name()
        doc.signature("Người viết", writer, date_line=spec.date_line())
    doc.finish(closing_block=False)
    return doc


def _sheet(doc: nd30.NDDocument, data: SAData, criterion: CriterionData) -> None:
    doc.centered("PHIẾU ĐÁNH GIÁ TIÊU CHÍ", bold=True, space_before=12)
    standard = next(s for s in data.standards if s.code == criterion.standard_code)
    if criterion.group:
        doc.labelled("Nhóm công tác:", criterion.group)
    doc.labelled(f"Tiêu chuẩn {standard.code}:", standard.title)
    doc.labelled(f"Tiêu chí {criterion.code}:", criterion.title)
    levels = data.criterion_levels
    width = nd30.TEXT_WIDTH_MM / len(levels)
    doc.table(
        [Column(data.level_name(lv), width) for lv in levels],
        [
            Row(
                [
                    "\n".join(common.requirement_lines(criterion, lv))
                    or "(Không có yêu cầu ở mức này)"
                    for lv in levels
                ]
            )
        ],
        size=11,
    )
    doc.heading("1. Mô tả hiện trạng", 2)
    common.state_paragraphs(doc, data, criterion)
    doc.heading("2. Điểm mạnh", 2)
    doc.paragraphs(criterion.strengths or "(Chưa viết.)")
    doc.heading("3. Điểm yếu", 2)
    doc.paragraphs(criterion.weaknesses or "(Chưa viết.)")
    doc.heading("4. Kế hoạch cải tiến chất lượng", 2)
    common.actions_table(doc, criterion)
    doc.heading("5. Tự đánh giá", 2)
    rows = []
    for level in criterion.levels():
        inds = criterion.indicators_at(level)
        verdicts = "; ".join(f"{i.label} {_verdict(i.met)}".strip() for i in inds)
        reached = criterion.level >= level
        rows.append(Row([data.level_name(level), verdicts, "Đạt" if reached else "Không đạt"]))
    doc.table(
        [
            Column("Mức", 25, center=True),
            Column("Chỉ báo", 100),
            Column("Đánh giá", 40, center=True),
        ],
        rows,
        size=11,
    )
    doc.labelled("Đánh giá tiêu chí:", common.level_phrase(data, criterion.level) + ".")
    if criterion.missing_next and criterion.level < criterion.top:
        doc.paragraph(
            f"Để đạt {data.level_name(criterion.level + 1)} cần đáp ứng: "
            + common.indicator_refs(criterion, criterion.missing_next)
            + ".",
            italic=True,
        )


def _verdict(met: bool | None) -> str:
    if met is None:
        return "chưa đánh giá"
    return nfc("Đạt" if met else "Không đạt")
