"""The one import pipeline (core.imports): the cell parsers, and the same answers from all five
imports for what the flow owns — size limit, wrong or damaged files (400 with a Vietnamese
message, never 500), the template generated from the spec, a foreign token."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
import zipfile
from dataclasses import dataclass

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from core.imports import CellError, Column, RawRow, choice, date, integer, text
from core.imports.reading import parse_cells
from evidence.tests.conftest import load_framework, make_assessment
from programme.models import ProgrammePlan

# --- parsers --------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def vietnamese():
    # Messages are gettext'd when raised; another test may have left English active.
    with translation.override("vi"):
        yield


@pytest.mark.parametrize(
    "value",
    ["05/09/2025", "5/9/2025", "05.09.2025", "05-09-2025", "2025-09-05", dt.datetime(2025, 9, 5)],
)
def test_a_date_is_read_in_every_vietnamese_format(value):
    assert date()(value) == dt.date(2025, 9, 5)


@pytest.mark.parametrize("value", ["31/02/2025", "tháng 9", "2025/09/05"])
def test_an_impossible_date_is_refused_in_vietnamese(value):
    with pytest.raises(CellError, match="không phải ngày hợp lệ"):
        date()(value)


def test_integers_accept_vietnamese_thousands_and_number_cells():
    parse = integer(0, 100_000)
    assert parse("1.250") == 1250
    assert parse(12.0) == 12
    assert parse(" 7 ") == 7
    with pytest.raises(CellError, match="không phải số nguyên"):
        parse("7,5")
    with pytest.raises(CellError, match="ngoài khoảng"):
        parse(100_001)


def test_a_choice_is_found_by_code_or_label_without_accents():
    parse = choice([("cong_lap", "Công lập"), ("tu_thuc", "Tư thục")])
    assert parse("Công lập") == parse("cong lap") == parse("CONG_LAP") == "cong_lap"
    with pytest.raises(CellError, match="«Nhà nước» không hợp lệ"):
        parse("Nhà nước")


def test_text_is_stored_nfc_with_spaces_collapsed():
    decomposed = unicodedata.normalize("NFD", "Huổi  Luông\n")
    assert text()(decomposed) == "Huổi Luông"
    with pytest.raises(CellError, match="dài quá 3 ký tự"):
        text(3)("Huổi")


def test_a_blank_required_cell_is_named_by_row_and_column():
    columns = (Column("a", "Cột A", True, parse=text()), Column("b", "Cột B", parse=integer()))
    data, errors = parse_cells(RawRow(7, {"a": " ", "b": "x"}), columns)
    assert data == {"a": None, "b": None}
    assert [str(e) for e in errors] == [
        "Dòng 7, cột «Cột A»: không được để trống.",
        "Dòng 7, cột «Cột B»: «x» không phải số nguyên.",
    ]


# --- the five imports answer alike ---------------------------------------------------------


@dataclass(frozen=True)
class Import:
    url_name: str
    user: str  # fixture name
    target: str = ""  # fixture giving the URL's object


IMPORTS = [
    Import("schools:import", "commune_officer"),
    Import("programme:import", "province_officer"),
    Import("evidence:import", "principal", "assessment"),
    Import("programme:plan_targets_import", "commune_officer", "plan"),
    Import("schools:year_data_import", "principal", "school"),
    Import("accounts:people_import", "principal"),
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def assessment(school):
    return make_assessment(school, load_framework("TT17-2018"))


@pytest.fixture
def plan(commune):
    return ProgrammePlan.objects.create(
        unit=commune,
        kind="ke_hoach",
        issuing_body="UBND xã Phong Thổ",
        title="Kế hoạch",
        start_year=2025,
        end_year=2027,
    )


def _kwargs(imp: Import, request) -> dict:
    if not imp.target:
        return {}
    obj = request.getfixturevalue(imp.target)
    if imp.target == "assessment":
        return {"assessment_id": obj.pk}
    if imp.target == "school":
        return {"code": obj.code}
    return {"pk": obj.pk}


def _login(client, imp: Import, request):
    user = request.getfixturevalue(imp.user)
    client.force_login(user)
    return user


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def _broken_xlsx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<not-closed")
    return buf.getvalue()


BAD_FILES = {
    "empty": (b"", "rỗng"),
    "pdf": (b"%PDF-1.4 x", "không phải Excel"),
    "xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, ".xls"),
    "docx": (_docx(), "không phải Excel"),
    "damaged": (_broken_xlsx(), "không phải Excel"),
    "no-header": (b"", "trống"),
}


def _upload(client, url: str, content: bytes, name: str = "tep.xlsx"):
    f = io.BytesIO(content)
    f.name = name
    return client.post(url, {"file": f})


def _empty_sheet() -> bytes:
    buf = io.BytesIO()
    openpyxl.Workbook().save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("imp", IMPORTS, ids=lambda i: i.url_name)
@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_every_import_refuses_a_bad_file_with_400(client, request, imp, case):
    _login(client, imp, request)
    url = reverse(imp.url_name, kwargs=_kwargs(imp, request))
    content, message = BAD_FILES[case]
    if case == "no-header":
        content = _empty_sheet()
    response = _upload(client, url, content)
    assert response.status_code == 400
    assert message in response.context["file_error"]
    assert "token" not in response.context


@pytest.mark.parametrize("imp", IMPORTS, ids=lambda i: i.url_name)
def test_every_import_keeps_the_size_limit(client, request, imp, settings):
    settings.IMPORT_MAX_BYTES = 1024
    _login(client, imp, request)
    url = reverse(imp.url_name, kwargs=_kwargs(imp, request))
    response = _upload(client, url, b"PK\x03\x04" + b"\0" * 2048)
    assert response.status_code == 400
    assert "Tệp quá lớn" in response.context["file_error"]
    response = client.post(url, {})
    assert response.status_code == 400
    assert "Hãy chọn một tệp" in response.context["file_error"]


@pytest.mark.parametrize("imp", IMPORTS, ids=lambda i: i.url_name)
def test_every_template_is_generated_from_its_spec(client, request, imp):
    _login(client, imp, request)
    kwargs = _kwargs(imp, request)
    page = client.get(reverse(imp.url_name, kwargs=kwargs))
    assert page.status_code == 200
    spec = page.context["spec"]
    template_url = reverse(f"{imp.url_name}_template", kwargs=kwargs)
    assert template_url in page.content.decode()
    response = client.get(template_url)
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert wb.sheetnames[:2] == [spec.data_sheet, spec.help_sheet]
    context = page.context.get("assessment") or _target(request, imp)
    labels = [c.label for c in spec.template_columns(context)]
    assert [c.value for c in wb[spec.data_sheet][1]] == labels
    notes = [r for r in wb[spec.help_sheet].iter_rows(values_only=True)]
    assert ("Cột", "Bắt buộc", "Cách ghi", "Ví dụ") in notes
    # Nothing to delete before filling it in: the example row is on the notes sheet.
    data_rows = wb[spec.data_sheet].iter_rows(min_row=2, values_only=True)
    assert all(v is None for r in data_rows for v in r)


def _target(request, imp: Import):
    return request.getfixturevalue(imp.target) if imp.target else None


@pytest.mark.parametrize("imp", IMPORTS, ids=lambda i: i.url_name)
def test_a_foreign_token_writes_nothing_and_sends_back_to_the_upload(client, request, imp):
    _login(client, imp, request)
    kwargs = _kwargs(imp, request)
    response = client.post(reverse(f"{imp.url_name}_confirm", kwargs=kwargs), {"token": "x"})
    assert response.status_code == 302
    assert response["Location"] == reverse(imp.url_name, kwargs=kwargs)


@pytest.mark.parametrize("imp", IMPORTS, ids=lambda i: i.url_name)
def test_anonymous_is_sent_to_login(client, request, imp):
    url = reverse(imp.url_name, kwargs=_kwargs(imp, request))
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_waiting_file_cannot_be_confirmed_into_another_object(
    client, commune_officer, commune, school
):
    """The session remembers which plan the preview was for."""
    plans = [
        ProgrammePlan.objects.create(
            unit=commune,
            kind="ke_hoach",
            issuing_body="UBND",
            title=f"Kế hoạch {i}",
            start_year=2025,
            end_year=2027,
        )
        for i in range(2)
    ]
    client.force_login(commune_officer)
    wb = openpyxl.Workbook()
    wb.active.title = "Chỉ tiêu của trường"
    wb.active.append(["Mã trường*", "Năm", "Chỉ tiêu*", "Ghi chú"])
    wb.active.append([school.code, 2026, "Duy trì chuẩn", ""])
    buf = io.BytesIO()
    wb.save(buf)
    url = reverse("programme:plan_targets_import", kwargs={"pk": plans[0].pk})
    token = _upload(client, url, buf.getvalue()).context["token"]
    other = reverse("programme:plan_targets_import_confirm", kwargs={"pk": plans[1].pk})
    client.post(other, {"token": token})
    assert not plans[1].school_targets.exists() and not plans[0].school_targets.exists()
