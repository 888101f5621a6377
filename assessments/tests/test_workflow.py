import pytest
from django.core.exceptions import ValidationError

from assessments import selectors, services
from assessments.models import ChangeLog, Snapshot

from .conftest import results_of, sheet_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(assessment, principal):
    services.sheet_save(
        user=principal,
        sheet=sheet_of(assessment, "1.1"),
        version=1,
        data={"strengths": "Trước khi nộp"},
    )
    services.assessment_submit(user=principal, assessment=assessment)
    assessment.refresh_from_db()
    return assessment


def test_submitting_makes_everything_read_only(submitted, principal):
    assert submitted.status == "submitted" and submitted.locked
    sheet = sheet_of(submitted, "1.1")
    with pytest.raises(services.Locked):
        services.sheet_save(
            user=principal, sheet=sheet, version=sheet.version, data={"strengths": "Sau khi nộp"}
        )
    with pytest.raises(services.Locked):
        services.indicator_set(
            user=principal, result=results_of(submitted, "1.1")["1.1-M1a"], met=True
        )
    with pytest.raises(services.Locked):
        services.council_member_add(
            user=principal, assessment=submitted, data={"full_name": "Muộn"}
        )
    sheet.refresh_from_db()
    assert sheet.strengths == "Trước khi nộp"


def test_the_snapshot_hash_is_stable_and_the_snapshot_immutable(submitted):
    snap = submitted.snapshots.get()
    assert snap.kind == "submit"
    assert services.content_hash(snap.content) == snap.sha256
    assert services.content_hash(selectors.snapshot_content(submitted)) == snap.sha256
    assert snap.content["sheets"][0]["strengths"] == "Trước khi nộp"
    snap.content["sheets"][0]["strengths"] = "Sửa lén"
    with pytest.raises(ValidationError):
        snap.save()
    snap = Snapshot.objects.get(pk=snap.pk)
    assert services.content_hash(snap.content) == snap.sha256


def test_only_the_principal_submits(assessment, staff):
    with pytest.raises(services.NotAllowed):
        services.assessment_submit(user=staff, assessment=assessment)


def test_return_needs_a_managing_officer_and_a_reason(
    submitted, commune_officer, outsider, principal
):
    with pytest.raises(services.NotAllowed):
        services.assessment_return(user=principal, assessment=submitted, reason="x")
    with pytest.raises(services.NotAllowed):
        services.assessment_return(user=outsider, assessment=submitted, reason="x")
    with pytest.raises(services.AssessmentError, match="lý do trả lại"):
        services.assessment_return(user=commune_officer, assessment=submitted, reason="  ")
    services.assessment_return(
        user=commune_officer, assessment=submitted, reason="Thiếu minh chứng tiêu chí 1.1"
    )
    submitted.refresh_from_db()
    assert submitted.status == "returned" and not submitted.locked
    assert submitted.return_reason == "Thiếu minh chứng tiêu chí 1.1"
    log = ChangeLog.objects.filter(assessment=submitted, field="status").first()
    assert (log.old, log.new, log.note) == (
        "submitted",
        "returned",
        "Thiếu minh chứng tiêu chí 1.1",
    )


def test_returned_can_be_edited_resubmitted_and_accepted(
    submitted, commune_officer, province_officer, principal
):
    services.assessment_return(user=commune_officer, assessment=submitted, reason="Bổ sung")
    sheet = sheet_of(submitted, "1.1")
    services.sheet_save(
        user=principal, sheet=sheet, version=sheet.version, data={"strengths": "Đã bổ sung"}
    )
    services.assessment_resubmit(user=principal, assessment=submitted)
    with pytest.raises(services.NotAllowed):
        services.assessment_accept(user=principal, assessment=submitted)
    services.assessment_accept(user=province_officer, assessment=submitted)
    submitted.refresh_from_db()
    assert submitted.status == "accepted" and submitted.locked
    kinds = list(submitted.snapshots.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["submit", "submit", "accept"]
    first, second, accepted = submitted.snapshots.order_by("pk")
    assert first.sha256 != second.sha256 and second.sha256 == accepted.sha256


def test_a_draft_cannot_be_accepted_or_returned(assessment, commune_officer):
    with pytest.raises(services.AssessmentError, match="đã nộp"):
        services.assessment_accept(user=commune_officer, assessment=assessment)
    with pytest.raises(services.AssessmentError, match="đã nộp"):
        services.assessment_return(user=commune_officer, assessment=assessment, reason="x")


def test_only_the_principal_unlocks_and_must_say_why(submitted, staff, commune_officer, principal):
    for user in (staff, commune_officer):
        with pytest.raises(services.NotAllowed):
            services.assessment_unlock(user=user, assessment=submitted, reason="Sửa")
    with pytest.raises(services.AssessmentError, match="lý do mở khóa"):
        services.assessment_unlock(user=principal, assessment=submitted, reason="")
    services.assessment_unlock(user=principal, assessment=submitted, reason="Sửa lỗi chính tả")
    submitted.refresh_from_db()
    assert submitted.status == "draft" and not submitted.locked
    assert submitted.snapshots.count() == 1  # the snapshot stays
    assert ChangeLog.objects.filter(assessment=submitted, note="Sửa lỗi chính tả").exists()
