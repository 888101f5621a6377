from functools import partial

from django.apps import AppConfig
from django.utils.translation import gettext as _


def _state_label(record, key: str) -> str | None:
    """CriterionSheet.current_state keys are levels ("1", "2", "3")."""
    return _("Mức %(n)s") % {"n": key} if str(key).isdigit() else None


def _prose_label(prose, record, key: str) -> str | None:
    """AssessmentProse.texts: the sections of the self-assessment documents, Biểu 2's
    monitoring columns, and the recognition conditions the framework names."""
    if key in prose.SECTION_BY_KEY:
        return prose.SECTION_BY_KEY[key].label
    columns = dict(prose.MONITORING_COLUMNS)
    if key in columns:
        return columns[key]
    if key == "monitoring":
        return _("Theo dõi, giám sát thực hiện kế hoạch cải tiến")
    if key == "conditions":
        return _("Điều kiện công nhận nhà trường xác nhận")
    try:
        conditions = record.assessment.framework.data.get("conditions") or {}
    except Exception:  # the assessment is gone
        return None
    found = conditions.get(key)
    return found.get("label") if isinstance(found, dict) else None


class AssessmentsConfig(AppConfig):
    name = "assessments"

    def ready(self) -> None:
        from core import audit

        audit.json_labels("assessments.CriterionSheet", "current_state", _state_label)
        from assessments.documents import prose

        audit.json_labels("assessments.AssessmentProse", "texts", partial(_prose_label, prose))

        # Imported here, not at module top: the document kinds import models, which are only
        # importable once the app registry is ready.
        from assessments.documents import kinds
        from documents import registry

        registry.register(*kinds.kinds())
        registry.register_index_context(kinds.index_context)
