import datetime as dt

import pytest
from django.utils import timezone

from recognition.models import RecognitionDecision
from recognition.rules import add_months, add_years


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    # Scans and pending imports go to a throwaway directory, never the project's media/.
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def add_decision(db):
    """Write a decision straight to the register (no rule check), for arranging history."""

    def make(school, kind, signed_on, level=None, number=None, **extra):
        return RecognitionDecision.objects.create(
            school=school,
            kind=kind,
            signed_on=signed_on,
            level=level,
            number=number or f"{RecognitionDecision.objects.count() + 1}/QĐ-SGDĐT",
            signing_body="Sở GD&ĐT Lai Châu",
            **extra,
        )

    return make


def years_ago(today: dt.date, years: int, months: int = 0) -> dt.date:
    return add_months(add_years(today, -years), -months)
