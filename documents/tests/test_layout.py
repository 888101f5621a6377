"""Layout rules of the NĐ30 renderer, read back from the WordprocessingML: rows that never split,
header rows repeated, columns as wide as their longest word or figure, headings and the
signature kept with what precedes or follows, unit names broken between words, codes that
never break, rows with room to sign, blanks to fill in by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from docx.oxml.ns import qn

from documents import nd30, xlsx
from documents.tests.helpers import open_docx
from documents.tests.test_nd30 import spec


def build(**spec_extra) -> nd30.NDDocument:
    return nd30.NDDocument(spec(date=dt.date(2021, 7, 5), **spec_extra))


def content_table(document, index: int = 1):
    """The `index`-th table of the body (0 is the header block)."""
    return document.tables[index]


def twips_mm(value: str) -> float:
    return int(value) * 25.4 / 1440


def test_rows_never_split_and_header_rows_repeat():
    doc = build()
    doc.table(
        [nd30.Column("TT", 12, center=True), nd30.Column("Tên", 150)],
        [nd30.Row(["Tiêu chuẩn 1", ""], merge=True), [1, "Trường TH Huổi Luông"]],
        groups=[("TT", 1), ("Tên", 1)],
    )
    table = content_table(open_docx(doc.to_bytes()))
    rows = table._tbl.findall(qn("w:tr"))
    assert all(tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for tr in rows)
    headers = [tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None for tr in rows]
    assert headers == [True, True, False, False]
    # The group title keeps with the first row of its group.
    title = rows[2].find(f".//{qn('w:p')}")
    assert title.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None


def test_columns_are_as_wide_as_their_longest_word_or_figure():
    doc = build()
    columns = [
        nd30.Column("Cấp học", 60),
        nd30.Column("Tổng số trường", 9, numeric=True),  # too narrow for "trường"
        nd30.Column("Tỷ lệ", 9, numeric=True),  # too narrow for "35,29%"
        nd30.Column("Ghi chú", 60),
    ]
    doc.table(columns, [["Tiểu học", 17, "35,29%", ""]], size=11)
    grid = content_table(open_docx(doc.to_bytes()))._tbl.tblGrid.findall(qn("w:gridCol"))
    widths = [twips_mm(col.get(qn("w:w"))) for col in grid]
    assert widths[1] >= nd30.text_width_mm("trường", 11, bold=True) + nd30.CELL_PADDING_MM - 0.1
    assert widths[2] >= nd30.text_width_mm("35,29%", 11) + nd30.CELL_PADDING_MM - 0.1
    # The room came from the wide columns: the table keeps its width.
    assert abs(sum(widths) - 138) < 0.5


def test_fit_widths_takes_room_from_slack_in_proportion():
    assert nd30.fit_widths([10, 50, 40], [15, 10, 10]) == [15, 50 - 5 * 40 / 70, 40 - 5 * 30 / 70]
    assert nd30.fit_widths([20, 20], [5, 5]) == [20, 20]


def test_headings_and_titles_keep_with_the_next_paragraph():
    doc = build()
    doc.heading("I. TỔNG HỢP CHUNG")
    doc.centered("PHẦN I. CƠ SỞ DỮ LIỆU", bold=True)
    document = open_docx(doc.to_bytes())
    kept = [
        p for p in document.paragraphs if p.text in ("I. TỔNG HỢP CHUNG", "PHẦN I. CƠ SỞ DỮ LIỆU")
    ]
    assert len(kept) == 2
    assert all(p._p.pPr.find(qn("w:keepNext")) is not None for p in kept)


def test_the_signature_is_kept_with_the_last_paragraph():
    doc = build()
    doc.paragraph("Điều 3. Quyết định có hiệu lực kể từ ngày ký.")
    document = open_docx(doc.to_bytes())
    last = [p for p in document.paragraphs if p.text.startswith("Điều 3")][0]
    assert last.text.endswith("./.")
    assert last.paragraph_format.keep_with_next
    closing = document.tables[-1]
    assert closing._tbl.find(f"{qn('w:tr')}/{qn('w:trPr')}/{qn('w:cantSplit')}") is not None


def test_unit_names_in_the_header_break_between_words_evenly():
    assert nd30.balanced_lines("UBND HUYỆN NINH GIANG", 40, 13) == "UBND HUYỆN\nNINH GIANG"
    assert nd30.balanced_lines("UBND XÃ PHONG THỔ", 62, 13) == "UBND XÃ PHONG THỔ"
    # A proper name is never cut when another break is possible.
    lines = nd30.balanced_lines("TRƯỜNG PTDTBT TIỂU HỌC HUỔI LUÔNG", 62, 13, bold=True)
    assert lines.split("\n")[-1] == "HUỔI LUÔNG"
    # In the document the text stays as typed; the centred paragraph is narrowed so that
    # a word processor filling lines greedily breaks where header_lines says.
    document = open_docx(build(managing_body="UBND huyện Ninh Giang").to_bytes())
    left = document.tables[0].rows[0].cells[0]
    issuer = left.paragraphs[0]
    assert issuer.text == "UBND HUYỆN NINH GIANG"
    indent = issuer.paragraph_format.left_indent
    assert indent is not None and indent == issuer.paragraph_format.right_indent
    room = 62 - nd30.CELL_PADDING_MM - 2 * indent.mm
    assert nd30.text_width_mm("NINH GIANG", 13) < room
    assert nd30.text_width_mm("UBND HUYỆN NINH", 13) > room


def test_a_header_name_is_never_cut_inside_a_compound_word():
    # Greedy filling at any one width would give "TRƯỜNG PTDTBT TIỂU / HỌC HUỔI LUÔNG": the
    # school type is joined by non-breaking spaces so the lines break around it, before the
    # proper name ("TRƯỜNG PTDTBT TIỂU HỌC" is wider than the 62 mm column).
    lines, target = nd30.header_lines("TRƯỜNG PTDTBT TIỂU HỌC HUỔI LUÔNG", 62, 13, bold=True)
    assert lines == ["TRƯỜNG", f"PTDTBT{nd30.NBSP}TIỂU{nd30.NBSP}HỌC", "HUỔI LUÔNG"]
    assert nd30.text_width_mm(lines[1], 13, bold=True) < target
    assert nd30.text_width_mm("TRƯỜNG PTDTBT TIỂU HỌC", 13, bold=True) > target
    for name in (
        "TRƯỜNG PHỔ THÔNG DÂN TỘC BÁN TRÚ TIỂU HỌC HUỔI LUÔNG",
        "TRƯỜNG TRUNG HỌC CƠ SỞ NGUYỄN THỊ MINH KHAI",
        "TRƯỜNG PHỔ THÔNG DÂN TỘC NỘI TRÚ HUYỆN PHONG THỔ",
        "TRƯỜNG MẦM NON HOA BAN XÃ HUỔI LUÔNG",
    ):
        lines, _ = nd30.header_lines(name, 62, 13, bold=True)
        for before, after in zip(lines, lines[1:], strict=False):
            pair = f"{before.split()[-1]} {after.split()[0]}".replace(nd30.NBSP, " ")
            assert not any(pair in c or c in pair for c in nd30._COMPOUNDS), (name, lines)
    document = open_docx(build(issuer="Trường PTDTBT Tiểu học Huổi Luông").to_bytes())
    issuer = document.tables[0].rows[0].cells[0].paragraphs[0]
    assert issuer.text == f"TRƯỜNG PTDTBT{nd30.NBSP}TIỂU{nd30.NBSP}HỌC HUỔI LUÔNG"


def _breaks(name: str) -> list[str]:
    lines, _target = nd30.header_lines(name, 62, 13, bold=True)
    return [line.replace(nd30.NBSP, " ") for line in lines]


@pytest.mark.parametrize(
    ("name", "lines"),
    [
        # The type is one group; the break falls before the proper name.
        ("TRƯỜNG TH VÀ THCS NẬM XE", ["TRƯỜNG TH VÀ THCS", "NẬM XE"]),
        ("TRƯỜNG THCS VÀ THPT PHONG THỔ", ["TRƯỜNG THCS VÀ THPT", "PHONG THỔ"]),
        ("TRƯỜNG MẦM NON HOA BAN", ["TRƯỜNG MẦM NON", "HOA BAN"]),
        ("TRƯỜNG PTDTNT THCS HUYỆN PHONG THỔ", ["TRƯỜNG PTDTNT THCS", "HUYỆN PHONG THỔ"]),
        ("TRƯỜNG PTDTBT TIỂU HỌC LẢ NHÌ THÀNG", ["TRƯỜNG", "PTDTBT TIỂU HỌC", "LẢ NHÌ THÀNG"]),
        # A type too wide for one line breaks between its units, never inside one.
        (
            "TRƯỜNG PTDTBT TRUNG HỌC CƠ SỞ DÀO SAN",
            ["TRƯỜNG PTDTBT", "TRUNG HỌC CƠ SỞ", "DÀO SAN"],
        ),
        (
            "TRƯỜNG TIỂU HỌC VÀ TRUNG HỌC CƠ SỞ NẬM XE",
            ["TRƯỜNG TIỂU HỌC", "VÀ TRUNG HỌC CƠ SỞ", "NẬM XE"],
        ),
        # Names of other units are broken as before.
        ("UBND XÃ PHONG THỔ", ["UBND XÃ PHONG THỔ"]),
        (
            "SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH LAI CHÂU",
            ["SỞ GIÁO DỤC", "VÀ ĐÀO TẠO", "TỈNH LAI CHÂU"],
        ),
    ],
)
def test_a_school_name_breaks_between_its_type_and_its_proper_name(name, lines):
    assert _breaks(name) == lines


def test_the_school_type_is_found_after_the_word_truong():
    words = "TRƯỜNG PTDTBT TIỂU HỌC VÀ THCS HUỔI LUÔNG".split()
    assert nd30._school_type(words) == [(1, 2), (2, 4), (4, 6)]
    assert nd30._school_type("UBND XÃ PHONG THỔ".split()) == []
    # The last word always belongs to the proper name: "TRƯỜNG TIỂU HỌC" names no type.
    assert nd30._school_type("TRƯỜNG TIỂU HỌC".split()) == []


def test_codes_and_numbers_never_break_at_their_hyphens():
    doc = build()
    doc.paragraph("Minh chứng [H1-1.2-02], năm học 2025-2026; Kinh tế - xã hội.")
    document = open_docx(doc.to_bytes())
    paragraph = [p for p in document.paragraphs if p.text.startswith("Minh chứng")][0]
    assert paragraph.text.startswith("Minh chứng [H1-1.2-02], năm học 2025-2026; Kinh tế - xã hội")
    assert len(paragraph._p.findall(f".//{qn('w:noBreakHyphen')}")) == 3  # " - " stays


def test_a_list_to_sign_has_rows_with_room_for_a_signature():
    doc = build()
    doc.table(
        [nd30.Column("Họ và tên", 80), nd30.Column("Chữ ký", 40, signature=True)],
        [["Lò Văn Thắng", ""], ["Nguyễn Thị Hoa", ""]],
    )
    rows = content_table(open_docx(doc.to_bytes()))._tbl.findall(qn("w:tr"))
    heights = [tr.find(f"{qn('w:trPr')}/{qn('w:trHeight')}") for tr in rows]
    assert heights[0] is None  # the header row
    for height in heights[1:]:
        assert twips_mm(height.get(qn("w:val"))) >= nd30.SIGNATURE_ROW_MM - 0.1
        assert height.get(qn("w:hRule")) == "atLeast"


def test_a_missing_section_prints_dotted_lines_to_fill_in():
    doc = build()
    doc.heading("II. KẾT QUẢ")
    doc.fill_in(2)
    doc.finish("Trên đây là báo cáo")
    document = open_docx(doc.to_bytes())
    dotted = [
        p
        for p in document.paragraphs
        if p._p.find(f".//{qn('w:tab')}[@{qn('w:leader')}]") is not None
    ]
    assert len(dotted) == 2
    assert all(p.text.strip() == "" for p in dotted)


def test_scale_columns_keeps_proportions():
    columns = nd30.scale_columns([nd30.Column("A", 10), nd30.Column("B", 30)], 80)
    assert [c.width_mm for c in columns] == [20, 60]


def test_excel_columns_fit_their_longest_word_and_wide_sheets_print_landscape():
    wb = xlsx.new_workbook()
    columns = [xlsx.XColumn("TT", 4, "int"), xlsx.XColumn("Tổng số trường", 5, "int")]
    columns += [xlsx.XColumn(f"Tỷ lệ {i}", 5, "percent") for i in range(12)]
    ws = xlsx.add_table_sheet(
        wb,
        title="Thống kê",
        heading="Thống kê",
        columns=columns,
        rows=[[1, 14765, *[xlsx.percent_value(6, 17)] * 12]],
    )
    assert ws.column_dimensions["B"].width >= len("trường") + 2
    assert ws.column_dimensions["C"].width >= len("35.29%") + 2
    assert ws.page_setup.orientation == "landscape"
