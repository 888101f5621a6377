"""Reads of the external evaluation, scoped to the user: outside the user's scope a
registration or an evaluation does not exist (404); the levels the team's judgments give (the
same engine and explanation as the self-assessment's, assessments.levels) and the divergence
between the two."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, QuerySet
from django.http import Http404

from accounts.permissions import has_perm, school_filter_where, scope_for
from assessments import levels
from assessments.models import Assessment, IndicatorResult
from assessments.selectors import live_levels
from core.text import format_date_short
from evaluation import rules
from evaluation.models import (
    OPEN_EVALUATION_STATES,
    Evaluation,
    MemberJudgment,
    Purpose,
    Registration,
    RegistrationStatus,
    TeamJudgment,
    TeamMember,
)
from frameworks.models import Criterion, Indicator


def registrations_visible(user) -> QuerySet[Registration]:
    return Registration.objects.filter(scope_for(user).school_filter("school__"))


def evaluations_visible(user) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(scope_for(user).school_filter("school__"))


def get_registration_or_404(user, pk: int) -> Registration:
    reg = registrations_visible(user).select_related("school__unit", "assessment").filter(pk=pk)
    found = reg.first()
    if found is None:
        raise Http404("Không tìm thấy đăng ký trong phạm vi của bạn.")
    return found


def get_evaluation_or_404(user, pk: int) -> Evaluation:
    found = (
        evaluations_visible(user)
        .select_related("school__unit", "assessment", "framework", "registration", "decision")
        # The framework's data (the whole circular as JSON) is read only if a page needs it:
        # its compiled form is cached by data_hash (Framework.compiled).
        .defer("framework__data")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("Không tìm thấy đợt đánh giá ngoài trong phạm vi của bạn.")
    return found


def _queue_base(user) -> QuerySet[Registration]:
    return Registration.objects.filter(
        school_filter_where(user, "evaluation.review_registration", prefix="school__")
    )


def registration_queue(user, *, status: str = "submitted") -> QuerySet[Registration]:
    """The registrations the user's units review (the province's queue: 1,500 schools), the
    most urgent first (the nearest re-recognition deadline), then the newest."""
    qs = _queue_base(user)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("school__unit", "assessment").order_by(
        F("deadline").asc(nulls_last=True), F("submitted_at").desc(nulls_last=True), "-pk"
    )


def registration_queue_counts(user) -> dict[str, int]:
    """The queue's size per status, and "" for all: one aggregate query."""
    counts = {
        status: n
        for status, n in _queue_base(user)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    }
    counts[""] = sum(counts.values())
    return counts


def registration_queue_rows(
    user, *, status: str = "submitted", start: int = 0, end: int | None = None
) -> list[dict[str, Any]]:
    """The queue (or the slice [start:end] of it) as plain rows: no model instances, labels
    looked up once."""
    purposes = dict(Purpose.choices)
    statuses = dict(RegistrationStatus.choices)
    rows = list(
        registration_queue(user, status=status).values(
            "pk",
            "purpose",
            "target_level",
            "deadline",
            "late",
            "status",
            "school__name",
            "school__unit__name",
        )[start:end]
    )
    for row in rows:
        row["purpose_label"] = purposes.get(row["purpose"], "")
        row["status_label"] = statuses.get(row["status"], "")
        row["deadline_text"] = format_date_short(row["deadline"]) if row["deadline"] else ""
    return rows


def my_team_evaluations(user) -> QuerySet[Evaluation]:
    return (
        Evaluation.objects.filter(members__user=user, status__in=OPEN_EVALUATION_STATES)
        .select_related("school__unit")
        .distinct()
    )


def evaluations_for(user) -> QuerySet[Evaluation]:
    """Evaluations the user may open from the list: officers' units, the principal's school,
    the reviewer's teams."""
    qs = Evaluation.objects.filter(
        school_filter_where(user, "evaluation.view", prefix="school__")
    ) | Evaluation.objects.filter(members__user=user)
    return qs.select_related("school__unit").distinct().order_by("-created_at", "-pk")


def school_registrations(school) -> QuerySet[Registration]:
    return Registration.objects.filter(school=school).select_related("assessment")


def accepted_assessments(school) -> QuerySet[Assessment]:
    return Assessment.objects.filter(school=school, status="accepted").order_by("-school_year")


def member_of(user, evaluation: Evaluation) -> TeamMember | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return evaluation.members.filter(user=user).first()


def may_judge_criterion(user, evaluation: Evaluation, criterion_id: int) -> bool:
    """Members judge the criteria assigned to them; the leader any criterion."""
    if not has_perm(user, "evaluation.judge", evaluation):
        return False
    member = member_of(user, evaluation)
    if member is None:
        return False
    if member.role == "leader":
        return True
    return member.criteria.filter(pk=criterion_id).exists()


# ---------------------------------------------------------------------------------------------
# Levels


def team_rows(evaluation: Evaluation) -> list[levels.Row]:
    return [
        levels.Row(ident, met, criterion_id is None)
        for ident, met, criterion_id in TeamJudgment.objects.filter(
            evaluation=evaluation
        ).values_list("indicator__ident", "met", "indicator__criterion_id")
    ]


def team_levels(evaluation: Evaluation) -> levels.LiveLevels:
    """The team's levels: the same engine, explanation and blockers as the self-assessment;
    an indicator the leader has not consolidated counts as not met."""
    return levels.evaluate(
        evaluation.framework.compiled(),
        team_rows(evaluation),
        version=evaluation.assessment.framework_version,
    )


def supported_standard_level(live: levels.LiveLevels) -> int | None:
    """The Mức độ the levels support by the framework's mapping, the conditions aside (the
    team checks them; the decision is the authority's)."""
    rule = live.result.version.recognition.national_standard
    if rule is None:
        return None
    mapping = rule.mapping
    return mapping[live.school_level] if live.school_level < len(mapping) else None


def supported_accreditation_level(live: levels.LiveLevels) -> int | None:
    """The Cấp độ (accreditation) the levels support by the framework's mapping (None where the
    framework maps none, e.g. TT57/2026, or the school level reaches none)."""
    rule = live.result.version.recognition.accreditation
    if rule is None:
        return None
    mapping = rule.mapping
    return mapping[live.school_level] if live.school_level < len(mapping) else None


def maps_accreditation(evaluation: Evaluation) -> bool:
    """Whether the evaluation's framework recognises an accreditation level (Cấp độ) at all."""
    version = evaluation.framework.compiled().version(evaluation.assessment.framework_version)
    return version.recognition.accreditation is not None


def supported_levels(evaluation: Evaluation) -> tuple[int | None, int | None]:
    """(Mức độ, Cấp độ) the final report supports: from its snapshot, or, for a report finalised
    before the snapshot kept the Cấp độ, from the team's judgments (frozen since)."""
    snapshot = evaluation.final_snapshot or {}
    standard = snapshot.get("supported_standard_level")
    if "supported_accreditation_level" in snapshot:
        return standard, snapshot["supported_accreditation_level"]
    return standard, supported_accreditation_level(team_levels(evaluation))


def self_standard_level(assessment: Assessment) -> tuple[int, int | None]:
    live = live_levels(assessment)
    return live.school_level, supported_standard_level(live)


# ---------------------------------------------------------------------------------------------
# Divergence


@dataclass
class IndicatorLine:
    ident: str
    level: int
    text: str
    self_met: bool | None
    team_met: bool | None
    reason: str
    change: str


@dataclass
class CriterionLine:
    code: str
    title: str
    self_level: int
    team_level: int
    change: str
    indicators: list[IndicatorLine] = field(default_factory=list)

    @property
    def differs(self) -> bool:
        return self.change not in (rules.EQUAL,) or any(
            i.change in (rules.RAISED, rules.LOWERED) for i in self.indicators
        )


@dataclass
class Divergence:
    criteria: list[CriterionLine]
    indicator_counts: dict[str, int]
    criterion_counts: dict[str, int]
    self_level: int
    team_level: int
    self_explanation: str
    team_explanation: str
    school_change: str
    extra: dict[str, Any] = field(default_factory=dict)


def divergence(evaluation: Evaluation, *, only_differences: bool = False) -> Divergence:
    """Self-assessment vs team, per indicator and per criterion, with the counts. Four queries
    whatever the framework's size (indicators, the two sets of results, criteria)."""
    fw = evaluation.framework.compiled()
    indicators = list(
        Indicator.objects.filter(framework_id=evaluation.framework_id)
        .order_by("position")
        .values_list("pk", "ident", "level", "text", "criterion_id")
    )
    self_met = dict(
        IndicatorResult.objects.filter(assessment_id=evaluation.assessment_id).values_list(
            "indicator_id", "met"
        )
    )
    team = {
        ind: (met, reason)
        for ind, met, reason in TeamJudgment.objects.filter(evaluation=evaluation).values_list(
            "indicator_id", "met", "reason"
        )
    }
    criteria = list(
        Criterion.objects.filter(framework_id=evaluation.framework_id)
        .order_by("position")
        .values_list("pk", "code", "title")
    )
    ident_of = {pk: ident for pk, ident, *_ in indicators}
    self_rows = [
        levels.Row(ident_of[pk], met, crit is None)
        for pk, _ident, _lv, _t, crit in indicators
        for met in [self_met.get(pk)]
    ]
    team_rows_ = [
        levels.Row(ident_of[pk], team.get(pk, (None, ""))[0], crit is None)
        for pk, _ident, _lv, _t, crit in indicators
    ]
    version = evaluation.assessment.framework_version
    self_live = levels.evaluate(fw, self_rows, version=version)
    team_live = levels.evaluate(fw, team_rows_, version=version)
    by_criterion: dict[int, list[IndicatorLine]] = {}
    ind_changes = []
    for pk, ident, level, text, crit in indicators:
        if crit is None:
            continue
        t_met, reason = team.get(pk, (None, ""))
        change = rules.compare(self_met.get(pk), t_met)
        ind_changes.append(change)
        by_criterion.setdefault(crit, []).append(
            IndicatorLine(ident, level, text or "", self_met.get(pk), t_met, reason, change)
        )
    lines = []
    for pk, code, title in criteria:
        s_level = self_live.criteria[code].level
        t_level = team_live.criteria[code].level
        inds = by_criterion.get(pk, [])
        decided = any(i.team_met is not None for i in inds)
        change = rules.compare_levels(s_level, t_level if decided else None)
        line = CriterionLine(code, title, s_level, t_level, change, inds)
        lines.append(line)
    crit_counts = rules.count(c.change for c in lines)
    if only_differences:
        lines = [
            CriterionLine(
                c.code,
                c.title,
                c.self_level,
                c.team_level,
                c.change,
                [i for i in c.indicators if i.change in (rules.RAISED, rules.LOWERED)],
            )
            for c in lines
            if c.change in (rules.RAISED, rules.LOWERED)
            or any(i.change in (rules.RAISED, rules.LOWERED) for i in c.indicators)
        ]
    return Divergence(
        criteria=lines,
        indicator_counts=rules.count(ind_changes),
        criterion_counts=crit_counts,
        self_level=self_live.school_level,
        team_level=team_live.school_level,
        self_explanation=self_live.explanation,
        team_explanation=team_live.explanation,
        school_change=rules.compare_levels(self_live.school_level, team_live.school_level),
    )


def member_judgments(evaluation: Evaluation, indicator_ids) -> dict[int, list[MemberJudgment]]:
    out: dict[int, list[MemberJudgment]] = {}
    for j in MemberJudgment.objects.filter(
        evaluation=evaluation, indicator_id__in=list(indicator_ids)
    ).select_related("member"):
        out.setdefault(j.indicator_id, []).append(j)
    return out


def open_for_school(school, *, exclude_registration: int | None = None) -> str:
    """A description of the school's open registration or evaluation, or ""."""
    regs = Registration.objects.filter(
        school=school, status__in=[RegistrationStatus.DRAFT, RegistrationStatus.SUBMITTED]
    )
    if exclude_registration:
        regs = regs.exclude(pk=exclude_registration)
    if regs.exists():
        return "một đăng ký đánh giá ngoài đang chờ xử lý"
    ev = Evaluation.objects.filter(school=school, status__in=OPEN_EVALUATION_STATES).first()
    if ev is not None:
        return f"một đợt đánh giá ngoài ({ev.get_status_display().lower()})"
    return ""
