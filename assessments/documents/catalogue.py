"""Danh mục mã minh chứng on its own (A4 landscape), and the Excel versions of the results
tables and of the catalogue."""

from __future__ import annotations

from documents import nd30, xlsx
from documents.common import DocumentRequest
from documents.xlsx import XColumn, XRow, percent_value

from . import common, report
from .data import SAData


def build_docx(req: DocumentRequest, data: SAData) -> nd30.NDDocument:
    doc = nd30.NDDocument(
        common.spec(
            data,
            req,
            doc_type="DANH MỤC MÃ MINH CHỨNG",
            subject=f"Tự đánh giá năm học {data.assessment.school_year}",
            kind_symbol="DM",
            show_recipients=False,
            issuer="Hội đồng tự đánh giá",
        ),
        landscape=True,
    )
    common.catalogue_table(doc, data, width_mm=nd30.LANDSCAPE_TEXT_WIDTH_MM)
    listed = sum(1 for row in common.catalogue_rows(data) if not row.merge)
    skipped = data.cited_codes.never_cited
    if skipped:
        doc.paragraph(
            f"Ngoài danh mục: {len(skipped)} minh chứng đã lưu nhưng chưa được tiêu chí nào "
            "trích dẫn (" + data.style.show_many(skipped) + ").",
            italic=True,
        )
    # The content ends with a sentence carrying "./." (never "./." alone under the table).
    doc.finish(f"Danh mục gồm {listed} minh chứng")
    return doc


def catalogue_xlsx(req: DocumentRequest, data: SAData):
    wb = xlsx.new_workbook()
    _catalogue_sheet(wb, data)
    return wb


def _catalogue_sheet(wb, data: SAData) -> None:
    columns = common.catalogue_columns(data)
    widths = {
        "seq": 6,
        "code": 16,
        "name": 50,
        "issued": 26,
        "issuer": 28,
        "storage": 40,
        "note": 30,
    }
    rows = []
    for row in common.catalogue_rows(data):
        if row.merge:
            rows.append(XRow([row.cells[0], *[""] * (len(columns) - 1)], bold=True))
        else:
            rows.append(XRow(row.cells))
    xlsx.add_table_sheet(
        wb,
        title="Danh mục minh chứng",
        heading=f"DANH MỤC MÃ MINH CHỨNG — {data.school.name.upper()}",
        subheading=f"Tự đánh giá năm học {data.assessment.school_year} ({data.framework_code})",
        columns=[
            XColumn(
                c["title"], widths.get(c["field"], 20), "int" if c["field"] == "seq" else "text"
            )
            for c in columns
        ],
        rows=rows,
    )


def results_xlsx(req: DocumentRequest, data: SAData):
    """The results tables: one row per criterion with its level (and x under each level like
    the report's summary), the per-standard counts with % computed from counts, then the
    catalogue."""
    wb = xlsx.new_workbook()
    top = max(data.criterion_levels)
    level_columns = [XColumn(data.level_name(lv), 14) for lv in range(top + 1)]
    rows = []
    for standard in data.standards:
        rows.append(
            XRow(
                [f"Tiêu chuẩn {standard.code}: {standard.title}", "", *[""] * (top + 1)], bold=True
            )
        )
        for c in standard.criteria:
            rows.append(
                XRow(
                    [
                        f"Tiêu chí {c.code}: {c.title}",
                        c.level,
                        *["x" if c.level == lv else "" for lv in range(top + 1)],
                    ]
                )
            )
    xlsx.add_table_sheet(
        wb,
        title="Kết quả theo tiêu chí",
        heading=f"KẾT QUẢ TỰ ĐÁNH GIÁ — {data.school.name.upper()}",
        subheading=(
            f"Năm học {data.assessment.school_year}; {data.framework_code}; trường đạt "
            f"{data.level_name(data.school_level)}"
        ),
        columns=[
            XColumn("Tiêu chuẩn, tiêu chí", 60),
            XColumn("Mức đạt", 10, "int"),
            *level_columns,
        ],
        rows=rows,
    )
    std_rows = [
        XRow(
            [label, n, *[x for c in counts for x in (c, percent_value(c, n))]],
            bold=is_total,
        )
        for label, n, counts, is_total in data.standard_counts()
    ]
    count_columns = []
    for lv in range(top + 1):
        name = data.level_name(lv)
        count_columns += [
            XColumn(f"{name}: số lượng", 14, "int"),
            XColumn(f"{name}: tỷ lệ", 14, "percent"),
        ]
    xlsx.add_table_sheet(
        wb,
        title="Tổng hợp theo tiêu chuẩn",
        heading="TỔNG HỢP KẾT QUẢ THEO TIÊU CHUẨN",
        columns=[XColumn("Tiêu chuẩn", 20), XColumn("Số tiêu chí", 12, "int"), *count_columns],
        rows=std_rows,
        note="Tỷ lệ tính từ số lượng, làm tròn 2 chữ số thập phân (làm tròn nửa lên).",
    )
    if data.level4:
        xlsx.add_table_sheet(
            wb,
            title="Yêu cầu Mức 4",
            heading="KẾT QUẢ CÁC YÊU CẦU MỨC 4",
            columns=[XColumn("Yêu cầu", 80), XColumn("Kết quả", 14)],
            rows=[
                XRow([report.level4_text(n, i), report.level4_verdict(data, i)])
                for n, i in enumerate(data.level4, start=1)
            ],
        )
    _catalogue_sheet(wb, data)
    return wb
