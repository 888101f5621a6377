"""Issue 17, point 8, in a real browser: every level badge is painted (the best result was an
empty white cell), and "Nộp báo cáo" asks for confirmation, lists the open pre-print checks and
submits only once the warnings are acknowledged. Every step waits on what the page shows."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from assessments import services
from assessments.models import Assessment, Status
from evidence.demo import demo_assessment
from frameworks.services import framework_load_dir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TRANSPARENT = ("rgba(0, 0, 0, 0)", "transparent")


@pytest.fixture
def fresh(principal, school):
    framework_load_dir()
    return services.assessment_start(
        user=principal, school=school, school_year="2024-2025", on_date=dt.date(2024, 10, 1)
    ).assessment


def test_each_level_badge_of_a_sheet_is_painted(page, live_server, login, principal, fresh):
    sheet = fresh.sheets.get(criterion__code="1.1")
    results = list(sheet.results.select_related("indicator").order_by("indicator__position"))
    login(principal.username)
    for level in range(0, 4):
        for r in results:
            if r.indicator.level <= level and not r.met:
                services.indicator_set(user=principal, result=r, met=True)
                r.met = True
        page.goto(f"{live_server.url}/assessments/{fresh.pk}/tieu-chi/1.1/")
        badge = page.get_by_test_id("criterion-level")
        expect(badge).to_have_class(f"badge fs-6 badge-level-{level}")
        colour = badge.evaluate("e => getComputedStyle(e).backgroundColor")
        assert colour not in TRANSPARENT, (level, colour)


def test_submitting_asks_to_acknowledge_the_open_checks(
    page, live_server, login, screenshot, principal, school
):
    framework_load_dir()
    assessment = demo_assessment(
        user=principal, school=school, school_year="2024-2025", on_date=dt.date(2024, 10, 1)
    )
    login(principal.username)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    page.get_by_text("Nộp báo cáo…").click()
    warnings = page.get_by_test_id("submit-warnings")
    expect(warnings).to_contain_text("Yêu cầu 4 của Mức 4 chưa có văn bản")
    screenshot("submit_confirmation")
    page.get_by_test_id("submit-button").click()  # the checkbox is required: nothing is sent
    expect(page.locator("#submit-acknowledge")).to_be_visible()
    assert Assessment.objects.get(pk=assessment.pk).status == Status.DRAFT
    page.check("#submit-acknowledge")
    page.get_by_test_id("submit-button").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã nộp báo cáo")
    assert Assessment.objects.get(pk=assessment.pk).status == Status.SUBMITTED
