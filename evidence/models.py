"""The evidence register (danh mục minh chứng) of one self-assessment.

One row per document, whatever number of criteria cite it: the regulation says evidence used by
several criteria keeps the code of its first criterion and is cited again, never duplicated. The
code is assigned once (services.evidence_create) and never recomputed, because it is printed in
report texts and on physical boxes."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.concurrency import VersionedModel
from core.models import NormalizedTextMixin
from frameworks.codes import CodeStyle, style_from_data


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    """A storage key nobody can guess or derive from the school, the code or the user's file
    name: 128 random bits. The extension is the one the content was checked to have."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    token = secrets.token_hex(16)
    return f"evidence/{token[:2]}/{token}.{ext}"


class Evidence(NormalizedTextMixin, VersionedModel):
    SEARCH_SOURCE = "name"

    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.CASCADE,
        related_name="evidence_items",
        verbose_name=_("đợt tự đánh giá"),
    )
    first_criterion = models.ForeignKey(
        "frameworks.Criterion",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tiêu chí đầu tiên"),
        help_text=_("Tiêu chí quyết định mã minh chứng; minh chứng dùng lại giữ mã này."),
    )
    code = models.CharField(_("mã minh chứng"), max_length=40, editable=False)
    seq = models.PositiveSmallIntegerField(_("số thứ tự trong tiêu chí"), editable=False)
    box = models.PositiveSmallIntegerField(
        _("số hộp"),
        null=True,
        blank=True,
        help_text=_("Hộp lưu minh chứng giấy; mặc định là số thứ tự của tiêu chuẩn."),
    )
    name = models.CharField(_("tên minh chứng"), max_length=500)
    number = models.CharField(_("số/ký hiệu"), max_length=120, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issuer = models.CharField(_("nơi ban hành"), max_length=255, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    link = models.URLField(_("đường dẫn"), max_length=1000, blank=True)
    file = models.FileField(_("tệp"), upload_to=evidence_upload_to, max_length=255, blank=True)
    original_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tải lên"),
    )
    uploaded_at = models.DateTimeField(_("ngày tải lên"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cited_in = models.ManyToManyField(
        "assessments.CriterionSheet",
        through="EvidenceCitation",
        related_name="evidence",
        blank=True,
        verbose_name=_("được trích dẫn ở"),
    )

    class Meta:
        ordering = ["assessment", "first_criterion__position", "seq"]
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")
        constraints = [
            # The code is the register's key; the two constraints make a concurrent upload
            # that read the same "next number" fail instead of duplicating a code.
            models.UniqueConstraint(fields=["assessment", "code"], name="evidence_unique_code"),
            models.UniqueConstraint(
                fields=["assessment", "first_criterion", "seq"], name="evidence_unique_seq"
            ),
        ]
        indexes = [models.Index(fields=["assessment", "sha256"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def search_words(self) -> list[str]:
        return [self.code, self.name, self.number, self.issuer]

    @property
    def style(self) -> CodeStyle:
        return style_from_data(self.assessment.framework.data)

    @property
    def display_code(self) -> str:
        return self.style.show(self.code)

    @property
    def has_file(self) -> bool:
        return bool(self.file)

    @property
    def kind_label(self) -> str:
        if self.file:
            return str(_("Tệp"))
        if self.link:
            return str(_("Đường dẫn"))
        return str(_("Bản giấy"))


class EvidenceCitation(models.Model):
    """Evidence cited in a criterion sheet (in the order it was inserted)."""

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="citations")
    sheet = models.ForeignKey(
        "assessments.CriterionSheet", on_delete=models.CASCADE, related_name="evidence_citations"
    )
    position = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sheet", "position", "pk"]
        verbose_name = _("trích dẫn minh chứng")
        verbose_name_plural = _("trích dẫn minh chứng")
        constraints = [
            models.UniqueConstraint(fields=["evidence", "sheet"], name="evidence_cited_once"),
        ]

    def __str__(self) -> str:
        return f"{self.evidence.code} → {self.sheet_id}"
