"""Issue 14's quality bar in a real browser: a principal submits the self-assessment; the
managing officer logs in, sees the bell's count, opens the list and reads the notification;
the mail was queued for the worker."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from assessments import services
from frameworks.services import framework_load_dir
from notifications.models import Notification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_principal_submits_and_the_officer_sees_the_bell_and_the_notification(
    page, login, live_server, principal, commune_officer, school, screenshot
):
    framework_load_dir()
    assessment = services.assessment_start(
        user=principal, school=school, school_year="2024-2025", on_date=dt.date(2024, 10, 1)
    ).assessment
    # The principal submits (the service the submit button calls).
    services.assessment_submit(user=principal, assessment=assessment)
    assert Notification.objects.filter(recipient=commune_officer).count() == 1

    login("xa_phongtho")
    page.goto(f"{live_server.url}/")
    count = page.locator("#bell-count")
    expect(count).to_have_text("1")
    expect(page.locator("[data-todo=waiting] [data-count]")).to_have_text("1")
    screenshot("notifications-home-officer")
    page.click("#bell")
    expect(page).to_have_url(re.compile(r"/notifications/$"))
    item = page.locator("#notification-list li").first
    expect(item).to_contain_text("đã nộp báo cáo tự đánh giá")
    screenshot("notifications-list")
    item.get_by_role("button", name="Mở").click()
    expect(page).to_have_url(re.compile(rf"/assessments/{assessment.pk}/$"))
    expect(page.locator("#bell-count")).to_have_count(0)
