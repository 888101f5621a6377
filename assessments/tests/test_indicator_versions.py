"""Indicator clicks are version-checked (issue 5 audit, item 10): the page sends the sheet's
`indicators_version`; a click made on a page older than the stored decisions is refused with 409,
a Vietnamese message and the current decisions."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from assessments import services
from assessments.models import ChangeLog, CouncilRole

from .conftest import results_of, sheet_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_members(assessment, principal, staff, other_staff):
    """Two members of the working group holding criterion 1.1, each in their own browser."""
    group = services.working_group_create(
        user=principal,
        assessment=assessment,
        name="Nhóm 1",
        criteria=[sheet_of(assessment, "1.1").criterion],
    )
    for n, user in enumerate((staff, other_staff)):
        services.council_member_add(
            user=principal,
            assessment=assessment,
            data={"full_name": f"GV {n}", "role": CouncilRole.MEMBER, "user": user, "group": group},
        )
    first, second = Client(), Client()
    first.force_login(staff)
    second.force_login(other_staff)
    return first, second


def page_version(client, assessment) -> int:
    """The version the sheet page hands to its indicator forms."""
    body = client.get(reverse("assessments:sheet", args=[assessment.pk, "1.1"])).content.decode()
    marker = 'id="indicators-version" name="indicators_version" value="'
    return int(body.split(marker, 1)[1].split('"', 1)[0])


def click(client, assessment, ident, met, version):
    result = results_of(assessment, "1.1")[ident]
    return client.post(
        reverse("assessments:indicator", args=[assessment.pk, "1.1", result.pk]),
        {"met": met, "indicators_version": version},
        HTTP_HX_REQUEST="true",
    )


def test_a_stale_click_from_a_second_session_is_refused_with_the_current_state(
    assessment, two_members
):
    first, second = two_members
    v_first, v_second = page_version(first, assessment), page_version(second, assessment)
    assert v_first == v_second == 1

    response = click(first, assessment, "1.1-M1a", "1", v_first)
    assert response.status_code == 200
    assert results_of(assessment, "1.1")["1.1-M1a"].met is True

    response = click(second, assessment, "1.1-M1a", "0", v_second)  # made on the old page
    body = response.content.decode()
    assert response.status_code == 409
    assert "Không lưu lựa chọn vừa bấm" in body
    assert "các chỉ báo của tiêu chí 1.1 đã được người khác cập nhật" in body
    # The answer carries the current decisions (the list, swapped out of band) and the version
    # to click on next.
    assert 'id="sheet-indicators" data-swap-errors' in body and 'hx-swap-oob="true"' in body
    met_a = results_of(assessment, "1.1")["1.1-M1a"]
    assert f'id="met-{met_a.pk}-1" checked' in body
    assert 'name="indicators_version" value="2"' in body
    assert met_a.met is True  # nothing written
    assert not ChangeLog.objects.filter(field="indicator:1.1-M1a", new="Không đạt").exists()

    # Once the page shows the current state, the second member's click goes through.
    response = click(second, assessment, "1.1-M1a", "0", 2)
    assert response.status_code == 200
    assert results_of(assessment, "1.1")["1.1-M1a"].met is False
    assert sheet_of(assessment, "1.1").indicators_version == 3


def test_a_click_on_another_indicator_of_the_same_sheet_is_also_stale(assessment, two_members):
    first, second = two_members
    click(first, assessment, "1.1-M1a", "1", 1)
    response = click(second, assessment, "1.1-M1b", "1", 1)
    assert response.status_code == 409
    assert results_of(assessment, "1.1")["1.1-M1b"].met is None


def test_a_click_without_the_version_is_not_taken_on_trust(assessment, two_members):
    first, _second = two_members
    result = results_of(assessment, "1.1")["1.1-M1a"]
    response = first.post(
        reverse("assessments:indicator", args=[assessment.pk, "1.1", result.pk]),
        {"met": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    result.refresh_from_db()
    assert result.met is None


def test_text_saves_and_indicator_clicks_do_not_invalidate_each_other(
    assessment, principal, two_members
):
    first, _second = two_members
    sheet = sheet_of(assessment, "1.1")
    services.sheet_save(user=principal, sheet=sheet, version=1, data={"strengths": "Có"})
    assert click(first, assessment, "1.1-M1a", "1", 1).status_code == 200
    sheet.refresh_from_db()
    # A colleague typing the texts (version 2) is not disturbed by the tick.
    services.sheet_save(user=principal, sheet=sheet, version=2, data={"strengths": "Có nhiều"})


def test_the_service_refuses_a_stale_version_and_writes_nothing(assessment, principal):
    result = results_of(assessment, "1.1")["1.1-M1a"]
    services.indicator_set(user=principal, result=result, met=True, version=1)
    with pytest.raises(services.StaleIndicators):
        services.indicator_set(user=principal, result=result, met=False, version=1)
    result.refresh_from_db()
    assert result.met is True


def test_an_unchanged_click_does_not_bump_the_version(assessment, principal):
    result = results_of(assessment, "1.1")["1.1-M1a"]
    services.indicator_set(user=principal, result=result, met=None, version=1)
    assert sheet_of(assessment, "1.1").indicators_version == 1


def test_stale_click_rejects_outsider(client, assessment, outsider):
    client.force_login(outsider)
    response = click(client, assessment, "1.1-M1a", "1", 1)
    assert response.status_code == 404
