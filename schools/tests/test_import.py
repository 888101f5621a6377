"""Excel import of the school registry: template, preview (writes nothing), confirm (writes
all or nothing), every kind of bad input, scope."""

from __future__ import annotations

import io
import os
import unicodedata

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from accounts.models import Membership, Role
from schools.importing import COLUMNS, ImportFileError, read_workbook
from schools.models import School
from schools.services import ImportRejected, school_import, school_import_file
from schools.views_import import SESSION_KEY

HEADER = [c.label for c in COLUMNS]


def row(**over) -> list:
    values = {
        "code": "LC-MN-PHONGTHO",
        "name": "Trường Mầm non Phong Thổ",
        "kind": "MN",
        "ownership": "Công lập",
        "special_type": "",
        "managing_body": "UBND xã Phong Thổ",
        "commune": "03549",
        "founded_year": 1998,
        "principal_name": "Lò Thị Mai",
        "phone": "0213 3895 123",
        "email": "mnphongtho@laichau.edu.vn",
        "address": "Bản Nậm Cáy, xã Phong Thổ",
        "standard_level": "Mức độ 1",
        "national_code": "",
    }
    values.update(over)
    return [values[c.key] for c in COLUMNS]


def xlsx(rows: list[list], header: list | None = None) -> io.BytesIO:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER if header is None else header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "truong.xlsx"
    return buf


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(client, data: io.BytesIO | bytes, name: str = "truong.xlsx"):
    if isinstance(data, bytes):
        data = io.BytesIO(data)
    data.seek(0)
    data.name = name
    return client.post(reverse("schools:import"), {"file": data})


def pending_files(media) -> list[str]:
    folder = media / "imports"
    return sorted(os.listdir(folder)) if folder.exists() else []


# --- happy path ---------------------------------------------------------------------------


def test_template_lists_columns_values_and_the_users_communes(client, commune_officer):
    client.force_login(commune_officer)
    response = client.get(reverse("schools:import_template"))
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert wb.sheetnames == ["Danh sách trường", "Hướng dẫn", "Mã xã phường"]
    assert [c.value for c in wb["Danh sách trường"][1]] == HEADER
    assert HEADER[0] == "Mã trường*" and HEADER[6] == "Mã xã/phường*"
    help_text = " ".join(
        str(v) for r in wb["Hướng dẫn"].iter_rows(values_only=True) for v in r if v
    )
    for expected in ("TH&THCS", "GDTX", "Công lập", "Dân lập", "PTDTBT", "Mức độ 2", "03549"):
        assert expected in help_text
    codes = list(wb["Mã xã phường"].iter_rows(min_row=2, values_only=True))
    assert codes == [("03549", "Xã Phong Thổ", "Lai Châu")]


def test_preview_writes_nothing_and_confirm_writes_all(client, commune_officer, media):
    client.force_login(commune_officer)
    data = xlsx([row(), row(code="LC-TH-PHONGTHO", name="Trường Tiểu học Phong Thổ", kind="TH")])
    response = upload(client, data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Thêm mới: 2" in content
    assert School.objects.count() == 0
    token = client.session[SESSION_KEY]["token"]
    assert client.session[SESSION_KEY]["name"] == "truong.xlsx"
    assert pending_files(media) == [f"{token}.xlsx"]

    response = client.post(reverse("schools:import_confirm"), {"token": token})
    assert response.status_code == 302
    assert School.objects.count() == 2
    school = School.objects.get(code="LC-MN-PHONGTHO")
    assert school.unit.code == "03549"
    assert school.ownership == "cong_lap"
    assert school.standard_level == 1
    assert school.founded_year == 1998
    assert school.search_text == "truong mam non phong tho lc-mn-phongtho"
    assert school.sort_key  # computed although bulk_create bypasses save()
    assert pending_files(media) == []
    assert SESSION_KEY not in client.session


def test_existing_code_updates_the_school(client, commune_officer, school):
    client.force_login(commune_officer)
    data = xlsx([row(code=school.code, name="Trường PTDTBT Tiểu học Huổi Luông", kind="TH")])
    response = upload(client, data)
    assert "Cập nhật: 1" in response.content.decode()
    client.post(reverse("schools:import_confirm"), {"token": client.session[SESSION_KEY]["token"]})
    school.refresh_from_db()
    assert school.name == "Trường PTDTBT Tiểu học Huổi Luông"
    assert school.version == 2
    assert "huoi luong" in school.search_text
    assert School.objects.count() == 1


def test_a_row_identical_to_the_registry_is_unchanged(commune_officer, school):
    values = row(
        code=school.code,
        name=school.name,
        kind="TH",
        managing_body="",
        founded_year=None,
        principal_name="",
        phone="",
        email="",
        address="",
        standard_level="",
    )
    result = school_import(user=commune_officer, rows=read_workbook(xlsx([values])))
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)


def test_labels_numbers_and_commune_names_are_accepted(province_officer, commune, sibling_commune):
    rows = [
        # Excel drops the leading zero of a code typed as a number.
        row(code="A1", kind="Tiểu học", ownership="cong_lap", commune=3549, standard_level=2),
        row(code="A2", kind="th & thcs", ownership="Tư thục", commune="Xã Dào San, Tỉnh Lai Châu"),
        row(code="A3", special_type="Phổ thông dân tộc bán trú", standard_level="Chưa đạt"),
        row(code="12345678", founded_year="2001"),
    ]
    result = school_import_file(user=province_officer, fileobj=xlsx(rows))
    assert result.created == 4
    a1, a2, a3 = (School.objects.get(code=c) for c in ("A1", "A2", "A3"))
    assert (a1.kind, a1.ownership, a1.unit.code, a1.standard_level) == (
        "TH",
        "cong_lap",
        "03549",
        2,
    )
    assert (a2.kind, a2.ownership, a2.unit) == ("TH&THCS", "tu_thuc", sibling_commune)
    assert (a3.special_type, a3.standard_level) == ("PTDTBT", 0)


def test_decomposed_text_is_stored_nfc_and_trimmed(commune_officer):
    name = unicodedata.normalize("NFD", "  Trường PTDTBT  TH Huổi Luông ")
    assert name != unicodedata.normalize("NFC", name)
    school_import_file(user=commune_officer, fileobj=xlsx([row(name=name)]))
    school = School.objects.get()
    assert school.name == "Trường PTDTBT TH Huổi Luông"
    assert unicodedata.is_normalized("NFC", school.name)
    assert "huoi luong" in school.search_text


def test_cancel_deletes_the_waiting_file(client, commune_officer, media):
    client.force_login(commune_officer)
    upload(client, xlsx([row()]))
    assert len(pending_files(media)) == 1
    client.post(reverse("schools:import_confirm"), {"action": "cancel"})
    assert pending_files(media) == []
    assert School.objects.count() == 0


def test_confirm_with_a_wrong_token_writes_nothing(client, commune_officer):
    client.force_login(commune_officer)
    upload(client, xlsx([row()]))
    response = client.post(reverse("schools:import_confirm"), {"token": "0" * 32})
    assert response.status_code == 302
    assert School.objects.count() == 0


def test_confirm_rechecks_and_writes_nothing_if_the_registry_changed(
    client, commune_officer, other_commune
):
    client.force_login(commune_officer)
    upload(client, xlsx([row(), row(code="TAKEN", name="Trường B")]))
    # Someone elsewhere takes one of the codes between preview and confirm.
    School.objects.create(code="TAKEN", name="Trường khác", kind="TH", unit=other_commune)
    response = client.post(
        reverse("schools:import_confirm"), {"token": client.session[SESSION_KEY]["token"]}
    )
    assert response.status_code == 409
    assert "ngoài phạm vi quản lý" in response.content.decode()
    assert not School.objects.filter(code="LC-MN-PHONGTHO").exists()


# --- bad input: a clear message, zero rows written ----------------------------------------


def random_bytes(size: int) -> bytes:
    return os.urandom(size)


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.mark.parametrize(
    ("make", "name", "message"),
    [
        (lambda: b"ma,ten\nA,B\n", "truong.txt", "Tệp không phải Excel .xlsx hợp lệ"),
        (pdf_bytes, "truong.xlsx", "Tệp không phải Excel .xlsx hợp lệ"),
        (
            lambda: random_bytes(5 * 1024 * 1024),
            "ngau-nhien.xlsx",
            "Tệp không phải Excel .xlsx hợp lệ",
        ),
        (
            lambda: b"PK\x03\x04" + random_bytes(4096),
            "hong.xlsx",
            "Tệp không phải Excel .xlsx hợp lệ",
        ),
        (lambda: b"", "rong.xlsx", "Tệp rỗng"),
        (lambda: xlsx([]).getvalue(), "truong.xlsx", "không có dòng dữ liệu nào"),
        (
            lambda: xlsx([["X", "Y"]], header=["Ma truong", "Ten"]).getvalue(),
            "truong.xlsx",
            "Dòng tiêu đề (dòng 1) không đúng mẫu",
        ),
    ],
    ids=["txt", "pdf-renamed", "random-5mb", "broken-zip", "zero-bytes", "empty", "wrong-header"],
)
def test_unreadable_files_are_refused(client, commune_officer, make, name, message):
    client.force_login(commune_officer)
    response = upload(client, make(), name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert School.objects.count() == 0
    assert SESSION_KEY not in client.session


def test_a_file_over_the_size_limit_is_refused(client, commune_officer, settings):
    settings.IMPORT_MAX_BYTES = 1024
    client.force_login(commune_officer)
    response = upload(client, xlsx([row()] * 5))
    assert response.status_code == 400
    assert "Tệp quá lớn" in response.content.decode()
    assert School.objects.count() == 0


def test_wrong_header_names_the_missing_columns():
    header = [h for h in HEADER if h != "Cấp học*"]
    with pytest.raises(ImportFileError) as exc:
        read_workbook(xlsx([], header=header))
    assert "thiếu cột «Cấp học*»" in str(exc.value)


def test_a_docx_renamed_xlsx_is_refused():
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ImportFileError, match="Tệp không phải Excel .xlsx hợp lệ"):
        read_workbook(buf)


@pytest.mark.parametrize(
    ("over", "expected"),
    [
        ({"code": ""}, "Dòng 3, cột «Mã trường»: không được để trống."),
        ({"code": "X" * 33}, "Dòng 3, cột «Mã trường»: dài quá 32 ký tự."),
        ({"code": "LC TH 01"}, "Dòng 3, cột «Mã trường»: «LC TH 01» có ký tự không hợp lệ"),
        ({"code": "Trường-01"}, "Dòng 3, cột «Mã trường»: «Trường-01» có ký tự không hợp lệ"),
        (
            {"code": "LC-MN-PHONGTHO"},
            "Dòng 3, cột «Mã trường»: mã «LC-MN-PHONGTHO» trùng với dòng 2.",
        ),
        ({"commune": "99999"}, "Dòng 3, cột «Mã xã/phường»: không tìm thấy xã/phường mã 99999."),
        ({"commune": ""}, "Dòng 3, cột «Mã xã/phường»: không được để trống."),
        (
            {"commune": "Xã Không Có, Lai Châu"},
            "Dòng 3, cột «Mã xã/phường»: không tìm thấy xã/phường",
        ),
        ({"kind": "Đại học"}, "Dòng 3, cột «Cấp học»: giá trị «Đại học» không hợp lệ"),
        ({"ownership": "Nhà nước"}, "Dòng 3, cột «Loại hình»: giá trị «Nhà nước» không hợp lệ"),
        ({"special_type": "XYZ"}, "Dòng 3, cột «Loại trường đặc thù»: giá trị «XYZ» không hợp lệ"),
        ({"founded_year": "năm 98"}, "Dòng 3, cột «Năm thành lập»: «năm 98» không phải năm hợp lệ"),
        ({"founded_year": 3020}, "Dòng 3, cột «Năm thành lập»: «3020» không phải năm hợp lệ"),
        ({"email": "mn@@phongtho"}, "Dòng 3, cột «Email»: «mn@@phongtho» không phải địa chỉ email"),
        ({"standard_level": "Mức độ 3"}, "Dòng 3, cột «Chuẩn quốc gia»: «Mức độ 3» không hợp lệ"),
        ({"name": ""}, "Dòng 3, cột «Tên trường»: không được để trống."),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_written(client, commune_officer, over, expected):
    client.force_login(commune_officer)
    defaults = {"code": "LC-TH-02"}
    data = xlsx([row(), row(**{**defaults, **over}), row(code="LC-TH-03")])
    response = upload(client, data)
    assert response.status_code == 400  # a refused file, as every import answers it
    content = response.content.decode()
    assert expected in content
    assert 'name="token"' not in content  # no confirm button
    assert SESSION_KEY not in client.session
    assert School.objects.count() == 0
    # The service refuses the same rows on its own, whoever calls it.
    with pytest.raises(ImportRejected) as exc:
        school_import(user=commune_officer, rows=read_workbook(data))
    assert any(expected in str(e) for e in exc.value.plan.errors)
    assert School.objects.count() == 0


def test_every_error_is_listed_not_only_the_first(commune_officer):
    rows = [row(code=f"C{i}", commune="99999", kind="?") for i in range(30)]
    with pytest.raises(ImportRejected) as exc:
        school_import(user=commune_officer, rows=read_workbook(xlsx(rows)))
    assert len(exc.value.plan.errors) == 60
    assert str(exc.value.plan.errors[-1]).startswith("Dòng 31, cột")


def test_blank_lines_are_skipped_and_rows_keep_their_excel_numbers(commune_officer):
    data = xlsx([row(code="A"), [None] * len(HEADER), row(code="B", commune="99999")])
    with pytest.raises(ImportRejected) as exc:
        school_import(user=commune_officer, rows=read_workbook(data))
    assert [str(e) for e in exc.value.plan.errors] == [
        "Dòng 4, cột «Mã xã/phường»: không tìm thấy xã/phường mã 99999."
    ]


# --- scope ----------------------------------------------------------------------------------


def test_outsider_cannot_import_into_a_commune_outside_scope(client, outsider, commune):
    client.force_login(outsider)
    response = upload(client, xlsx([row(commune="11203", code="OK-1"), row(code="NO-1")]))
    assert (
        "Dòng 3, cột «Mã xã/phường»: xã/phường Xã Phong Thổ (mã 03549) nằm ngoài phạm vi "
        "quản lý của bạn." in response.content.decode()
    )
    assert School.objects.count() == 0


def test_outsider_cannot_update_a_school_outside_scope(outsider, school, other_commune):
    with pytest.raises(ImportRejected) as exc:
        school_import(
            user=outsider, rows=read_workbook(xlsx([row(code=school.code, commune="11203")]))
        )
    assert "ngoài phạm vi quản lý của bạn" in str(exc.value.plan.errors[0])
    school.refresh_from_db()
    assert school.unit.code == "03549"


def test_being_principal_does_not_let_an_importer_rewrite_the_school(
    outsider, school, other_commune
):
    # An officer elsewhere who is also the school's principal keeps only the principal's
    # fields (schools.services.SCHOOL_FIELDS); an import rewrites every field, so it is refused.
    Membership.objects.create(user=outsider, school=school, role=Role.PRINCIPAL)
    with pytest.raises(ImportRejected) as exc:
        school_import(
            user=outsider, rows=read_workbook(xlsx([row(code=school.code, commune="11203")]))
        )
    assert "ngoài phạm vi quản lý của bạn" in str(exc.value.plan.errors[0])
    school.refresh_from_db()
    assert school.unit.code == "03549" and school.name == "Trường PTDTBT TH Huổi Luông"


def test_commune_officer_cannot_import_into_a_sibling_commune(commune_officer, sibling_commune):
    with pytest.raises(ImportRejected):
        school_import(user=commune_officer, rows=read_workbook(xlsx([row(commune="03571")])))
    assert School.objects.count() == 0


def test_superuser_imports_anywhere(superuser, commune, other_commune):
    result = school_import_file(
        user=superuser, fileobj=xlsx([row(code="A"), row(code="B", commune="11203")])
    )
    assert result.created == 2


@pytest.mark.parametrize("role", [Role.PRINCIPAL, Role.STAFF, Role.VIEWER, Role.REVIEWER, None])
def test_users_without_an_editing_unit_role_get_404(client, make_user, school, commune, role):
    if role in (Role.PRINCIPAL, Role.STAFF):
        user = make_user(role, school=school)
    elif role is None:
        user = make_user()
    else:
        user = make_user(role, unit=commune)
    client.force_login(user)
    assert client.get(reverse("schools:import")).status_code == 404
    assert client.get(reverse("schools:import_template")).status_code == 404
    assert upload(client, xlsx([row()])).status_code == 404
    assert client.post(reverse("schools:import_confirm"), {"token": "x"}).status_code == 404
    assert School.objects.count() == 1


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("schools:import"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_another_users_waiting_file_cannot_be_confirmed(
    client, commune_officer, make_user, commune
):
    client.force_login(commune_officer)
    upload(client, xlsx([row()]))
    token = client.session[SESSION_KEY]["token"]
    other = make_user(Role.COMMUNE_OFFICER, unit=commune)
    client.force_login(other)  # a new session: the token is not there
    client.post(reverse("schools:import_confirm"), {"token": token})
    assert School.objects.count() == 0


def test_upload_page_shows_form_and_template_link(client, province_officer):
    client.force_login(province_officer)
    response = client.get(reverse("schools:import"))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'type="file"' in content
    assert reverse("schools:import_template") in content


def test_waiting_file_lives_in_default_storage(client, commune_officer):
    client.force_login(commune_officer)
    upload(client, xlsx([row()]))
    path = client.session[SESSION_KEY]["path"]
    assert path.startswith("imports/") and path.endswith(".xlsx")
    assert default_storage.exists(path)


def test_stale_waiting_files_are_purged_on_the_next_upload(client, commune_officer, media):
    (media / "imports").mkdir()
    stale = media / "imports" / "old.xlsx"
    stale.write_bytes(b"x")
    os.utime(stale, (0, 0))
    client.force_login(commune_officer)
    upload(client, xlsx([row()]))
    assert not stale.exists()
    assert len(pending_files(media)) == 1
