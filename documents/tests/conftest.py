"""Fixtures of the documents tests: seed 000's Phong Thổ in miniature (register decisions, a
2021 plan with targets, the investment projects of the six-month report)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from programme.models import InvestmentProject, PlanSchoolTarget, ProgrammePlan
from recognition import rules
from recognition.models import RecognitionDecision
from schools.models import School


@pytest.fixture(autouse=True)
def documents_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Tasks run in the request (no worker in tests).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    return settings


def decision(school, kind, signed_on, level=None, number=None):
    return RecognitionDecision.objects.create(
        school=school,
        kind=kind,
        signed_on=signed_on,
        level=level,
        number=number or f"{RecognitionDecision.objects.count() + 1}/QĐ-UBND",
        signing_body="UBND tỉnh Lai Châu",
    )


@pytest.fixture
def nine_schools(commune, school):
    """Nine schools in Xã Phong Thổ: Huổi Luông (TH) + 8 more; 5 at Mức độ 1 → 55,56%, of
    which TH has 3/5 (60,00%)."""
    kinds = ["TH", "TH", "TH", "TH", "THCS", "THCS", "MN", "MN"]
    out = [school]
    for i, kind in enumerate(kinds):
        out.append(
            School.objects.create(
                code=f"LC-{kind}-{i}",
                name=f"Trường {kind} Phong Thổ số {i}",
                kind=kind,
                unit=commune,
            )
        )
    recognised = [out[0], out[1], out[2], out[5], out[7]]  # TH ×3, THCS ×1, MN ×1
    for s in recognised:
        decision(s, rules.STANDARD_NEW, dt.date(2020, 3, 1), 1)
    return out


@pytest.fixture
def seed000(commune, school, sibling_school):
    """The 2021 plan and seed 000's investment table (14.765 = 9.765 + 5.000; equipment 1.915)."""
    plan = ProgrammePlan.objects.create(
        unit=commune,
        kind="ke_hoach",
        number="23/KH-UBND",
        issued_on=dt.date(2021, 1, 17),
        issuing_body="Ủy ban nhân dân xã Phong Thổ",
        title="Xây dựng trường đạt chuẩn quốc gia năm 2021",
        start_year=2021,
        end_year=2021,
        legal_basis="Căn cứ Nghị quyết số 129/NQ-HĐND ngày 17/12/2020 của HĐND huyện Phong Thổ;",
        goals="Duy trì và nâng cao chất lượng các trường đạt chuẩn quốc gia.",
    )
    PlanSchoolTarget.objects.create(plan=plan, school=school, year=2021, target="new_1")
    PlanSchoolTarget.objects.create(plan=plan, school=sibling_school, year=2021, target="upgrade")
    decision(school, rules.STANDARD_NEW, dt.date(2021, 5, 20), 1, number="812/QĐ-UBND")
    upgrade = [
        ("Nâng cấp, mở rộng cơ sở vật chất trường PTDTBT THCS Dào San", sibling_school, "5900"),
        ("Cải tạo, nâng cấp trường TH Huổi Luông", school, "950"),
        ("Cải tạo, nâng cấp cơ sở vật chất trường PTDTBT tiểu học Huổi Luông", school, "850"),
        ("Cải tạo, nâng cấp cơ sở vật chất trường PTDTBT THCS Huổi Luông", school, "680"),
        ("Cải tạo, nâng cấp trường THCS thị trấn Phong Thổ", school, "935"),
        ("Nâng cấp, sửa chữa trường PTDTBT TH Đoàn Kết", school, "450"),
    ]
    for i, (name, s, amount) in enumerate(upgrade):
        InvestmentProject.objects.create(
            unit=s.unit,
            school=s,
            plan=plan,
            name=name,
            category="nang_cap_sua_chua",
            scale="Nâng cấp tường rào, nhà vệ sinh",
            total_million=Decimal(amount),
            year=2021,
            order=i,
        )
    InvestmentProject.objects.create(
        unit=commune,
        school=school,
        plan=plan,
        name="Nhà lớp học trường PTDTBT TH Huổi Luông",
        category="xay_dung_moi",
        scale="Xây mới 05 phòng học",
        total_million=Decimal("5000"),
        year=2021,
    )
    InvestmentProject.objects.create(
        unit=commune,
        name="Mua sắm trang thiết bị dạy học",
        category="mua_sam_thiet_bi",
        total_million=Decimal("1915"),
        year=2021,
    )
    return plan
