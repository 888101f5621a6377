from django.apps import AppConfig

from schools import yeardata


def _year_value_label(record, key: str) -> str | None:
    """SchoolYearData.values keys are rows of the school kind's Phần I table."""
    try:
        kind = record.school.kind
        return yeardata.schema_for(kind).row(key).label
    except Exception:  # a key of another kind's schema, or the school is gone
        return None


class SchoolsConfig(AppConfig):
    name = "schools"

    def ready(self) -> None:
        # Imported here: core.audit reads the models, importable once the registry is ready.
        from core import audit

        audit.json_labels("schools.SchoolYearData", "values", _year_value_label)
