"""The pages: a school's blockers and its register form, the action page, the managing unit's
list, the analysis with its chart data and xlsx export; refusals keep what was typed."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from improvement import services
from improvement.models import ImprovementAction, ImprovementReview

from .conftest import tick_all


@pytest.fixture
def assessed(assessment, principal):
    """Everything of criteria 1.x met, the rest not: the school is blocked elsewhere."""
    tick_all(principal, assessment)
    result = assessment.indicator_results.filter(indicator__ident="1.1-M2").get()
    from assessments import services as assessment_services

    assessment_services.indicator_set(user=principal, result=result, met=False)
    return assessment


def test_the_school_page_lists_the_blockers(client, principal, school, assessed):
    client.force_login(principal)
    page = client.get(reverse("improvement:school", args=[school.code]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Còn thiếu để lên mức tiếp theo" in body
    assert "1.1-M2" in body


def test_registering_without_a_responsible_person_keeps_what_was_typed(
    client, principal, school, assessed
):
    client.force_login(principal)
    page = client.post(
        reverse("improvement:register", args=[school.code]),
        {
            "targets": ["1.1-M2"],
            "title": "Rà soát kế hoạch năm học",
            "responsible": "",
            "start": "05/09/2025",
            "due": "01/09/2025",
            "status": "planned",
        },
    )
    assert page.status_code == 400
    body = page.content.decode()
    assert "Hãy ghi người (hoặc bộ phận) chịu trách nhiệm thực hiện." in body
    assert "Hạn hoàn thành (01/09/2025) trước ngày bắt đầu (05/09/2025)." in body
    assert "Rà soát kế hoạch năm học" in body
    assert not ImprovementAction.objects.exists()


def test_registering_creates_the_action_and_the_blocker_shows_it(
    client, principal, school, assessed
):
    client.force_login(principal)
    page = client.post(
        reverse("improvement:register", args=[school.code]),
        {
            "targets": ["1.1-M2"],
            "title": "Rà soát kế hoạch năm học",
            "responsible": "Hiệu trưởng",
            "start": "05/09/2025",
            "due": "30/11/2025",
            "status": "planned",
        },
    )
    assert page.status_code == 302
    action = ImprovementAction.objects.get()
    assert action.indicators == ["1.1-M2"]
    body = client.get(reverse("improvement:school", args=[school.code])).content.decode()
    assert "Rà soát kế hoạch năm học" in body


def test_a_review_in_the_future_is_refused_on_the_page(client, principal, school):
    client.force_login(principal)
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).strftime("%d/%m/%Y")
    page = client.post(
        reverse("improvement:review", args=[school.code]),
        {"held_on": tomorrow, "conclusions": "Đạt tiến độ"},
    )
    assert page.status_code == 400
    assert "chỉ ghi lần rà soát đã diễn ra" in page.content.decode()
    assert not ImprovementReview.objects.exists()


def test_staff_may_not_register(client, staff, school, assessed):
    client.force_login(staff)
    page = client.post(reverse("improvement:register", args=[school.code]), {})
    assert page.status_code == 403


def test_an_outsider_gets_404(client, outsider, school, commune):
    client.force_login(outsider)
    assert client.get(reverse("improvement:school", args=[school.code])).status_code == 404
    assert client.get(reverse("improvement:analysis", args=[commune.uid])).status_code == 404


def test_the_analysis_page_ranks_the_blocker_and_exports_xlsx(
    client, commune_officer, commune, school, assessed
):
    client.force_login(commune_officer)
    page = client.get(reverse("improvement:analysis", args=[commune.uid]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "1.1-M2" in body
    assert 'id="improvement-data"' in body
    assert "<script>" not in body.replace('<script id="improvement-data"', "")
    drill = client.get(reverse("improvement:analysis", args=[commune.uid]), {"indicator": "1.1-M2"})
    assert school.name in drill.content.decode()
    export = client.get(reverse("improvement:analysis_xlsx", args=[commune.uid]))
    assert export.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    assert [ws.title for ws in wb.worksheets] == ["Chỉ báo cản trở", "Tiêu chí", "Trường"]
    cells = [c.value for row in wb["Chỉ báo cản trở"].iter_rows() for c in row]
    assert "chỉ báo Mức 2" not in cells
    assert not any(isinstance(v, str) and "1.1-M2" in v for v in cells)


def test_the_unit_lists_its_schools_actions_overdue_first(
    client, principal, commune_officer, commune, school, tt17, action_data
):
    services.action_register(user=principal, school=school, framework=tt17, data=action_data())
    services.action_register(
        user=principal,
        school=school,
        framework=tt17,
        data=action_data(title="Việc quá hạn", start=dt.date(2025, 1, 1), due=dt.date(2025, 2, 1)),
    )
    client.force_login(commune_officer)
    page = client.get(reverse("improvement:unit_actions", args=[commune.uid]))
    body = page.content.decode()
    assert page.status_code == 200
    assert body.index("Việc quá hạn") < body.index("Bổ sung phòng học bộ môn")


def test_the_action_page_edits_with_a_version(client, principal, school, tt17, action_data):
    action = services.action_register(
        user=principal, school=school, framework=tt17, data=action_data()
    )
    client.force_login(principal)
    url = reverse("improvement:action", args=[action.pk])
    assert client.get(url).status_code == 200
    form = {
        "targets": ["1.1-M2"],
        "title": "Đổi tên",
        "responsible": "Hiệu trưởng",
        "start": "05/09/2025",
        "due": "31/05/2026",
        "status": "in_progress",
        "version": "1",
    }
    assert client.post(url, form).status_code == 302
    stale = client.post(url, {**form, "title": "Bản cũ"})
    assert stale.status_code == 409
    assert "Bản cũ" in stale.content.decode()


def test_the_monthly_report_is_drafted_from_the_actions_and_sent_in_one_click(
    client, principal, commune, school, tt17, action_data
):
    from django.utils import timezone

    from programme.models import MonthlyReport, PlanSchoolTarget, ProgrammePlan

    year = timezone.localdate().year
    plan = ProgrammePlan.objects.create(
        unit=commune, kind="ke_hoach", number="5/KH", issued_on=dt.date(year, 1, 1),
        issuing_body="UBND xã", title="Kế hoạch", start_year=year, end_year=year,
        monthly_reports=True,
    )  # fmt: skip
    PlanSchoolTarget.objects.create(plan=plan, school=school, year=year, target="new_1")
    services.action_register(user=principal, school=school, framework=tt17, data=action_data())
    client.force_login(principal)
    url = reverse("improvement:monthly_send", args=[school.code])
    assert client.post(url, {"plan": plan.pk, "version": 0}).status_code == 302
    report = MonthlyReport.objects.get()
    assert "Trường đăng ký 1 hành động cải tiến." in report.progress
    stale = client.post(url, {"plan": plan.pk, "version": 0})
    assert stale.status_code == 409
    assert MonthlyReport.objects.get().version == report.version
