"""A TH school's 2024-2025 self-assessment (TT17-2018) with a council, an improvement action
and a recognition decision; helpers to submit it."""

from __future__ import annotations

import datetime as dt

import pytest

from assessments import services as assessment_services
from frameworks.services import framework_load_dir
from recognition.models import RecognitionDecision

COUNCIL_NAME = "Lò Thị Bí Mật"
ACTION_TEXT = "Bổ sung tủ sách dùng chung cho các lớp"
DRAFT_TEXT = "Nội dung nháp chưa công khai"


@pytest.fixture
def assessment(db, principal, school):
    framework_load_dir()
    assessment = assessment_services.assessment_start(
        user=principal, school=school, school_year="2024-2025", on_date=dt.date(2024, 10, 1)
    ).assessment
    assessment_services.council_member_add(
        user=principal,
        assessment=assessment,
        data={"full_name": COUNCIL_NAME, "title": "Phó Hiệu trưởng", "role": "pho_chu_tich"},
    )
    sheet = assessment.sheets.order_by("criterion__position").first()
    assessment_services.sheet_save(
        user=principal,
        sheet=sheet,
        data={
            "actions": [
                {
                    "action": ACTION_TEXT,
                    "responsible": "Cô Lò Thị Bí Mật",
                    "start": dt.date(2025, 1, 5),
                    "end": dt.date(2025, 5, 30),
                }
            ]
        },
        version=sheet.version,
    )
    return assessment


@pytest.fixture
def submitted(assessment, principal):
    assessment_services.assessment_submit(user=principal, assessment=assessment)
    assessment.refresh_from_db()
    return assessment


@pytest.fixture
def decision(school):
    return RecognitionDecision.objects.create(
        school=school,
        kind="standard_new",
        signed_on=dt.date(2023, 5, 6),
        level=1,
        number="123/QĐ-UBND",
        signing_body="UBND tỉnh Lai Châu",
        signer_name="Người Ký Riêng Tư",
        framework_code="TT17-2018",
        note="Ghi chú nội bộ không công khai",
    )
