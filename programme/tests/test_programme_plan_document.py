"""Wording of the plan document (seed 004's shape): the basis paragraph opens with "Căn cứ" or
"Thực hiện", no word is doubled when the title already starts with the plan's kind, a value is
separated from its unit ("4 xã", but "100%"); unit-level targets show what was achieved when the
register can tell it, and "chưa có số liệu" when it cannot."""

from __future__ import annotations

from decimal import Decimal

import pytest

from documents import registry
from documents.common import DocumentRequest, SystemUser
from documents.tests.helpers import all_text, open_docx
from programme.documents import plan as plan_builder
from programme.models import PlanUnitTarget, ProgrammePlan


def plan_text(plan: ProgrammePlan) -> tuple[list[str], str]:
    d = open_docx(
        registry.build_docx(DocumentRequest(user=SystemUser(), kind="plan", plan_id=plan.pk))
    )
    return [p.text for p in d.paragraphs], all_text(d)


@pytest.fixture
def titled_plan(seed000) -> ProgrammePlan:
    """Seed 004's title: it starts with the plan's own kind ("Kế hoạch thực hiện Đề án …")."""
    seed000.title = (
        "Kế hoạch thực hiện Đề án «Xây dựng trường đạt chuẩn quốc gia giai đoạn 2021-2025»"
    )
    seed000.legal_basis = (
        "Kế hoạch số 2827/KH-UBND ngày 01/11/2016 của Ủy ban nhân dân tỉnh Hải Dương;\n"
        "Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;"
    )
    seed000.save()
    return seed000


def test_no_word_is_doubled_when_the_title_starts_with_the_kind(titled_plan):
    texts, text = plan_text(titled_plan)
    assert "kế hoạch kế hoạch" not in text.lower()
    assert texts[-1] == (
        "Trên đây là kế hoạch thực hiện Đề án «Xây dựng trường đạt chuẩn quốc gia giai đoạn"
        " 2021-2025»./."
    )
    # The subject under "KẾ HOẠCH" does not repeat the kind either (seed 004: "Thực hiện Đề án …").
    assert texts[texts.index("KẾ HOẠCH") + 1].startswith("Thực hiện Đề án «Xây dựng")


def test_every_basis_line_opens_with_can_cu_or_thuc_hien(titled_plan):
    texts, _ = plan_text(titled_plan)
    assert (
        "Thực hiện Kế hoạch số 2827/KH-UBND ngày 01/11/2016 của Ủy ban nhân dân tỉnh Hải Dương;"
        in texts
    )
    assert (
        "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;"
        in texts
    )


def test_a_basis_already_led_is_kept_as_typed(seed000):
    texts, _ = plan_text(seed000)  # "Căn cứ Nghị quyết số 129/NQ-HĐND …"
    assert "Căn cứ Nghị quyết số 129/NQ-HĐND ngày 17/12/2020 của HĐND huyện Phong Thổ;" in texts
    assert not any(t.startswith("Căn cứ Căn cứ") or t.startswith("Thực hiện Căn cứ") for t in texts)


@pytest.mark.parametrize(
    "value,value_max,measure,expected",
    [
        ("4", None, "xã", "4 xã"),
        ("100", None, "%", "100%"),
        ("5", "8", "%", "từ 5 đến 8%"),
        ("14", None, "trường", "14 trường"),
        ("12.5", None, "%", "12,5%"),
    ],
)
def test_value_and_unit_are_spaced_like_vietnamese_text(
    seed000, value, value_max, measure, expected
):
    target = PlanUnitTarget(
        plan=seed000,
        label="Chỉ tiêu",
        year=2020,
        value=Decimal(value),
        value_max=Decimal(value_max) if value_max else None,
        measure=measure,
    )
    assert plan_builder.unit_target_value(target) == expected


def test_unit_targets_show_the_actual_when_the_register_tells_it(seed000, school, sibling_school):
    # seed000: Huổi Luông recognised on 20/05/2021; Dào San is in another commune (not in the
    # plan's area, a commune's own plan). The commune has one school: 1/1 standard.
    PlanUnitTarget.objects.create(
        plan=seed000, label="Tỷ lệ trường đạt chuẩn quốc gia", year=2021, value=Decimal("60"),
        measure="%", metric="standard_share", order=1,
    )  # fmt: skip
    PlanUnitTarget.objects.create(
        plan=seed000, label="Cán bộ quản lý có trình độ đại học", year=2021, value=Decimal("100"),
        measure="%", order=2,
    )  # fmt: skip
    PlanUnitTarget.objects.create(
        plan=seed000, label="Xóa xã trắng", year=2021, value=Decimal("4"), measure="xã", order=3
    )
    texts, _ = plan_text(seed000)
    assert (
        "- Tỷ lệ trường đạt chuẩn quốc gia: 60% (năm 2021); thực hiện: 100,00% (1/1 trường,"
        " ngày 31/12/2021) — đạt." in texts
    )
    assert (
        "- Cán bộ quản lý có trình độ đại học: 100% (năm 2021); thực hiện: chưa có số liệu."
        in texts
    )
    assert "- Xóa xã trắng: 4 xã (năm 2021); thực hiện: chưa có số liệu." in texts


def test_plan_xlsx_unit_targets_sheet_has_the_actual(seed000, school):
    import io

    import openpyxl

    PlanUnitTarget.objects.create(
        plan=seed000, label="Số trường đạt chuẩn quốc gia", year=2021, value=Decimal("2"),
        measure="trường", metric="standard_count",
    )  # fmt: skip
    data = registry.build_xlsx(DocumentRequest(user=SystemUser(), kind="plan", plan_id=seed000.pk))
    ws = openpyxl.load_workbook(io.BytesIO(data))["Chỉ tiêu của đơn vị"]
    header = [c.value for c in ws[4]]
    row = [c.value for c in ws[5]]
    assert header[-2:] == ["Thực hiện", "Đánh giá"]
    assert row[0] == "Số trường đạt chuẩn quốc gia"
    assert row[-2:] == ["1 (1/1 trường, ngày 31/12/2021)", "Không đạt"]


def test_staff_targets_show_the_year_data_value_and_trên_stays_strict(seed000, school):
    # Huổi Luông's 2021-2022 figures (the school year of 31/12/2021): 2 of 2 managers and 16
    # of 20 managers and teachers with a university degree — 80% is not "trên 80%".
    from schools.models import SchoolYearData

    SchoolYearData.objects.create(
        school=school,
        school_year="2021-2022",
        values={
            "staff_managers": 2,
            "managers_university": 2,
            "staff_teachers": 18,
            "teachers_university": 14,
        },
    )
    PlanUnitTarget.objects.create(
        plan=seed000, label="Cán bộ quản lý có trình độ đại học", year=2021, value=Decimal("100"),
        measure="%", metric="managers_university", order=1,
    )  # fmt: skip
    PlanUnitTarget.objects.create(
        plan=seed000, label="Cán bộ quản lý, giáo viên có trình độ đại học", year=2021,
        value=Decimal("80"), measure="%", metric="staff_university", comparator="above", order=2,
    )  # fmt: skip
    texts, _ = plan_text(seed000)
    assert (
        "- Cán bộ quản lý có trình độ đại học: 100% (năm 2021); thực hiện: 100,00% (2/2 người;"
        " năm học 2021-2022, 1/1 trường có số liệu) — đạt." in texts
    )
    assert (
        "- Cán bộ quản lý, giáo viên có trình độ đại học: trên 80% (năm 2021); thực hiện: 80,00%"
        " (16/20 người; năm học 2021-2022, 1/1 trường có số liệu) — không đạt." in texts
    )
    from documents.check import scan_docx

    data = registry.build_docx(DocumentRequest(user=SystemUser(), kind="plan", plan_id=seed000.pk))
    assert scan_docx(data) == []
