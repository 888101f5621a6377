"""The Nghị định 30/2020 layout checked on what the builders really produce (not on a sample):
the statistics, the six-month report and the plan document all go through one assertion,
`assert_nd30_layout`, so the three cannot drift apart."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from docx.oxml.ns import qn

from documents import registry
from documents.common import DocumentRequest, SystemUser
from documents.tests.helpers import all_text, is_nfc, open_docx, run_fonts

FONT = "Times New Roman"
MARGINS_MM = {"top_margin": 20, "bottom_margin": 20, "left_margin": 30, "right_margin": 15}
# NĐ30 place-and-date line: day always two digits, month two digits only for 01 and 02.
DATE_LINE = re.compile(r"^(?P<place>.+), ngày \d{2} tháng (0[12]|[3-9]|1[0-2]) năm \d{4}$")
MANAGING = "Ủy ban nhân dân tỉnh Lai Châu"


@dataclass(frozen=True)
class Expected:
    issuer: str  # as typed: "Ủy ban nhân dân huyện Phong Thổ"
    doc_type: str  # "BÁO CÁO"
    symbol: str  # "BC-UBND"
    date_line: str  # "Phong Thổ, ngày 05 tháng 7 năm 2021"
    managing_body: str = ""
    number: str = ""


def _fonts_of(rpr) -> dict[str, str]:
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    if fonts is None:
        return {}
    return {k: fonts.get(qn(f"w:{k}")) for k in ("ascii", "hAnsi", "cs", "eastAsia")}


def assert_nd30_layout(data: bytes, expected: Expected) -> None:
    """Everything of NĐ30 Phụ lục I that a generated .docx must carry."""
    d = open_docx(data)
    text = all_text(d)
    assert is_nfc(text)

    # A4, margins top/bottom 20 mm, left 30 mm, right 15 mm, in every section (Word stores
    # twips: 20 mm is 1134 twips = 20,0025 mm).
    for section in d.sections:
        size = sorted((section.page_width.mm, section.page_height.mm))
        assert abs(size[0] - 210) < 0.1 and abs(size[1] - 297) < 0.1  # A4 (or A4 landscape)
        for name, mm in MARGINS_MM.items():
            assert abs(getattr(section, name).mm - mm) < 0.01, (name, getattr(section, name).mm)

    # Times New Roman: the document defaults, the styles in use and every run with text.
    defaults = d.styles.element.find(qn("w:docDefaults"))
    assert _fonts_of(defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}"))["ascii"] == FONT
    for name in ("Normal", "ND30 Body", "Heading 1", "Heading 2", "Header"):
        fonts = _fonts_of(d.styles[name].element.rPr)
        assert set(fonts.values()) == {FONT}, (name, fonts)
    runs = run_fonts(d)
    assert runs and all(ascii_ == FONT and east == FONT for ascii_, east, _ in runs), runs

    # The header: a borderless table of two cells.
    header = d.tables[0]
    assert len(header.rows) == 1 and len(header.columns) == 2
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert all(el.get(qn("w:val")) == "nil" for el in borders)
    left, right = (c.paragraphs for c in header.rows[0].cells)
    lines = [p for p in left if p.text.strip()]
    if expected.managing_body:
        assert lines[0].text == expected.managing_body.upper()
        lines = lines[1:]
    issuer = lines[0]
    assert issuer.text == expected.issuer.upper()
    assert all(r.font.bold for r in issuer.runs if r.text)
    number = lines[1].text
    assert number.startswith("Số: ") and number.endswith(f"/{expected.symbol}")
    if expected.number:
        assert number == f"Số: {expected.number}/{expected.symbol}"
    national = [p for p in right if p.text.strip()]
    assert national[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert all(r.font.bold for r in national[0].runs if r.text)
    assert national[1].text == "Độc lập - Tự do - Hạnh phúc"
    date = national[2]
    assert date.text == expected.date_line
    assert DATE_LINE.match(date.text), date.text
    assert all(r.font.italic for r in date.runs if r.text)

    # Document type in caps, bold, centred, right after the header.
    title = next(p for p in d.paragraphs if p.text.strip())
    assert title.text == expected.doc_type
    assert title.alignment == 1 and all(r.font.bold for r in title.runs)

    # Page numbers: a PAGE field in the header, none on page 1 (different first page).
    first = d.sections[0]
    assert first.different_first_page_header_footer
    assert not first.first_page_header.is_linked_to_previous
    assert first.first_page_header.paragraphs[0].text == ""
    page_header = first.header._element
    assert page_header.findall(f".//{qn('w:fldChar')}")
    instr = [el.text for el in page_header.iter(qn("w:instrText"))]
    assert [t.strip() for t in instr] == ["PAGE"]

    # Content ends with "./." exactly once; then "Nơi nhận:" and the signature block.
    assert text.count("./.") == 1
    body = [p.text for p in d.paragraphs if p.text.strip()]
    assert body[-1].endswith("./.")
    closing = d.tables[-1].rows[0].cells
    assert closing[0].paragraphs[0].text == "Nơi nhận:"
    assert closing[0].paragraphs[-1].text.startswith("- Lưu: VT")
    assert closing[1].paragraphs[0].text.strip()


# ---------------------------------------------------------------------------------------------
# The three programme documents


def test_statistics_document_has_the_nd30_layout(commune, nine_schools):
    req = DocumentRequest(
        user=SystemUser(),
        kind="statistics",
        unit=commune,
        on=dt.date(2024, 6, 30),
        header={"date": "2024-07-05", "managing_body": MANAGING, "number": "17"},
    )
    assert_nd30_layout(
        registry.build_docx(req),
        Expected(
            issuer="Ủy ban nhân dân xã Phong Thổ",
            managing_body=MANAGING,
            doc_type="BÁO CÁO",
            symbol="BC-UBND",
            number="17",
            date_line="Phong Thổ, ngày 05 tháng 7 năm 2024",
        ),
    )


def test_six_month_report_has_the_nd30_layout(province, seed000):
    req = DocumentRequest(
        user=SystemUser(),
        kind="report",
        unit=province,
        plan_id=seed000.pk,
        year=2021,
        period="H1",
        on=dt.date(2021, 7, 5),
        header={"date": "2021-02-03"},
    )
    assert_nd30_layout(
        registry.build_docx(req),
        Expected(
            issuer="Ủy ban nhân dân tỉnh Lai Châu",
            doc_type="BÁO CÁO",
            symbol="BC-UBND",
            date_line="Lai Châu, ngày 03 tháng 02 năm 2021",
        ),
    )


def test_plan_document_has_the_nd30_layout(seed000):
    req = DocumentRequest(user=SystemUser(), kind="plan", plan_id=seed000.pk)
    assert_nd30_layout(
        registry.build_docx(req),
        Expected(
            issuer="Ủy ban nhân dân xã Phong Thổ",
            doc_type="KẾ HOẠCH",
            symbol="KH-UBND",
            number="23",
            date_line="Phong Thổ, ngày 17 tháng 01 năm 2021",
        ),
    )
