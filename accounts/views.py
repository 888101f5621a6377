"""The lockout page: the login page itself with a Vietnamese message (django-axes calls
`locked_out` through settings.AXES_LOCKOUT_CALLABLE after too many failed logins); the
page where an administrator sees the accounts locked right now and lifts a lock; the password
pages (change, forced at the first login; reset by mail)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import first_login, selectors, services
from accounts.forms import LoginForm, PasswordResetMailForm
from core import audit
from core.models import AuditEvent


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


# ---------------------------------------------------------------------------------------------
# Passwords: the change form (forced at the first login), "Quên mật khẩu" by mail. The
# templates have their own names: Django's admin ships registration/password_* templates
# that would win over this app's (INSTALLED_APPS order).


class PasswordChange(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["forced"] = first_login.is_pending(self.request)
        return context

    def form_valid(self, form):
        forced = first_login.is_pending(self.request)
        response = super().form_valid(form)
        services.password_changed(person=form.user, request=self.request)
        first_login.clear(self.request)
        if forced:
            messages.success(self.request, _("Đã đổi mật khẩu. Chào mừng bạn đến Trường Chuẩn."))
            return redirect("home")
        return response


class PasswordReset(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/mail/password_reset.txt"
    subject_template_name = "accounts/mail/password_reset_subject.txt"
    html_email_template_name = "accounts/mail/password_reset.html"
    form_class = PasswordResetMailForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        # Recorded whatever the address (Django says nothing about whether it has an account).
        audit.event_record(
            kind=AuditEvent.Kind.PASSWORD_RESET,
            request=self.request,
            username=form.cleaned_data.get("email", ""),
        )
        return super().form_valid(form)


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(person=form.user, request=self.request)
        return response


password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="accounts/password_change_done.html"
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
