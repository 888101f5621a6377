"""Writes of the documents app: saving the prose of a report or plan, and generating files
(immediately for .docx/.xlsx, through a background task for PDF)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone

from accounts.permissions import has_perm
from core.text import nfc
from documents import builders, pdf
from documents.common import DocumentError, DocumentRequest, SystemUser
from documents.models import GeneratedDocument, ReportDraft
from documents.selectors import document_unit
from programme import selectors_plans
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
    builders.get_kind(kind)
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
            selectors_plans.plan_get(user=user, pk=plan_id)
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
    )
    builders.validate(req)
    return req


def document_render(*, req: DocumentRequest, fmt: str) -> bytes:
    """The file in `fmt` (docx, xlsx or pdf), built now in this process."""
    if fmt == "docx":
        return builders.build_docx(req)
    if fmt == "xlsx":
        return builders.build_xlsx(req)
    if fmt == "pdf":
        return pdf.docx_bytes_to_pdf(builders.build_docx(req))
    raise DocumentError(f"Định dạng “{fmt}” không hỗ trợ; chọn docx, xlsx hoặc pdf.")


def generated_document_request(*, user, req: DocumentRequest) -> GeneratedDocument:
    """Record a PDF job and hand it to the task queue (django-tasks; the worker is
    `python manage.py db_worker`)."""
    from documents.tasks import generate_pdf

    with transaction.atomic():
        job = GeneratedDocument.objects.create(
            owner=user,
            kind=req.kind,
            title=builders.title_of(req)[:300],
            params=req.params(),
        )
    result = generate_pdf.enqueue(job.pk)
    GeneratedDocument.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def _progress(job: GeneratedDocument, percent: int, status: str | None = None) -> None:
    fields: dict[str, Any] = {"progress": percent}
    if status:
        fields["status"] = status
    GeneratedDocument.objects.filter(pk=job.pk).update(**fields)


def generated_document_run(*, document_id: int) -> None:
    """The task body: rebuild the request as the owner (scope checked again: a membership
    removed since the click means no document), write the .docx, convert it to PDF."""
    job = GeneratedDocument.objects.select_related("owner").filter(pk=document_id).first()
    if job is None or job.is_finished:
        return
    _progress(job, 5, GeneratedDocument.Status.RUNNING)
    try:
        req = request_from_params(user=job.owner, kind=job.kind, params=job.params)
        data = builders.build_docx(req)
        name = builders.filename_of(req, "docx")
        job.docx.save(name, ContentFile(data), save=False)
        GeneratedDocument.objects.filter(pk=job.pk).update(docx=job.docx.name, progress=50)
        pdf_bytes = pdf.docx_bytes_to_pdf(data, name="van-ban")
        job.pdf.save(builders.filename_of(req, "pdf"), ContentFile(pdf_bytes), save=False)
        GeneratedDocument.objects.filter(pk=job.pk).update(
            pdf=job.pdf.name,
            progress=100,
            status=GeneratedDocument.Status.DONE,
            finished_at=timezone.now(),
        )
    except (DocumentError, pdf.PdfUnavailable, pdf.PdfConversionError) as exc:
        GeneratedDocument.objects.filter(pk=job.pk).update(
            status=GeneratedDocument.Status.FAILED, error=str(exc), finished_at=timezone.now()
        )
    except Exception:
        logger.exception("PDF job %s failed", job.pk)
        GeneratedDocument.objects.filter(pk=job.pk).update(
            status=GeneratedDocument.Status.FAILED,
            error="Lỗi không mong đợi khi tạo văn bản; quản trị viên đã được ghi nhận lỗi.",
            finished_at=timezone.now(),
        )


def draft_save(
    *,
    user,
    kind: str,
    unit: AdminUnit,
    texts: dict[str, str],
    plan_id: int = 0,
    year: int = 0,
    period: str = "",
) -> ReportDraft:
    with transaction.atomic():
        draft, created = ReportDraft.objects.select_for_update().get_or_create(
            kind=kind,
            unit=unit,
            plan_id=plan_id or 0,
            year=year or 0,
            period=period or "",
            defaults={"texts": texts, "updated_by": user},
        )
        if not created:
            draft.texts = texts
            draft.updated_by = user if getattr(user, "pk", None) else None
            draft.save()
            ReportDraft.objects.filter(pk=draft.pk).update(version=F("version") + 1)
    return draft


def command_user(username: str | None):
    """--user USERNAME, or superuser semantics when omitted (scheduled exports)."""
    if not username:
        return SystemUser()
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise DocumentError(f"Không có người dùng “{username}” (hoặc tài khoản đã khóa).")
    return user


class ProseConflict(Exception):
    """Someone saved the prose after this user opened the form; nothing was written."""


class ProseNotAllowed(Exception):
    pass


def assessment_prose_save(*, user, assessment, texts: dict[str, Any], version: int):
    """Save the prose of a self-assessment's documents (documents.selfassessment.prose) opened
    at `version` (0 = none existed). Read-only once the assessment is submitted or locked; only
    those who manage the assessment (the permission table's assessment.manage) write it."""
    from documents.models import AssessmentProse
    from documents.selfassessment.prose import MONITORING_COLUMNS, SECTION_BY_KEY

    if not has_perm(user, "assessment.manage", assessment):
        raise ProseNotAllowed("Chỉ hiệu trưởng (người quản lý đợt tự đánh giá) được sửa nội dung.")
    if not assessment.is_editable:
        raise ProseNotAllowed(
            "Đợt tự đánh giá đã nộp hoặc đã khóa: nội dung văn bản chỉ còn để xem."
        )
    clean: dict[str, Any] = {
        key: nfc(str(value)).strip()
        for key, value in texts.items()
        if key in SECTION_BY_KEY and str(value).strip()
    }
    rows = texts.get("monitoring") or []
    monitoring = [
        {k: nfc(str(r.get(k, ""))).strip() for k, _label in MONITORING_COLUMNS}
        for r in rows
        if any(str(r.get(k, "")).strip() for k, _label in MONITORING_COLUMNS)
    ]
    if monitoring:
        clean["monitoring"] = monitoring
    conditions = {str(k): bool(v) for k, v in (texts.get("conditions") or {}).items()}
    if conditions:
        clean["conditions"] = conditions
    with transaction.atomic():
        row = AssessmentProse.objects.select_for_update().filter(assessment=assessment).first()
        current = row.version if row else 0
        if current != version:
            raise ProseConflict(
                "Nội dung đã được người khác cập nhật sau khi bạn mở trang. Nội dung bạn nhập "
                "vẫn còn bên dưới; hãy xem lại rồi lưu lần nữa."
            )
        old = dict(row.texts) if row else {}
        _log_prose(user, assessment, old, clean)
        if row is None:
            row = AssessmentProse.objects.create(
                assessment=assessment, texts=clean, updated_by=user
            )
        elif row.texts != clean:
            row.texts = clean
            row.updated_by = user
            row.version = F("version") + 1
            row.save()
            row.refresh_from_db()
    return row


def _log_prose(user, assessment, old: dict[str, Any], new: dict[str, Any]) -> None:
    """One change-log row per changed section, in the assessment's history."""
    import json

    from assessments.models import ChangeLog

    def show(value: Any) -> str:
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)

    ChangeLog.objects.bulk_create(
        [
            ChangeLog(
                assessment=assessment,
                user=user if getattr(user, "pk", None) else None,
                field=f"van_ban.{key}",
                old=show(old.get(key, "")),
                new=show(new.get(key, "")),
                note="Nội dung văn bản tự đánh giá",
            )
            for key in sorted(set(old) | set(new))
            if old.get(key) != new.get(key)
        ]
    )
