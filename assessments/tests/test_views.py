import pytest
from django.test import Client
from django.urls import reverse

from assessments import services
from assessments.models import IndicatorResult

from .conftest import HOSTILE, results_of, sheet_of

pytestmark = pytest.mark.django_db


def _urls(assessment):
    sheet = sheet_of(assessment, "1.1")
    result = results_of(assessment, "1.1")["1.1-M1a"]
    snap = assessment.snapshots.first()
    level4 = assessment.indicator_results.filter(sheet__isnull=True).first()
    pk = assessment.pk
    urls = [
        ("get", reverse("assessments:detail", args=[pk])),
        ("get", reverse("assessments:council", args=[pk])),
        ("post", reverse("assessments:council", args=[pk])),
        ("get", reverse("assessments:sheet", args=[pk, sheet.criterion.code])),
        ("post", reverse("assessments:sheet", args=[pk, sheet.criterion.code])),
        ("get", reverse("assessments:history", args=[pk, sheet.criterion.code])),
        ("post", reverse("assessments:indicator", args=[pk, "1.1", result.pk])),
        ("post", reverse("assessments:submit", args=[pk])),
        ("post", reverse("assessments:return", args=[pk])),
        ("post", reverse("assessments:accept", args=[pk])),
        ("post", reverse("assessments:unlock", args=[pk])),
        ("get", reverse("assessments:start") + f"?school={assessment.school.code}"),
        ("get", reverse("assessments:level4", args=[pk])),
        ("post", reverse("assessments:level4_set", args=[pk, level4.pk])),
        ("get", reverse("assessments:standard", args=[pk, "1"])),
        ("post", reverse("assessments:standard", args=[pk, "1"])),
    ]
    if snap:
        urls.append(("get", reverse("assessments:snapshot", args=[pk, snap.pk])))
    return urls


def test_an_outsider_gets_404_on_every_page_of_the_assessment(
    client, assessment, principal, outsider
):
    services.assessment_submit(user=principal, assessment=assessment)
    client.force_login(outsider)
    for method, url in _urls(assessment):
        response = getattr(client, method)(url, {"reason": "x", "met": "1"})
        assert response.status_code == 404, (method, url)
    assessment.refresh_from_db()
    assert assessment.status == "submitted"
    assert not IndicatorResult.objects.filter(met__isnull=False).exists()


def test_lists_do_not_show_other_provinces_schools(client, assessment, outsider):
    client.force_login(outsider)
    assert assessment.school.name not in client.get(reverse("assessments:list")).content.decode()
    assert (
        assessment.school.name not in client.get(reverse("assessments:progress")).content.decode()
    )


def test_a_school_user_has_no_progress_table(client, assessment, principal):
    client.force_login(principal)
    assert client.get(reverse("assessments:progress")).status_code == 404


def test_anonymous_is_sent_to_login(client, assessment):
    response = client.get(reverse("assessments:detail", args=[assessment.pk]))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_principal_starts_a_cycle_from_the_form(client, loaded, principal, school):
    client.force_login(principal)
    assert client.get(reverse("assessments:start")).status_code == 200
    response = client.post(
        reverse("assessments:start"),
        {"school": school.pk, "school_year": "2026-2027", "on_date": "2026-09-15"},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "TT57-2026-PT" in page
    assert "Hội đồng tự đánh giá cần ít nhất 5 thành viên (hiện có 0)." in page


def test_overview_shows_levels_explanation_and_council_warnings(client, assessment, principal):
    client.force_login(principal)
    page = client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    assert "Tiêu chuẩn 1" in page and "1.1" in page
    assert "Chưa đạt Mức 1" in page
    assert "thiếu chỉ báo a), b), c) của Mức 1 để đạt Mức 1" in page
    assert "cần ít nhất 7 thành viên" in page
    assert "Nộp báo cáo" in page


def _sheet_post(sheet, version, **texts):
    data = {
        "version": version,
        "state_1": "",
        "state_2": "",
        "state_3": "",
        "strengths": "",
        "weaknesses": "",
        "action": [""],
        "responsible": [""],
        "start": [""],
        "end": [""],
        "resources": [""],
        "expected_evidence": [""],
    }
    data.update(texts)
    return data


def test_two_sessions_cannot_overwrite_each_other(assessment, principal, staff):
    services.sheet_assign(user=principal, sheet=sheet_of(assessment, "1.1"), assignee=staff)
    first, second = Client(), Client()
    first.force_login(principal)
    second.force_login(staff)
    url = reverse("assessments:sheet", args=[assessment.pk, "1.1"])
    assert 'value="1"' in first.get(url).content.decode()
    assert second.get(url).status_code == 200
    sheet = sheet_of(assessment, "1.1")
    response = first.post(url, _sheet_post(sheet, 1, strengths="Bản của hiệu trưởng"))
    assert response.status_code == 302
    response = second.post(url, _sheet_post(sheet, 1, strengths="Bản của giáo viên"))
    body = response.content.decode()
    assert response.status_code == 409  # conflicts answer 409 on every edit form
    assert "đã được người khác cập nhật" in body
    assert "Bản của giáo viên" in body  # what the second member typed is kept
    sheet.refresh_from_db()
    assert sheet.strengths == "Bản của hiệu trưởng" and sheet.version == 2


def test_saving_the_sheet_form_stores_texts_and_improvement_rows(client, assessment, principal):
    client.force_login(principal)
    url = reverse("assessments:sheet", args=[assessment.pk, "1.1"])
    data = _sheet_post(sheet_of(assessment, "1.1"), 1, state_1="Hiện trạng 1")
    data.update(
        {
            "action": ["Rà soát", ""],
            "responsible": ["HT", ""],
            "start": ["2025-09-01", ""],
            "end": ["2025-12-31", ""],
            "resources": ["", ""],
            "expected_evidence": ["Biên bản", ""],
        }
    )
    assert client.post(url, data).status_code == 302
    sheet = sheet_of(assessment, "1.1")
    assert sheet.current_state == {"1": "Hiện trạng 1"}
    assert sheet.actions.get().expected_evidence == "Biên bản"
    data["version"] = 2
    data["end"] = ["31/12/2025", ""]
    body = client.post(url, data).content.decode()
    assert "Kế hoạch cải tiến, dòng 1, cột kết thúc: ngày không hợp lệ." in body


def test_ticking_an_indicator_with_htmx_returns_the_updated_levels(client, assessment, principal):
    client.force_login(principal)
    results = results_of(assessment, "1.1")
    for ident in ("1.1-M1a", "1.1-M1b"):
        url = reverse("assessments:indicator", args=[assessment.pk, "1.1", results[ident].pk])
        version = sheet_of(assessment, "1.1").indicators_version  # as the page sends it
        response = client.post(
            url, {"met": "1", "indicators_version": version}, HTTP_HX_REQUEST="true"
        )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="sheet-live"' in body and "<html" not in body
    assert "thiếu chỉ báo c) của Mức 1 để đạt Mức 1" in body
    assert f'id="indicators-version" name="indicators_version" value="{version + 1}"' in body
    url = reverse("assessments:indicator", args=[assessment.pk, "1.1", results["1.1-M1c"].pk])
    body = client.post(
        url, {"met": "1", "indicators_version": version + 1}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "thiếu yêu cầu của Mức 2 để đạt Mức 2" in body
    assert 'data-testid="criterion-level">Mức 1<' in body


def test_an_unassigned_member_sees_the_sheet_read_only(client, assessment, staff):
    client.force_login(staff)
    url = reverse("assessments:sheet", args=[assessment.pk, "1.1"])
    page = client.get(url).content.decode()
    assert "Bạn chỉ xem được tiêu chí này" in page
    result = results_of(assessment, "1.1")["1.1-M1a"]
    response = client.post(
        reverse("assessments:indicator", args=[assessment.pk, "1.1", result.pk]),
        {"met": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 403
    assert "không được phân công tiêu chí 1.1" in response.content.decode()
    result.refresh_from_db()
    assert result.met is None


def test_hostile_payload_is_escaped_everywhere(client, assessment, principal):
    sheet = sheet_of(assessment, "1.1")
    services.sheet_save(
        user=principal,
        sheet=sheet,
        version=1,
        data={"strengths": HOSTILE, "current_state": {"1": HOSTILE}},
    )
    services.assessment_submit(user=principal, assessment=assessment)
    client.force_login(principal)
    pages = [
        reverse("assessments:sheet", args=[assessment.pk, "1.1"]),
        reverse("assessments:history", args=[assessment.pk, "1.1"]),
        reverse("assessments:snapshot", args=[assessment.pk, assessment.snapshots.get().pk]),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert HOSTILE not in body, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body, url


def test_the_commune_sees_progress_and_returns_from_the_table(
    client, assessment, principal, commune_officer
):
    services.indicator_set(
        user=principal, result=results_of(assessment, "1.1")["1.1-M1a"], met=True
    )
    services.assessment_submit(user=principal, assessment=assessment)
    client.force_login(commune_officer)
    page = client.get(reverse("assessments:progress")).content.decode()
    assert assessment.school.name in page and "Đã nộp" in page and "0/" in page
    response = client.post(
        reverse("assessments:return", args=[assessment.pk]),
        {"reason": "Bổ sung minh chứng", "next": "progress"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("assessments:progress")
    assessment.refresh_from_db()
    assert assessment.status == "returned"
    page = client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    assert "Bổ sung minh chứng" in page


def test_council_page_adds_members_and_groups(client, assessment, principal, staff):
    client.force_login(principal)
    url = reverse("assessments:council", args=[assessment.pk])
    response = client.post(
        url,
        {
            "op": "member",
            "m-full_name": "Lò Thị B",
            "m-title": "Phó HT",
            "m-role": "pho_chu_tich",
            "m-user": staff.pk,
        },
    )
    assert response.status_code == 302
    criterion = sheet_of(assessment, "1.2").criterion
    response = client.post(
        url,
        {
            "op": "group",
            "g-name": "Nhóm công tác 1",
            "g-kind": "working",
            "g-criteria": [criterion.pk],
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Lò Thị B" in page and "Nhóm công tác 1" in page
    assert assessment.groups.get().criteria.get() == criterion


def test_staff_cannot_post_to_the_council_of_a_locked_assessment(client, assessment, principal):
    services.assessment_submit(user=principal, assessment=assessment)
    client.force_login(principal)
    url = reverse("assessments:council", args=[assessment.pk])
    client.post(url, {"op": "member", "m-full_name": "Muộn", "m-role": "uy_vien"})
    assert not assessment.council_members.exists()
