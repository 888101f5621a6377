from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    """External evaluation (đánh giá ngoài): registration, the Sở's team, judgments, visits,
    divergence from the self-assessment, the final report and the recognition decision it
    leads to (recorded into the register through recognition.services)."""

    name = "evaluation"
    verbose_name = "Đánh giá ngoài"
