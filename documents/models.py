"""Generated files (a background PDF, or any document kept for download) and the editable
prose of reports and plans."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.text import nfc


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


class ReportDraft(models.Model):
    """The prose sections of a report or plan document (leadership, tasks done, limitations,
    next tasks…), kept per unit and period so the next generation reuses what was typed.
    Tables and numbers are never stored here: they come from data at generation time."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Báo cáo")
        PLAN = "plan", _("Kế hoạch")

    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    unit = models.ForeignKey(
        "units.AdminUnit", on_delete=models.CASCADE, related_name="+", verbose_name=_("đơn vị")
    )
    # A plain id, not a foreign key: the draft outlives a deleted plan, and the documents app
    # does not pin a migration of the programme app. 0 = no plan.
    plan_id = models.PositiveIntegerField(_("kế hoạch"), default=0)
    year = models.PositiveSmallIntegerField(_("năm"), default=0)
    period = models.CharField(_("kỳ báo cáo"), max_length=2, blank=True)
    texts = models.JSONField(_("nội dung"), default=dict, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("nội dung soạn thảo")
        verbose_name_plural = _("nội dung soạn thảo")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "unit", "plan_id", "year", "period"], name="report_draft_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.unit} {self.period} {self.year}"

    def save(self, *args, **kwargs):
        self.texts = {str(k): nfc(v) for k, v in (self.texts or {}).items()}
        super().save(*args, **kwargs)


class AssessmentProse(models.Model):
    """The prose of a self-assessment's documents that belongs to no criterion: "Đặt vấn đề",
    purpose and process, "Kết luận chung", proposals, the plan's sections, Biểu 2's sections and
    monitoring rows, and the recognition conditions the school declares. Keys are those of
    `documents.selfassessment.prose.SECTIONS`. Locked with the assessment (submitted or
    accepted = read-only); `version` guards against two people overwriting each other."""

    assessment = models.OneToOneField(
        "assessments.Assessment",
        on_delete=models.CASCADE,
        related_name="document_prose",
        verbose_name=_("đợt tự đánh giá"),
    )
    texts = models.JSONField(_("nội dung"), default=dict, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("nội dung văn bản tự đánh giá")
        verbose_name_plural = _("nội dung văn bản tự đánh giá")

    def __str__(self) -> str:
        return str(self.assessment)
