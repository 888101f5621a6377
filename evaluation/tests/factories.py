"""An evaluation at work for tests elsewhere (the edit-form table, the benchmarks): written
straight to the rows, the procedure itself is tested in evaluation.tests.test_services."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from accounts.models import Membership, Role
from assessments.models import Assessment
from evaluation.models import Evaluation, Registration, TeamMember


def evaluation_at_work(assessment: Assessment, *, leader_username: str = "truong_doan"):
    """(evaluation, leader): the self-assessment accepted, its registration accepted, the
    evaluation under way with `leader` leading the team."""
    Assessment.objects.filter(pk=assessment.pk).update(status="accepted", locked=True)
    registration = Registration.objects.create(
        school=assessment.school,
        assessment=assessment,
        purpose="new",
        target_level=1,
        status="accepted",
    )
    evaluation = Evaluation.objects.create(
        registration=registration,
        school=assessment.school,
        assessment=assessment,
        framework=assessment.framework,
        status="evaluating",
    )
    leader = get_user_model().objects.create_user(leader_username, password="Mat-khau-2025!")
    Membership.objects.create(user=leader, school=assessment.school, role=Role.REVIEWER)
    TeamMember.objects.create(
        evaluation=evaluation, user=leader, full_name="Trưởng đoàn", role="leader"
    )
    return evaluation, leader
