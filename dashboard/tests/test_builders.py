import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from documents import registry
from documents.common import DocumentError, DocumentRequest, SystemUser, unit_phrase
from documents.tests.helpers import all_text, is_nfc, open_docx, table_values, vn_int
from programme.documents.services import draft_save
from programme.models import ReportDraft

ON = dt.date(2024, 6, 30)


def stats_request(user, unit) -> DocumentRequest:
    return DocumentRequest(
        user=user, kind="statistics", unit=unit, on=ON, header={"date": "2025-07-05"}
    )


def test_unit_phrases():
    from units.models import AdminUnit

    assert unit_phrase(AdminUnit(name="Xã Phong Thổ", division_type="xã")) == "xã Phong Thổ"
    assert unit_phrase(AdminUnit(name="Lai Châu", division_type="tỉnh")) == "tỉnh Lai Châu"
    hp = AdminUnit(name="Thành phố Hải Phòng", division_type="thành phố trung ương")
    assert unit_phrase(hp) == "thành phố Hải Phòng"


def test_statistics_docx_counts_and_percentages(commune_officer, commune, nine_schools):
    d = open_docx(registry.build_docx(stats_request(commune_officer, commune)))
    text = all_text(d)
    assert "ỦY BAN NHÂN DÂN XÃ PHONG THỔ" in text
    assert "Phong Thổ, ngày 05 tháng 7 năm 2025" in text
    assert "05 trường đạt chuẩn" not in text  # counts as numbers, not padded, in this sentence
    assert "có 9 trường, trong đó 5 trường đạt chuẩn quốc gia (chiếm 55,56%)" in text
    rows = table_values(d.tables[1])
    header, body, total = rows[:2], rows[2:-1], rows[-1]
    assert header[0][3] == "Mức độ 1" and header[1][4] == "Tỷ lệ"
    by_kind = {r[1]: r for r in body}
    assert by_kind["Tiểu học"][2:5] == ["5", "3", "60,00%"]
    assert total[1] == "Tổng cộng"
    # Totals equal the sums of the rows, for every count column.
    for col in (2, 3, 5, 7, 9):
        assert vn_int(total[col]) == sum(vn_int(r[col]) for r in body)
    assert total[4] == "55,56%" and total[8] == "55,56%" and total[10] == "44,44%"
    assert "./." in text and "Nơi nhận:" in text
    assert is_nfc(text)


def test_statistics_for_province_has_a_table_by_commune(
    province_officer, province, nine_schools, sibling_school
):
    d = open_docx(registry.build_docx(stats_request(province_officer, province)))
    assert len(d.tables) == 4  # header, by kind, by unit, closing
    rows = table_values(d.tables[2])
    body, total = rows[2:-1], rows[-1]
    assert {r[1] for r in body} == {"Xã Phong Thổ", "Xã Dào San"}
    assert vn_int(total[2]) == sum(vn_int(r[2]) for r in body) == 10


def test_statistics_xlsx_reopens_with_numbers_formats_and_totals(
    commune_officer, commune, nine_schools
):
    wb = openpyxl.load_workbook(
        io.BytesIO(registry.build_xlsx(stats_request(commune_officer, commune)))
    )
    ws = wb["Theo cấp học"]
    header_row = 4
    assert ws.cell(header_row, 2).value == "Cấp học"
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=header_row + 1) if r[1].value]
    body, total = rows[:-1], rows[-1]
    assert total[1] == "Tổng cộng"
    for col in (2, 3, 5, 7, 9):
        assert total[col] == sum(r[col] for r in body)
    assert Decimal(str(total[8])) == Decimal("0.5556")
    assert ws.cell(header_row + 1, 5).number_format == "0.00%"
    assert ws.cell(header_row + 1, 3).number_format == "#,##0"
    assert ws.cell(header_row + 1 + len(body), 2).font.b
    for r in rows:
        assert all(is_nfc(v) for v in r if isinstance(v, str))


def test_statistics_counts_only_the_users_scope(outsider, commune, nine_schools):
    with pytest.raises(DocumentError):
        from documents.services import request_from_params

        request_from_params(user=outsider, kind="statistics", params={"unit": commune.uid})


def report_request(user, province, plan) -> DocumentRequest:
    return DocumentRequest(
        user=user,
        kind="report",
        unit=province,
        plan_id=plan.pk,
        year=2021,
        period="H1",
        on=dt.date(2021, 7, 5),
        header={"date": "2021-07-05"},
    )


def test_report_investment_table_groups_subtotals_and_grand_total(
    province_officer, province, seed000
):
    d = open_docx(registry.build_docx(report_request(province_officer, province, seed000)))
    text = all_text(d)
    table = [t for t in d.tables if t.rows[0].cells[1].text == "Tên dự án đầu tư"][0]
    rows = table_values(table)[1:]
    assert rows[0][:2] == ["I", "Nâng cấp, sửa chữa"] and rows[0][4] == "9.765"
    group_ii = [i for i, r in enumerate(rows) if r[0] == "II"][0]
    assert rows[group_ii][4] == "5.000"
    assert sum(vn_int(r[4]) for r in rows[1:group_ii]) == vn_int(rows[0][4])
    assert sum(vn_int(r[4]) for r in rows[group_ii + 1 : -1]) == vn_int(rows[group_ii][4])
    assert rows[-1][1] == "Tổng cộng" and rows[-1][4] == "14.765"
    assert vn_int(rows[-1][4]) == vn_int(rows[0][4]) + vn_int(rows[group_ii][4])
    assert "Kinh phí xây dựng mới và nâng cấp, sửa chữa các trường học: 14.765 triệu đồng." in text
    assert "Kinh phí mua sắm trang bị thiết bị dạy học: 1.915 triệu đồng." in text
    assert "V/v thực hiện xây dựng trường chuẩn quốc gia 6 tháng đầu năm 2021" in text
    assert "III. MỘT SỐ NHIỆM VỤ, GIẢI PHÁP 6 THÁNG CUỐI NĂM 2021" in text
    # As seed 000 counts them, the upgrade is one of the schools built to the standard.
    assert (
        "Năm 2021, xây dựng 02 trường đạt chuẩn quốc gia: Trường PTDTBT TH Huổi Luông đạt chuẩn"
        " quốc gia Mức độ 1, nâng mức độ Trường PTDTBT THCS Dào San đạt chuẩn quốc gia Mức độ 2."
        in text
    )
    assert "812/QĐ-UBND ngày 20/05/2021" in text
    assert "Thực hiện Kế hoạch số 23/KH-UBND ngày 17/01/2021" in text
    assert text.count("./.") == 1


def test_report_uses_the_saved_prose(commune_officer, province_officer, province, seed000):
    draft_save(
        user=commune_officer,
        kind=ReportDraft.Kind.REPORT,
        unit=province,
        plan_id=seed000.pk,
        year=2021,
        period="H1",
        texts={
            "leadership": "Ủy ban nhân dân huyện đã chỉ đạo các cơ quan chuyên môn.",
            "limitations": "Cơ sở vật chất còn thiếu.\nQuỹ đất chưa đủ.",
        },
    )
    d = open_docx(registry.build_docx(report_request(province_officer, province, seed000)))
    texts = [p.text for p in d.paragraphs]
    assert "Ủy ban nhân dân huyện đã chỉ đạo các cơ quan chuyên môn." in texts
    assert "Cơ sở vật chất còn thiếu." in texts and "Quỹ đất chưa đủ." in texts


def test_report_xlsx_totals(province_officer, province, seed000):
    wb = openpyxl.load_workbook(
        io.BytesIO(registry.build_xlsx(report_request(province_officer, province, seed000)))
    )
    ws = wb["Đầu tư xây dựng"]
    values = [[c.value for c in r] for r in ws.iter_rows(min_row=5) if r[1].value]
    assert values[-1][1] == "Tổng cộng" and values[-1][4] == 14765
    projects = [r for r in values if isinstance(r[0], int)]
    assert sum(r[4] for r in projects) == values[-1][4]
    assert wb["Mua sắm thiết bị"].cell(5, 5).value == 1915


def test_plan_document_lists_schools_by_year_and_summary_totals(
    commune_officer, seed000, sibling_school, school
):
    from programme.models import PlanSchoolTarget

    PlanSchoolTarget.objects.create(plan=seed000, school=school, year=None, target="upgrade")
    req = DocumentRequest(user=SystemUser(), kind="plan", plan_id=seed000.pk)
    d = open_docx(registry.build_docx(req))
    text = all_text(d)
    assert "KẾ HOẠCH" in text and "Số: 23/KH-UBND" in text
    assert "Phong Thổ, ngày 17 tháng 01 năm 2021" in text
    assert "2.1. Công nhận mới đạt chuẩn quốc gia các trường học" in text
    assert "+ Năm 2021: PTDTBT TH Huổi Luông" in text
    assert "2.2. Nâng trường đạt chuẩn quốc gia từ mức độ 1 lên mức độ 2" in text
    assert "+ Năm 2021: PTDTBT THCS Dào San" in text
    summary = table_values(d.tables[-2])
    body, total = summary[1:-1], summary[-1]
    assert total[0] == "Tổng cộng"
    for col in range(1, len(total)):
        assert vn_int(total[col]) == sum(vn_int(r[col]) for r in body)
    assert vn_int(total[-1]) == 3
    assert "Căn cứ Nghị quyết số 129/NQ-HĐND" in text
    assert text.rstrip().count("./.") == 1


def test_plan_outside_scope_is_refused(outsider, seed000):
    from documents.services import request_from_params

    with pytest.raises(DocumentError):
        request_from_params(user=outsider, kind="plan", params={"plan": seed000.pk})


def test_unknown_kind_is_refused(superuser):
    with pytest.raises(DocumentError, match="Không có loại văn bản"):
        registry.get_kind("bao-cao-khac")
