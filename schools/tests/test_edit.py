import unicodedata

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from schools import services
from schools.models import School, SchoolLocation, SchoolSite

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
    assert response.status_code == 409  # conflicts answer 409 on every edit form
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
    assert (
        client.get(reverse("schools:edit", args=[school.code])).status_code == 403
    )  # in scope, read-only: 403
    assert client.get(reverse("schools:create")).status_code == 404


# --- Who edits what: the unit keeps the registry entry, the principal the school's own fields --

EDIT_LINK = "Sửa thông tin"


def site_data(*rows, initial=0):
    """The sites formset's POST data: rows of dicts (id, name, address, is_main, DELETE)."""
    data = {
        "sites-TOTAL_FORMS": str(len(rows)),
        "sites-INITIAL_FORMS": str(initial),
        "sites-MIN_NUM_FORMS": "0",
        "sites-MAX_NUM_FORMS": "50",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            if value is True:
                value = "on"
            if value not in (False, None):
                data[f"sites-{i}-{key}"] = value
    return data


def detail_body(client, school) -> str:
    return client.get(reverse("schools:detail", args=[school.code])).content.decode()


def test_commune_officer_sees_every_field_editable(client, commune_officer, school):
    client.force_login(commune_officer)
    assert EDIT_LINK in detail_body(client, school)
    body = client.get(reverse("schools:edit", args=[school.code])).content.decode()
    for name in ("name", "kind", "ownership", "unit", "principal_name", "phone"):
        assert f'name="{name}"' in body
    assert 'id="readonly-note"' not in body


def test_principal_sees_the_edit_link_and_a_form_matching_the_permission(client, principal, school):
    client.force_login(principal)
    assert EDIT_LINK in detail_body(client, school)
    response = client.get(reverse("schools:edit", args=[school.code]))
    assert response.status_code == 200
    body = response.content.decode()
    for name in ("founded_year", "principal_name", "phone", "email", "address", "website"):
        assert f'name="{name}"' in body
    for name in ("code", "name", "kind", "ownership", "special_type", "managing_body", "unit"):
        assert f'name="{name}"' not in body  # shown as text, not as an input
        assert f'data-field="{name}"' in body
    assert 'id="readonly-note"' in body
    assert "Xã Phong Thổ, Lai Châu" in body  # the commune is shown, not an empty list
    assert "Tiểu học" in body


def test_principal_saves_contacts_principal_and_founding_year(client, principal, school):
    client.force_login(principal)
    response = client.post(
        reverse("schools:edit", args=[school.code]),
        form_data(school, phone="0213 3894 123", email="th.huoiluong@laichau.edu.vn"),
    )
    assert response.status_code == 302
    school.refresh_from_db()
    assert (school.principal_name, school.founded_year) == ("Lò Văn A", 1998)
    assert school.phone == "0213 3894 123" and school.email == "th.huoiluong@laichau.edu.vn"
    assert school.version == 2


def test_principal_cannot_change_what_the_managing_unit_keeps(
    client, principal, school, sibling_commune
):
    client.force_login(principal)
    response = client.post(
        reverse("schools:edit", args=[school.code]),
        form_data(
            school,
            code="DOI-MA",
            name="Tên khác",
            kind="THCS",
            ownership="tu_thuc",
            special_type="PTDTNT",
            unit=sibling_commune.pk,
            note="ghi chú của trường",
            principal_name="Lò Văn B",
        ),
    )
    assert response.status_code == 302  # the disabled fields are ignored, the rest is saved
    school.refresh_from_db()
    assert school.code == "LC-TH-HUOILUONG" and school.name == "Trường PTDTBT TH Huổi Luông"
    assert (school.kind, school.ownership, school.special_type) == ("TH", "cong_lap", "")
    assert school.unit_id != sibling_commune.pk and school.note == ""
    assert school.principal_name == "Lò Văn B"
    assert not SchoolLocation.objects.filter(school=school, unit=sibling_commune).exists()


def test_service_refuses_a_principal_changing_a_unit_field(principal, school):
    with pytest.raises(services.NotAllowed, match="«cấp học»"):
        services.school_update(
            user=principal,
            school=school,
            data={"kind": "THCS", "phone": "1"},
            version=school.version,
        )
    school.refresh_from_db()
    assert school.kind == "TH" and school.phone == "" and school.version == 1


@pytest.mark.parametrize(
    "role,where",
    [
        (Role.STAFF, "school"),
        (Role.REVIEWER, "school"),
        (Role.VIEWER, "school"),
        (Role.VIEWER, "unit"),
        (Role.REVIEWER, "unit"),
    ],
)
def test_roles_that_may_not_edit_get_no_link_and_no_form(
    client, make_user, school, commune, role, where
):
    user = make_user(role, **({"school": school} if where == "school" else {"unit": commune}))
    client.force_login(user)
    assert EDIT_LINK not in detail_body(client, school)
    url = reverse("schools:edit", args=[school.code])
    assert client.get(url).status_code == 403  # in scope, not theirs: 403
    assert client.post(url, form_data(school, principal_name="Không được")).status_code == 403
    school.refresh_from_db()
    assert school.principal_name == "" and school.version == 1
    with pytest.raises(services.NotAllowed):
        services.school_update(user=user, school=school, data={"phone": "1"}, version=1)


def test_principal_adds_renames_and_deletes_sites(client, principal, school):
    keep = SchoolSite.objects.create(school=school, name="Điểm trường Nậm Cúm")
    drop = SchoolSite.objects.create(school=school, name="Điểm trường cũ")
    client.force_login(principal)
    data = form_data(school)
    data.update(
        site_data(
            {"id": keep.pk, "name": "Điểm trường Nậm Cúm 2", "address": "Bản Nậm Cúm"},
            {"id": drop.pk, "name": drop.name, "DELETE": True},
            {"name": unicodedata.normalize("NFD", "Điểm trường Huổi Luông"), "is_main": True},
            initial=2,
        )
    )
    response = client.post(reverse("schools:edit", args=[school.code]), data)
    assert response.status_code == 302
    sites = {s.name: s for s in school.sites.all()}
    assert set(sites) == {"Điểm trường Nậm Cúm 2", "Điểm trường Huổi Luông"}
    assert sites["Điểm trường Huổi Luông"].is_main
    assert sites["Điểm trường Nậm Cúm 2"].address == "Bản Nậm Cúm"
    school.refresh_from_db()
    assert school.version == 2


def test_edit_form_lists_the_sites(client, principal, school):
    SchoolSite.objects.create(school=school, name="Điểm trường Nậm Cúm")
    client.force_login(principal)
    body = client.get(reverse("schools:edit", args=[school.code])).content.decode()
    assert 'id="school-sites"' in body and 'value="Điểm trường Nậm Cúm"' in body


def test_only_one_main_site(client, principal, school):
    client.force_login(principal)
    data = form_data(school)
    data.update(site_data({"name": "A", "is_main": True}, {"name": "B", "is_main": True}))
    response = client.post(reverse("schools:edit", args=[school.code]), data)
    assert response.status_code == 200
    assert "Chỉ một điểm trường" in response.content.decode()
    assert not school.sites.exists()


def test_a_site_of_another_school_is_never_touched(client, principal, school, sibling_school):
    foreign = SchoolSite.objects.create(school=sibling_school, name="Điểm trường Dào San")
    with pytest.raises(services.NotAllowed):
        services.school_update(
            user=principal,
            school=school,
            data={},
            version=school.version,
            sites=[services.SiteInput(id=foreign.pk, name="Đổi", delete=True)],
        )
    foreign.refresh_from_db()
    assert foreign.name == "Điểm trường Dào San"
    school.refresh_from_db()
    assert school.version == 1


def test_it_rejects_outsider_creating_a_school_in_another_province(client, outsider, commune):
    # The outsider may add schools to their own commune in Hải Phòng, never to Lai Châu.
    client.force_login(outsider)
    blank = School(code="LC-MN-LENLUT", name="Trường Mầm non Lén Lút", kind="MN", unit=commune)
    response = client.post(reverse("schools:create"), form_data(blank, version=""))
    assert response.status_code == 200
    assert "Xã Phong Thổ" not in response.content.decode()  # not even offered
    assert not School.objects.filter(code="LC-MN-LENLUT").exists()
    with pytest.raises(services.NotAllowed):
        services.school_create(
            user=outsider,
            data={"code": "LC-MN-LENLUT", "name": "X", "kind": "MN", "unit": commune},
        )
    assert not School.objects.filter(code="LC-MN-LENLUT").exists()
