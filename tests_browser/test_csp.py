"""The Content-Security-Policy (settings.py: scripts only from our static files, no inline
script or handler, no eval) in a real browser: the main pages, as the roles that use them,
send the header and raise no policy error in the console (the `page` fixture fails on any);
the behaviours that were inline handlers still work from static/js/app.js."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from playwright.sync_api import expect

from assessments import services
from evidence import services as evidence_services
from evidence.models import Evidence
from frameworks.models import Criterion
from frameworks.services import framework_load_dir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def workspace(principal, school, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    framework_load_dir()
    assessment = services.assessment_start(
        user=principal, school=school, school_year="2024-2025", on_date=dt.date(2024, 10, 1)
    ).assessment
    criterion = Criterion.objects.get(framework=assessment.framework, code="1.1")
    evidence = evidence_services.evidence_create(
        user=principal,
        assessment=assessment,
        data={"first_criterion": criterion, "name": "Kế hoạch chiến lược giai đoạn 2021-2025"},
    )
    return assessment, evidence


def visit(page, live_server, path: str) -> None:
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200, path
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "default-src 'self'" in policy, path
    page.wait_for_load_state("load")


def principal_pages(school, assessment, evidence) -> list[str]:
    return [
        reverse("home"),
        reverse("schools:list"),
        reverse("schools:detail", kwargs={"code": school.code}),
        reverse("schools:year_data", kwargs={"code": school.code}),
        reverse("assessments:list"),
        reverse("assessments:detail", kwargs={"pk": assessment.pk}),
        reverse("assessments:sheet", kwargs={"pk": assessment.pk, "code": "1.1"}),
        reverse("assessments:standard", kwargs={"pk": assessment.pk, "code": "1"}),
        reverse("assessments:level4", kwargs={"pk": assessment.pk}),
        reverse("evidence:register", kwargs={"assessment_id": assessment.pk}),
        reverse("evidence:detail", kwargs={"pk": evidence.pk}),
        reverse("evidence:create", kwargs={"assessment_id": assessment.pk}),
        reverse("documents:index"),
        reverse("programme:register"),
        reverse("frameworks:list"),
    ]


def test_main_pages_as_a_principal_raise_no_policy_error(
    page, live_server, login, school, principal, workspace
):
    assessment, evidence = workspace
    login(principal.username)
    for path in principal_pages(school, assessment, evidence):
        visit(page, live_server, path)
    # The criterion sheet's htmx requests (evidence picker on load) ran under the policy too.
    visit(
        page, live_server, reverse("assessments:sheet", kwargs={"pk": assessment.pk, "code": "1.1"})
    )
    expect(page.locator("#evidence-picker-results")).to_contain_text(evidence.name)
    assert page.csp_errors == []


def test_main_pages_as_a_commune_officer_raise_no_policy_error(
    page, live_server, login, school, commune, commune_officer, screenshot
):
    login(commune_officer.username)
    for path in [
        reverse("home"),
        reverse("dashboard:index"),
        reverse("dashboard:unit", kwargs={"uid": commune.uid}),
        reverse("schools:list"),
        reverse("programme:register"),
        reverse("programme:forecast"),
        reverse("programme:plans"),
        reverse("assessments:progress"),
        reverse("units:list"),
    ]:
        visit(page, live_server, path)
    visit(page, live_server, reverse("dashboard:index"))
    # Chart.js draws under the policy (no inline script, no injected style).
    expect(page.locator("#chart-kinds")).to_have_attribute("data-drawn", "1")
    screenshot("csp_dashboard_commune")
    assert page.csp_errors == []


def test_the_admin_pages_and_the_login_page_raise_no_policy_error(
    page, live_server, login, superuser, principal, screenshot
):
    AccessAttempt.objects.create(
        username=principal.username,
        ip_address="203.113.1.10",
        user_agent="",
        get_data="",
        post_data="",
        http_accept="",
        path_info="/accounts/login/",
        failures_since_start=5,
    )
    visit(page, live_server, reverse("accounts:login"))
    login(superuser.username, "Admin-2025!")
    visit(page, live_server, reverse("accounts:lockouts"))
    expect(page.locator("#lockouts")).to_contain_text(principal.username)
    screenshot("lockouts_superuser")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Mở khóa").click()
    expect(page.locator(".alert-success")).to_contain_text(principal.username)
    assert not AccessAttempt.objects.exists()
    visit(page, live_server, reverse("admin:index"))
    visit(page, live_server, reverse("admin:axes_accessattempt_changelist"))
    visit(page, live_server, reverse("admin:auth_user_changelist"))
    assert page.csp_errors == []


def test_the_language_menu_still_switches_without_inline_script(
    page, live_server, login, commune_officer
):
    login(commune_officer.username)
    page.select_option("#lang-select", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("footer")).to_contain_text("open-source platform")


def test_deleting_an_evidence_still_asks_first(page, live_server, login, principal, workspace):
    _assessment, evidence = workspace
    login(principal.username)
    visit(page, live_server, reverse("evidence:detail", kwargs={"pk": evidence.pk}))
    questions: list[str] = []

    def answer(dialog) -> None:
        questions.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", answer)
    page.get_by_role("button", name="Xóa").click()
    expect(page.get_by_role("button", name="Xóa")).to_be_visible()
    assert questions == ["Xóa minh chứng này?"]
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_a_locked_account_sees_the_message_on_the_login_page(
    page, live_server, principal, settings, screenshot
):
    settings.AXES_FAILURE_LIMIT = 3
    page.goto(f"{live_server.url}{reverse('accounts:login')}")
    for _ in range(3):
        page.fill("input[name=username]", principal.username)
        page.fill("input[name=password]", "sai-mat-khau")
        page.click("form button[type=submit]")
        page.wait_for_load_state("load")
    expect(page.locator("#login-lockout")).to_contain_text("tạm thời bị khóa đăng nhập")
    expect(page.locator("input[name=username]")).to_have_value(principal.username)
    screenshot("login_locked_out")
