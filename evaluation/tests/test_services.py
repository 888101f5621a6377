"""The external evaluation's writes: the chain end to end, and every refusal says why in
Vietnamese with nothing half-written."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import Membership, Role
from accounts.permissions import has_perm
from assessments.models import CouncilMember
from evaluation import selectors, services, signals
from evaluation.models import (
    Evaluation,
    MemberJudgment,
    Registration,
    TeamJudgment,
    TeamMember,
)
from evaluation.tests.conftest import TODAY
from frameworks.models import Indicator
from recognition import rules as recognition_rules
from recognition.models import RecognitionDecision

pytestmark = pytest.mark.django_db


def consolidate_all(evaluation, leader, *, lowered=()):
    for ind in Indicator.objects.filter(framework=evaluation.framework).order_by("position"):
        services.team_judge(
            user=leader,
            evaluation=evaluation,
            indicator=ind,
            met=ind.ident not in lowered and ind.criterion_id is not None,
            reason="Chưa đủ minh chứng" if ind.ident in lowered else "",
            version=0,
        )


def finalise(evaluation, leader, level=2):
    services.report_send(
        user=leader,
        evaluation=evaluation,
        feedback_deadline=TODAY + dt.timedelta(days=10),
        today=TODAY,
    )
    services.feedback_record(
        user=leader, evaluation=evaluation, text="Nhất trí với dự thảo.", received_on=TODAY
    )
    evaluation.refresh_from_db()
    return services.report_finalise(
        user=leader, evaluation=evaluation, proposal_level=level, version=evaluation.version
    )


def test_the_principal_files_and_the_authority_accepts(registration, province_officer):
    assert registration.status == "submitted"
    assert registration.self_level == 3
    ev = services.registration_accept(
        user=province_officer, registration=registration, version=registration.version
    )
    assert ev.status == "forming" and ev.framework.code == "TT17-2018"


def test_a_second_open_evaluation_for_the_same_school_is_refused(registration, principal):
    with pytest.raises(services.EvaluationError, match="chỉ có một đợt"):
        services.registration_file(
            user=principal,
            assessment=registration.assessment,
            purpose="new",
            target_level=1,
            today=TODAY,
        )
    assert Registration.objects.count() == 1


def test_a_return_needs_a_reason_and_leaves_the_registration_as_it_was(
    registration, province_officer
):
    with pytest.raises(services.EvaluationError, match="lý do"):
        services.registration_return(
            user=province_officer, registration=registration, reason=" ", version=1
        )
    registration.refresh_from_db()
    assert registration.status == "submitted"
    services.registration_return(
        user=province_officer, registration=registration, reason="Thiếu bản sao báo cáo", version=1
    )
    registration.refresh_from_db()
    assert registration.status == "returned" and registration.return_reason


def test_a_stale_accept_is_refused(registration, province_officer):
    with pytest.raises(services.EditConflict):
        services.registration_accept(user=province_officer, registration=registration, version=7)
    assert not Evaluation.objects.exists()


def test_the_principal_may_not_review_and_outsiders_may_not_register(
    registration, principal, outsider, accepted
):
    with pytest.raises(services.NotAllowed):
        services.registration_accept(user=principal, registration=registration, version=1)
    with pytest.raises(services.NotAllowed):
        services.registration_file(
            user=outsider, assessment=accepted, purpose="new", target_level=1, today=TODAY
        )


def test_a_registration_past_the_re_recognition_deadline_is_filed_with_its_warning(
    accepted, principal
):
    RecognitionDecision.objects.create(
        school=accepted.school,
        kind="standard_new",
        level=1,
        signed_on=dt.date(2022, 2, 1),  # valid through 01/02/2027; deadline 01/9/2026
        number="1/QĐ",
        signing_body="UBND tỉnh",
    )
    reg, checks = services.registration_file(
        user=principal, assessment=accepted, purpose="renewal", target_level=1, today=TODAY
    )
    assert reg.late and reg.deadline == dt.date(2026, 9, 1)
    warning = next(c for c in checks if c.code == "deadline")
    assert "Đăng ký sau hạn" in warning.message


def test_a_member_from_the_evaluated_school_is_refused(evaluation, province_officer, staff):
    with pytest.raises(services.EvaluationError, match="trường được đánh giá"):
        services.team_member_add(
            user=province_officer, evaluation=evaluation, person=staff, role="member"
        )
    assert not TeamMember.objects.exists()
    assert not Membership.objects.filter(user=staff, role=Role.REVIEWER).exists()


def test_a_member_of_the_schools_council_is_refused(evaluation, province_officer, make_user):
    person = make_user(None, username="hoidong")
    CouncilMember.objects.create(
        assessment=evaluation.assessment, full_name="Hội đồng", user=person
    )
    with pytest.raises(services.EvaluationError, match="hội đồng tự đánh giá"):
        services.team_member_add(
            user=province_officer, evaluation=evaluation, person=person, role="member"
        )


def test_a_team_below_its_minimum_cannot_start(evaluation, province_officer, team_users):
    for person, role in zip(team_users[:3], ["leader", "secretary", "member"], strict=True):
        services.team_member_add(
            user=province_officer, evaluation=evaluation, person=person, role=role
        )
    evaluation.refresh_from_db()
    with pytest.raises(services.EvaluationError, match="ít nhất 5"):
        services.evaluation_start(
            user=province_officer, evaluation=evaluation, version=evaluation.version
        )


def test_membership_lets_a_member_read_the_dossier_of_that_school_only(
    started, team_users, sibling_school, outside_school
):
    member = team_users[3]
    member.refresh_from_db()
    assessment = started.assessment
    for action in ("school.view", "assessment.view", "evidence.view", "evaluation.view"):
        assert has_perm(
            member,
            action,
            assessment
            if "assess" in action or "evid" in action
            else started.school
            if action == "school.view"
            else started,
        )
    assert not has_perm(member, "sheet.edit", assessment.sheets.first())
    assert not has_perm(member, "evaluation.consolidate", started)
    assert has_perm(member, "evaluation.judge", started)
    assert has_perm(team_users[0], "evaluation.consolidate", started)
    assert not has_perm(member, "school.view", outside_school)


def test_members_judge_only_their_criteria_and_the_leader_consolidates(started, team, team_users):
    member = team[2]
    mine = member.criteria.first()
    other = team[3].criteria.first()
    ind = Indicator.objects.filter(criterion=mine).first()
    foreign = Indicator.objects.filter(criterion=other).first()
    services.member_judge(
        user=team_users[2], evaluation=started, indicator=ind, met="1", comment="Đạt", version=0
    )
    with pytest.raises(services.NotAllowed, match="không được phân công"):
        services.member_judge(
            user=team_users[2], evaluation=started, indicator=foreign, met="1", version=0
        )
    with pytest.raises(services.NotAllowed):
        services.team_judge(user=team_users[2], evaluation=started, indicator=ind, met="1")
    row = services.team_judge(
        user=team_users[0], evaluation=started, indicator=ind, met="0", reason="Thiếu", version=0
    )
    assert row.met is False and MemberJudgment.objects.count() == 1


def test_two_leaders_cannot_overwrite_each_other_silently(started, team_users):
    ind = Indicator.objects.filter(framework=started.framework).first()
    leader = team_users[0]
    first = services.team_judge(user=leader, evaluation=started, indicator=ind, met="1", version=0)
    # The second page was opened before the first save (it saw no judgment: version 0).
    with pytest.raises(services.EditConflict):
        services.team_judge(user=leader, evaluation=started, indicator=ind, met="0", version=0)
    # … or saw version 1 after another save bumped it.
    services.team_judge(
        user=leader, evaluation=started, indicator=ind, met="1", reason="x", version=first.version
    )
    with pytest.raises(services.EditConflict):
        services.team_judge(
            user=leader, evaluation=started, indicator=ind, met="0", version=first.version
        )
    assert TeamJudgment.objects.get().met is True


def test_the_engine_gives_the_team_levels_and_the_divergence(started, team_users):
    lowered = {"1.1-M2"}
    consolidate_all(started, team_users[0], lowered=lowered)
    live = selectors.team_levels(started)
    assert live.school_level == 1  # Mức 2 lost by one indicator
    # The same explanation as the self-assessment's: the requirement named as the circular does.
    assert "yêu cầu của Mức 2 ở tiêu chí 1.1" in live.explanation
    div = selectors.divergence(started)
    assert div.indicator_counts["lowered"] == 1
    assert div.criterion_counts["lowered"] == 1
    assert div.self_level == 3 and div.team_level == 1
    only = selectors.divergence(started, only_differences=True)
    assert [c.code for c in only.criteria] == ["1.1"]
    assert [i.ident for i in only.criteria[0].indicators] == ["1.1-M2"]


def test_no_judgment_after_the_final_report(started, team_users):
    consolidate_all(started, team_users[0])
    ev = finalise(started, team_users[0])
    assert ev.status == "final" and services.report_intact(ev)
    ind = Indicator.objects.filter(framework=started.framework).first()
    before = list(TeamJudgment.objects.values_list("pk", "met", "version"))
    with pytest.raises(services.EvaluationError, match="bản chính thức"):
        services.team_judge(user=team_users[0], evaluation=ev, indicator=ind, met="0")
    with pytest.raises(services.EvaluationError, match="bản chính thức"):
        services.member_judge(user=team_users[0], evaluation=ev, indicator=ind, met="0")
    assert list(TeamJudgment.objects.values_list("pk", "met", "version")) == before


def test_a_proposal_above_the_supported_level_is_refused(started, team_users):
    consolidate_all(started, team_users[0], lowered={"1.1-M2"})  # Mức 1 → no Mức độ
    with pytest.raises(services.EvaluationError, match="không đủ để công nhận"):
        finalise(started, team_users[0], level=1)
    started.refresh_from_db()
    assert started.status == "feedback" and not started.final_sha256


def test_the_decision_enters_the_register_linked_and_ends_the_team_seats(
    started, team_users, province_officer
):
    consolidate_all(started, team_users[0])
    ev = finalise(started, team_users[0], level=2)
    data = {
        "number": "345/QĐ-SGDĐT",
        "signed_on": TODAY,
        "signing_body": "Sở GD&ĐT Lai Châu",
        "signer_title": "Giám đốc",
        "level": 2,
    }
    with pytest.raises(services.Rejected, match="chỉ đủ Mức độ 2"):
        services.decision_record(
            user=province_officer, evaluation=ev, data={**data, "level": 3}, version=ev.version
        )
    assert not RecognitionDecision.objects.exists()
    decision = services.decision_record(
        user=province_officer, evaluation=ev, data=data, version=ev.version
    )
    ev.refresh_from_db()
    assert ev.decision == decision and ev.status == "decided" and ev.outcome == "recognised"
    assert decision.kind == "standard_new" and decision.level == 2
    assert decision.valid_until == recognition_rules.add_years(TODAY, 5)
    ev.school.refresh_from_db()
    assert ev.school.standard_level == 2
    assert not Membership.objects.filter(school=ev.school, role=Role.REVIEWER).exists()
    assert not has_perm(team_users[3], "school.view", ev.school)


def test_a_refusal_needs_its_reasons(started, team_users, province_officer):
    consolidate_all(started, team_users[0], lowered={"1.1-M2"})
    ev = finalise(started, team_users[0], level=None)
    with pytest.raises(services.Rejected, match="lý do"):
        services.decision_refuse(
            user=province_officer, evaluation=ev, reason="", version=ev.version
        )
    services.decision_refuse(
        user=province_officer, evaluation=ev, reason="Tiêu chí 1.1 chưa đạt", version=ev.version
    )
    ev.refresh_from_db()
    assert ev.outcome == "refused" and ev.status == "decided"
    assert not RecognitionDecision.objects.exists()


def test_a_revocation_needs_a_reason(started, team_users, province_officer):
    consolidate_all(started, team_users[0])
    ev = finalise(started, team_users[0], level=2)
    services.decision_record(
        user=province_officer,
        evaluation=ev,
        data={"number": "1/QĐ", "signed_on": TODAY, "signing_body": "Sở", "level": 2},
        version=ev.version,
    )
    data = {"number": "2/QĐ", "signed_on": TODAY, "signing_body": "Sở"}
    with pytest.raises(services.Rejected):
        services.decision_revoke(user=province_officer, evaluation=ev, data=data)
    revoked = services.decision_revoke(
        user=province_officer, evaluation=ev, data={**data, "reason": "Sai phạm hồ sơ"}
    )
    assert revoked.kind == "revocation" and revoked.note == "Sai phạm hồ sơ"


def test_each_step_sends_its_signal_once_committed(
    accepted, principal, province_officer, django_capture_on_commit_callbacks
):
    sent = []

    def receiver(signal, **kwargs):
        sent.append(signal)

    for sig in (signals.registration_submitted, signals.registration_accepted):
        sig.connect(receiver, weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            reg, _ = services.registration_file(
                user=principal, assessment=accepted, purpose="new", target_level=2, today=TODAY
            )
            assert sent == []  # nothing before the commit
        with django_capture_on_commit_callbacks(execute=True):
            services.registration_accept(user=province_officer, registration=reg, version=1)
    finally:
        for sig in (signals.registration_submitted, signals.registration_accepted):
            sig.disconnect(receiver)
    assert sent == [signals.registration_submitted, signals.registration_accepted]


def test_a_members_stale_judgment_is_refused(started, team, team_users):
    ind = Indicator.objects.filter(criterion=team[2].criteria.first()).first()
    first = services.member_judge(
        user=team_users[2], evaluation=started, indicator=ind, met="1", version=0
    )
    with pytest.raises(services.EditConflict):
        services.member_judge(
            user=team_users[2], evaluation=started, indicator=ind, met="0", version=0
        )
    services.member_judge(
        user=team_users[2], evaluation=started, indicator=ind, met="0", version=first.version
    )
    assert MemberJudgment.objects.get().met is False
