from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"

    def ready(self) -> None:
        # Every model's history table and the auth signal receivers: one place (core.audit).
        from core import audit

        audit.register_models()
