"""Login protection (django-axes, settings.py): after LOGIN_FAILURE_LIMIT wrong passwords for one
account from one address, that account is refused from that address for a while, on the login
page, in Vietnamese; every attempt and the lockout are in the audit trail; an administrator
unlocks it."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "Mat-khau-2025!"
LOCKED = "tạm thời bị khóa đăng nhập"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=15)


def attempt(client, username: str, password: str, ip: str = "203.113.1.10"):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def fail(client, username: str, times: int, ip: str = "203.113.1.10"):
    return [attempt(client, username, "sai-mat-khau", ip) for _ in range(times)]


def test_failures_below_the_limit_keep_the_usual_message(client, principal):
    first, second = fail(client, principal.username, 2)
    assert first.status_code == second.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in second.content.decode()
    assert attempt(client, principal.username, PASSWORD).status_code == 302


def test_it_locks_the_account_from_that_address_at_the_limit(client, principal):
    *_, third = fail(client, principal.username, 3)
    body = third.content.decode()
    assert third.status_code == 429
    assert LOCKED in body and "3 lần" in body and "15 phút" in body
    # The login page itself, not a bare error page: the form is there, the name kept.
    assert 'name="password"' in body and f'value="{principal.username}"' in body

    refused = attempt(client, principal.username, PASSWORD)
    assert refused.status_code == 429
    assert LOCKED in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_same_account_from_another_address_still_logs_in(client, principal):
    fail(client, principal.username, 3)
    assert attempt(client, principal.username, PASSWORD, ip="14.160.2.20").status_code == 302


def test_another_account_from_the_same_address_still_logs_in(client, principal, commune_officer):
    fail(client, principal.username, 3)
    assert attempt(client, commune_officer.username, PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off(client, principal):
    fail(client, principal.username, 3)
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    assert attempt(client, principal.username, PASSWORD).status_code == 302


def test_a_success_resets_the_count(client, principal):
    fail(client, principal.username, 2)
    assert attempt(client, principal.username, PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    fail(client, principal.username, 2)
    assert attempt(client, principal.username, PASSWORD).status_code == 302


def test_the_limit_and_cool_off_come_from_settings(client, principal, settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=30)
    responses = fail(client, principal.username, 5)
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    assert "5 lần" in responses[-1].content.decode()
    assert "30 phút" in responses[-1].content.decode()


def test_the_default_is_five_failures_and_fifteen_minutes():
    from truongchuan import settings as project

    assert project.AXES_FAILURE_LIMIT == 5
    assert project.AXES_COOLOFF_TIME == dt.timedelta(minutes=15)
    assert project.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_every_attempt_and_the_lockout_are_in_the_audit_trail(client, principal):
    fail(client, principal.username, 3)
    attempt(client, principal.username, PASSWORD)  # refused while locked
    events = list(AuditEvent.objects.order_by("pk").values_list("kind", "username", "ip"))
    kinds = [kind for kind, _name, _ip in events]
    assert kinds.count("login_failed") == 4  # three wrong passwords, one refused attempt
    assert kinds.count("lockout") >= 1
    assert "login" not in kinds
    assert {name for _kind, name, _ip in events} == {principal.username}
    assert {ip for _kind, _name, ip in events} == {"203.113.1.10"}
    assert AuditEvent.Kind.LOCKOUT.label == "Tạm khóa đăng nhập"


def test_an_administrator_unlocks_with_axes_reset(client, principal):
    fail(client, principal.username, 3)
    call_command("axes_reset", verbosity=0)
    assert attempt(client, principal.username, PASSWORD).status_code == 302


def test_an_administrator_sees_and_removes_the_lock_in_the_admin(client, principal, superuser):
    fail(client, principal.username, 3)
    lock = AccessAttempt.objects.get()
    client.force_login(superuser)
    listing = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200 and principal.username in listing.content.decode()
    response = client.post(
        reverse("admin:axes_accessattempt_delete", args=[lock.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    client.post(reverse("accounts:logout"))
    assert attempt(client, principal.username, PASSWORD).status_code == 302


def test_the_lock_list_is_for_superusers_only(client, province_officer):
    client.force_login(province_officer)
    response = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code == 302  # to the admin login, like every admin page


def test_force_login_and_the_test_client_login_are_not_counted(client, principal):
    """The suite logs in thousands of times without a request (client.login) or a form
    (force_login): no attempt is recorded, nothing is locked."""
    assert client.login(username=principal.username, password=PASSWORD)
    client.logout()
    assert not client.login(username=principal.username, password="sai")
    client.force_login(principal)
    assert not AccessAttempt.objects.exists()


def test_the_lockout_message_is_in_english_too(client, principal):
    client.cookies["django_language"] = "en"
    *_, locked = fail(client, principal.username, 3)
    assert locked.status_code == 429
    assert "temporarily locked" in locked.content.decode()


# --- the administrators' page (accounts:lockouts, action account.unlock) --------------------


def test_the_lockouts_page_lists_the_accounts_locked_now(
    client, principal, commune_officer, superuser
):
    fail(client, principal.username, 3)
    fail(client, commune_officer.username, 1)  # below the limit: not locked, not listed
    client.force_login(superuser)
    page = client.get(reverse("accounts:lockouts"))
    body = page.content.decode()
    assert page.status_code == 200
    assert principal.username in body and "203.113.1.10" in body
    assert commune_officer.username not in body


def test_an_expired_lock_is_not_listed(client, principal, superuser):
    fail(client, principal.username, 3)
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    client.force_login(superuser)
    assert (
        "Hiện không có tài khoản nào bị tạm khóa"
        in client.get(reverse("accounts:lockouts")).content.decode()
    )


def test_the_unlock_button_lifts_the_lock_and_is_recorded(client, principal, superuser):
    fail(client, principal.username, 3)
    lock = AccessAttempt.objects.get()
    client.force_login(superuser)
    response = client.post(reverse("accounts:lockouts"), {"attempt": lock.pk}, follow=True)
    assert "Đã mở khóa đăng nhập cho tài khoản ht_huoiluong" in response.content.decode()
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.UNLOCK)
    assert event.user == superuser and event.username == principal.username
    client.post(reverse("accounts:logout"))
    assert attempt(client, principal.username, PASSWORD).status_code == 302


def test_unlocking_a_lock_already_gone_says_so(client, superuser):
    client.force_login(superuser)
    response = client.post(reverse("accounts:lockouts"), {"attempt": "999"}, follow=True)
    assert "Khóa này không còn" in response.content.decode()
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.UNLOCK).exists()


@pytest.mark.parametrize("role", ["province_officer", "commune_officer", "principal"])
def test_only_who_may_unlock_sees_the_page(client, request, role):
    user = request.getfixturevalue(role)
    fail(client, "ai-do", 3)
    client.force_login(user)
    assert client.get(reverse("accounts:lockouts")).status_code == 403
    lock = AccessAttempt.objects.get()
    assert client.post(reverse("accounts:lockouts"), {"attempt": lock.pk}).status_code == 403
    assert AccessAttempt.objects.filter(pk=lock.pk).exists()
    assert "Khóa đăng nhập" not in client.get(reverse("home")).content.decode()


def test_behind_the_proxy_each_client_address_counts_on_its_own(client, settings, principal):
    """nginx makes every request come from 127.0.0.1; its X-Real-IP names the client."""
    settings.BEHIND_PROXY = True

    def via_proxy(real_ip: str):
        return client.post(
            reverse("accounts:login"),
            {"username": principal.username, "password": "sai-mat-khau"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_REAL_IP=real_ip,
        )

    for _ in range(3):
        via_proxy("203.113.1.10")
    assert LOCKED in via_proxy("203.113.1.10").content.decode()
    # Another person behind the same proxy is not locked out by the first one's failures.
    assert LOCKED not in via_proxy("14.160.2.20").content.decode()
    assert AuditEvent.objects.filter(ip="203.113.1.10").exists()


def test_a_client_cannot_choose_its_address_with_the_header(client, settings, principal):
    settings.BEHIND_PROXY = True
    for n in range(3):  # straight to the app, not through a trusted proxy: the header is ignored
        client.post(
            reverse("accounts:login"),
            {"username": principal.username, "password": "sai-mat-khau"},
            REMOTE_ADDR="203.113.1.10",
            HTTP_X_REAL_IP=f"10.0.0.{n}",
        )
    assert LOCKED in attempt(client, principal.username, "sai-mat-khau").content.decode()
