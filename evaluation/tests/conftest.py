"""Fixtures for the external evaluation: the self-assessment fixtures (assessments), an accepted
self-assessment with every criterion indicator met, and the chain up to a working team."""

from __future__ import annotations

import datetime as dt

import pytest

from assessments.models import Assessment, IndicatorResult
from assessments.tests.conftest import assessment, loaded, staff  # noqa: F401
from evaluation import services
from evaluation.models import TeamRole
from frameworks.models import Criterion

TODAY = dt.date(2026, 12, 7)


@pytest.fixture
def accepted(assessment):  # noqa: F811
    """Every criterion indicator met (TT17-2018: school Mức 3 → Mức độ 2), accepted. Written
    straight to the rows: the self-assessment's own workflow is tested in assessments."""
    IndicatorResult.objects.filter(assessment=assessment, sheet__isnull=False).update(met=True)
    Assessment.objects.filter(pk=assessment.pk).update(status="accepted", locked=True)
    assessment.refresh_from_db()
    return assessment


@pytest.fixture
def registration(accepted, principal):
    reg, _checks = services.registration_file(
        user=principal, assessment=accepted, purpose="new", target_level=2, today=TODAY
    )
    return reg


@pytest.fixture
def evaluation(registration, province_officer):
    return services.registration_accept(
        user=province_officer, registration=registration, version=registration.version
    )


@pytest.fixture
def team_users(make_user, sibling_school):
    """Six people from elsewhere: a leader, a secretary, four members (principals and staff of
    other schools, as teams are in practice)."""
    return [
        make_user("principal", school=sibling_school, username=f"doan{i}", first_name=f"Người {i}")
        for i in range(6)
    ]


@pytest.fixture
def team(evaluation, province_officer, team_users):
    criteria = list(Criterion.objects.filter(framework=evaluation.framework).order_by("position"))
    roles = [TeamRole.LEADER, TeamRole.SECRETARY] + [TeamRole.MEMBER] * 4
    members = []
    for i, (person, role) in enumerate(zip(team_users, roles, strict=True)):
        members.append(
            services.team_member_add(
                user=province_officer,
                evaluation=evaluation,
                person=person,
                role=role,
                criteria=criteria[i::6],
            )
        )
    return members


@pytest.fixture
def started(evaluation, team, province_officer):
    evaluation.refresh_from_db()
    return services.evaluation_start(
        user=province_officer,
        evaluation=evaluation,
        team_decision_number="12/QĐ-SGDĐT",
        team_decision_date=TODAY,
        version=evaluation.version,
    )
