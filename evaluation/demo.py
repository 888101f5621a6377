"""The external evaluation demo (`manage.py load_evaluation_demo`, run by `make demo` after
load_assessment_demo): Huổi Luông's self-assessment goes through the whole chain (registration,
team, judgments with some divergence, visits, draft, feedback, final report, the decision in the
register) and Dào San's evaluation is under way, led by the demo account dgn_truongdoan with
dgn_daosan as a member. Everything is written through the services, as people would; running it
again changes nothing."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments import services as asm
from assessments.models import Assessment, IndicatorResult
from evaluation import selectors, services
from evaluation.models import Evaluation, Registration
from frameworks.models import Criterion, Indicator
from recognition import rules as recognition_rules
from recognition.models import RecognitionDecision

ILLUSTRATIVE = "Nội dung minh họa do hệ thống tạo để trình diễn."
CHAIN = ("LC-PT-TH-HUOILUONG", "2025-2026", "ht_huoiluong")
IN_PROGRESS = ("LC-PT-THCS-DAOSAN", "2026-2027", "admin")
LEADER, MEMBER = "dgn_truongdoan", "dgn_daosan"
OTHERS = (
    ("dgn_lo_van_binh", "Lò Văn Bình", "Hiệu trưởng Trường TH Nậm Xe"),
    ("dgn_tong_thi_lan", "Tòng Thị Lan", "Chuyên viên Phòng Văn hóa – Xã hội xã Sìn Hồ"),
    ("dgn_vang_a_chu", "Vàng A Chu", "Phó Hiệu trưởng Trường THCS Mường So"),
    ("dgn_lu_thi_hoa", "Lù Thị Hoa", "Giáo viên cốt cán Trường TH Dào San"),
)


def _user(username: str, full_name: str = ""):
    users = get_user_model().objects
    user, created = users.get_or_create(username=username)
    if created:
        first, _, last = full_name.rpartition(" ")
        user.first_name, user.last_name = first, last
        user.set_unusable_password()
        user.save()
    return user


def _accept(assessment: Assessment, principal, officer) -> None:
    """Submit and accept through the services; a demo whose pre-print checks still block is
    accepted as an officer would after review."""
    if assessment.status == "accepted":
        return
    try:
        if assessment.status != "submitted":
            asm.assessment_submit(user=principal, assessment=assessment, acknowledged=True)
        asm.assessment_accept(user=officer, assessment=assessment)
    except Exception:  # noqa: BLE001 — a demo with open checks: accepted after review
        Assessment.objects.filter(pk=assessment.pk).update(status="accepted", locked=True)
    assessment.refresh_from_db()


def _purpose(school) -> str:
    status = recognition_rules.school_status(
        RecognitionDecision.objects.filter(school=school), timezone.localdate()
    )
    return "renewal" if status.standard.ever_granted else "new"


def _team(evaluation: Evaluation, officer, people) -> None:
    criteria = list(Criterion.objects.filter(framework=evaluation.framework).order_by("position"))
    roles = ["leader", "secretary"] + ["member"] * (len(people) - 2)
    for n, ((user, title), role) in enumerate(zip(people, roles, strict=True)):
        if evaluation.members.filter(user=user).exists():
            continue
        services.team_member_add(
            user=officer,
            evaluation=evaluation,
            person=user,
            role=role,
            full_name=user.get_full_name() or user.username,
            title=title,
            criteria=criteria[n :: len(people)],
        )
    evaluation.refresh_from_db()
    if evaluation.status == "forming":
        services.evaluation_start(
            user=officer,
            evaluation=evaluation,
            # Formed before the visits (the chain's are 20 and 10 days ago); a number of its
            # own, not the recognition decision's.
            team_decision_number=f"{140 + evaluation.pk}/QĐ-SGDĐT",
            team_decision_date=timezone.localdate() - dt.timedelta(days=25),
            version=evaluation.version,
        )


def _judge(evaluation: Evaluation, members, *, lowered: set[str], reason: str) -> None:
    """Each member judges the criteria given to them (as the school did, except `lowered`),
    the leader consolidates."""
    self_met = dict(
        IndicatorResult.objects.filter(assessment=evaluation.assessment).values_list(
            "indicator__ident", "met"
        )
    )
    leader = members[0]
    for member in evaluation.members.select_related("user"):
        for ind in Indicator.objects.filter(criterion__in=member.criteria.all()):
            met = bool(self_met.get(ind.ident)) and ind.ident not in lowered
            services.member_judge(
                user=member.user,
                evaluation=evaluation,
                indicator=ind,
                met=met,
                comment=reason if ind.ident in lowered else "",
            )
    for ind in Indicator.objects.filter(framework=evaluation.framework).order_by("position"):
        met = bool(self_met.get(ind.ident)) and ind.ident not in lowered
        services.team_judge(
            user=leader,
            evaluation=evaluation,
            indicator=ind,
            met=met,
            reason=reason if ind.ident in lowered else "",
        )


def _review(evaluation: Evaluation, leader, lowered: set[str]) -> None:
    """The leader's texts (strengths, weaknesses, recommendations) on the criteria the team
    lowered: printed in the report's Phần II."""
    criteria = Criterion.objects.filter(
        framework=evaluation.framework, indicators__ident__in=lowered
    ).distinct()
    for criterion in criteria:
        services.criterion_review_write(
            user=leader,
            evaluation=evaluation,
            criterion=criterion,
            strengths="Nhà trường thực hiện đầy đủ các yêu cầu Mức 1, Mức 2. " + ILLUSTRATIVE,
            weaknesses="Minh chứng về kết quả duy trì qua các năm chưa đầy đủ. " + ILLUSTRATIVE,
            recommendations="Bổ sung, hệ thống hóa minh chứng theo từng năm học. " + ILLUSTRATIVE,
            version=None,  # a command: no page read a version
        )


def _lowered(assessment: Assessment, count: int) -> set[str]:
    """The highest-level indicators the school ticked: the team finds `count` of them unmet."""
    met = list(
        IndicatorResult.objects.filter(
            assessment=assessment, met=True, indicator__criterion__isnull=False
        )
        .order_by("-indicator__level", "indicator__position")
        .values_list("indicator__ident", flat=True)[:count]
    )
    return set(met)


def load(stdout=None) -> list[str]:
    users = get_user_model().objects
    officer = users.get(username="so_laichau")
    lines = []
    others = [(_user(u, name), title) for u, name, title in OTHERS]
    leader, member = users.get(username=LEADER), users.get(username=MEMBER)

    # 1. The whole chain: Huổi Luông.
    code, year, principal_name = CHAIN
    assessment = Assessment.objects.select_related("school").get(
        school__code=code, school_year=year
    )
    school = assessment.school
    done = Evaluation.objects.filter(school=school, status="decided").first()
    if done is None:
        principal = users.get(username=principal_name)
        # The programme demo keeps its schools standard "today" with invented re-recognitions
        # ("MH-L…" numbers); this school's re-recognition is the one the chain records, so the
        # invented one goes (else the register would show two renewals months apart).
        for invented in RecognitionDecision.objects.filter(
            school=school, kind=recognition_rules.STANDARD_RENEWAL, number__startswith="MH-L"
        ):
            invented.delete()
        _accept(assessment, principal, officer)
        reg = Registration.objects.filter(school=school, assessment=assessment).first()
        if reg is None:
            reg, _checks = services.registration_file(
                user=principal,
                assessment=assessment,
                purpose=_purpose(school),
                target_level=1,
                letter_number="25/CV-THHL",
            )
        evaluation = Evaluation.objects.filter(registration=reg).first()
        if evaluation is None:
            evaluation = services.registration_accept(
                user=officer, registration=reg, version=reg.version
            )
        _team(evaluation, officer, [(leader, "Phó Giám đốc Sở GD&ĐT"), *others])
        lowered = _lowered(assessment, 2)
        _judge(
            evaluation,
            [leader],
            lowered=lowered,
            reason="Minh chứng chưa thể hiện kết quả duy trì qua các năm. " + ILLUSTRATIVE,
        )
        _review(evaluation, leader, lowered)
        today = timezone.localdate()
        for kind, days, text in (
            ("preliminary", 20, "Làm việc với Ban giám hiệu, nghiên cứu hồ sơ tự đánh giá."),
            ("official", 10, "Dự giờ 4 tiết, phỏng vấn giáo viên, cha mẹ học sinh."),
        ):
            services.visit_record(
                user=leader,
                evaluation=evaluation,
                data={
                    "kind": kind,
                    "date": today - dt.timedelta(days=days),
                    "people_met": "Hiệu trưởng, Phó Hiệu trưởng, tổ trưởng chuyên môn",
                    "observations": text + " " + ILLUSTRATIVE,
                    "evidence_examined": "Hồ sơ minh chứng Tiêu chuẩn 1–5",
                },
            )
        services.report_send(
            user=leader, evaluation=evaluation, feedback_deadline=today + dt.timedelta(days=7)
        )
        services.feedback_record(
            user=leader,
            evaluation=evaluation,
            text="Nhà trường nhất trí với dự thảo báo cáo. " + ILLUSTRATIVE,
            received_on=today,
        )
        evaluation.refresh_from_db()
        live = selectors.team_levels(evaluation)
        supported = selectors.supported_standard_level(live)
        level = min(supported or 0, reg.target_level) or None
        # The same decision recognises the Cấp độ where the framework maps one (TT17/18/19).
        accreditation = selectors.supported_accreditation_level(live) if level else None
        services.report_finalise(
            user=leader,
            evaluation=evaluation,
            proposal_level=level,
            proposal_accreditation_level=accreditation,
            version=evaluation.version,
        )
        evaluation.refresh_from_db()
        if level:
            services.decision_record(
                user=officer,
                evaluation=evaluation,
                data={
                    "number": f"{260 + evaluation.pk}/QĐ-SGDĐT",
                    "signed_on": today,
                    "signing_body": "Sở Giáo dục và Đào tạo Lai Châu",
                    "signer_title": "Giám đốc",
                    "signer_name": "Nguyễn Văn Minh",
                    "level": level,
                    "accreditation_level": accreditation,
                },
                version=evaluation.version,
            )
        else:
            services.decision_refuse(
                user=officer,
                evaluation=evaluation,
                reason="Kết quả đánh giá ngoài chưa đạt. " + ILLUSTRATIVE,
                version=evaluation.version,
            )
        done = evaluation
        lines.append(f"Đã tạo đợt đánh giá ngoài #{done.pk}: {school.name} (đủ chuỗi).")
    else:
        lines.append(f"Đã có đợt đánh giá ngoài #{done.pk}: {school.name} (đủ chuỗi).")

    # 2. Under way: Dào San.
    code, year, principal_name = IN_PROGRESS
    assessment = (
        Assessment.objects.select_related("school")
        .filter(school__code=code, school_year=year)
        .first()
    )
    if assessment is None:
        return lines
    school = assessment.school
    evaluation = Evaluation.objects.filter(school=school).first()
    if evaluation is None:
        _accept(assessment, users.get(username=principal_name), officer)
        level, supported = selectors.self_standard_level(assessment)
        if not supported:
            lines.append(f"{school.name}: tự đánh giá chưa đủ để đăng ký đánh giá ngoài.")
            return lines
        reg = Registration.objects.filter(school=school).first()
        if reg is None:
            admin = users.filter(is_superuser=True).first()
            reg, _checks = services.registration_file(
                user=admin,
                assessment=assessment,
                purpose=_purpose(school),
                target_level=1,
                letter_number="12/CV-THCSDS",
            )
        evaluation = services.registration_accept(
            user=officer, registration=reg, version=reg.version
        )
        _team(
            evaluation,
            officer,
            [(leader, "Phó Giám đốc Sở GD&ĐT"), (member, "Chuyên viên Sở GD&ĐT"), *others[:3]],
        )
        # Only the leader's and the member's first criteria are judged so far.
        for person in (leader, member):
            seat = evaluation.members.get(user=person)
            for ind in Indicator.objects.filter(criterion__in=seat.criteria.all()[:2]):
                services.member_judge(
                    user=person, evaluation=evaluation, indicator=ind, met=ind.level == 1
                )
        lines.append(f"Đã tạo đợt đánh giá ngoài #{evaluation.pk}: {school.name} (đang đánh giá).")
    else:
        lines.append(f"Đã có đợt đánh giá ngoài #{evaluation.pk}: {school.name}.")
    return lines
