"""The pure rules of the external evaluation (no database)."""

from __future__ import annotations

import datetime as dt

from evaluation import rules

TODAY = dt.date(2026, 12, 7)


def facts(**kw) -> rules.RegistrationFacts:
    base = dict(
        purpose="new",
        target_level=1,
        today=TODAY,
        assessment_status="accepted",
        framework_code="TT17-2018",
        self_standard_level=1,
        self_school_level=2,
    )
    base.update(kw)
    return rules.RegistrationFacts(**base)


def codes(checks, severity):
    return [c.code for c in checks if c.severity == severity]


def test_a_clean_new_registration_has_no_blocking_check():
    assert rules.blocking(rules.registration_checks(facts())) == []


def test_it_refuses_an_assessment_not_accepted():
    checks = rules.registration_checks(facts(assessment_status="submitted"))
    assert "assessment" in codes(checks, rules.BLOCKING)


def test_it_refuses_a_target_above_the_self_assessment():
    checks = rules.registration_checks(facts(target_level=2))
    [level] = [c for c in checks if c.code == "level"]
    assert level.blocking and "thấp hơn Mức độ 2" in level.message


def test_it_refuses_a_second_open_evaluation():
    checks = rules.registration_checks(facts(open_elsewhere="một đợt đánh giá ngoài"))
    assert "open" in codes(checks, rules.BLOCKING)
    assert "chỉ có một đợt" in rules.blocking(checks)[0].message


def test_re_recognition_shows_the_deadline_with_days_left():
    until = dt.date(2027, 10, 1)  # deadline 5 months before: 01/5/2027
    checks = rules.registration_checks(
        facts(purpose="renewal", standard_level=1, standard_valid_until=until, ever_granted=True)
    )
    [deadline] = [c for c in checks if c.code == "deadline"]
    assert deadline.severity == rules.OK
    assert deadline.deadline == dt.date(2027, 5, 1)
    assert deadline.days_left == (dt.date(2027, 5, 1) - TODAY).days
    assert "còn" in deadline.message


def test_a_registration_past_the_deadline_is_allowed_with_a_warning_that_says_so():
    until = dt.date(2027, 2, 1)  # deadline 01/9/2026, already past
    checks = rules.registration_checks(
        facts(purpose="renewal", standard_level=1, standard_valid_until=until, ever_granted=True)
    )
    [deadline] = [c for c in checks if c.code == "deadline"]
    assert deadline.severity == rules.WARNING
    assert "sau hạn" in deadline.message and "đã quá" in deadline.message
    assert rules.blocking(checks) == []


def test_an_upgrade_waits_the_framework_time_from_the_recognition():
    checks = rules.registration_checks(
        facts(
            purpose="upgrade",
            target_level=2,
            self_standard_level=2,
            standard_level=1,
            standard_since=dt.date(2026, 6, 1),
            standard_valid_until=dt.date(2031, 6, 1),
        )
    )
    [wait] = [c for c in checks if c.code == "upgrade_wait"]
    assert wait.blocking  # TT17 after TT22/2024: 1 year → from 01/6/2027
    assert wait.deadline == dt.date(2027, 6, 1)


def test_renewal_without_a_prior_recognition_is_refused():
    checks = rules.registration_checks(facts(purpose="renewal"))
    assert "purpose" in codes(checks, rules.BLOCKING)


def test_new_recognition_while_recognised_is_refused():
    checks = rules.registration_checks(facts(standard_level=1, ever_granted=True))
    assert "purpose" in codes(checks, rules.BLOCKING)


def test_a_member_from_the_evaluated_school_is_refused_with_the_reason():
    msg = rules.member_refusal(rules.Candidate("Lò Văn A", works_at_school=True), "Trường X")
    assert "Lò Văn A" in msg and "Trường X" in msg
    assert rules.member_refusal(rules.Candidate("B", on_council=True), "Trường X")
    assert rules.member_refusal(rules.Candidate("C"), "Trường X") == ""


def test_a_team_needs_its_minimum_a_leader_and_a_secretary():
    assert rules.team_problems(["leader", "secretary", "member"], 5)
    assert rules.team_problems(["member"] * 5, 5)
    assert rules.team_problems(["leader", "secretary", "member", "member", "member"], 5) == []


def test_compare_says_how_the_team_moved_an_indicator():
    assert rules.compare(False, True) == rules.RAISED
    assert rules.compare(True, False) == rules.LOWERED
    assert rules.compare(None, False) == rules.EQUAL
    assert rules.compare(True, None) == rules.PENDING
    assert rules.count([rules.RAISED, rules.EQUAL, rules.EQUAL])[rules.EQUAL] == 2


def test_a_decision_above_the_supported_level_is_refused():
    assert "chỉ đủ Mức độ 1" in rules.decision_problem(2, 1)
    assert rules.decision_problem(1, 1) == ""
    assert "không công nhận" in rules.decision_problem(1, None)
