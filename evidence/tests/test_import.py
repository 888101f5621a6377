"""Excel import of an evidence list: template, preview, confirm, all or nothing."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from evidence import importing, services
from evidence.models import Evidence

from .conftest import MINIMAL_PDF, criterion, upload

HEADER = [c.label for c in importing.COLUMNS]


def xlsx(rows, header=HEADER) -> io.BytesIO:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = importing.DATA_SHEET
    ws.append(header)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "danh-muc.xlsx"
    return buf


GOOD = [
    [
        "1.1",
        "",
        "Quyết định thành lập Hội đồng tự đánh giá",
        "15/QĐ-THHL",
        "05/09/2025",
        "Trường PTDTBT TH Huổi Luông",
        "",
        "",
        "",
    ],
    [
        "1.1",
        "",
        "Kế hoạch tự đánh giá",
        "16/KH-THHL",
        dt.datetime(2025, 9, 10),
        "Hội đồng TĐG",
        "",
        "https://example.org/kh.pdf",
        "Bản điện tử",
    ],
    ["2.1", "[H2-2.1-05]", "Danh sách cán bộ, giáo viên", "", "", "", "", "", ""],
]


def rows_of(buf):
    return importing.read_workbook(buf)


def test_happy_path_writes_every_row_with_codes(principal, assessment):
    result = importing.evidence_import(
        user=principal, assessment=assessment, rows=rows_of(xlsx(GOOD))
    )
    codes = [e.code for e in result.objects]
    assert codes == ["H1-1.1-01", "H1-1.1-02", "H2-2.1-05"]
    kh = Evidence.objects.get(code="H1-1.1-02")
    assert kh.issued_on == dt.date(2025, 9, 10) and kh.link == "https://example.org/kh.pdf"
    # the next generated code of 2.1 follows the carried-over one
    nxt = services.evidence_create(
        user=principal,
        assessment=assessment,
        data={"first_criterion": criterion(assessment.framework, "2.1"), "name": "X"},
    )
    assert nxt.code == "H2-2.1-06"


def test_bad_rows_write_nothing_and_name_row_and_column(principal, assessment):
    bad = GOOD + [
        ["9.9", "", "Tiêu chí không có", "", "", "", "", "", ""],
        ["1.2", "", "", "", "31/02/2025", "", "abc", "ftp://x", ""],
        ["1.3", "[H1-1.2-01]", "Mã của tiêu chí khác", "", "", "", "", "", ""],
        ["2.1", "H2-2.1-05", "Mã trùng dòng 4", "", "", "", "", "", ""],
    ]
    plan = importing.validate_rows(assessment=assessment, rows=rows_of(xlsx(bad)))
    messages = [str(e) for e in plan.errors]
    assert not plan.ok
    assert any(m.startswith("Dòng 5, cột «Tiêu chí»") and "9.9" in m for m in messages)
    assert any(m.startswith("Dòng 6, cột «Tên minh chứng»") for m in messages)
    assert any(m.startswith("Dòng 6, cột «Ngày ban hành»") for m in messages)
    assert any(m.startswith("Dòng 6, cột «Số hộp»") for m in messages)
    assert any(m.startswith("Dòng 6, cột «Đường dẫn»") for m in messages)
    assert any(m.startswith("Dòng 7, cột «Mã minh chứng»") for m in messages)
    assert any(m.startswith("Dòng 8, cột «Mã minh chứng»") and "dòng 4" in m for m in messages)
    with pytest.raises(importing.ImportRejected):
        importing.evidence_import(user=principal, assessment=assessment, rows=rows_of(xlsx(bad)))
    assert Evidence.objects.count() == 0


def test_wrong_header_and_non_xlsx_are_refused(assessment):
    with pytest.raises(importing.ImportFileError) as exc:
        rows_of(xlsx(GOOD, header=["A", "B"]))
    assert "Tiêu chí*" in str(exc.value)
    with pytest.raises(importing.ImportFileError):
        rows_of(io.BytesIO(MINIMAL_PDF))
    with pytest.raises(importing.ImportFileError):
        rows_of(xlsx([]))


def test_preview_then_confirm_through_the_pages(client, principal, assessment):
    client.force_login(principal)
    url = reverse("evidence:import", kwargs={"assessment_id": assessment.pk})
    template = client.get(
        reverse("evidence:import_template", kwargs={"assessment_id": assessment.pk})
    )
    assert template.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(template.streaming_content)))
    assert [c.value for c in wb[importing.DATA_SHEET][1]] == HEADER

    response = client.post(
        url, {"file": upload("dm.xlsx", xlsx(GOOD).getvalue(), importing.XLSX_MIME)}
    )
    assert response.status_code == 200
    assert Evidence.objects.count() == 0  # preview writes nothing
    token = response.context["token"]
    confirm = reverse("evidence:import_confirm", kwargs={"assessment_id": assessment.pk})
    response = client.post(confirm, {"token": token})
    assert response.status_code == 302
    assert Evidence.objects.count() == 3


def test_a_file_with_bad_rows_offers_no_confirm(client, principal, assessment):
    client.force_login(principal)
    url = reverse("evidence:import", kwargs={"assessment_id": assessment.pk})
    bad = GOOD + [["9.9", "", "X", "", "", "", "", "", ""]]
    response = client.post(
        url, {"file": upload("dm.xlsx", xlsx(bad).getvalue(), importing.XLSX_MIME)}
    )
    assert response.status_code == 400
    assert "token" not in response.context
    assert "Dòng 5, cột «Tiêu chí»" in response.content.decode()
    assert Evidence.objects.count() == 0
