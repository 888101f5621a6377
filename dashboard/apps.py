from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The unit's overview on top of the register and the plans (no models of its own)."""

    name = "dashboard"

    def ready(self) -> None:
        # Imported here, not at module top: the document kinds import models, which are only
        # importable once the app registry is ready.
        from dashboard.documents import kinds
        from documents import registry

        registry.register(*kinds.KINDS)
