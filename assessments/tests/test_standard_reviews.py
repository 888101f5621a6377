"""Per-standard texts (StandardReview): TT57's "Đánh giá chung" per standard, the 2018 reports'
"Mở đầu" and "Kết luận về Tiêu chuẩn n" (issue 5 audit, item 5)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from assessments import diff, selectors, services
from assessments.models import ChangeLog, StandardReview
from frameworks.models import Standard

from .conftest import HOSTILE, sheet_of

pytestmark = pytest.mark.django_db

FIELDS = ("intro", "strengths", "weaknesses", "causes", "direction", "conclusion")


def standard(assessment, code):
    return Standard.objects.get(framework=assessment.framework, code=code)


def save(user, assessment, code, version=1, **data):
    return services.standard_review_save(
        user=user,
        assessment=assessment,
        standard=standard(assessment, code),
        data=data,
        version=version,
    )


@pytest.fixture
def a57(loaded, principal, school):
    return services.assessment_start(
        user=principal, school=school, school_year="2026-2027", on_date=dt.date(2026, 9, 15)
    ).assessment


# ---- selector ----------------------------------------------------------------------------------


def test_every_standard_has_its_texts_keyed_by_code_in_order(assessment):
    reviews = selectors.standard_reviews(assessment=assessment)
    assert list(reviews) == ["1", "2", "3", "4", "5"]
    for code, review in reviews.items():
        assert review.pk is not None  # created when the cycle was opened
        assert review.standard.code == code
        assert all(getattr(review, f) == "" for f in FIELDS)


def test_a_cycle_without_rows_still_gets_every_standard_blank(assessment):
    StandardReview.objects.filter(assessment=assessment).delete()
    reviews = selectors.standard_reviews(assessment=assessment)
    assert list(reviews) == ["1", "2", "3", "4", "5"]
    assert all(r.pk is None and r.conclusion == "" for r in reviews.values())
    assert not StandardReview.objects.filter(assessment=assessment).exists()  # a pure read


# ---- service -----------------------------------------------------------------------------------


def test_saving_logs_every_changed_field_in_nfc_and_bumps_the_version(assessment, principal):
    review = save(
        principal,
        assessment,
        "1",
        intro="Tie\u0302u chua\u0302\u0309n 1 go\u0302\u0300m",  # combining marks
        conclusion="Đạt yêu cầu.",
        strengths="",
    )
    assert review.intro == "Tiêu chuẩn 1 gồm" and review.version == 2
    assert review.updated_by == principal
    logs = ChangeLog.objects.filter(assessment=assessment, field__startswith="standard:1.")
    assert set(logs.values_list("field", "old", "new")) == {
        ("standard:1.intro", "", "Tiêu chuẩn 1 gồm"),
        ("standard:1.conclusion", "", "Đạt yêu cầu."),
    }
    review = save(principal, assessment, "1", version=2, conclusion="Đạt yêu cầu.")
    assert review.version == 2  # nothing changed, nothing logged
    assert logs.count() == 2


def test_a_stale_version_is_a_conflict_and_writes_nothing(assessment, principal):
    save(principal, assessment, "2", conclusion="Bản đầu")
    with pytest.raises(services.EditConflict, match="Đánh giá chung Tiêu chuẩn 2"):
        save(principal, assessment, "2", version=1, conclusion="Ghi đè")
    assert selectors.standard_reviews(assessment=assessment)["2"].conclusion == "Bản đầu"


def test_a_locked_assessment_refuses(assessment, principal):
    services.assessment_submit(user=principal, assessment=assessment)
    with pytest.raises(services.Locked):
        save(principal, assessment, "1", intro="Sau khi nộp")


def test_members_assigned_a_criterion_of_the_standard_may_write_it(
    assessment, principal, staff, other_staff
):
    services.sheet_assign(user=principal, sheet=sheet_of(assessment, "3.2"), assignee=staff)
    save(staff, assessment, "3", strengths="Phòng học đủ")
    with pytest.raises(services.NotAllowed, match="Tiêu chuẩn 1"):
        save(staff, assessment, "1", strengths="Không phải của tôi")
    with pytest.raises(services.NotAllowed):
        save(other_staff, assessment, "3", version=2, strengths="Không được giao")


def test_a_standard_of_another_framework_is_refused(assessment, principal, a57):
    with pytest.raises(services.AssessmentError, match="không thuộc bộ tiêu chuẩn"):
        services.standard_review_save(
            user=principal, assessment=assessment, standard=standard(a57, "1"), data={}, version=1
        )


# ---- page --------------------------------------------------------------------------------------


def url(assessment, code):
    return reverse("assessments:standard", args=[assessment.pk, code])


def post_data(version, **texts):
    data = {"version": version, **{f: "" for f in FIELDS}}
    data.update(texts)
    return data


def test_a_2018_page_asks_for_the_opening_and_the_conclusion(client, assessment, principal):
    client.force_login(principal)
    detail = client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    assert url(assessment, "1") in detail and "Mở đầu, kết luận tiêu chuẩn" in detail
    body = client.get(url(assessment, "1")).content.decode()
    main = body.split("<details", 1)[0]
    assert ">Mở đầu</label>" in main and ">Kết luận về tiêu chuẩn</label>" in main
    assert ">Điểm mạnh</label>" not in main  # optional for 2018, further down
    assert "Kết luận về Tiêu chuẩn 1" in body


def test_a_tt57_page_asks_for_the_general_evaluation(client, principal, a57):
    client.force_login(principal)
    detail = client.get(reverse("assessments:detail", args=[a57.pk])).content.decode()
    assert url(a57, "2") in detail and "Đánh giá chung tiêu chuẩn" in detail
    body = client.get(url(a57, "2")).content.decode()
    main = body.split("<details", 1)[0]
    for label in ("Điểm mạnh", "Điểm yếu, hạn chế chủ yếu", "Nguyên nhân", "Hướng cải tiến"):
        assert f">{label}</label>" in main
    assert ">Mở đầu</label>" not in main


def test_the_page_saves_and_keeps_typed_text_on_conflict(assessment, principal, staff):
    services.sheet_assign(user=principal, sheet=sheet_of(assessment, "1.1"), assignee=staff)
    first, second = Client(), Client()
    first.force_login(principal)
    second.force_login(staff)
    assert first.get(url(assessment, "1")).status_code == 200
    assert second.get(url(assessment, "1")).status_code == 200
    response = first.post(url(assessment, "1"), post_data(1, conclusion="Bản của hiệu trưởng"))
    assert response.status_code == 302
    response = second.post(url(assessment, "1"), post_data(1, conclusion="Bản của giáo viên"))
    body = response.content.decode()
    assert "đã được người khác cập nhật" in body and "Bản của giáo viên" in body
    assert selectors.standard_reviews(assessment=assessment)["1"].conclusion == (
        "Bản của hiệu trưởng"
    )
    history = first.get(url(assessment, "1")).content.decode()
    # The history names the field in words (issue 18: no internal keys on pages).
    assert "Tiêu chuẩn 1 — Kết luận về tiêu chuẩn" in history
    assert "standard:1.conclusion" not in history


def test_the_page_autosaves_with_json(client, assessment, principal):
    client.force_login(principal)
    response = client.post(url(assessment, "4"), post_data(1, intro="Đang gõ"), HTTP_X_AUTOSAVE="1")
    assert response.status_code == 200 and json.loads(response.content)["version"] == 2
    response = client.post(url(assessment, "4"), post_data(1, intro="Cũ"), HTTP_X_AUTOSAVE="1")
    assert response.status_code == 409


def test_an_unassigned_member_reads_only(client, assessment, staff):
    client.force_login(staff)
    body = client.get(url(assessment, "1")).content.decode()
    assert "Bạn chỉ xem được" in body and 'data-autosave="1"' not in body
    response = client.post(url(assessment, "1"), post_data(1, intro="x"), HTTP_X_AUTOSAVE="1")
    assert response.status_code == 403


def test_hostile_text_is_escaped(client, assessment, principal):
    save(principal, assessment, "1", conclusion=HOSTILE)
    client.force_login(principal)
    body = client.get(url(assessment, "1")).content.decode()
    assert HOSTILE not in body and "&lt;script&gt;" in body


def test_standard_page_rejects_outsider(client, assessment, outsider):
    client.force_login(outsider)
    assert client.get(url(assessment, "1")).status_code == 404
    assert client.post(url(assessment, "1"), post_data(1, intro="x")).status_code == 404
    assert selectors.standard_reviews(assessment=assessment)["1"].intro == ""


def test_an_unknown_standard_is_404(client, assessment, principal):
    client.force_login(principal)
    assert client.get(url(assessment, "9")).status_code == 404


# ---- snapshot, hash, diffs, copy ---------------------------------------------------------------


def test_the_snapshot_and_its_hash_cover_the_standard_texts(assessment, principal):
    before = selectors.snapshot_content(assessment)
    assert before["standards"][0] == {"standard": "1", **{f: "" for f in FIELDS}}
    save(principal, assessment, "5", conclusion="Đạt Mức 2")
    after = selectors.snapshot_content(assessment)
    assert after["standards"][4]["conclusion"] == "Đạt Mức 2"
    assert services.content_hash(before) != services.content_hash(after)
    [change] = diff.compare(before, after).standards
    assert change.code == "5" and [t.kind for t in change.texts] == ["conclusion"]


def test_two_snapshots_show_the_changed_standard_text(
    client, assessment, principal, commune_officer
):
    save(principal, assessment, "2", weaknesses="Thiếu giáo viên")
    services.assessment_submit(user=principal, assessment=assessment)
    services.assessment_return(user=commune_officer, assessment=assessment, reason="Bổ sung")
    save(principal, assessment, "2", version=2, weaknesses="Thiếu giáo viên tiếng Anh")
    services.assessment_submit(user=principal, assessment=assessment)
    client.force_login(principal)
    body = client.get(
        reverse("assessments:compare_snapshots", args=[assessment.pk])
    ).content.decode()
    assert "Tiêu chuẩn 2 — đánh giá chung" in body
    assert '<ins class="text-success"> tiếng Anh</ins>' in body
    snap = assessment.snapshots.first()
    page = client.get(reverse("assessments:snapshot", args=[assessment.pk, snap.pk]))
    assert "Thiếu giáo viên tiếng Anh" in page.content.decode()


def test_copy_previous_carries_the_standard_texts(assessment, principal, school):
    save(principal, assessment, "1", intro="Mở đầu cũ", conclusion="Kết luận cũ")
    result = services.assessment_start(
        user=principal,
        school=school,
        school_year="2025-2026",
        on_date=dt.date(2025, 10, 1),
        copy_previous=True,
    )
    review = selectors.standard_reviews(assessment=result.assessment)["1"]
    assert (review.intro, review.conclusion) == ("Mở đầu cũ", "Kết luận cũ")
    assert result.carried_standards == ["1"]
    comparison = diff.compare(
        selectors.snapshot_content(assessment), selectors.snapshot_content(result.assessment)
    )
    assert comparison.standards == []


def test_two_cycles_compare_their_standard_texts(client, assessment, principal, school):
    save(principal, assessment, "3", conclusion="Cơ sở vật chất đạt Mức 2")
    nxt = services.assessment_start(
        user=principal,
        school=school,
        school_year="2025-2026",
        on_date=dt.date(2025, 10, 1),
        copy_previous=True,
    ).assessment
    save(principal, nxt, "3", version=1, conclusion="Cơ sở vật chất đạt Mức 3")
    client.force_login(principal)
    body = client.get(
        reverse("assessments:compare_cycles", args=[nxt.pk, assessment.pk])
    ).content.decode()
    assert "Tiêu chuẩn 3 — đánh giá chung" in body and "Kết luận về tiêu chuẩn" in body
    assert '<del class="text-danger">2</del><ins class="text-success">3</ins>' in body
