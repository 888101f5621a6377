"""Reads of tokens and system accounts for their pages."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from accounts.permissions import scope_for, units_where
from api.models import ApiToken, SystemAccount


def my_tokens(*, user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def system_accounts(*, user) -> QuerySet[SystemAccount]:
    """System accounts of the units where the user may manage them."""
    units = units_where(user, "api.system_account")
    return (
        SystemAccount.objects.filter(unit__in=units.values("pk"))
        .select_related("unit", "user")
        .order_by("unit__sort_key", "name")
    )


def system_account_get(*, user, username: str) -> SystemAccount:
    """A system account of a unit the user sees (404 otherwise); the view checks the right."""
    account = (
        SystemAccount.objects.filter(
            unit__in=scope_for(user).units().values("pk"), user__username=username
        )
        .select_related("unit", "user")
        .first()
    )
    if account is None:
        raise Http404("Không tìm thấy tài khoản hệ thống trong phạm vi của bạn.")
    return account
