"""PDF jobs and the worker (issue 13 point 3): the job page says in Vietnamese what happens,
never a command; with no worker for a minute it says so and offers the .docx at once; a job
whose task failed for good is shown failed."""

from __future__ import annotations

import signal

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core import worker as core_worker
from core.models import ProcessHeartbeat
from documents import pdf, services
from documents.common import DocumentRequest
from documents.models import GeneratedDocument
from documents.tasks import generated_document_request
from documents.tests.helpers import all_text, open_docx


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_MAX_ATTEMPTS = 2
    settings.TASK_RETRY_DELAY_SECONDS = 0


def queue_job(user, unit) -> GeneratedDocument:
    req = services.request_from_params(
        user=user, kind="statistics", params={"unit": unit.uid, "on": "2024-06-30"}
    )
    assert isinstance(req, DocumentRequest)
    return generated_document_request(user=user, req=req)


def beat(seconds_ago: float = 0) -> None:
    seen = timezone.now() - timezone.timedelta(seconds=seconds_ago)
    ProcessHeartbeat.objects.create(process_id="w", role="worker", started_at=seen, seen_at=seen)


def page(client, job) -> str:
    return client.get(reverse("documents:job_progress", args=[job.pk])).content.decode()


def test_queued_job_waits_its_turn_in_vietnamese(
    client, database_queue, commune_officer, commune, nine_schools
):
    beat()
    first = queue_job(commune_officer, commune)
    second = queue_job(commune_officer, commune)
    client.force_login(commune_officer)
    body = page(client, second)
    assert "Đang chờ đến lượt: còn 1 văn bản xếp trước." in body
    assert "db_worker" not in body and "manage.py" not in body
    assert "ngừng hoạt động" not in body
    assert "Đang chờ đến lượt; việc tạo bản PDF sẽ bắt đầu ngay." in page(client, first)


def test_job_without_a_worker_for_a_minute_says_so_and_offers_the_docx(
    client, database_queue, commune_officer, commune, nine_schools
):
    beat(seconds_ago=90)
    job = queue_job(commune_officer, commune)
    client.force_login(commune_officer)
    body = client.get(reverse("documents:job", args=[job.pk])).content.decode()
    assert "Máy chủ tạo PDF đang ngừng hoạt động" in body
    assert "bản .docx đã sẵn sàng" in body
    assert 'hx-trigger="every 2s"' in body  # keeps polling: the PDF comes when the worker does
    docx_url = reverse("documents:job_file", args=[job.pk, "docx"])
    assert docx_url in body and "db_worker" not in body
    response = client.get(docx_url)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.docx"')
    assert "55,56%" in all_text(open_docx(response.content))


def test_docx_of_a_job_refused_since_is_a_message_not_a_500(
    client, database_queue, outsider, commune
):
    job = GeneratedDocument.objects.create(
        owner=outsider, kind="statistics", params={"unit": commune.uid}
    )
    client.force_login(outsider)
    response = client.get(reverse("documents:job_file", args=[job.pk, "docx"]), follow=True)
    assert response.status_code == 200
    assert "phạm vi" in response.content.decode()


def run_worker_batch() -> None:
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    worker = core_worker.Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="w-docs",
        excluded_queue_names=[],
        heartbeat_thread=False,
    )
    try:
        worker.run()
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


@pytest.mark.django_db(transaction=True)  # the worker closes old connections
def test_conversion_crash_is_retried_then_the_job_fails_with_a_message(
    client, database_queue, commune_officer, commune, nine_schools, monkeypatch
):
    calls = []

    def crash(data, name="van-ban"):
        calls.append(name)
        raise pdf.PdfConversionError("soffice exited with 139")

    monkeypatch.setattr(pdf, "docx_bytes_to_pdf", crash)
    job = queue_job(commune_officer, commune)
    run_worker_batch()
    job.refresh_from_db()
    assert len(calls) == 2  # TASK_MAX_ATTEMPTS
    assert job.status == GeneratedDocument.Status.FAILED
    assert job.error == services.FAILED_MESSAGE
    task = DBTaskResult.objects.get(pk=job.task_id)
    assert task.status == TaskResultStatus.FAILED
    assert "soffice exited with 139" in task.traceback  # why, for the administrator
    client.force_login(commune_officer)
    assert services.FAILED_MESSAGE in page(client, job)


def test_a_job_whose_worker_kept_dying_is_shown_failed(
    database_queue, commune_officer, commune, nine_schools
):
    job = queue_job(commune_officer, commune)
    DBTaskResult.objects.filter(pk=job.task_id).update(
        status=TaskResultStatus.RUNNING, worker_ids=["dead-1", "dead-2"]
    )
    GeneratedDocument.objects.filter(pk=job.pk).update(status="running", progress=50)
    core_worker.requeue_abandoned()
    job.refresh_from_db()
    assert job.status == GeneratedDocument.Status.FAILED and job.error


@pytest.mark.django_db(transaction=True)  # the worker closes old connections
def test_a_retry_shows_that_it_is_retrying(
    client, database_queue, settings, commune_officer, commune, nine_schools, monkeypatch
):
    settings.TASK_RETRY_DELAY_SECONDS = 600
    monkeypatch.setattr(
        pdf, "docx_bytes_to_pdf", lambda *a, **k: (_ for _ in ()).throw(OSError("disk"))
    )
    job = queue_job(commune_officer, commune)
    run_worker_batch()
    job.refresh_from_db()
    assert job.status == GeneratedDocument.Status.QUEUED
    beat()
    client.force_login(commune_officer)
    assert services.RETRYING_MESSAGE in page(client, job)


@pytest.mark.django_db(transaction=True)  # the worker closes old connections
def test_a_worker_stopped_mid_conversion_puts_the_job_back_to_waiting(
    database_queue, commune_officer, commune, nine_schools, monkeypatch
):
    def interrupted(*args, **kwargs):
        raise core_worker.WorkerInterrupted("Terminated")

    monkeypatch.setattr(pdf, "docx_bytes_to_pdf", interrupted)
    job = queue_job(commune_officer, commune)
    run_worker_batch()
    job.refresh_from_db()
    assert job.status == GeneratedDocument.Status.QUEUED and job.progress == 0
    assert DBTaskResult.objects.get(pk=job.task_id).status == TaskResultStatus.READY
