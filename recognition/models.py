"""The recognition register (Sổ quyết định công nhận): one row per decision about one school.
A school's status is derived from these rows by recognition.rules; School.standard_level is only
a cache refreshed by recognition.services."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.text import nfc
from recognition import rules


class DecisionKind(models.TextChoices):
    ACCREDITATION = rules.ACCREDITATION, _("Công nhận đạt kiểm định chất lượng giáo dục")
    STANDARD_NEW = rules.STANDARD_NEW, _("Công nhận mới đạt chuẩn quốc gia")
    STANDARD_RENEWAL = rules.STANDARD_RENEWAL, _("Công nhận lại đạt chuẩn quốc gia")
    STANDARD_UPGRADE = rules.STANDARD_UPGRADE, _("Nâng mức chuẩn quốc gia (Mức độ 1 → 2)")
    REVOCATION = rules.REVOCATION, _("Thu hồi công nhận đạt chuẩn quốc gia")
    ACCREDITATION_REVOCATION = (
        rules.ACCREDITATION_REVOCATION,
        _("Thu hồi công nhận kiểm định chất lượng giáo dục"),
    )


class Track(models.TextChoices):
    STANDARD = rules.TRACK_STANDARD, _("Chuẩn quốc gia")
    ACCREDITATION = rules.TRACK_ACCREDITATION, _("Kiểm định chất lượng")


def scan_upload_to(instance: RecognitionDecision, filename: str) -> str:
    # The stored name is ours (random, extension from the detected type): the user's file name
    # is kept apart, for the download only, so it can never steer a path.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"recognitions/{instance.school_id}/{uuid.uuid4().hex}.{ext}"


class RecognitionDecision(models.Model):
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        related_name="recognitions",
        verbose_name=_("trường"),
    )
    number = models.CharField(_("số quyết định"), max_length=60)
    signed_on = models.DateField(_("ngày ký"))
    signing_body = models.CharField(_("cơ quan ban hành"), max_length=200)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=120, blank=True)
    kind = models.CharField(_("loại quyết định"), max_length=32, choices=DecisionKind.choices)
    # Derived from kind: which status the decision acts on (queries pick the latest per track).
    track = models.CharField(max_length=16, choices=Track.choices, editable=False)
    level = models.PositiveSmallIntegerField(
        _("mức"),
        null=True,
        blank=True,
        help_text=_("Chuẩn quốc gia: Mức độ 1 hoặc 2. Kiểm định: Cấp độ 1–4. Thu hồi: để trống."),
    )
    framework_code = models.CharField(_("bộ tiêu chuẩn áp dụng"), max_length=40, blank=True)
    valid_until = models.DateField(_("hiệu lực đến"), null=True, blank=True, editable=False)
    scan = models.FileField(_("bản quét quyết định"), upload_to=scan_upload_to, blank=True)
    scan_name = models.CharField(_("tên tệp gốc"), max_length=200, blank=True)
    scan_type = models.CharField(max_length=40, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người ghi"),
    )
    created_at = models.DateTimeField(_("thời điểm ghi"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        # The table keeps its name from when the register was part of the programme app.
        db_table = "programme_recognitiondecision"
        ordering = ["-signed_on", "-id"]
        verbose_name = _("quyết định công nhận")
        verbose_name_plural = _("sổ quyết định công nhận")
        indexes = [
            models.Index(fields=["school", "track", "signed_on"], name="recog_school_track_date"),
            models.Index(fields=["valid_until"], name="recog_valid_until"),
            models.Index(fields=["signed_on"], name="recog_signed_on"),
        ]
        constraints = [
            # One decision may name several schools, so the number repeats across schools,
            # never for the same school on the same day, except once per track: under
            # TT17/18/19-2018 one signed decision recognises both the accreditation (Cấp độ)
            # and the national standard (Mức độ), two rows of the register.
            models.UniqueConstraint(
                fields=["school", "number", "signed_on", "track"],
                name="recog_unique_school_number_date_track",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.signed_on:%d/%m/%Y}) — {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        self.prepare()
        super().save(*args, **kwargs)

    def prepare(self) -> None:
        """NFC text and the derived fields; called by save() and before bulk_create()."""
        for name in ("number", "signing_body", "signer_title", "signer_name", "framework_code"):
            setattr(self, name, " ".join(nfc(getattr(self, name)).split()))
        self.note = nfc(self.note)
        self.track = rules.TRACK_OF[self.kind]
        if self.kind in rules.REVOCATIONS:
            self.level = None
        # Computed, never typed: the decision date plus the validity (none for a revocation).
        self.valid_until = rules.valid_until(self.kind, self.signed_on, self.framework_code)

    @property
    def level_label(self) -> str:
        if not self.level:
            return ""
        word = "Cấp độ" if self.track == rules.TRACK_ACCREDITATION else "Mức độ"
        return f"{word} {self.level}"

    @property
    def renewal_deadline(self):
        return rules.renewal_deadline(
            self.valid_until, self.framework_code, signed_on=self.signed_on
        )


class StatusTally(models.Model):
    """Kept counts of schools by national-standard status (recognition.tally): for each day
    the dashboards show (today and 31/12 of the last years), each commune, school kind, status
    and whether the register holds the school. Derived data, rebuilt from the register and the
    registry; never edited."""

    day = models.DateField()
    province = models.ForeignKey("units.AdminUnit", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("units.AdminUnit", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16)
    status = models.PositiveSmallIntegerField()
    in_register = models.BooleanField()
    n = models.PositiveIntegerField()
    expiring = models.PositiveIntegerField(default=0)  # of n: recognition ends within the window
    # A province's sum over its communes (unit = province): the national page and a province's
    # totals read 34 × a few rows a day instead of every commune's.
    rollup = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["day", "rollup", "province"], name="tally_day_rollup_province")
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.unit_id} {self.kind} {self.status}: {self.n}"


class TallyState(models.Model):
    """One row: the day the tallies were counted for and the marks of the data they were
    counted from (highest history row and id of schools and decisions, and their numbers).
    Marks that differ from the data's mean the tallies are behind; the dashboards then count
    live until they catch up."""

    day = models.DateField(null=True)
    marks = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"{self.day}: {self.marks}"
