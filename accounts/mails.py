"""Mails of the accounts app that the background worker sends (never inside a request), and
the one-time link they carry: a new account's set-up link (`send_setup_link`), a manager's
password reset by link (`send_password_link`), both enqueued once their transaction commits,
and the "Quên mật khẩu" mail (`send_prepared_mail`, written by Django's reset form in the
request, sent by the worker: a mail server that is slow or down never holds the page)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_tasks import task


def setup_link(person, base_url: str, *, name: str = "accounts:password_reset_confirm") -> str:
    """A one-time link to choose a password (Django's password reset token: it stops working
    once the password is set)."""
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = default_token_generator.make_token(person)
    return base_url.rstrip("/") + reverse(name, kwargs={"uidb64": uid, "token": token})


def password_link_mail(person, base_url: str) -> EmailMultiAlternatives:
    """Vietnamese, plain text and HTML: who reset the password is not said (the person asks
    their unit), the link and how long it works are."""
    with translation.override("vi"):
        context = {
            "person": person,
            "link": setup_link(person, base_url),
            "site": base_url.rstrip("/"),
            "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        }
        mail = EmailMultiAlternatives(
            subject=_("Đặt lại mật khẩu tài khoản Trường Chuẩn"),
            body=render_to_string("accounts/mail/password_set.txt", context),
            to=[person.email],
        )
        mail.attach_alternative(
            render_to_string("accounts/mail/password_set.html", context), "text/html"
        )
    return mail


@task()
def send_password_link(person_id: int, base_url: str) -> bool:
    """Mail the set-up link (the token is made now, after the reset committed). A mail server
    that fails raises: the worker tries again (core.worker, TASK_MAX_ATTEMPTS). False when
    there is nobody to send to any more (account gone, locked or without an address)."""
    person = get_user_model()._default_manager.filter(pk=person_id, is_active=True).first()
    if person is None or not person.email:
        return False
    password_link_mail(person, base_url).send()
    return True


def setup_mail(person, base_url: str) -> EmailMultiAlternatives:
    """A new account's mail: the user name and a link to choose the password."""
    with translation.override("vi"):
        context = {
            "person": person,
            "link": setup_link(person, base_url),
            "site": base_url.rstrip("/"),
            "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        }
        mail = EmailMultiAlternatives(
            subject=_("Tài khoản Trường Chuẩn của bạn"),
            body=render_to_string("accounts/mail/setup.txt", context),
            to=[person.email],
        )
        mail.attach_alternative(render_to_string("accounts/mail/setup.html", context), "text/html")
    return mail


@task()
def send_setup_link(person_id: int, base_url: str) -> bool:
    """Mail a new account its set-up link; a failing mail server raises and the worker tries
    again. False when the account is gone, locked or has no address any more."""
    person = get_user_model()._default_manager.filter(pk=person_id, is_active=True).first()
    if person is None or not person.email:
        return False
    setup_mail(person, base_url).send()
    return True


@task()
def send_prepared_mail(*, subject: str, body: str, to: str, html: str = "") -> None:
    """Send a mail written in the request (the forgotten-password mail)."""
    mail = EmailMultiAlternatives(subject=subject, body=body, to=[to])
    if html:
        mail.attach_alternative(html, "text/html")
    mail.send()
