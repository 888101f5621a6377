import datetime as dt

import pytest

from recognition import rules
from recognition.rules import Decision, check_decision, school_status

D = dt.date


def new(day, level=1, **kw):
    return Decision(rules.STANDARD_NEW, day, level, **kw)


def test_valid_until_is_date_plus_five_years():
    assert rules.valid_until(rules.STANDARD_NEW, D(2020, 3, 10)) == D(2025, 3, 10)
    assert rules.valid_until(rules.ACCREDITATION, D(2024, 2, 29)) == D(2029, 2, 28)
    assert rules.valid_until(rules.REVOCATION, D(2020, 3, 10)) is None


def test_status_holds_through_last_day_and_expires_the_day_after():
    decisions = [new(D(2020, 3, 10))]
    on_last = school_status(decisions, D(2025, 3, 10))
    assert on_last.standard_level == 1 and not on_last.expired
    after = school_status(decisions, D(2025, 3, 11))
    assert after.standard_level == 0 and after.expired
    assert after.standard_valid_until == D(2025, 3, 10)


def test_expiring_window_boundaries():
    decisions = [new(D(2020, 3, 10))]  # valid through 10/03/2025
    assert school_status(decisions, D(2024, 3, 10)).expiring  # exactly 12 months ahead
    assert not school_status(decisions, D(2024, 3, 9)).expiring  # 12 months + 1 day
    assert school_status(decisions, D(2024, 9, 10), expiring_months=6).expiring
    assert not school_status(decisions, D(2024, 9, 9), expiring_months=6).expiring
    assert school_status(decisions, D(2025, 3, 10)).expiring  # last day of validity
    assert not school_status(decisions, D(2025, 3, 11)).expiring  # expired, not expiring


def test_renewal_deadline_is_five_months_before_expiry():
    status = school_status([new(D(2020, 3, 10))], D(2024, 1, 1))
    assert status.renewal_deadline == D(2024, 10, 10)
    assert rules.renewal_deadline(D(2025, 7, 31)) == D(2025, 2, 28)


def test_status_follows_latest_relevant_decision():
    decisions = [
        new(D(2015, 5, 1)),
        Decision(rules.STANDARD_RENEWAL, D(2020, 4, 20), 1),
        Decision(rules.ACCREDITATION, D(2021, 1, 5), 3),
        Decision(rules.STANDARD_UPGRADE, D(2022, 6, 1), 2),
    ]
    status = school_status(decisions, D(2023, 1, 1))
    assert status.standard_level == 2
    assert status.standard_valid_until == D(2027, 6, 1)
    assert status.accreditation_level == 3
    # Accreditation is another track: it does not end the national-standard status.
    assert school_status(decisions[:3], D(2021, 6, 1)).standard_level == 1
    # Decisions are ordered by date, not by the order given.
    assert school_status(list(reversed(decisions)), D(2023, 1, 1)).standard_level == 2


def test_decisions_signed_after_the_day_do_not_count():
    assert school_status([new(D(2024, 5, 1))], D(2024, 4, 30)).standard_level == 0


def test_revocation_ends_status():
    decisions = [new(D(2021, 1, 1), 2), Decision(rules.REVOCATION, D(2022, 2, 2))]
    status = school_status(decisions, D(2022, 2, 2))
    assert status.standard_level == 0 and status.revoked and not status.expired
    assert school_status(decisions, D(2022, 2, 1)).standard_level == 2


def test_accepts_dicts():
    status = school_status(
        [{"kind": rules.STANDARD_NEW, "signed_on": D(2023, 1, 1), "level": 1}], D(2023, 1, 2)
    )
    assert status.standard_level == 1


@pytest.mark.parametrize(
    ("framework", "since", "upgrade_on", "ok"),
    [
        # TT22/2024 (from 25/01/2025): one year, counted from the Mức độ 1 recognition.
        ("TT17-2018", D(2025, 3, 1), D(2026, 3, 1), True),
        ("TT17-2018", D(2025, 3, 1), D(2026, 2, 28), False),
        # Original 2018 rules (before 25/01/2025): two years.
        ("TT18-2018", D(2021, 6, 15), D(2023, 6, 15), True),
        ("TT18-2018", D(2021, 6, 15), D(2023, 6, 14), False),
        # TT57/2026: two years.
        ("TT57-2026-PT", D(2026, 8, 1), D(2028, 8, 1), True),
        ("TT57-2026-PT", D(2026, 8, 1), D(2028, 7, 31), False),
    ],
)
def test_upgrade_wait_at_the_boundary(framework, since, upgrade_on, ok):
    prior = [new(since)]
    up = Decision(rules.STANDARD_UPGRADE, upgrade_on, 2, framework_code=framework)
    problems = check_decision(prior, up, today=D(2030, 1, 1))
    assert (problems == []) is ok
    if not ok:
        assert problems[0].field == "signed_on"
        assert "Chưa đủ thời gian tối thiểu" in problems[0].message


def test_upgrade_wait_changes_on_tt22_effective_date():
    assert rules.upgrade_wait_years("TT17-2018", D(2025, 1, 24)) == 2
    assert rules.upgrade_wait_years("TT17-2018", D(2025, 1, 25)) == 1
    assert rules.upgrade_wait_years("TT57-2026-MN", D(2027, 1, 1)) == 2
    assert rules.upgrade_wait_years("TT59-2012", D(2016, 1, 1)) is None


def test_upgrade_wait_counts_from_first_recognition_of_an_uninterrupted_holding():
    prior = [new(D(2019, 1, 10)), Decision(rules.STANDARD_RENEWAL, D(2023, 12, 1), 1)]
    up = Decision(rules.STANDARD_UPGRADE, D(2024, 2, 1), 2, framework_code="TT17-2018")
    assert check_decision(prior, up, today=D(2025, 1, 1)) == []


def test_upgrade_requires_current_level_one():
    problems = check_decision(
        [], Decision(rules.STANDARD_UPGRADE, D(2024, 1, 1), 2), today=D(2025, 1, 1)
    )
    assert problems and "đang đạt chuẩn Mức độ 1" in problems[0].message
    expired = [new(D(2010, 1, 1))]
    assert check_decision(
        expired, Decision(rules.STANDARD_UPGRADE, D(2024, 1, 1), 2), today=D(2025, 1, 1)
    )


def test_renewal_requires_previous_recognition():
    problems = check_decision(
        [], Decision(rules.STANDARD_RENEWAL, D(2024, 1, 1), 1), today=D(2025, 1, 1)
    )
    assert problems[0].field == "kind" and "Công nhận lại cần" in problems[0].message
    lapsed = [new(D(2015, 1, 1))]
    assert (
        check_decision(
            lapsed, Decision(rules.STANDARD_RENEWAL, D(2024, 1, 1), 1), today=D(2025, 1, 1)
        )
        == []
    )


def test_revocation_requires_current_recognition():
    problems = check_decision([], Decision(rules.REVOCATION, D(2024, 1, 1)), today=D(2025, 1, 1))
    assert "Không thể thu hồi" in problems[0].message
    assert (
        check_decision(
            [new(D(2023, 1, 1))], Decision(rules.REVOCATION, D(2024, 1, 1)), today=D(2025, 1, 1)
        )
        == []
    )
    problems = check_decision(
        [new(D(2023, 1, 1))],
        Decision(rules.ACCREDITATION_REVOCATION, D(2024, 1, 1)),
        today=D(2025, 1, 1),
    )
    assert "kiểm định" in problems[0].message


def test_new_recognition_refused_while_one_is_in_force():
    problems = check_decision(
        [new(D(2023, 1, 1), number="12/QĐ")], new(D(2024, 1, 1)), today=D(2025, 1, 1)
    )
    assert problems[0].field == "kind" and "12/QĐ" in problems[0].message


def test_levels_and_future_dates_checked():
    assert (
        check_decision([], Decision(rules.ACCREDITATION, D(2024, 1, 1), 5), today=D(2025, 1, 1))[
            0
        ].field
        == "level"
    )
    assert check_decision([], new(D(2024, 1, 1), 3), today=D(2025, 1, 1))[0].field == "level"
    assert check_decision([], new(D(2025, 1, 2)), today=D(2025, 1, 1))[0].field == "signed_on"


def test_wait_table_agrees_with_framework_data():
    """The table in rules.py says what frameworks/data says, where that data exists."""
    import json
    from pathlib import Path

    data_dir = Path(__file__).resolve().parents[2] / "frameworks" / "data"
    if not data_dir.is_dir():
        pytest.skip("no framework data")
    for path in data_dir.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        code = data["code"]
        base = data["recognition"]["upgrade_wait_years"]
        assert rules.upgrade_wait_years(code, dt.date.fromisoformat(data["effective_from"])) == base
        for version in data.get("versions", []):
            years = version.get("overrides", {}).get("recognition", {}).get("upgrade_wait_years")
            if years is not None:
                assert (
                    rules.upgrade_wait_years(code, dt.date.fromisoformat(version["effective_from"]))
                    == years
                )
