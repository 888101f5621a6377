import pytest

from accounts.models import Role
from accounts.permissions import has_perm, scope_for

pytestmark = pytest.mark.django_db


def codes(user):
    return set(scope_for(user).schools().values_list("code", flat=True))


def test_province_officer_sees_every_commune_of_the_province(
    province_officer, school, sibling_school, outside_school
):
    assert codes(province_officer) == {school.code, sibling_school.code}


def test_commune_officer_sees_only_the_commune(commune_officer, school, sibling_school):
    assert codes(commune_officer) == {school.code}


def test_principal_sees_only_the_school(principal, school, sibling_school):
    assert codes(principal) == {school.code}
    assert has_perm(principal, "school.edit_contacts", school)


def test_viewer_reads_but_cannot_edit(make_user, province, school):
    viewer = make_user(Role.VIEWER, unit=province)
    assert codes(viewer) == {school.code}
    assert not has_perm(viewer, "school.edit_contacts", school)


def test_it_rejects_outsider(outsider, school):
    assert codes(outsider) == set()
    assert not has_perm(outsider, "school.edit_contacts", school)


def test_user_without_membership_sees_nothing(make_user, school):
    assert codes(make_user()) == set()


def test_superuser_sees_all(superuser, school, outside_school):
    assert codes(superuser) == {school.code, outside_school.code}


def test_units_are_the_membership_subtrees_without_ancestors(
    commune_officer, province_officer, province, commune, sibling_commune
):
    # Breadcrumbs name the province from unit.ancestors(); the scope itself never includes it,
    # so a commune officer cannot list or open the province (can_see_unit agrees).
    assert set(scope_for(commune_officer).units()) == {commune}
    assert not scope_for(commune_officer).can_see_unit(province)
    assert set(scope_for(province_officer).units()) == {province, commune, sibling_commune}


def test_registry_access_by_role(make_user, province, commune, school, superuser):
    def registry(user):
        if has_perm(user, "school.edit", school):
            return "unit"
        return "school" if has_perm(user, "school.edit_contacts", school) else None

    def access(role, **where):
        return registry(make_user(role, **where))

    assert registry(superuser) == "unit"
    assert access(Role.PROVINCE_OFFICER, unit=province) == "unit"
    assert access(Role.COMMUNE_OFFICER, unit=commune) == "unit"
    assert access(Role.PRINCIPAL, school=school) == "school"
    for role in (Role.STAFF, Role.REVIEWER, Role.VIEWER):
        assert access(role, school=school) is None
    assert access(Role.VIEWER, unit=province) is None


def test_staff_still_edit_their_school_outside_the_registry(make_user, school):
    # Other apps (self-assessment, progress reports) let staff work on their school.
    staff = make_user(Role.STAFF, school=school)
    assert has_perm(staff, "monthly.submit", school)
    assert has_perm(staff, "yeardata.edit", school)
