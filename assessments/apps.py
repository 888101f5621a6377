from django.apps import AppConfig
from django.utils.translation import gettext as _


def _state_label(record, key: str) -> str | None:
    """CriterionSheet.current_state keys are levels ("1", "2", "3")."""
    return _("Mức %(n)s") % {"n": key} if str(key).isdigit() else None


class AssessmentsConfig(AppConfig):
    name = "assessments"

    def ready(self) -> None:
        from core import audit

        audit.json_labels("assessments.CriterionSheet", "current_state", _state_label)
