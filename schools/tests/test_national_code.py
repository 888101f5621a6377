"""The national database school code (mã trường CSDL ngành): optional, one school per code,
letters and digits only; shown, edited, searched, imported and exported."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from schools.importing import ImportRejected, read_workbook, school_import
from schools.models import School
from schools.tests.test_edit import form_data
from schools.tests.test_import import row, xlsx

pytestmark = pytest.mark.django_db


def test_many_schools_may_have_no_code_but_a_code_belongs_to_one_school(school, sibling_school):
    assert school.national_code == sibling_school.national_code == ""
    School.objects.filter(pk=school.pk).update(national_code="12000101")
    with pytest.raises(IntegrityError), transaction.atomic():
        School.objects.filter(pk=sibling_school.pk).update(national_code="12000101")


def test_the_school_page_shows_the_code(client, commune_officer, school):
    school.national_code = "12000101"
    school.save()
    client.force_login(commune_officer)
    body = client.get(reverse("schools:detail", args=[school.code])).content.decode()
    assert "Mã trường CSDL ngành" in body and "12000101" in body


def test_the_edit_form_sets_the_code_as_a_versioned_edit(client, commune_officer, school):
    client.force_login(commune_officer)
    url = reverse("schools:edit", args=[school.code])
    response = client.post(url, form_data(school, national_code="12000101"))
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.national_code == "12000101" and school.version == 2
    assert school.history.first().national_code == "12000101"


@pytest.mark.parametrize("bad", ["12 000", "12-000", "Mã001", "1" * 21])
def test_the_edit_form_refuses_a_malformed_code_and_keeps_the_input(
    client, commune_officer, school, bad
):
    client.force_login(commune_officer)
    url = reverse("schools:edit", args=[school.code])
    response = client.post(url, form_data(school, national_code=bad, principal_name="Lò Văn B"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "chỉ gồm chữ số và chữ cái không dấu" in body or "tối đa" in body
    assert "Lò Văn B" in body
    school.refresh_from_db()
    assert school.national_code == "" and school.version == 1


def test_the_edit_form_refuses_a_code_of_another_school(
    client, province_officer, school, sibling_school
):
    School.objects.filter(pk=sibling_school.pk).update(national_code="12000101")
    client.force_login(province_officer)
    url = reverse("schools:edit", args=[school.code])
    response = client.post(url, form_data(school, national_code="12000101"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "đã được dùng cho một trường khác" in body
    school.refresh_from_db()
    assert school.national_code == ""


def test_the_search_box_finds_a_school_by_its_code(client, commune_officer, school):
    school.national_code = "12000101"
    school.save()
    client.force_login(commune_officer)
    body = client.get(reverse("schools:list"), {"q": "12000101"}).content.decode()
    assert school.name in body
    assert (
        school.name not in client.get(reverse("schools:list"), {"q": "99999999"}).content.decode()
    )


# --- Excel ----------------------------------------------------------------------------------


def test_import_sets_the_code_and_a_blank_cell_keeps_it(commune_officer, school):
    school_import(
        user=commune_officer,
        rows=read_workbook(xlsx([row(code=school.code, national_code="12000101")])),
    )
    school.refresh_from_db()
    assert school.national_code == "12000101"
    school_import(user=commune_officer, rows=read_workbook(xlsx([row(code=school.code)])))
    school.refresh_from_db()
    assert school.national_code == "12000101"


def test_import_refuses_a_code_used_twice_in_the_file_and_writes_nothing(commune_officer):
    rows = [row(code="A1", national_code="12000101"), row(code="A2", national_code="12000101")]
    with pytest.raises(ImportRejected) as exc:
        school_import(user=commune_officer, rows=read_workbook(xlsx(rows)))
    messages = [str(e) for e in exc.value.plan.errors]
    assert messages == [
        "Dòng 3, cột «Mã trường CSDL ngành»: mã trường CSDL ngành «12000101» trùng với dòng 2."
    ]
    assert School.objects.count() == 0


def test_import_refuses_a_code_another_school_holds(commune_officer, school, sibling_school):
    School.objects.filter(pk=sibling_school.pk).update(national_code="12000101")
    rows = [row(code="NEW-1"), row(code=school.code, national_code="12000101")]
    with pytest.raises(ImportRejected) as exc:
        school_import(user=commune_officer, rows=read_workbook(xlsx(rows)))
    (error,) = exc.value.plan.errors
    # The holder lies outside the commune officer's scope: it is not named.
    assert "ngoài phạm vi quản lý của bạn" in str(error)
    assert sibling_school.name not in str(error)
    assert not School.objects.filter(code="NEW-1").exists()  # all or nothing


def test_import_names_the_holder_the_importer_can_see(province_officer, school, sibling_school):
    School.objects.filter(pk=sibling_school.pk).update(national_code="12000101")
    rows = [row(code=school.code, national_code="12000101")]
    with pytest.raises(ImportRejected) as exc:
        school_import(user=province_officer, rows=read_workbook(xlsx(rows)))
    assert sibling_school.name in str(exc.value.plan.errors[0])


def test_import_may_move_a_code_between_two_schools_of_the_file(
    province_officer, school, sibling_school
):
    School.objects.filter(pk=sibling_school.pk).update(national_code="12000101")
    rows = [
        row(code=school.code, national_code="12000101"),
        row(code=sibling_school.code, national_code="12000102", commune="03571"),
    ]
    school_import(user=province_officer, rows=read_workbook(xlsx(rows)))
    school.refresh_from_db()
    sibling_school.refresh_from_db()
    assert (school.national_code, sibling_school.national_code) == ("12000101", "12000102")


def test_import_refuses_a_malformed_code(commune_officer):
    with pytest.raises(ImportRejected) as exc:
        school_import(
            user=commune_officer, rows=read_workbook(xlsx([row(national_code="12 000/1")]))
        )
    assert "chỉ gồm chữ số và chữ cái không dấu" in str(exc.value.plan.errors[0])


def test_export_carries_the_code_and_imports_back(client, commune_officer, school):
    School.objects.filter(pk=school.pk).update(national_code="0012000101")
    client.force_login(commune_officer)
    response = client.get(reverse("schools:export"))
    data = b"".join(response.streaming_content)
    ws = openpyxl.load_workbook(io.BytesIO(data))["Danh sách trường"]
    header = [c.value for c in ws[1]]
    values = [c.value for c in ws[2]]
    assert values[header.index("Mã trường CSDL ngành")] == "0012000101"  # leading zeros kept
    rows = read_workbook(io.BytesIO(data))
    assert rows[0].values["national_code"] == "0012000101"


def test_the_reference_page_states_the_accepted_format(client, commune_officer):
    client.force_login(commune_officer)
    body = client.get(reverse("frameworks:list")).content.decode()
    assert 'id="national-code-format"' in body and "tối đa 20 ký tự" in body
