"""External evaluation (đánh giá ngoài) of a school after its self-assessment was accepted:
the school's registration, the managing authority's team, each member's judgments, the team's
consolidated judgment per indicator, the visits, the school's feedback on the draft report, the
final report (a hashed snapshot) and the link to the recognition decision it led to.

Arrows point down: an evaluation names its registration, its self-assessment and the
recognition decision (recognition.RecognitionDecision); the register never names an evaluation.
Writes go through `evaluation.services` only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.concurrency import VersionedModel


class Purpose(models.TextChoices):
    NEW = "new", _("Công nhận mới")
    RENEWAL = "renewal", _("Công nhận lại")
    UPGRADE = "upgrade", _("Nâng mức độ")


class RegistrationStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Bị trả lại")
    ACCEPTED = "accepted", _("Đã tiếp nhận")


# A registration in one of these states holds the school's one open evaluation slot.
OPEN_REGISTRATION_STATES = (RegistrationStatus.DRAFT, RegistrationStatus.SUBMITTED)


class Registration(VersionedModel):
    """Đăng ký đánh giá ngoài: filed by the principal from an accepted self-assessment."""

    school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        related_name="ee_registrations",
        verbose_name=_("trường"),
    )
    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.PROTECT,
        related_name="ee_registrations",
        verbose_name=_("đợt tự đánh giá"),
    )
    purpose = models.CharField(_("mục đích"), max_length=12, choices=Purpose.choices)
    # Mức độ (national standard) asked for; the accreditation level (Cấp độ) is optional.
    target_level = models.PositiveSmallIntegerField(_("mức độ đề nghị"))
    target_accreditation_level = models.PositiveSmallIntegerField(
        _("cấp độ kiểm định đề nghị"), null=True, blank=True
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.DRAFT,
    )
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    letter_number = models.CharField(_("số công văn đăng ký"), max_length=60, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    # The checks as they stood when filed (evaluation.rules.registration_checks, as dicts):
    # the officer reads what the principal was shown.
    checks = models.JSONField(_("kết quả kiểm tra"), default=list, blank=True)
    self_level = models.PositiveSmallIntegerField(_("mức tự đánh giá"), default=0)
    # Re-recognition: the last day to register (5 months before expiry), if any.
    deadline = models.DateField(_("hạn đăng ký"), null=True, blank=True)
    late = models.BooleanField(_("đăng ký sau hạn"), default=False)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người lập"),
    )
    created_at = models.DateTimeField(_("ngày lập"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("ngày gửi"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("ngày xử lý"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người xử lý"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("đăng ký đánh giá ngoài")
        verbose_name_plural = _("đăng ký đánh giá ngoài")
        indexes = [models.Index(fields=["status", "school"], name="ee_reg_status_school")]
        constraints = [
            # One open registration per school (the services say why in Vietnamese first).
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(status__in=["draft", "submitted"]),
                name="ee_one_open_registration",
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} — {self.get_purpose_display()} Mức độ {self.target_level}"


class EvaluationStatus(models.TextChoices):
    FORMING = "forming", _("Đang thành lập đoàn")
    EVALUATING = "evaluating", _("Đang đánh giá")
    DRAFT_REPORT = "draft_report", _("Dự thảo báo cáo")
    FEEDBACK = "feedback", _("Chờ ý kiến của trường")
    FINAL = "final", _("Báo cáo chính thức")
    DECIDED = "decided", _("Đã có quyết định")


OPEN_EVALUATION_STATES = (
    EvaluationStatus.FORMING,
    EvaluationStatus.EVALUATING,
    EvaluationStatus.DRAFT_REPORT,
    EvaluationStatus.FEEDBACK,
    EvaluationStatus.FINAL,
)
# Judgments may be written only before the report is final.
JUDGING_STATES = (
    EvaluationStatus.FORMING,
    EvaluationStatus.EVALUATING,
    EvaluationStatus.DRAFT_REPORT,
    EvaluationStatus.FEEDBACK,
)


class Outcome(models.TextChoices):
    RECOGNISED = "recognised", _("Công nhận")
    REFUSED = "refused", _("Không công nhận")


class Evaluation(VersionedModel):
    """Đợt đánh giá ngoài: one per accepted registration."""

    registration = models.OneToOneField(
        Registration,
        on_delete=models.PROTECT,
        related_name="evaluation",
        verbose_name=_("đăng ký"),
    )
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("trường"),
    )
    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("đợt tự đánh giá"),
    )
    framework = models.ForeignKey(
        "frameworks.Framework",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("bộ tiêu chuẩn"),
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=14,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.FORMING,
    )
    # The decision forming the team (Quyết định thành lập đoàn đánh giá ngoài).
    team_decision_number = models.CharField(
        _("số quyết định thành lập đoàn"), max_length=60, blank=True
    )
    team_decision_date = models.DateField(
        _("ngày quyết định thành lập đoàn"), null=True, blank=True
    )
    # Planned dates; what happened is in Visit.
    preliminary_visit_on = models.DateField(_("ngày khảo sát sơ bộ"), null=True, blank=True)
    official_visit_on = models.DateField(_("ngày khảo sát chính thức"), null=True, blank=True)
    report_sent_on = models.DateField(_("ngày gửi dự thảo báo cáo"), null=True, blank=True)
    feedback_deadline = models.DateField(_("hạn trường góp ý"), null=True, blank=True)
    # Texts of the report that belong to no indicator (keys chosen by the report builder).
    report_texts = models.JSONField(_("nội dung báo cáo"), default=dict, blank=True)
    # Cached from the engine on every consolidation (queues and lists need no evaluation).
    team_level = models.PositiveSmallIntegerField(_("mức đánh giá của đoàn"), default=0)
    # The team's proposal (Mức độ; Cấp độ where the engine maps one).
    proposal_level = models.PositiveSmallIntegerField(
        _("mức độ đề nghị công nhận"), null=True, blank=True
    )
    proposal_accreditation_level = models.PositiveSmallIntegerField(
        _("cấp độ đề nghị"), null=True, blank=True
    )
    # The final report: a snapshot of the judgments and levels, and its hash.
    final_at = models.DateTimeField(_("thời điểm báo cáo chính thức"), null=True, blank=True)
    final_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    final_snapshot = models.JSONField(_("bản chụp báo cáo chính thức"), null=True, blank=True)
    final_sha256 = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(_("kết quả"), max_length=12, choices=Outcome.choices, blank=True)
    refusal_reason = models.TextField(_("lý do không công nhận"), blank=True)
    decision = models.ForeignKey(
        "recognition.RecognitionDecision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("quyết định công nhận"),
    )
    # Under TT17/18/19-2018 the one signed decision also recognises the accreditation level
    # (Cấp độ): the register keeps it as its own row (track "accreditation"), same number.
    accreditation_decision = models.ForeignKey(
        "recognition.RecognitionDecision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("quyết định công nhận kiểm định"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("đợt đánh giá ngoài")
        verbose_name_plural = _("đợt đánh giá ngoài")
        indexes = [models.Index(fields=["school", "status"], name="ee_eval_school_status")]

    def __str__(self) -> str:
        return f"{self.school} — {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_EVALUATION_STATES

    @property
    def accepts_judgments(self) -> bool:
        return self.status in JUDGING_STATES


class TeamRole(models.TextChoices):
    LEADER = "leader", _("Trưởng đoàn")
    SECRETARY = "secretary", _("Thư ký")
    MEMBER = "member", _("Thành viên")


class TeamMember(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="ee_seats",
        verbose_name=_("tài khoản"),
    )
    full_name = models.CharField(_("họ và tên"), max_length=120)
    # Chức vụ, cơ quan công tác: printed in the decision forming the team.
    title = models.CharField(_("chức vụ, đơn vị công tác"), max_length=200, blank=True)
    role = models.CharField(
        _("nhiệm vụ trong đoàn"), max_length=10, choices=TeamRole.choices, default=TeamRole.MEMBER
    )
    criteria = models.ManyToManyField(
        "frameworks.Criterion", blank=True, related_name="+", verbose_name=_("tiêu chí phụ trách")
    )
    position = models.PositiveIntegerField(default=0)
    # The reviewer seat (accounts.Membership) the services gave for the evaluation's duration;
    # False when the person already held one, which is then left alone at the end.
    seat_created = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("thành viên đoàn đánh giá ngoài")
        verbose_name_plural = _("thành viên đoàn đánh giá ngoài")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "user"], name="ee_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"


class MemberJudgment(VersionedModel):
    """One member's view of one indicator (before the leader consolidates)."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="member_judgments"
    )
    member = models.ForeignKey(TeamMember, on_delete=models.CASCADE, related_name="judgments")
    indicator = models.ForeignKey(
        "frameworks.Indicator", on_delete=models.PROTECT, related_name="+"
    )
    met = models.BooleanField(_("đạt"), null=True, blank=True)
    comment = models.TextField(_("nhận xét"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator__position", "member__position"]
        verbose_name = _("ý kiến thành viên về chỉ báo")
        verbose_name_plural = _("ý kiến thành viên về chỉ báo")
        constraints = [
            models.UniqueConstraint(fields=["member", "indicator"], name="ee_member_judgment_once")
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.indicator.ident}: {self.met}"


class TeamJudgment(VersionedModel):
    """The team's judgment of one indicator, consolidated by the leader; `version` refuses a
    second leader's stale overwrite (core.concurrency)."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="team_judgments"
    )
    indicator = models.ForeignKey(
        "frameworks.Indicator", on_delete=models.PROTECT, related_name="+"
    )
    met = models.BooleanField(_("đạt"), null=True, blank=True)
    reason = models.TextField(_("lý do, nhận xét của đoàn"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator__position"]
        verbose_name = _("kết luận của đoàn về chỉ báo")
        verbose_name_plural = _("kết luận của đoàn về chỉ báo")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "indicator"], name="ee_team_judgment_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id} · {self.indicator.ident}: {self.met}"


class CriterionReview(VersionedModel):
    """The team's texts per criterion for the report (strengths, weaknesses, recommendations)."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="criterion_reviews"
    )
    criterion = models.ForeignKey(
        "frameworks.Criterion", on_delete=models.PROTECT, related_name="+"
    )
    strengths = models.TextField(_("điểm mạnh"), blank=True)
    weaknesses = models.TextField(_("điểm yếu"), blank=True)
    recommendations = models.TextField(_("khuyến nghị"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["criterion__position"]
        verbose_name = _("nhận xét của đoàn về tiêu chí")
        verbose_name_plural = _("nhận xét của đoàn về tiêu chí")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "criterion"], name="ee_criterion_review_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id} · {self.criterion.code}"


class VisitKind(models.TextChoices):
    PRELIMINARY = "preliminary", _("Khảo sát sơ bộ")
    OFFICIAL = "official", _("Khảo sát chính thức")


class Visit(VersionedModel):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="visits")
    kind = models.CharField(_("loại khảo sát"), max_length=12, choices=VisitKind.choices)
    date = models.DateField(_("ngày"))
    people_met = models.TextField(_("người đã gặp, phỏng vấn"), blank=True)
    observations = models.TextField(_("nội dung quan sát"), blank=True)
    evidence_examined = models.TextField(_("minh chứng đã xem xét"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("đợt khảo sát")
        verbose_name_plural = _("đợt khảo sát")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"


class SchoolFeedback(models.Model):
    """The school's written feedback on the draft report (ý kiến phản hồi)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="feedback")
    text = models.TextField(_("nội dung ý kiến"))
    received_on = models.DateField(_("ngày nhận"))
    late = models.BooleanField(_("nhận sau hạn"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_on", "pk"]
        verbose_name = _("ý kiến của trường về dự thảo báo cáo")
        verbose_name_plural = _("ý kiến của trường về dự thảo báo cáo")

    def __str__(self) -> str:
        return f"{self.evaluation_id} · {self.received_on:%d/%m/%Y}"
