"""Generated files (a background PDF, or any document kept for download). The prose typed into
documents lives with the domain that owns them (programme.ReportDraft, assessments.AssessmentProse)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def generated_upload_to(instance: GeneratedDocument, filename: str) -> str:
    # Our own random name; the download gets a readable name from the view.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"documents/{instance.owner_id}/{uuid.uuid4().hex}.{ext}"


class GeneratedDocument(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang tạo")
        DONE = "done", _("Đã xong")
        FAILED = "failed", _("Thất bại")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="generated_documents",
        verbose_name=_("người yêu cầu"),
    )
    kind = models.CharField(_("loại văn bản"), max_length=32)
    title = models.CharField(_("tên văn bản"), max_length=300, blank=True)
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    docx = models.FileField(_("tệp .docx"), upload_to=generated_upload_to, blank=True)
    pdf = models.FileField(_("tệp PDF"), upload_to=generated_upload_to, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("thời điểm yêu cầu"), auto_now_add=True)
    finished_at = models.DateTimeField(_("thời điểm xong"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("văn bản đã tạo")
        verbose_name_plural = _("văn bản đã tạo")
        indexes = [models.Index(fields=["owner", "-created_at"], name="gendoc_owner_created")]

    def __str__(self) -> str:
        return self.title or self.kind

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
