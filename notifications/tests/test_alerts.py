"""The scheduled alerts: recognition expiry at 12, 6 and 5 months (the re-recognition
deadline) and the monthly reports, each told once whatever the number of runs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings as django_settings

from notifications import alerts, kinds, tasks
from notifications.models import Notification
from notifications.services import notify_many
from programme.models import MonthlyReport, PlanSchoolTarget, ProgrammePlan
from recognition import rules
from recognition.models import RecognitionDecision

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 7)


@pytest.mark.parametrize(
    ("until", "expected"),
    [
        (dt.date(2028, 1, 1), None),  # more than 12 months away
        (dt.date(2027, 12, 7), 12),  # exactly 12 months
        (dt.date(2027, 6, 8), 12),  # 6 months and a day: still the 12-month alert
        (dt.date(2027, 6, 7), 6),
        (dt.date(2027, 5, 8), 6),  # 5 months and a day: still the 6-month alert
        (dt.date(2027, 5, 7), 5),  # the registration deadline is today
        (dt.date(2026, 12, 7), 5),  # ends today: past the deadline, the last alert stands
        (dt.date(2026, 12, 6), None),  # ended
        (None, None),
    ],
)
def test_the_most_urgent_threshold_reached_is_the_one_told(until, expected):
    assert alerts.expiry_threshold(until, TODAY) == expected


def _decision(school, signed_on: dt.date) -> RecognitionDecision:
    return RecognitionDecision.objects.create(
        school=school,
        kind=rules.STANDARD_NEW,
        signed_on=signed_on,
        level=1,
        number="12/QĐ-UBND",
        signing_body="UBND tỉnh Lai Châu",
    )


def _run(on: dt.date) -> int:
    return len(notify_many(tasks.expiry_messages(on)))


def test_expiry_alerts_go_to_the_managers_and_the_principal_once_per_threshold(
    school, commune_officer, principal
):
    d = _decision(school, dt.date(2022, 9, 1))  # valid until 01/09/2027
    assert _run(dt.date(2026, 8, 31)) == 0  # 12 months and a day before
    assert _run(dt.date(2026, 9, 1)) == 2
    assert _run(dt.date(2026, 9, 2)) == 0  # idempotent: the same threshold is not told again
    assert _run(dt.date(2026, 9, 2)) == 0
    assert _run(dt.date(2027, 3, 1)) == 2  # 6 months
    assert _run(dt.date(2027, 4, 1)) == 2  # 5 months: the registration deadline
    assert _run(dt.date(2027, 4, 2)) == 0
    rows = Notification.objects.filter(recipient=commune_officer).order_by("created", "pk")
    assert [r.key for r in rows] == [f"expiry:{d.pk}:{m}" for m in (12, 6, 5)]
    first = rows[0]
    assert first.kind == kinds.RECOGNITION_EXPIRY and "01/09/2027" in first.title
    assert "01/04/2027" in first.body  # the registration deadline, 5 months before
    assert "Hôm nay là hạn đăng ký" in rows[2].body
    assert first.link == f"/programme/schools/{school.code}/recognitions/"
    assert Notification.objects.filter(recipient=principal).count() == 3


def test_a_renewed_recognition_stops_the_alerts(school, commune_officer):
    _decision(school, dt.date(2022, 9, 1))
    RecognitionDecision.objects.create(
        school=school,
        kind=rules.STANDARD_RENEWAL,
        signed_on=dt.date(2026, 10, 1),
        level=1,
        number="99/QĐ-UBND",
        signing_body="UBND tỉnh Lai Châu",
    )
    assert _run(dt.date(2027, 3, 1)) == 0


def test_the_expiry_task_runs_from_the_schedule(school, commune_officer):
    paths = [path for path, _cron in django_settings.SCHEDULED_TASKS]
    assert "notifications.tasks.send_expiry_alerts" in paths
    assert "notifications.tasks.send_monthly_reminders" in paths
    assert "notifications.delivery.send_daily_digest" in paths
    assert tasks.send_expiry_alerts.call() == 0


@pytest.fixture
def plan(commune, school):
    plan = ProgrammePlan.objects.create(
        unit=commune,
        kind="de_an",
        number="5/ĐA-UBND",
        issued_on=dt.date(2026, 1, 10),
        issuing_body="UBND xã Phong Thổ",
        title="Đề án xây dựng trường chuẩn 2026-2027",
        start_year=2026,
        end_year=2027,
        monthly_reports=True,
        status="dang_thuc_hien",
    )
    PlanSchoolTarget.objects.create(plan=plan, school=school, year=2027, target="new_1")
    return plan


def _monthly(on: dt.date) -> list:
    return notify_many(tasks.monthly_messages(on))


def test_last_months_missing_report_tells_the_school_and_the_unit_once(
    plan, school, principal, commune_officer
):
    made = _monthly(dt.date(2026, 12, 3))
    assert {(n.recipient, n.kind) for n in made} == {
        (principal, kinds.MONTHLY_MISSING),
        (commune_officer, kinds.MONTHLY_MISSING),
    }
    officer = next(n for n in made if n.recipient == commune_officer)
    assert officer.title == "1 trường chưa gửi báo cáo tiến độ tháng 11/2026"
    assert "Huổi Luông" in officer.body
    assert _monthly(dt.date(2026, 12, 4)) == []


def test_the_months_report_is_due_from_the_configured_day_until_it_is_sent(
    plan, school, principal, settings
):
    MonthlyReport.objects.create(
        plan=plan,
        school=school,
        month=dt.date(2026, 11, 1),
        progress="Đã sửa nhà vệ sinh",
        submitted_at=dt.datetime(2026, 11, 28, tzinfo=dt.UTC),
    )
    settings.MONTHLY_DUE_FROM_DAY = 25
    assert _monthly(dt.date(2026, 12, 24)) == []
    (due,) = _monthly(dt.date(2026, 12, 25))
    assert due.recipient == principal and due.kind == kinds.MONTHLY_DUE
    assert "tháng 12/2026" in due.title
    assert _monthly(dt.date(2026, 12, 26)) == []


def test_a_draft_plan_asks_for_nothing(plan):
    plan.status = "du_thao"
    plan.save()
    assert _monthly(dt.date(2026, 12, 3)) == []


def test_a_units_reminder_tells_the_principal(plan, school, principal, commune_officer):
    from programme import services as programme_services

    programme_services.reminder_send(
        user=commune_officer, plan=plan, school=school, month=dt.date(2026, 11, 1)
    )
    (n,) = Notification.objects.filter(recipient=principal)
    assert n.kind == kinds.MONTHLY_DUE and "11/2026" in n.title
    assert "Đề nghị nhà trường gửi báo cáo" in n.body
