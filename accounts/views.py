"""The lockout page: the login page itself with a Vietnamese message (django-axes calls
`locked_out` through settings.AXES_LOCKOUT_CALLABLE after too many failed logins); and the
page where an administrator sees the accounts locked right now and lifts a lock."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import selectors, services
from accounts.forms import LoginForm


def lockout_message() -> str:
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return _(
        "Tài khoản này tạm thời bị khóa đăng nhập từ máy của bạn vì đã nhập sai mật khẩu "
        "%(limit)s lần. Vui lòng thử lại sau %(minutes)s phút, hoặc liên hệ quản trị viên để "
        "được mở khóa ngay."
    ) % {"limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """429 with the login form (the name typed kept, the password not) and the message where
    a wrong password's would be, so the person sees why and what to do, not a bare error page."""
    form = LoginForm(request, initial={"username": request.POST.get("username", "")})
    context = {"form": form, "next": request.POST.get("next", ""), "lockout": lockout_message()}
    return render(request, "registration/login.html", context, status=429)


@login_required
@require_http_methods(["GET", "POST"])
def lockouts(request: HttpRequest) -> HttpResponse:
    """GET: the accounts refused right now; POST `attempt`: lift that lock (403 without
    account.unlock, from the permission table)."""
    items = selectors.active_lockouts(request.user)
    if request.method == "POST":
        raw = request.POST.get("attempt", "")
        try:
            username = services.lockout_lift(
                user=request.user, attempt_id=int(raw) if raw.isdigit() else 0, request=request
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Đã mở khóa đăng nhập cho tài khoản %(username)s.") % {"username": username},
            )
        return redirect("accounts:lockouts")
    context = {
        "lockouts": items,
        "limit": settings.AXES_FAILURE_LIMIT,
        "minutes": max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)),
    }
    return render(request, "accounts/lockouts.html", context)
