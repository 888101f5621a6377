from django.apps import AppConfig


class PublicationConfig(AppConfig):
    """Công khai (seed 002): the public pages — a school's recognitions, and the summaries of
    its self-assessment, external evaluation and improvement plan once marked public — and a
    province's list of standard schools. No login; only what was published."""

    name = "publication"
    verbose_name = "Công khai"
