import datetime as dt
from decimal import Decimal

from docx.oxml.ns import qn

from documents import nd30
from documents.tests.helpers import all_text, is_nfc, open_docx, run_fonts


def spec(**extra) -> nd30.DocumentSpec:
    values = dict(
        issuer="Ủy ban nhân dân huyện Phong Thổ",
        doc_type="Báo cáo",
        subject="V/v thực hiện xây dựng trường chuẩn quốc gia 6 tháng đầu năm 2021",
        place="Phong Thổ",
        date=dt.date(2021, 7, 5),
        recipients=["UBND tỉnh (b/c)", "Phòng GD&ĐT"],
        archive="VT, GD",
        signer_authority="TM. Ủy ban nhân dân",
        signer_title="Chủ tịch",
        signer_name="Nguyễn Văn An",
    )
    values.update(extra)
    return nd30.DocumentSpec(**values)


def sample() -> bytes:
    doc = nd30.NDDocument(spec())
    doc.paragraph("Thực hiện Nghị quyết số 129/NQ-HĐND ngày 17/12/2020 của HĐND huyện;")
    doc.heading("I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO")
    doc.heading("1. Công tác quán triệt", level=2)
    doc.table(
        [nd30.Column("TT", 12, center=True), nd30.Column("Tên", 100), nd30.Column("Số", 50)],
        [[1, "Trường PTDTBT TH Huổi Luông", 14765], nd30.Row(["", "Tổng", 14765], bold=True)],
    )
    doc.paragraph("Trên đây là báo cáo")
    return doc.to_bytes()


def test_header_table_has_two_cells_with_issuer_and_motto():
    d = open_docx(sample())
    header = d.tables[0]
    assert len(header.rows) == 1 and len(header.columns) == 2
    left, right = header.rows[0].cells
    assert "ỦY BAN NHÂN DÂN HUYỆN PHONG THỔ" in left.text
    assert "Số:" in left.text and "/BC-UBND" in left.text
    assert right.paragraphs[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert right.paragraphs[1].text == "Độc lập - Tự do - Hạnh phúc"
    date = [p for p in right.paragraphs if p.text.startswith("Phong Thổ")][0]
    assert date.text == "Phong Thổ, ngày 05 tháng 7 năm 2021"
    assert all(r.font.italic for r in date.runs)
    issuer = [p for p in left.paragraphs if "PHONG THỔ" in p.text][0]
    assert all(r.font.bold for r in issuer.runs)
    # The header table has no borders.
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert all(el.get(qn("w:val")) == "nil" for el in borders)


def test_rules_under_issuer_and_motto_are_paragraph_borders():
    d = open_docx(sample())
    for cell in d.tables[0].rows[0].cells:
        assert any(
            p._p.pPr is not None and p._p.pPr.find(qn("w:pBdr")) is not None
            for p in cell.paragraphs
        )


def test_document_type_subject_ending_and_recipients():
    d = open_docx(sample())
    texts = [p.text for p in d.paragraphs]
    title = d.paragraphs[texts.index("BÁO CÁO")]
    assert title.alignment == 1 and title.runs[0].font.bold  # centred, bold
    assert any(t.startswith("V/v thực hiện") for t in texts)
    assert "Trên đây là báo cáo./." in texts
    closing = d.tables[-1].rows[0].cells
    left = closing[0].paragraphs
    assert left[0].text == "Nơi nhận:"
    assert left[0].runs[0].font.bold and left[0].runs[0].font.italic
    assert left[0].runs[0].font.size.pt == 12
    assert all(r.font.size.pt == 11 for p in left[1:] for r in p.runs)
    assert left[-1].text == "- Lưu: VT, GD."
    right = closing[1].text
    assert "TM. ỦY BAN NHÂN DÂN" in right and "CHỦ TỊCH" in right and "Nguyễn Văn An" in right


def test_margins_page_size_and_orientation():
    d = open_docx(sample())
    section = d.sections[0]
    assert round(section.top_margin.mm) == 20
    assert round(section.bottom_margin.mm) == 20
    assert round(section.left_margin.mm) == 30
    assert round(section.right_margin.mm) == 15
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297


def test_times_new_roman_everywhere_and_body_size():
    d = open_docx(sample())
    fonts = run_fonts(d)
    assert fonts and all(f[0] == "Times New Roman" and f[1] == "Times New Roman" for f in fonts)
    body = d.styles[nd30.BODY_STYLE]
    assert body.font.size.pt == 14
    assert body.paragraph_format.alignment == 3  # justify
    assert round(body.paragraph_format.first_line_indent.cm, 2) == 1.27
    defaults = d.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    rfonts = defaults.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert rfonts.get(qn("w:ascii")) == "Times New Roman"
    assert rfonts.get(qn("w:asciiTheme")) is None
    assert d.styles["Heading 1"].font.size.pt == 14


def test_page_number_field_from_page_two():
    d = open_docx(sample())
    section = d.sections[0]
    assert section.different_first_page_header_footer
    header_xml = section.header._element.xml
    assert "PAGE" in header_xml and "fldChar" in header_xml
    assert section.header.paragraphs[0].alignment == 1
    assert "PAGE" not in section.first_page_header._element.xml


def test_numbers_in_vietnamese_format_and_right_aligned():
    d = open_docx(sample())
    table = d.tables[1]
    assert table.rows[1].cells[2].text == "14.765"
    assert table.rows[1].cells[2].paragraphs[0].alignment == 2  # right
    assert table.rows[0].cells[0].paragraphs[0].runs[0].font.bold


def test_text_stays_nfc():
    decomposed = "Tru\u031bo\u031b\u0300ng Huo\u0302\u0309i Luo\u0302ng"
    doc = nd30.NDDocument(spec(subject=decomposed))
    doc.paragraph(decomposed)
    text = all_text(open_docx(doc.to_bytes()))
    assert is_nfc(text)
    assert "Trường Huổi Luông" in text


def test_display_rounds_half_up_and_refuses_float():
    assert nd30.display(Decimal("1234.5")) == "1.234,5"
    assert nd30.display(Decimal("9765.000")) == "9.765"
    assert nd30.display(14765) == "14.765"
    try:
        nd30.display(1.5)
    except TypeError:
        pass
    else:
        raise AssertionError("float accepted")


def test_landscape_section_keeps_page_numbers():
    doc = nd30.NDDocument(spec())
    doc.paragraph("Trang dọc")
    doc.landscape()
    doc.paragraph("Bảng rộng")
    d = open_docx(doc.to_bytes())
    second = d.sections[1]
    assert second.page_width > second.page_height
    assert not second.different_first_page_header_footer
    assert round(second.left_margin.mm) == 30
