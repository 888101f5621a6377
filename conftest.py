"""Fixtures shared by every app's tests: a tiny map (two provinces, three communes), schools in
it, and users holding each kind of membership."""

from __future__ import annotations

import pytest
from django.utils import translation

from accounts.models import Membership, Role
from schools.models import School
from units.models import AdminUnit


@pytest.fixture(autouse=True)
def vietnamese_first():
    """Each test starts in Vietnamese, the default: a request in English (cookie or
    Accept-Language) leaves its language active on the thread, and the next test in the same
    worker would otherwise read English messages from services it calls directly."""
    with translation.override("vi"):
        yield


@pytest.fixture
def immediate_tasks(settings):
    """Tasks run where they are enqueued (the worker's job, done in the test)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def province(db) -> AdminUnit:
    return AdminUnit.objects.create(uid="P12", code="12", name="Lai Châu", division_type="tỉnh")


@pytest.fixture
def other_province(db) -> AdminUnit:
    return AdminUnit.objects.create(
        uid="P31", code="31", name="Thành phố Hải Phòng", division_type="thành phố trung ương"
    )


@pytest.fixture
def commune(province) -> AdminUnit:
    return AdminUnit.objects.create(
        uid="W03549", code="03549", name="Xã Phong Thổ", division_type="xã", parent=province
    )


@pytest.fixture
def sibling_commune(province) -> AdminUnit:
    return AdminUnit.objects.create(
        uid="W03571", code="03571", name="Xã Dào San", division_type="xã", parent=province
    )


@pytest.fixture
def other_commune(other_province) -> AdminUnit:
    return AdminUnit.objects.create(
        uid="W11203", code="11203", name="Xã Ninh Giang", division_type="xã", parent=other_province
    )


@pytest.fixture
def school(commune) -> School:
    return School.objects.create(
        code="LC-TH-HUOILUONG", name="Trường PTDTBT TH Huổi Luông", kind="TH", unit=commune
    )


@pytest.fixture
def sibling_school(sibling_commune) -> School:
    return School.objects.create(
        code="LC-THCS-DAOSAN", name="Trường PTDTBT THCS Dào San", kind="THCS", unit=sibling_commune
    )


@pytest.fixture
def outside_school(other_commune) -> School:
    return School.objects.create(
        code="HP-THCS-NINHGIANG", name="Trường THCS Ninh Giang", kind="THCS", unit=other_commune
    )


@pytest.fixture
def make_user(db, django_user_model):
    """make_user(role, unit=None, school=None, username=None) -> user with that membership."""

    def make(role: str | None = None, *, unit=None, school=None, username=None, **extra):
        count = django_user_model.objects.count()
        user = django_user_model.objects.create_user(
            username=username or f"user{count + 1}", password="Mat-khau-2025!", **extra
        )
        if role:
            Membership.objects.create(user=user, role=role, unit=unit, school=school)
        return user

    return make


@pytest.fixture
def province_officer(make_user, province):
    return make_user(Role.PROVINCE_OFFICER, unit=province, username="so_laichau")


@pytest.fixture
def commune_officer(make_user, commune):
    return make_user(Role.COMMUNE_OFFICER, unit=commune, username="xa_phongtho")


@pytest.fixture
def principal(make_user, school):
    return make_user(Role.PRINCIPAL, school=school, username="ht_huoiluong")


@pytest.fixture
def outsider(make_user, other_commune):
    """A commune officer of another province: must see none of Lai Châu."""
    return make_user(Role.COMMUNE_OFFICER, unit=other_commune, username="xa_ninhgiang")


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser("admin", "admin@example.org", "Admin-2025!")
