"""The self-assessment report, in the layout the framework's data declares
(`documents.report_layout`):

- "moet-2018" (TT17/18/19-2018, Công văn 5932/5942): cover; council list with a signature
  column; a real Word table of contents; abbreviations; "Tổng hợp kết quả tự đánh giá" from the
  engine; Phần I school data over 5 school years; Phần II A. Đặt vấn đề, B. per standard "Mở
  đầu", per criterion 1–5, "Kết luận về Tiêu chuẩn n", Mức 4; Phần III Kết luận chung with the
  computed level and the request for recognition; Phần IV the evidence catalogue (landscape).
- "tt57-bieu1" (TT57/2026 Biểu 1, UNCERTAIN): Phần I Tổng quan with 3 school years of data;
  Phần II per criterion a table Mức | Hiện trạng (kèm mã minh chứng) | Đánh giá, per standard
  "Đánh giá chung"; Phần III tables per criterion and per standard (counts and %), the level,
  proposals, the principal's statement; Phần IV the evidence list.

Numbers are computed here from the same rows they close (documents.common: rounding rule)."""

from __future__ import annotations

import datetime as dt

from core.text import format_int, format_percent, nfc
from documents import nd30
from documents.common import DocumentRequest
from documents.nd30 import Column, Row

from . import common, header, prose
from .data import SAData

ABBREVIATIONS = (
    ("BGH", "Ban giám hiệu"),
    ("CBQL", "Cán bộ quản lý"),
    ("CMHS", "Cha mẹ học sinh"),
    ("CSVC", "Cơ sở vật chất"),
    ("GD&ĐT", "Giáo dục và Đào tạo"),
    ("GV", "Giáo viên"),
    ("HĐTĐG", "Hội đồng tự đánh giá"),
    ("HS", "Học sinh"),
    ("KĐCLGD", "Kiểm định chất lượng giáo dục"),
    ("NV", "Nhân viên"),
    ("PTDTBT", "Phổ thông dân tộc bán trú"),
    ("PTDTNT", "Phổ thông dân tộc nội trú"),
    ("TĐG", "Tự đánh giá"),
    ("TNTP", "Thiếu niên Tiền phong"),
    ("UBND", "Ủy ban nhân dân"),
)
ALWAYS = {"GD&ĐT", "UBND", "TĐG"}
DATA_NOTE = (
    "Số liệu lấy từ trang “Số liệu theo năm học” của trường; dòng tổng tính từ các dòng thành phần."
)


def build_docx(req: DocumentRequest, data: SAData) -> nd30.NDDocument:
    spec = common.spec(
        data,
        req,
        doc_type=str(data.documents.get("report_title") or "BÁO CÁO TỰ ĐÁNH GIÁ"),
        subject="",
        kind_symbol="BC",
        show_recipients=False,
    )
    spec.date_above_signature = True
    doc = nd30.NDDocument(spec, opening=False)
    _cover(doc, data, spec)
    doc.page_break()
    doc.centered("DANH SÁCH VÀ CHỮ KÝ THÀNH VIÊN HỘI ĐỒNG TỰ ĐÁNH GIÁ", bold=True)
    columns, rows = common.council_rows(data, signature=True)
    doc.table(columns, rows)
    doc.page_break()
    doc.toc()
    doc.page_break()
    _abbreviations(doc, data)
    if data.layout == "tt57-bieu1":
        _bieu1(doc, data, spec)
    else:
        _moet2018(doc, data, spec)
    doc.finish(closing_block=False)
    return doc


# ---------------------------------------------------------------------------------------------
# Shared parts


def _cover(doc: nd30.NDDocument, data: SAData, spec: nd30.DocumentSpec) -> None:
    doc.centered(spec.managing_body.upper(), size=14)
    doc.centered(nfc(data.school.name).upper(), size=14, bold=True)
    for _ in range(8):
        doc.centered("")
    doc.centered(spec.doc_type.upper(), size=26, bold=True)
    doc.centered(f"Năm học {data.assessment.school_year}", size=16, bold=True, space_before=12)
    if data.layout == "tt57-bieu1":
        doc.centered("(Theo Biểu 1 — Thông tư 57/2026/TT-BGDĐT)", size=13, italic=True)
    for _ in range(10):
        doc.centered("")
    doc.centered(f"{spec.place}, năm {spec.date.year}", size=14, bold=True)


def _abbreviations(doc: nd30.NDDocument, data: SAData) -> None:
    words = "\n".join([c.all_text() for c in data.criteria] + [str(v) for v in data.prose.values()])
    used = [
        (abbr, meaning)
        for abbr, meaning in ABBREVIATIONS
        if abbr in ALWAYS or abbr in words or abbr == data.school.special_type
    ]
    doc.heading("DANH MỤC CÁC CHỮ VIẾT TẮT", 1, center=True)
    doc.table(
        [Column("TT", 15, center=True), Column("Chữ viết tắt", 40), Column("Nội dung", 110)],
        [Row([n, abbr, meaning]) for n, (abbr, meaning) in enumerate(used, start=1)],
    )


def _general_info(doc: nd30.NDDocument, data: SAData, spec: nd30.DocumentSpec) -> None:
    school = data.school
    unit = school.unit
    province = unit.parent if unit.parent_id else unit
    district = header.district_on(school, header.REFORM_DAY - dt.timedelta(days=1))
    rows = [
        ("Tên trường", school.name),
        ("Cơ quan quản lý trực tiếp", spec.managing_body),
        ("Tỉnh/thành phố", province.name),
        ("Xã/phường/đặc khu", unit.name if unit.parent_id else ""),
    ]
    if district is not None:
        rows.append(("Huyện (trước 01/7/2025)", district.name))
    rows += [
        ("Cấp học", school.get_kind_display()),
        ("Loại hình", school.get_ownership_display()),
        (
            "Loại trường đặc thù",
            school.get_special_type_display() if school.special_type else "Không",
        ),
        ("Năm thành lập", str(school.founded_year) if school.founded_year else ""),
        ("Hiệu trưởng", data.principal_name()),
        ("Điện thoại", school.phone),
        ("Thư điện tử", school.email),
        ("Trang thông tin điện tử", school.website),
        ("Địa chỉ", school.address),
        ("Số điểm trường", format_int(school.sites.count()) if school.sites.exists() else "01"),
    ]
    doc.table(
        [Column("Thông tin", 60), Column("Nội dung", 105)],
        [Row([label, value or "—"]) for label, value in rows],
    )


def _year_tables(
    doc: nd30.NDDocument, data: SAData, *, start: int, prefix: str = "", level: int = 2
) -> None:
    table = data.years
    missing = table.missing_years()
    if missing:
        doc.paragraph(
            "Chưa nhập số liệu năm học "
            + ", ".join(missing)
            + " (trang “Số liệu theo năm học” của trường).",
            italic=True,
        )
    year_width = min(24.0, 90.0 / len(table.years))
    label_width = nd30.TEXT_WIDTH_MM - year_width * len(table.years)
    for n, section in enumerate(table.schema.sections, start=start):
        doc.heading(f"{prefix}{n}. {section.title}", level)
        rows = []
        for row in section.rows:
            values = [table.values[y].get(row.key) for y in table.years]
            label = ("- " if row.indent else "") + row.label
            rows.append(Row([label, *values], bold=row.is_total))
        doc.table(
            [
                Column("Nội dung", label_width),
                *[Column(y, year_width, numeric=True) for y in table.years],
            ],
            rows,
            size=11,
        )
    doc.paragraph(DATA_NOTE, italic=True)


def _criterion_requirements(doc: nd30.NDDocument, data: SAData, criterion) -> None:
    for level in criterion.levels():
        lines = common.requirement_lines(criterion, level)
        doc.labelled(f"{data.level_name(level)}:", lines[0] if len(lines) == 1 else "")
        if len(lines) > 1:
            for line in lines:
                doc.paragraph(line)


def _appendix(doc: nd30.NDDocument, data: SAData, title: str) -> None:
    doc.landscape()
    doc.heading(title, 1, center=True)
    # How sure the code style is belongs to the framework's reference page, not to the report.
    common.catalogue_table(doc, data, width_mm=nd30.LANDSCAPE_TEXT_WIDTH_MM)


def _x(flag: bool) -> str:
    return "x" if flag else ""


# ---------------------------------------------------------------------------------------------
# MOET 2018


def summary_rows_2018(data: SAData) -> list[Row]:
    """The "Tổng hợp kết quả tự đánh giá" rows: x under every level the criterion reaches
    (a criterion at Mức 3 has reached Mức 1 and Mức 2 too), x under "Không đạt" at level 0."""
    levels = data.criterion_levels
    rows = []
    for standard in data.standards:
        rows.append(Row([f"Tiêu chuẩn {standard.code}: {standard.title}"], bold=True, merge=True))
        for c in standard.criteria:
            cells = [f"Tiêu chí {c.code}", _x(c.level == 0)]
            cells += [_x(c.level >= lv and lv <= c.top) for lv in levels]
            rows.append(Row(cells))
    return rows


def _summary_2018(doc: nd30.NDDocument, data: SAData) -> None:
    levels = data.criterion_levels
    doc.heading("TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ", 1, center=True)
    doc.heading(
        "1. Kết quả đánh giá tiêu chí "
        + ", ".join(data.level_name(lv) for lv in levels[:-1])
        + f" và {data.level_name(levels[-1])}",
        2,
    )
    width = 20
    doc.table(
        [
            Column("Tiêu chuẩn, tiêu chí", nd30.TEXT_WIDTH_MM - width * (len(levels) + 1)),
            Column("Không đạt", width, center=True),
            *[Column(data.level_name(lv), width, center=True) for lv in levels],
        ],
        summary_rows_2018(data),
        groups=[("Tiêu chuẩn, tiêu chí", 1), ("Không đạt", 1), ("Đạt", len(levels))],
    )
    if data.level4:
        doc.heading("2. Kết quả đánh giá các yêu cầu Mức 4", 2)
        judged = data.level4_considered
        doc.table(
            [
                Column("Yêu cầu", 125),
                Column("Đạt", 20, center=True),
                Column("Không đạt", 20, center=True),
            ],
            [
                Row(
                    [
                        level4_text(n, item),
                        _x(judged and item.met is True),
                        _x(judged and item.met is not True),
                    ]
                )
                for n, item in enumerate(data.level4, start=1)
            ],
            size=11,
        )
        note = level4_note(data)
        if note:
            doc.paragraph(note, italic=True)
    doc.labelled(
        "Kết luận:",
        f"Trường đạt {data.level_name(data.school_level)}."
        if data.school_level
        else "Trường chưa đạt Mức 1.",
    )


def level4_text(number: int, item) -> str:
    """ "1. Kế hoạch giáo dục …" as the circular numbers its Mức 4 requirements; a text not
    known yet is a line to fill by hand."""
    return f"{number}. {item.text or common.FILL_LINE}"


def level4_verdict(data: SAData, item) -> str:
    """Đạt / Không đạt, or why the requirement is not judged: below the level under Mức 4 a
    school is not judged on them, so none is marked "Đạt"."""
    if not data.level4_considered:
        return "Chưa đánh giá"
    return "Đạt" if item.met is True else "Không đạt"


def level4_note(data: SAData) -> str:
    below = data.level_name(data.level4_level - 1)
    if not data.level4_considered:
        return f"Trường chưa đạt {below} nên chưa đánh giá các yêu cầu {data.level_name(data.level4_level)}."
    if not data.level4_determinable:
        return f"Kết quả {data.level_name(data.level4_level)}: không xác định được."
    return ""


def _moet2018(doc: nd30.NDDocument, data: SAData, spec: nd30.DocumentSpec) -> None:
    doc.page_break()
    _summary_2018(doc, data)
    doc.page_break()
    doc.heading("PHẦN I. CƠ SỞ DỮ LIỆU", 1, center=True)
    doc.heading("1. Thông tin chung của nhà trường", 2)
    _general_info(doc, data, spec)
    _year_tables(doc, data, start=2)

    doc.page_break()
    doc.heading("PHẦN II. TỰ ĐÁNH GIÁ", 1, center=True)
    doc.heading("A. ĐẶT VẤN ĐỀ", 2)
    doc.labelled("1. Tình hình chung của nhà trường", "")
    doc.paragraphs(prose.text(data, "context"))
    doc.labelled("2. Mục đích, phạm vi, thời gian tự đánh giá", "")
    doc.paragraphs(prose.text(data, "purpose"))
    doc.labelled("3. Tóm tắt quá trình và những vấn đề nổi bật trong hoạt động tự đánh giá", "")
    doc.paragraphs(prose.text(data, "process"))
    doc.heading("B. TỰ ĐÁNH GIÁ", 2)
    levels = data.criterion_levels
    doc.heading(
        "I. ĐÁNH GIÁ THEO CÁC TIÊU CHÍ "
        + ", ".join(data.level_name(lv).upper() for lv in levels[:-1])
        + f" VÀ {data.level_name(levels[-1]).upper()}",
        2,
    )
    top = max(levels)
    for standard in data.standards:
        doc.heading(f"Tiêu chuẩn {standard.code}: {standard.title}", 2)
        doc.labelled("Mở đầu:", "")
        doc.paragraphs(standard.intro or prose.PLACEHOLDER)
        for c in standard.criteria:
            doc.heading(f"Tiêu chí {c.code}: {c.title}", 3)
            _criterion_requirements(doc, data, c)
            doc.labelled("1. Mô tả hiện trạng", "")
            common.state_paragraphs(doc, data, c)
            doc.labelled("2. Điểm mạnh", "")
            doc.paragraphs(c.strengths or prose.PLACEHOLDER)
            doc.labelled("3. Điểm yếu", "")
            doc.paragraphs(c.weaknesses or prose.PLACEHOLDER)
            doc.labelled("4. Kế hoạch cải tiến chất lượng", "")
            common.actions_table(doc, c)
            doc.labelled("5. Tự đánh giá:", common.level_phrase(data, c.level) + ".")
        counts = standard.counts(top)
        conclusion = standard.conclusion or (
            f"Tiêu chuẩn {standard.code} có {len(standard.criteria):02d} tiêu chí: "
            + "; ".join(
                f"{counts[lv]:02d} tiêu chí đạt {data.level_name(lv)}"
                for lv in range(top, 0, -1)
                if counts[lv]
            )
            + (f"; {counts[0]:02d} tiêu chí không đạt Mức 1" if counts[0] else "")
            + "."
        )
        doc.labelled(f"Kết luận về Tiêu chuẩn {standard.code}:", "")
        doc.paragraphs(conclusion)
    if data.level4:
        doc.heading("II. ĐÁNH GIÁ THEO CÁC TIÊU CHÍ MỨC 4", 2)
        for n, item in enumerate(data.level4, start=1):
            doc.paragraph(level4_text(n, item))
            doc.labelled("Tự đánh giá:", level4_verdict(data, item) + ".")
        note = level4_note(data)
        if note:
            doc.paragraph(note, italic=True)
        level4 = data.text("level4")
        if level4:
            doc.paragraphs(level4)
    doc.heading("PHẦN III. KẾT LUẬN CHUNG", 1, center=True)
    doc.paragraphs(prose.text(data, "conclusion"))
    _recognition_request(doc, data)
    doc.signature("Hiệu trưởng", data.principal_name(), date_line=spec.date_line())
    _appendix(doc, data, "PHẦN IV. PHỤ LỤC: DANH MỤC MÃ MINH CHỨNG")


def _recognition_request(
    doc: nd30.NDDocument, data: SAData, *, with_proposals: bool = True
) -> None:
    result = data.live.result
    level = data.school_level
    if level <= 0:
        doc.paragraph(
            "Trường chưa đạt Mức 1; nhà trường tiếp tục thực hiện kế hoạch cải tiến chất lượng."
        )
    parts = []
    if result.accreditation_level:
        parts.append(
            f"công nhận đạt kiểm định chất lượng giáo dục Cấp độ {result.accreditation_level}"
        )
    if result.national_standard_level:
        parts.append(f"công nhận trường đạt chuẩn quốc gia Mức độ {result.national_standard_level}")
    if parts:
        doc.paragraph(
            "Nhà trường đề nghị cơ quan có thẩm quyền tổ chức đánh giá ngoài và "
            + " và ".join(parts)
            + "."
        )
    proposals = data.text("proposals") if with_proposals else ""
    if proposals:
        doc.paragraphs(proposals)
    unmet = [
        data.conditions[c].get("label", c) for c in result.unmet_conditions if c in data.conditions
    ]
    if unmet and level > 0:
        doc.paragraph(
            "Điều kiện công nhận chưa được nhà trường xác nhận: " + "; ".join(unmet) + ".",
            italic=True,
        )


# ---------------------------------------------------------------------------------------------
# TT57 Biểu 1


def criterion_rows_tt57(data: SAData) -> list[Row]:
    """Phần III table: x under the one level each criterion reached."""
    top = max(data.criterion_levels)
    rows = []
    for standard in data.standards:
        rows.append(Row([f"Tiêu chuẩn {standard.code}: {standard.title}"], bold=True, merge=True))
        for c in standard.criteria:
            mark = " (bắt buộc)" if c.mandatory else ""
            rows.append(
                Row([f"Tiêu chí {c.code}{mark}", *[_x(c.level == lv) for lv in range(top + 1)]])
            )
    return rows


def standard_rows_tt57(data: SAData) -> list[Row]:
    """Phần III summary per standard: count and % of criteria at each level; the total row
    sums the rows above and computes its % from the total counts."""
    return [
        Row(
            [label, n, *[x for c in counts for x in (c, format_percent(c, n))]],
            bold=is_total,
        )
        for label, n, counts, is_total in data.standard_counts()
    ]


def _bieu1(doc: nd30.NDDocument, data: SAData, spec: nd30.DocumentSpec) -> None:
    top = max(data.criterion_levels)
    doc.page_break()
    doc.heading("PHẦN I. TỔNG QUAN", 1, center=True)
    doc.heading("1. Thông tin chung", 2)
    _general_info(doc, data, spec)
    doc.heading("2. Bối cảnh", 2)
    doc.paragraphs(prose.text(data, "context"))
    doc.heading("3. Mục đích, phạm vi, thời gian tự đánh giá", 2)
    doc.paragraphs(prose.text(data, "purpose"))
    doc.heading("4. Quá trình tự đánh giá", 2)
    doc.paragraphs(prose.text(data, "process"))
    doc.heading(f"5. Số liệu {len(data.years.years):02d} năm học gần nhất", 2)
    _year_tables(doc, data, start=1, prefix="5.", level=3)

    doc.page_break()
    doc.heading("PHẦN II. TỰ ĐÁNH GIÁ THEO TIÊU CHUẨN, TIÊU CHÍ", 1, center=True)
    for standard in data.standards:
        doc.heading(f"Tiêu chuẩn {standard.code}: {standard.title}", 2)
        for c in standard.criteria:
            mark = " (tiêu chí bắt buộc)" if c.mandatory else ""
            doc.heading(f"Tiêu chí {c.code}: {c.title}{mark}", 3)
            _criterion_requirements(doc, data, c)
            extra = data.cited_codes.extra.get(c.code, [])
            rows = []
            for level in c.levels():
                text = c.text_at(level) or "(Chưa mô tả hiện trạng ở mức này.)"
                if extra and level == c.levels()[0]:
                    text += "\nMinh chứng kèm theo: " + data.style.show_many(extra) + "."
                rows.append(
                    Row([data.level_name(level), text, "Đạt" if c.level >= level else "Không đạt"])
                )
            doc.table(
                [
                    Column("Mức", 22, center=True),
                    Column("Hiện trạng, kết quả đạt được (kèm mã minh chứng)", 113),
                    Column("Đánh giá (Đạt/Không đạt)", 30, center=True),
                ],
                rows,
                size=11,
            )
            doc.labelled("Tự đánh giá:", f"Tiêu chí {common.level_phrase(data, c.level).lower()}.")
        doc.heading(f"Đánh giá chung về Tiêu chuẩn {standard.code}", 3)
        doc.labelled("Điểm mạnh:", "")
        doc.paragraphs(standard.strengths or _joined(c.strengths for c in standard.criteria))
        doc.labelled("Điểm yếu, hạn chế chủ yếu và nguyên nhân:", "")
        doc.paragraphs(
            "\n".join(t for t in (standard.weaknesses, standard.causes) if t)
            or _joined(c.weaknesses for c in standard.criteria)
        )
        doc.labelled("Hướng cải tiến:", "")
        doc.paragraphs(standard.direction or prose.PLACEHOLDER)
        counts = standard.counts(top)
        doc.table(
            [
                Column("Tiêu chuẩn", 45),
                Column("Số tiêu chí", 24, numeric=True),
                *[Column(data.level_name(lv), 32, numeric=True) for lv in range(top + 1)],
            ],
            [
                Row(
                    [
                        f"Tiêu chuẩn {standard.code}",
                        len(standard.criteria),
                        *[counts[lv] for lv in range(top + 1)],
                    ]
                )
            ],
            size=11,
        )

    doc.page_break()
    doc.heading("PHẦN III. KẾT LUẬN", 1, center=True)
    doc.heading("1. Tổng quan chung", 2)
    doc.paragraphs(prose.text(data, "conclusion"))
    doc.heading("2. Kết quả đánh giá các tiêu chí", 2)
    width = 28
    doc.table(
        [
            Column("Tiêu chuẩn, tiêu chí", nd30.TEXT_WIDTH_MM - width * (top + 1)),
            *[Column(data.level_name(lv), width, center=True) for lv in range(top + 1)],
        ],
        criterion_rows_tt57(data),
        size=11,
    )
    doc.heading("3. Tổng hợp kết quả theo tiêu chuẩn", 2)
    groups = [("Tiêu chuẩn", 1), ("Số tiêu chí", 1)] + [
        (data.level_name(lv), 2) for lv in range(top + 1)
    ]
    columns = [Column("Tiêu chuẩn", 33), Column("Số tiêu chí", 18, numeric=True)]
    for _lv in range(top + 1):
        columns += [Column("Số lượng", 16, numeric=True), Column("Tỷ lệ", 22, numeric=True)]
    doc.table(columns, standard_rows_tt57(data), groups=groups, size=11)
    doc.heading("4. Mức đạt của nhà trường", 2)
    doc.paragraph(
        f"Trường tự đánh giá đạt {data.level_name(data.school_level)}."
        if data.school_level
        else "Trường tự đánh giá không đạt Mức 1."
    )
    rule = (data.assessment.framework.data.get("rule") or {}).get("basis")
    if rule:
        doc.paragraph(f"Căn cứ quy tắc xếp mức: {rule}", italic=True)
    doc.heading("5. Đề xuất, kiến nghị", 2)
    _recognition_request(doc, data, with_proposals=False)
    doc.labelled("Đối với Sở Giáo dục và Đào tạo:", "")
    doc.paragraphs(prose.text(data, "proposals"))
    doc.labelled("Đối với Ủy ban nhân dân xã:", "")
    doc.paragraphs(prose.text(data, "proposals_commune"))
    doc.labelled("Đề xuất khác:", "")
    doc.paragraphs(data.text("proposals_other", "Không."))
    doc.paragraph(
        "Hiệu trưởng nhà trường chịu trách nhiệm về tính trung thực, chính xác của số liệu và "
        "minh chứng trong báo cáo này."
    )
    doc.signature("Hiệu trưởng", data.principal_name(), date_line=spec.date_line())
    _appendix(doc, data, "PHẦN IV. DANH MỤC MINH CHỨNG")


def _joined(texts) -> str:
    out = "\n".join(t for t in texts if t)
    return out or prose.PLACEHOLDER
