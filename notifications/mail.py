"""The demo's mail backend: mails are kept in the database (OutboxMail) instead of leaving the
machine, and the administrator reads them on /notifications/outbox/. Production sets
EMAIL_HOST (SMTP) in the environment instead (truongchuan/settings.py)."""

from __future__ import annotations

from django.core.mail.backends.base import BaseEmailBackend
from django.db import connections, router, transaction
from django.utils import timezone

from .models import OutboxMail

COLUMNS = ("to", "from_email", "subject", "body", "html", "sent_at")


def _html_of(message) -> str:
    for content, mimetype in getattr(message, "alternatives", ()) or ():
        if mimetype == "text/html":
            return str(content)
    return ""


class DatabaseBackend(BaseEmailBackend):
    """A batch of mails (the digest sends 500 at a time) is one statement: one COPY on
    PostgreSQL, one prepared INSERT run for every row on SQLite. Django's bulk_create built
    a ~125-row statement from model instances each time and was a fifth of the digest."""

    def send_messages(self, email_messages) -> int:
        alias = router.db_for_write(OutboxMail)
        connection = connections[alias]
        sent_at = OutboxMail._meta.get_field("sent_at").get_db_prep_save(timezone.now(), connection)
        rows = []
        for m in email_messages:
            recipients = m.recipients()
            if recipients:
                rows.append(
                    (
                        ", ".join(recipients)[:1000],
                        (m.from_email or "")[:300],
                        str(m.subject)[:500],
                        str(m.body),
                        _html_of(m),
                        sent_at,
                    )
                )
        if not rows:
            return 0
        quote = connection.ops.quote_name
        table = quote(OutboxMail._meta.db_table)
        columns = ", ".join(quote(c) for c in COLUMNS)
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(COLUMNS))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)
        return len(rows)
