"""The quality bar's path end to end: a principal submits, the managing officer gets the
notification in the app and a mail sent by the background worker (core.worker), which retries a
mail whose server was down without touching the submission."""

from __future__ import annotations

import pytest
from django.core import mail
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from assessments import services as assessment_services
from assessments.models import Status
from core.tests.test_worker import run_worker
from notifications import kinds
from notifications.models import MailState, Notification
from notifications.tests import failing_backend

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_MAX_ATTEMPTS = 3
    settings.TASK_RETRY_DELAY_SECONDS = 0


def test_a_submission_reaches_the_managing_officer_by_the_worker(
    assessment, principal, commune_officer, with_mail
):
    assessment_services.assessment_submit(user=principal, assessment=assessment)
    told = Notification.objects.get()
    assert told.recipient == commune_officer and told.kind == kinds.ASSESSMENT_SUBMITTED
    assert mail.outbox == []  # nothing is sent inside the request
    run_worker()
    (sent,) = mail.outbox
    assert sent.to == ["xa@example.org"] and "đã nộp" in sent.subject
    told.refresh_from_db()
    assert told.mail_state == MailState.SENT and told.mailed_at is not None


def test_a_mail_server_down_is_retried_and_never_blocks_the_submission(
    assessment, principal, with_mail, settings
):
    settings.EMAIL_BACKEND = "notifications.tests.failing_backend.Flaky"
    failing_backend.Flaky.failures = 1
    assessment_services.assessment_submit(user=principal, assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.status == Status.SUBMITTED
    run_worker()
    task = DBTaskResult.objects.get(task_path="notifications.delivery.deliver_notifications")
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert len(mail.outbox) == 1
    assert Notification.objects.get().mail_state == MailState.SENT
