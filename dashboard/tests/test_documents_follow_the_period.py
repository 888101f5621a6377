"""Issue 17 §5–6: a document about a past period is dated at the end of its window and issued
by the authority that existed then; a typed date outside the issuer's life is refused; the
narrative comes from the data and agrees with each seed on its own date:
- seed 000 (six-month report 2021 of huyện Phong Thổ): 14/14 kept (13 Mức độ 1, 1 Mức độ 2),
  opening on NQ 129/NQ-HĐND, 5375/QĐ-UBND as the decision approving the Đề án;
- seed 003 (25/8/2023): 22 standard schools in the district, 4 recognised anew in 2022 (1 mầm
  non, 2 tiểu học, 1 PTDTNT);
- seed 004 (Ninh Giang plan): "trên 80%" keeps its comparator."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from dashboard.tests.test_programme_layout import Expected, assert_nd30_layout
from documents import registry
from documents.common import DocumentError, DocumentRequest, SystemUser, authority_on
from documents.services import request_from_params
from documents.tests.helpers import all_text, open_docx, table_values
from programme.tests import test_programme_demo as programme_demo_tests
from units.models import AdminUnit

demo_units, demo = programme_demo_tests.demo_units, programme_demo_tests.demo
programme_demo = programme_demo_tests.programme_demo

TODAY = dt.date(2026, 12, 7)


def phong_tho() -> AdminUnit:
    return AdminUnit.objects.get(uid="HD109")


def report(year: int, period: str, **extra) -> DocumentRequest:
    values = dict(user=SystemUser(), kind="report", unit=phong_tho(), year=year, period=period)
    values["on"] = TODAY
    values.update(extra)
    return DocumentRequest(**values)


def text_of(req: DocumentRequest) -> str:
    return all_text(open_docx(registry.build_docx(req)))


def test_the_2021_report_without_a_date_is_dated_at_the_end_of_its_window(programme_demo):
    assert_nd30_layout(
        registry.build_docx(report(2021, "H1")),
        Expected(
            issuer="Ủy ban nhân dân huyện Phong Thổ",
            doc_type="BÁO CÁO",
            symbol="BC-UBND",
            date_line="Phong Thổ, ngày 30 tháng 6 năm 2021",
        ),
    )


def test_a_retired_district_reports_after_its_end_through_the_department(programme_demo):
    authority = authority_on(phong_tho(), dt.date(2025, 12, 31))
    assert authority.name == "Sở Giáo dục và Đào tạo tỉnh Lai Châu"
    assert authority.signer_title == "GIÁM ĐỐC"
    text = text_of(report(2025, "Y"))
    assert "Sở Giáo dục và Đào tạo tỉnh Lai Châu báo cáo kết quả" in text
    # A commune formed in 2025 reports on its own area since then.
    commune = AdminUnit.objects.get(uid="W03549")
    assert authority_on(commune, dt.date(2026, 6, 30)).name == "Ủy ban nhân dân xã Phong Thổ"
    # Before 01/7/2025 the commune's area was the district's.
    assert authority_on(commune, dt.date(2021, 6, 30)).name == "Ủy ban nhân dân huyện Phong Thổ"
    # A 2025 province kept the name and authority of one it absorbed: it existed before.
    hai_phong = AdminUnit.objects.get(uid="P31")
    assert authority_on(hai_phong, dt.date(2021, 6, 30)).name == (
        "Ủy ban nhân dân thành phố Hải Phòng"
    )


def test_a_typed_date_outside_the_issuers_life_is_refused(programme_demo):
    with pytest.raises(DocumentError, match="nằm ngoài thời gian tồn tại của Ủy ban nhân dân"):
        request_from_params(
            user=SystemUser(),
            kind="report",
            params={
                "unit": "HD109",
                "year": 2021,
                "period": "H1",
                "header": {"date": "2026-12-07"},
            },
        )
    # Inside its life: accepted, printed as typed.
    text = text_of(report(2021, "H1", header={"date": "2021-07-05"}))
    assert "ngày 05 tháng 7 năm 2021" in text


def test_the_command_refuses_a_date_outside_the_issuers_life_with_exit_2(programme_demo, tmp_path):
    args = ["report", "--unit", "HD109", "--year", "2021", "--period", "H1"]
    with pytest.raises(CommandError) as caught:
        call_command(
            "export_document",
            *args,
            "--date",
            "2026-12-07",
            "--output",
            str(tmp_path / "x.docx"),
            stdout=io.StringIO(),
        )
    assert caught.value.returncode == 2
    assert "Ủy ban nhân dân huyện Phong Thổ" in str(caught.value)
    assert not (tmp_path / "x.docx").exists()


def test_seed_000_maintain_targets_are_met_at_the_end_of_the_window(programme_demo):
    d = open_docx(registry.build_docx(report(2021, "H1")))
    text = all_text(d)
    # Seed 000: "Duy trì 14/14 trường đạt chuẩn (13/14 trường mức độ I, 01 trường mức độ II)."
    assert "Duy trì 14/14 trường đạt chuẩn (13/14 trường Mức độ 1, 01 trường Mức độ 2)." in text
    assert "đạt 14/18 chỉ tiêu giao cho các trường" in text
    rows = table_values(d.tables[1])[1:]
    states = {(r[2], r[3]) for r in rows}
    assert ("Duy trì chuẩn", "Đạt") in {(s[0][:13], s[1]) for s in states}
    # The 2021 recognitions come in the second half: in progress on 30/06/2021.
    assert sum(r[3] == "Đang thực hiện" for r in rows) == 4


def test_seed_000_basis_comes_from_the_plans_data(programme_demo):
    text = text_of(report(2021, "H1"))
    assert text.index("Thực hiện Nghị quyết số 129/NQ-HĐND ngày 17/12/2020 của HĐND huyện") < (
        text.index("Thực hiện Quyết định số 5375/QĐ-UBND")
    )
    assert (
        "Thực hiện Quyết định số 5375/QĐ-UBND ngày 30/12/2020 của UBND huyện Phong Thổ phê duyệt"
        " Đề án xây dựng trường chuẩn Quốc gia huyện Phong Thổ giai đoạn 2021-2025;" in text
    )
    assert "Đề án số 5375" not in text


def test_the_yearly_report_2021_counts_the_plan_carried_out(programme_demo):
    text = text_of(report(2021, "Y"))
    assert "đạt 18/18 chỉ tiêu" in text
    # The PTDTNT school of seed 003 is on the district's map since the 2021-2022 school year.
    assert "Đầu năm 2021, toàn huyện Phong Thổ có 14/48 trường đạt chuẩn" in text
    assert "Tính đến ngày 31/12/2021 có 17/49 trường đạt chuẩn" in text


def test_seed_003_twenty_two_standard_schools_and_four_new_in_2022(programme_demo):
    stats = text_of(
        DocumentRequest(
            user=SystemUser(), kind="statistics", unit=phong_tho(), on=dt.date(2023, 8, 25)
        )
    )
    assert "trong đó 22 trường đạt chuẩn quốc gia" in stats
    assert "Ủy ban nhân dân huyện Phong Thổ" in stats
    yearly = text_of(report(2022, "Y"))
    assert (
        "Trong năm 2022, toàn huyện Phong Thổ được công nhận mới 04 trường đạt chuẩn quốc gia,"
        " trong đó có 01 trường mầm non, 02 trường tiểu học, 01 trường PTDTNT." in yearly
    )


def test_seed_004_keeps_the_comparator_of_a_target(programme_demo):
    from programme.models import ProgrammePlan

    plan = ProgrammePlan.objects.get(unit__uid="HD299")
    req = DocumentRequest(user=SystemUser(), kind="plan", plan_id=plan.pk)
    text = text_of(req)
    assert "đại học và trên đại học: trên 80% (năm 2020)" in text
    # No date in seed 004: dated after the texts it carries out (05/12/2016), not today.
    assert "ngày 06 tháng 12 năm 2016" in text


def test_seed_000_activity_recorded_on_the_plan_appears_in_the_report(programme_demo):
    text = text_of(report(2021, "H1"))
    assert (
        "Thực hiện Kiểm tra kỹ thuật các trường dự kiến đạt chuẩn được 04/04 trường theo kế"
        " hoạch." in text
    )
    assert "Kiểm tra kỹ thuật" not in text_of(report(2022, "Y"))


def test_the_documents_page_refuses_a_date_before_the_commune_existed(
    client, commune_officer, commune
):
    # Xã Phong Thổ of today was formed on 01/7/2025 from thị trấn Phong Thổ (among others).
    old = AdminUnit.objects.create(
        uid="HW03549-T",
        code="03549",
        name="Thị trấn Phong Thổ",
        division_type="thị trấn",
        valid_to=dt.date(2025, 7, 1),
    )
    commune.valid_from = dt.date(2025, 7, 1)
    commune.save()
    old.successors.add(commune)
    client.force_login(commune_officer)
    response = client.post(
        reverse("documents:generate", args=["report"]),
        {"unit": commune.uid, "year": "2026", "period": "H1", "fmt": "docx", "date": "2024-05-01"},
        follow=True,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ngày ghi trên văn bản 01/05/2024 nằm ngoài thời gian tồn tại của Ủy ban nhân dân" in (
        body
    )
    assert "từ ngày 01/07/2025" in body


def test_a_re_recognition_outside_the_targets_is_called_so(programme_demo):
    text = text_of(report(2025, "Y"))
    assert "trường được công nhận lại đạt chuẩn quốc gia: " in text
    assert "Ngoài chỉ tiêu" not in text
