"""Excel import of a school's figures by school year (Phần I) on the core.imports pipeline:
template round trip, the parts imported and the totals computed, all or nothing with row +
column messages, schools outside the scope refused, who may import."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Membership, Role
from core.imports import ImportRejected
from schools import yeardata
from schools.importing_yeardata import DATA_SHEET, SPEC, columns_for_kind
from schools.models import School, SchoolYearData

COLUMNS = columns_for_kind("TH")
HEADER = [c.label for c in COLUMNS]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def principal_of(make_user, school):
    return make_user(Role.PRINCIPAL, school=school)


def row(code: str, year: str, **figures) -> list:
    values = {"school_code": code, "school_year": year, **figures}
    return [values.get(c.key) for c in COLUMNS]


def xlsx(rows, header=HEADER) -> SimpleUploadedFile:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("so-lieu.xlsx", buf.getvalue())


def url(school, suffix=""):
    return reverse(f"schools:year_data_import{suffix}", args=[school.code])


def upload(client, school, f):
    return client.post(url(school), {"file": f})


def confirm(client, school, response):
    return client.post(url(school, "_confirm"), {"token": response.context["token"]})


def test_a_valid_file_writes_every_year_and_totals_are_computed(client, principal_of, school):
    client.force_login(principal_of)
    rows = [
        row(school.code, "2023-2024", cls_1=2, cls_2=2, pup_1=40, pup_2="1.050", pup_female=500),
        row(school.code, "2024-2025", cls_1=3, staff_teachers=12, teachers_qualified=12),
    ]
    response = upload(client, school, xlsx(rows))
    assert response.status_code == 200, response.context.get("errors_shown")
    assert "Thêm mới: 2" in response.content.decode()
    assert not SchoolYearData.objects.exists()  # the preview writes nothing
    response = confirm(client, school, response)
    assert response.status_code == 302
    assert response["Location"] == reverse("schools:year_data", args=[school.code])
    first = SchoolYearData.objects.get(school=school, school_year="2023-2024")
    assert first.values == {"cls_1": 2, "cls_2": 2, "pup_1": 40, "pup_2": 1050, "pup_female": 500}
    schema = yeardata.schema_for("TH")
    assert schema.value(first.values, "cls_total") == 4
    assert schema.value(first.values, "pup_total") == 1090
    assert first.updated_by == principal_of


def test_one_bad_row_writes_nothing_and_names_row_and_column(client, principal_of, school):
    client.force_login(principal_of)
    rows = [
        row(school.code, "2023-2024", cls_1=2),
        row(school.code, "2024-2025", cls_1="hai"),
        row(school.code, "2024", pup_1=10),
        row(school.code, "2022-2023", pup_1=10, pup_female=11),
        row(school.code, "2023-2024", cls_1=1),
    ]
    response = upload(client, school, xlsx(rows))
    assert response.status_code == 400
    errors = response.context["errors_shown"]
    assert "Dòng 3, cột «Số lớp — Khối 1»: phải là số nguyên không âm." in errors
    assert any(e.startswith("Dòng 4, cột «Năm học»: «2024» không đúng dạng") for e in errors)
    assert any(e.startswith("Dòng 5, cột «Nữ»: 11 lớn hơn") for e in errors)
    assert any(e.startswith("Dòng 6, cột «Năm học»: trùng với dòng 2") for e in errors)
    assert "token" not in response.context
    assert not SchoolYearData.objects.exists()


def test_a_school_outside_the_scope_is_refused(
    client, principal_of, school, sibling_school, outside_school
):
    client.force_login(principal_of)
    rows = [
        row(school.code, "2024-2025", cls_1=1),
        row(sibling_school.code, "2024-2025", cls_1=1),
        row(outside_school.code, "2024-2025", cls_1=1),
    ]
    response = upload(client, school, xlsx(rows))
    assert response.status_code == 400
    errors = response.context["errors_shown"]
    for number, code in ((3, sibling_school.code), (4, outside_school.code)):
        assert (
            f"Dòng {number}, cột «Mã trường»: không có trường mã «{code}» trong phạm vi bạn "
            "được nhập số liệu." in errors
        )
    assert not SchoolYearData.objects.exists()


def test_an_import_replaces_a_year_and_bumps_its_version(client, principal_of, school):
    saved = SchoolYearData.objects.create(
        school=school, school_year="2024-2025", values={"cls_1": 1, "pup_1": 20}
    )
    client.force_login(principal_of)
    response = upload(client, school, xlsx([row(school.code, "2024-2025", cls_1=2)]))
    assert "Cập nhật: 1" in response.content.decode()
    confirm(client, school, response)
    saved.refresh_from_db()
    assert saved.values == {"cls_1": 2} and saved.version == 2


def test_the_template_round_trips(client, principal_of, school):
    client.force_login(principal_of)
    response = client.get(url(school, "_template"))
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert wb.sheetnames == [DATA_SHEET, "Hướng dẫn"]
    header = [c.value for c in wb[DATA_SHEET][1]]
    assert header == HEADER
    assert "Số lớp — Khối 5" in header and "Số lớp" not in header  # parts, not totals
    notes = " ".join(str(v) for r in wb["Hướng dẫn"].iter_rows(values_only=True) for v in r if v)
    assert "Dòng tổng" in notes and "Ví dụ" in notes
    ws = wb[DATA_SHEET]
    ws.append(row(school.code, "2025-2026", cls_1=4, room_solid=6, room_temp=1))
    buf = io.BytesIO()
    wb.save(buf)
    response = upload(client, school, SimpleUploadedFile("mau.xlsx", buf.getvalue()))
    assert response.status_code == 200, response.context.get("errors_shown")
    confirm(client, school, response)
    values = SchoolYearData.objects.get(school_year="2025-2026").values
    assert yeardata.schema_for("TH").value(values, "room_total") == 7


def test_a_school_of_another_kind_needs_its_own_template(client, make_user, school, commune):
    other = School.objects.create(code="LC-MN-01", name="Trường MN", kind="MN", unit=commune)
    user = make_user(Role.PRINCIPAL, school=school)
    Membership.objects.create(user=user, school=other, role=Role.PRINCIPAL)
    client.force_login(user)
    response = upload(client, school, xlsx([row(other.code, "2024-2025", cls_1=1)]))
    assert response.status_code == 400
    assert any("bảng số liệu khác" in e for e in response.context["errors_shown"])


@pytest.mark.parametrize("role", [Role.COMMUNE_OFFICER, Role.VIEWER])
def test_who_reads_but_may_not_fill_the_table_gets_403(client, make_user, commune, school, role):
    client.force_login(make_user(role, unit=commune))
    assert client.get(reverse("schools:year_data", args=[school.code])).status_code == 200
    assert client.get(url(school)).status_code == 403
    assert client.get(url(school, "_template")).status_code == 403
    assert upload(client, school, xlsx([row(school.code, "2024-2025")])).status_code == 403
    assert client.post(url(school, "_confirm"), {"token": "x"}).status_code == 403


def test_the_year_data_page_links_to_the_import(client, principal_of, school):
    client.force_login(principal_of)
    page = client.get(reverse("schools:year_data", args=[school.code])).content.decode()
    assert url(school) in page and url(school, "_template") in page


def test_the_spec_refuses_on_its_own(principal_of, school):
    with pytest.raises(ImportRejected):
        SPEC.run_file(
            user=principal_of,
            context=school,
            fileobj=xlsx([row(school.code, "2024-2025", cls_1=-1)]),
        )
    assert not SchoolYearData.objects.exists()
