from django.apps import AppConfig


def _year_value_label(record, key: str) -> str | None:
    """SchoolYearData.values keys are rows of the school kind's Phần I table."""
    from schools import yeardata

    try:
        kind = record.school.kind
        return yeardata.schema_for(kind).row(key).label
    except Exception:  # a key of another kind's schema, or the school is gone
        return None


class SchoolsConfig(AppConfig):
    name = "schools"

    def ready(self) -> None:
        from core import audit

        audit.json_labels("schools.SchoolYearData", "values", _year_value_label)
