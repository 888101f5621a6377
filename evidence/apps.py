from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "evidence"

    def ready(self) -> None:
        # Imported here, not at module top: the register reads models, which are only
        # importable once the app registry is ready. Plugging it turns the arrow between the
        # apps round: assessments asks its own extension point, evidence answers it.
        from assessments import register
        from evidence.register import Register

        register.plug(Register())
