"""Background tasks (django-tasks; settings.TASKS). Run the worker with
`python manage.py db_worker`. Queuing a PDF job lives here too, so that the services (the job's
body) never import the task that calls them."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from documents import registry
from documents.common import DocumentRequest
from documents.models import GeneratedDocument
from documents.services import generated_document_run


@task()
def generate_pdf(document_id: int) -> None:
    generated_document_run(document_id=document_id)


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
