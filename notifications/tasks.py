"""The scheduled alerts (settings.SCHEDULED_TASKS; `manage.py scheduler` enqueues them, the
worker runs them). Each is idempotent: every event has a key and the same key is never told
twice to the same person, so a task run twice in a day (a retry, the scheduler's catch-up)
tells nothing new. The daily digest is `notifications.delivery.send_daily_digest`."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from accounts.models import Membership
from accounts.permissions import OFFICERS, has_perm
from core.text import format_date_short, format_int
from improvement import selectors as improvement_selectors
from improvement.models import ImprovementAction
from programme import plans
from programme.models import MonthlyReport, PlanStatus, ProgrammePlan
from recognition import rules
from recognition import selectors as register
from schools.models import School

from . import alerts, kinds
from .recipients import Resolver, unit_prefixes
from .services import Message, notify_many


class _System:
    """The scheduled alerts look at the whole register, as support does (accounts.permissions
    grants a superuser every scope); what each person is then told is resolved per person."""

    pk = None
    is_authenticated = True
    is_active = True
    is_superuser = True


def expiry_messages(on: dt.date) -> list[Message]:
    decisions = list(register.expiring(user=_System(), on=on, months=alerts.LONGEST))
    due = []
    for d in decisions:
        lead = rules.renewal_months(d.framework_code, d.signed_on)
        months = alerts.expiry_threshold(d.valid_until, on, lead)
        if months is not None:
            due.append((d, months, lead))
    schools = School.objects.select_related("unit").in_bulk([d.school_id for d, *_ in due])
    resolver = Resolver()
    resolver.prefetch_schools(schools)
    out: list[Message] = []
    for d, months, lead in due:
        school = schools[d.school_id]
        deadline = d.renewal_deadline
        title = kinds.title_for(
            kinds.RECOGNITION_EXPIRY, school=school.name, until=format_date_short(d.valid_until)
        )
        if months == lead and deadline is not None:
            body = (
                f"Hôm nay là hạn đăng ký đánh giá ngoài để công nhận lại ({format_date_short(deadline)}"
                f", trước ngày hết hạn {lead} tháng)."
            )
        elif deadline is not None:
            days = (deadline - on).days
            body = (
                f"Còn {months} tháng đến ngày hết hạn. Hạn đăng ký đánh giá ngoài để công nhận "
                f"lại: {format_date_short(deadline)} (còn {format_int(max(days, 0))} ngày)."
            )
        else:
            body = f"Còn {months} tháng đến ngày hết hạn công nhận."
        link = reverse("programme:school", args=[school.code])
        key = alerts.expiry_key(d.pk, months)
        people = resolver.audience(kinds.MANAGERS, school) + resolver.audience(kinds.SCHOOL, school)
        out += [Message(u, kinds.RECOGNITION_EXPIRY, title, body, link, key) for u in people]
    return out


@task()
def send_expiry_alerts() -> int:
    """Daily: recognitions 12, 6 and 5 months before their end. Returns notifications made."""
    return len(notify_many(expiry_messages(timezone.localdate())))


def _plan_officers(plan: ProgrammePlan, cache: dict[int, object]) -> list:
    """The officers who follow the plan (`plan.edit`: its unit, the units above it)."""
    ids = list(
        dict.fromkeys(
            Membership.objects.filter(
                role__in=OFFICERS, unit__path__in=unit_prefixes(plan.unit.path)
            ).values_list("user_id", flat=True)
        )
    )
    missing = [i for i in ids if i not in cache]
    cache.update(get_user_model().objects.filter(is_active=True).in_bulk(missing))
    return [cache[i] for i in ids if i in cache and has_perm(cache[i], "plan.edit", plan)]


def monthly_messages(on: dt.date) -> list[Message]:
    current = plans.month_start(on)
    previous = alerts.previous_month(current)
    due_today = alerts.monthly_due_today(on, settings.MONTHLY_DUE_FROM_DAY)
    resolver = Resolver()
    officers: dict[int, object] = {}
    out: list[Message] = []
    active = (
        ProgrammePlan.objects.filter(
            monthly_reports=True, start_year__lte=on.year, end_year__gte=previous.year
        )
        .exclude(status=PlanStatus.DRAFT)
        .select_related("unit")
    )
    for plan in active:
        months = set(plans.report_months(plan.start_year, plan.end_year, plan.issued_on))
        asked = [m for m in (previous, current) if m in months and (m != current or due_today)]
        if not asked:
            continue
        school_ids = set(plan.school_targets.values_list("school_id", flat=True))
        sent = set(
            MonthlyReport.objects.filter(plan=plan, month__in=asked).values_list(
                "school_id", "month"
            )
        )
        schools = School.objects.select_related("unit").in_bulk(school_ids)
        resolver.prefetch_schools(school_ids)
        for month in asked:
            kind = kinds.MONTHLY_MISSING if month == previous else kinds.MONTHLY_DUE
            tag = "monthly-missing" if month == previous else "monthly-due"
            late = [s for sid, s in sorted(schools.items()) if (sid, month) not in sent]
            for school in late:
                title = kinds.title_for(kind, school=school.name, month=f"{month:%m/%Y}")
                link = reverse("programme:monthly_school", args=[plan.pk, school.code])
                key = f"{tag}:{plan.pk}:{school.pk}:{month:%Y-%m}"
                body = f"Kế hoạch: {plan.title}."
                out += [
                    Message(u, kind, title, body, link, key)
                    for u in resolver.audience(kinds.SCHOOL, school)
                ]
            if month == previous and late:
                title = (
                    f"{format_int(len(late))} trường chưa gửi báo cáo tiến độ tháng {month:%m/%Y}"
                )
                body = f"Kế hoạch: {plan.title}. " + ", ".join(s.name for s in late[:20])
                if len(late) > 20:
                    body += f" và {format_int(len(late) - 20)} trường khác."
                link = reverse("programme:monthly", args=[plan.pk])
                key = f"monthly-missing:{plan.pk}:{month:%Y-%m}"
                out += [
                    Message(u, kinds.MONTHLY_MISSING, title, body, link, key)
                    for u in _plan_officers(plan, officers)
                ]
    return out


@task()
def send_monthly_reminders() -> int:
    """Daily: this month's report due (from MONTHLY_DUE_FROM_DAY), last month's missing."""
    return len(notify_many(monthly_messages(timezone.localdate())))


def improvement_messages(on: dt.date) -> list[Message]:
    """Improvement actions due within a week (the school) and overdue (the school and its
    managing officers); each action told once per due date (a new due date is a new event)."""
    actions = ImprovementAction.objects.select_related("school__unit")
    due = list(improvement_selectors.due_soon_actions(actions, today=on))
    overdue = list(improvement_selectors.overdue_actions(actions, today=on))
    resolver = Resolver()
    resolver.prefetch_schools({a.school_id for a in due + overdue})
    out: list[Message] = []
    for kind, group in ((kinds.IMPROVEMENT_DUE, due), (kinds.IMPROVEMENT_OVERDUE, overdue)):
        for a in group:
            title = kinds.title_for(kind, school=a.school.name, title=a.title)
            body = f"Hạn hoàn thành: {format_date_short(a.due)}. Người phụ trách: {a.responsible}."
            link = reverse("improvement:action", args=[a.pk])
            key = f"{kind}:{a.pk}:{a.due.isoformat()}"
            people = resolver.audience(kinds.SCHOOL, a.school)
            if kind == kinds.IMPROVEMENT_OVERDUE:
                people += resolver.audience(kinds.MANAGERS, a.school)
            out += [Message(u, kind, title, body, link, key) for u in people]
    return out


@task()
def send_improvement_alerts() -> int:
    """Daily: improvement actions due within a week, and those overdue."""
    return len(notify_many(improvement_messages(timezone.localdate())))
