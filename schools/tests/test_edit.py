import pytest
from django.test import Client
from django.urls import reverse

from schools.models import School, SchoolLocation

pytestmark = pytest.mark.django_db


def form_data(school, **changes):
    data = {
        "code": school.code,
        "name": school.name,
        "kind": school.kind,
        "ownership": school.ownership,
        "special_type": school.special_type,
        "managing_body": "UBND xã Phong Thổ",
        "unit": school.unit_id,
        "founded_year": "1998",
        "principal_name": "Lò Văn A",
        "phone": "",
        "email": "",
        "address": "",
        "website": "",
        "note": "",
        "version": school.version,
    }
    data.update(changes)
    return data


def test_commune_officer_edits_a_school(client, commune_officer, school):
    client.force_login(commune_officer)
    response = client.post(reverse("schools:edit", args=[school.code]), form_data(school))
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.principal_name == "Lò Văn A" and school.version == 2


def test_two_officers_cannot_overwrite_each_other(commune_officer, province_officer, school):
    first, second = Client(), Client()
    first.force_login(commune_officer)
    second.force_login(province_officer)
    url = reverse("schools:edit", args=[school.code])
    loaded = form_data(school)  # both opened the form at version 1
    assert first.post(url, {**loaded, "principal_name": "Người thứ nhất"}).status_code == 302
    response = second.post(url, {**loaded, "principal_name": "Người thứ hai"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "đã được người khác cập nhật" in body
    assert "Người thứ hai" in body  # what the second officer typed is kept
    school.refresh_from_db()
    assert school.principal_name == "Người thứ nhất"


def test_failed_form_keeps_what_was_typed(client, commune_officer, school):
    client.force_login(commune_officer)
    response = client.post(
        reverse("schools:edit", args=[school.code]),
        form_data(school, founded_year="1800", principal_name="Giữ nguyên tên này"),
    )
    body = response.content.decode()
    assert "Năm thành lập phải trong khoảng" in body
    assert "Giữ nguyên tên này" in body


def test_moving_a_school_records_its_location_history(
    client, province_officer, school, sibling_commune
):
    client.force_login(province_officer)
    client.post(
        reverse("schools:edit", args=[school.code]), form_data(school, unit=sibling_commune.pk)
    )
    school.refresh_from_db()
    assert school.unit == sibling_commune
    assert SchoolLocation.objects.filter(school=school, unit=sibling_commune).exists()


def test_commune_officer_cannot_move_school_out_of_scope(
    client, commune_officer, school, sibling_commune
):
    client.force_login(commune_officer)
    response = client.post(
        reverse("schools:edit", args=[school.code]), form_data(school, unit=sibling_commune.pk)
    )
    assert response.status_code == 200
    school.refresh_from_db()
    assert school.unit_id != sibling_commune.pk


def test_create_school(client, commune_officer, commune):
    client.force_login(commune_officer)
    blank = School(code="LC-MN-MOI", name="Trường Mầm non Hoa Ban", kind="MN", unit=commune)
    data = form_data(blank, version="")
    response = client.post(reverse("schools:create"), data)
    assert response.status_code == 302
    assert School.objects.get(code="LC-MN-MOI").search_text.startswith("truong mam non hoa ban")


def test_it_rejects_outsider(client, outsider, school):
    client.force_login(outsider)
    assert client.get(reverse("schools:edit", args=[school.code])).status_code == 404
    assert (
        client.post(reverse("schools:edit", args=[school.code]), form_data(school)).status_code
        == 404
    )


def test_read_only_roles_cannot_edit_or_create(client, make_user, province, school):
    viewer = make_user("viewer", unit=province)
    client.force_login(viewer)
    assert client.get(reverse("schools:edit", args=[school.code])).status_code == 404
    assert client.get(reverse("schools:create")).status_code == 404
