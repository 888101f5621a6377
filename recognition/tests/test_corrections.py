"""Correcting a recorded decision (đính chính): only with a reason, kept in the history; the
same checks as recording; a stale form is refused; the cached level follows."""

from __future__ import annotations

import pytest

from core import audit
from core.concurrency import EditConflict
from recognition import rules
from recognition.models import RecognitionDecision
from recognition.services import (
    DecisionRejected,
    NotAllowed,
    recognition_correct,
    recognition_record,
)
from recognition.tests.conftest import years_ago
from recognition.tests.test_services import data

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(province_officer, school, today):
    return recognition_record(
        user=province_officer, school=school, data=data(signed_on=years_ago(today, 1))
    )


def test_a_correction_changes_the_fields_and_keeps_the_reason_in_the_history(
    province_officer, recorded, school
):
    fixed = recognition_correct(
        user=province_officer,
        decision=recorded,
        data={"number": "1235/QĐ-SGDĐT", "level": 2, "signer_name": "Trần Văn B"},
        reason="Nhập nhầm số và mức từ bản giấy",
        version=recorded.version,
    )
    assert (fixed.number, fixed.level, fixed.signer_name) == ("1235/QĐ-SGDĐT", 2, "Trần Văn B")
    assert fixed.version == recorded.version + 1
    last = RecognitionDecision.history.filter(id=recorded.pk).order_by("-history_id").first()
    assert last.history_change_reason == "Nhập nhầm số và mức từ bản giấy"
    rows = audit.history_rows(fixed)
    assert rows[0].reason == "Nhập nhầm số và mức từ bản giấy"
    assert any(c.new == "1235/QĐ-SGDĐT" for c in rows[0].changes)
    school.refresh_from_db()
    assert school.standard_level == 2


def test_it_requires_a_reason_and_writes_nothing_without_one(province_officer, recorded):
    for reason in ("", "   "):
        with pytest.raises(DecisionRejected) as exc:
            recognition_correct(
                user=province_officer,
                decision=recorded,
                data={"number": "9/QĐ"},
                reason=reason,
                version=recorded.version,
            )
        assert "lý do đính chính" in exc.value.errors["reason"][0]
    stored = RecognitionDecision.objects.get(pk=recorded.pk)
    assert stored.number == recorded.number and stored.version == recorded.version


def test_it_refuses_a_reason_longer_than_the_history_keeps(province_officer, recorded):
    with pytest.raises(DecisionRejected) as exc:
        recognition_correct(
            user=province_officer,
            decision=recorded,
            data={"number": "9/QĐ"},
            reason="x" * 101,
            version=recorded.version,
        )
    assert "100 ký tự" in exc.value.errors["reason"][0]


def test_a_stale_version_is_refused_and_nothing_is_written(province_officer, recorded):
    recognition_correct(
        user=province_officer,
        decision=recorded,
        data={"signer_name": "Trần Văn B"},
        reason="Sai tên người ký",
        version=recorded.version,
    )
    with pytest.raises(EditConflict):
        recognition_correct(
            user=province_officer,
            decision=recorded,
            data={"number": "77/QĐ"},
            reason="Sai số",
            version=recorded.version,  # read before the first correction
        )
    stored = RecognitionDecision.objects.get(pk=recorded.pk)
    assert stored.number == recorded.number and stored.signer_name == "Trần Văn B"


def test_it_refuses_outsiders_and_roles_without_the_right(
    recorded, outsider, principal, commune_officer
):
    for user in (outsider, principal):
        with pytest.raises(NotAllowed):
            recognition_correct(
                user=user,
                decision=recorded,
                data={"number": "9/QĐ"},
                reason="Sai số",
                version=recorded.version,
            )
    # The commune officer records decisions of its schools (RECOGNITION_RECORDERS): it corrects.
    fixed = recognition_correct(
        user=commune_officer,
        decision=recorded,
        data={"number": "9/QĐ"},
        reason="Sai số",
        version=recorded.version,
    )
    assert fixed.number == "9/QĐ"


def test_it_applies_the_checks_of_recording_with_the_decision_itself_left_out(
    province_officer, recorded, school, today
):
    later = recognition_record(
        user=province_officer,
        school=school,
        data=data(kind=rules.STANDARD_RENEWAL, number="50/QĐ", signed_on=today, level=1, note=""),
    )
    # The same number and date as another decision of the same track: refused.
    with pytest.raises(DecisionRejected) as exc:
        recognition_correct(
            user=province_officer,
            decision=later,
            data={"number": recorded.number, "signed_on": recorded.signed_on},
            reason="Sai số",
            version=later.version,
        )
    assert "đã có trong sổ" in exc.value.errors["number"][0]
    # Turning the first into a revocation leaves the later renewal without a recognition.
    with pytest.raises(DecisionRejected) as exc:
        recognition_correct(
            user=province_officer,
            decision=recorded,
            data={"kind": rules.REVOCATION},
            reason="Nhầm loại",
            version=recorded.version,
        )
    assert exc.value.errors
    # A correction that keeps its own number and date is not a duplicate of itself.
    fixed = recognition_correct(
        user=province_officer,
        decision=later,
        data={"note": "Bản chính lưu tại Sở"},
        reason="Bổ sung ghi chú",
        version=later.version,
    )
    assert fixed.note == "Bản chính lưu tại Sở"


def test_a_correction_that_changes_nothing_is_refused(province_officer, recorded):
    with pytest.raises(DecisionRejected) as exc:
        recognition_correct(
            user=province_officer,
            decision=recorded,
            data={"number": recorded.number},
            reason="Sai số",
            version=recorded.version,
        )
    assert "không có gì để đính chính" in exc.value.errors[""][0]


def test_the_same_number_may_hold_one_row_per_track(province_officer, school, today):
    day = years_ago(today, 1)
    recognition_record(user=province_officer, school=school, data=data(signed_on=day))
    acc = recognition_record(
        user=province_officer,
        school=school,
        data=data(signed_on=day, kind=rules.ACCREDITATION, level=3),
    )
    assert acc.track == rules.TRACK_ACCREDITATION
    with pytest.raises(DecisionRejected):
        recognition_record(user=province_officer, school=school, data=data(signed_on=day))
