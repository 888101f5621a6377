"""Writes: mark a school's self-assessment, external evaluation or improvement plan public, and
withdraw it. Done by the principal or the managing officer (`publication.publish` in the
permission table); each write is audited (simple-history, with the reason for a withdrawal)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.permissions import has_perm
from assessments.models import Assessment
from assessments.models import Status as AssessmentStatus
from evaluation.models import Evaluation, EvaluationStatus
from schools.models import School

from . import summaries
from .models import Publication, PublicationKind

LOCKED_ASSESSMENT = (AssessmentStatus.SUBMITTED, AssessmentStatus.ACCEPTED)
FINISHED_EVALUATION = (EvaluationStatus.FINAL, EvaluationStatus.DECIDED)


class NotAllowed(Exception):
    pass


class PublicationRefused(Exception):
    """Nothing to publish yet; the message says why, in Vietnamese."""


def publishable_assessment(school: School) -> Assessment | None:
    """The latest self-assessment the council vouched for (submitted or accepted)."""
    return (
        Assessment.objects.filter(school=school, status__in=LOCKED_ASSESSMENT)
        .select_related("framework")
        .order_by("-school_year", "-pk")
        .first()
    )


def publishable_evaluation(school: School) -> Evaluation | None:
    """The latest external evaluation whose report is final."""
    return (
        Evaluation.objects.filter(school=school, status__in=FINISHED_EVALUATION)
        .select_related("framework", "assessment", "decision")
        .order_by("-final_at", "-pk")
        .first()
    )


@transaction.atomic
def publication_publish(*, user, school: School, kind: str) -> Publication:
    if not has_perm(user, "publication.publish", school):
        raise NotAllowed
    assessment = evaluation = None
    if kind in (PublicationKind.SELF_ASSESSMENT, PublicationKind.IMPROVEMENT_PLAN):
        assessment = publishable_assessment(school)
        if assessment is None or summaries.latest_snapshot(assessment) is None:
            raise PublicationRefused(
                "Chưa có báo cáo tự đánh giá đã nộp hoặc đã được chấp nhận để công khai."
            )
        if kind == PublicationKind.SELF_ASSESSMENT:
            content = summaries.self_assessment_summary(assessment)
        else:
            content = summaries.improvement_plan_summary(assessment)
            if not content["actions"]:
                raise PublicationRefused(
                    "Báo cáo tự đánh giá chưa có nội dung kế hoạch cải tiến chất lượng."
                )
    elif kind == PublicationKind.EXTERNAL_EVALUATION:
        evaluation = publishable_evaluation(school)
        if evaluation is None:
            raise PublicationRefused("Chưa có báo cáo đánh giá ngoài chính thức để công khai.")
        content = summaries.external_evaluation_summary(evaluation)
    else:
        raise PublicationRefused("Nội dung công khai không hợp lệ.")
    now = timezone.now()
    for old in Publication.objects.select_for_update().filter(
        school=school, kind=kind, withdrawn_at__isnull=True
    ):
        old.withdrawn_at, old.withdrawn_by = now, user
        old.withdraw_reason = "Thay bằng nội dung công khai mới hơn."
        old._change_reason = old.withdraw_reason
        old._history_user = user
        old.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"])
    publication = Publication(
        school=school,
        kind=kind,
        assessment=assessment,
        evaluation=evaluation,
        content=content,
        published_by=user,
    )
    publication._change_reason = "Công khai"
    publication._history_user = user  # outside a request too (commands, the demo)
    publication.save()
    return publication


@transaction.atomic
def publication_withdraw(*, user, publication: Publication, reason: str) -> Publication:
    if not has_perm(user, "publication.publish", publication.school):
        raise NotAllowed
    reason = " ".join((reason or "").split())
    if not reason:
        raise PublicationRefused("Hãy ghi lý do thôi công khai.")
    locked = Publication.objects.select_for_update().get(pk=publication.pk)
    if locked.withdrawn_at is not None:
        raise PublicationRefused("Nội dung này đã thôi công khai.")
    locked.withdrawn_at, locked.withdrawn_by, locked.withdraw_reason = (
        timezone.now(),
        user,
        reason,
    )
    locked._change_reason = reason
    locked._history_user = user
    locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"])
    return locked
