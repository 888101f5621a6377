"""Fixtures for the self-assessment tests: every framework loaded, a TH school's 2024-2025 cycle
(TT17-2018) opened by its principal, staff members and a council."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import Role
from assessments import services
from frameworks.services import framework_load_dir

HOSTILE = "<script>alert(1)</script>"


@pytest.fixture
def loaded(db):
    framework_load_dir()


@pytest.fixture
def assessment(loaded, principal, school):
    return services.assessment_start(
        user=principal, school=school, school_year="2024-2025", on_date=dt.date(2024, 10, 1)
    ).assessment


@pytest.fixture
def staff(make_user, school):
    return make_user(Role.STAFF, school=school, username="gv_huoiluong")


@pytest.fixture
def other_staff(make_user, school):
    return make_user(Role.STAFF, school=school, username="gv2_huoiluong")


def sheet_of(assessment, code):
    return assessment.sheets.select_related("criterion", "assessment").get(criterion__code=code)


def results_of(assessment, code):
    return {
        r.indicator.ident: r for r in sheet_of(assessment, code).results.select_related("indicator")
    }


def tick_all(user, assessment, codes=None, met=True):
    for r in assessment.indicator_results.filter(sheet__isnull=False).select_related(
        "sheet__criterion", "indicator"
    ):
        if codes is None or r.sheet.criterion.code in codes:
            services.indicator_set(user=user, result=r, met=met)
