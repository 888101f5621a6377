"""Background tasks (django-tasks; settings.TASKS). Run the worker with
`python manage.py db_worker`."""

from __future__ import annotations

from django_tasks import task


@task()
def generate_pdf(document_id: int) -> None:
    from documents.services import generated_document_run

    generated_document_run(document_id=document_id)
