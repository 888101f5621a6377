"""Self-assessment (tự đánh giá) of one school for one school year under one framework: the
council and its working groups, one sheet per criterion with its indicator results, texts and
improvement plan, a change log of every field and immutable snapshots at submit/accept.

Writes go through `assessments.services` only: they keep `version`, the change log and the cached
live level (`computed_level`, `last_activity_at`) in step."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.concurrency import VersionedModel


class Status(models.TextChoices):
    DRAFT = "draft", _("Đang thực hiện")
    SUBMITTED = "submitted", _("Đã nộp")
    RETURNED = "returned", _("Bị trả lại")
    ACCEPTED = "accepted", _("Đã chấp nhận")


class CouncilRole(models.TextChoices):
    # Keys match `council.roles` of the framework data files.
    CHAIR = "chu_tich", _("Chủ tịch")
    VICE_CHAIR = "pho_chu_tich", _("Phó Chủ tịch")
    SECRETARY = "thu_ky", _("Thư ký")
    MEMBER = "uy_vien", _("Ủy viên")


class GroupKind(models.TextChoices):
    SECRETARIAT = "secretariat", _("Nhóm thư ký")
    WORKING = "working", _("Nhóm công tác")


class Assessment(models.Model):
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("trường"),
    )
    school_year = models.CharField(_("năm học"), max_length=9)  # "2025-2026"
    framework = models.ForeignKey(
        "frameworks.Framework",
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("bộ tiêu chuẩn"),
    )
    framework_version = models.CharField(_("phiên bản"), max_length=40)
    started_on = models.DateField(_("ngày bắt đầu"))
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    locked = models.BooleanField(_("đã khóa"), default=False)
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Cached from the engine by the services on every indicator change, so the progress table
    # of a province (1,500 schools) needs no evaluation at read time.
    computed_level = models.PositiveSmallIntegerField(_("mức tự đánh giá"), default=0)
    last_activity_at = models.DateTimeField(_("hoạt động gần nhất"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    # Optimistic lock of the school-wide Mức 4 decisions (their page sends it with each click).
    level4_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-school_year", "school__sort_key"]
        verbose_name = _("đợt tự đánh giá")
        verbose_name_plural = _("đợt tự đánh giá")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year"], name="assessment_one_per_school_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} — {self.school_year}"

    @property
    def is_editable(self) -> bool:
        return not self.locked and self.status in (Status.DRAFT, Status.RETURNED)


class WorkingGroup(VersionedModel):
    """A working group; `version` guards its criteria (the council page sends it back)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("tên nhóm"), max_length=200)
    kind = models.CharField(
        _("loại nhóm"), max_length=12, choices=GroupKind.choices, default=GroupKind.WORKING
    )
    criteria = models.ManyToManyField(
        "frameworks.Criterion", blank=True, related_name="+", verbose_name=_("tiêu chí phụ trách")
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("nhóm công tác")
        verbose_name_plural = _("nhóm công tác")

    def __str__(self) -> str:
        return self.name


class CouncilMember(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="council_members"
    )
    full_name = models.CharField(_("họ và tên"), max_length=120)
    title = models.CharField(_("chức vụ"), max_length=200, blank=True)
    role = models.CharField(
        _("nhiệm vụ trong hội đồng"),
        max_length=16,
        choices=CouncilRole.choices,
        default=CouncilRole.MEMBER,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="council_seats",
        verbose_name=_("tài khoản"),
    )
    group = models.ForeignKey(
        WorkingGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("nhóm"),
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("thành viên hội đồng")
        verbose_name_plural = _("thành viên hội đồng")

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"


class MilestoneStatus(models.TextChoices):
    TODO = "todo", _("Chưa thực hiện")
    DOING = "doing", _("Đang thực hiện")
    DONE = "done", _("Đã xong")


class PlanMilestone(VersionedModel):
    """A line of the self-assessment plan's timeline (Kế hoạch tự đánh giá: thời gian → hoạt
    động). `version` guards its status (the council page sends it back)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="milestones")
    activity = models.CharField(_("hoạt động"), max_length=300)
    due = models.DateField(_("hạn"), null=True, blank=True)
    status = models.CharField(
        _("tình trạng"),
        max_length=8,
        choices=MilestoneStatus.choices,
        default=MilestoneStatus.TODO,
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["due", "position", "pk"]
        verbose_name = _("mốc kế hoạch")
        verbose_name_plural = _("mốc kế hoạch")

    def __str__(self) -> str:
        return self.activity


class CriterionSheet(models.Model):
    """Phiếu đánh giá tiêu chí. The evidence app points at this model (Evidence.cited_in)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="sheets")
    criterion = models.ForeignKey(
        "frameworks.Criterion",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tiêu chí"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_sheets",
        verbose_name=_("người phụ trách"),
    )
    current_state = models.JSONField(_("hiện trạng theo mức"), default=dict, blank=True)
    strengths = models.TextField(_("điểm mạnh"), blank=True)
    weaknesses = models.TextField(_("điểm yếu"), blank=True)
    # Every indicator of the criterion has a met / not-met decision.
    filled = models.BooleanField(default=False)
    level = models.PositiveSmallIntegerField(_("mức đạt"), default=0)
    # Two optimistic locks: `version` for the texts and the improvement plan (the form and its
    # autosave), `indicators_version` for the met / not-met decisions (each click sends it).
    # Kept apart so that a member ticking indicators does not invalidate the paragraph a
    # colleague is typing in the same sheet, and the other way round.
    version = models.PositiveIntegerField(default=1, editable=False)
    indicators_version = models.PositiveIntegerField(default=1, editable=False)
    # A third one for who is given the criterion (the council page): assigning a person must not
    # refuse the texts a member is typing, nor the other way round.
    assignment_version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["criterion__position"]
        verbose_name = _("phiếu đánh giá tiêu chí")
        verbose_name_plural = _("phiếu đánh giá tiêu chí")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="sheet_one_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.criterion.code}"


class IndicatorResult(models.Model):
    """Met / not met / not yet decided (null) for one indicator. The school-wide Mức 4
    requirements of the 2018 frameworks have no criterion, hence no sheet."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="indicator_results"
    )
    sheet = models.ForeignKey(
        CriterionSheet, null=True, blank=True, on_delete=models.CASCADE, related_name="results"
    )
    indicator = models.ForeignKey(
        "frameworks.Indicator", on_delete=models.PROTECT, related_name="+"
    )
    met = models.BooleanField(_("đạt"), null=True, blank=True)

    class Meta:
        ordering = ["indicator__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"], name="result_one_per_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.ident}: {self.met}"


class ImprovementAction(models.Model):
    sheet = models.ForeignKey(CriterionSheet, on_delete=models.CASCADE, related_name="actions")
    position = models.PositiveIntegerField(default=0)
    action = models.TextField(_("nội dung, biện pháp cải tiến"))
    responsible = models.CharField(_("đơn vị/cá nhân phụ trách"), max_length=200, blank=True)
    start = models.DateField(_("bắt đầu"), null=True, blank=True)
    end = models.DateField(_("kết thúc"), null=True, blank=True)
    resources = models.TextField(_("nguồn lực"), blank=True)
    expected_evidence = models.TextField(_("minh chứng dự kiến"), blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("kế hoạch cải tiến")
        verbose_name_plural = _("kế hoạch cải tiến")

    def __str__(self) -> str:
        return self.action[:60]


class StandardReview(models.Model):
    """The texts a report writes once per standard: TT57 evaluates strengths, weaknesses, their
    causes and the direction of improvement per standard ("Đánh giá chung"); the 2018 reports
    open each standard with "Mở đầu" and close it with "Kết luận về Tiêu chuẩn n". All six exist
    for every framework; the page labels and orders them per framework family. The document
    builders read them through selectors.standard_reviews."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="standard_reviews"
    )
    standard = models.ForeignKey(
        "frameworks.Standard",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tiêu chuẩn"),
    )
    intro = models.TextField(_("Mở đầu"), blank=True)
    strengths = models.TextField(_("Điểm mạnh"), blank=True)
    weaknesses = models.TextField(_("Điểm yếu"), blank=True)
    causes = models.TextField(_("Nguyên nhân"), blank=True)
    direction = models.TextField(_("Hướng cải tiến"), blank=True)
    conclusion = models.TextField(_("Kết luận về tiêu chuẩn"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    TEXT_FIELDS = ("intro", "strengths", "weaknesses", "causes", "direction", "conclusion")

    class Meta:
        ordering = ["standard__position"]
        verbose_name = _("đánh giá chung tiêu chuẩn")
        verbose_name_plural = _("đánh giá chung tiêu chuẩn")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "standard"], name="standard_review_one_per_standard"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.standard.code}"


class ChangeLog(models.Model):
    """One row per changed field: who, when, old → new (and why, for workflow steps)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="changes")
    sheet = models.ForeignKey(
        CriterionSheet, null=True, blank=True, on_delete=models.CASCADE, related_name="changes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    field = models.CharField(_("trường dữ liệu"), max_length=80)
    old = models.TextField(_("giá trị cũ"), blank=True)
    new = models.TextField(_("giá trị mới"), blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("nhật ký thay đổi")
        verbose_name_plural = _("nhật ký thay đổi")

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.field}"


class SnapshotKind(models.TextChoices):
    SUBMIT = "submit", _("Nộp")
    ACCEPT = "accept", _("Chấp nhận")


class Snapshot(models.Model):
    """The assessment as it stood when submitted or accepted. Immutable: `sha256` is the hash
    of the canonical JSON of `content`, so any later tampering is detectable."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="snapshots")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=SnapshotKind.choices)
    content = models.JSONField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("bản chụp")
        verbose_name_plural = _("bản chụp")

    def __str__(self) -> str:
        return f"{self.assessment} · {self.get_kind_display()} · {self.sha256[:12]}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValidationError(_("Bản chụp đã lưu không được sửa."))
        super().save(*args, **kwargs)


class AssessmentProse(models.Model):
    """The prose of a self-assessment's documents that belongs to no criterion: "Đặt vấn đề",
    purpose and process, "Kết luận chung", proposals, the plan's sections, Biểu 2's sections and
    monitoring rows, and the recognition conditions the school declares. Keys are those of
    `assessments.documents.prose.SECTIONS`. Locked with the assessment (submitted or
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
        # The table keeps its name from when the prose was part of the documents app.
        db_table = "documents_assessmentprose"
        verbose_name = _("nội dung văn bản tự đánh giá")
        verbose_name_plural = _("nội dung văn bản tự đánh giá")

    def __str__(self) -> str:
        return str(self.assessment)


class RequirementText(VersionedModel):
    """The wording of a requirement the framework file has no text for (a Mức 4 requirement
    not found in any source), copied from the official gazette (Công báo) by the school for
    itself, or by an administrator for every school (`school` NULL). Documents print it in
    place of the empty line; the school's own wording comes before the one for everyone."""

    indicator = models.ForeignKey(
        "frameworks.Indicator",
        on_delete=models.CASCADE,
        related_name="written_texts",
        verbose_name=_("yêu cầu"),
    )
    school = models.ForeignKey(
        "schools.School",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="requirement_texts",
        verbose_name=_("trường"),
    )
    text = models.TextField(_("nội dung theo Công báo"))
    source = models.CharField(_("nguồn (Công báo số, ngày, trang)"), max_length=300)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("văn bản yêu cầu ghi theo Công báo")
        verbose_name_plural = _("văn bản yêu cầu ghi theo Công báo")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "school"], name="requirement_text_one_per_school"
            ),
            # NULLs are distinct in a unique index: one wording for everyone needs its own.
            models.UniqueConstraint(
                fields=["indicator"],
                condition=models.Q(school__isnull=True),
                name="requirement_text_one_for_all",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.school or 'mọi trường'}"
