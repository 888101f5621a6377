"""Monthly progress reports: the school submits, the unit sees the grid with missing months
highlighted and reminds; the school sees the reminder; attachments are served only in scope."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from programme import plans
from programme.models import MonthlyReport, Reminder

from . import test_plans_views as base

# Fixtures shared with the plan pages' tests.
district, district_plan, this_year = base.district, base.district_plan, base.this_year
login = base.login

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def months_done(plan):
    today = timezone.localdate()
    return [
        m
        for m in plans.report_months(plan.start_year, plan.end_year, plan.issued_on)
        if plans.next_month(m) <= today
    ]


def test_principal_submits_a_report_with_attachment(client, principal, district_plan, school):
    month = months_done(district_plan)[0]
    url = reverse(
        "programme:monthly_submit", args=[district_plan.pk, school.code, f"{month:%Y-%m}"]
    )
    c = login(client, principal)
    assert c.get(url).status_code == 200
    upload = SimpleUploadedFile("bao cao.pdf", PDF, content_type="application/pdf")
    response = c.post(url, {"progress": "Đã rà soát tiêu chuẩn 3.", "attachment": upload})
    assert response.status_code == 302
    report = MonthlyReport.objects.get()
    assert report.month == month and report.submitted_by == principal
    download = c.get(reverse("programme:monthly_file", args=[report.pk]))
    assert download.status_code == 200
    assert download["Cache-Control"] == "private, no-store"


def test_an_empty_report_is_refused_and_keeps_input(client, principal, district_plan, school):
    month = months_done(district_plan)[0]
    url = reverse(
        "programme:monthly_submit", args=[district_plan.pk, school.code, f"{month:%Y-%m}"]
    )
    response = login(client, principal).post(url, {"progress": "", "results": "Giữ lại"})
    assert response.status_code == 400
    assert "Giữ lại" in response.content.decode()
    assert not MonthlyReport.objects.exists()


def test_a_future_month_cannot_be_reported(client, principal, district_plan, school):
    future = plans.next_month(plans.month_start(timezone.localdate()))
    if future.year > district_plan.end_year:
        return  # December: no future month in the plan
    url = reverse(
        "programme:monthly_submit", args=[district_plan.pk, school.code, f"{future:%Y-%m}"]
    )
    response = login(client, principal).post(url, {"progress": "Sớm"})
    assert response.status_code == 400


def test_the_grid_highlights_missing_months_and_the_unit_reminds(
    client, commune_officer, principal, district_plan, school
):
    done = months_done(district_plan)
    MonthlyReport.objects.create(
        plan=district_plan,
        school=school,
        month=done[0],
        progress="x",
        submitted_at=timezone.now(),
    )
    c = login(client, commune_officer)
    url = reverse("programme:monthly", args=[district_plan.pk])
    response = c.get(url, {"year": done[1].year})
    body = response.content.decode()
    assert response.status_code == 200
    in_year = [m for m in done if m.year == done[1].year]
    expected_missing = len(in_year) - (1 if done[0].year == done[1].year else 0)
    assert body.count('data-state="missing"') == expected_missing
    assert "table-danger missing" in body
    response = c.post(
        reverse("programme:monthly_remind", args=[district_plan.pk]),
        {"school": school.code, "month": f"{done[1]:%Y-%m-%d}"},
    )
    assert response.status_code == 302
    assert Reminder.objects.get().month == done[1]
    # The school sees it on its plan page and on the plan list.
    page = login(client, principal).get(reverse("programme:plans")).content.decode()
    assert "Nhắc gửi báo cáo tiến độ tháng" in page


def test_a_principal_cannot_remind(client, principal, district_plan, school):
    done = months_done(district_plan)
    response = login(client, principal).post(
        reverse("programme:monthly_remind", args=[district_plan.pk]),
        {"school": school.code, "month": f"{done[0]:%Y-%m-%d}"},
    )
    # The plan is in the principal's scope: refused with 403, not hidden.
    assert response.status_code == 403


def test_outsider_gets_404_on_every_monthly_page(client, outsider, district_plan, school):
    report = MonthlyReport.objects.create(
        plan=district_plan,
        school=school,
        month=dt.date(district_plan.start_year, 3, 1),
        progress="x",
        submitted_at=timezone.now(),
        attachment=SimpleUploadedFile("a.pdf", PDF),
        attachment_name="a.pdf",
    )
    c = login(client, outsider)
    month = f"{district_plan.start_year}-03"
    urls = [
        reverse("programme:monthly", args=[district_plan.pk]),
        reverse("programme:monthly_school", args=[district_plan.pk, school.code]),
        reverse("programme:monthly_submit", args=[district_plan.pk, school.code, month]),
        reverse("programme:monthly_file", args=[report.pk]),
    ]
    for url in urls:
        assert c.get(url).status_code == 404, url
    response = c.post(
        reverse("programme:monthly_remind", args=[district_plan.pk]),
        {"school": school.code, "month": f"{district_plan.start_year}-03-01"},
    )
    assert response.status_code == 404


def test_sibling_commune_cannot_download_another_communes_attachment(
    client, make_user, sibling_commune, district_plan, school
):
    from accounts.models import Role

    report = MonthlyReport.objects.create(
        plan=district_plan,
        school=school,
        month=dt.date(district_plan.start_year, 3, 1),
        progress="x",
        submitted_at=timezone.now(),
        attachment=SimpleUploadedFile("a.pdf", PDF),
    )
    user = make_user(Role.COMMUNE_OFFICER, unit=sibling_commune)
    response = login(client, user).get(reverse("programme:monthly_file", args=[report.pk]))
    assert response.status_code == 404
