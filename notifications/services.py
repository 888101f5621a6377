"""Writes of the notifications app: telling people (`notify`, `notify_many`), reading
(`notification_mark_read`, `notifications_mark_all_read`) and choosing how to hear of each kind
(`preferences_save`).

`notify_many` is the one way a notification is made. Per person and kind it reads the choice
(NotificationPreference, else the kind's default): OFF stores nothing, DIGEST waits for the
daily digest, IMMEDIATE is mailed by the worker once the caller's transaction commits. A `key`
names an event: the same key is never told twice to the same person (the scheduled alerts run
every day and must not repeat themselves)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from core.text import nfc

from . import kinds
from .delivery import enqueue_delivery
from .models import Delivery, MailState, Notification, NotificationPreference

BATCH = 2000


@dataclass(frozen=True)
class Message:
    """One notification to make: for `user`, of `kind`."""

    user: object
    kind: str
    title: str
    body: str = ""
    link: str = ""
    key: str = ""


def _choices(pairs: set[tuple[int, str]]) -> dict[tuple[int, str], str]:
    out: dict[tuple[int, str], str] = {}
    users = sorted({u for u, _ in pairs})
    kinds_ = sorted({k for _, k in pairs})
    for i in range(0, len(users), BATCH):
        for user_id, kind, delivery in NotificationPreference.objects.filter(
            user_id__in=users[i : i + BATCH], kind__in=kinds_
        ).values_list("user_id", "kind", "delivery"):
            out[(user_id, kind)] = delivery
    return out


def _told(keyed: list[Message]) -> set[tuple[int, str]]:
    found: set[tuple[int, str]] = set()
    keys = sorted({m.key for m in keyed})
    users = {m.user.pk for m in keyed}
    for i in range(0, len(keys), BATCH):
        found.update(
            (u, k)
            for u, k in Notification.objects.filter(key__in=keys[i : i + BATCH]).values_list(
                "recipient_id", "key"
            )
            if u in users
        )
    return found


@transaction.atomic
def notify_many(messages: Iterable[Message]) -> list[Notification]:
    messages = [m for m in messages if m.user is not None and m.kind in kinds.KINDS]
    if not messages:
        return []
    choices = _choices({(m.user.pk, m.kind) for m in messages})
    told = _told([m for m in messages if m.key])
    rows, seen = [], set()
    for m in messages:
        delivery = choices.get((m.user.pk, m.kind), kinds.KINDS[m.kind].default)
        once = (m.user.pk, m.key or f"#{len(rows)}")
        if delivery == Delivery.OFF or (m.key and (once in told or once in seen)):
            continue
        seen.add(once)
        rows.append(
            Notification(
                recipient_id=m.user.pk,
                kind=m.kind,
                title=nfc(m.title)[:300],
                body=nfc(m.body),
                link=m.link[:500],
                key=m.key[:120],
                delivery=delivery,
                mail_state=MailState.PENDING if m.user.email else MailState.SKIPPED,
            )
        )
    created = Notification.objects.bulk_create(rows, batch_size=1000)
    enqueue_delivery(
        [
            n.pk
            for n in created
            if n.delivery == Delivery.IMMEDIATE and n.mail_state == MailState.PENDING
        ]
    )
    return created


def notify(
    *,
    kind: str,
    recipients: Iterable,
    title: str,
    body: str = "",
    link: str = "",
    key: str = "",
    exclude=None,
) -> list[Notification]:
    """Tell each of `recipients` (users) the same thing, except `exclude` (the person who acted:
    nobody is told of their own action)."""
    skip = getattr(exclude, "pk", None)
    people = {u.pk: u for u in recipients if u is not None and u.pk != skip}
    return notify_many(Message(u, kind, title, body, link, key) for u in people.values())


# ---------------------------------------------------------------------------------------------
# Reading and choosing


def notification_mark_read(*, user, notification: Notification) -> None:
    if notification.recipient_id != user.pk:  # the views 404 first; this is the last guard
        raise PermissionError("not the recipient")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preferences_save(*, user, choices: dict[str, str]) -> None:
    """Store a person's choice per kind; an unknown kind or value is ignored (the form offers
    only the valid ones); the kind's default is stored as no row."""
    for code, value in choices.items():
        kind = kinds.KINDS.get(code)
        if kind is None or value not in kinds.DELIVERIES:
            continue
        if value == kind.default:
            NotificationPreference.objects.filter(user=user, kind=code).delete()
        else:
            NotificationPreference.objects.update_or_create(
                user=user, kind=code, defaults={"delivery": value}
            )
