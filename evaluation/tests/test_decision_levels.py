"""The one signed decision recognises both the Cấp độ and the Mức độ (TT17/18/19-2018): two rows
of the register with the same number, each refused above what the final report supports, and
never corrected above it afterwards (the register's correction asks the evaluation)."""

from __future__ import annotations

import pytest

from evaluation import services
from evaluation.tests.conftest import TODAY
from evaluation.tests.test_services import consolidate_all
from recognition import rules as recognition_rules
from recognition.models import RecognitionDecision
from recognition.services import DecisionRejected, recognition_correct

pytestmark = pytest.mark.django_db

DATA = {
    "number": "345/QĐ-SGDĐT",
    "signed_on": TODAY,
    "signing_body": "Sở GD&ĐT Lai Châu",
    "signer_title": "Giám đốc",
}


def final(evaluation, leader, *, level, accreditation=None, lowered=()):
    consolidate_all(evaluation, leader, lowered=lowered)
    services.report_send(
        user=leader,
        evaluation=evaluation,
        feedback_deadline=TODAY,
        today=TODAY,
    )
    evaluation.refresh_from_db()
    return services.report_finalise(
        user=leader,
        evaluation=evaluation,
        proposal_level=level,
        proposal_accreditation_level=accreditation,
        version=evaluation.version,
    )


def test_the_final_report_keeps_the_supported_and_proposed_cap_do(started, team_users):
    ev = final(started, team_users[0], level=2, accreditation=3)
    assert ev.proposal_accreditation_level == 3
    assert ev.final_snapshot["supported_accreditation_level"] == 3
    assert ev.final_snapshot["proposal_accreditation_level"] == 3
    assert services.report_intact(ev)


def test_a_cap_do_proposal_above_the_supported_one_is_refused(started, team_users):
    with pytest.raises(services.EvaluationError, match="chỉ đủ Cấp độ 2"):
        final(started, team_users[0], level=1, accreditation=3, lowered={"1.1-M3"})
    started.refresh_from_db()
    assert started.status == "feedback" and started.proposal_accreditation_level is None


def test_the_decision_records_both_levels_under_one_number(started, team_users, province_officer):
    ev = final(started, team_users[0], level=2, accreditation=3)
    decision = services.decision_record(
        user=province_officer,
        evaluation=ev,
        data={**DATA, "level": 2, "accreditation_level": 3},
        version=ev.version,
    )
    ev.refresh_from_db()
    acc = ev.accreditation_decision
    assert ev.decision == decision and decision.level == 2
    assert acc.kind == recognition_rules.ACCREDITATION and acc.level == 3
    assert acc.number == decision.number and acc.signed_on == decision.signed_on
    assert acc.valid_until == recognition_rules.add_years(TODAY, 5)


def test_a_cap_do_above_the_supported_one_is_refused_and_nothing_written(
    started, team_users, province_officer
):
    ev = final(started, team_users[0], level=1, lowered={"1.1-M3"})  # Mức 2: Cấp độ 2, Mức độ 1
    with pytest.raises(services.Rejected) as exc:
        services.decision_record(
            user=province_officer,
            evaluation=ev,
            data={**DATA, "level": 1, "accreditation_level": 3},
            version=ev.version,
        )
    assert "chỉ đủ Cấp độ 2" in exc.value.errors["accreditation_level"][0]
    assert not RecognitionDecision.objects.exists()
    ev.refresh_from_db()
    assert ev.status == "final" and ev.decision is None


def test_the_cap_do_is_optional(started, team_users, province_officer):
    ev = final(started, team_users[0], level=2)
    services.decision_record(
        user=province_officer, evaluation=ev, data={**DATA, "level": 2}, version=ev.version
    )
    ev.refresh_from_db()
    assert ev.accreditation_decision is None
    assert RecognitionDecision.objects.count() == 1


@pytest.fixture
def decided(started, team_users, province_officer):
    ev = final(started, team_users[0], level=1, accreditation=2, lowered={"1.1-M3"})
    services.decision_record(
        user=province_officer,
        evaluation=ev,
        data={**DATA, "level": 1, "accreditation_level": 2},
        version=ev.version,
    )
    ev.refresh_from_db()
    return ev


def test_a_linked_decision_is_not_corrected_above_the_supported_level(decided, province_officer):
    standard, acc = decided.decision, decided.accreditation_decision
    with pytest.raises(DecisionRejected) as exc:
        recognition_correct(
            user=province_officer,
            decision=standard,
            data={"level": 2},
            reason="Nâng mức",
            version=standard.version,
        )
    assert "chỉ đủ Mức độ 1" in exc.value.errors["level"][0]
    with pytest.raises(DecisionRejected) as exc:
        recognition_correct(
            user=province_officer,
            decision=acc,
            data={"level": 3},
            reason="Nâng cấp độ",
            version=acc.version,
        )
    assert "chỉ đủ Cấp độ 2" in exc.value.errors["level"][0]
    with pytest.raises(DecisionRejected) as exc:
        recognition_correct(
            user=province_officer,
            decision=standard,
            data={"kind": recognition_rules.REVOCATION},
            reason="Thu hồi",
            version=standard.version,
        )
    assert any("không đổi được loại công nhận" in m for m in exc.value.errors["kind"])
    assert RecognitionDecision.objects.get(pk=standard.pk).level == 1
    # Below the supported level, and the decision's other fields: allowed.
    fixed = recognition_correct(
        user=province_officer,
        decision=acc,
        data={"level": 1, "signer_name": "Nguyễn Văn A"},
        reason="Sai cấp độ khi nhập",
        version=acc.version,
    )
    assert fixed.level == 1


def test_the_decision_page_refuses_a_cap_do_above_the_report_keeping_the_input(
    client, started, team_users, province_officer
):
    from django.urls import reverse

    ev = final(started, team_users[0], level=1, accreditation=2, lowered={"1.1-M3"})
    client.force_login(province_officer)
    url = reverse("evaluation:decision", args=[ev.pk])
    page = client.get(url).content.decode()
    assert 'name="accreditation_level"' in page and "đến Cấp độ 2" in page
    data = {
        "outcome": "recognised",
        "level": "1",
        "accreditation_level": "3",
        "number": "78/QĐ-SGDĐT",
        "signed_on": TODAY.strftime("%d/%m/%Y"),
        "signing_body": "Sở GD&ĐT Lai Châu",
        "version": ev.version,
    }
    refused = client.post(url, data)
    body = refused.content.decode()
    assert refused.status_code == 400 and "chỉ đủ Cấp độ 2" in body
    assert 'value="78/QĐ-SGDĐT"' in body
    assert not RecognitionDecision.objects.exists()
    assert client.post(url, {**data, "accreditation_level": "2"}).status_code == 302
    register = client.get(reverse("programme:school", args=[ev.school.code])).content.decode()
    assert "Cấp độ 2" in register and "Mức độ 1" in register
