"""The demo's mail backend: mails are kept in the database (OutboxMail) instead of leaving the
machine, and the administrator reads them on /notifications/outbox/. Production sets
EMAIL_HOST (SMTP) in the environment instead (truongchuan/settings.py)."""

from __future__ import annotations

from django.core.mail.backends.base import BaseEmailBackend

from .models import OutboxMail


def _html_of(message) -> str:
    for content, mimetype in getattr(message, "alternatives", ()) or ():
        if mimetype == "text/html":
            return str(content)
    return ""


class DatabaseBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        rows = [
            OutboxMail(
                to=", ".join(m.recipients())[:1000],
                from_email=(m.from_email or "")[:300],
                subject=str(m.subject)[:500],
                body=str(m.body),
                html=_html_of(m),
            )
            for m in email_messages
            if m.recipients()
        ]
        OutboxMail.objects.bulk_create(rows, batch_size=1000)
        return len(rows)
