"""Issue 12's quality bar in a real browser, with the real roles: the principal registers from
an accepted self-assessment, the Sở accepts and forms the team, two members judge on their
criterion pages (htmx), the leader consolidates, writes a criterion's texts for the report, sends
the draft, records the school's feedback and finalises; the Sở records the decision, the school's
register shows the new validity, and once the principal publishes the result the public page
(no login) shows it.

Every step waits on something the page shows (expect), never on time."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.levels import requirement_refs
from assessments.tests.conftest import assessment, loaded  # noqa: F401
from evaluation import services
from evaluation.models import CriterionReview, Evaluation, TeamMember
from evaluation.tests.conftest import accepted, team_users  # noqa: F401
from frameworks.models import Indicator
from recognition import rules as recognition_rules
from tests_browser.conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_chain_from_registration_to_the_register(
    browser,
    page,
    live_server,
    login,
    screenshot,
    accepted,  # noqa: F811
    principal,
    province_officer,
    team_users,  # noqa: F811
):
    base = live_server.url

    def as_user(username: str) -> None:
        page.context.clear_cookies()  # a new person at the keyboard
        login(username)

    # The principal registers.
    as_user(principal.username)
    page.goto(f"{base}/danh-gia-ngoai/")
    page.get_by_role("link", name="Đăng ký từ báo cáo tự đánh giá này").click()
    expect(page.locator("#checks")).to_contain_text("Báo cáo tự đánh giá đã được chấp nhận")
    page.select_option("select[name=purpose]", "new")
    page.select_option("select[name=target_level]", "2")
    page.fill("input[name=letter_number]", "25/CV-THHL")
    page.get_by_role("button", name="Gửi đăng ký").click()
    expect(page.locator("#reg-status")).to_have_text("Đã gửi")
    screenshot("ee_registration")

    # The Sở accepts and forms the team.
    as_user(province_officer.username)
    page.goto(f"{base}/danh-gia-ngoai/")
    page.locator("#queue").get_by_role("link", name=accepted.school.name).click()
    page.get_by_role("button", name="Tiếp nhận đăng ký").click()
    expect(page.locator("#ev-status")).to_have_text("Đang thành lập đoàn")
    page.get_by_role("link", name="Thành phần đoàn").click()
    roles = ["leader", "secretary", "member", "member", "member"]
    for n, (person, role) in enumerate(zip(team_users, roles, strict=False)):
        page.fill("input[name=person]", person.username)
        page.fill("input[name=full_name]", f"Thành viên {n}")
        page.select_option("select[name=role]", role)
        page.locator("input[name=criteria]").nth(n).check()
        if n == 2:
            page.locator("input[name=criteria]").nth(5).check()
        page.get_by_role("button", name="Thêm vào đoàn").click()
        expect(page.locator("#members")).to_contain_text(f"Thành viên {n}")
    page.fill("input[name=team_decision_number]", "12/QĐ-SGDĐT")
    page.get_by_role("button", name="Đoàn bắt đầu làm việc").click()
    expect(page.locator("#ev-status")).to_have_text("Đang đánh giá")
    evaluation = Evaluation.objects.get()

    # Two members judge their criteria on the criterion page (htmx).
    for person in (team_users[2], team_users[3]):
        seat = TeamMember.objects.get(evaluation=evaluation, user=person)
        criterion = seat.criteria.order_by("position").first()
        ind = Indicator.objects.filter(criterion=criterion).order_by("position").first()
        as_user(person.username)
        page.goto(f"{base}/danh-gia-ngoai/{evaluation.pk}/tieu-chi/{criterion.code}/")
        card = page.locator(f"#ind-{ind.pk}")
        card.locator("select").select_option("0")
        card.locator("textarea").fill(f"Ý kiến của {person.username}")
        card.get_by_role("button", name="Ghi").click()
        expect(page.locator(f"#ind-{ind.pk}")).to_contain_text(f"Ý kiến của {person.username}")
    screenshot("ee_member_judgment")

    # The leader consolidates one indicator on its page; the rest as on the criterion pages.
    leader = team_users[0]
    seat = TeamMember.objects.get(evaluation=evaluation, user=team_users[2])
    lowered = Indicator.objects.filter(criterion=seat.criteria.order_by("position").first())
    lowered = lowered.order_by("-level").first()
    for ind in Indicator.objects.filter(framework=evaluation.framework).exclude(pk=lowered.pk):
        services.team_judge(
            user=leader, evaluation=evaluation, indicator=ind, met=ind.criterion_id is not None
        )
    as_user(leader.username)
    page.goto(f"{base}/danh-gia-ngoai/{evaluation.pk}/ket-luan/{lowered.pk}/")
    page.select_option("select[name=met]", "0")
    page.fill("textarea[name=reason]", "Minh chứng chưa đủ")
    page.get_by_role("button", name="Lưu").click()
    page.goto(f"{base}/danh-gia-ngoai/{evaluation.pk}/doi-chieu/?chi_khac=1")
    expect(page.locator("#divergence")).to_contain_text(requirement_refs([lowered.ident]))
    expect(page.locator("#divergence")).to_contain_text("Minh chứng chưa đủ")
    screenshot("ee_divergence")

    # The leader writes the team's texts for that criterion, reached from the divergence page.
    code = lowered.criterion.code
    page.locator(f"#divergence a[href$='/nhan-xet/{code}/']").click()
    expect(page.locator("main h1")).to_contain_text(f"Tiêu chí {code}")
    page.fill("textarea[name=strengths]", "Kế hoạch phát triển sát thực tế địa phương.")
    page.fill("textarea[name=weaknesses]", "Minh chứng về kết quả chưa đầy đủ.")
    page.fill("textarea[name=recommendations]", "Bổ sung minh chứng trước kỳ đánh giá sau.")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text(f"Đã lưu nhận xét của đoàn về tiêu chí {code}.")).to_be_visible()
    expect(page.locator("textarea[name=weaknesses]")).to_have_value(
        "Minh chứng về kết quả chưa đầy đủ."
    )
    screenshot("ee_criterion_review")
    page.goto(f"{base}/danh-gia-ngoai/{evaluation.pk}/")
    expect(
        page.get_by_role("link", name=f"Nhận xét của đoàn về tiêu chí {code}", exact=True)
    ).to_have_text("Đã viết")
    review = CriterionReview.objects.get(evaluation=evaluation)
    assert review.criterion.code == code and review.updated_by == leader

    # Draft, feedback, final report.
    today = timezone.localdate()
    page.goto(f"{base}/danh-gia-ngoai/{evaluation.pk}/")
    page.fill("input[name=feedback_deadline]", today.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Gửi dự thảo cho trường").click()
    expect(page.locator("#ev-status")).to_have_text("Chờ ý kiến của trường")
    page.fill("textarea[name=text]", "Nhà trường nhất trí.")
    page.fill("input[name=received_on]", today.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Ghi ý kiến của trường").click()
    expect(page.get_by_text("Nhà trường nhất trí.")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Hoàn thành báo cáo chính thức").click()
    expect(page.locator("#final-report")).to_contain_text("nguyên vẹn")

    # The Sở records the signed decision; the register shows the new validity.
    as_user(province_officer.username)
    page.goto(f"{base}/danh-gia-ngoai/{evaluation.pk}/quyet-dinh/")
    page.fill("input[name=number]", "345/QĐ-SGDĐT")
    page.get_by_role("button", name="Ghi vào sổ công nhận").click()
    expect(page.locator("#decision")).to_contain_text("345/QĐ-SGDĐT")
    until = recognition_rules.add_years(today, 5)
    page.get_by_role("link", name="Sổ công nhận của trường").click()
    expect(page.locator("main")).to_contain_text("345/QĐ-SGDĐT")
    expect(page.locator("main")).to_contain_text(re.compile(rf"{until.year}"))
    # The register's status card: the new validity, five years from the signing day.
    expect(page.locator("main")).to_contain_text(f"hiệu lực đến {until:%d/%m/%Y}")
    screenshot("ee_register")

    # The public page (no login) shows the recognition; the external evaluation's result only
    # once the school marks it public, which the principal does on the publication page.
    public_url = f"{base}/cong-khai/truong/{accepted.school.code}/"

    def visit_public_page(name: str) -> None:
        """An anonymous visitor in a browser of their own (the public pages are cacheable:
        a new context holds no copy of an earlier visit)."""
        visitor = browser.new_context(locale="vi-VN")
        try:
            public = visitor.new_page()
            public.goto(public_url)
            main = public.locator("main")
            expect(main).to_contain_text(accepted.school.name)
            expect(main).to_contain_text(f"hiệu lực đến {until:%d/%m/%Y}")
            if name == "before":
                expect(main).to_contain_text("Chưa công khai kết quả đánh giá ngoài.")
            else:
                expect(main).to_contain_text("Đoàn đánh giá ngoài đánh giá:")
                expect(main).not_to_contain_text("Thành viên 0")  # no team member's name
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            public.screenshot(path=str(SCREENSHOTS / f"ee_public_{name}.png"), full_page=True)
        finally:
            visitor.close()

    visit_public_page("before")
    as_user(principal.username)
    page.goto(f"{base}/cong-khai/quan-ly/{accepted.school.code}/")
    row = page.locator("tr", has_text="Kết quả đánh giá ngoài")
    row.get_by_role("button", name="Công khai", exact=True).click()
    expect(page.locator("tr", has_text="Kết quả đánh giá ngoài")).to_contain_text(
        "Đang công khai từ"
    )
    visit_public_page("after")
