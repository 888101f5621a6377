"""Background tasks (django-tasks; settings.TASKS). Run the worker with
`python manage.py db_worker` (core.worker: heartbeat, bounded retries, clean stop). Queuing a
PDF job lives here too, so that the services (the job's body) never import the task that calls
them."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import receiver
from django_tasks import task
from django_tasks.signals import task_finished

from core.worker import is_final_failure
from documents import registry
from documents.common import DocumentRequest
from documents.models import GeneratedDocument
from documents.services import generated_document_failed, generated_document_run


@task()
def generate_pdf(document_id: int) -> None:
    generated_document_run(document_id=document_id)


@receiver(task_finished, dispatch_uid="documents.generate_pdf.failed")
def _pdf_task_finished(sender, task_result, **kwargs) -> None:
    # The job page must not wait for ever on a task that will not run again.
    if task_result.task.module_path == generate_pdf.module_path and is_final_failure(task_result):
        generated_document_failed(document_id=task_result.args[0])


def generated_document_request(*, user, req: DocumentRequest) -> GeneratedDocument:
    """Record a PDF job and hand it to the task queue (django-tasks; the worker is
    `python manage.py db_worker`)."""
    with transaction.atomic():
        job = GeneratedDocument.objects.create(
            owner=user,
            kind=req.kind,
            title=registry.title_of(req)[:300],
            params=req.params(),
        )
    result = generate_pdf.enqueue(job.pk)
    GeneratedDocument.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job
