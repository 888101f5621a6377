"""Django admin is for superusers only: officers, even flagged is_staff, are sent to the admin
login page and see no data."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "admin:index",
    "admin:schools_school_changelist",
    "admin:accounts_membership_changelist",
    "admin:units_adminunit_changelist",
]


def _refused(client, school) -> None:
    for name in ADMIN_PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("admin:login")), name
    page = client.get(reverse("admin:schools_school_change", args=[school.pk]), follow=True)
    body = page.content.decode()
    assert school.name not in body and school.code not in body
    response = client.post(
        reverse("admin:schools_school_change", args=[school.pk]), {"name": "Đổi qua admin"}
    )
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.name == "Trường PTDTBT TH Huổi Luông"


def test_it_rejects_officers_from_admin(client, province_officer, school):
    client.force_login(province_officer)
    _refused(client, school)


def test_it_rejects_staff_flagged_non_superusers_from_admin(client, principal, school):
    principal.is_staff = True
    principal.save()
    client.force_login(principal)
    _refused(client, school)


def test_it_rejects_outsider_from_admin(client, outsider, school):
    client.force_login(outsider)
    _refused(client, school)


def test_superuser_uses_admin(client, superuser, school):
    client.force_login(superuser)
    response = client.get(reverse("admin:schools_school_changelist"))
    assert response.status_code == 200 and school.code in response.content.decode()
