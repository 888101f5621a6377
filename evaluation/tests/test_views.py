"""The pages walk the chain with the real roles; refusals keep what was typed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.levels import requirement_refs
from assessments.tests.test_no_internal_ids import INTERNAL_ID, visible_text
from evaluation.models import Registration, TeamJudgment, TeamMember
from evaluation.tests.conftest import TODAY
from frameworks.models import Indicator

pytestmark = pytest.mark.django_db


def test_the_principal_sees_the_checks_and_files(client, principal, accepted):
    client.force_login(principal)
    url = reverse("evaluation:register", args=[accepted.pk])
    page = client.get(url)
    assert (
        page.status_code == 200 and "Báo cáo tự đánh giá đã được chấp nhận" in page.content.decode()
    )
    response = client.post(url, {"purpose": "new", "target_level": "2"})
    assert response.status_code == 302
    assert Registration.objects.get().status == "submitted"
    refused = client.post(url, {"purpose": "new", "target_level": "2", "letter_number": "99/CV"})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "chỉ có một đợt" in body and "99/CV" in body  # the message, and what was typed


def test_the_queue_lists_the_registration_and_the_officer_accepts(
    client, province_officer, registration
):
    client.force_login(province_officer)
    page = client.get(reverse("evaluation:index"))
    assert registration.school.name in page.content.decode()
    response = client.post(
        reverse("evaluation:registration_accept", args=[registration.pk]), {"version": 1}
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == "accepted"


def test_a_member_from_the_school_is_refused_on_the_team_page(
    client, province_officer, evaluation, staff
):
    client.force_login(province_officer)
    response = client.post(
        reverse("evaluation:team", args=[evaluation.pk]),
        {"person": staff.username, "role": "member", "full_name": "Cán bộ trường"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "trường được đánh giá" in body and "Cán bộ trường" in body
    assert not TeamMember.objects.exists()


def test_members_judge_and_the_leader_consolidates_through_the_pages(
    client, started, team, team_users
):
    member = team[2]
    crit = member.criteria.first()
    ind = Indicator.objects.filter(criterion=crit).order_by("position").first()
    client.force_login(team_users[2])
    url = reverse("evaluation:criterion", args=[started.pk, crit.code])
    assert client.get(url).status_code == 200
    prefix = f"i{ind.pk}"
    response = client.post(
        url,
        {
            f"{prefix}-indicator": ind.pk,
            f"{prefix}-met": "0",
            f"{prefix}-comment": "Thiếu hồ sơ",
            f"{prefix}-version": "0",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "Thiếu hồ sơ" in response.content.decode()
    client.force_login(team_users[0])
    curl = reverse("evaluation:consolidate", args=[started.pk, ind.pk])
    assert client.get(curl).status_code == 200
    assert (
        client.post(
            curl, {"met": "0", "reason": "Theo ý kiến thành viên", "version": "0"}
        ).status_code
        == 302
    )
    stale = client.post(curl, {"met": "1", "reason": "Bản khác", "version": "0"})
    assert stale.status_code == 409
    body = stale.content.decode()
    assert "người khác" in body and "Bản khác" in body and "Theo ý kiến thành viên" in body
    assert TeamJudgment.objects.get().reason == "Theo ý kiến thành viên"
    page = client.get(reverse("evaluation:divergence", args=[started.pk]) + "?chi_khac=1")
    # Named as the circular names it, never by the engine's id (issue 17).
    assert requirement_refs([ind.ident]) in page.content.decode()
    for seen in (curl, url, reverse("evaluation:divergence", args=[started.pk])):
        text = visible_text(client.get(seen).content.decode())
        assert not INTERNAL_ID.search(text), (seen, INTERNAL_ID.findall(text))


def test_outsiders_get_404_and_the_principal_403_on_team_work(client, started, outsider, principal):
    client.force_login(outsider)
    for name in ("detail", "divergence", "team"):
        assert client.get(reverse(f"evaluation:{name}", args=[started.pk])).status_code == 404
    client.force_login(principal)
    assert client.get(reverse("evaluation:detail", args=[started.pk])).status_code == 200
    assert client.get(reverse("evaluation:team", args=[started.pk])).status_code == 403


def test_the_decision_page_refuses_a_level_above_the_evaluation(
    client, started, team_users, province_officer
):
    from evaluation.tests.test_services import consolidate_all, finalise

    consolidate_all(started, team_users[0], lowered={"1.1-M3"})  # Mức 2 → Mức độ 1
    ev = finalise(started, team_users[0], level=1)
    client.force_login(province_officer)
    url = reverse("evaluation:decision", args=[ev.pk])
    assert client.get(url).status_code == 200
    data = {
        "outcome": "recognised",
        "level": "2",
        "number": "77/QĐ-SGDĐT",
        "signed_on": TODAY.strftime("%d/%m/%Y"),
        "signing_body": "Sở GD&ĐT Lai Châu",
        "version": ev.version,
    }
    refused = client.post(url, data)
    assert refused.status_code == 400 and "chỉ đủ Mức độ 1" in refused.content.decode()
    assert client.post(url, {**data, "level": "1"}).status_code == 302
    ev.refresh_from_db()
    assert ev.decision.level == 1
    page = client.get(reverse("programme:school", args=[ev.school.code]))
    assert "77/QĐ-SGDĐT" in page.content.decode()
