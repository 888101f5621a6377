"""The permission table (accounts.permissions): the three wrong grants of issue 18 are refused,
the managing level follows the school kind and its setting, recognition recorders stay a
setting, and the table is complete and documented."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts import permissions
from accounts.models import Role
from accounts.permissions import ACTIONS, RELATIONS, STATES, has_perm, schools_where
from assessments import services
from assessments.models import Status
from frameworks.services import framework_load_dir
from programme.models import InvestmentProject
from schools.models import School

pytestmark = pytest.mark.django_db


@pytest.fixture
def thpt(commune) -> School:
    return School.objects.create(
        code="LC-THPT-PHONGTHO", name="Trường THPT Phong Thổ", kind="THPT", unit=commune
    )


@pytest.fixture
def thpt_principal(make_user, thpt):
    return make_user(Role.PRINCIPAL, school=thpt, username="ht_thpt")


def _submitted(principal, school):
    framework_load_dir()
    a = services.assessment_start(
        user=principal, school=school, school_year="2024-2025", on_date=dt.date(2024, 10, 1)
    ).assessment
    services.assessment_submit(user=principal, assessment=a)
    a.refresh_from_db()
    return a


# --- 1. A commune officer no longer accepts or returns a THPT school's self-assessment -------


def test_a_commune_officer_cannot_accept_or_return_a_thpt_assessment(
    thpt, thpt_principal, commune_officer, province_officer
):
    a = _submitted(thpt_principal, thpt)
    assert not has_perm(commune_officer, "assessment.accept", a)
    assert not has_perm(commune_officer, "assessment.return", a)
    with pytest.raises(services.NotAllowed):
        services.assessment_accept(user=commune_officer, assessment=a)
    with pytest.raises(services.NotAllowed):
        services.assessment_return(user=commune_officer, assessment=a, reason="Sửa lại")
    # The Sở manages THPT: the province officer accepts.
    assert has_perm(province_officer, "assessment.accept", a)
    services.assessment_accept(user=province_officer, assessment=a)


def test_the_commune_officer_posting_accept_on_a_thpt_assessment_gets_403(
    client, thpt, thpt_principal, commune_officer
):
    a = _submitted(thpt_principal, thpt)
    client.force_login(commune_officer)
    response = client.post(reverse("assessments:accept", args=[a.pk]))
    assert response.status_code == 403
    a.refresh_from_db()
    assert a.status == Status.SUBMITTED


def test_a_commune_officer_still_accepts_a_primary_school_assessment(
    school, principal, commune_officer
):
    a = _submitted(principal, school)
    assert has_perm(commune_officer, "assessment.accept", a)
    services.assessment_accept(user=commune_officer, assessment=a)


def test_the_managing_level_is_a_setting(settings, school, principal, commune_officer):
    a = _submitted(principal, school)
    settings.MANAGING_LEVEL_BY_KIND = {
        **permissions.DEFAULT_MANAGING_LEVEL_BY_KIND,
        "TH": "province",
    }
    assert not has_perm(commune_officer, "assessment.accept", a)
    settings.MANAGING_LEVEL_BY_KIND = {
        **permissions.DEFAULT_MANAGING_LEVEL_BY_KIND,
        "THPT": "commune",
    }
    assert has_perm(commune_officer, "assessment.accept", a)


# --- 2. A teacher no longer changes an investment project ------------------------------------


def test_a_teacher_cannot_change_an_investment_project(client, make_user, school):
    teacher = make_user(Role.STAFF, school=school, username="gv_dautu")
    project = InvestmentProject.objects.create(
        unit=school.unit,
        school=school,
        name="Nhà lớp học",
        category="xay_dung_moi",
        total_million=Decimal("850"),
        year=2025,
    )
    assert not has_perm(teacher, "investment.edit", project)
    client.force_login(teacher)
    url = reverse("programme:investment_edit", args=[project.pk])
    assert client.get(url).status_code == 403
    response = client.post(
        url,
        {
            "school": school.code,
            "name": "Nhà lớp học",
            "category": "xay_dung_moi",
            "total_million": "999999",
            "year": "2025",
            "progress_percent": "0",
            "funding_source": "",
            "version": str(project.version),
        },
    )
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.total_million == Decimal("850")


def test_the_principal_and_the_commune_still_keep_the_schools_projects(
    principal, commune_officer, school
):
    project = InvestmentProject.objects.create(
        unit=school.unit,
        school=school,
        name="Sân trường",
        category="xay_dung_moi",
        year=2025,
        total_million=Decimal("10"),
    )
    assert has_perm(principal, "investment.edit", project)
    assert has_perm(commune_officer, "investment.edit", project)


# --- 3. A principal alone no longer reopens an accepted self-assessment ---------------------


def test_a_principal_cannot_reopen_an_accepted_assessment(
    client, school, principal, commune_officer
):
    a = _submitted(principal, school)
    services.assessment_accept(user=commune_officer, assessment=a)
    a.refresh_from_db()
    assert not has_perm(principal, "assessment.reopen", a)
    with pytest.raises(services.NotAllowed):
        services.assessment_unlock(user=principal, assessment=a, reason="Sửa số liệu")
    client.force_login(principal)
    response = client.post(reverse("assessments:unlock", args=[a.pk]), {"reason": "Sửa"})
    assert response.status_code == 403
    a.refresh_from_db()
    assert a.status == Status.ACCEPTED and a.locked


def test_the_managing_unit_reopens_an_accepted_assessment(school, principal, commune_officer):
    a = _submitted(principal, school)
    services.assessment_accept(user=commune_officer, assessment=a)
    a.refresh_from_db()
    assert has_perm(commune_officer, "assessment.reopen", a)
    services.assessment_unlock(user=commune_officer, assessment=a, reason="Sở yêu cầu sửa")
    a.refresh_from_db()
    assert a.status == Status.DRAFT


def test_the_principal_still_reopens_a_submitted_assessment(school, principal):
    a = _submitted(principal, school)
    assert has_perm(principal, "assessment.reopen", a)
    services.assessment_unlock(user=principal, assessment=a, reason="Quên minh chứng")


# --- The table ----------------------------------------------------------------------------


def test_every_grant_names_a_known_relation_state_and_role():
    roles = {r.value for r in Role}
    for name, action in ACTIONS.items():
        assert "." in name
        for grant in action.grants:
            assert grant.relation in RELATIONS, name
            assert not grant.state or grant.state in STATES, name
            assert grant.role_set() <= roles, name


def test_an_unknown_action_is_an_error(principal):
    with pytest.raises(KeyError):
        has_perm(principal, "school.destroy")


def test_superusers_hold_every_action_and_nobody_else_reaches_the_admin(
    superuser, principal, province_officer, school
):
    for name in ACTIONS:
        assert has_perm(superuser, name) or ACTIONS[name].objects
    assert has_perm(superuser, "school.edit", school)
    assert not has_perm(principal, "admin.access")
    assert not has_perm(province_officer, "admin.access")


def test_anonymous_holds_nothing(school):
    from django.contrib.auth.models import AnonymousUser

    assert not any(has_perm(AnonymousUser(), name, school) for name in ("school.view",))


def test_recognition_recorders_stay_a_setting(settings, commune_officer, province_officer, school):
    assert has_perm(commune_officer, "recognition.record", school)
    settings.RECOGNITION_RECORDERS = ["province_officer"]
    assert not has_perm(commune_officer, "recognition.record", school)
    assert has_perm(province_officer, "recognition.record", school)
    assert list(schools_where(commune_officer, "recognition.record")) == []


def test_an_officer_of_another_province_holds_nothing_here(outsider, school):
    for name, action in ACTIONS.items():
        if "School" in action.objects:
            assert not has_perm(outsider, name, school), name


def test_schools_where_follows_the_managing_level(thpt, school, commune_officer, province_officer):
    assert set(schools_where(commune_officer, "assessment.accept")) == {school}
    assert set(schools_where(province_officer, "assessment.accept")) == {school, thpt}


def test_the_committed_permissions_doc_is_up_to_date(tmp_path):
    out = tmp_path / "permissions.md"
    call_command("permissions_doc", output=str(out))
    committed = (permissions.DOC_PATH).read_text(encoding="utf-8")
    assert out.read_text(encoding="utf-8") == committed, (
        "docs/permissions.md is stale: run `manage.py permissions_doc`"
    )
