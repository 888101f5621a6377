"""Biểu 2 — kế hoạch cải tiến chất lượng (TT57/2026, UNCERTAIN, tt57.md): I general
information; II bases; III purpose and requirements; IV priority problems; V the plan table;
VI monitoring at the end of term I and of the year; VII responsibilities; VIII review.

IV is derived from the assessment (criteria below the top level or with weaknesses written);
V lists every improvement action of the criterion sheets; VI comes from the rows typed on the
documents page (two empty rows to fill by hand otherwise)."""

from __future__ import annotations

from core.text import format_date_short
from documents import nd30
from documents.common import DocumentRequest
from documents.nd30 import Column, Row

from . import common, prose
from .data import SAData


def build_docx(req: DocumentRequest, data: SAData) -> nd30.NDDocument:
    doc = nd30.NDDocument(
        common.spec(
            data,
            req,
            doc_type="KẾ HOẠCH",
            subject=f"Cải tiến chất lượng giáo dục năm học {data.assessment.school_year}",
            kind_symbol="KH",
            recipients=["Hội đồng tự đánh giá;", "Cán bộ, giáo viên, nhân viên;"],
        ),
        landscape=True,
    )
    school = data.school
    doc.heading("I. THÔNG TIN CHUNG")
    doc.paragraph(f"Tên trường: {school.name}.")
    doc.paragraph(f"Năm học: {data.assessment.school_year}.")
    doc.paragraph(
        f"Kết quả tự đánh giá: {data.level_name(data.school_level) if data.school_level else 'không đạt Mức 1'}"
        f" ({len(data.criteria)} tiêu chí; {sum(1 for c in data.criteria if c.level >= max(data.criterion_levels))}"
        f" tiêu chí đạt {data.level_name(max(data.criterion_levels))})."
    )
    doc.heading("II. CĂN CỨ XÂY DỰNG KẾ HOẠCH")
    doc.paragraphs(prose.text(data, "b2_bases"))
    doc.heading("III. MỤC ĐÍCH, YÊU CẦU")
    doc.paragraphs(
        data.text(
            "b2_purpose",
            "Khắc phục các điểm yếu đã chỉ ra trong báo cáo tự đánh giá; duy trì và phát huy "
            "điểm mạnh; từng bước nâng mức đạt của các tiêu chí.",
        )
    )
    width = nd30.LANDSCAPE_TEXT_WIDTH_MM
    doc.heading("IV. CÁC VẤN ĐỀ CẦN ƯU TIÊN CẢI TIẾN")
    problems = priority_rows(data)
    if problems:
        doc.table(
            [
                Column("TT", 10, center=True),
                Column("Tiêu chuẩn", 30, center=True),
                Column("Tiêu chí liên quan", 22, center=True),
                Column("Đánh giá hiện trạng", 40),
                Column("Điểm hạn chế", 80),
                Column("Nguyên nhân", width - 182),
            ],
            problems,
            size=11,
        )
    else:
        doc.paragraph("Mọi tiêu chí đã đạt mức cao nhất và không ghi điểm yếu.", italic=True)
    doc.heading("V. KẾ HOẠCH CẢI TIẾN")
    doc.table(
        [
            Column("TT", 9, center=True),
            Column("Nội dung cải tiến (tiêu chí)", 22, center=True),
            Column("Mục tiêu", 26),
            Column("Hoạt động, giải pháp", 48),
            Column("Chỉ số đánh giá kết quả", 24),
            Column("Thời gian", 24, center=True),
            Column("Đơn vị, cá nhân phụ trách", 28),
            Column("Nguồn lực", 24),
            Column("Minh chứng dự kiến", 25),
            Column("Mức độ thực hiện", width - 230),
        ],
        plan_rows(data),
        size=10,
    )
    doc.heading("VI. GIÁM SÁT, ĐÁNH GIÁ VIỆC THỰC HIỆN")
    doc.table(
        [
            Column("Thời điểm", 35, center=True),
            Column("Nội dung giám sát", 70),
            Column("Kết quả", 60),
            Column("Điều chỉnh", 50),
            Column("Người đánh giá", width - 215),
        ],
        [Row([r[k] for k, _ in prose.MONITORING_COLUMNS]) for r in prose.monitoring_rows(data)],
        size=11,
    )
    doc.heading("VII. TRÁCH NHIỆM THỰC HIỆN")
    doc.paragraphs(
        data.text(
            "b2_responsibilities",
            "Hiệu trưởng chỉ đạo chung; các tổ chuyên môn, tổ văn phòng và cá nhân được phân công "
            "thực hiện các hoạt động cải tiến theo kế hoạch và báo cáo kết quả.",
        )
    )
    doc.heading("VIII. RÀ SOÁT, ĐIỀU CHỈNH KẾ HOẠCH")
    doc.paragraphs(prose.text(data, "b2_review"))
    doc.finish()
    return doc


def priority_rows(data: SAData) -> list[Row]:
    top = max(data.criterion_levels)
    rows = []
    n = 0
    for standard in data.standards:
        for c in standard.criteria:
            if c.level >= top and not c.weaknesses:
                continue
            n += 1
            rows.append(
                Row(
                    [
                        n,
                        standard.code,
                        c.code,
                        common.level_phrase(data, c.level),
                        c.weaknesses
                        or (
                            "Chưa đáp ứng: " + common.indicator_refs(c, c.missing_next)
                            if c.missing_next
                            else ""
                        ),
                        standard.causes,
                    ]
                )
            )
    return rows


def plan_rows(data: SAData) -> list[Row]:
    rows = []
    n = 0
    for c in data.criteria:
        target = f"Đạt {data.level_name(c.level + 1)}" if c.level < c.top else "Duy trì mức đạt"
        for a in c.actions:
            n += 1
            when = " – ".join(format_date_short(d) for d in (a.start, a.end) if d)
            rows.append(
                Row(
                    [
                        n,
                        f"Tiêu chí {c.code}",
                        target,
                        a.action,
                        "",
                        when,
                        a.responsible,
                        a.resources,
                        a.expected_evidence,
                        "",
                    ]
                )
            )
    if not rows:
        rows.append(Row(["", "(Chưa có hoạt động cải tiến trong các phiếu tiêu chí)", *[""] * 8]))
    return rows
