from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """The bell, the mails and the scheduled alerts, on top of every domain: it listens to the
    domains' signals; no domain imports it."""

    name = "notifications"

    def ready(self) -> None:
        # Imported here, not at module top: the receivers import models, which are only
        # importable once the app registry is ready.
        from notifications import receivers

        receivers.connect_all()
