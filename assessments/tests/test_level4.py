"""The school-wide Mức 4 requirements of the 2018 frameworks (IndicatorResult without a sheet):
their own page, decided by the managers, live school level, change log, read-only when locked
(issue 5 audit, item 4)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.html import escape

from assessments import services
from assessments.models import ChangeLog, CouncilRole

from .conftest import tick_all

pytestmark = pytest.mark.django_db


def level4(assessment):
    return {
        r.indicator.ident: r
        for r in assessment.indicator_results.filter(sheet__isnull=True).select_related("indicator")
    }


def page_url(assessment):
    return reverse("assessments:level4", args=[assessment.pk])


def set_url(assessment, result):
    return reverse("assessments:level4_set", args=[assessment.pk, result.pk])


def test_the_page_lists_each_requirement_in_vietnamese_and_where_to_write_a_missing_one(
    client, assessment, principal
):
    client.force_login(principal)
    body = client.get(page_url(assessment)).content.decode()
    results = level4(assessment)
    assert set(results) >= {"M4-1", "M4-2", "M4-4"}
    m41 = results["M4-1"].indicator  # its Vietnamese text was found (regulation §8)
    assert m41.text
    assert f"<span>{escape(m41.text)}</span>" in body
    m44 = results["M4-4"].indicator  # not found: says so and links to where it is written
    assert m44.text is None and m44.text_en_summary
    assert '<span class="missing-text">Chưa có văn bản của yêu cầu này.</span>' in body
    assert reverse("assessments:requirement_text", args=[assessment.pk, m44.pk]) in body
    # English summaries and the texts' provenance stay on the framework's reference page.
    assert "tiếng Anh" not in body
    assert escape(m44.text_en_summary[:60]) not in body
    assert "M4-4" not in body.replace('data-indicator="M4-4"', "")
    for result in results.values():
        assert set_url(assessment, result) in body
    assert 'data-testid="school-level">Chưa đạt Mức 1<' in body
    detail = client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    assert page_url(assessment) in detail


def test_marking_requirements_updates_the_school_level_and_the_log(client, assessment, principal):
    tick_all(principal, assessment)  # Mức 3 on every criterion
    client.force_login(principal)
    results = level4(assessment)
    version = 1
    body = ""
    for ident in sorted(results):
        response = client.post(
            set_url(assessment, results[ident]),
            {"met": "1", "level4_version": version},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200, ident
        body = response.content.decode()
        version += 1
    assert 'data-testid="school-level">Mức 4<' in body
    assert f'id="level4-version" name="level4_version" value="{version}"' in body
    assert 'id="level4-log" hx-swap-oob="true"' in body and "Yêu cầu số 1 của Mức 4" in body
    assessment.refresh_from_db()
    assert assessment.computed_level == 4
    response = client.post(
        set_url(assessment, results["M4-1"]),
        {"met": "0", "level4_version": version},
        HTTP_HX_REQUEST="true",
    )
    assert "thiếu yêu cầu số 1 của Mức 4 để đạt Mức 4" in response.content.decode()
    log = ChangeLog.objects.filter(assessment=assessment, sheet=None, field="indicator:M4-1")
    assert list(log.order_by("pk").values_list("old", "new", "user")) == [
        ("Chưa đánh giá", "Đạt", principal.pk),
        ("Đạt", "Không đạt", principal.pk),
    ]
    page = client.get(page_url(assessment)).content.decode()
    assert "Đạt → Không đạt" in page


def test_a_stale_click_on_a_requirement_is_refused_with_the_current_state(
    client, assessment, principal
):
    client.force_login(principal)
    result = level4(assessment)["M4-2"]
    services.indicator_set(user=principal, result=result, met=True, version=1)  # elsewhere
    response = client.post(
        set_url(assessment, result), {"met": "0", "level4_version": 1}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "các yêu cầu Mức 4 đã được người khác cập nhật" in body
    assert 'id="level4-list" data-swap-errors' in body
    assert f'id="m4-{result.pk}-1" checked' in body
    result.refresh_from_db()
    assert result.met is True


def test_the_chair_decides_but_a_member_only_reads(
    client, assessment, principal, staff, other_staff
):
    services.council_member_add(
        user=principal,
        assessment=assessment,
        data={"full_name": "Chủ tịch", "role": CouncilRole.CHAIR, "user": staff},
    )
    result = level4(assessment)["M4-1"]
    services.indicator_set(user=staff, result=result, met=True)
    client.force_login(other_staff)
    body = client.get(page_url(assessment)).content.decode()
    assert "Bạn chỉ xem được" in body and '<fieldset class="d-flex gap-3" disabled>' in body
    response = client.post(
        set_url(assessment, result), {"met": "0", "level4_version": 2}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 403
    result.refresh_from_db()
    assert result.met is True


def test_it_is_read_only_once_submitted(client, assessment, principal):
    services.assessment_submit(user=principal, assessment=assessment)
    client.force_login(principal)
    body = client.get(page_url(assessment)).content.decode()
    assert "Báo cáo đã khóa: chỉ xem được." in body
    result = level4(assessment)["M4-1"]
    response = client.post(
        set_url(assessment, result), {"met": "1", "level4_version": 1}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 403
    assert "chỉ xem được" in response.content.decode()
    result.refresh_from_db()
    assert result.met is None


def test_level4_rejects_outsider(client, assessment, outsider):
    client.force_login(outsider)
    result = level4(assessment)["M4-1"]
    assert client.get(page_url(assessment)).status_code == 404
    response = client.post(set_url(assessment, result), {"met": "1", "level4_version": 1})
    assert response.status_code == 404
    result.refresh_from_db()
    assert result.met is None


def test_a_tt57_cycle_has_no_level4_page(client, loaded, principal, school):
    a57 = services.assessment_start(
        user=principal, school=school, school_year="2026-2027", on_date=dt.date(2026, 9, 15)
    ).assessment
    client.force_login(principal)
    assert client.get(page_url(a57)).status_code == 404
    detail = client.get(reverse("assessments:detail", args=[a57.pk])).content.decode()
    assert page_url(a57) not in detail


def test_a_requirement_of_another_cycle_cannot_be_set_through_this_one(
    client, assessment, principal, school
):
    other = services.assessment_start(
        user=principal, school=school, school_year="2025-2026", on_date=dt.date(2025, 10, 1)
    ).assessment
    foreign = level4(other)["M4-1"]
    client.force_login(principal)
    response = client.post(set_url(assessment, foreign), {"met": "1", "level4_version": 1})
    assert response.status_code == 404
