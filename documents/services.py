"""Writes of the documents library: a request rebuilt from plain values, a file rendered now
(.docx/.xlsx/.pdf), and the body of the background PDF job (queued by documents.tasks)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.files.base import ContentFile
from django.http import Http404
from django.utils import timezone

from core.text import nfc
from documents import pdf, registry
from documents.common import DocumentError, DocumentRequest, SystemUser
from documents.models import GeneratedDocument
from documents.selectors import document_unit
from units.models import AdminUnit

logger = logging.getLogger(__name__)

HEADER_KEYS = (
    "issuer",
    "managing_body",
    "number",
    "symbol",
    "place",
    "date",
    "signer_authority",
    "signer_title",
    "signer_name",
)


def request_from_params(*, user, kind: str, params: dict[str, Any]) -> DocumentRequest:
    """Rebuild a request from plain values (form, command line, or a stored job), checking
    the unit against the user's scope. Raises DocumentError with a Vietnamese message."""
    registry.get_kind(kind)
    unit: AdminUnit | None = None
    uid = nfc(str(params.get("unit") or ""))
    if uid:
        unit = document_unit(user=user, uid=uid)
    plan_id = params.get("plan") or None
    year = params.get("year") or None
    try:
        plan_id = int(plan_id) if plan_id else None
        year = int(year) if year else None
    except (TypeError, ValueError) as exc:
        raise DocumentError("Năm và mã kế hoạch phải là số.") from exc
    if plan_id:
        try:
            registry.plan_get(user=user, pk=plan_id)
        except Http404 as exc:
            raise DocumentError(
                f"Không tìm thấy kế hoạch #{plan_id} trong phạm vi của bạn."
            ) from exc
    assessment_id = params.get("assessment") or None
    try:
        assessment_id = int(assessment_id) if assessment_id else None
    except (TypeError, ValueError) as exc:
        raise DocumentError("Mã đợt tự đánh giá phải là số.") from exc
    criterion = nfc(str(params.get("criterion") or "")).strip()
    on_value = params.get("on") or ""
    try:
        on = dt.date.fromisoformat(on_value) if on_value else timezone.localdate()
    except ValueError as exc:
        raise DocumentError(f"Ngày số liệu không hợp lệ: {on_value}.") from exc
    header = {
        k: nfc(str(v)) for k, v in (params.get("header") or {}).items() if k in HEADER_KEYS and v
    }
    req = DocumentRequest(
        user=user,
        kind=kind,
        unit=unit,
        plan_id=plan_id,
        year=year,
        period=str(params.get("period") or "H1").upper(),
        on=on,
        header=header,
        assessment_id=assessment_id,
        criterion=criterion,
        evaluation=",".join(
            part.strip() for part in str(params.get("evaluation") or "").split(",") if part.strip()
        ),
    )
    registry.validate(req)
    return req


def document_render(*, req: DocumentRequest, fmt: str) -> bytes:
    """The file in `fmt` (docx, xlsx or pdf), built now in this process."""
    if fmt == "docx":
        return registry.build_docx(req)
    if fmt == "xlsx":
        return registry.build_xlsx(req)
    if fmt == "pdf":
        return pdf.docx_bytes_to_pdf(registry.build_docx(req))
    raise DocumentError(f"Định dạng “{fmt}” không hỗ trợ; chọn docx, xlsx hoặc pdf.")


def _progress(job: GeneratedDocument, percent: int, status: str | None = None) -> None:
    fields: dict[str, Any] = {"progress": percent}
    if status:
        fields["status"] = status
    GeneratedDocument.objects.filter(pk=job.pk).update(**fields)


RETRYING_MESSAGE = "Lần tạo trước chưa thành công; hệ thống đang tự thử lại."
FAILED_MESSAGE = "Lỗi không mong đợi khi tạo văn bản; quản trị viên đã được ghi nhận lỗi."


def generated_document_run(*, document_id: int) -> None:
    """The task body: rebuild the request as the owner (scope checked again: a membership
    removed since the click means no document), write the .docx, convert it to PDF.

    A refusal that another try cannot change (scope, parameters, no LibreOffice) fails the job
    at once. Anything else (a LibreOffice crash, a lost storage) puts the job back to waiting
    and raises, so that the worker tries again (core.worker: bounded attempts);
    `generated_document_failed` marks the job failed once the attempts are used up."""
    job = GeneratedDocument.objects.select_related("owner").filter(pk=document_id).first()
    if job is None or job.is_finished:
        return
    _progress(job, 5, GeneratedDocument.Status.RUNNING)
    try:
        req = request_from_params(user=job.owner, kind=job.kind, params=job.params)
        data = registry.build_docx(req)
        name = registry.filename_of(req, "docx")
        job.docx.save(name, ContentFile(data), save=False)
        GeneratedDocument.objects.filter(pk=job.pk).update(docx=job.docx.name, progress=50)
        pdf_bytes = pdf.docx_bytes_to_pdf(data, name="van-ban")
        job.pdf.save(registry.filename_of(req, "pdf"), ContentFile(pdf_bytes), save=False)
        GeneratedDocument.objects.filter(pk=job.pk).update(
            pdf=job.pdf.name,
            progress=100,
            status=GeneratedDocument.Status.DONE,
            error="",
            finished_at=timezone.now(),
        )
    except (DocumentError, pdf.PdfUnavailable) as exc:
        GeneratedDocument.objects.filter(pk=job.pk).update(
            status=GeneratedDocument.Status.FAILED, error=str(exc), finished_at=timezone.now()
        )
    except Exception:
        logger.exception("PDF job %s failed; the worker will try again", job.pk)
        GeneratedDocument.objects.filter(pk=job.pk).update(
            status=GeneratedDocument.Status.QUEUED, progress=0, error=RETRYING_MESSAGE
        )
        raise
    except BaseException:
        # The worker is being stopped (second SIGTERM): the task goes back to the queue, so
        # does the job; never left "running".
        GeneratedDocument.objects.filter(pk=job.pk).update(
            status=GeneratedDocument.Status.QUEUED, progress=0
        )
        raise


def generated_document_failed(*, document_id: int) -> None:
    """The job's task failed for good (attempts used up, or its worker kept dying)."""
    GeneratedDocument.objects.filter(pk=document_id).exclude(
        status__in=[GeneratedDocument.Status.DONE, GeneratedDocument.Status.FAILED]
    ).update(
        status=GeneratedDocument.Status.FAILED,
        error=FAILED_MESSAGE,
        finished_at=timezone.now(),
    )


def generated_document_docx(*, job: GeneratedDocument) -> tuple[bytes, str]:
    """The job's .docx now, whatever the worker is doing: the stored file if the job wrote it,
    else built here from the job's parameters (as the owner, scope checked again)."""
    if job.docx:
        with job.docx.open("rb") as f:
            return f.read(), registry.filename_of_title(job.title, "docx")
    req = request_from_params(user=job.owner, kind=job.kind, params=job.params)
    return registry.build_docx(req), registry.filename_of(req, "docx")


def command_user(username: str | None):
    """--user USERNAME, or superuser semantics when omitted (scheduled exports)."""
    if not username:
        return SystemUser()
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise DocumentError(f"Không có người dùng “{username}” (hoặc tài khoản đã khóa).")
    return user
