"""The self-assessment documents (issue: council decision, plan, criterion sheets, report,
catalogue, TT57 Biểu 1 and Biểu 2), reopened and checked: structure, the summary equal to the
engine, evidence codes both ways, NĐ30 layout, NFC text, Excel versions, scope."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata

import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from openpyxl import load_workbook

from accounts.models import Role
from assessments import selectors as asm_selectors
from assessments import services as asm
from assessments.documents import checks, citations
from assessments.documents import data as sa_data
from assessments.documents.header import managing_body
from documents import registry
from documents.common import DocumentError, DocumentRequest
from documents.tests.helpers import all_text, is_nfc, open_docx, run_fonts, table_values
from evidence.demo import DemoOptions, demo_assessment
from frameworks.services import framework_load_dir
from schools.models import SchoolLocation
from units.models import AdminUnit


@pytest.fixture
def principal(make_user, school):
    return make_user(Role.PRINCIPAL, school=school, username="ht_huoiluong")


@pytest.fixture
def a2018(db, principal, school):
    framework_load_dir()
    return demo_assessment(
        user=principal, school=school, school_year="2024-2025", on_date=dt.date(2024, 10, 1)
    )


@pytest.fixture
def a57(db, principal, school):
    framework_load_dir()
    return demo_assessment(
        user=principal,
        school=school,
        school_year="2026-2027",
        on_date=dt.date(2026, 9, 15),
        options=DemoOptions(gaps=(("1.1", 2), ("2.3", 2), ("3.4", 2), ("4.3", 2))),
    )


def req(user, assessment, kind, **extra):
    header = extra.pop("header", {})
    return DocumentRequest(
        user=user, kind=kind, assessment_id=assessment.pk, header=header, **extra
    )


def docx_of(user, assessment, kind, **extra):
    return open_docx(registry.build_docx(req(user, assessment, kind, **extra)))


def body_text(document) -> str:
    """Paragraphs and tables in document order (the appendix comes last)."""
    out = []

    def text(el) -> str:
        # A hyphen inside a code is Word's non-breaking hyphen (an element, not a character).
        return "".join(
            "-" if t.tag == qn("w:noBreakHyphen") else t.text or ""
            for t in el.iter(qn("w:t"), qn("w:noBreakHyphen"))
        )

    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            out.append(text(block))
        elif block.tag == qn("w:tbl"):
            for tc in block.iter(qn("w:tc")):
                out.append(text(tc))
    return "\n".join(out)


def assert_in_order(text: str, words: list[str]) -> None:
    """Each of `words` appears after the previous one (a title may also appear earlier, in
    the table of contents)."""
    at = 0
    for w in words:
        found = text.find(w, at)
        assert found >= 0, f"{w!r} missing after position {at}"
        at = found + len(w)


def heading_texts(document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def find_table(document, first_header: str):
    for table in document.tables:
        if table.rows and table.rows[0].cells[0].text == first_header:
            return table
    raise AssertionError(f"no table headed {first_header!r}")


# ---------------------------------------------------------------------------------------------
# The 2018 report (MOET structure)


def test_the_2018_report_follows_the_moet_structure(principal, a2018):
    d = docx_of(principal, a2018, "sa-report")
    text = body_text(d)
    order = [
        "BÁO CÁO TỰ ĐÁNH GIÁ",
        "DANH SÁCH VÀ CHỮ KÝ THÀNH VIÊN HỘI ĐỒNG TỰ ĐÁNH GIÁ",
        "MỤC LỤC",
        "DANH MỤC CÁC CHỮ VIẾT TẮT",
        "TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ",
        "PHẦN I. CƠ SỞ DỮ LIỆU",
        "PHẦN II. TỰ ĐÁNH GIÁ",
        "A. ĐẶT VẤN ĐỀ",
        "B. TỰ ĐÁNH GIÁ",
        "Tiêu chuẩn 1: Tổ chức và quản lý nhà trường",
        "Mở đầu:",
        "Tiêu chí 1.1:",
        "1. Mô tả hiện trạng",
        "2. Điểm mạnh",
        "3. Điểm yếu",
        "4. Kế hoạch cải tiến chất lượng",
        "5. Tự đánh giá:",
        "Kết luận về Tiêu chuẩn 1:",
        "II. ĐÁNH GIÁ THEO CÁC TIÊU CHÍ MỨC 4",
        "PHẦN III. KẾT LUẬN CHUNG",
        "PHẦN IV. PHỤ LỤC: DANH MỤC MÃ MINH CHỨNG",
    ]
    assert_in_order(text, order)
    # Every criterion of the framework has its section, in order.
    criteria = [h.split(":")[0] for h in heading_texts(d, 3)]
    assert criteria == [f"Tiêu chí {c.code}" for c in sa_data.load(a2018).criteria]
    council = find_table(d, "TT")
    assert [c.text for c in council.rows[0].cells] == [
        "TT",
        "Họ và tên",
        "Chức vụ",
        "Nhiệm vụ",
        "Chữ ký",
    ]
    assert len(council.rows) == 1 + 7


def test_the_table_of_contents_is_a_real_word_field(principal, a2018):
    d = docx_of(principal, a2018, "sa-report")
    instructions = [i.text for i in d.element.body.iter(qn("w:instrText"))]
    assert any(i.strip().startswith('TOC \\o "1-3"') for i in instructions)
    update = d.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"


def test_the_summary_table_equals_the_engine(principal, a2018):
    live = asm_selectors.live_levels(a2018)
    d = docx_of(principal, a2018, "sa-report")
    table = next(t for t in d.tables if t.rows[0].cells[0].text == "Tiêu chuẩn, tiêu chí")
    header = [c.text for c in table.rows[1].cells]
    assert header == ["Tiêu chuẩn, tiêu chí", "Không đạt", "Mức 1", "Mức 2", "Mức 3"]
    levels = {}
    for row in table_values(table)[2:]:
        if row[0].startswith("Tiêu chí "):
            marks = row[2:]
            # Every level reached carries an x, none above it.
            reached = len([m for m in marks if m == "x"])
            assert marks == ["x"] * reached + [""] * (len(marks) - reached)
            assert (row[1] == "x") == (reached == 0)
            levels[row[0].removeprefix("Tiêu chí ")] = reached
    engine = {code: c.level for code, c in live.criteria.items()}
    assert levels == engine
    assert live.school_level == 2  # the demo leaves three Mức 3 indicators unmet
    text = all_text(d)
    assert "Kết luận: Trường đạt Mức 2." in text
    # The current state says what the council decided, indicator by indicator.
    assert "Nhà trường đã bảo đảm yêu cầu: phù hợp mục tiêu giáo dục" in text
    assert "Nhà trường chưa đáp ứng đầy đủ yêu cầu: có kế hoạch dài hạn, trung hạn" in text


def test_every_code_cited_in_the_text_is_in_the_catalogue_and_back(principal, a2018):
    d = docx_of(principal, a2018, "sa-report")
    text = body_text(d)
    body, _appendix = text.rsplit("PHẦN IV. PHỤ LỤC: DANH MỤC MÃ MINH CHỨNG", 1)
    cited = set(re.findall(r"\[(H\d+-\d+\.\d+-\d{2})\]", body))
    catalogue_table = d.tables[-1]
    assert catalogue_table.rows[0].cells[1].text == "Mã minh chứng"
    listed = {
        row.cells[1].text.strip("[]")
        for row in catalogue_table.rows[1:]
        if row.cells[1].text.startswith("[")
    }
    assert cited and cited == listed
    # The catalogue holds the whole register of the demo (every item is cited).
    assert listed == set(a2018.evidence_items.values_list("code", flat=True))


def test_a_code_typed_wrong_and_an_item_never_cited_are_reported(principal, a2018):
    sheet = a2018.sheets.select_related("criterion").get(criterion__code="1.2")
    state = dict(sheet.current_state)
    state["1"] += "\nThêm minh chứng [H1-1.2-99]."
    asm.sheet_save(
        user=principal, sheet=sheet, data={"current_state": state}, version=sheet.version
    )
    item = a2018.evidence_items.get(code="H1-1.3-01")
    item.citations.all().delete()
    sheet13 = a2018.sheets.get(criterion__code="1.3")
    state13 = {k: v.replace("[H1-1.3-01]", "") for k, v in sheet13.current_state.items()}
    asm.sheet_save(
        user=principal, sheet=sheet13, data={"current_state": state13}, version=sheet13.version
    )
    data = sa_data.load(a2018)
    assert data.cited_codes.unknown == [("1.2", "H1-1.2-99")]
    assert data.cited_codes.never_cited == ["H1-1.3-01"]
    messages = [f.message for f in checks.findings(data)]
    assert "Mã [H1-1.2-99] viết ở tiêu chí 1.2 không có trong danh mục minh chứng." in messages
    d = docx_of(principal, a2018, "sa-report")
    listed = {r.cells[1].text for r in d.tables[-1].rows[1:]}
    assert "[H1-1.3-01]" not in listed


def test_linked_evidence_missing_from_the_text_is_printed_with_the_criterion(principal, a2018):
    sheet = a2018.sheets.get(criterion__code="2.1")
    state = {k: re.sub(r" \[H\d-2\.1-\d\d\]", "", v) for k, v in sheet.current_state.items()}
    asm.sheet_save(
        user=principal, sheet=sheet, data={"current_state": state}, version=sheet.version
    )
    d = docx_of(principal, a2018, "sa-report")
    text = body_text(d)
    section = text[text.rindex("Tiêu chí 2.1:") : text.rindex("Tiêu chí 2.2:")]
    assert "Minh chứng kèm theo: [H2-2.1-01]; [H2-2.1-02]; [H2-2.1-03]." in section


def test_phan_i_shows_five_school_years_with_computed_totals(principal, a2018):
    d = docx_of(principal, a2018, "sa-report")
    rooms = next(
        t for t in d.tables if len(t.rows) > 1 and t.rows[1].cells[0].text == "Tổng số phòng học"
    )
    assert [c.text for c in rooms.rows[0].cells] == [
        "Nội dung",
        "2020-2021",
        "2021-2022",
        "2022-2023",
        "2023-2024",
        "2024-2025",
    ]
    values = table_values(rooms)
    for col in range(1, 6):
        parts = [int(values[r][col] or 0) for r in (2, 3, 4)]
        assert int(values[1][col]) == sum(parts)


def test_a_missing_school_year_is_said_not_invented(principal, a2018, school):
    school.year_data.filter(school_year="2021-2022").delete()
    d = docx_of(principal, a2018, "sa-report")
    assert "Chưa nhập số liệu năm học 2021-2022" in all_text(d)


# ---------------------------------------------------------------------------------------------
# NĐ30 layout, header and text


def test_nd30_layout_of_every_document(principal, a2018, a57):
    kinds = [("sa-decision", a2018), ("sa-plan", a2018), ("sa-sheets", a2018)]
    kinds += [("sa-report", a2018), ("sa-catalogue", a2018), ("sa-improvement", a57)]
    for kind, assessment in kinds:
        d = docx_of(principal, assessment, kind, header={"date": "2025-07-05", "number": "12"})
        first = d.sections[0]
        portrait = first.orientation == WD_ORIENT.PORTRAIT
        assert round(first.page_width.mm) == (210 if portrait else 297), kind
        margins = [first.top_margin, first.bottom_margin, first.left_margin, first.right_margin]
        assert [round(m.mm) for m in margins] == [20, 20, 30, 15], kind
        assert first.different_first_page_header_footer, kind
        page_field = [i.text for i in first.header._element.iter(qn("w:instrText"))]
        assert page_field == [" PAGE "], kind
        fonts = {(ascii_, east) for ascii_, east, _size in run_fonts(d)}
        assert fonts == {("Times New Roman", "Times New Roman")}, kind
        text = all_text(d)
        assert is_nfc(text), kind
        if kind != "sa-report":  # the report opens with its cover
            head = table_values(d.tables[0])[0]
            assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in head[1], kind
            assert "Độc lập - Tự do - Hạnh phúc" in head[1], kind
            assert "Phong Thổ, ngày 05 tháng 7 năm 2025" in head[1], kind
            italic = [
                r
                for p in d.tables[0].rows[0].cells[1].paragraphs
                for r in p.runs
                if "ngày" in r.text
            ]
            assert italic and all(r.italic for r in italic), kind


def test_the_school_header_names_the_commune_after_the_reform(principal, a2018):
    d = docx_of(principal, a2018, "sa-decision", header={"date": "2025-09-05"})
    left = d.tables[0].rows[0].cells[0].text
    assert left.startswith("UBND XÃ PHONG THỔ\nTRƯỜNG PTDTBT TH HUỔI LUÔNG")
    assert "Số: " in left and "/QĐ-" in left


def test_before_the_reform_the_managing_body_is_the_district_office(school, province):
    district = AdminUnit.objects.create(
        uid="HD110",
        code="110",
        name="Huyện Phong Thổ",
        division_type="huyện",
        parent=province,
        valid_to=dt.date(2025, 7, 1),
    )
    SchoolLocation.objects.create(
        school=school, unit=district, valid_from=dt.date(2000, 1, 1), valid_to=dt.date(2025, 6, 30)
    )
    assert managing_body(school, dt.date(2024, 10, 5)) == "Phòng GD&ĐT huyện Phong Thổ"
    assert managing_body(school, dt.date(2025, 7, 1)) == "UBND xã Phong Thổ"
    school.kind = "THPT"
    assert managing_body(school, dt.date(2025, 9, 1)) == "Sở GD&ĐT Lai Châu"


def test_the_catalogue_appendix_is_landscape(principal, a2018):
    d = docx_of(principal, a2018, "sa-report")
    assert d.sections[0].orientation == WD_ORIENT.PORTRAIT
    assert d.sections[-1].orientation == WD_ORIENT.LANDSCAPE
    catalogue = docx_of(principal, a2018, "sa-catalogue")
    assert catalogue.sections[0].orientation == WD_ORIENT.LANDSCAPE


# ---------------------------------------------------------------------------------------------
# The other documents


def test_the_decision_lists_the_council_by_role(principal, a2018):
    d = docx_of(principal, a2018, "sa-decision")
    text = all_text(d)
    assert (
        "QUYẾT ĐỊNH" in text and "Về việc thành lập Hội đồng tự đánh giá năm học 2024-2025" in text
    )
    assert "Căn cứ Thông tư 17/2018/TT-BGDĐT" in text
    assert "Điều 1." in text and "Điều 2." in text and "Điều 3." in text
    members = find_table(d, "TT")
    roles = [r[3] for r in table_values(members)[1:]]
    assert roles.count("Chủ tịch Hội đồng") == 1 and roles.count("Thư ký Hội đồng") == 1
    assert "Nơi nhận:" in text and "- Như Điều 3;" in text
    assert "thi hành Quyết định này./." in text


def test_the_plan_has_groups_assignments_coding_and_timeline(principal, a2018):
    d = docx_of(principal, a2018, "sa-plan")
    text = all_text(d)
    for words in (
        "I. MỤC ĐÍCH TỰ ĐÁNH GIÁ",
        "IV. HỘI ĐỒNG TỰ ĐÁNH GIÁ",
        "Nhóm công tác Tiêu chuẩn 3",
        "VIII. MÃ HÓA MINH CHỨNG",
        "[H1-1.1-01]",
        "IX. THỜI GIAN BIỂU",
        "Công bố báo cáo trong nội bộ nhà trường",
        "TM. HỘI ĐỒNG TỰ ĐÁNH GIÁ",
    ):
        assert words in text, words
    assignment = find_table(d, "Tiêu chí")
    assert len(assignment.rows) == 1 + 27


def test_criterion_sheets_one_per_page_or_one_criterion(principal, a2018):
    d = docx_of(principal, a2018, "sa-sheets")
    text = body_text(d)
    assert text.count("PHIẾU ĐÁNH GIÁ TIÊU CHÍ") == 27
    breaks = [b for b in d.element.body.iter(qn("w:br")) if b.get(qn("w:type")) == "page"]
    assert len(breaks) == 26
    one = body_text(docx_of(principal, a2018, "sa-sheets", criterion="1.6"))
    assert one.count("PHIẾU ĐÁNH GIÁ TIÊU CHÍ") == 1
    assert "Tiêu chí 1.6:" in one and "Đánh giá tiêu chí: Đạt Mức 2." in one
    # The indicator as the circular names it, never its internal id (issue 17, point 3).
    assert "Để đạt Mức 3 cần đáp ứng: yêu cầu của Mức 3." in one
    assert not re.search(r"\d+\.\d+-M\d", one)
    with pytest.raises(DocumentError, match="không có tiêu chí “9.9”"):
        registry.build_docx(req(principal, a2018, "sa-sheets", criterion="9.9"))


def test_the_2018_framework_has_no_bieu_2(principal, a2018):
    with pytest.raises(DocumentError, match="không quy định mẫu này"):
        registry.build_docx(req(principal, a2018, "sa-improvement"))


# ---------------------------------------------------------------------------------------------
# TT57: Biểu 1 and Biểu 2


def test_bieu_1_has_its_own_structure(principal, a57):
    assert a57.framework.code == "TT57-2026-PT"
    d = docx_of(principal, a57, "sa-report")
    text = body_text(d)
    order = [
        "PHẦN I. TỔNG QUAN",
        "2. Bối cảnh",
        "PHẦN II. TỰ ĐÁNH GIÁ THEO TIÊU CHUẨN, TIÊU CHÍ",
        "Tiêu chí 1.3:",
        "(tiêu chí bắt buộc)",
        "Hiện trạng, kết quả đạt được (kèm mã minh chứng)",
        "Đánh giá chung về Tiêu chuẩn 1",
        "PHẦN III. KẾT LUẬN",
        "3. Tổng hợp kết quả theo tiêu chuẩn",
        "4. Mức đạt của nhà trường",
        "Đối với Ủy ban nhân dân xã:",
        "chịu trách nhiệm về tính trung thực",
        "PHẦN IV. DANH MỤC MINH CHỨNG",
    ]
    assert_in_order(text, order)
    assert "(MC.1.1.01)" in text
    assert text.count("Đề nghị Sở Giáo dục và Đào tạo tổ chức đánh giá ngoài.") == 1
    years = next(
        t for t in d.tables if len(t.rows) > 1 and t.rows[1].cells[0].text == "Tổng số phòng học"
    )
    assert [c.text for c in years.rows[0].cells][1:] == ["2024-2025", "2025-2026", "2026-2027"]


def test_bieu_1_summary_counts_and_percentages_come_from_the_engine(principal, a57):
    live = asm_selectors.live_levels(a57)
    d = docx_of(principal, a57, "sa-report")
    per_criterion = next(t for t in d.tables if t.rows[0].cells[0].text == "Tiêu chuẩn, tiêu chí")
    levels = {}
    for row in table_values(per_criterion)[1:]:
        if row[0].startswith("Tiêu chí "):
            code = row[0].removeprefix("Tiêu chí ").split(" ")[0]
            assert row[1:].count("x") == 1
            levels[code] = row[1:].index("x")
    assert levels == {code: c.level for code, c in live.criteria.items()}
    summary = next(
        t for t in d.tables if t.rows[0].cells[0].text == "Tiêu chuẩn" and len(t.rows) == 7
    )
    rows = table_values(summary)[2:]
    total = rows[-1]
    assert total[0] == "Tổng cộng" and total[1] == "15"
    for col in (2, 4, 6):  # counts per level: the total is the sum of the standards
        assert int(total[col]) == sum(int(r[col]) for r in rows[:-1])
    assert total[3].endswith("%") and total[3] == f"{int(total[2]) * 100 / 15:.2f}%".replace(
        ".", ","
    )
    assert f"Trường tự đánh giá đạt Mức {live.school_level}." in all_text(d)


def test_bieu_2_improvement_plan(principal, a57):
    d = docx_of(principal, a57, "sa-improvement")
    text = all_text(d)
    for words in (
        "I. THÔNG TIN CHUNG",
        "II. CĂN CỨ XÂY DỰNG KẾ HOẠCH",
        "III. MỤC ĐÍCH, YÊU CẦU",
        "IV. CÁC VẤN ĐỀ CẦN ƯU TIÊN CẢI TIẾN",
        "V. KẾ HOẠCH CẢI TIẾN",
        "VI. GIÁM SÁT, ĐÁNH GIÁ VIỆC THỰC HIỆN",
        "VII. TRÁCH NHIỆM THỰC HIỆN",
        "VIII. RÀ SOÁT, ĐIỀU CHỈNH KẾ HOẠCH",
        "Cuối học kỳ I",
        "Cuối năm học",
    ):
        assert words in text, words
    plan = find_table(d, "TT")
    header = [c.text for c in plan.rows[0].cells]
    assert header[-1] == "Nguyên nhân"  # IV priority problems
    v = next(t for t in d.tables if t.rows[0].cells[-1].text == "Mức độ thực hiện")
    assert len(v.rows) == 1 + 15  # one action per criterion in the demo


# ---------------------------------------------------------------------------------------------
# Excel versions


def test_results_and_catalogue_in_excel_match_the_engine(principal, a2018):
    data = registry.build_xlsx(req(principal, a2018, "sa-report"))
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == [
        "Kết quả theo tiêu chí",
        "Tổng hợp theo tiêu chuẩn",
        "Yêu cầu Mức 4",
        "Danh mục minh chứng",
    ]
    live = asm_selectors.live_levels(a2018)
    levels = {}
    for row in wb["Kết quả theo tiêu chí"].iter_rows(min_row=4, values_only=True):
        if row[0] and row[0].startswith("Tiêu chí "):
            levels[row[0].split(":")[0].removeprefix("Tiêu chí ")] = row[1]
    assert levels == {code: c.level for code, c in live.criteria.items()}
    summary = list(wb["Tổng hợp theo tiêu chuẩn"].iter_rows(min_row=3, values_only=True))
    total = next(r for r in summary if r[0] == "Tổng cộng")
    assert total[1] == 27
    for sheet in wb.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str):
                    assert unicodedata.is_normalized("NFC", value)
    catalogue = registry.build_xlsx(req(principal, a2018, "sa-catalogue"))
    codes = [
        r[1]
        for r in load_workbook(io.BytesIO(catalogue)).active.iter_rows(min_row=5, values_only=True)
        if r[1]
    ]
    assert len(codes) == a2018.evidence_items.count() and codes[0] == "[H1-1.1-01]"


def test_a_word_only_document_refuses_excel_clearly(principal, a2018):
    with pytest.raises(DocumentError, match="chỉ có bản Word"):
        registry.build_xlsx(req(principal, a2018, "sa-decision"))


def test_codes_in_text_are_found_in_both_styles():
    from frameworks.codes import style_from_data

    old = style_from_data({"evidence_code": {"format": "[H{box}-{criterion}-{seq:02}]"}})
    new = style_from_data(
        {"evidence_code": {"format": "(MC.{criterion}.{seq:02})", "brackets": "round"}}
    )
    assert citations.codes_in(old, "Kế hoạch [H1-1.1-01]; [h1-1.10-02] và mã lạ XH1-1.1-03") == [
        "H1-1.1-01",
        "H1-1.10-02",
    ]
    assert citations.codes_in(new, "Văn bản (MC.1.3.01, MC.1.3.02) và MC.4.1.10.") == [
        "MC.1.3.01",
        "MC.1.3.02",
        "MC.4.1.10",
    ]


def test_outsiders_cannot_build_documents_of_another_school(make_user, other_commune, a2018):
    outsider = make_user(Role.COMMUNE_OFFICER, unit=other_commune)
    with pytest.raises(DocumentError, match="trong phạm vi của bạn"):
        registry.build_docx(req(outsider, a2018, "sa-report"))
