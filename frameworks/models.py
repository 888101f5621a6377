"""Frameworks as loaded from `frameworks/data/*.json`. The file is the source of truth and is kept
whole in `Framework.data` (the engine compiles it); standards, criteria and indicators are also
stored as rows so other apps can point at them (criterion sheets keep one row per indicator)."""

from __future__ import annotations

from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.utils.translation import gettext_lazy as _

from core.text import fold

from . import engine


class Certainty(models.TextChoices):
    CONFIRMED = "confirmed", _("Đã xác nhận")
    UNCERTAIN = "uncertain", _("Chưa chắc chắn")


class TextConfidence(models.TextChoices):
    HIGH = "high", _("cao")
    MEDIUM = "medium", _("trung bình")
    LOW = "low", _("thấp")


_DATA: dict[tuple[str, str], dict] = {}


class _DataAttribute(DeferredAttribute):
    """`Framework.data` read with `data` deferred: the decoded JSON is taken from a process-level
    cache keyed by (code, data_hash) — the hash of the data itself, so a changed framework has
    a new key and is never served stale — and read from the database only the first time."""

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        values = instance.__dict__
        name = self.field.attname
        if name not in values:
            key = (values.get("code"), values.get("data_hash"))
            if None not in key and key in _DATA:
                values[name] = _DATA[key]
            else:
                value = super().__get__(instance, cls)
                if None not in key:
                    _DATA[key] = value
        return values[name]


class Framework(models.Model):
    code = models.CharField(_("mã"), max_length=40, unique=True)
    title = models.TextField(_("tên"))
    short_title = models.CharField(_("tên ngắn"), max_length=200, blank=True)
    family = models.CharField(_("thế hệ"), max_length=10, blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"))
    effective_from = models.DateField(_("hiệu lực từ"))
    effective_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    school_kinds = models.JSONField(_("loại trường"), default=list)
    certainty = models.CharField(max_length=10, choices=Certainty, default=Certainty.CONFIRMED)
    provenance = models.TextField(_("nguồn"), blank=True)
    # False while only part of the school-wide Mức 4 list has been found (TT18): the level that
    # counts it is shown as not determinable.
    level4_complete = models.BooleanField(_("đủ danh sách yêu cầu Mức 4"), default=True)
    # Read with `defer("data")` where only a few keys are needed (cached, see _DataAttribute).
    data = models.JSONField(_("dữ liệu"))
    data_hash = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["effective_from", "code"]
        verbose_name = _("bộ tiêu chuẩn")
        verbose_name_plural = _("bộ tiêu chuẩn")

    def __str__(self) -> str:
        return self.code

    @property
    def is_uncertain(self) -> bool:
        return self.certainty == Certainty.UNCERTAIN

    def compiled(self) -> engine.Framework:
        """The engine's view of this framework, compiled once per data version. The cache is
        looked up before `data` is touched, so a row read with `data` deferred (the whole
        circular as JSON: tens of milliseconds to read and decode) costs nothing once compiled."""
        found = _COMPILED.get((self.code, self.data_hash))
        if found is not None:
            return found
        return _compile_cached(self.code, self.data_hash, self.data)


# A plain JSONField (no migration), with the cached read for a deferred `data`.
Framework.data = _DataAttribute(Framework._meta.get_field("data"))

_COMPILED: dict[tuple[str, str], engine.Framework] = {}


def _compile_cached(code: str, data_hash: str, data: dict) -> engine.Framework:
    key = (code, data_hash)
    if key not in _COMPILED:
        _COMPILED[key] = engine.compile_framework(data)
    return _COMPILED[key]


class FrameworkVersion(models.Model):
    """A dated version of a framework: the 2018 original, then the TT22/2024 amendment (whose
    wording is not known — `wording_known` is False and the UI says so)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="versions")
    code = models.CharField(_("mã phiên bản"), max_length=40)
    title = models.TextField(_("tên"))
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    effective_from = models.DateField(_("hiệu lực từ"))
    effective_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    wording_known = models.BooleanField(_("đã có văn bản"), default=True)
    certainty = models.CharField(max_length=10, choices=Certainty, default=Certainty.CONFIRMED)
    note = models.TextField(_("ghi chú"), blank=True)
    overrides = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["framework", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="fw_version_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.framework.code} · {self.code}"


class Standard(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="standards")
    code = models.CharField(_("mã"), max_length=10)
    title = models.TextField(_("tên"))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="fw_standard_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.framework.code} · Tiêu chuẩn {self.code}"


class Criterion(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="criteria")
    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("mã"), max_length=10)
    title = models.TextField(_("tên"))
    mandatory = models.BooleanField(_("bắt buộc"), default=False)
    evidence_suggested = models.TextField(_("minh chứng gợi ý"), blank=True)
    quantitative_data = models.TextField(_("dữ liệu định lượng"), blank=True)
    position = models.PositiveIntegerField(default=0)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["framework", "position"]
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="fw_criterion_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.framework.code} · Tiêu chí {self.code}"

    def save(self, *args, **kwargs) -> None:
        self.search_text = fold(f"{self.code} {self.title}")
        super().save(*args, **kwargs)


class Indicator(models.Model):
    """An indicator (chỉ báo) of a criterion at a level, or — with no criterion — a school-wide
    Mức 4 requirement (`M4-1`…). `ident` is the stable id other tools rely on."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indicators")
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="indicators", null=True, blank=True
    )
    ident = models.CharField(_("mã chỉ báo"), max_length=20)
    level = models.PositiveSmallIntegerField(_("mức"))
    letter = models.CharField(max_length=4, blank=True)
    # NULL, not "": the text was not found in any source — shown as "chưa có văn bản", never
    # invented; an empty string would blur "not found" with "empty".
    text = models.TextField(_("nội dung"), null=True, blank=True)  # noqa: DJ001
    text_en_summary = models.TextField(_("tóm tắt tiếng Anh"), blank=True)
    provenance = models.TextField(_("nguồn"), blank=True)
    # How far a found text can be trusted ("high", "medium", "low"; empty when the data file
    # says nothing, as for the 2018 indicators) and where it was read (addresses, titles).
    text_confidence = models.CharField(
        _("độ tin cậy của văn bản"), max_length=10, choices=TextConfidence, blank=True
    )
    text_sources = models.JSONField(_("nguồn văn bản"), default=list, blank=True)
    position = models.PositiveIntegerField(default=0)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["framework", "position"]
        verbose_name = _("chỉ báo")
        verbose_name_plural = _("chỉ báo")
        constraints = [
            models.UniqueConstraint(fields=["framework", "ident"], name="fw_indicator_unique_ident")
        ]
        indexes = [models.Index(fields=["framework", "level"])]

    def __str__(self) -> str:
        return f"{self.framework.code} · {self.ident}"

    def save(self, *args, **kwargs) -> None:
        self.search_text = indicator_search_text(self.ident, self.text, self.text_en_summary)
        super().save(*args, **kwargs)

    @property
    def is_school_wide(self) -> bool:
        return self.criterion_id is None

    @property
    def display_text(self) -> str:
        return self.text if self.text is not None else engine.MISSING_TEXT


def indicator_search_text(ident: str, text: str | None, summary: str | None) -> str:
    return fold(" ".join(filter(None, [ident, text, summary])))
