"""Writes of the external evaluation. Every function is atomic, checks the permission table
(accounts.permissions) and the procedure's rules (evaluation.rules) before writing anything,
is audited by django-simple-history (the request's user), and sends its signal
(evaluation.signals) once the transaction has committed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, Role
from accounts.permissions import has_perm
from assessments.models import Assessment, CouncilMember
from assessments.services import content_hash
from core import concurrency
from core.text import nfc
from evaluation import rules, selectors, signals
from evaluation.models import (
    JUDGING_STATES,
    OPEN_EVALUATION_STATES,
    CriterionReview,
    Evaluation,
    EvaluationStatus,
    MemberJudgment,
    Outcome,
    Registration,
    RegistrationStatus,
    SchoolFeedback,
    TeamJudgment,
    TeamMember,
    TeamRole,
    Visit,
    VisitKind,
)
from frameworks.models import Criterion, Indicator
from recognition import rules as recognition_rules
from recognition import services as recognition_services
from recognition.models import RecognitionDecision


class EvaluationError(Exception):
    """A rule of the procedure is broken; the message (Vietnamese) says which."""


class NotAllowed(EvaluationError):
    """Inside the scope without the right (views answer 403)."""


class EditConflict(EvaluationError, concurrency.EditConflict):
    pass


class Rejected(EvaluationError):
    """Field-level refusals (`errors`: field name → messages), e.g. the recognition decision."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(m for msgs in errors.values() for m in msgs))


def _require(user, action: str, obj: Any, message: str) -> None:
    if not has_perm(user, action, obj):
        raise NotAllowed(message)


def _send(signal, sender, **kwargs) -> None:
    transaction.on_commit(lambda: signal.send(sender=sender, **kwargs))


def _claim(obj, version: int | None, **kwargs) -> None:
    try:
        concurrency.version_claim(obj, version, refresh=False, **kwargs)
    except concurrency.EditConflict as exc:
        raise EditConflict() from exc


def _lock(model, pk: int):
    return model.objects.select_for_update().get(pk=pk)


def team_min_members(framework) -> int:
    """The framework's minimum team size (`external_evaluation.team_min_members` in its data
    file), else the setting EE_TEAM_MIN_MEMBERS, else 5 (regulation §3)."""
    data = (framework.data or {}).get("external_evaluation") or {}
    value = data.get("team_min_members")
    if isinstance(value, int) and value > 0:
        return value
    return int(getattr(settings, "EE_TEAM_MIN_MEMBERS", rules.DEFAULT_TEAM_MIN_MEMBERS))


# ---------------------------------------------------------------------------------------------
# Registration


def registration_facts(
    *, assessment: Assessment, purpose: str, target_level: int, today: dt.date | None = None
) -> rules.RegistrationFacts:
    today = today or timezone.localdate()
    school = assessment.school
    self_level, self_standard = selectors.self_standard_level(assessment)
    status = recognition_rules.school_status(
        RecognitionDecision.objects.filter(school=school).order_by("signed_on", "pk"), today
    )
    fw = assessment.framework
    prose = getattr(assessment, "document_prose", None)
    declared = ((prose.texts if prose else {}) or {}).get("conditions") or {}
    labels = {
        name: str((spec or {}).get("label") or name)
        for name, spec in ((fw.data or {}).get("conditions") or {}).items()
    }
    return rules.RegistrationFacts(
        purpose=purpose,
        target_level=target_level,
        today=today,
        assessment_status=assessment.status,
        framework_code=fw.code,
        self_standard_level=self_standard,
        self_school_level=self_level,
        conditions={name: bool(declared.get(name)) for name in labels},
        condition_labels=labels,
        standard_level=status.standard.level,
        standard_since=status.standard.since,
        standard_valid_until=status.standard.valid_until,
        ever_granted=status.standard.ever_granted,
        open_elsewhere=selectors.open_for_school(school),
    )


def _target(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@transaction.atomic
def registration_file(
    *,
    user,
    assessment: Assessment,
    purpose: str,
    target_level: Any,
    letter_number: str = "",
    note: str = "",
    today: dt.date | None = None,
) -> tuple[Registration, list[rules.Check]]:
    """The principal files (submits) a registration. Refused with every blocking check's
    message; warnings (a late re-recognition) are kept on the registration and returned."""
    # Lock the school: two registrations filed at once are checked one after the other.
    school = assessment.school.__class__.objects.select_for_update().get(pk=assessment.school_id)
    _require(user, "evaluation.register", school, _("Chỉ hiệu trưởng của trường được đăng ký."))
    if purpose not in rules.DECISION_KIND:
        raise EvaluationError(_("Chưa chọn mục đích đăng ký hợp lệ."))
    today = today or timezone.localdate()
    facts = registration_facts(
        assessment=assessment, purpose=purpose, target_level=_target(target_level), today=today
    )
    checks = rules.registration_checks(facts)
    refused = rules.blocking(checks)
    if refused:
        raise EvaluationError(" ".join(c.message for c in refused))
    deadline = next((c for c in checks if c.code == "deadline"), None)
    reg = Registration(
        school=school,
        assessment=assessment,
        purpose=purpose,
        target_level=facts.target_level,
        status=RegistrationStatus.SUBMITTED,
        letter_number=" ".join(nfc(letter_number or "").split()),
        note=nfc(note or "").strip(),
        checks=[c.as_dict() for c in checks],
        self_level=facts.self_school_level,
        deadline=deadline.deadline if deadline else None,
        late=bool(deadline and deadline.severity == rules.WARNING),
        filed_by=user,
        submitted_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            reg.save()
    except IntegrityError as exc:  # the database's own guard of one open registration
        raise EvaluationError(_("Trường đã có một đăng ký đánh giá ngoài đang chờ xử lý.")) from exc
    _send(signals.registration_submitted, Registration, registration=reg, user=user)
    return reg, checks


@transaction.atomic
def registration_return(
    *, user, registration: Registration, reason: str, version: int | None
) -> Registration:
    reg = _lock(Registration, registration.pk)
    _require(
        user,
        "evaluation.review_registration",
        reg,
        _("Chỉ cơ quan quản lý trường được tiếp nhận hoặc trả lại đăng ký."),
    )
    if reg.status != RegistrationStatus.SUBMITTED:
        raise EvaluationError(_("Chỉ trả lại được đăng ký đang chờ xử lý."))
    reason = nfc(reason or "").strip()
    if not reason:
        raise EvaluationError(_("Hãy ghi lý do trả lại để trường bổ sung."))
    _claim(reg, version)
    reg.status = RegistrationStatus.RETURNED
    reg.return_reason = reason
    reg.reviewed_at = timezone.now()
    reg.reviewed_by = user
    reg.save()
    _send(signals.registration_returned, Registration, registration=reg, user=user, reason=reason)
    return reg


@transaction.atomic
def registration_accept(*, user, registration: Registration, version: int | None) -> Evaluation:
    """Accept the dossier: the evaluation opens (its team is formed next)."""
    reg = _lock(Registration, registration.pk)
    _require(
        user,
        "evaluation.review_registration",
        reg,
        _("Chỉ cơ quan quản lý trường được tiếp nhận hoặc trả lại đăng ký."),
    )
    if reg.status != RegistrationStatus.SUBMITTED:
        raise EvaluationError(_("Chỉ tiếp nhận được đăng ký đang chờ xử lý."))
    if Evaluation.objects.filter(school=reg.school, status__in=OPEN_EVALUATION_STATES).exists():
        raise EvaluationError(
            _("Trường đã có một đợt đánh giá ngoài chưa kết thúc: không mở thêm đợt thứ hai.")
        )
    _claim(reg, version)
    reg.status = RegistrationStatus.ACCEPTED
    reg.return_reason = ""
    reg.reviewed_at = timezone.now()
    reg.reviewed_by = user
    reg.save()
    evaluation = Evaluation.objects.create(
        registration=reg,
        school=reg.school,
        assessment=reg.assessment,
        framework=reg.assessment.framework,
        created_by=user,
    )
    _send(
        signals.registration_accepted,
        Registration,
        registration=reg,
        evaluation=evaluation,
        user=user,
    )
    return evaluation


# ---------------------------------------------------------------------------------------------
# Team


def _candidate(person, evaluation: Evaluation) -> rules.Candidate:
    works = (
        Membership.objects.filter(user=person, school=evaluation.school)
        .exclude(role=Role.REVIEWER)
        .exists()
    )
    council = CouncilMember.objects.filter(
        assessment__school=evaluation.school, user=person
    ).exists()
    name = person.get_full_name() or person.get_username()
    return rules.Candidate(name=name, works_at_school=works, on_council=council)


def _criteria_of(evaluation: Evaluation, criteria) -> list[Criterion]:
    items = list(criteria or [])
    wrong = [c for c in items if c.framework_id != evaluation.framework_id]
    if wrong:
        raise EvaluationError(_("Tiêu chí không thuộc bộ tiêu chuẩn của đợt đánh giá."))
    return items


@transaction.atomic
def team_member_add(
    *,
    user,
    evaluation: Evaluation,
    person,
    role: str,
    full_name: str = "",
    title: str = "",
    criteria=(),
) -> TeamMember:
    evaluation = _lock(Evaluation, evaluation.pk)
    _require(user, "evaluation.form_team", evaluation, _("Chỉ Sở GD&ĐT được thành lập đoàn."))
    if evaluation.status not in JUDGING_STATES:
        raise EvaluationError(_("Báo cáo đã hoàn thành: không thay đổi thành phần đoàn."))
    if role not in TeamRole.values:
        raise EvaluationError(_("Chưa chọn nhiệm vụ trong đoàn."))
    if person is None or not person.is_active:
        raise EvaluationError(_("Chưa chọn tài khoản của thành viên."))
    refusal = rules.member_refusal(_candidate(person, evaluation), evaluation.school.name)
    if refusal:
        raise EvaluationError(refusal)
    if evaluation.members.filter(user=person).exists():
        raise EvaluationError(_("Người này đã có trong đoàn."))
    if role == TeamRole.LEADER and evaluation.members.filter(role=TeamRole.LEADER).exists():
        raise EvaluationError(_("Đoàn đã có trưởng đoàn."))
    items = _criteria_of(evaluation, criteria)
    seat, created = Membership.objects.get_or_create(
        user=person, school=evaluation.school, role=Role.REVIEWER
    )
    position = (evaluation.members.aggregate(m=Max("position"))["m"] or 0) + 1
    member = TeamMember.objects.create(
        evaluation=evaluation,
        user=person,
        full_name=nfc(full_name or person.get_full_name() or person.get_username()),
        title=nfc(title or ""),
        role=role,
        position=position,
        seat_created=created,
    )
    member.criteria.set(items)
    _send(signals.team_member_added, TeamMember, evaluation=evaluation, member=member, user=user)
    return member


def _release_seat(member: TeamMember) -> None:
    if member.seat_created:
        for seat in Membership.objects.filter(
            user=member.user, school=member.evaluation.school, role=Role.REVIEWER
        ):
            seat.delete()  # one by one: each deletion gets its history row


@transaction.atomic
def team_member_remove(*, user, member: TeamMember) -> None:
    member = TeamMember.objects.select_related("evaluation__school").get(pk=member.pk)
    _require(
        user, "evaluation.form_team", member.evaluation, _("Chỉ Sở GD&ĐT được thành lập đoàn.")
    )
    if member.evaluation.status not in JUDGING_STATES:
        raise EvaluationError(_("Báo cáo đã hoàn thành: không thay đổi thành phần đoàn."))
    _release_seat(member)
    member.delete()


@transaction.atomic
def team_member_assign(*, user, member: TeamMember, criteria) -> TeamMember:
    _require(user, "evaluation.form_team", member.evaluation, _("Chỉ Sở GD&ĐT được phân công."))
    member.criteria.set(_criteria_of(member.evaluation, criteria))
    return member


@transaction.atomic
def evaluation_start(
    *,
    user,
    evaluation: Evaluation,
    team_decision_number: str = "",
    team_decision_date: dt.date | None = None,
    preliminary_visit_on: dt.date | None = None,
    official_visit_on: dt.date | None = None,
    version: int | None = None,
) -> Evaluation:
    """The team is complete: the evaluation starts (members may judge)."""
    evaluation = _lock(Evaluation, evaluation.pk)
    _require(user, "evaluation.form_team", evaluation, _("Chỉ Sở GD&ĐT được thành lập đoàn."))
    if evaluation.status != EvaluationStatus.FORMING:
        raise EvaluationError(_("Đoàn đã bắt đầu làm việc."))
    problems = rules.team_problems(
        evaluation.members.values_list("role", flat=True), team_min_members(evaluation.framework)
    )
    if problems:
        raise EvaluationError(" ".join(problems))
    _claim(evaluation, version)
    evaluation.team_decision_number = " ".join(nfc(team_decision_number or "").split())
    evaluation.team_decision_date = team_decision_date
    evaluation.preliminary_visit_on = preliminary_visit_on
    evaluation.official_visit_on = official_visit_on
    evaluation.status = EvaluationStatus.EVALUATING
    evaluation.save()
    return evaluation


# ---------------------------------------------------------------------------------------------
# Judgments


def _indicator(evaluation: Evaluation, indicator: Indicator | int) -> Indicator:
    pk = indicator.pk if isinstance(indicator, Indicator) else indicator
    found = Indicator.objects.filter(pk=pk, framework_id=evaluation.framework_id).first()
    if found is None:
        raise EvaluationError(_("Chỉ báo không thuộc bộ tiêu chuẩn của đợt đánh giá."))
    return found


def _require_judging(evaluation: Evaluation) -> None:
    if evaluation.status == EvaluationStatus.FORMING:
        raise EvaluationError(_("Đoàn chưa bắt đầu làm việc: chưa ghi được ý kiến đánh giá."))
    if evaluation.status not in JUDGING_STATES:
        raise EvaluationError(
            _(
                "Báo cáo đánh giá ngoài đã là bản chính thức (đã khóa): không ghi thêm, không"
                " sửa ý kiến đánh giá."
            )
        )


def _met(value: Any) -> bool | None:
    if value in (True, "1", "true", "yes", "met", "dat"):
        return True
    if value in (False, "0", "false", "no", "unmet", "khong_dat"):
        return False
    return None


@transaction.atomic
def member_judge(
    *,
    user,
    evaluation: Evaluation,
    indicator: Indicator | int,
    met: Any,
    comment: str = "",
    version: int | None = None,
) -> MemberJudgment:
    """A member's judgment of one indicator of a criterion assigned to them (the leader:
    any). `version` 0 = the page saw no judgment (it may create one, never replace one)."""
    evaluation = _lock(Evaluation, evaluation.pk)
    _require(
        user,
        "evaluation.judge",
        evaluation,
        _("Chỉ thành viên đoàn đánh giá ngoài được ghi ý kiến."),
    )
    _require_judging(evaluation)
    ind = _indicator(evaluation, indicator)
    member = selectors.member_of(user, evaluation)
    if member is None or (
        ind.criterion_id
        and member.role != TeamRole.LEADER
        and not member.criteria.filter(pk=ind.criterion_id).exists()
    ):
        raise NotAllowed(_("Tiêu chí này không được phân công cho bạn."))
    if ind.criterion_id is None and member.role != TeamRole.LEADER:
        raise NotAllowed(_("Yêu cầu Mức 4 toàn trường do trưởng đoàn đánh giá."))
    row = MemberJudgment.objects.filter(member=member, indicator=ind).first()
    if row is None:
        if version not in (None, 0):
            raise EditConflict()
        row = MemberJudgment(evaluation=evaluation, member=member, indicator=ind)
    else:
        _claim(row, version)
    row.met = _met(met)
    row.comment = nfc(comment or "").strip()
    row.save()
    return row


@transaction.atomic
def team_judge(
    *,
    user,
    evaluation: Evaluation,
    indicator: Indicator | int,
    met: Any,
    reason: str = "",
    version: int | None = None,
) -> TeamJudgment:
    """The leader consolidates the team's judgment of one indicator. Two leaders' pages (or
    two tabs) cannot overwrite each other: the version read must be the stored one (0 = the
    page saw none)."""
    evaluation = _lock(Evaluation, evaluation.pk)
    _require(
        user,
        "evaluation.consolidate",
        evaluation,
        _("Chỉ trưởng đoàn được thống nhất kết luận của đoàn."),
    )
    _require_judging(evaluation)
    ind = _indicator(evaluation, indicator)
    row = TeamJudgment.objects.filter(evaluation=evaluation, indicator=ind).first()
    if row is None:
        if version not in (None, 0):
            raise EditConflict()
        row = TeamJudgment(evaluation=evaluation, indicator=ind)
    else:
        _claim(row, version)
    row.met = _met(met)
    row.reason = nfc(reason or "").strip()
    row.updated_by = user
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:  # created by the other leader in the meantime
        raise EditConflict() from exc
    level = selectors.team_levels(evaluation).school_level
    Evaluation.objects.filter(pk=evaluation.pk).update(team_level=level)
    evaluation.team_level = level
    return row


# ---------------------------------------------------------------------------------------------
# The team's texts per criterion (printed in the report's Phần II)

REVIEW_FIELDS = ("strengths", "weaknesses", "recommendations")


@transaction.atomic
def criterion_review_write(
    *,
    user,
    evaluation: Evaluation,
    criterion: Criterion | int,
    strengths: str = "",
    weaknesses: str = "",
    recommendations: str = "",
    version: int | None = None,
) -> CriterionReview:
    """The team's strengths, weaknesses and recommendations for one criterion, written by the
    leader or the secretary until the report is final. `version` 0 = the page saw no texts
    (it may create them, never replace them); a stale version is refused (EditConflict)."""
    evaluation = _lock(Evaluation, evaluation.pk)
    _require(
        user,
        "evaluation.write_review",
        evaluation,
        _("Chỉ trưởng đoàn hoặc thư ký đoàn được viết nhận xét của đoàn về tiêu chí."),
    )
    if evaluation.status == EvaluationStatus.FORMING:
        raise EvaluationError(_("Đoàn chưa bắt đầu làm việc: chưa viết được nhận xét."))
    if evaluation.status not in JUDGING_STATES:
        raise EvaluationError(
            _(
                "Báo cáo đánh giá ngoài đã là bản chính thức (đã khóa): không sửa được nhận"
                " xét của đoàn về tiêu chí."
            )
        )
    pk = criterion.pk if isinstance(criterion, Criterion) else criterion
    crit = Criterion.objects.filter(pk=pk, framework_id=evaluation.framework_id).first()
    if crit is None:
        raise EvaluationError(_("Tiêu chí không thuộc bộ tiêu chuẩn của đợt đánh giá."))
    row = CriterionReview.objects.filter(evaluation=evaluation, criterion=crit).first()
    if row is None:
        if version not in (None, 0):
            raise EditConflict()
        row = CriterionReview(evaluation=evaluation, criterion=crit)
    else:
        _claim(row, version)
    row.strengths = nfc(strengths or "").strip()
    row.weaknesses = nfc(weaknesses or "").strip()
    row.recommendations = nfc(recommendations or "").strip()
    row.updated_by = user
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:  # written by the other person in the meantime
        raise EditConflict() from exc
    return row


# ---------------------------------------------------------------------------------------------
# Visits, report, feedback


def _date(value: Any, label: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    raise EvaluationError(_("Chưa có %(what)s hợp lệ (dd/mm/yyyy).") % {"what": label})


@transaction.atomic
def visit_record(*, user, evaluation: Evaluation, data: dict[str, Any]) -> Visit:
    evaluation = _lock(Evaluation, evaluation.pk)
    _require(
        user,
        "evaluation.record_visit",
        evaluation,
        _("Chỉ trưởng đoàn hoặc thư ký đoàn được ghi khảo sát."),
    )
    _require_judging(evaluation)
    kind = data.get("kind")
    if kind not in VisitKind.values:
        raise EvaluationError(_("Chưa chọn loại khảo sát."))
    visit = Visit.objects.create(
        evaluation=evaluation,
        kind=kind,
        date=_date(data.get("date"), _("ngày khảo sát")),
        people_met=nfc(data.get("people_met") or "").strip(),
        observations=nfc(data.get("observations") or "").strip(),
        evidence_examined=nfc(data.get("evidence_examined") or "").strip(),
        recorded_by=user,
    )
    field = "preliminary_visit_on" if kind == VisitKind.PRELIMINARY else "official_visit_on"
    if getattr(evaluation, field) is None:
        setattr(evaluation, field, visit.date)
        evaluation.save(update_fields=[field, "updated_at"])
    return visit


def undecided_indicators(evaluation: Evaluation) -> list[str]:
    decided = set(
        TeamJudgment.objects.filter(evaluation=evaluation, met__isnull=False).values_list(
            "indicator_id", flat=True
        )
    )
    return [
        ident
        for pk, ident in Indicator.objects.filter(framework_id=evaluation.framework_id)
        .order_by("position")
        .values_list("pk", "ident")
        if pk not in decided
    ]


@transaction.atomic
def report_send(
    *, user, evaluation: Evaluation, feedback_deadline: Any, today: dt.date | None = None
) -> Evaluation:
    """The draft report goes to the school, whose feedback is due by `feedback_deadline`."""
    evaluation = _lock(Evaluation, evaluation.pk)
    _require(user, "evaluation.report", evaluation, _("Chỉ trưởng đoàn được gửi dự thảo báo cáo."))
    if evaluation.status not in (EvaluationStatus.EVALUATING, EvaluationStatus.DRAFT_REPORT):
        raise EvaluationError(_("Chỉ gửi dự thảo khi đoàn đang đánh giá."))
    missing = undecided_indicators(evaluation)
    if missing:
        raise EvaluationError(
            _(
                "Đoàn chưa thống nhất kết luận cho %(n)s chỉ báo (%(first)s…): chưa gửi được dự thảo."
            )
            % {"n": len(missing), "first": ", ".join(missing[:5])}
        )
    today = today or timezone.localdate()
    deadline = _date(feedback_deadline, _("hạn trường góp ý"))
    if deadline < today:
        raise EvaluationError(_("Hạn trường góp ý phải từ hôm nay trở đi."))
    evaluation.status = EvaluationStatus.FEEDBACK
    evaluation.report_sent_on = today
    evaluation.feedback_deadline = deadline
    evaluation.save()
    _send(
        signals.report_sent_for_feedback,
        Evaluation,
        evaluation=evaluation,
        user=user,
        deadline=deadline,
    )
    return evaluation


@transaction.atomic
def feedback_record(*, user, evaluation: Evaluation, text: str, received_on: Any) -> SchoolFeedback:
    evaluation = _lock(Evaluation, evaluation.pk)
    _require(
        user, "evaluation.report", evaluation, _("Chỉ trưởng đoàn được ghi ý kiến của trường.")
    )
    if evaluation.status != EvaluationStatus.FEEDBACK:
        raise EvaluationError(_("Chưa gửi dự thảo báo cáo cho trường."))
    text = nfc(text or "").strip()
    if not text:
        raise EvaluationError(_("Hãy ghi nội dung ý kiến của trường."))
    day = _date(received_on, _("ngày nhận"))
    return SchoolFeedback.objects.create(
        evaluation=evaluation,
        text=text,
        received_on=day,
        late=bool(evaluation.feedback_deadline and day > evaluation.feedback_deadline),
        recorded_by=user,
    )


def report_content(evaluation: Evaluation) -> dict[str, Any]:
    """What the final report vouches for, in a stable order (no timestamps: the same state
    gives the same hash)."""
    live = selectors.team_levels(evaluation)
    judgments = {
        ident: {"met": met, "reason": reason}
        for ident, met, reason in TeamJudgment.objects.filter(evaluation=evaluation)
        .order_by("indicator__position")
        .values_list("indicator__ident", "met", "reason")
    }
    return {
        "school": evaluation.school.code,
        "assessment": evaluation.assessment_id,
        "framework": evaluation.framework.code,
        "purpose": evaluation.registration.purpose,
        "target_level": evaluation.registration.target_level,
        "team": [
            {"name": m.full_name, "title": m.title, "role": m.role}
            for m in evaluation.members.order_by("position", "pk")
        ],
        "judgments": judgments,
        "criteria": {code: c.level for code, c in live.criteria.items()},
        "school_level": live.school_level,
        "supported_standard_level": selectors.supported_standard_level(live),
        "supported_accreditation_level": selectors.supported_accreditation_level(live),
        "proposal_level": evaluation.proposal_level,
        "proposal_accreditation_level": evaluation.proposal_accreditation_level,
        "visits": [
            {
                "kind": v.kind,
                "date": v.date.isoformat(),
                "people_met": v.people_met,
                "observations": v.observations,
                "evidence_examined": v.evidence_examined,
            }
            for v in evaluation.visits.order_by("date", "pk")
        ],
        "feedback": [
            {"received_on": f.received_on.isoformat(), "text": f.text}
            for f in evaluation.feedback.order_by("received_on", "pk")
        ],
        "report_texts": dict(sorted((evaluation.report_texts or {}).items())),
        "criterion_reviews": {
            code: {"strengths": s, "weaknesses": w, "recommendations": r}
            for code, s, w, r in CriterionReview.objects.filter(evaluation=evaluation)
            .order_by("criterion__position")
            .values_list("criterion__code", *REVIEW_FIELDS)
        },
    }


@transaction.atomic
def report_finalise(
    *,
    user,
    evaluation: Evaluation,
    proposal_level: Any,
    version: int | None = None,
    proposal_accreditation_level: Any = None,
) -> Evaluation:
    """The final report: locked with a snapshot and its hash; judgments end here. The proposal
    (Mức độ, and the Cấp độ where the framework maps one) may not exceed what the judgments
    support."""
    evaluation = _lock(Evaluation, evaluation.pk)
    _require(user, "evaluation.report", evaluation, _("Chỉ trưởng đoàn được hoàn thành báo cáo."))
    if evaluation.status != EvaluationStatus.FEEDBACK:
        raise EvaluationError(
            _("Báo cáo chính thức được hoàn thành sau khi gửi dự thảo cho trường góp ý.")
        )
    missing = undecided_indicators(evaluation)
    if missing:
        raise EvaluationError(
            _("Đoàn chưa thống nhất kết luận cho %(n)s chỉ báo.") % {"n": len(missing)}
        )
    live = selectors.team_levels(evaluation)
    supported = selectors.supported_standard_level(live)
    level = _target(proposal_level) or None
    if level:
        problem = rules.decision_problem(level, supported)
        if problem:
            raise EvaluationError(problem)
    accreditation = _target(proposal_accreditation_level) or None
    problem = rules.accreditation_problem(
        accreditation, selectors.supported_accreditation_level(live)
    )
    if problem:
        raise EvaluationError(problem)
    _claim(evaluation, version)
    evaluation.proposal_level = level
    evaluation.proposal_accreditation_level = accreditation
    evaluation.status = EvaluationStatus.FINAL
    evaluation.final_at = timezone.now()
    evaluation.final_by = user
    content = report_content(evaluation)
    evaluation.final_snapshot = content
    evaluation.final_sha256 = content_hash(content)
    evaluation.save()
    return evaluation


def report_intact(evaluation: Evaluation) -> bool:
    """The stored final report still hashes to its recorded hash."""
    return bool(
        evaluation.final_snapshot is not None
        and content_hash(evaluation.final_snapshot) == evaluation.final_sha256
    )


# ---------------------------------------------------------------------------------------------
# The decision


def _close(evaluation: Evaluation) -> None:
    """The evaluation has ended: the team's reviewer seats go."""
    for member in evaluation.members.select_related("user", "evaluation__school"):
        _release_seat(member)


def _register(user, evaluation: Evaluation, payload: dict[str, Any], *, scan: bool = True):
    """One row into the register through its own service (its checks, its cache refresh)."""
    try:
        return recognition_services.recognition_record(
            user=user,
            school=evaluation.school,
            data=payload if scan else {**payload, "scan": None},
        )
    except recognition_services.NotAllowed as exc:
        raise NotAllowed(str(exc)) from exc
    except recognition_services.DecisionRejected as exc:
        raise Rejected(exc.errors) from exc


@transaction.atomic
def decision_record(
    *, user, evaluation: Evaluation, data: dict[str, Any], version: int | None = None
) -> RecognitionDecision:
    """The signed decision goes into the register (recognition.services, its own checks),
    linked from the evaluation: the validity starts, the expiry alert clears. `data`: number,
    signed_on, signing_body, signer_title, signer_name, level, note, scan, and
    accreditation_level: the Cấp độ the same decision recognises (TT17/18/19-2018), recorded as
    the register's accreditation row with the same number; optional, refused above the level
    the final report supports or where the framework maps none."""
    evaluation = _lock(Evaluation, evaluation.pk)
    _require(
        user,
        "evaluation.record_decision",
        evaluation,
        _("Bạn không được ghi quyết định công nhận cho trường này."),
    )
    if evaluation.status != EvaluationStatus.FINAL:
        raise EvaluationError(
            _("Chỉ ghi quyết định khi báo cáo đánh giá ngoài đã là bản chính thức.")
        )
    supported, supported_accreditation = selectors.supported_levels(evaluation)
    level = _target(data.get("level")) or None
    errors: dict[str, list[str]] = {}
    if problem := rules.decision_problem(level, supported):
        errors["level"] = [problem]
    accreditation = _target(data.get("accreditation_level")) or None
    if problem := rules.accreditation_problem(accreditation, supported_accreditation):
        errors["accreditation_level"] = [problem]
    if errors:
        raise Rejected(errors)
    _claim(evaluation, version)
    purpose = evaluation.registration.purpose
    payload = {
        **{k: data.get(k) for k in ("number", "signed_on", "signing_body", "signer_title")},
        "signer_name": data.get("signer_name") or "",
        "kind": rules.DECISION_KIND[purpose],
        "level": level,
        "framework_code": evaluation.framework.code,
        "note": nfc(data.get("note") or "")
        or _("Theo kết quả đánh giá ngoài, đăng ký số %(n)s.") % {"n": evaluation.registration_id},
        "scan": data.get("scan"),
    }
    decision = _register(user, evaluation, payload)
    if accreditation:
        # The same signed decision, its accreditation row: same number, date and scan (the same
        # paper); its refusals are the Cấp độ field's.
        try:
            evaluation.accreditation_decision = _register(
                user,
                evaluation,
                {**payload, "kind": recognition_rules.ACCREDITATION, "level": accreditation},
                scan=False,
            )
        except Rejected as exc:
            if decision.scan:  # the transaction rolls back; the stored file would stay behind
                decision.scan.delete(save=False)
            exc.errors = {
                ("accreditation_level" if k == "level" else k): v for k, v in exc.errors.items()
            }
            raise
        if decision.scan:
            row = evaluation.accreditation_decision
            row.scan, row.scan_name, row.scan_type = (
                decision.scan.name,
                decision.scan_name,
                decision.scan_type,
            )
            row.save(update_fields=["scan", "scan_name", "scan_type"])
    evaluation.decision = decision
    evaluation.outcome = Outcome.RECOGNISED
    evaluation.status = EvaluationStatus.DECIDED
    evaluation.save()
    _close(evaluation)
    _send(
        signals.decision_recorded, Evaluation, evaluation=evaluation, decision=decision, user=user
    )
    return decision


@transaction.atomic
def decision_refuse(
    *, user, evaluation: Evaluation, reason: str, version: int | None = None
) -> Evaluation:
    """Không công nhận: recorded with its reasons; nothing enters the register."""
    evaluation = _lock(Evaluation, evaluation.pk)
    _require(
        user,
        "evaluation.record_decision",
        evaluation,
        _("Bạn không được ghi quyết định công nhận cho trường này."),
    )
    if evaluation.status != EvaluationStatus.FINAL:
        raise EvaluationError(
            _("Chỉ ghi quyết định khi báo cáo đánh giá ngoài đã là bản chính thức.")
        )
    reason = nfc(reason or "").strip()
    if not reason:
        raise Rejected({"reason": [_("Hãy ghi lý do không công nhận.")]})
    _claim(evaluation, version)
    evaluation.outcome = Outcome.REFUSED
    evaluation.refusal_reason = reason
    evaluation.status = EvaluationStatus.DECIDED
    evaluation.save()
    _close(evaluation)
    _send(signals.decision_recorded, Evaluation, evaluation=evaluation, decision=None, user=user)
    return evaluation


@transaction.atomic
def decision_revoke(*, user, evaluation: Evaluation, data: dict[str, Any]) -> RecognitionDecision:
    """Revoke the recognition an evaluation led to: a revocation decision in the register (its
    number, date, body), only with a reason, kept in the register's note and history."""
    evaluation = _lock(Evaluation, evaluation.pk)
    if evaluation.decision_id is None:
        raise EvaluationError(_("Đợt đánh giá này chưa có quyết định công nhận để thu hồi."))
    reason = nfc(data.get("reason") or "").strip()
    if not reason:
        raise Rejected({"reason": [_("Hãy ghi lý do thu hồi.")]})
    _require(
        user,
        "evaluation.record_decision",
        evaluation,
        _("Bạn không được ghi quyết định công nhận cho trường này."),
    )
    payload = {
        **{k: data.get(k) for k in ("number", "signed_on", "signing_body", "signer_title")},
        "signer_name": data.get("signer_name") or "",
        "kind": recognition_rules.REVOCATION,
        "level": None,
        "framework_code": evaluation.framework.code,
        "note": reason,
    }
    try:
        return recognition_services.recognition_record(
            user=user, school=evaluation.school, data=payload
        )
    except recognition_services.NotAllowed as exc:
        raise NotAllowed(str(exc)) from exc
    except recognition_services.DecisionRejected as exc:
        raise Rejected(exc.errors) from exc


def correction_problems(
    decision: RecognitionDecision, values: dict[str, Any]
) -> dict[str, list[str]]:
    """The evaluation's check on a correction of a register row (recognition.services
    .recognition_correct calls it: EvaluationConfig.ready() registers it, since the register
    never imports this app). A decision an evaluation led to stays a grant of its track and is
    never corrected above the level the final report supports; other rows are not ours."""
    evaluation = (
        Evaluation.objects.filter(decision=decision).first()
        or Evaluation.objects.filter(accreditation_decision=decision).first()
    )
    if evaluation is None:
        return {}
    kind = values.get("kind")
    if (
        kind in recognition_rules.REVOCATIONS
        or recognition_rules.TRACK_OF.get(kind) != decision.track
    ):
        return {
            "kind": [
                _(
                    "Quyết định này được ghi theo kết quả đánh giá ngoài: đính chính không đổi"
                    " được loại công nhận. Thu hồi là một quyết định riêng; loại khác hãy ghi"
                    " thành quyết định mới."
                )
            ]
        }
    standard, accreditation = selectors.supported_levels(evaluation)
    if decision.track == recognition_rules.TRACK_ACCREDITATION:
        problem = rules.accreditation_problem(values.get("level"), accreditation)
    else:
        problem = rules.decision_problem(values.get("level"), standard)
    return {"level": [problem]} if problem else {}
