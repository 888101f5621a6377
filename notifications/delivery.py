"""Mails, sent by the background worker (never inside a request): one mail per notification a
person wants at once (`deliver_notifications`, enqueued when the action's transaction commits),
and one daily digest per person of what they asked to get that way (`send_daily_digest`).

A mail that fails raises, so the worker runs the task again (core.worker: TASK_MAX_ATTEMPTS,
the reason kept on the task row); what was sent before the failure is marked sent and never
goes twice. The action that caused the notification has committed long before: a mail server
that is down blocks nothing. Mails are Vietnamese, plain text and HTML (templates in
notifications/templates/notifications/mail/)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from core.text import format_date_short

from .digest import DigestItem, digest_html, digest_text
from .models import Delivery, MailState, Notification

logger = logging.getLogger(__name__)

DIGEST_CHUNK = 500  # recipients per batch: one send_messages() and one UPDATE


def absolute(link: str) -> str:
    if not link or link.startswith(("http://", "https://")):
        return link
    return settings.SITE_URL.rstrip("/") + link


def _subject(text: str) -> str:
    return " ".join(f"[Trường Chuẩn] {text}".split())[:250]


@dataclass
class Item:
    title: str
    body: str
    link: str
    created: object

    @property
    def when(self) -> str:
        return format_date_short(timezone.localtime(self.created).date())


def _context(name: str, items: list[Item]) -> dict:
    return {
        "name": name,
        "items": items,
        "site_url": settings.SITE_URL.rstrip("/"),
        "preferences_url": absolute(reverse("notifications:preferences")),
        "list_url": absolute(reverse("notifications:list")),
    }


def _person(first: str, last: str, username: str) -> str:
    full = f"{first} {last}".strip()
    return full or username


def notification_mail(notification: Notification) -> EmailMultiAlternatives:
    user = notification.recipient
    items = [
        Item(
            notification.title, notification.body, absolute(notification.link), notification.created
        )
    ]
    with translation.override("vi"):
        ctx = _context(_person(user.first_name, user.last_name, user.username), items)
        text = get_template("notifications/mail/notification.txt").render(ctx)
        html = get_template("notifications/mail/notification.html").render(ctx)
    mail = EmailMultiAlternatives(_subject(notification.title), text, to=[user.email])
    mail.attach_alternative(html, "text/html")
    return mail


@task()
def deliver_notifications(ids: list[int]) -> int:
    """Mail each of these notifications whose person wants it at once. Returns how many went;
    raises after trying them all if one failed (the worker retries the failed ones only)."""
    pending = (
        Notification.objects.filter(
            pk__in=ids, delivery=Delivery.IMMEDIATE, mail_state=MailState.PENDING
        )
        .select_related("recipient")
        .order_by("pk")
    )
    sent, failed = 0, []
    connection = get_connection()
    for n in pending:
        if not n.recipient.email:
            Notification.objects.filter(pk=n.pk).update(mail_state=MailState.SKIPPED)
            continue
        try:
            connection.send_messages([notification_mail(n)])
        except Exception as exc:  # noqa: BLE001 — any failure of the mail server: retry later
            logger.warning("mail for notification %s failed: %s", n.pk, exc)
            failed.append(n.pk)
            continue
        Notification.objects.filter(pk=n.pk).update(
            mail_state=MailState.SENT, mailed_at=timezone.now()
        )
        sent += 1
    if failed:
        raise RuntimeError(f"Gửi thư thất bại cho thông báo {failed}; sẽ thử lại.")
    return sent


def enqueue_delivery(ids: list[int]) -> None:
    """After the caller's transaction commits (a rolled-back action tells nobody)."""
    if ids:
        transaction.on_commit(lambda: deliver_notifications.enqueue(list(ids)))


# ---------------------------------------------------------------------------------------------
# Daily digest

DIGEST_FIELDS = (
    "pk",
    "recipient_id",
    "title",
    "body",
    "link",
    "created",
    "recipient__email",
    "recipient__first_name",
    "recipient__last_name",
    "recipient__username",
)


def _digest_rows(before) -> Iterator[dict]:
    return (
        Notification.objects.filter(
            delivery=Delivery.DIGEST, mail_state=MailState.PENDING, created__lt=before
        )
        .order_by("recipient_id", "created", "pk")
        .values(*DIGEST_FIELDS)
        .iterator(chunk_size=5000)
    )


def _chunks(rows: Iterable[dict]) -> Iterator[list[tuple[int, list[dict]]]]:
    chunk: list[tuple[int, list[dict]]] = []
    for recipient_id, group in groupby(rows, key=lambda r: r["recipient_id"]):
        chunk.append((recipient_id, list(group)))
        if len(chunk) >= DIGEST_CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _digest_mail(rows: list[dict], urls: dict[str, str], tz) -> EmailMultiAlternatives:
    first = rows[0]
    items = [
        DigestItem(
            r["title"],
            r["body"],
            absolute(r["link"]),
            format_date_short(r["created"].astimezone(tz).date()),
        )
        for r in rows
    ]
    name = _person(
        first["recipient__first_name"], first["recipient__last_name"], first["recipient__username"]
    )
    mail = EmailMultiAlternatives(
        _subject(f"Tổng hợp thông báo: {len(items)} việc cần biết"),
        digest_text(name=name, items=items, **urls),
        to=[first["recipient__email"]],
    )
    mail.attach_alternative(digest_html(name=name, items=items, **urls), "text/html")
    return mail


def build_and_send_digest(now=None) -> int:
    """One mail per person with pending digest notifications created before `now`; returns how
    many mails went. Chunk by chunk: a failing chunk raises, the chunks before stay sent.

    The bodies are string joins (notifications/digest.py, proven equal to the templates they
    replaced), the links every mail shares are reversed once, and the database backend writes a
    chunk's mails in one statement: 45,000 people's digest in bench/bench_notify.py."""
    now = now or timezone.now()
    sent = 0
    tz = timezone.get_current_timezone()
    with translation.override("vi"):
        urls = {
            "list_url": absolute(reverse("notifications:list")),
            "preferences_url": absolute(reverse("notifications:preferences")),
        }
        connection = get_connection()
        for chunk in _chunks(_digest_rows(now)):
            mails, sent_ids, skipped_ids = [], [], []
            for _recipient, rows in chunk:
                ids = [r["pk"] for r in rows]
                if not rows[0]["recipient__email"]:
                    skipped_ids += ids
                    continue
                mails.append(_digest_mail(rows, urls, tz))
                sent_ids += ids
            if mails:
                connection.send_messages(mails)
            with transaction.atomic():
                stamp = timezone.now()
                for i in range(0, len(sent_ids), 5000):
                    Notification.objects.filter(pk__in=sent_ids[i : i + 5000]).update(
                        mail_state=MailState.SENT, mailed_at=stamp
                    )
                for i in range(0, len(skipped_ids), 5000):
                    Notification.objects.filter(pk__in=skipped_ids[i : i + 5000]).update(
                        mail_state=MailState.SKIPPED
                    )
            sent += len(mails)
    return sent


@task()
def send_daily_digest() -> int:
    """The scheduler's daily digest (settings.SCHEDULED_TASKS)."""
    return build_and_send_digest()
