"""Every URL of the external evaluation, tried by outsiders against Lai Châu's evaluation: a
commune officer of Hải Phòng, the leader of a Hải Phòng school's team, and a member of another
Lai Châu school's team. Nothing of Lai Châu's evaluation is shown or written (404 everywhere).
A new URL pattern of the app fails test_every_url_has_an_outsider_case until it gets one."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, get_resolver, reverse

from accounts.models import Membership
from evaluation import services
from evaluation.models import (
    CriterionReview,
    Evaluation,
    MemberJudgment,
    Registration,
    TeamJudgment,
    TeamMember,
    Visit,
)
from frameworks.models import Indicator

pytestmark = pytest.mark.django_db

SECRETS = ("Huổi Luông", "LC-TH-HUOILUONG")

# name → (kwargs builder, methods)
CASES = {
    "index": (lambda w: {}, ("get",)),
    "register": (lambda w: {"assessment_id": w["evaluation"].assessment_id}, ("get", "post")),
    "registration": (lambda w: {"pk": w["evaluation"].registration_id}, ("get",)),
    "registration_accept": (lambda w: {"pk": w["evaluation"].registration_id}, ("post",)),
    "registration_return": (lambda w: {"pk": w["evaluation"].registration_id}, ("post",)),
    "detail": (lambda w: {"pk": w["evaluation"].pk}, ("get",)),
    "team": (lambda w: {"pk": w["evaluation"].pk}, ("get", "post")),
    "team_remove": (
        lambda w: {"pk": w["evaluation"].pk, "member_id": w["member"].pk},
        ("post",),
    ),
    "start": (lambda w: {"pk": w["evaluation"].pk}, ("post",)),
    "criterion": (lambda w: {"pk": w["evaluation"].pk, "code": "1.1"}, ("get", "post")),
    "consolidate": (
        lambda w: {"pk": w["evaluation"].pk, "indicator_id": w["indicator"].pk},
        ("get", "post"),
    ),
    "divergence": (lambda w: {"pk": w["evaluation"].pk}, ("get",)),
    "review": (lambda w: {"pk": w["evaluation"].pk, "code": "1.1"}, ("get", "post")),
    "visit": (lambda w: {"pk": w["evaluation"].pk}, ("get", "post")),
    "report_send": (lambda w: {"pk": w["evaluation"].pk}, ("post",)),
    "feedback": (lambda w: {"pk": w["evaluation"].pk}, ("post",)),
    "finalise": (lambda w: {"pk": w["evaluation"].pk}, ("post",)),
    "decision": (lambda w: {"pk": w["evaluation"].pk}, ("get", "post")),
}
POSTED = {
    "met": "1",
    "reason": "Ghi đè",
    "comment": "Ghi đè",
    "version": "0",
    "role": "member",
    "kind": "official",
    "date": "01/12/2026",
    "feedback_deadline": "31/12/2026",
    "text": "x",
    "received_on": "01/12/2026",
    "purpose": "new",
    "target_level": "1",
    "outcome": "refused",
    "strengths": "Ghi đè",
}


def test_every_url_has_an_outsider_case():
    resolver = next(
        r for r in get_resolver().url_patterns if getattr(r, "namespace", "") == "evaluation"
    )
    names = {p.name for p in resolver.url_patterns if isinstance(p, URLPattern)}
    assert names == set(CASES)


def _fingerprint():
    return (
        list(Registration.objects.order_by("pk").values()),
        list(Evaluation.objects.order_by("pk").values_list("pk", "status", "version")),
        list(TeamMember.objects.order_by("pk").values_list("pk", "role")),
        list(TeamJudgment.objects.order_by("pk").values_list("pk", "met", "version")),
        list(MemberJudgment.objects.order_by("pk").values_list("pk", "met")),
        list(Visit.objects.values_list("pk")),
        list(CriterionReview.objects.values_list("pk", "strengths")),
        list(Membership.objects.order_by("pk").values_list("pk", "user_id", "school_id")),
    )


@pytest.fixture
def outsiders(outsider, outside_school, sibling_school, make_user):
    """Hải Phòng's commune officer; the leader of Hải Phòng's team (a reviewer seat in that
    school); a team member seated in another Lai Châu school."""
    hp_leader = make_user("reviewer", school=outside_school, username="doan_hp")
    lc_other = make_user("reviewer", school=sibling_school, username="doan_daosan")
    return {"outsider": outsider, "hp_leader": hp_leader, "lc_other_team": lc_other}


@pytest.mark.parametrize("who", ["outsider", "hp_leader", "lc_other_team"])
def test_outsiders_get_nothing_of_the_evaluation(client, started, team, outsiders, who):
    world = {
        "evaluation": started,
        "member": team[2],
        "indicator": Indicator.objects.filter(framework=started.framework).first(),
    }
    client.force_login(outsiders[who])
    before = _fingerprint()
    for name, (kwargs, methods) in CASES.items():
        url = reverse(f"evaluation:{name}", kwargs=kwargs(world))
        for method in methods:
            response = getattr(client, method)(url, POSTED if method == "post" else None)
            body = response.content.decode(errors="replace")
            if name == "index":
                assert response.status_code in (200, 404)
            else:
                assert response.status_code == 404, (name, method, response.status_code)
            for secret in SECRETS:
                assert secret not in body, (name, method)
    assert _fingerprint() == before


def test_a_finished_evaluation_closes_the_dossier_to_its_team(
    client, started, team_users, province_officer
):
    from evaluation.tests.test_services import consolidate_all, finalise

    consolidate_all(started, team_users[0])
    ev = finalise(started, team_users[0], level=2)
    services.decision_refuse(
        user=province_officer, evaluation=ev, reason="Lý do", version=ev.version
    )
    client.force_login(team_users[3])
    assert client.get(reverse("evaluation:detail", args=[ev.pk])).status_code == 404
    assert client.get(reverse("assessments:detail", args=[ev.assessment_id])).status_code == 404
