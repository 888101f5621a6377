"""Writes of the accounts app: lifting a login lockout (django-axes)."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.permissions import has_perm
from core import audit
from core.models import AuditEvent


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
