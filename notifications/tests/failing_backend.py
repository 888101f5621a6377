"""A mail backend whose server is down (test_services)."""

from django.core.mail.backends.base import BaseEmailBackend


class Backend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server down")


class Flaky(BaseEmailBackend):
    """Down for the first `failures` sends, then up (the mails go to Django's test outbox)."""

    failures = 1

    def send_messages(self, email_messages):
        if Flaky.failures > 0:
            Flaky.failures -= 1
            raise ConnectionRefusedError("SMTP server down")
        from django.core import mail

        mail.outbox.extend(email_messages)
        return len(email_messages)
