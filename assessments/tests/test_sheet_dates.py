"""Issue 17 §5: a criterion sheet is dated by its cycle's timeline (the step "Viết phiếu đánh giá
tiêu chí"), not by the day it is printed; without that step, the day is kept inside the cycle."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import Role
from assessments import services as asm
from assessments.documents import common
from assessments.documents import data as sa_data
from core.text import format_date_long
from documents import registry
from documents.common import DocumentRequest
from documents.tests.helpers import open_docx
from evidence.demo import demo_assessment
from frameworks.services import framework_load_dir

from .test_self_assessment import body_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def principal(make_user, school):
    return make_user(Role.PRINCIPAL, school=school, username="ht_huoiluong")


def sheets_text(user, assessment, **header) -> str:
    req = DocumentRequest(user=user, kind="sa-sheets", assessment_id=assessment.pk, header=header)
    return body_text(open_docx(registry.build_docx(req)))


def test_sheets_are_dated_at_the_timeline_step_for_writing_them(principal, school):
    framework_load_dir()
    a = demo_assessment(
        user=principal, school=school, school_year="2024-2025", on_date=dt.date(2024, 10, 1)
    )
    assert common.sheets_date(sa_data.load(a)) == dt.date(2024, 12, 28)
    text = sheets_text(principal, a)
    assert format_date_long(dt.date(2024, 12, 28)) in text
    assert format_date_long(dt.date.today()) not in text
    # A typed date still wins.
    assert format_date_long(dt.date(2025, 1, 6)) in sheets_text(principal, a, date="2025-01-06")


def test_without_a_timeline_step_a_past_cycle_is_dated_within_its_school_year(principal, school):
    framework_load_dir()
    a = asm.assessment_start(
        user=principal, school=school, school_year="2024-2025", on_date=dt.date(2024, 10, 1)
    ).assessment
    day = common.sheets_date(sa_data.load(a))
    assert dt.date(2024, 10, 1) <= day <= dt.date(2025, 5, 31)
    assert format_date_long(day) in sheets_text(principal, a)
