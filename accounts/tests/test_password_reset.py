"""A manager resets someone's password (issue 14 §1): whoever may edit the account, never above
their role or outside their scope; by a set-up link mailed by the worker, or a temporary
password shown once; the person must choose their own at the next login; audited."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts import services
from accounts.models import Membership, Profile, Role
from core.models import AuditEvent

pytestmark = pytest.mark.django_db
User = get_user_model()
OLD = "Mat-khau-2025!"  # conftest.make_user's password


@pytest.fixture
def so_admin(make_user, province):
    user = make_user(username="so_admin")
    Membership.objects.create(user=user, role=Role.PROVINCE_OFFICER, unit=province, is_admin=True)
    return user


@pytest.fixture
def xa_admin(make_user, commune):
    user = make_user(username="xa_admin")
    Membership.objects.create(user=user, role=Role.COMMUNE_OFFICER, unit=commune, is_admin=True)
    return user


@pytest.fixture
def outside_admin(make_user, other_province):
    user = make_user(username="so_haiphong")
    Membership.objects.create(
        user=user, role=Role.PROVINCE_OFFICER, unit=other_province, is_admin=True
    )
    return user


@pytest.fixture
def teacher(make_user, school):
    return make_user(Role.STAFF, school=school, username="gv_huoiluong", email="gv@hl.example")


def _password_of(person) -> str:
    return User.objects.get(pk=person.pk).password


# --- the service -----------------------------------------------------------------------------


def test_a_temporary_password_replaces_the_old_one_and_must_be_changed(xa_admin, principal):
    reset = services.account_password_reset(
        user=xa_admin, person=principal, how=services.RESET_BY_PASSWORD
    )
    principal.refresh_from_db()
    assert reset.password and not reset.mailed_to
    assert principal.check_password(reset.password) and not principal.check_password(OLD)
    assert Profile.objects.get(user=principal).must_change_password


def test_the_reset_is_audited_with_who_did_it_and_how(xa_admin, principal):
    services.account_password_reset(user=xa_admin, person=principal, how=services.RESET_BY_PASSWORD)
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.PASSWORD_SET)
    assert event.user == xa_admin and event.object_id == str(principal.pk)
    assert Profile.objects.get(user=principal).history.first().history_change_reason == (
        "Đặt lại mật khẩu: mật khẩu tạm thời"
    )


def test_a_principal_resets_a_teacher_of_the_school(principal, teacher):
    reset = services.account_password_reset(
        user=principal, person=teacher, how=services.RESET_BY_PASSWORD
    )
    teacher.refresh_from_db()
    assert teacher.check_password(reset.password)


@pytest.mark.parametrize(
    "actor, target",
    [
        ("principal", "xa_admin"),  # a principal above their role
        ("principal", "other_principal"),  # a principal: another principal
        ("xa_admin", "so_admin"),  # a commune administrator: the Sở
        ("commune_officer", "principal"),  # an officer without the administrator flag
        ("outside_admin", "principal"),  # another province
        ("xa_admin", "xa_admin"),  # oneself (the change form is for that)
        ("so_admin", "superuser"),  # the support account
    ],
)
def test_an_escalation_or_a_reset_outside_the_scope_is_refused(
    request, make_user, school, actor, target
):
    if target == "other_principal":
        person = make_user(Role.PRINCIPAL, school=school, username="ht_hai")
    else:
        person = request.getfixturevalue(target)
    who = request.getfixturevalue(actor)
    before = _password_of(person)
    with pytest.raises(services.AccountRefused) as refused:
        services.account_password_reset(user=who, person=person, how=services.RESET_BY_PASSWORD)
    assert refused.value.reason
    assert _password_of(person) == before
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.PASSWORD_SET).exists()


def test_a_person_with_one_seat_above_the_manager_is_refused(principal, teacher, commune):
    Membership.objects.create(user=teacher, role=Role.COMMUNE_OFFICER, unit=commune)
    with pytest.raises(services.AccountRefused):
        services.account_password_reset(
            user=principal, person=teacher, how=services.RESET_BY_PASSWORD
        )


def test_a_link_needs_an_address_and_a_locked_account_is_reopened_first(xa_admin, principal):
    before = _password_of(principal)
    with pytest.raises(ValidationError, match="chưa có địa chỉ thư"):
        services.account_password_reset(user=xa_admin, person=principal, how=services.RESET_BY_LINK)
    services.account_set_active(user=xa_admin, person=principal, active=False)
    with pytest.raises(ValidationError, match="đang bị khóa"):
        services.account_password_reset(
            user=xa_admin, person=principal, how=services.RESET_BY_PASSWORD
        )
    with pytest.raises(ValidationError, match="chọn cách"):
        services.account_password_reset(user=xa_admin, person=principal, how="")
    assert _password_of(principal) == before


def test_the_link_goes_by_the_worker_never_inside_the_request(
    xa_admin, teacher, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reset = services.account_password_reset(
            user=xa_admin, person=teacher, how=services.RESET_BY_LINK, base_url="http://tc.test/"
        )
    assert reset.mailed_to == "gv@hl.example" and reset.password == ""
    assert mail.outbox == []  # queued for the worker
    assert DBTaskResult.objects.filter(task_path="accounts.mails.send_password_link").count() == 1
    assert not teacher.check_password(OLD)  # the old password stopped at once


def test_the_mailed_link_sets_a_new_password_and_ends_the_obligation(
    client, xa_admin, teacher, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.account_password_reset(
            user=xa_admin, person=teacher, how=services.RESET_BY_LINK, base_url="http://testserver/"
        )
    (message,) = mail.outbox
    assert message.to == ["gv@hl.example"]
    assert "Đặt lại mật khẩu" in message.subject and "gv_huoiluong" in message.body
    html = dict((m, c) for c, m in message.alternatives)["text/html"]
    assert "Kính gửi" in html and "gv_huoiluong" in html
    link = re.search(r"http://testserver(/accounts/password/reset/\S+)", message.body)[1]
    form = client.get(link, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Rieng-Cua-Toi-42", "new_password2": "Rieng-Cua-Toi-42"},
    )
    assert done.status_code == 302
    teacher.refresh_from_db()
    assert teacher.check_password("Rieng-Cua-Toi-42")
    assert not Profile.objects.get(user=teacher).must_change_password


# --- the pages -------------------------------------------------------------------------------


def test_the_page_shows_a_temporary_password_once_and_the_login_forces_a_change(
    client, xa_admin, principal
):
    client.force_login(xa_admin)
    response = client.post(
        reverse("accounts:person_password", args=[principal.pk]), {"how": "password"}
    )
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    password = re.search(r'data-testid="temporary-password">([^<]+)<', response.content.decode())[1]
    client.logout()
    login = client.post(
        reverse("accounts:login"), {"username": principal.username, "password": password}
    )
    assert login.status_code == 302
    response = client.get(reverse("schools:list"))
    assert response.status_code == 302 and response["Location"] == reverse(
        "accounts:password_change"
    )


def test_the_page_mails_a_link_and_says_so(
    client, xa_admin, teacher, django_capture_on_commit_callbacks
):
    client.force_login(xa_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:person_password", args=[teacher.pk]), {"how": "link"}, follow=True
        )
    assert response.status_code == 200
    assert "gv@hl.example" in response.content.decode()
    assert DBTaskResult.objects.filter(task_path="accounts.mails.send_password_link").exists()


def test_a_refused_choice_on_the_page_says_why_and_changes_nothing(client, xa_admin, principal):
    client.force_login(xa_admin)
    before = _password_of(principal)
    response = client.post(
        reverse("accounts:person_password", args=[principal.pk]), {"how": "link"}
    )
    assert response.status_code == 400
    assert "chưa có địa chỉ thư" in response.content.decode()
    assert client.post(reverse("accounts:person_password", args=[principal.pk])).status_code == 400
    assert _password_of(principal) == before


def test_the_page_refuses_an_escalation_with_403_and_another_province_with_404(
    client, principal, teacher, commune, outside_admin
):
    Membership.objects.create(user=teacher, role=Role.COMMUNE_OFFICER, unit=commune)
    before = _password_of(teacher)
    client.force_login(principal)
    url = reverse("accounts:person_password", args=[teacher.pk])
    assert client.post(url, {"how": "password"}).status_code == 403
    client.force_login(outside_admin)
    assert client.post(url, {"how": "password"}).status_code == 404
    assert _password_of(teacher) == before


def test_the_reset_is_offered_only_to_who_may_do_it(client, xa_admin, principal, teacher, commune):
    url = reverse("accounts:person_password", args=[teacher.pk])
    client.force_login(xa_admin)
    page = client.get(reverse("accounts:person", args=[teacher.pk])).content.decode()
    assert url in page and "Tạo mật khẩu tạm thời" in page
    # The teacher also sits at the commune: the principal sees them but may not reset.
    Membership.objects.create(user=teacher, role=Role.COMMUNE_OFFICER, unit=commune)
    client.force_login(principal)
    page = client.get(reverse("accounts:person", args=[teacher.pk]))
    assert page.status_code == 200
    assert url not in page.content.decode()
