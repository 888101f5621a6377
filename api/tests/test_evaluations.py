"""External evaluations in the API (read): addressed by school code and number, scoped like the
evaluation's page (404 outside, 403 inside without evaluation.view), with the team, the team's
levels and the divergence counts of evaluation.selectors."""

from __future__ import annotations

from django.urls import reverse

PENDING_ONLY = {"raised": 0, "lowered": 0, "equal": 0}


def test_a_school_lists_its_evaluations_by_number(token_client, province_officer, school, started):
    client = token_client(province_officer)
    body = client.get(reverse("api:v1_school_evaluations", args=[school.code])).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["school"] == school.code and row["number"] == 1
    assert row["status"] == "evaluating" and row["purpose"] == "new"
    assert row["target_level"] == 2 and row["school_year"] == "2024-2025"
    assert row["framework"] == started.framework.code and row["outcome"] == ""
    assert row["registered_on"]


def test_an_evaluation_shows_its_team_levels_and_divergence(
    token_client, province_officer, school, started, team
):
    client = token_client(province_officer)
    url = reverse("api:v1_evaluation", args=[school.code, 1])
    data = client.get(url).json()
    assert data["number"] == 1 and data["team_decision_number"] == "12/QĐ-SGDĐT"
    assert data["team_decision_date"] == "2026-12-07"
    assert [m["role"] for m in data["team"]] == ["leader", "secretary"] + ["member"] * 4
    assert {m["full_name"] for m in data["team"]} == {m.full_name for m in team}
    assert all(m["criteria"] for m in data["team"])
    assert "email" not in str(data["team"]) and "username" not in str(data["team"])
    # No judgment consolidated yet: every criterion is pending, the school's level is 0.
    assert data["criteria"] and all(c["level"] == 0 for c in data["criteria"])
    gap = data["divergence"]
    assert gap["self_level"] == 3 and gap["team_level"] == 0
    assert {k: gap["criteria"][k] for k in PENDING_ONLY} == PENDING_ONLY
    assert gap["criteria"]["pending"] == len(data["criteria"])
    assert gap["indicators"]["pending"] > 0


def test_a_team_member_from_another_school_reads_the_evaluation(
    token_client, school, started, team_users
):
    leader = team_users[0]
    data = token_client(leader).get(reverse("api:v1_evaluation", args=[school.code, 1]))
    assert data.status_code == 200 and data.json()["status"] == "evaluating"


def test_outside_the_scope_is_404_inside_without_the_right_is_403(
    token_client, make_user, school, other_commune, staff, started
):
    outsider = make_user("commune_officer", unit=other_commune, username="xa_ninhgiang")
    listing = reverse("api:v1_school_evaluations", args=[school.code])
    detail = reverse("api:v1_evaluation", args=[school.code, 1])
    for url in (listing, detail):
        assert token_client(outsider).get(url).status_code == 404
        assert token_client(staff).get(url).status_code == 403


def test_an_unknown_number_is_404(token_client, province_officer, school, started):
    client = token_client(province_officer)
    for number in (0, 2, 99999999999):
        url = reverse("api:v1_evaluation", args=[school.code, number])
        assert client.get(url).status_code == 404
