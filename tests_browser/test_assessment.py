"""Issue 5's quality bar in a real browser: a working-group member ticks indicators and sees the
criterion level and the engine's explanation change; inserts an evidence code from the picker;
and an autosave that fails (network cut by page.route, then a concurrent edit) keeps the typed
text and says so in Vietnamese."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from assessments import services
from assessments.models import CouncilRole, CriterionSheet
from evidence import services as evidence_services
from frameworks.models import Criterion
from frameworks.services import framework_load_dir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def member_setup(principal, school, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    framework_load_dir()
    assessment = services.assessment_start(
        user=principal, school=school, school_year="2024-2025", on_date=dt.date(2024, 10, 1)
    ).assessment
    member = make_user(Role.STAFF, school=school, username="gv_nhom1")
    criterion = Criterion.objects.get(framework=assessment.framework, code="1.1")
    group = services.working_group_create(
        user=principal, assessment=assessment, name="Nhóm 1", criteria=[criterion]
    )
    services.council_member_add(
        user=principal,
        assessment=assessment,
        data={
            "full_name": "Lò Thị Mai",
            "role": CouncilRole.MEMBER,
            "user": member,
            "group": group,
        },
    )
    evidence_services.evidence_create(
        user=principal,
        assessment=assessment,
        data={"first_criterion": criterion, "name": "Kế hoạch chiến lược giai đoạn 2021-2025"},
    )
    return assessment, member


def _radio(page, ident: str, value: str):
    item = page.locator(
        "li.list-group-item", has=page.locator("code", has_text=re.compile(f"^{re.escape(ident)}$"))
    )
    return item.locator(f"input[type=radio][value='{value}']")


def test_member_ticks_indicators_and_sees_level_and_explanation_change(
    page, live_server, login, screenshot, member_setup
):
    assessment, member = member_setup
    login(member.username)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/tieu-chi/1.1/")
    level = page.get_by_test_id("criterion-level")
    explanation = page.get_by_test_id("criterion-explanation")
    expect(level).to_have_text("Chưa đạt Mức 1")
    expect(explanation).to_contain_text("thiếu 1.1-M1a, 1.1-M1b, 1.1-M1c để đạt Mức 1")

    _radio(page, "1.1-M1a", "1").check()
    expect(explanation).to_contain_text("thiếu 1.1-M1b, 1.1-M1c để đạt Mức 1")
    expect(page.get_by_test_id("evidence-warning")).to_contain_text("1.1-M1a được đánh giá đạt")
    _radio(page, "1.1-M1b", "1").check()
    _radio(page, "1.1-M1c", "1").check()
    expect(level).to_have_text("Mức 1")
    expect(explanation).to_contain_text("thiếu 1.1-M2 để đạt Mức 2")

    # Evidence picker: the code goes where the cursor is, in the framework's style.
    box = page.locator("textarea[name=state_1]")
    box.fill("Nhà trường có kế hoạch chiến lược")
    page.fill("#evidence-q", "ke hoach")
    insert = page.locator("#evidence-picker-results button[data-evidence-code='[H1-1.1-01]']")
    insert.click()
    expect(box).to_have_value("Nhà trường có kế hoạch chiến lược [H1-1.1-01]")
    expect(page.get_by_test_id("cited-evidence")).to_contain_text("[H1-1.1-01]")
    expect(page.get_by_test_id("evidence-warning")).not_to_contain_text("được đánh giá đạt")
    status = page.get_by_test_id("autosave-status")
    expect(status).to_contain_text("Đã tự động lưu lúc")
    screenshot("assessment_sheet_member")
    sheet = CriterionSheet.objects.get(assessment=assessment, criterion__code="1.1")
    assert sheet.current_state["1"] == "Nhà trường có kế hoạch chiến lược [H1-1.1-01]"
    assert sheet.level == 1


def test_a_failed_autosave_keeps_the_text_and_says_so(
    page, live_server, login, screenshot, member_setup, principal
):
    assessment, member = member_setup
    login(member.username)
    url = f"{live_server.url}/assessments/{assessment.pk}/tieu-chi/1.1/"
    page.goto(url)

    def cut_autosave(route):
        if route.request.method == "POST" and route.request.headers.get("x-autosave"):
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route(re.compile(r".*/tieu-chi/1\.1/$"), cut_autosave)
    box = page.locator("textarea[name=strengths]")
    box.fill("Đội ngũ giáo viên nhiệt tình")
    status = page.get_by_test_id("autosave-status")
    expect(status).to_contain_text("Không lưu được: mất kết nối tới máy chủ")
    expect(status).to_have_attribute("role", "alert")
    expect(box).to_have_value("Đội ngũ giáo viên nhiệt tình")
    screenshot("assessment_autosave_offline")
    sheet = CriterionSheet.objects.get(assessment=assessment, criterion__code="1.1")
    assert sheet.strengths == ""

    # The network is back, but the principal saved the same sheet in the meantime.
    page.unroute(re.compile(r".*/tieu-chi/1\.1/$"))
    services.sheet_save(
        user=principal, sheet=sheet, version=sheet.version, data={"strengths": "Bản của HT"}
    )
    box.press("End")
    box.type(" và tâm huyết")
    expect(status).to_contain_text("đã được người khác cập nhật")
    expect(box).to_have_value("Đội ngũ giáo viên nhiệt tình và tâm huyết")
    screenshot("assessment_autosave_conflict")
    sheet.refresh_from_db()
    assert sheet.strengths == "Bản của HT"
