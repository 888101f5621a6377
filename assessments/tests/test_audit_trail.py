"""The self-assessment's audit trail: reasons kept with the history row of a return or a
reopening; the change log and the cycle's history read in words (no internal keys, no JSON)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments import history as changelog
from assessments import services
from assessments.documents.services import assessment_prose_save
from frameworks.models import Standard

from .conftest import sheet_of

RAW = ("van_ban.", "standard:", "{&quot;", '{"cohort', "cohort_completed", "current_state.")


@pytest.fixture
def submitted(assessment, principal):
    services.sheet_save(
        user=principal, sheet=sheet_of(assessment, "1.1"), version=1, data={"strengths": "Có"}
    )
    services.assessment_submit(user=principal, assessment=assessment)
    assessment.refresh_from_db()
    return assessment


def test_returning_keeps_the_reason_and_the_officer_with_the_history_row(
    submitted, commune_officer
):
    services.assessment_return(
        user=commune_officer, assessment=submitted, reason="Thiếu minh chứng tiêu chí 1.1"
    )
    last = submitted.history.order_by("-history_id").first()
    assert last.status == "returned"
    assert last.history_change_reason == "Thiếu minh chứng tiêu chí 1.1"


def test_the_change_log_names_fields_and_values_in_words(client, assessment, principal):
    standard = Standard.objects.get(framework=assessment.framework, code="5")
    services.standard_review_save(
        user=principal,
        assessment=assessment,
        standard=standard,
        data={"direction": "Tăng cường bồi dưỡng"},
        version=1,
    )
    assessment_prose_save(
        user=principal, assessment=assessment, texts={"conditions": {"cohort_completed": True}},
        version=0,
    )  # fmt: skip
    rows = changelog.readable(assessment.changes.all(), assessment)
    labels = {r.label: r for r in rows}
    assert "Tiêu chuẩn 5 — Hướng cải tiến" in labels
    condition = labels["Văn bản tự đánh giá — Điều kiện công nhận nhà trường xác nhận"]
    assert condition.new.startswith("Có ít nhất một khóa học sinh") and condition.new.endswith(
        ": Có"
    )

    client.force_login(principal)
    for url in (
        reverse("assessments:detail", args=[assessment.pk]),
        reverse("assessments:standard", args=[assessment.pk, "5"]),
    ):
        body = client.get(url).content.decode()
        for raw in RAW:
            assert raw not in body, (url, raw)
    assert "Tiêu chuẩn 5 — Hướng cải tiến" in body


def test_the_cycle_page_shows_its_history_with_the_status_in_words(client, submitted, principal):
    client.force_login(principal)
    body = client.get(reverse("assessments:detail", args=[submitted.pk])).content.decode()
    assert reverse("assessments:record", args=[submitted.pk]) in body  # loaded on scroll
    body = client.get(
        reverse("assessments:record", args=[submitted.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    history = body[body.index('data-testid="history"') :]
    assert "Trạng thái" in history and "Đã nộp" in history
    assert ">submitted<" not in history
