"""The programme demo continues the schools demo with the seeds' numbers: seed 000's investment
table (14.765 = 9.765 + 5.000; equipment 1.915), Phong Thổ's 14 standard schools (13 Mức độ 1
+ 1 Mức độ 2) and four 2021 targets, Ninh Giang's per-year lists (seed 004), Bình Lãng's
targets (seed 001), Trạm Tấu's 2025 plan (8 to maintain + 20 to improve) with monthly reports,
some missing. Loading twice creates nothing new."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from dashboard import selectors as dashboard
from programme import plans, selectors
from programme.models import InvestmentProject, MonthlyReport, PlanSchoolTarget, ProgrammePlan
from recognition import rules
from recognition.models import RecognitionDecision
from schools.tests import test_demo as schools_demo

demo_units, demo, Sink = schools_demo.demo_units, schools_demo.demo, schools_demo._Sink


@pytest.fixture
def programme_demo(demo, django_user_model):
    call_command("load_programme_demo", stdout=Sink())
    return django_user_model.objects.get(username="admin")  # the demo's superuser


def test_it_refuses_to_load_without_schools(db):
    with pytest.raises(CommandError, match="load_"):
        call_command("load_programme_demo", stdout=Sink())


def test_loading_twice_creates_nothing_new(programme_demo):
    counts = [
        m.objects.count()
        for m in (ProgrammePlan, PlanSchoolTarget, InvestmentProject, RecognitionDecision)
    ]
    reports = MonthlyReport.objects.count()
    call_command("load_programme_demo", stdout=Sink())
    assert counts == [
        m.objects.count()
        for m in (ProgrammePlan, PlanSchoolTarget, InvestmentProject, RecognitionDecision)
    ]
    assert MonthlyReport.objects.count() == reports


def test_seed_000_investment_table(programme_demo):
    plan = ProgrammePlan.objects.get(number="23/KH-UBND")
    totals = selectors.investment_summary(
        user=programme_demo, filters=selectors.InvestmentFilters(plan=str(plan.pk))
    )
    assert [(g.numeral, plans.format_million(g.subtotal)) for g in totals.groups] == [
        ("I", "9.765"),
        ("II", "5.000"),
        ("III", "1.915"),
    ]
    assert plans.format_million(totals.construction_total) == "14.765"
    assert totals.construction_total == Decimal("14765")
    assert totals.equipment_total == Decimal("1915")
    assert [len(g.rows) for g in totals.groups] == [6, 1, 1]


def test_phong_tho_register_matches_the_2021_report(programme_demo):
    mid_2021 = dt.date(2021, 7, 1)
    levels = Counter()
    # One line per school (order_by(): the model's ordering would defeat distinct() now that
    # schools have several decisions).
    for school_id in (
        RecognitionDecision.objects.filter(school__code__startswith="LC-PT-")
        .order_by()
        .values_list("school_id", flat=True)
        .distinct()
    ):
        decisions = RecognitionDecision.objects.filter(school_id=school_id)
        levels[rules.school_status(decisions, mid_2021).standard_level] += 1
    levels.pop(0, None)  # schools recognised only after mid-2021 (seed 003)
    assert levels == {1: 13, 2: 1}
    plan = ProgrammePlan.objects.get(number="23/KH-UBND")
    targets = Counter(plan.school_targets.values_list("target", flat=True))
    assert targets == {"maintain": 14, "new_1": 3, "upgrade": 1}
    report = selectors.plan_report(user=programme_demo, plan=plan, today=dt.date(2026, 1, 1))
    # The 14 schools kept the standard through 2021 (illustrative decision dates).
    assert report.result.years[0].by_kind["maintain"] == [14, 14]


def test_ninh_giang_plan_has_every_school_of_seed_004(programme_demo):
    plan = ProgrammePlan.objects.get(unit__uid="HD299")
    rows = Counter(plan.school_targets.values_list("year", "target"))
    assert rows == {
        (2017, "re_recognition"): 9,
        (2018, "re_recognition"): 11,
        (2019, "re_recognition"): 8,
        (2020, "re_recognition"): 14,
        (2017, "new_1"): 11,
        (2018, "new_1"): 10,
        (2019, "new_1"): 2,
        (None, "upgrade"): 8,
    }
    labels = list(plan.unit_targets.values_list("label", "value", "value_max"))
    assert ("Có trình độ thạc sĩ và tiến sĩ", Decimal("5"), Decimal("8")) in labels
    report = selectors.plan_report(user=programme_demo, plan=plan, today=dt.date(2026, 1, 1))
    white = {c.name for c in report.white[0].communes}
    # Seed 004 names exactly four "xã trắng" when the plan starts; Tân Hương and Ứng Hòe had a
    # standard school then (illustrative schools of the demo, outside the lists 2.1–2.3).
    assert white == {"Xã An Đức", "Xã Kiến Quốc", "Xã Đông Xuyên", "Xã Quang Hưng"}


def test_binh_lang_targets_of_seed_001(programme_demo):
    plan = ProgrammePlan.objects.get(unit__uid="HW11092")
    assert Counter(plan.school_targets.values_list("year", "target")) == {
        (2023, "upgrade"): 1,
        (2024, "upgrade"): 1,
        (2024, "new_1"): 1,
    }


def test_tram_tau_2025_plan_maintains_8_and_improves_20(programme_demo):
    plan = ProgrammePlan.objects.get(unit__uid="HD139", start_year=2025)
    assert Counter(plan.school_targets.values_list("target", flat=True)) == {
        "maintain": 8,
        "improve": 20,
    }
    assert plan.monthly_reports
    overview = selectors.monthly_overview(
        user=programme_demo, plan=plan, today=dt.date(2026, 1, 15), year=2025
    )
    assert len(overview.schools) == 28
    assert len(overview.grid.months) == 11  # February to December 2025
    assert 0 < overview.grid.missing < 28 * 11
    assert MonthlyReport.objects.filter(plan=plan).count() == 28 * 11 - overview.grid.missing
    report = selectors.plan_report(user=programme_demo, plan=plan, today=dt.date(2026, 1, 1))
    row = report.result.years[0]
    assert (row.targeted, row.achieved, row.missed, row.not_measured) == (28, 7, 1, 20)


DEMO_PREFIXES = ("LC-PT-", "HP-NG-", "HP-TK-", "LCA-TT-")


def demo_histories() -> dict[int, list[RecognitionDecision]]:
    out: dict[int, list[RecognitionDecision]] = {}
    for d in RecognitionDecision.objects.order_by("signed_on", "id").select_related("school"):
        out.setdefault(d.school_id, []).append(d)
    return out


def test_the_demo_today_looks_like_a_live_province(programme_demo):
    """The illustrative 2016–2021 recognitions lapse after 5 years: each is re-recognised
    within months of its expiry, so every school recognised in the demo still holds the
    standard today (except Trạm Tấu's school that lapsed at the end of 2025, re-recognised in
    2026), and the dashboard does not look empty."""
    today = timezone.localdate()
    histories = demo_histories()
    lapsed = [
        ds[0].school.code
        for ds in histories.values()
        if not rules.school_status(ds, today).standard_level
    ]
    assert lapsed == []
    rows = dashboard.status_rows(user=programme_demo, unit=None, on=today)
    total = sum(n for *_rest, n in rows)
    standard = sum(n for _p, _k, status, _r, n in rows if status)
    assert standard * 100 >= 40 * total  # 14 + 45 + 2 + 8 of 147 demo schools
    renewals = RecognitionDecision.objects.filter(kind=rules.STANDARD_RENEWAL)
    assert renewals.count() >= 60
    for d in renewals:
        assert d.number.startswith("MH-") and "minh họa" in d.note.lower()
        assert d.signed_on <= today


def test_re_recognitions_come_within_months_of_expiry_and_keep_2021_untouched(programme_demo):
    for decisions in demo_histories().values():
        for before, after in zip(decisions, decisions[1:], strict=False):
            if after.kind != rules.STANDARD_RENEWAL:
                continue
            gap = (after.signed_on - before.valid_until).days
            assert -125 <= gap <= 100, (after.school.code, before.valid_until, after.signed_on)
    # Seed 000's district: nothing re-recognised in 2021 (the report of 2021 is unchanged).
    assert not RecognitionDecision.objects.filter(
        school__code__startswith="LC-PT-", kind=rules.STANDARD_RENEWAL, signed_on__year=2021
    ).exists()


def test_every_demo_history_passes_the_register_rules(programme_demo):
    for decisions in demo_histories().values():
        for i, d in enumerate(decisions):
            problems = rules.check_decision(decisions[:i], d, today=d.signed_on)
            assert problems == [], (d.school.code, d.number, problems)


def test_ninh_giang_re_recognitions_fall_in_the_years_of_seed_004(programme_demo):
    plan = ProgrammePlan.objects.get(unit__uid="HD299")
    report = selectors.plan_report(user=programme_demo, plan=plan, today=dt.date(2026, 1, 1))
    by_year = {r.year: r.by_kind.get("re_recognition") for r in report.result.years}
    assert by_year == {2016: None, 2017: [9, 9], 2018: [11, 11], 2019: [8, 8], 2020: [14, 14]}
