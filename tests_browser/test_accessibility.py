"""Issue 14 §5: every kind of page passes axe-core (no violation of any impact) and fits a
375 px screen (nothing wider than the viewport but tables scrolling inside their own box), as
the role that uses it; the criterion sheet works from the keyboard (Space ticks an indicator,
arrow keys move between choices without saving each one). axe-core is read from node_modules
and injected by Playwright in the tests only: the pages never load it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from assessments import services as asm
from assessments.models import Assessment, IndicatorResult, Status
from evaluation.tests.factories import evaluation_at_work
from evidence.demo import demo_assessment
from frameworks.services import framework_load_dir
from programme.models import ProgrammePlan
from recognition import rules
from recognition.models import RecognitionDecision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def page(browser, live_server):
    """This module's page: the Content-Security-Policy would refuse the injected axe-core
    script, so the context bypasses it (the other browser tests check the policy)."""
    context = browser.new_context(locale="vi-VN", viewport=DESKTOP, bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def world(principal, commune_officer, province_officer, school, commune):
    framework_load_dir()
    assessment = demo_assessment(
        user=principal, school=school, school_year="2024-2025", on_date=dt.date(2024, 10, 1)
    )
    RecognitionDecision.objects.create(
        school=school,
        kind=rules.STANDARD_NEW,
        level=1,
        number="12/QĐ-UBND",
        signed_on=dt.date(2022, 6, 1),
        signing_body="UBND tỉnh Lai Châu",
    )
    plan = ProgrammePlan.objects.create(
        unit=commune,
        kind="ke_hoach",
        issuing_body="UBND xã Phong Thổ",
        title="Kế hoạch xây dựng trường chuẩn của xã",
        start_year=2024,
        end_year=2026,
    )
    commune_officer.memberships.update(is_admin=True)  # the commune's account administrator
    # A real officer's name is long (the navbar shows it next to every manager's menu).
    commune_officer.first_name = "Cán bộ văn hóa - xã hội xã Phong Thổ"
    commune_officer.save(update_fields=["first_name"])
    # An earlier cycle, accepted and locked: the list shows its lock.
    earlier = asm.assessment_start(
        user=principal, school=school, school_year="2023-2024", on_date=dt.date(2023, 10, 1)
    ).assessment
    Assessment.objects.filter(pk=earlier.pk).update(locked=True, status=Status.ACCEPTED)
    # An external evaluation of the earlier cycle at work, led by "truong_doan".
    evaluation, _leader = evaluation_at_work(earlier)
    return {
        "evaluation": evaluation,
        "assessment": assessment,
        "plan": plan,
        "school": school,
        "earlier": earlier,
        "commune": commune,
    }


def pages(world) -> list[tuple[str | None, str]]:
    """(username or None for anonymous, path) of every kind of page."""
    a = world["assessment"].pk
    code = world["school"].code
    plan = world["plan"].pk
    earlier = world["earlier"].pk
    uid = world["commune"].uid
    province_uid = world["commune"].parent.uid
    ev = world["evaluation"].pk
    return [
        (None, "/accounts/login/"),
        ("ht_huoiluong", "/"),
        ("ht_huoiluong", f"/schools/{code}/"),
        ("ht_huoiluong", f"/schools/{code}/edit/"),
        ("ht_huoiluong", f"/schools/{code}/so-lieu/"),
        ("ht_huoiluong", "/assessments/"),
        ("ht_huoiluong", f"/assessments/{a}/"),
        ("ht_huoiluong", f"/assessments/{a}/tieu-chi/1.1/"),
        ("ht_huoiluong", f"/assessments/{a}/hoi-dong/"),
        ("ht_huoiluong", f"/assessments/{a}/muc-4/"),
        ("ht_huoiluong", f"/evidence/a/{a}/"),
        ("ht_huoiluong", f"/evidence/a/{a}/new/"),
        ("ht_huoiluong", f"/documents/assessments/{a}/prose/"),
        ("ht_huoiluong", f"/documents/assessments/{a}/"),
        ("xa_phongtho", "/"),
        ("xa_phongtho", "/schools/"),
        ("xa_phongtho", "/dashboard/"),
        ("xa_phongtho", "/programme/"),
        ("xa_phongtho", "/programme/plans/"),
        ("xa_phongtho", "/programme/expiring/"),
        ("xa_phongtho", f"/programme/schools/{code}/recognitions/"),
        ("xa_phongtho", "/programme/investments/"),
        ("xa_phongtho", f"/programme/plans/{plan}/"),
        ("xa_phongtho", "/documents/"),
        ("xa_phongtho", "/assessments/tien-do/"),
        ("so_laichau", "/"),
        ("so_laichau", "/dashboard/"),
        ("so_laichau", "/frameworks/"),
        # External evaluation, improvement actions, notifications, accounts, API tokens and
        # the public pages (issues 12, 14, 15, 16).
        ("ht_huoiluong", "/danh-gia-ngoai/"),
        ("ht_huoiluong", f"/danh-gia-ngoai/dang-ky/{earlier}/"),
        ("ht_huoiluong", f"/improvement/truong/{code}/"),
        ("ht_huoiluong", "/notifications/"),
        ("ht_huoiluong", "/notifications/preferences/"),
        ("ht_huoiluong", "/api/tokens/"),
        ("ht_huoiluong", f"/cong-khai/quan-ly/{code}/"),
        ("xa_phongtho", f"/improvement/don-vi/{uid}/"),
        ("xa_phongtho", f"/improvement/don-vi/{uid}/phan-tich/"),
        ("xa_phongtho", "/accounts/people/"),
        ("xa_phongtho", "/accounts/people/new/"),
        ("xa_phongtho", "/danh-gia-ngoai/"),
        ("truong_doan", f"/danh-gia-ngoai/{ev}/nhan-xet/1.1/"),
        (None, "/cong-khai/"),
        (None, f"/cong-khai/tinh/{province_uid}/"),
        (None, f"/cong-khai/truong/{code}/"),
        (None, "/accounts/password/reset/"),
    ]


# The outermost elements sticking out of the screen (what to wrap or let wrap).
TOO_WIDE = """() => {
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right <= window.innerWidth + 1 || box.width === 0) continue;
    if (el.parentElement && el.parentElement.getBoundingClientRect().right > window.innerWidth + 1
        && out.includes(el.parentElement)) continue;
    out.push(el);
  }
  return out.slice(0, 4).map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
    + ' ' + Math.round(el.getBoundingClientRect().right) + 'px');
}"""


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [" ".join(n["target"]) for n in v["nodes"]][:6],
            "summary": v["nodes"][0].get("failureSummary", "")[:240],
        }
        for v in result
    ]


def test_every_page_kind_passes_axe_and_fits_a_phone(page, live_server, login, world, screenshot):
    found: dict[str, list] = {}
    user = "?"
    for username, path in pages(world):
        if username != user:
            page.context.clear_cookies()
            if username:
                login(username)
            user = username
        for name, size in (("phone", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(size)
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None and response.status == 200, (username, path)
            if name == "phone":
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > PHONE["width"]:
                    found.setdefault(f"{username} {path}", []).append(
                        f"{width} px wide at 375: " + ", ".join(page.evaluate(TOO_WIDE))
                    )
                slug = (path.strip("/").replace("/", "_") or "home") + f"_{username}"
                screenshot(f"a11y_{slug}_375")
            else:
                # A desktop screen too: a navbar with every menu of a manager and a long
                # name once pushed the page 180 px wider than 1280.
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > size["width"]:
                    found.setdefault(f"{username} {path}", []).append(
                        f"{width} px wide at {size['width']}: " + ", ".join(page.evaluate(TOO_WIDE))
                    )
                violations = axe_violations(page)
                if violations:
                    found.setdefault(f"{username} {path}", []).extend(violations)
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


def test_the_criterion_sheet_works_from_the_keyboard(page, live_server, login, world):
    """Arrow keys move between Đạt / Không đạt / Chưa đánh giá without saving each choice
    passed over; Space (or leaving the group) saves the choice once."""
    assessment = world["assessment"]
    sheet = assessment.sheets.get(criterion__code="1.1")
    first = sheet.results.select_related("indicator").order_by("indicator__position").first()
    IndicatorResult.objects.filter(pk=first.pk).update(met=None)
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    login("ht_huoiluong")
    posts.clear()
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/tieu-chi/1.1/")
    row = page.locator(f'[data-indicator="{first.indicator.ident}"]')
    undecided = row.locator("input[value='']")
    undecided.focus()
    page.keyboard.press("ArrowLeft")  # Không đạt
    page.keyboard.press("ArrowLeft")  # Đạt
    expect(row.locator("input[value='1']")).to_be_checked()
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.keyboard.press("Space")
    first.refresh_from_db()
    assert first.met is True
    assert len(posts) == 1, posts
    # Leaving the group after moving saves the choice too, once.
    page.keyboard.press("ArrowRight")  # Không đạt
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.keyboard.press("Tab")
    first.refresh_from_db()
    assert first.met is False
    assert len(posts) == 2, posts
    # A pause after moving saves the choice reached, once.
    page.locator(f"#met-{first.pk}-0").focus()
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.keyboard.press("ArrowRight")  # Chưa đánh giá
    first.refresh_from_db()
    assert first.met is None
    assert len(posts) == 3, posts
