"""Pages where a person creates and revokes their own API tokens, and where an administrator
(superuser, or a province officer for their unit) creates system accounts and their tokens.
A token's secret is shown once, on the page that answers its creation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import has_perm, units_where
from api import selectors, services
from api.forms import SystemAccountForm, TokenForm
from api.models import ApiToken


def _add_errors(form, exc: services.Rejected) -> None:
    for field, msgs in exc.errors.items():
        for message in msgs:
            form.add_error(field if field in form.fields else None, message)


def _create_token(request, owner, form) -> tuple[ApiToken | None, str, int]:
    if not form.is_valid():
        return None, "", 400
    try:
        token, secret = services.token_create(
            user=request.user,
            owner=owner,
            name=form.cleaned_data["name"],
            expires_on=form.cleaned_data["expires_on"],
        )
    except services.Rejected as exc:
        _add_errors(form, exc)
        return None, "", 400
    return token, secret, 201


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    created, secret, status = None, "", 200
    if request.method == "POST":
        created, secret, status = _create_token(request, request.user, form)
        if created is not None:
            form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "tokens": selectors.my_tokens(user=request.user),
            "created": created,
            "secret": secret,
            "owner": request.user,
        },
        status=status,
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=pk).select_related("user").first()
    if token is None or not services.may_manage_tokens_of(user=request.user, owner=token.user):
        raise Http404("Không tìm thấy mã truy cập.")
    services.token_revoke(user=request.user, token=token)
    messages.success(request, _("Đã thu hồi mã truy cập «%(name)s».") % {"name": token.name})
    account = getattr(token.user, "system_account", None)
    if token.user_id != request.user.pk and account is not None:
        return redirect("api:system_account", username=token.user.username)
    return redirect("api:tokens")


@login_required
@require_http_methods(["GET", "POST"])
def system_accounts(request: HttpRequest) -> HttpResponse:
    if not has_perm(request.user, "api.system_account"):
        raise PermissionDenied
    units = list(units_where(request.user, "api.system_account").current().order_by("path"))
    form = SystemAccountForm(request.POST or None, units=units)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            unit = next(u for u in units if u.uid == form.cleaned_data["unit"])
            try:
                account = services.system_account_create(
                    user=request.user,
                    unit=unit,
                    name=form.cleaned_data["name"],
                    access=form.cleaned_data["access"],
                )
            except services.Rejected as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Đã tạo tài khoản hệ thống. Hãy tạo mã truy cập."))
                return redirect("api:system_account", username=account.user.username)
    return render(
        request,
        "api/system_accounts.html",
        {"form": form, "accounts": selectors.system_accounts(user=request.user)},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def system_account(request: HttpRequest, username: str) -> HttpResponse:
    account = selectors.system_account_get(user=request.user, username=username)
    if not has_perm(request.user, "api.system_account", account):
        raise PermissionDenied
    form = TokenForm(request.POST or None)
    created, secret, status = None, "", 200
    if request.method == "POST":
        created, secret, status = _create_token(request, account.user, form)
        if created is not None:
            form = TokenForm()
    return render(
        request,
        "api/system_account.html",
        {
            "account": account,
            "form": form,
            "tokens": selectors.my_tokens(user=account.user),
            "created": created,
            "secret": secret,
            "owner": account.user,
        },
        status=status,
    )
