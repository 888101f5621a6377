"""The first login of an account made by someone else: until the person has chosen their own
password, every page sends them to the change form (Profile.must_change_password).

The flag is read once per session and kept in it, so ordinary requests cost no query."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Profile

SESSION_KEY = "_tc_first_login"
PENDING, DONE = "change", "ok"
# Pages that stay open while the change is pending: the form itself, leaving, the language.
OPEN_URLS = ("accounts:password_change", "accounts:logout", "set_language")


def is_pending(request: HttpRequest) -> bool:
    # No session cookie, nobody signed in: leave the session untouched, or every page (the
    # public ones too) would answer "Vary: Cookie" and no cache could keep it.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return False
    state = request.session.get(SESSION_KEY)
    if state is None:
        pending = Profile.objects.filter(user=user, must_change_password=True).exists()
        state = PENDING if pending else DONE
        request.session[SESSION_KEY] = state
    return state == PENDING


def on_login(sender, request, user, **kwargs) -> None:
    """Read the flag when the person signs in (the session is written then anyway), so the
    first page after the login costs no query and no second session write."""
    if request is not None and hasattr(request, "session"):
        pending = Profile.objects.filter(user=user, must_change_password=True).exists()
        request.session[SESSION_KEY] = PENDING if pending else DONE


def clear(request: HttpRequest) -> None:
    request.session[SESSION_KEY] = DONE


class FirstLoginMiddleware:
    """After AuthenticationMiddleware and MessageMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_pending(request) and request.path not in {reverse(n) for n in OPEN_URLS}:
            if request.headers.get("HX-Request"):
                # A fragment (the bell, a live count) asked from the change page itself: no
                # content, or htmx would swap the whole change page into it.
                return HttpResponse(status=204)
            messages.info(
                request,
                _("Đây là lần đăng nhập đầu tiên: hãy đặt mật khẩu của riêng bạn để tiếp tục."),
            )
            return redirect("accounts:password_change")
        return self.get_response(request)
