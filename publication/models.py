"""What a school (or its managing authority) has made public. The public pages read only
`Publication.content`, written at the moment of publication from the locked record (the
self-assessment's snapshot, the external evaluation's final report) through
`publication.summaries`, which copies public fields only: no names of council or team members,
no accounts, no evidence files. A later change of the record shows nowhere until it is
published again."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PublicationKind(models.TextChoices):
    SELF_ASSESSMENT = "self_assessment", _("Kết quả tự đánh giá")
    EXTERNAL_EVALUATION = "external_evaluation", _("Kết quả đánh giá ngoài")
    IMPROVEMENT_PLAN = "improvement_plan", _("Kế hoạch cải tiến chất lượng")


class Publication(models.Model):
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.CASCADE,
        related_name="publications",
        verbose_name=_("trường"),
    )
    kind = models.CharField(_("nội dung công khai"), max_length=24, choices=PublicationKind)
    assessment = models.ForeignKey(
        "assessments.Assessment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("đợt tự đánh giá"),
    )
    evaluation = models.ForeignKey(
        "evaluation.Evaluation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("đợt đánh giá ngoài"),
    )
    content = models.JSONField(_("nội dung đã công khai"))
    published_at = models.DateTimeField(_("thời điểm công khai"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người công khai"),
    )
    withdrawn_at = models.DateTimeField(_("thời điểm thôi công khai"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người thôi công khai"),
    )
    withdraw_reason = models.TextField(_("lý do thôi công khai"), blank=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("nội dung công khai")
        verbose_name_plural = _("nội dung công khai")
        constraints = [
            # One live publication of each kind per school: publishing a newer one replaces it.
            models.UniqueConstraint(
                fields=["school", "kind"],
                condition=Q(withdrawn_at__isnull=True),
                name="publication_one_live_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} — {self.get_kind_display()}"

    @property
    def is_live(self) -> bool:
        return self.withdrawn_at is None
