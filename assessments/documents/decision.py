"""Quyết định thành lập Hội đồng tự đánh giá (MOET guidance, regulation.md §3): the principal
decides; Điều 1 lists the members with their council roles, Điều 2 the council's duties,
Điều 3 who carries it out."""

from __future__ import annotations

from documents import nd30
from documents.common import DocumentRequest

from . import common, prose
from .data import SAData


def build_docx(req: DocumentRequest, data: SAData) -> nd30.NDDocument:
    school = data.school.name
    doc = nd30.NDDocument(
        common.spec(
            data,
            req,
            doc_type="QUYẾT ĐỊNH",
            subject=f"Về việc thành lập Hội đồng tự đánh giá năm học {data.assessment.school_year}",
            kind_symbol="QĐ",
            default_date=common.timeline_start(data),
            recipients=["Như Điều 3;", "Cơ quan quản lý (để báo cáo);"],
        )
    )
    # A decision is read and signed as one page: single spacing keeps Điều 3 and the signer
    # with the rest for a council of the usual size.
    doc.single_spacing()
    doc.centered(f"HIỆU TRƯỞNG {school.upper()}", bold=True, space_before=6)
    for line in prose.text(data, "decision_basis").splitlines():
        if line.strip():
            sentence = line.strip().rstrip(";.")
            doc.paragraph(f"{sentence};", italic=True)
    doc.centered("QUYẾT ĐỊNH:", bold=True, space_before=6)
    doc.labelled(
        "Điều 1.",
        f"Thành lập Hội đồng tự đánh giá {school} năm học {data.assessment.school_year} "
        f"gồm {len(data.council):02d} ông (bà) có tên sau:",
    )
    columns, rows = common.council_rows(data)
    doc.table(columns, rows)
    doc.labelled("Điều 2.", prose.text(data, "decision_duties"))
    doc.labelled(
        "Điều 3.",
        "Quyết định có hiệu lực kể từ ngày ký. Các bộ phận có liên quan và các ông (bà) có tên "
        "tại Điều 1 chịu trách nhiệm thi hành Quyết định này.",
    )
    doc.finish()
    return doc
