"""API tokens and system accounts.

A token is a random secret shown once; only its SHA-256 is stored. The secret carries 256 bits
of randomness, so a slow password hash would add nothing against guessing and would cost every
request; a deterministic hash also lets the token be found by an indexed lookup.

A system account (CSDL ngành, a province's smart-city software, a statistics tool) is an
ordinary user without a password, holding one membership in the unit an administrator chose:
the permission table scopes it exactly like a person with that seat."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SECRET_PREFIX = "tc_"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("tài khoản"),
    )
    name = models.CharField(_("tên mã truy cập"), max_length=100)
    # The first characters of the secret: how a person recognises a token in the list.
    prefix = models.CharField(_("đầu mã"), max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người tạo"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()


class SystemAccount(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="system_account"
    )
    name = models.CharField(_("tên hệ thống"), max_length=120)
    unit = models.ForeignKey(
        "units.AdminUnit",
        on_delete=models.PROTECT,
        related_name="system_accounts",
        verbose_name=_("đơn vị"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tài khoản hệ thống")
        verbose_name_plural = _("tài khoản hệ thống")

    def __str__(self) -> str:
        return self.name
