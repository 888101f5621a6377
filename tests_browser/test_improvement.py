"""Issue 16 in a real browser, with the real roles: the principal registers an improvement action
from a blocker the engine names on the school's improvement page, moves it on and notes its
progress; the commune officer sees it in the unit's list (overdue first, and the overdue
filter), opens the analysis of what holds the commune's schools back with its chart, and
downloads the xlsx export, which opens with its headers.

Every step waits on something the page shows (expect), never on time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from assessments import services as assessment_services
from assessments.tests.conftest import assessment, loaded, tick_all  # noqa: F401
from improvement.models import ImprovementAction

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKER = "1.1-M2"
TITLE = "Rà soát, bổ sung kế hoạch chiến lược của nhà trường"


@pytest.fixture
def assessed(assessment, principal):  # noqa: F811
    """Every indicator met but one of Mức 2: the engine names it as the school's blocker."""
    tick_all(principal, assessment)
    result = assessment.indicator_results.get(indicator__ident=BLOCKER)
    assessment_services.indicator_set(user=principal, result=result, met=False)
    return assessment


def test_an_action_from_a_blocker_to_the_units_analysis(
    page, live_server, login, screenshot, tmp_path, assessed, principal, commune_officer, school
):
    base = live_server.url
    today = timezone.localdate()
    start, due = today - dt.timedelta(days=60), today - dt.timedelta(days=7)  # overdue

    # The principal registers this year's action from the blocker.
    login(principal.username)
    page.goto(f"{base}/improvement/truong/{school.code}/")
    expect(page.locator("#blockers")).to_contain_text(BLOCKER)
    expect(page.locator("#blockers")).to_contain_text("chưa đăng ký")
    page.select_option("select[name=targets]", [BLOCKER])
    page.fill("input[name=title]", TITLE)
    page.fill("input[name=responsible]", "Phó hiệu trưởng Lò Văn Minh")
    page.fill("input[name=start]", start.strftime("%d/%m/%Y"))
    page.fill("input[name=due]", due.strftime("%d/%m/%Y"))
    page.fill("textarea[name=expected_evidence]", "Kế hoạch chiến lược đã rà soát")
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    expect(page.locator("#actions")).to_contain_text(TITLE)
    expect(page.locator("#actions")).to_contain_text("Quá hạn")
    expect(page.locator("#blockers")).to_contain_text(TITLE)  # the blocker shows its action
    screenshot("improvement_school")

    # … sets its status on the action's page, then notes its progress.
    page.locator("#actions").get_by_role("link", name=TITLE).click()
    expect(page.locator("main h1")).to_have_text(TITLE)
    edit = page.locator("form", has=page.locator("input[name=title]"))
    edit.locator("select[name=status]").select_option("in_progress")
    edit.get_by_role("button", name="Lưu").click()
    expect(page.locator("main")).to_contain_text("Đang thực hiện")
    note = page.locator("form", has=page.locator("textarea[name=text]"))
    note.locator("textarea[name=text]").fill("Đã họp tổ chuyên môn, dự thảo kế hoạch mới.")
    note.get_by_role("button", name="Ghi tiến độ").click()
    expect(page.locator("#h-notes + ul")).to_contain_text(
        "Đã họp tổ chuyên môn, dự thảo kế hoạch mới."
    )
    screenshot("improvement_action")
    action = ImprovementAction.objects.get()
    assert action.status == "in_progress" and action.indicators == [BLOCKER]
    assert action.notes.count() == 1

    # The commune officer: the unit's list, overdue first and on its own.
    page.context.clear_cookies()
    login(commune_officer.username)
    uid = school.unit.uid
    page.goto(f"{base}/improvement/don-vi/{uid}/")
    row = page.locator("#unit-actions tbody tr", has_text=TITLE)
    expect(row).to_contain_text("Quá hạn")
    expect(row).to_contain_text(school.name)
    page.select_option("select#status", "overdue")  # submits on change (static/js/app.js)
    expect(page).to_have_url(f"{base}/improvement/don-vi/{uid}/?status=overdue")
    expect(page.locator("#unit-actions")).to_contain_text(TITLE)
    screenshot("improvement_unit_overdue")

    # … the analysis with its chart, then the xlsx export.
    page.get_by_role("link", name="Phân tích chỉ báo cản trở các trường").click()
    expect(page.locator("main h1")).to_contain_text("Chỉ báo cản trở các trường")
    expect(page.locator("#ranked")).to_contain_text(BLOCKER)
    expect(page.locator("#chart-blockers")).to_have_attribute("data-drawn", "1")
    box = page.locator("#chart-blockers").bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 100
    screenshot("improvement_analysis")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Xuất Excel").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    workbook = load_workbook(path)
    assert "Chỉ báo cản trở" in workbook.sheetnames
    cells = [c.value for row in workbook["Chỉ báo cản trở"].iter_rows() for c in row]
    assert "Chỉ báo" in cells  # the table's header
    assert any(isinstance(v, str) and "1 trường" in v for v in cells)
