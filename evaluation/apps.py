from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    """External evaluation (đánh giá ngoài): registration, the Sở's team, judgments, visits,
    divergence from the self-assessment, the final report and the recognition decision it
    leads to (recorded into the register through recognition.services)."""

    name = "evaluation"
    verbose_name = "Đánh giá ngoài"

    def ready(self) -> None:
        # Imported here, not at module top: the document kinds import models, which are only
        # importable once the app registry is ready.
        from documents import registry
        from evaluation import services
        from evaluation.documents import kinds
        from recognition.services import register_correction_check

        registry.register(*kinds.kinds())
        # A decision an evaluation led to is never corrected above what its report supports
        # (the register calls the check; it does not import the evaluation).
        register_correction_check(services.correction_problems)
