"""Improvement actions registered from the engine's blockers (issue 16): a school registers the
indicators and criteria it will raise this year, each action tracked to done with progress
notes (evidence attached) and reviewed periodically."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.concurrency import VersionedModel
from core.text import nfc
from improvement import rules


class ActionStatus(models.TextChoices):
    PLANNED = rules.PLANNED, _("Kế hoạch")
    IN_PROGRESS = rules.IN_PROGRESS, _("Đang thực hiện")
    DONE = rules.DONE, _("Hoàn thành")
    DROPPED = rules.DROPPED, _("Dừng thực hiện")


class ImprovementAction(VersionedModel):
    """One registered target of a school ("đăng ký chỉ báo, tiêu chí nâng cao chất lượng"): the
    indicators/criteria it raises under one framework, who does it, by when, with what."""

    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="improvement_actions"
    )
    framework = models.ForeignKey(
        "frameworks.Framework",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("bộ tiêu chuẩn"),
    )
    year = models.PositiveSmallIntegerField(_("năm đăng ký"))
    indicators = models.JSONField(_("chỉ báo"), default=list, blank=True)
    criteria = models.JSONField(_("tiêu chí"), default=list, blank=True)
    title = models.CharField(_("nội dung cải tiến"), max_length=400)
    responsible = models.CharField(_("người chịu trách nhiệm"), max_length=200)
    start = models.DateField(_("ngày bắt đầu"))
    due = models.DateField(_("hạn hoàn thành"))
    resources = models.TextField(_("nguồn lực"), blank=True)
    expected_evidence = models.TextField(_("minh chứng dự kiến"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=ActionStatus.choices, default=rules.PLANNED
    )
    drop_reason = models.TextField(_("lý do dừng"), blank=True)
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due", "id"]
        verbose_name = _("hành động cải tiến")
        verbose_name_plural = _("hành động cải tiến")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due__gte=models.F("start")), name="improvement_due_after_start"
            )
        ]
        indexes = [
            models.Index(fields=["status", "due"], name="improvement_open_due"),
            models.Index(fields=["school", "year"], name="improvement_school_year"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.title = " ".join(nfc(self.title).split())
        self.responsible = " ".join(nfc(self.responsible).split())
        self.resources = nfc(self.resources).strip()
        self.expected_evidence = nfc(self.expected_evidence).strip()
        self.drop_reason = nfc(self.drop_reason).strip()
        super().save(*args, **kwargs)

    @property
    def targets(self) -> list[str]:
        return [*self.criteria, *self.indicators]


class ProgressNote(models.Model):
    """What was done, when, with the evidence register's items that show it."""

    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="notes")
    written_on = models.DateField(_("ngày"))
    text = models.TextField(_("nội dung"))
    evidence = models.ManyToManyField(
        "evidence.Evidence", blank=True, related_name="+", verbose_name=_("minh chứng")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-written_on", "-id"]
        verbose_name = _("ghi nhận tiến độ")
        verbose_name_plural = _("ghi nhận tiến độ")

    def __str__(self) -> str:
        return f"{self.action} — {self.written_on:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        self.text = nfc(self.text).strip()
        super().save(*args, **kwargs)


class ImprovementReview(models.Model):
    """A periodic review of the school's improvement plan (TT57: at least twice a school year)."""

    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="improvement_reviews"
    )
    school_year = models.CharField(_("năm học"), max_length=9)
    held_on = models.DateField(_("ngày rà soát"))
    conclusions = models.TextField(_("kết luận"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("rà soát kế hoạch cải tiến")
        verbose_name_plural = _("rà soát kế hoạch cải tiến")

    def __str__(self) -> str:
        return f"{self.school} — {self.held_on:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        self.conclusions = nfc(self.conclusions).strip()
        super().save(*args, **kwargs)
