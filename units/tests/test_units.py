import datetime as dt

import pytest
from django.urls import reverse

from schools.models import SchoolLocation
from units.models import AdminUnit
from units.services import units_load_current

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_district(province, commune):
    district = AdminUnit.objects.create(
        uid="HD105",
        code="105",
        name="Huyện Phong Thổ",
        division_type="huyện",
        parent=province,
        valid_to=dt.date(2025, 7, 1),
    )
    district.successors.set([commune])
    return district


def test_it_loads_34_provinces_and_3321_communes():
    provinces, communes = units_load_current()
    assert (provinces, communes) == (34, 3321)
    assert AdminUnit.objects.get(uid="W03549").path == "/P12/W03549/"
    assert AdminUnit.objects.get(uid="P12").name == "Tỉnh Lai Châu"
    # Loading again keeps ids (memberships and schools stay attached).
    first_id = AdminUnit.objects.get(uid="W03549").pk
    units_load_current()
    assert AdminUnit.objects.get(uid="W03549").pk == first_id
    assert AdminUnit.objects.count() == 34 + 3321


def test_school_found_in_its_historical_district(client, province_officer, school, old_district):
    SchoolLocation.objects.create(school=school, unit=old_district, valid_to=dt.date(2025, 7, 1))
    client.force_login(province_officer)
    url = reverse("units:detail", args=[old_district.uid])
    assert school.name in client.get(url, {"on": "2018-09-05"}).content.decode()
    # After the reform the district holds nothing.
    assert school.name not in client.get(url, {"on": "2025-09-05"}).content.decode()


def test_unit_list_searches_without_accents(client, province_officer, commune, sibling_commune):
    client.force_login(province_officer)
    page = client.get(reverse("units:list"), {"q": "dao san"}).content.decode()
    assert "Xã Dào San" in page and "Xã Phong Thổ" not in page


def test_retired_units_listed_on_request(client, province_officer, old_district):
    client.force_login(province_officer)
    assert "Huyện Phong Thổ" not in client.get(reverse("units:list")).content.decode()
    page = client.get(reverse("units:list"), {"retired": "1"}).content.decode()
    assert "Huyện Phong Thổ" in page


def test_retired_province_visible_through_successor(client, make_user, other_province):
    old = AdminUnit.objects.create(
        uid="HP30",
        code="30",
        name="Tỉnh Hải Dương",
        division_type="tỉnh",
        valid_to=dt.date(2025, 7, 1),
    )
    old.successors.set([other_province])
    officer = make_user("province_officer", unit=other_province)
    client.force_login(officer)
    assert client.get(reverse("units:detail", args=["HP30"])).status_code == 200


def test_it_rejects_outsider(client, outsider, commune, old_district):
    client.force_login(outsider)
    assert client.get(reverse("units:detail", args=[commune.uid])).status_code == 404
    assert client.get(reverse("units:detail", args=[old_district.uid])).status_code == 404
    assert "Xã Phong Thổ" not in client.get(reverse("units:list")).content.decode()


def test_commune_officer_cannot_open_province_siblings(client, commune_officer, sibling_commune):
    client.force_login(commune_officer)
    assert client.get(reverse("units:detail", args=[sibling_commune.uid])).status_code == 404


def test_retired_unit_children_count_their_former_schools(
    client, province_officer, school, old_district
):
    old_commune = AdminUnit.objects.create(
        uid="HW03550",
        code="03550",
        name="Xã Huổi Luông",
        division_type="xã",
        parent=old_district,
        valid_to=dt.date(2025, 7, 1),
    )
    SchoolLocation.objects.create(school=school, unit=old_commune, valid_to=dt.date(2025, 7, 1))
    client.force_login(province_officer)
    response = client.get(reverse("units:detail", args=[old_district.uid]))
    counts = {c.uid: c.school_count for c in response.context["children"]}
    assert counts == {"HW03550": 1}
