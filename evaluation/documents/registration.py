"""Công văn đăng ký đánh giá ngoài: the school asks the Sở to evaluate it, for a recognition
anew, a re-recognition or an upgrade, and lists the copies of its report sent with it
(regulation.md §3: registration letter + 2 copies of the self-assessment report)."""

from __future__ import annotations

from core.text import format_date_short
from documents import nd30
from documents.common import DocumentRequest

from . import common
from .data import PURPOSE_PHRASES, EEData


def build_docx(req: DocumentRequest, data: EEData) -> nd30.NDDocument:
    registration = data.evaluation.registration
    purpose = PURPOSE_PHRASES.get(data.purpose, PURPOSE_PHRASES["new"])
    if data.purpose != "upgrade":
        purpose = f"{purpose} Mức độ {data.target_level}"
    default = registration.submitted_at.date() if registration.submitted_at else None
    doc = nd30.NDDocument(
        common.school_spec(
            data,
            req,
            default_date=default,
            kind_symbol="CV",
            doc_type="",
            subject="",
            about=f"V/v đăng ký đánh giá ngoài và đề nghị {purpose}",
            addressees=[data.department.name],
            recipients=["Như trên;"],
        )
    )
    school = data.school.name
    doc.paragraph(f"Căn cứ {data.legal_basis};")
    doc.paragraph(
        f"{school} đã hoàn thành tự đánh giá năm học {data.school_year} theo"
        f" {data.legal_document}. Kết quả tự đánh giá: nhà trường"
        f" {common.level_predicate(data, data.self_levels.school_level)}."
    )
    accreditation = registration.target_accreditation_level
    extra = (
        f" và công nhận đạt kiểm định chất lượng giáo dục Cấp độ {accreditation}"
        if (accreditation)
        else ""
    )
    doc.paragraph(
        f"{school} đăng ký đánh giá ngoài và kính đề nghị {data.department.name} tổ chức đánh"
        f" giá ngoài, xem xét {purpose}{extra} đối với nhà trường."
    )
    if registration.deadline:
        late = (
            " Nhà trường đăng ký sau thời hạn này và xin giải trình lý do kèm theo hồ sơ."
            if registration.late
            else ""
        )
        doc.paragraph(
            "Hạn đăng ký đánh giá ngoài để công nhận lại theo quy định là ngày"
            f" {format_date_short(registration.deadline)}.{late}"
        )
    copies = data.report_copies()
    report = (
        f"Báo cáo tự đánh giá năm học {data.school_year} ({copies:02d} bản)"
        if copies
        else f"Báo cáo tự đánh giá năm học {data.school_year}"
    )
    doc.paragraph("Hồ sơ gửi kèm gồm:")
    for n, item in enumerate(
        [
            report,
            "Quyết định thành lập Hội đồng tự đánh giá",
            "Kế hoạch tự đánh giá",
            "Danh mục mã minh chứng",
        ],
        start=1,
    ):
        doc.paragraph(f"{n}. {item}.")
    doc.paragraph(f"Kính đề nghị {data.department.name} xem xét.")
    doc.finish()
    return doc
