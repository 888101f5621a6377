"""Writes of tokens and system accounts: atomic, checked against the permission table,
recorded in the audit trail (both models are in core.audit.AUDITED)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, Role
from accounts.permissions import has_perm
from api.models import ApiToken, SystemAccount, hash_secret, new_secret
from units.models import AdminUnit


class NotAllowed(Exception):
    """The user may not manage this token or system account."""


class Rejected(Exception):
    """The data given is refused; `errors` maps a field to its messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(m for msgs in errors.values() for m in msgs))


def may_manage_tokens_of(*, user, owner) -> bool:
    """A person manages their own tokens; a system account's are managed by whoever may
    create system accounts for its unit."""
    if owner.pk == user.pk:
        return bool(user.is_authenticated and user.is_active)
    account = SystemAccount.objects.filter(user=owner).select_related("unit").first()
    return account is not None and has_perm(user, "api.system_account", account)


@transaction.atomic
def token_create(
    *, user, owner, name: str, expires_on: dt.date | None = None
) -> tuple[ApiToken, str]:
    """A new token for `owner`; returns it and its secret (shown once, never stored)."""
    if not may_manage_tokens_of(user=user, owner=owner):
        raise NotAllowed(_("Bạn không được tạo mã truy cập cho tài khoản này."))
    name = " ".join((name or "").split())
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Hãy đặt tên cho mã truy cập (ví dụ: «Đồng bộ CSDL ngành»).")]
    if expires_on is not None and expires_on <= timezone.localdate():
        errors["expires_on"] = [_("Ngày hết hạn phải sau hôm nay.")]
    if errors:
        raise Rejected(errors)
    secret = new_secret()
    expires_at = None
    if expires_on is not None:
        expires_at = timezone.make_aware(dt.datetime.combine(expires_on, dt.time.max))
    token = ApiToken.objects.create(
        user=owner,
        name=name[:100],
        prefix=secret[:10],
        key_hash=hash_secret(secret),
        expires_at=expires_at,
        created_by=user,
    )
    return token, secret


@transaction.atomic
def token_revoke(*, user, token: ApiToken) -> ApiToken:
    if not may_manage_tokens_of(user=user, owner=token.user):
        raise NotAllowed(_("Bạn không được thu hồi mã truy cập này."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])  # save(): the audit trail records it
    return token


SYSTEM_ROLES = ("viewer", "officer")


@transaction.atomic
def system_account_create(*, user, unit: AdminUnit, name: str, access: str) -> SystemAccount:
    """A passwordless account holding one seat in `unit`: a viewer (reads only) or an officer
    of the unit's level (reads, and writes what an officer there may write)."""
    if not has_perm(user, "api.system_account", unit):
        raise NotAllowed(_("Bạn không được tạo tài khoản hệ thống cho đơn vị này."))
    name = " ".join((name or "").split())
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Hãy ghi tên hệ thống (ví dụ: «CSDL ngành»).")]
    if access not in SYSTEM_ROLES:
        errors["access"] = [_("Chọn quyền: chỉ xem, hoặc như cán bộ của đơn vị.")]
    if not unit.is_current:
        errors["unit"] = [_("Đơn vị đã giải thể.")]
    if errors:
        raise Rejected(errors)
    if access == "viewer":
        role = Role.VIEWER
    else:
        role = Role.PROVINCE_OFFICER if unit.depth == 0 else Role.COMMUNE_OFFICER
    User = get_user_model()
    username = f"system-{unit.uid.lower()}-{secrets.token_hex(3)}"
    account_user = User.objects.create_user(username=username, first_name=name[:150])
    account_user.set_unusable_password()  # tokens only: never a login page
    account_user.save(update_fields=["password"])
    Membership.objects.create(user=account_user, unit=unit, role=role)
    return SystemAccount.objects.create(
        user=account_user, name=name[:120], unit=unit, created_by=user
    )
