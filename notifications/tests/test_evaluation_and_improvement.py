"""The external evaluation's signals and the improvement actions' due dates reach people: in
the app (and by mail through the worker, as every kind), and on their home page's to-do."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard import todo
from evaluation import services as ee_services
from evaluation.models import TeamRole
from evaluation.tests.conftest import TODAY, accepted, registration  # noqa: F401
from frameworks.models import Criterion
from improvement.models import ImprovementAction
from notifications import kinds
from notifications.models import Notification
from notifications.services import notify_many
from notifications.tasks import improvement_messages

pytestmark = pytest.mark.django_db


def told(user, kind: str) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=kind))


def test_a_registration_tells_the_managing_officer_and_shows_in_the_to_do(
    accepted,  # noqa: F811
    principal,
    commune_officer,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        registration, _checks = ee_services.registration_file(
            user=principal, assessment=accepted, purpose="new", target_level=2, today=TODAY
        )
    [notice] = told(commune_officer, kinds.REGISTRATION_RECEIVED)
    assert accepted.school.name in notice.title
    assert notice.link.endswith(f"/r/{registration.pk}/")
    assert told(principal, kinds.REGISTRATION_RECEIVED) == []  # not told of their own act
    [item] = todo.registrations_to_check(commune_officer, TODAY)
    assert item.count == 1 and item.rows[0].text == accepted.school.name


def test_a_returned_registration_tells_the_school_with_the_reason(
    registration,  # noqa: F811
    principal,
    commune_officer,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        ee_services.registration_return(
            user=commune_officer,
            registration=registration,
            reason="Thiếu biên bản họp hội đồng",
            version=registration.version,
        )
    [notice] = told(principal, kinds.REGISTRATION_RETURNED)
    assert "Thiếu biên bản họp hội đồng" in notice.body


def test_a_new_team_member_is_told_and_sees_the_evaluation_in_the_to_do(
    registration,  # noqa: F811
    province_officer,
    make_user,
    sibling_school,
    django_capture_on_commit_callbacks,
):
    evaluation = ee_services.registration_accept(
        user=province_officer, registration=registration, version=registration.version
    )
    person = make_user("principal", school=sibling_school, username="doan_moi")
    criteria = list(Criterion.objects.filter(framework=evaluation.framework)[:2])
    with django_capture_on_commit_callbacks(execute=True):
        ee_services.team_member_add(
            user=province_officer,
            evaluation=evaluation,
            person=person,
            role=TeamRole.MEMBER,
            criteria=criteria,
        )
    [notice] = told(person, kinds.TEAM_MEMBERSHIP)
    assert evaluation.school.name in notice.title
    [item] = todo.my_evaluations(person, TODAY)
    assert item.rows[0].text == evaluation.school.name


def _action(school, accepted, due: dt.date) -> ImprovementAction:  # noqa: F811
    return ImprovementAction.objects.create(
        school=school,
        framework=accepted.framework,
        year=due.year,
        indicators=["1.1-M2"],
        title="Rà soát kế hoạch chiến lược",
        responsible="Hiệu trưởng",
        start=due - dt.timedelta(days=60),
        due=due,
    )


def test_an_overdue_action_is_told_once_to_the_school_and_its_officers(
    accepted,  # noqa: F811
    principal,
    commune_officer,
):
    action = _action(accepted.school, accepted, TODAY - dt.timedelta(days=3))
    notify_many(improvement_messages(TODAY))
    notify_many(improvement_messages(TODAY))  # the task run twice tells nothing new
    for person in (principal, commune_officer):
        [notice] = told(person, kinds.IMPROVEMENT_OVERDUE)
        assert action.title in notice.title
    [item] = todo.overdue_improvements(commune_officer, TODAY)
    assert item.count == 1 and "quá 3 ngày" in item.rows[0].detail


def test_an_action_due_within_a_week_reminds_the_school_only(
    accepted,  # noqa: F811
    principal,
    commune_officer,
):
    _action(accepted.school, accepted, TODAY + dt.timedelta(days=5))
    notify_many(improvement_messages(TODAY))
    assert len(told(principal, kinds.IMPROVEMENT_DUE)) == 1
    assert told(commune_officer, kinds.IMPROVEMENT_DUE) == []
