"""An external evaluation built row by row (the workflow's services are another package's):
a TH school's accepted TT17-2018 self-assessment at Mức 3, a team of five, the team's
judgments lowering one criterion, two visits and the school's feedback."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import Role
from assessments import services as assessment_services
from assessments.models import IndicatorResult
from evaluation.models import (
    CriterionReview,
    Evaluation,
    Registration,
    SchoolFeedback,
    TeamJudgment,
    TeamMember,
    Visit,
)
from frameworks.models import Criterion
from frameworks.services import framework_load_dir

MEMBERS = [
    ("Nguyễn Văn Trưởng", "Phó Giám đốc Sở Giáo dục và Đào tạo", "leader"),
    ("Trần Thị Thư", "Chuyên viên phòng Quản lý chất lượng", "secretary"),
    ("Lò Văn Một", "Hiệu trưởng Trường TH Mường So", "member"),
    ("Vàng Thị Hai", "Hiệu trưởng Trường TH Dào San", "member"),
    ("Phạm Văn Ba", "Chuyên viên phòng Giáo dục phổ thông", "member"),
]
LOWERED = "1.1"  # the team does not confirm its Mức 3 indicators


def make_evaluation(school, principal, make_user, *, members=MEMBERS, status="final"):
    assessment = assessment_services.assessment_start(
        user=principal, school=school, school_year="2024-2025", on_date=dt.date(2024, 10, 1)
    ).assessment
    IndicatorResult.objects.filter(assessment=assessment).update(met=True)
    assessment.status, assessment.computed_level = "accepted", 3
    assessment.save(update_fields=["status", "computed_level"])
    registration = Registration.objects.create(
        school=school,
        assessment=assessment,
        purpose="new",
        target_level=2,
        target_accreditation_level=3,
        status="accepted",
        letter_number="15/CV-THHL",
        self_level=3,
    )
    evaluation = Evaluation.objects.create(
        registration=registration,
        school=school,
        assessment=assessment,
        framework=assessment.framework,
        status=status,
        team_decision_number="210/QĐ-SGDĐT",
        team_decision_date=dt.date(2025, 3, 3),
        official_visit_on=dt.date(2025, 4, 10),
        final_at=timezone.make_aware(dt.datetime(2025, 5, 5, 9)) if status == "final" else None,
        report_texts={"conclusion": "Nhà trường cần duy trì kết quả đã đạt."},
    )
    for n, (name, title, role) in enumerate(members):
        TeamMember.objects.create(
            evaluation=evaluation,
            user=make_user(Role.VIEWER, unit=school.unit, username=f"doan{school.pk}_{n}"),
            full_name=name,
            title=title,
            role=role,
            position=n,
        )
    TeamJudgment.objects.bulk_create(
        TeamJudgment(
            evaluation=evaluation,
            indicator=r.indicator,
            met=not (
                r.indicator.criterion_id
                and r.indicator.criterion.code == LOWERED
                and r.indicator.level == 3
            ),
            reason="Chưa có minh chứng về kết quả."
            if r.indicator.criterion_id
            and r.indicator.criterion.code == LOWERED
            and r.indicator.level == 3
            else "",
        )
        for r in IndicatorResult.objects.filter(assessment=assessment).select_related(
            "indicator", "indicator__criterion"
        )
    )
    CriterionReview.objects.create(
        evaluation=evaluation,
        criterion=Criterion.objects.get(framework=assessment.framework, code="1.1"),
        strengths="Phương hướng, chiến lược phù hợp với địa phương.",
        weaknesses="Việc rà soát kế hoạch chưa thường xuyên.",
        recommendations="Rà soát kế hoạch mỗi học kỳ.",
    )
    Visit.objects.create(
        evaluation=evaluation,
        kind="preliminary",
        date=dt.date(2025, 3, 20),
        observations="Làm việc với Hội đồng tự đánh giá, thống nhất lịch khảo sát.",
    )
    Visit.objects.create(
        evaluation=evaluation,
        kind="official",
        date=dt.date(2025, 4, 10),
        observations="Quan sát lớp học, thư viện, bếp ăn bán trú.",
        evidence_examined="Hồ sơ tổ chuyên môn, sổ theo dõi bán trú.",
    )
    SchoolFeedback.objects.create(
        evaluation=evaluation,
        text="Nhà trường thống nhất với dự thảo báo cáo.",
        received_on=dt.date(2025, 4, 25),
    )
    return evaluation


@pytest.fixture
def evaluation(db, school, principal, make_user):
    framework_load_dir()
    school.principal_name = "Lường Văn Hiệu"
    school.save()
    return make_evaluation(school, principal, make_user)
