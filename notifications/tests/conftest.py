from __future__ import annotations

import datetime as dt

import pytest

from assessments import services as assessment_services
from frameworks.services import framework_load_dir


@pytest.fixture
def assessment(principal, school):
    framework_load_dir()
    return assessment_services.assessment_start(
        user=principal, school=school, school_year="2024-2025", on_date=dt.date(2024, 10, 1)
    ).assessment


@pytest.fixture
def with_mail(principal, commune_officer, province_officer):
    for user, address in (
        (principal, "ht@example.org"),
        (commune_officer, "xa@example.org"),
        (province_officer, "so@example.org"),
    ):
        user.email = address
        user.save(update_fields=["email"])
