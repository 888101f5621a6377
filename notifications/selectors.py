"""Reads of the notifications app, always the user's own (a person sees only what was told to
them; the outbox of the demo's mail backend only support)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from . import kinds
from .models import Notification, NotificationPreference, OutboxMail


def unread_count(*, user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_list(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created", "-id")


def get_own_notification_or_404(*, user, pk: int) -> Notification:
    found = Notification.objects.filter(recipient=user, pk=pk).first()
    if found is None:
        raise Http404("Không tìm thấy thông báo.")
    return found


@dataclass(frozen=True)
class PreferenceRow:
    kind: kinds.Kind
    delivery: str
    is_default: bool


def preference_rows(*, user) -> list[PreferenceRow]:
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return [
        PreferenceRow(k, chosen.get(code, k.default), code not in chosen)
        for code, k in kinds.KINDS.items()
    ]


def outbox(*, user) -> QuerySet[OutboxMail]:
    """The mails the database backend kept (the caller checked `notification.outbox`)."""
    return OutboxMail.objects.order_by("-sent_at", "-id")
