from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    """The recognition register (Sổ công nhận): decisions, their status rules, the register's
    pages, import and the statistics document."""

    name = "recognition"
