"""Issue 4's quality bar in a real browser: a commune officer records a recognition through the
register's form and sees the dashboard change (Mức độ 1 goes up, the charts are drawn); an
outsider cannot open the commune's dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from schools.models import School

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def kindergarten(commune) -> School:
    return School.objects.create(
        code="LC-MN-HOASEN", name="Trường Mầm non Hoa Sen", kind="MN", unit=commune
    )


def test_commune_officer_records_a_recognition_and_the_dashboard_changes(
    page, live_server, login, screenshot, school, kindergarten, commune_officer
):
    login(commune_officer.username)
    page.goto(f"{live_server.url}/dashboard/")
    expect(page.locator("h1")).to_contain_text("Xã Phong Thổ")
    expect(page.locator("#count-total")).to_have_text("2")
    expect(page.locator("#count-level-1")).to_have_text("0")
    expect(page.locator("#rate-standard")).to_have_text("0,00%")
    # Chart.js comes from the static files (npm, no CDN) and draws both charts.
    expect(page.locator("#chart-kinds")).to_have_attribute("data-drawn", "1")
    expect(page.locator("#chart-trend")).to_have_attribute("data-drawn", "1")

    page.goto(f"{live_server.url}/programme/schools/{school.code}/recognitions/new/")
    page.select_option("select[name=kind]", "standard_new")
    page.select_option("select[name=level]", "1")
    page.fill("input[name=number]", "215/QĐ-SGDĐT")
    signed = timezone.localdate() - dt.timedelta(days=20)
    page.fill("input[name=signed_on]", signed.strftime("%d/%m/%Y"))
    page.fill("input[name=signing_body]", "Sở GD&ĐT Lai Châu")
    page.fill("input[name=signer_name]", "Nguyễn Văn An")
    page.get_by_role("button", name="Ghi vào sổ").click()
    page.wait_for_url(f"**/programme/schools/{school.code}/recognitions/")
    expect(page.locator(".alert-success")).to_contain_text("215/QĐ-SGDĐT")

    page.goto(f"{live_server.url}/dashboard/")
    expect(page.locator("#count-level-1")).to_have_text("1")
    expect(page.locator("#rate-standard")).to_have_text("50,00%")
    row = page.locator(f"#table-areas tr[data-school='{school.code}']")
    expect(row).to_contain_text(school.name)
    expect(page.locator("#table-trend tbody tr").last).to_contain_text("1")
    expect(page.locator("#chart-kinds")).to_have_attribute("data-drawn", "1")
    screenshot("dashboard_commune_after_recognition")

    # Drill-down: the school's line opens its register page.
    row.get_by_role("link", name=school.name).click()
    page.wait_for_url(f"**/programme/schools/{school.code}/recognitions/")


def test_outsider_cannot_open_the_commune_dashboard(page, live_server, login, school, outsider):
    login(outsider.username)
    response = page.goto(f"{live_server.url}/dashboard/W03549/")
    assert response is not None and response.status == 404
    expect(page.locator("body")).not_to_contain_text("Huổi Luông")
