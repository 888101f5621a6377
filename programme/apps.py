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

        from core import audit
        from programme.documents import plan

        # ReportDraft.texts keys: the plan document's sections (a report's fall back to words).
        sections = dict(plan.SECTIONS)
        audit.json_labels("programme.ReportDraft", "texts", lambda record, key: sections.get(key))
