"""Reads of the accounts app: the login lockouts (django-axes' AccessAttempt rows) an
administrator may lift."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.permissions import has_perm


@dataclass(frozen=True)
class Lockout:
    pk: int
    username: str
    ip_address: str
    failures: int
    last_attempt: datetime
    until: datetime


def active_lockouts(user) -> list[Lockout]:
    """Accounts refused right now (failures at the limit, cool-off not over), newest first."""
    if not has_perm(user, "account.unlock"):
        raise PermissionDenied
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gt=since
    ).order_by("-attempt_time")
    return [
        Lockout(
            pk=a.pk,
            username=a.username or "",
            ip_address=a.ip_address or "",
            failures=a.failures_since_start,
            last_attempt=a.attempt_time,
            until=a.attempt_time + settings.AXES_COOLOFF_TIME,
        )
        for a in attempts
    ]
