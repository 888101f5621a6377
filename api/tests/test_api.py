import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anonymous_gets_401(client, school):
    assert client.get(reverse("api:school_list")).status_code == 401
    assert client.get(reverse("api:school_detail", args=[school.code])).status_code == 401


def test_school_list_is_scoped_and_searchable(client, commune_officer, school, outside_school):
    client.force_login(commune_officer)
    data = client.get(reverse("api:school_list"), {"q": "huoi luong"}).json()
    assert [s["code"] for s in data["results"]] == [school.code]
    assert client.get(reverse("api:school_list")).json()["count"] == 1


def test_school_detail(client, principal, school):
    client.force_login(principal)
    data = client.get(reverse("api:school_detail", args=[school.code])).json()
    assert data["name"] == school.name and data["province"]["uid"] == "P12"


def test_it_rejects_outsider(client, outsider, school, commune):
    client.force_login(outsider)
    assert client.get(reverse("api:school_detail", args=[school.code])).status_code == 404
    assert client.get(reverse("api:unit_detail", args=[commune.uid])).status_code == 404
    assert client.get(reverse("api:school_list")).json()["count"] == 0


def test_unit_detail_counts_visible_schools(client, province_officer, province, school):
    client.force_login(province_officer)
    data = client.get(reverse("api:unit_detail", args=[province.uid])).json()
    assert {"uid": "W03549", "name": "Xã Phong Thổ", "school_count": 1} in data["children"]


def test_api_is_read_only(client, superuser, school):
    client.force_login(superuser)
    assert client.post(reverse("api:school_list")).status_code == 405


def test_me_names_the_caller_and_their_seats(client, principal, django_assert_max_num_queries):
    client.force_login(principal)
    with django_assert_max_num_queries(3):  # session, user, the seats
        data = client.get("/api/me/").json()
    assert data["username"] == principal.username and data["seats"] == 1
    assert client.post("/api/me/").status_code == 405
