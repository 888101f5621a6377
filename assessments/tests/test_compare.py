"""Diff between two snapshots of a cycle and between two cycles of a school."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from assessments import diff, services

from .conftest import HOSTILE, results_of, sheet_of

pytestmark = pytest.mark.django_db


def test_text_segments_mark_removed_and_added_words():
    segments = diff.text_segments("Nhà trường có kế hoạch", "Nhà trường đã có kế hoạch rõ")
    assert ("+", " đã") in segments and ("+", " rõ") in segments
    assert "".join(t for k, t in segments if k != "-") == "Nhà trường đã có kế hoạch rõ"
    assert "".join(t for k, t in segments if k != "+") == "Nhà trường có kế hoạch"


@pytest.fixture
def resubmitted(assessment, principal, commune_officer):
    sheet = sheet_of(assessment, "1.1")
    services.sheet_save(
        user=principal, sheet=sheet, version=1, data={"strengths": "Có kế hoạch chiến lược"}
    )
    services.assessment_submit(user=principal, assessment=assessment)
    services.assessment_return(user=commune_officer, assessment=assessment, reason="Bổ sung")
    sheet.refresh_from_db()
    services.sheet_save(
        user=principal,
        sheet=sheet,
        version=sheet.version,
        data={"strengths": f"Có kế hoạch chiến lược rõ ràng {HOSTILE}"},
    )
    services.indicator_set(
        user=principal, result=results_of(assessment, "1.1")["1.1-M1a"], met=True
    )
    services.assessment_submit(user=principal, assessment=assessment)
    return assessment


def test_two_snapshots_compare_levels_indicators_and_texts(client, resubmitted, principal):
    old, new = resubmitted.snapshots.order_by("created_at", "pk")
    comparison = diff.compare(old.content, new.content)
    [c] = comparison.criteria
    assert c.code == "1.1"
    assert [(i.ident, i.old, i.new) for i in c.indicators] == [("1.1-M1a", None, True)]
    assert [t.kind for t in c.texts] == ["strengths"]
    client.force_login(principal)
    url = reverse("assessments:compare_snapshots", args=[resubmitted.pk])
    body = client.get(url, {"a": old.pk, "b": new.pk}).content.decode()
    assert "Tiêu chí 1.1" in body and "1 tiêu chí có thay đổi" in body
    assert '<ins class="text-success"> rõ ràng' in body
    assert HOSTILE not in body and "&lt;script&gt;" in body
    assert (
        reverse("assessments:compare_snapshots", args=[resubmitted.pk])
        in client.get(reverse("assessments:detail", args=[resubmitted.pk])).content.decode()
    )


def test_two_cycles_of_a_school_compare(client, assessment, principal, school):
    services.sheet_save(
        user=principal, sheet=sheet_of(assessment, "2.1"), version=1, data={"weaknesses": "Cũ"}
    )
    nxt = services.assessment_start(
        user=principal,
        school=school,
        school_year="2025-2026",
        on_date=dt.date(2025, 10, 1),
        copy_previous=True,
    ).assessment
    services.sheet_save(
        user=principal, sheet=sheet_of(nxt, "2.1"), version=1, data={"weaknesses": "Mới"}
    )
    client.force_login(principal)
    detail = client.get(reverse("assessments:detail", args=[nxt.pk])).content.decode()
    url = reverse("assessments:compare_cycles", args=[nxt.pk, assessment.pk])
    assert url in detail
    body = client.get(url).content.decode()
    assert "Năm học 2024-2025 (TT17-2018)" in body and "Năm học 2025-2026" in body
    assert '<del class="text-danger">Cũ</del><ins class="text-success">Mới</ins>' in body


def test_compare_pages_are_404_for_an_outsider_and_for_other_schools(
    client, resubmitted, outsider, principal, loaded, make_user, sibling_school
):
    client.force_login(outsider)
    assert (
        client.get(reverse("assessments:compare_snapshots", args=[resubmitted.pk])).status_code
        == 404
    )
    assert (
        client.get(
            reverse("assessments:compare_cycles", args=[resubmitted.pk, resubmitted.pk])
        ).status_code
        == 404
    )
    client.force_login(principal)
    assert (
        client.get(
            reverse("assessments:compare_cycles", args=[resubmitted.pk, resubmitted.pk])
        ).status_code
        == 404
    )
