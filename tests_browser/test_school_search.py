"""Issue 2's quality bar in a real browser: log in, search without accents, open the school;
and an outsider finds nothing of Lai Châu."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from schools.models import School

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HUOI_LUONG = "Trường PTDTBT TH Huổi Luông"


@pytest.fixture
def kindergarten(commune) -> School:
    """A second school of the same commune that the search must filter out."""
    return School.objects.create(
        code="LC-MN-HOASEN", name="Trường Mầm non Hoa Sen", kind="MN", unit=commune
    )


def test_commune_officer_searches_without_accents_and_opens_the_school(
    page, live_server, login, screenshot, school, kindergarten, sibling_school, commune_officer
):
    login(commune_officer.username)
    page.goto(f"{live_server.url}/schools/")
    results = page.locator("#school-results")
    expect(results).to_contain_text(kindergarten.name)
    expect(results).not_to_contain_text(sibling_school.name)  # another commune: out of scope

    # The stylesheets come from the static files (npm, no CDN): Bootstrap colours the navbar.
    navbar_bg = page.eval_on_selector(".navbar", "e => getComputedStyle(e).backgroundColor")
    assert navbar_bg not in ("rgba(0, 0, 0, 0)", "transparent")

    page.fill("input[name=q]", "huoi luong")
    page.press("input[name=q]", "Enter")
    table = results.locator("table")
    expect(table).to_contain_text(HUOI_LUONG)
    expect(results).not_to_contain_text(kindergarten.name)
    # The export link outside the results follows the live search (htmx out-of-band swap).
    expect(page.locator("#export-link")).to_have_attribute("href", re.compile(r"[?&]q=huoi\+luong"))
    screenshot("school_search_huoi_luong")

    table.get_by_role("link", name=HUOI_LUONG).click()
    page.wait_for_url(f"**/schools/{school.code}/")
    expect(page.locator("h1")).to_have_text(HUOI_LUONG)
    screenshot("school_detail_huoi_luong")


def test_outsider_sees_nothing_of_lai_chau(page, live_server, login, school, outsider):
    login(outsider.username)
    page.goto(f"{live_server.url}/schools/?q=huoi+luong")
    results = page.locator("#school-results")
    expect(results).to_be_visible()
    expect(results).not_to_contain_text("Huổi Luông")
    expect(results.locator("table")).to_have_count(0)

    response = page.goto(f"{live_server.url}/schools/{school.code}/")
    assert response is not None and response.status == 404
    expect(page.locator("body")).not_to_contain_text("Huổi Luông")
