"""Programme plans (Kế hoạch / Đề án) with their school and unit targets, investment projects,
monthly progress reports and reminders. The recognition register they are measured against lives
in recognition/models.py."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.concurrency import VersionedModel
from core.text import nfc
from programme import plans as rules_plans

# ---------------------------------------------------------------------------------------------
# Programme plans (Kế hoạch / Đề án), investment projects and monthly progress reports.
# The rules that read them (plan vs actual, totals) live in programme/plans.py (pure Python).


class PlanKind(models.TextChoices):
    PLAN = "ke_hoach", _("Kế hoạch")
    SCHEME = "de_an", _("Đề án")
    RESOLUTION = "nghi_quyet", _("Nghị quyết")


class PlanStatus(models.TextChoices):
    DRAFT = "du_thao", _("Dự thảo")
    ACTIVE = "dang_thuc_hien", _("Đang thực hiện")
    FINISHED = "da_ket_thuc", _("Đã kết thúc")


class ProgrammePlan(VersionedModel):
    """A unit's plan for a period. The unit may be a retired district (huyện Ninh Giang,
    2016–2020): such plans stay visible through the units that succeeded it."""

    unit = models.ForeignKey(
        "units.AdminUnit",
        on_delete=models.PROTECT,
        related_name="programme_plans",
        verbose_name=_("đơn vị ban hành"),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        verbose_name=_("thực hiện văn bản"),
        help_text=_("Ví dụ: kế hoạch năm 2021 thực hiện Đề án giai đoạn 2021–2025."),
    )
    # The plan's stable public code (the open API's paths and outputs): never the database id.
    public_id = models.UUIDField(
        _("mã công khai"),
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("Mã định danh ổn định của kế hoạch, dùng trong địa chỉ API."),
    )
    kind = models.CharField(_("loại văn bản"), max_length=16, choices=PlanKind.choices)
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=200)
    title = models.CharField(_("trích yếu"), max_length=400)
    start_year = models.PositiveSmallIntegerField(_("từ năm"))
    end_year = models.PositiveSmallIntegerField(_("đến năm"))
    legal_basis = models.TextField(_("căn cứ"), blank=True)
    goals = models.TextField(_("mục tiêu"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.ACTIVE
    )
    monthly_reports = models.BooleanField(
        _("trường báo cáo tiến độ hằng tháng"),
        default=False,
        help_text=_(
            "Các trường trong kế hoạch gửi báo cáo tiến độ mỗi tháng (như kế hoạch 2025"
            " của huyện Trạm Tấu)."
        ),
    )
    is_illustrative = models.BooleanField(_("dữ liệu minh họa"), default=False)
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_year", "-end_year", "-issued_on", "-id"]
        verbose_name = _("kế hoạch, đề án")
        verbose_name_plural = _("kế hoạch, đề án")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="plan_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number} — {self.title}".replace("  ", " ")

    def save(self, *args, **kwargs):
        for name in ("number", "issuing_body", "title"):
            setattr(self, name, " ".join(nfc(getattr(self, name)).split()))
        self.legal_basis, self.goals, self.note = (
            nfc(self.legal_basis),
            nfc(self.goals),
            nfc(self.note),
        )
        super().save(*args, **kwargs)

    @property
    def period_label(self) -> str:
        if self.start_year == self.end_year:
            return str(self.start_year)
        return f"{self.start_year}–{self.end_year}"

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))


class TargetKind(models.TextChoices):
    NEW_1 = rules_plans.NEW_1, _("Công nhận mới Mức độ 1")
    NEW_2 = rules_plans.NEW_2, _("Công nhận mới Mức độ 2")
    RE_RECOGNITION = rules_plans.RE_RECOGNITION, _("Công nhận lại")
    UPGRADE = rules_plans.UPGRADE, _("Nâng mức độ 1 lên mức độ 2")
    MAINTAIN = rules_plans.MAINTAIN, _("Duy trì chuẩn")
    IMPROVE = rules_plans.IMPROVE, _("Nâng cao chất lượng các tiêu chuẩn")


class PlanSchoolTarget(models.Model):
    """What one school must reach in one year of a plan. year = None: some time within the
    period (seed 004 §2.3 lists the upgrades without a year)."""

    plan = models.ForeignKey(ProgrammePlan, on_delete=models.CASCADE, related_name="school_targets")
    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="plan_targets"
    )
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    target = models.CharField(_("chỉ tiêu"), max_length=20, choices=TargetKind.choices)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        ordering = ["plan", "year", "target", "school__sort_key"]
        verbose_name = _("chỉ tiêu của trường")
        verbose_name_plural = _("chỉ tiêu của trường")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "school", "year", "target"], name="plan_target_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} — {self.get_target_display()} ({self.year or 'cả giai đoạn'})"


class UnitMetric(models.TextChoices):
    """What a unit-level target measures, when the data can compute it: the register
    (programme.plans.unit_metric_value) or the schools' year data (plans.STAFF_METRICS)."""

    NONE = "", _("Không tính từ dữ liệu (chưa có số liệu)")
    STANDARD_SHARE = rules_plans.METRIC_STANDARD_SHARE, _("Tỷ lệ trường đạt chuẩn quốc gia (%)")
    STANDARD_COUNT = rules_plans.METRIC_STANDARD_COUNT, _("Số trường đạt chuẩn quốc gia")
    MANAGERS_UNIVERSITY = (
        rules_plans.METRIC_MANAGERS_UNIVERSITY,
        _("Tỷ lệ cán bộ quản lý có trình độ đại học trở lên (%)"),
    )
    STAFF_UNIVERSITY = (
        rules_plans.METRIC_STAFF_UNIVERSITY,
        _("Tỷ lệ cán bộ quản lý, giáo viên có trình độ đại học trở lên (%)"),
    )
    TEACHERS_QUALIFIED = (
        rules_plans.METRIC_TEACHERS_QUALIFIED,
        _("Tỷ lệ giáo viên đạt chuẩn trình độ đào tạo trở lên (%)"),
    )
    TEACHERS_ABOVE = (
        rules_plans.METRIC_TEACHERS_ABOVE,
        _("Tỷ lệ giáo viên trên chuẩn trình độ đào tạo (%)"),
    )


class Comparator(models.TextChoices):
    """How the target's value is read: seed 004 writes "trên 80%" (more than), which is not
    "80%" (at least)."""

    AT_LEAST = "", _("đạt (từ giá trị trở lên)")
    ABOVE = rules_plans.ABOVE, _("trên")
    BELOW = rules_plans.BELOW, _("dưới")


class PlanUnitTarget(models.Model):
    """A numeric target of the unit: share of standard schools, staff qualification shares
    (seed 004: "100% cán bộ quản lý có trình độ đại học", "từ 5 đến 8% thạc sĩ, tiến sĩ").
    `metric` says when the actual value can be derived from the register (share or number of
    standard schools of the plan's area at the end of the target's year)."""

    plan = models.ForeignKey(ProgrammePlan, on_delete=models.CASCADE, related_name="unit_targets")
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    label = models.CharField(_("chỉ tiêu"), max_length=300)
    value = models.DecimalField(_("giá trị"), max_digits=12, decimal_places=2)
    value_max = models.DecimalField(
        _("giá trị tối đa"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Chỉ khi chỉ tiêu là một khoảng (từ 5 đến 8%)."),
    )
    measure = models.CharField(_("đơn vị tính"), max_length=20, default="%")
    comparator = models.CharField(
        _("so sánh"), max_length=8, choices=Comparator.choices, default="", blank=True
    )
    metric = models.CharField(
        _("tính từ dữ liệu"), max_length=20, choices=UnitMetric.choices, default="", blank=True
    )
    order = models.PositiveSmallIntegerField(default=0)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        ordering = ["plan", "order", "id"]
        verbose_name = _("chỉ tiêu của đơn vị")
        verbose_name_plural = _("chỉ tiêu của đơn vị")

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs):
        self.label = " ".join(nfc(self.label).split())
        self.note = nfc(self.note)
        super().save(*args, **kwargs)


class PlanActivity(VersionedModel):
    """A task of the plan carried out and counted, as the report states it (seed 000: "Thực
    hiện Kiểm tra kỹ thuật các trường dự kiến đạt chuẩn được 04/04 trường theo kế hoạch")."""

    plan = models.ForeignKey(ProgrammePlan, on_delete=models.CASCADE, related_name="activities")
    done_on = models.DateField(_("ngày thực hiện"))
    description = models.CharField(_("nội dung"), max_length=300)
    done_count = models.PositiveIntegerField(_("số đã thực hiện"), null=True, blank=True)
    planned_count = models.PositiveIntegerField(_("số theo kế hoạch"), null=True, blank=True)
    measure = models.CharField(_("đơn vị tính"), max_length=20, default="trường")
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        ordering = ["plan", "done_on", "id"]
        verbose_name = _("hoạt động đã thực hiện")
        verbose_name_plural = _("hoạt động đã thực hiện")

    def __str__(self) -> str:
        return self.description

    def save(self, *args, **kwargs):
        self.description = " ".join(nfc(self.description).split())
        self.note = nfc(self.note)
        super().save(*args, **kwargs)


class InvestmentCategory(models.TextChoices):
    # Order = the roman numerals of seed 000's table (I. Nâng cấp, sửa chữa; II. Xây dựng mới).
    UPGRADE_REPAIR = rules_plans.CAT_UPGRADE_REPAIR, _("Nâng cấp, sửa chữa")
    NEW_BUILD = rules_plans.CAT_NEW_BUILD, _("Xây dựng mới")
    EQUIPMENT = rules_plans.CAT_EQUIPMENT, _("Mua sắm thiết bị")


class FundingSource(models.TextChoices):
    BUDGET = "ngan_sach", _("Ngân sách nhà nước")
    RURAL = "mtqg_ntm", _("Chương trình MTQG xây dựng nông thôn mới")
    SOCIAL = "xa_hoi_hoa", _("Xã hội hóa")
    OTHER = "khac", _("Nguồn khác")


class InvestmentStatus(models.TextChoices):
    PLANNED = "ke_hoach", _("Kế hoạch")
    IN_PROGRESS = "dang_thuc_hien", _("Đang thực hiện")
    DONE = "hoan_thanh", _("Hoàn thành")


class InvestmentProject(models.Model):
    """A construction or equipment project. Money is a Decimal in million đồng (seed 000 writes
    5.900 for 5,9 billion). A row may belong to a unit without a school when the source only
    gives a unit total (seed 000: "mua sắm trang bị thiết bị dạy học: 1.915 triệu đồng")."""

    unit = models.ForeignKey(
        "units.AdminUnit",
        on_delete=models.PROTECT,
        related_name="investment_projects",
        verbose_name=_("đơn vị"),
    )
    school = models.ForeignKey(
        "schools.School",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="investment_projects",
        verbose_name=_("trường"),
    )
    plan = models.ForeignKey(
        ProgrammePlan,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="investment_projects",
        verbose_name=_("kế hoạch"),
    )
    name = models.CharField(_("tên dự án"), max_length=300)
    category = models.CharField(_("nhóm"), max_length=24, choices=InvestmentCategory.choices)
    scale = models.TextField(_("quy mô"), blank=True)
    total_million = models.DecimalField(
        _("tổng mức đầu tư (triệu đồng)"), max_digits=14, decimal_places=3
    )
    funding_source = models.CharField(
        _("nguồn vốn"), max_length=16, choices=FundingSource.choices, default=FundingSource.BUDGET
    )
    funding_note = models.CharField(_("ghi rõ nguồn khác"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("năm"))
    status = models.CharField(
        _("tình trạng"),
        max_length=16,
        choices=InvestmentStatus.choices,
        default=InvestmentStatus.PLANNED,
    )
    progress_percent = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    criteria_codes = models.CharField(
        _("tiêu chí liên quan (ghi tay, trước khi chọn theo bộ tiêu chuẩn)"),
        max_length=200,
        blank=True,
        help_text=_("Mã tiêu chí, cách nhau bằng dấu phẩy, ví dụ: 3.1, 3.3."),
    )
    # The criteria and indicators the project serves, picked from one framework (issue 16 §4):
    # a school's blocker list and the unit analysis read these.
    framework = models.ForeignKey(
        "frameworks.Framework",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("bộ tiêu chuẩn"),
    )
    criteria = models.JSONField(_("tiêu chí phục vụ"), default=list, blank=True)
    indicators = models.JSONField(_("chỉ báo phục vụ"), default=list, blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    is_illustrative = models.BooleanField(_("dữ liệu minh họa"), default=False)
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["year", "category", "order", "id"]
        verbose_name = _("dự án đầu tư")
        verbose_name_plural = _("dự án đầu tư")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total_million__gte=0), name="investment_total_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(progress_percent__lte=100), name="investment_progress_max_100"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = " ".join(nfc(self.name).split())
        self.scale, self.note = nfc(self.scale).strip(), nfc(self.note)
        self.criteria_codes = ", ".join(rules_plans.split_codes(nfc(self.criteria_codes)))
        self.funding_note = " ".join(nfc(self.funding_note).split())
        super().save(*args, **kwargs)


def monthly_upload_to(instance: MonthlyReport, filename: str) -> str:
    # Our own random name: the user's file name is kept apart, for the download only.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"monthly/{instance.school_id}/{uuid.uuid4().hex}.{ext}"


class MonthlyReport(VersionedModel):
    """A school's monthly progress report within a plan (seed 002: "hàng tháng, báo cáo cơ quan
    chủ quản tiến độ xây dựng trường đạt chuẩn quốc gia"). month = the first day of the month."""

    plan = models.ForeignKey(
        ProgrammePlan, on_delete=models.CASCADE, related_name="monthly_reports_set"
    )
    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="monthly_reports"
    )
    month = models.DateField(_("tháng"))
    progress = models.TextField(_("tiến độ thực hiện"))
    results = models.TextField(_("kết quả đạt được"), blank=True)
    difficulties = models.TextField(_("khó khăn, vướng mắc"), blank=True)
    attachment = models.FileField(_("tệp đính kèm"), upload_to=monthly_upload_to, blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    attachment_type = models.CharField(max_length=120, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("thời điểm gửi"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "month", "school__sort_key"]
        verbose_name = _("báo cáo tiến độ tháng")
        verbose_name_plural = _("báo cáo tiến độ tháng")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "school", "month"], name="monthly_report_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} — {self.month:%m/%Y}"

    def save(self, *args, **kwargs):
        self.month = self.month.replace(day=1)
        self.progress = nfc(self.progress).strip()
        self.results = nfc(self.results).strip()
        self.difficulties = nfc(self.difficulties).strip()
        super().save(*args, **kwargs)


class Reminder(models.Model):
    """The unit reminded a school of a missing monthly report; shown to the school until it
    submits (no e-mail: the school sees it on its plan page)."""

    plan = models.ForeignKey(ProgrammePlan, on_delete=models.CASCADE, related_name="reminders")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("tháng"))
    message = models.CharField(_("nội dung"), max_length=500, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("thời điểm nhắc"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("nhắc báo cáo")
        verbose_name_plural = _("nhắc báo cáo")
        indexes = [models.Index(fields=["plan", "school", "month"], name="reminder_plan_school")]

    def __str__(self) -> str:
        return f"{self.school} — {self.month:%m/%Y}"

    def save(self, *args, **kwargs):
        self.month = self.month.replace(day=1)
        self.message = " ".join(nfc(self.message).split())
        super().save(*args, **kwargs)


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
    # A plain id, not a foreign key: the draft outlives a deleted plan. 0 = no plan.
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
        # The table keeps its name from when the drafts were part of the documents app.
        db_table = "documents_reportdraft"
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
