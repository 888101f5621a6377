"""The managing units' progress table: every school's row (share filled, level, status, last
activity, return / accept), built outside the template engine for speed — so its content,
escaping and CSRF tokens are checked here."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from assessments import services
from assessments.models import Assessment, Snapshot
from schools.models import School

from .conftest import HOSTILE, tick_all

pytestmark = pytest.mark.django_db

PROGRESS = reverse("assessments:progress")


@pytest.fixture
def second(loaded, make_user, commune):
    """A second school of the commune with a cycle, submitted."""
    school = School.objects.create(
        code="LC-TH-SINSUIHO", name="Trường Tiểu học Sìn Suối Hồ", kind="TH", unit=commune
    )
    principal = make_user(Role.PRINCIPAL, school=school, username="ht_sinsuiho")
    a = services.assessment_start(
        user=principal, school=school, school_year="2024-2025", on_date=dt.date(2024, 10, 1)
    ).assessment
    tick_all(principal, a)
    services.assessment_submit(user=principal, assessment=a)
    a.refresh_from_db()
    return a


def row_of(body: str, assessment) -> str:
    match = re.search(rf'<tr data-assessment="{assessment.pk}">.*?</tr>', body, re.S)
    assert match, assessment
    return match.group(0)


def test_every_school_has_its_row_with_share_level_status_and_activity(
    client, assessment, second, commune_officer
):
    client.force_login(commune_officer)
    body = client.get(PROGRESS).content.decode()
    assert body.count('role="progressbar"') == 2
    draft = row_of(body, assessment)
    assert f'<a href="{reverse("assessments:detail", args=[assessment.pk])}">' in draft
    assert "Trường PTDTBT TH Huổi Luông" in draft and "Xã Phong Thổ" in draft
    assert "0/27 (0%)" in draft and "Chưa đạt Mức 1" in draft
    assert '<span class="badge text-bg-secondary">Đang thực hiện</span>' in draft
    assert "<form" not in draft
    last = timezone.localtime(assessment.last_activity_at).strftime("%d/%m/%Y %H:%M")
    assert f'<td class="small">{last}</td>' in draft
    submitted = row_of(body, second)
    assert "27/27 (100%)" in submitted and "Mức 3" in submitted
    assert '<span class="badge text-bg-primary">Đã nộp</span>' in submitted
    assert 'class="bi bi-lock-fill" title="Đã khóa"' in submitted
    assert f'action="{reverse("assessments:accept", args=[second.pk])}"' in submitted
    assert f'action="{reverse("assessments:return", args=[second.pk])}"' in submitted
    assert 'name="next" value="progress"' in submitted


def test_the_province_accepts_from_the_progress_table(second, province_officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(province_officer)
    body = client.get(PROGRESS).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', row_of(body, second))[1]
    response = client.post(
        reverse("assessments:accept", args=[second.pk]),
        {"csrfmiddlewaretoken": token, "next": "progress"},
    )
    assert response.status_code == 302 and response["Location"] == PROGRESS
    second.refresh_from_db()
    assert second.status == "accepted" and second.locked
    assert Snapshot.objects.filter(assessment=second, kind="accept").exists()
    page = client.get(PROGRESS).content.decode()
    row = row_of(page, second)
    assert "Đã chấp nhận" in row and "<form" not in row
    assert "Đã chấp nhận báo cáo tự đánh giá." in page


def test_the_commune_returns_from_the_table_with_a_reason(client, second, commune_officer):
    client.force_login(commune_officer)
    response = client.post(
        reverse("assessments:return", args=[second.pk]),
        {"reason": "Bổ sung minh chứng tiêu chí 1.1", "next": "progress"},
    )
    assert response["Location"] == PROGRESS
    second.refresh_from_db()
    assert second.status == "returned" and second.return_reason.startswith("Bổ sung")


def test_school_and_commune_names_are_escaped(client, assessment, commune_officer):
    School.objects.filter(pk=assessment.school_id).update(name=HOSTILE)
    client.force_login(commune_officer)
    body = client.get(PROGRESS).content.decode()
    assert HOSTILE not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_only_the_latest_cycle_of_a_school_unless_a_year_is_chosen(
    client, assessment, principal, school, commune_officer
):
    newer = services.assessment_start(
        user=principal, school=school, school_year="2025-2026", on_date=dt.date(2025, 10, 1)
    ).assessment
    client.force_login(commune_officer)
    body = client.get(PROGRESS).content.decode()
    assert f'data-assessment="{newer.pk}"' in body
    assert f'data-assessment="{assessment.pk}"' not in body
    body = client.get(PROGRESS, {"year": "2024-2025"}).content.decode()
    assert f'data-assessment="{assessment.pk}"' in body
    assert f'data-assessment="{newer.pk}"' not in body


def test_an_empty_scope_says_so(client, loaded, commune_officer):
    client.force_login(commune_officer)
    body = client.get(PROGRESS).content.decode()
    assert "Chưa có trường nào trong phạm vi của bạn mở đợt tự đánh giá." in body


def test_the_table_is_in_english_when_chosen(client, second, commune_officer):
    client.force_login(commune_officer)
    client.post(reverse("set_language"), {"language": "en", "next": PROGRESS})
    body = client.get(PROGRESS).content.decode()
    row = row_of(body, second)
    # Labels are translated once per request, in the active language.
    assert ">Submitted</span>" in row and 'title="Locked"' in row and ">Accept</button>" in row
    assert Assessment.objects.count() == 1


def test_progress_rejects_outsider(client, second, outsider):
    client.force_login(outsider)
    response = client.get(PROGRESS)
    # An officer of another province has a table, without any Lai Châu school in it.
    assert second.school.name not in response.content.decode()
    response = client.post(reverse("assessments:accept", args=[second.pk]), {"next": "progress"})
    assert response.status_code == 404
    second.refresh_from_db()
    assert second.status == "submitted"
