"""Copying the previous cycle across a framework change (TT17-2018 → TT57-2026): texts, plans
and citations of the criteria whose code exists in both frameworks are carried, evidence codes
in the texts rewritten to the new style, and everything left behind is listed (issue 5 audit,
item 6)."""

from __future__ import annotations

import datetime as dt

import pytest

from assessments import selectors, services
from evidence import services as evidence_services
from evidence.models import EvidenceCitation
from frameworks.models import Criterion, Standard

from .conftest import sheet_of

pytestmark = pytest.mark.django_db


def add_evidence(user, assessment, code, name):
    return evidence_services.evidence_create(
        user=user,
        assessment=assessment,
        data={
            "first_criterion": Criterion.objects.get(framework=assessment.framework, code=code),
            "name": name,
        },
    )


@pytest.fixture
def previous(assessment, principal):
    """A TT17-2018 cycle with texts, a plan, evidence and citations."""
    plan = add_evidence(principal, assessment, "1.1", "Kế hoạch chiến lược")
    add_evidence(principal, assessment, "5.2", "Ảnh hoạt động")  # 5.2: not in TT57
    blocks = add_evidence(principal, assessment, "1.5", "Danh sách lớp")  # 1.5: not in TT57
    evidence_services.evidence_cite(
        user=principal, evidence=plan, sheet=sheet_of(assessment, "1.1")
    )
    evidence_services.evidence_cite(
        user=principal, evidence=blocks, sheet=sheet_of(assessment, "1.5")
    )
    services.sheet_save(
        user=principal,
        sheet=sheet_of(assessment, "1.1"),
        version=1,
        data={
            "current_state": {
                "1": "Có kế hoạch chiến lược [H1-1.1-01] và ảnh [H5-5.2-01].",
                "3": "Kế hoạch được công khai [H1-1.1-01].",
            },
            "strengths": "Kế hoạch rõ ràng [H1-1.1-01]",
            "weaknesses": "Chưa rà soát hằng năm",
            "actions": [
                {
                    "action": "Rà soát kế hoạch",
                    "responsible": "Hiệu trưởng",
                    "start": dt.date(2026, 9, 1),
                    "end": dt.date(2026, 12, 31),
                    "resources": "",
                    "expected_evidence": "Biên bản rà soát, bổ sung vào [H1-1.1-01]",
                }
            ],
        },
    )
    services.sheet_save(
        user=principal,
        sheet=sheet_of(assessment, "1.5"),
        version=1,
        data={"strengths": "Đủ khối lớp"},
    )
    for code, text in (("1", "Tiêu chuẩn 1 có 10 tiêu chí [H1-1.1-01]."), ("5", "Kết luận 5")):
        services.standard_review_save(
            user=principal,
            assessment=assessment,
            standard=Standard.objects.get(framework=assessment.framework, code=code),
            data={"conclusion": text},
            version=1,
        )
    return assessment


@pytest.fixture
def carried(previous, principal, school):
    return services.assessment_start(
        user=principal,
        school=school,
        school_year="2026-2027",
        on_date=dt.date(2026, 9, 15),
        copy_previous=True,
    )


def test_texts_of_a_criterion_in_both_frameworks_are_carried_and_recoded(carried):
    a57 = carried.assessment
    assert a57.framework.code == "TT57-2026-PT"
    sheet = sheet_of(a57, "1.1")
    # Mức 3 does not exist in TT57 (two levels): that paragraph is left behind, and listed.
    assert sheet.current_state == {"1": "Có kế hoạch chiến lược (MC.1.1.01) và ảnh [H5-5.2-01]."}
    assert sheet.strengths == "Kế hoạch rõ ràng (MC.1.1.01)"
    assert sheet.weaknesses == "Chưa rà soát hằng năm"
    action = sheet.actions.get()
    assert (action.action, action.expected_evidence) == (
        "Rà soát kế hoạch",
        "Biên bản rà soát, bổ sung vào (MC.1.1.01)",
    )
    assert carried.carried == ["1.1"]


def test_citations_of_a_criterion_in_both_frameworks_are_carried(carried):
    a57 = carried.assessment
    cited = EvidenceCitation.objects.filter(sheet__assessment=a57).values_list(
        "evidence__code", "sheet__criterion__code"
    )
    assert list(cited) == [("MC.1.1.01", "1.1")]
    assert carried.evidence_citations == 1


def test_what_was_not_carried_is_listed_precisely(carried):
    lines = carried.not_carried
    text = "\n".join(lines)
    assert lines[0].startswith("Đợt 2024-2025 theo TT17-2018, đợt này theo TT57-2026-PT")
    assert (
        "Tiêu chí 1.1: hiện trạng Mức 3 của đợt 2024-2025 không sao chép vì tiêu chí 1.1 của "
        "TT57-2026-PT không có Mức 3." in lines
    )
    assert (
        "Tiêu chí 1.5 của đợt 2024-2025 (điểm mạnh) không sao chép: TT57-2026-PT không có "
        "tiêu chí 1.5." in lines
    )
    assert (
        "Đánh giá chung Tiêu chuẩn 5 của đợt 2024-2025 không sao chép: TT57-2026-PT không có "
        "Tiêu chuẩn 5." in lines
    )
    # Items whose criterion is gone, and the code still written in a carried text.
    assert "[H5-5.2-01] (Ảnh hoạt động): tiêu chí 5.2 không có trong TT57-2026-PT" in text
    assert "[H1-1.5-01] (Danh sách lớp): tiêu chí 1.5 không có trong TT57-2026-PT" in text
    assert (
        "Tiêu chí 1.1: nội dung đã chép còn ghi mã [H5-5.2-01] của minh chứng không chuyển "
        "sang được; hãy sửa lại." in lines
    )
    # Nothing is listed for criteria that had nothing to carry.
    assert not any("Tiêu chí 2.1" in line for line in lines)


def test_standard_texts_with_the_same_code_are_carried_and_recoded(carried):
    reviews = selectors.standard_reviews(assessment=carried.assessment)
    assert reviews["1"].conclusion == "Tiêu chuẩn 1 có 10 tiêu chí (MC.1.1.01)."
    assert carried.carried_standards == ["1"]


def test_the_copy_is_logged_per_sheet(carried):
    a57 = carried.assessment
    sheet = sheet_of(a57, "1.1")
    assert sheet.changes.filter(field="copy", new="2024-2025").exists()
    assert a57.changes.filter(field="evidence:(MC.1.1.01)", note="Sao chép từ đợt 2024-2025")


def test_a_cycle_copied_within_the_family_keeps_every_level(previous, principal, school):
    result = services.assessment_start(
        user=principal,
        school=school,
        school_year="2025-2026",
        on_date=dt.date(2025, 10, 1),
        copy_previous=True,
    )
    sheet = sheet_of(result.assessment, "1.1")
    assert sheet.current_state["3"] == "Kế hoạch được công khai [H1-1.1-01]."
    assert sorted(result.carried) == ["1.1", "1.5"]
    assert result.not_carried == []
