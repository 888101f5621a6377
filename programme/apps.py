from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "programme"

    def ready(self) -> None:
        # Imported here, not at module top: the document kinds import models, which are only
        # importable once the app registry is ready.
        from documents import registry
        from programme.documents import kinds

        registry.register(*kinds.KINDS)
        registry.register_plans(kinds.PLANS)
