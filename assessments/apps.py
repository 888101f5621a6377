from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"

    def ready(self) -> None:
        # Imported here, not at module top: the document kinds import models, which are only
        # importable once the app registry is ready.
        from assessments.documents import kinds
        from documents import registry

        registry.register(*kinds.kinds())
        registry.register_index_context(kinds.index_context)
