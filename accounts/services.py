"""Writes of the accounts app: lifting a login lockout (django-axes); accounts and their seats
managed by units (create, edit, lock, give and take roles), the first-login password."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.mails import send_password_link, send_setup_link
from accounts.models import Membership, Profile, Role
from accounts.permissions import GRANTABLE_ROLES, has_perm, scope_for
from core import audit
from core.concurrency import version_claim
from core.models import AuditEvent
from core.text import nfc


@transaction.atomic
def lockout_lift(*, user, attempt_id: int, request=None) -> str:
    """Remove the failure count of one account+address (axes then lets it log in again) and
    record who lifted whose lock. Returns the account name."""
    if not has_perm(user, "account.unlock"):
        raise PermissionDenied
    attempt = AccessAttempt.objects.select_for_update().filter(pk=attempt_id).first()
    if attempt is None:
        raise ValidationError(_("Khóa này không còn (đã hết hạn hoặc đã được mở)."))
    username = attempt.username or ""
    attempt.delete()
    audit.event_record(kind=AuditEvent.Kind.UNLOCK, request=request, user=user, username=username)
    return username


# ---------------------------------------------------------------------------------------------
# Accounts managed by units (issue 14 §1): who may give which seat is the permission table's
# `account.manage` (accounts.permissions: the "account" relation and GRANTABLE_ROLES).

# Letters and digits a person can copy from paper without confusing them (no 0/O, 1/l/I).
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PASSWORD_LENGTH = 12


class AccountRefused(PermissionDenied):
    """The manager may not do this: `reason` says why, in Vietnamese (shown on the form)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class NewAccount:
    user: Any
    password: str  # the initial password, to hand over once ("" when a set-up link was mailed)
    mailed: bool


def generate_password() -> str:
    while True:
        value = "".join(secrets.choice(_PASSWORD_ALPHABET) for _i in range(PASSWORD_LENGTH))
        # Django's validators refuse an all-digit password; a mix of both is what people expect.
        if any(c.isdigit() for c in value) and any(c.isalpha() for c in value):
            return value


def profile_of(person) -> Profile:
    """The person's profile, created on first need (accounts made before profiles existed,
    the demo's, Django's createsuperuser)."""
    profile = Profile.objects.filter(user=person).first()
    if profile is None:
        profile = Profile(user=person)
        profile.save()
    return profile


def _role_label(role: str) -> str:
    return str(Role(role).label)


def placement_error(role: str, unit, school, is_admin: bool) -> str:
    """Where a role may sit: a Sở officer at a province, a commune officer at a commune,
    the school's people at a school, a viewer anywhere. "" when the seat is well placed."""
    if (unit is None) == (school is None):
        return _("Chọn một đơn vị hoặc một trường (chỉ một).")
    if role == Role.PROVINCE_OFFICER and (school is not None or unit.depth != 0):
        return _("Vai trò «%(role)s» chỉ gán cho một tỉnh/thành phố.") % {"role": _role_label(role)}
    if role == Role.COMMUNE_OFFICER and (school is not None or unit.depth == 0):
        return _("Vai trò «%(role)s» chỉ gán cho một xã/phường.") % {"role": _role_label(role)}
    if role in (Role.PRINCIPAL, Role.STAFF, Role.REVIEWER) and school is None:
        return _("Vai trò «%(role)s» chỉ gán cho một trường.") % {"role": _role_label(role)}
    if unit is not None and not unit.is_current:
        return _("Đơn vị «%(unit)s» đã giải thể.") % {"unit": unit.name}
    if is_admin and role not in (Role.PROVINCE_OFFICER, Role.COMMUNE_OFFICER):
        return _("Chỉ cán bộ cấp tỉnh hoặc cấp xã mới có thể là quản trị tài khoản.")
    return ""


def account_refusal(actor, membership: Membership) -> str:
    """Why `actor` may not give or take `membership` (asked after has_perm said no): the words
    for the form, from the same table."""
    if membership.user_id and membership.user_id == actor.pk:
        return _("Không thể tự cấp hoặc thu hồi vai trò của chính mình.")
    seats = [s for s in scope_for(actor).seats if s.role in GRANTABLE_ROLES]
    managing = [s for s in seats if s.school_id or s.admin]
    if not managing:
        return _("Bạn không có quyền quản lý tài khoản.")
    allowed = {r for s in managing for r in GRANTABLE_ROLES[s.role]}
    if membership.role not in allowed:
        return _(
            "Không thể cấp vai trò «%(role)s»: cao hơn vai trò của bạn. Bạn chỉ được cấp: "
            "%(allowed)s."
        ) % {
            "role": _role_label(membership.role),
            "allowed": ", ".join(_role_label(r) for r in Role.values if r in allowed),
        }
    if membership.is_admin and not any(s.admin and s.unit_id for s in managing):
        return _(
            "Chỉ quản trị viên tài khoản của Sở hoặc xã mới cấp được quyền quản trị tài khoản."
        )
    place = membership.school or membership.unit
    return _("«%(place)s» nằm ngoài phạm vi bạn quản lý tài khoản.") % {"place": place}


def _check_seat(actor, membership: Membership) -> None:
    error = placement_error(
        membership.role, membership.unit, membership.school, membership.is_admin
    )
    if error:
        raise ValidationError(error)
    if not has_perm(actor, "account.manage", membership):
        raise AccountRefused(account_refusal(actor, membership))


def _clean_username(username: str) -> str:
    username = nfc(username).strip()
    if not username:
        raise ValidationError(_("Hãy nhập tên đăng nhập."))
    try:
        get_user_model().username_validator(username)
    except ValidationError as exc:
        raise ValidationError(
            _("Tên đăng nhập chỉ gồm chữ, số và các ký tự @ . + - _ (không dấu cách).")
        ) from exc
    if get_user_model()._default_manager.filter(username__iexact=username).exists():
        raise ValidationError(_("Tên đăng nhập «%(name)s» đã có người dùng.") % {"name": username})
    return username


@transaction.atomic
def account_create(
    *,
    user,
    username: str,
    full_name: str,
    email: str = "",
    phone: str = "",
    position: str = "",
    role: str,
    unit=None,
    school=None,
    is_admin: bool = False,
    base_url: str = "",
) -> NewAccount:
    """Create an account with its first seat. With an e-mail and a `base_url` the person gets
    a set-up link by mail; otherwise the generated password is returned, to hand over once.
    Either way the first login asks for a new password."""
    seat = Membership(role=role, unit=unit, school=school, is_admin=is_admin)
    _check_seat(user, seat)
    username = _clean_username(username)
    full_name = nfc(full_name).strip()
    if not full_name:
        raise ValidationError(_("Hãy nhập họ và tên."))
    password = generate_password()
    person = get_user_model()._default_manager.create_user(
        username=username, email=nfc(email).strip(), password=password, first_name=full_name[:150]
    )
    Profile(
        user=person,
        position=position.strip(),
        phone=phone.strip(),
        must_change_password=True,
        created_by=user,
    ).save()
    seat.user = person
    seat.save()
    mailed = bool(person.email and base_url)
    if mailed:
        transaction.on_commit(lambda: send_setup_link.enqueue(person.pk, base_url))
    return NewAccount(person, "" if mailed else password, mailed)


@transaction.atomic
def account_update(
    *,
    user,
    person,
    full_name: str,
    email: str,
    phone: str,
    position: str,
    version: int | None,
) -> Profile:
    """The person's name and contact, claimed at the version the form was read at."""
    if not has_perm(user, "account.manage", person):
        raise PermissionDenied
    profile = profile_of(person)
    version_claim(profile, version)
    full_name = nfc(full_name).strip()
    if not full_name:
        raise ValidationError(_("Hãy nhập họ và tên."))
    person.first_name, person.last_name, person.email = full_name[:150], "", nfc(email).strip()
    person.save(update_fields=["first_name", "last_name", "email"])
    profile.position, profile.phone = position.strip(), phone.strip()
    profile.save()
    return profile


@transaction.atomic
def account_set_active(*, user, person, active: bool, reason: str = "") -> None:
    """Lock (or unlock) an account: a locked person cannot log in; nothing of theirs is lost.
    The reason goes to the account's history."""
    if not has_perm(user, "account.manage", person):
        raise PermissionDenied
    if person.is_active == active:
        return
    person.is_active = active
    person._change_reason = nfc(reason).strip()[:100] or None
    person.save(update_fields=["is_active"])


@transaction.atomic
def membership_add(
    *, user, person, role: str, unit=None, school=None, is_admin: bool = False
) -> Membership:
    seat = Membership(user=person, role=role, unit=unit, school=school, is_admin=is_admin)
    _check_seat(user, seat)
    if Membership.objects.filter(user=person, role=role, unit=unit, school=school).exists():
        raise ValidationError(_("Người này đã có vai trò đó tại nơi đó."))
    seat.save()
    return seat


@transaction.atomic
def membership_remove(*, user, membership: Membership) -> None:
    if not has_perm(user, "account.manage", membership):
        raise AccountRefused(account_refusal(user, membership))
    if not Membership.objects.filter(user_id=membership.user_id).exclude(pk=membership.pk).exists():
        raise ValidationError(
            _("Đây là vai trò cuối cùng của người này: hãy khóa tài khoản thay vì thu hồi.")
        )
    membership.delete()


# ---------------------------------------------------------------------------------------------
# A manager resets someone's password (issue 14 §1): whoever may edit the account (the table's
# `account.manage` on the person: every seat of theirs within what the manager may give), never
# their own. The old password stops working at once (and every open session of the person with
# it); the next login asks for a new one.

RESET_BY_LINK, RESET_BY_PASSWORD = "link", "password"


@dataclass
class PasswordReset:
    person: Any
    password: str  # the temporary password, to hand over once ("" when a link was mailed)
    mailed_to: str  # the address the set-up link goes to ("" for a temporary password)


def password_reset_refusal(actor, person) -> str:
    if person.pk == actor.pk:
        return _("Mật khẩu của chính bạn được đổi ở trang «Đổi mật khẩu».")
    return _(
        "Không thể đặt lại mật khẩu của người này: họ có vai trò ngoài phạm vi bạn quản lý "
        "hoặc cao hơn vai trò bạn được cấp."
    )


@transaction.atomic
def account_password_reset(
    *, user, person, how: str, base_url: str = "", request=None
) -> PasswordReset:
    """`how` = RESET_BY_LINK: a set-up link is mailed to the person by the worker (after the
    commit; the password in place until then is a random one nobody knows); RESET_BY_PASSWORD:
    a generated temporary password is returned, to show once. Either way the person must choose
    their own password at the next login. Audited: an AuditEvent (who reset whose password)
    and the profile's history, with how."""
    if not has_perm(user, "account.manage", person):
        raise AccountRefused(password_reset_refusal(user, person))
    if how not in (RESET_BY_LINK, RESET_BY_PASSWORD):
        raise ValidationError(_("Hãy chọn cách đặt lại mật khẩu."))
    if not person.is_active:
        raise ValidationError(
            _("Tài khoản này đang bị khóa: hãy mở lại tài khoản trước khi đặt lại mật khẩu.")
        )
    email = (person.email or "").strip()
    if how == RESET_BY_LINK and not email:
        raise ValidationError(
            _(
                "Người này chưa có địa chỉ thư điện tử: hãy nhập địa chỉ, hoặc tạo mật khẩu "
                "tạm thời để trao tận tay."
            )
        )
    password = generate_password()
    person.set_password(password)
    # The password alone: the account's history excludes it (core.audit), so a save would
    # only add an empty history row; the reset is recorded below.
    type(person)._default_manager.filter(pk=person.pk).update(password=person.password)
    profile = profile_of(person)
    profile.must_change_password = True
    profile._change_reason = (
        _("Đặt lại mật khẩu: gửi đường dẫn đến %(email)s") % {"email": email}
        if how == RESET_BY_LINK
        else _("Đặt lại mật khẩu: mật khẩu tạm thời")
    )[:100]
    profile.save(update_fields=["must_change_password"])
    audit.event_record(kind=AuditEvent.Kind.PASSWORD_SET, request=request, user=user, obj=person)
    if how == RESET_BY_LINK:
        site = base_url or settings.SITE_URL
        transaction.on_commit(lambda: send_password_link.enqueue(person.pk, site))
        return PasswordReset(person, "", email)
    return PasswordReset(person, password, "")


def password_changed(*, person, request=None) -> None:
    """The person chose their own password (the change form, or a set-up/reset link): the
    first-login obligation is over; the change is an audit event (the history keeps no
    password)."""
    Profile.objects.filter(user=person, must_change_password=True).update(
        must_change_password=False
    )
    audit.event_record(kind=AuditEvent.Kind.PASSWORD_CHANGE, request=request, user=person)
