"""Pure rules of programme/plans.py: plan vs actual at year boundaries, maintain, targets
without a year, "xã trắng", Decimal investment totals and the monthly grid."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from programme import plans
from recognition import rules

TODAY = dt.date(2026, 11, 21)


def dec(kind, signed_on, level=1, id=None):
    return {"kind": kind, "signed_on": signed_on, "level": level, "id": id}


def run(targets, decisions, start=2021, end=2025, area=(), today=TODAY):
    return plans.plan_vs_actual(
        start_year=start,
        end_year=end,
        targets=targets,
        decisions_by_school=decisions,
        plan_school_ids=area,
        today=today,
    )


def test_a_new_recognition_signed_in_the_target_year_achieves_it():
    result = run(
        [plans.Target(1, 2022, plans.NEW_1)],
        {1: [dec(rules.STANDARD_NEW, dt.date(2022, 12, 31))]},
    )
    assert result.outcomes[0].state == plans.ACHIEVED
    row = result.years[1]
    assert (row.year, row.targeted, row.achieved, row.missed, row.without_target) == (
        2022,
        1,
        1,
        0,
        0,
    )


def test_a_recognition_one_day_late_is_missed_and_counted_without_target_next_year():
    result = run(
        [plans.Target(1, 2022, plans.NEW_1)],
        {1: [dec(rules.STANDARD_NEW, dt.date(2023, 1, 1))]},
    )
    outcome = result.outcomes[0]
    assert outcome.state == plans.MISSED
    assert outcome.other_decision.signed_on == dt.date(2023, 1, 1)
    by_year = {r.year: r for r in result.years}
    assert by_year[2022].missed == 1
    assert by_year[2023].without_target == 1
    assert [u.year for u in result.unplanned] == [2023]


def test_a_recognition_a_year_early_is_also_missed_for_the_target_year():
    result = run(
        [plans.Target(1, 2023, plans.NEW_1)],
        {1: [dec(rules.STANDARD_NEW, dt.date(2022, 6, 1))]},
    )
    assert result.outcomes[0].state == plans.MISSED
    assert {r.year: r.without_target for r in result.years}[2022] == 1


def test_future_and_current_years_are_not_missed_yet():
    result = run(
        [plans.Target(1, 2026, plans.NEW_1), plans.Target(2, 2027, plans.NEW_1)],
        {},
        start=2026,
        end=2030,
    )
    assert [o.state for o in result.outcomes] == [plans.IN_PROGRESS, plans.PENDING]


def test_upgrade_needs_level_2_and_new_level_1_is_not_an_upgrade():
    decisions = {1: [dec(rules.STANDARD_RENEWAL, dt.date(2021, 5, 1), level=1)]}
    assert run([plans.Target(1, 2021, plans.UPGRADE)], decisions).outcomes[0].state == (
        plans.MISSED
    )
    decisions = {1: [dec(rules.STANDARD_UPGRADE, dt.date(2021, 5, 1), level=2)]}
    assert run([plans.Target(1, 2021, plans.UPGRADE)], decisions).outcomes[0].state == (
        plans.ACHIEVED
    )


def test_a_target_without_year_is_achieved_any_year_of_the_period():
    result = run(
        [plans.Target(1, None, plans.UPGRADE)],
        {1: [dec(rules.STANDARD_UPGRADE, dt.date(2019, 3, 1), level=2)]},
        start=2016,
        end=2020,
    )
    assert result.outcomes[0].state == plans.ACHIEVED
    assert result.whole_period.achieved == 1
    assert all(r.without_target == 0 for r in result.years)


def test_maintain_is_judged_on_31_december_from_the_register():
    # Recognised 2016-06-01: valid until 2021-06-01, so not held on 31/12/2021.
    lapsed = {1: [dec(rules.STANDARD_NEW, dt.date(2016, 6, 1))]}
    assert run([plans.Target(1, 2021, plans.MAINTAIN)], lapsed).outcomes[0].state == (plans.MISSED)
    renewed = {
        1: [
            dec(rules.STANDARD_NEW, dt.date(2016, 6, 1), id=1),
            dec(rules.STANDARD_RENEWAL, dt.date(2021, 5, 1), id=2),
        ]
    }
    result = run([plans.Target(1, 2021, plans.MAINTAIN)], renewed)
    assert result.outcomes[0].state == plans.ACHIEVED
    # The renewal is how the standard was kept: not "without target".
    assert result.unplanned == []


def test_improve_is_followed_by_reports_unless_the_school_is_recognised():
    assert run([plans.Target(1, 2025, plans.IMPROVE)], {}).outcomes[0].state == (plans.NOT_MEASURED)
    decisions = {1: [dec(rules.STANDARD_NEW, dt.date(2025, 10, 1))]}
    assert run([plans.Target(1, 2025, plans.IMPROVE)], decisions).outcomes[0].state == (
        plans.ACHIEVED
    )


def test_recognitions_of_area_schools_without_target_are_counted():
    result = run([], {7: [dec(rules.STANDARD_NEW, dt.date(2024, 2, 2))]}, area=[7])
    assert {r.year: r.without_target for r in result.years}[2024] == 1
    assert result.total.without_target == 1


def test_white_communes_have_no_school_in_force():
    decisions = {
        1: [dec(rules.STANDARD_NEW, dt.date(2014, 1, 1))],  # lapsed on 01/01/2019
        2: [dec(rules.STANDARD_NEW, dt.date(2018, 1, 1))],
    }
    communes = {"A": [1], "B": [2], "C": [], "D": [3]}
    assert plans.white_communes(communes, decisions, dt.date(2016, 12, 31)) == ["B", "C", "D"]
    assert plans.white_communes(communes, decisions, dt.date(2019, 12, 31)) == ["A", "C", "D"]


def row(category, amount, source="ngan_sach"):
    return SimpleNamespace(category=category, total_million=Decimal(amount), funding_source=source)


SEED_000 = [
    row(plans.CAT_UPGRADE_REPAIR, "5900"),
    row(plans.CAT_UPGRADE_REPAIR, "950"),
    row(plans.CAT_UPGRADE_REPAIR, "850"),
    row(plans.CAT_UPGRADE_REPAIR, "680"),
    row(plans.CAT_UPGRADE_REPAIR, "935"),
    row(plans.CAT_UPGRADE_REPAIR, "450"),
    row(plans.CAT_NEW_BUILD, "5000"),
    row(plans.CAT_EQUIPMENT, "1915", "xa_hoi_hoa"),
]


def test_investment_groups_follow_seed_000():
    totals = plans.investment_totals(SEED_000)
    assert [(g.numeral, g.category, g.subtotal) for g in totals.groups] == [
        ("I", plans.CAT_UPGRADE_REPAIR, Decimal("9765")),
        ("II", plans.CAT_NEW_BUILD, Decimal("5000")),
        ("III", plans.CAT_EQUIPMENT, Decimal("1915")),
    ]
    assert totals.construction_total == Decimal("14765")
    assert totals.equipment_total == Decimal("1915")
    assert plans.format_million(totals.construction_total) == "14.765"
    assert plans.format_million(totals.groups[0].subtotal) == "9.765"
    assert plans.format_million(totals.groups[1].subtotal) == "5.000"
    assert totals.by_source == {"ngan_sach": Decimal("14765"), "xa_hoi_hoa": Decimal("1915")}


def test_totals_equal_the_sum_of_rows_exactly():
    rows = [row(plans.CAT_UPGRADE_REPAIR, "0.1") for _ in range(10)]
    rows += [row(plans.CAT_NEW_BUILD, "1234.567"), row(plans.CAT_NEW_BUILD, "0.003")]
    totals = plans.investment_totals(rows)
    assert (
        totals.grand_total
        == sum((r.total_million for r in rows), Decimal(0))
        == Decimal("1235.570")
    )
    assert sum((g.subtotal for g in totals.groups), Decimal(0)) == totals.grand_total
    assert plans.format_million(totals.grand_total) == "1.235,57"


def test_float_money_is_refused():
    with pytest.raises(TypeError):
        plans.investment_totals(
            [SimpleNamespace(category="x", total_million=0.1, funding_source="khac")]
        )


def test_criteria_codes_are_split_and_deduplicated():
    assert plans.split_codes("3.1; 3.3 ,  3.1,") == ["3.1", "3.3"]


def test_monthly_grid_marks_only_finished_months_as_missing():
    months = plans.report_months(2025, 2025, dt.date(2025, 2, 14))
    assert months[0] == dt.date(2025, 2, 1) and months[-1] == dt.date(2025, 12, 1)
    today = dt.date(2025, 5, 31)
    grid = plans.monthly_grid([1, 2], months, {(1, dt.date(2025, 2, 1))}, today)
    states = dict(grid.rows[0].cells)
    assert states[dt.date(2025, 2, 1)] == plans.SUBMITTED
    assert states[dt.date(2025, 3, 1)] == plans.MISSING
    assert states[dt.date(2025, 5, 1)] == plans.DUE  # the month is not over on its last day
    assert states[dt.date(2025, 6, 1)] == plans.FUTURE
    assert grid.rows[1].missing == 3  # Feb, Mar, Apr
    assert grid.missing_by_month[:4] == [1, 2, 2, 0]
    assert plans.cell_state(dt.date(2025, 5, 1), False, dt.date(2025, 6, 1)) == plans.MISSING


# Staff targets computed from the schools' year data (issue 16 §5)


def test_staff_shares_sum_the_schools_that_recorded_both_rows():
    rows = [
        {"staff_managers": 3, "managers_university": 3},
        {"staff_managers": 2, "managers_university": 1},
        {"staff_managers": 4},  # degree row left empty: not counted as nobody
    ]
    assert plans.staff_metric_counts(plans.METRIC_MANAGERS_UNIVERSITY, rows) == (4, 5, 2)
    assert plans.share_percent(4, 5) == Decimal("80.00")
    assert plans.share_percent(0, 0) is None


def test_trên_80_percent_is_strictly_greater():
    assert (
        plans.unit_target_state(Decimal(80), Decimal("80.00"), final=True, comparator=plans.ABOVE)
        == plans.MISSED
    )
    assert (
        plans.unit_target_state(Decimal(80), Decimal("80.01"), final=True, comparator=plans.ABOVE)
        == plans.ACHIEVED
    )
