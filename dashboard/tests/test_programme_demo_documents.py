"""Generating the seeds' documents from the programme demo gives the seeds' tables (issue 4 §7):
- seed 000, the six-month report 2021 of huyện Phong Thổ (HD109) — a district retired on
  01/07/2025 whose schools now sit in today's communes, found through their location history;
- seed 004, the 2016–2020 plan of huyện Ninh Giang (HD299) with its per-year school lists.
The README's command-line example is run as written (docx), and as xlsx and PDF."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command

from dashboard.tests.test_programme_layout import Expected, assert_nd30_layout
from documents import pdf, registry
from documents.common import DocumentRequest, SystemUser
from documents.tests.helpers import all_text, open_docx, table_values, vn_int
from programme.models import ProgrammePlan
from programme.tests import test_programme_demo as programme_demo_tests
from units.models import AdminUnit

# The demo fixtures (units of three provinces, the schools demo, then the programme demo).
demo_units, demo = programme_demo_tests.demo_units, programme_demo_tests.demo
programme_demo = programme_demo_tests.programme_demo

# Seed 000, «Đầu tư cơ sở vật chất cho các trường»: (TT, project, amount in million đồng).
SEED_000_TABLE = [
    ("I", "Nâng cấp, sửa chữa", "9.765"),
    ("1", "Nâng cấp, mở rộng cơ sở vật chất trường PTDTBT THCS Dào San", "5.900"),
    (
        "2",
        "Cải tạo, nâng cấp cơ sở vật chất khu trung tâm và điểm trường Vàng Khon trường tiểu "
        "học thị trấn Phong Thổ",
        "950",
    ),
    ("3", "Cải tạo, nâng cấp cơ sở vật chất trường PTDTBT tiểu học Huổi Luông", "850"),
    ("4", "Cải tạo, nâng cấp cơ sở vật chất trường PTDTBT THCS Huổi Luông", "680"),
    ("5", "Cải tạo, nâng cấp trường THCS thị trấn Phong Thổ", "935"),
    ("6", "Nâng cấp, sửa chữa trường PTDTBT TH Đoàn Kết", "450"),
    ("II", "Xây dựng mới", "5.000"),
    ("1", "Nhà lớp học trường PTDTBT TH Huổi Luông", "5.000"),
    ("", "Tổng cộng", "14.765"),
]
SEED_000_PLANNED_2021 = [
    "Trường PTDTBT Tiểu học Đoàn Kết",
    "Trường PTDTBT Tiểu học Huổi Luông",
    "Trường PTDTBT THCS Dào San",
    "Trường Tiểu học Thị trấn Phong Thổ",
]

# Seed 004 §2.1–2.3, school by school ("MN" = Mầm non, "TH" = Tiểu học as the seed writes).
SEED_004_RENEWAL = {
    2017: "MN Hồng Dụ; MN Văn Hội; MN Thị trấn Ninh Giang; MN Ninh Hòa; TH Hồng Dụ; TH Ninh Hòa;"
    " TH Tân Quang; THCS Hồng Phúc; THCS Văn Hội",
    2018: "MN Hồng Thái; TH Hoàng Hanh; TH Hồng Đức; TH Hưng Thái; TH Nghĩa An; TH Ninh Thành;"
    " TH Quyết Thắng; TH Vạn Phúc; TH Vĩnh Hòa; TH Thị trấn Ninh Giang; THCS Hồng Đức",
    2019: "TH Hưng Long; TH Tân Phong; THCS Tân Quang; MN Văn Giang; MN Đồng Tâm; MN Hiệp Lực;"
    " MN Hồng Phúc; THPT Quang Trung",
    2020: "MN Ninh Hải; MN Ninh Thành; MN Tân Quang; MN Vĩnh Hòa; TH Hiệp Lực; TH Ninh Hải;"
    " TH Văn Giang; TH Văn Hội; THCS Hưng Long; THCS Ninh Thành; THCS Văn Giang; THCS Thành Nhân;"
    " THCS Hoàng Hanh; THPT Ninh Giang",
}
SEED_004_NEW = {
    2017: "MN An Đức; MN Hoàng Hanh; MN Hưng Long; MN Kiến Quốc; MN Tân Phong; TH An Đức;"
    " THCS Hiệp Lực; THCS Hồng Thái; THCS Kiến Quốc; THCS Quyết Thắng; THCS Tân Phong",
    2018: "MN Hồng Đức; MN Quyết Thắng; MN Tân Hương; MN Vạn Phúc; TH Đông Xuyên; TH Quang Hưng;"
    " THCS Hồng Dụ; THCS Nghĩa An; THCS Vĩnh Hòa; THPT Khúc Thừa Dụ",
    2019: "THCS Thị trấn Ninh Giang; THCS Ứng Hòe",
}
SEED_004_UPGRADE = (
    "MN Hiệp Lực; MN Hồng Thái; MN Văn Hội; MN Thị trấn Ninh Giang; TH Hoàng Hanh; TH Hồng Phong;"
    " TH Tân Phong; TH Thị trấn Ninh Giang"
)


def seed_names(text: str) -> set[str]:
    """ "MN Hồng Dụ; TH Tân Quang" → {"Mầm non Hồng Dụ", "Tiểu học Tân Quang"}."""
    spelled = {"MN": "Mầm non", "TH": "Tiểu học"}
    out = set()
    for item in text.split(";"):
        word, rest = item.strip().split(" ", 1)
        out.add(f"{spelled.get(word, word)} {rest}")
    return out


def listed(lines: list[str]) -> dict[int, set[str]]:
    """ "+ Năm 2017: Mầm non Hồng Dụ; Tiểu học Tân Quang" → {2017: {names}}."""
    out = {}
    for line in lines:
        head, names = line.split(":", 1)
        assert head.startswith("+ Năm ")
        out[int(head.removeprefix("+ Năm "))] = {n.strip() for n in names.split(";")}
    return out


def report_request(**extra) -> DocumentRequest:
    values = dict(
        user=SystemUser(),
        kind="report",
        unit=AdminUnit.objects.get(uid="HD109"),
        year=2021,
        period="H1",
        on=dt.date(2026, 11, 30),
        header={"date": "2021-07-05"},
    )
    values.update(extra)
    return DocumentRequest(**values)


def investment_table(document):
    return next(t for t in document.tables if t.rows[0].cells[1].text == "Tên dự án đầu tư")


def ninh_giang_plan() -> ProgrammePlan:
    return ProgrammePlan.objects.get(unit__uid="HD299")


def export(tmp_path, name: str, *args: str) -> bytes:
    target = tmp_path / name
    call_command("export_document", *args, "--output", str(target), stdout=io.StringIO())
    return target.read_bytes()


# ---------------------------------------------------------------------------------------------
# Seed 000


def test_seed_000_report_of_the_retired_district_has_the_seed_investment_table(programme_demo):
    d = open_docx(registry.build_docx(report_request()))
    rows = table_values(investment_table(d))
    assert rows[0] == ["TT", "Tên dự án đầu tư", "Đơn vị", "Quy mô", "Tổng mức đầu tư (triệu đồng)"]
    body = rows[1:]
    assert [(r[0], r[1], r[4]) for r in body] == SEED_000_TABLE
    # Each group line carries its subtotal = the sum of its projects; the total = I + II.
    group_ii = [r[0] for r in body].index("II")
    assert sum(vn_int(r[4]) for r in body[1:group_ii]) == vn_int(body[0][4]) == 9765
    assert sum(vn_int(r[4]) for r in body[group_ii + 1 : -1]) == vn_int(body[group_ii][4])
    assert vn_int(body[-1][4]) == vn_int(body[0][4]) + vn_int(body[group_ii][4]) == 14765
    # The projects sit on today's communes: the owner column names their schools.
    assert body[1][2] == "Trường PTDTBT THCS Dào San"
    assert body[-2][2] == "Trường PTDTBT Tiểu học Huổi Luông"
    text = all_text(d)
    assert "Kinh phí xây dựng mới và nâng cấp, sửa chữa các trường học: 14.765 triệu đồng." in text
    assert "Kinh phí mua sắm trang bị thiết bị dạy học: 1.915 triệu đồng." in text


def test_seed_000_report_counts_the_districts_standard_schools_and_2021_targets(programme_demo):
    d = open_docx(registry.build_docx(report_request()))
    text = all_text(d)
    # Seed 000: "Duy trì 14/14 trường đạt chuẩn (13/14 trường mức độ I, 01 trường mức độ II)"
    # of the district's 48 schools.
    assert (
        "Đầu năm 2021, toàn huyện Phong Thổ có 14/48 trường đạt chuẩn quốc gia (13 trường Mức độ"
        " 1, 01 trường Mức độ 2)." in text
    )
    assert "Tính đến ngày 30/06/2021 có 14/48 trường đạt chuẩn" in text
    assert "đạt tỷ lệ 29,17%." in text
    target_sentence = next(p.text for p in d.paragraphs if p.text.startswith("Năm 2021, xây"))
    for name in SEED_000_PLANNED_2021:
        assert name in target_sentence
    # Seed 000: "Năm 2021, xây dựng 04 trường đạt chuẩn quốc gia: … đạt chuẩn quốc gia mức độ
    # 1, Nâng mức độ Trường Tiểu học Thị Trấn đạt chuẩn quốc gia mức độ 2." — the upgrade counts.
    assert target_sentence.startswith("Năm 2021, xây dựng 04 trường đạt chuẩn quốc gia: ")
    assert "nâng mức độ Trường Tiểu học Thị trấn Phong Thổ đạt chuẩn quốc gia Mức độ 2" in (
        target_sentence
    )
    assert "duy trì chuẩn 14 trường" in target_sentence
    results = table_values(d.tables[1])
    assert results[0][:3] == ["TT", "Trường", "Chỉ tiêu"]
    assert len(results) - 1 == 14 + 4
    # The basis names the 2021 Kế hoạch the way seed 000 does (no "Kế hoạch … về kế hoạch").
    assert (
        "Thực hiện Kế hoạch số 23/KH-UBND ngày 17/01/2021 của UBND huyện Phong Thổ về xây dựng"
        " trường đạt chuẩn Quốc gia huyện Phong Thổ năm 2021;" in text
    )
    assert "về kế hoạch" not in text and "về đề án" not in text
    assert_nd30_layout(
        registry.build_docx(report_request()),
        Expected(
            issuer="Ủy ban nhân dân huyện Phong Thổ",
            doc_type="BÁO CÁO",
            symbol="BC-UBND",
            date_line="Phong Thổ, ngày 05 tháng 7 năm 2021",
        ),
    )


def test_readme_command_exports_seed_000_report_as_docx_and_xlsx(programme_demo, tmp_path):
    # As in README: export_document report --unit HD109 --year 2021 --period H1
    args = ("report", "--unit", "HD109", "--year", "2021", "--period", "H1")
    d = open_docx(export(tmp_path, "bao-cao.docx", *args))
    assert table_values(investment_table(d))[-1][4] == "14.765"
    wb = openpyxl.load_workbook(io.BytesIO(export(tmp_path, "bc.xlsx", *args, "--format", "xlsx")))
    ws = wb["Đầu tư xây dựng"]
    values = [[c.value for c in r] for r in ws.iter_rows(min_row=5) if r[1].value]
    assert [(r[0], r[1]) for r in values[:2]] == [
        ("I", "Nâng cấp, sửa chữa"),
        (1, SEED_000_TABLE[1][1]),
    ]
    assert values[-1][1] == "Tổng cộng" and values[-1][4] == 14765
    groups = [r for r in values if r[0] in ("I", "II")]
    assert [r[4] for r in groups] == [9765, 5000]
    projects = [r for r in values if isinstance(r[0], int)]
    assert len(projects) == 7 and sum(Decimal(str(r[4])) for r in projects) == Decimal(14765)
    assert wb["Mua sắm thiết bị"].cell(5, 5).value == 1915
    assert len([r for r in wb["Chỉ tiêu trong năm"].iter_rows(min_row=5) if r[1].value]) == 18


# ---------------------------------------------------------------------------------------------
# Seed 004


def test_seed_004_plan_document_lists_every_school_by_year(programme_demo):
    plan = ninh_giang_plan()
    d = open_docx(
        registry.build_docx(DocumentRequest(user=SystemUser(), kind="plan", plan_id=plan.pk))
    )
    texts = [p.text for p in d.paragraphs]
    i_renewal = texts.index("2.1. Công nhận lại các trường đã đạt chuẩn")
    i_new = texts.index("2.2. Công nhận mới đạt chuẩn quốc gia các trường học")
    i_upgrade = texts.index("2.3. Nâng trường đạt chuẩn quốc gia từ mức độ 1 lên mức độ 2")
    renewal = listed(texts[i_renewal + 1 : i_new])
    assert renewal == {y: seed_names(v) for y, v in SEED_004_RENEWAL.items()}
    assert {y: len(v) for y, v in renewal.items()} == {2017: 9, 2018: 11, 2019: 8, 2020: 14}
    new = listed(texts[i_new + 1 : i_upgrade])
    assert new == {y: seed_names(v) for y, v in SEED_004_NEW.items()}
    assert {y: len(v) for y, v in new.items()} == {2017: 11, 2018: 10, 2019: 2}
    upgrade = {n.strip() for n in texts[i_upgrade + 1].split(";")}
    assert upgrade == seed_names(SEED_004_UPGRADE) and len(upgrade) == 8

    summary = table_values(d.tables[-2])
    assert summary[0] == [
        "Năm", "Mới MĐ1", "Mới MĐ2", "Công nhận lại", "Nâng mức", "Duy trì", "Nâng cao", "Tổng"
    ]  # fmt: skip
    by_year = {r[0]: [vn_int(c) for c in r[1:]] for r in summary[1:]}
    assert by_year["2017"] == [11, 0, 9, 0, 0, 0, 20]
    assert by_year["2018"] == [10, 0, 11, 0, 0, 0, 21]
    assert by_year["2019"] == [2, 0, 8, 0, 0, 0, 10]
    assert by_year["2020"] == [0, 0, 14, 0, 0, 0, 14]
    assert by_year["Cả giai đoạn"] == [0, 0, 0, 8, 0, 0, 8]
    total = by_year.pop("Tổng cộng")
    assert total == [sum(col) for col in zip(*by_year.values(), strict=True)]
    assert total[-1] == 23 + 42 + 8


def test_seed_004_plan_exports_as_xlsx_from_the_command_line(programme_demo, tmp_path):
    plan = ninh_giang_plan()
    data = export(tmp_path, "kh.xlsx", "plan", "--plan", str(plan.pk), "--format", "xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    rows = [[c.value for c in r] for r in wb["Chỉ tiêu theo trường"].iter_rows(min_row=5)]
    rows = [r for r in rows if r[1]]
    assert len(rows) == 73
    years = {}
    for r in rows:
        years[(r[3], r[4])] = years.get((r[3], r[4]), 0) + 1
    assert (
        years[("2018", "Công nhận lại")] == 11
        and years[("Cả giai đoạn", "Nâng mức độ 1 lên mức độ 2")] == 8
    )
    summary = [[c.value for c in r] for r in wb["Tổng hợp theo năm"].iter_rows(min_row=5)]
    summary = [r for r in summary if r[0]]
    assert summary[-1][0] == "Tổng cộng" and summary[-1][-1] == 73


@pytest.mark.skipif(not pdf.is_available(), reason="LibreOffice (soffice) chưa cài")
def test_seed_000_report_and_seed_004_plan_convert_to_pdf(programme_demo, tmp_path):
    report = export(tmp_path, "bc.pdf", "report", "--unit", "HD109", "--year", "2021", "--period", "H1", "--format", "pdf")  # fmt: skip
    plan = export(tmp_path, "kh.pdf", "plan", "--plan", str(ninh_giang_plan().pk), "--format", "pdf")  # fmt: skip
    for data in (report, plan):
        assert data.startswith(b"%PDF") and len(data) > 10_000


def test_statistics_of_the_retired_district_count_its_schools_by_old_commune(programme_demo):
    req = DocumentRequest(
        user=SystemUser(),
        kind="statistics",
        unit=AdminUnit.objects.get(uid="HD109"),
        on=dt.date(2021, 6, 30),
        header={"date": "2021-07-05"},
    )
    d = open_docx(registry.build_docx(req))
    text = all_text(d)
    assert "Toàn huyện Phong Thổ có 48 trường, trong đó 14 trường đạt chuẩn quốc gia (chiếm" in text
    assert "13 trường Mức độ 1, 1 trường Mức độ 2; 34 trường chưa đạt chuẩn." in text
    by_kind, by_unit = table_values(d.tables[1]), table_values(d.tables[2])
    assert by_kind[-1][1:4] == ["Tổng cộng", "48", "13"]
    body, total = by_unit[2:-1], by_unit[-1]
    assert "Thị trấn Phong Thổ" in {r[1] for r in body}  # the district's own communes
    assert "Chưa ghi xã (thuộc huyện Phong Thổ)" in {r[1] for r in body}  # TH Đoàn Kết
    assert vn_int(total[2]) == sum(vn_int(r[2]) for r in body) == 48
    assert vn_int(total[7]) == sum(vn_int(r[7]) for r in body) == 14


def test_statistics_of_the_retired_district_today_use_its_last_map(programme_demo):
    req = DocumentRequest(
        user=SystemUser(),
        kind="statistics",
        unit=AdminUnit.objects.get(uid="HD109"),
        on=dt.date(2026, 11, 30),
    )
    text = all_text(open_docx(registry.build_docx(req)))
    assert "(các trường thuộc địa bàn huyện Phong Thổ ngày 30/06/2025)" in text
    # Seed 000's 48 district schools, and since 2021-2022 the PTDTNT school of seed 003.
    assert "Toàn huyện Phong Thổ có 49 trường" in text
