from django.apps import AppConfig
from django.utils.translation import gettext as _


def _prose_label(record, key: str) -> str | None:
    """AssessmentProse.texts: the sections of the self-assessment documents, Biểu 2's
    monitoring columns, and the recognition conditions the framework names."""
    from documents.selfassessment import prose

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


def _draft_label(record, key: str) -> str | None:
    """ReportDraft.texts: the sections of the unit's report or plan."""
    from documents.builders import plan, report

    return dict(report.SECTIONS).get(key) or dict(plan.SECTIONS).get(key)


class DocumentsConfig(AppConfig):
    name = "documents"

    def ready(self) -> None:
        from core import audit

        audit.json_labels("documents.AssessmentProse", "texts", _prose_label)
        audit.json_labels("documents.ReportDraft", "texts", _draft_label)
