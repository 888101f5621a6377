import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_counts_schools_in_scope(
    client, province_officer, school, sibling_school, outside_school
):
    client.force_login(province_officer)
    body = client.get(reverse("home")).content.decode()
    assert "Tỷ lệ đạt chuẩn" in body
    assert '<td class="text-end">2</td>' in body  # total row: two Lai Châu schools


def test_home_of_a_principal_shows_the_school(client, principal, school):
    client.force_login(principal)
    assert school.name in client.get(reverse("home")).content.decode()


def test_it_rejects_outsider(client, outsider, school):
    client.force_login(outsider)
    assert school.name not in client.get(reverse("home")).content.decode()


def test_user_without_membership_is_told_to_ask(client, make_user):
    client.force_login(make_user())
    assert "chưa được phân quyền" in client.get(reverse("home")).content.decode()
