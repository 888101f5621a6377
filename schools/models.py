"""The school registry: one row per school, its sites and its place on the map over time."""

import re

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import NormalizedTextMixin
from core.text import nfc


class SchoolKind(models.TextChoices):
    MN = "MN", _("Mầm non")
    TH = "TH", _("Tiểu học")
    THCS = "THCS", _("Trung học cơ sở")
    THPT = "THPT", _("Trung học phổ thông")
    TH_THCS = "TH&THCS", _("Tiểu học và Trung học cơ sở")
    THCS_THPT = "THCS&THPT", _("Trung học cơ sở và Trung học phổ thông")
    TH_THCS_THPT = "TH&THCS&THPT", _("Tiểu học, THCS và THPT")
    GDTX = "GDTX", _("Giáo dục thường xuyên")


class Ownership(models.TextChoices):
    PUBLIC = "cong_lap", _("Công lập")
    PRIVATE = "tu_thuc", _("Tư thục")
    COMMUNITY = "dan_lap", _("Dân lập")


class SpecialType(models.TextChoices):
    NONE = "", _("Không")
    PTDTBT = "PTDTBT", _("Phổ thông dân tộc bán trú")
    PTDTNT = "PTDTNT", _("Phổ thông dân tộc nội trú")
    CHUYEN = "CHUYEN", _("Trường chuyên")
    KHUYET_TAT = "KHUYET_TAT", _("Trường chuyên biệt (khuyết tật)")
    QUOC_TE = "QUOC_TE", _("Có yếu tố nước ngoài")


class StandardLevel(models.IntegerChoices):
    NONE = 0, _("Chưa đạt chuẩn")
    LEVEL_1 = 1, _("Đạt chuẩn Mức độ 1")
    LEVEL_2 = 2, _("Đạt chuẩn Mức độ 2")


# The sector database (CSDL ngành, csdl.moet.gov.vn, Thông tư 42/2021/TT-BGDĐT) assigns each
# school its own code; no published text fixes its shape, so letters and digits up to 20
# characters are accepted (the framework reference page says so).
NATIONAL_CODE_MAX = 20
NATIONAL_CODE_RE = re.compile(rf"^[0-9A-Za-z]{{1,{NATIONAL_CODE_MAX}}}$")
national_code_validator = RegexValidator(
    NATIONAL_CODE_RE,
    _("Mã trường CSDL ngành chỉ gồm chữ số và chữ cái không dấu, tối đa 20 ký tự."),
)


class School(NormalizedTextMixin):
    code = models.CharField(_("mã trường"), max_length=32, unique=True)
    national_code = models.CharField(
        _("mã trường CSDL ngành"),
        max_length=NATIONAL_CODE_MAX,
        blank=True,
        validators=[national_code_validator],
        help_text=_("Mã do Cơ sở dữ liệu ngành giáo dục cấp cho trường; để trống nếu chưa có."),
    )
    name = models.CharField(_("tên trường"), max_length=255)
    kind = models.CharField(_("cấp học"), max_length=16, choices=SchoolKind.choices)
    ownership = models.CharField(
        _("loại hình"), max_length=16, choices=Ownership.choices, default=Ownership.PUBLIC
    )
    special_type = models.CharField(
        _("loại trường đặc thù"), max_length=16, choices=SpecialType.choices, blank=True
    )
    managing_body = models.CharField(_("cơ quan quản lý"), max_length=255, blank=True)
    unit = models.ForeignKey(
        "units.AdminUnit",
        verbose_name=_("xã/phường"),
        on_delete=models.PROTECT,
        related_name="schools",
    )
    founded_year = models.PositiveSmallIntegerField(_("năm thành lập"), null=True, blank=True)
    principal_name = models.CharField(_("hiệu trưởng"), max_length=120, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    website = models.CharField(_("trang web"), max_length=200, blank=True)
    # The current national-standard level is a cache kept by the recognition register's
    # services (issue 4); the registry import may seed it for schools without decisions yet.
    standard_level = models.PositiveSmallIntegerField(
        _("chuẩn quốc gia"), choices=StandardLevel.choices, default=StandardLevel.NONE
    )
    is_illustrative = models.BooleanField(
        _("dữ liệu minh họa"),
        default=False,
        help_text=_("Tên hoặc số liệu không có trong văn bản gốc, chỉ để minh họa."),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sort_key"]
        verbose_name = _("trường học")
        verbose_name_plural = _("trường học")
        constraints = [
            # Unique only when set: most schools have no code recorded yet.
            models.UniqueConstraint(
                fields=["national_code"],
                condition=~Q(national_code=""),
                name="school_national_code_unique_when_set",
                violation_error_message=_("Mã trường CSDL ngành này đã được dùng cho trường khác."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def search_words(self) -> list[str]:
        return [self.name, self.code, self.national_code]


class SchoolSite(models.Model):
    """Điểm trường: a satellite location of a school (common in mountain communes)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(_("tên điểm trường"), max_length=200)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    is_main = models.BooleanField(_("điểm chính"), default=False)

    class Meta:
        ordering = ["-is_main", "name"]
        verbose_name = _("điểm trường")
        verbose_name_plural = _("điểm trường")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.normalise_text()
        super().save(*args, **kwargs)

    def normalise_text(self) -> None:
        """NFC (and trimmed) like every stored text; bulk writers call it before bulk_create."""
        self.name = nfc(self.name)
        self.address = nfc(self.address)


class SchoolLocation(models.Model):
    """Where a school sat on the administrative map for a period, so that a report for
    "huyện Ninh Giang, 2018" still finds the schools now in Xã Ninh Giang, Hải Phòng."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="locations")
    unit = models.ForeignKey(
        "units.AdminUnit", on_delete=models.PROTECT, related_name="historical_schools"
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    is_guess = models.BooleanField(
        _("ánh xạ ước đoán"),
        default=False,
        help_text=_("Ánh xạ đơn vị cũ → mới chưa được xác minh bằng văn bản."),
    )

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("địa bàn theo thời kỳ")
        verbose_name_plural = _("địa bàn theo thời kỳ")

    def __str__(self) -> str:
        return f"{self.school} — {self.unit} ({self.valid_from or '…'} – {self.valid_to or '…'})"


class SchoolYearData(models.Model):
    """The school's figures for one school year (classes, rooms, staff, pupils, results), as
    declared by `schools.yeardata.schema_for(kind)`. Only typed rows are stored; totals are
    computed from their parts when shown. Written by `services.school_year_data_save`, which
    checks `version` so two people filling the table cannot overwrite each other."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="year_data")
    school_year = models.CharField(_("năm học"), max_length=9)
    values = models.JSONField(_("số liệu"), default=dict, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["school", "school_year"]
        verbose_name = _("số liệu năm học")
        verbose_name_plural = _("số liệu năm học")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year"], name="school_year_data_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} — {self.school_year}"
