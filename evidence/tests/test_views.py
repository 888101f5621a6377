"""Pages of the register: scope (outsider 404, anonymous to login), downloads only through
the scoped view, hostile text escaped, a failed form keeps what was typed."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from evidence import services
from evidence.models import Evidence

from .conftest import EXE_BYTES, MINIMAL_PDF, criterion, pdf, sheet, upload

HOSTILE = '<script>alert("xss")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def item(principal, assessment):
    return services.evidence_create(
        user=principal,
        assessment=assessment,
        data={
            "first_criterion": criterion(assessment.framework, "1.1"),
            "name": "Quyết định thành lập Hội đồng tự đánh giá",
            "number": "15/QĐ-THHL",
            "issuer": "Trường PTDTBT TH Huổi Luông",
        },
        file=pdf("Quyết định thành lập.pdf"),
    )


def urls_for(item):
    a = item.assessment_id
    return [
        ("get", reverse("evidence:register", kwargs={"assessment_id": a})),
        ("get", reverse("evidence:create", kwargs={"assessment_id": a})),
        ("get", reverse("evidence:picker", kwargs={"assessment_id": a})),
        ("get", reverse("evidence:import", kwargs={"assessment_id": a})),
        ("get", reverse("evidence:import_template", kwargs={"assessment_id": a})),
        ("post", reverse("evidence:import_confirm", kwargs={"assessment_id": a})),
        ("get", reverse("evidence:detail", kwargs={"pk": item.pk})),
        ("get", reverse("evidence:edit", kwargs={"pk": item.pk})),
        ("post", reverse("evidence:delete", kwargs={"pk": item.pk})),
        ("get", reverse("evidence:download", kwargs={"pk": item.pk})),
        ("post", reverse("evidence:cite", kwargs={"pk": item.pk, "sheet_id": 1})),
        ("post", reverse("evidence:uncite", kwargs={"pk": item.pk, "sheet_id": 1})),
    ]


def test_it_rejects_outsider_on_every_view(client, outsider, item):
    client.force_login(outsider)
    for method, url in urls_for(item):
        assert getattr(client, method)(url).status_code == 404, url
    assert Evidence.objects.filter(pk=item.pk).exists()


def test_a_sibling_commune_officer_gets_404(client, make_user, sibling_commune, item):
    client.force_login(make_user("commune_officer", unit=sibling_commune))
    assert client.get(reverse("evidence:download", kwargs={"pk": item.pk})).status_code == 404


def test_anonymous_is_sent_to_login(client, item):
    for method, url in urls_for(item):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert reverse("accounts:login") in response["Location"]


def test_a_viewer_reads_but_cannot_write(client, viewer, item):
    client.force_login(viewer)
    assert (
        client.get(
            reverse("evidence:register", kwargs={"assessment_id": item.assessment_id})
        ).status_code
        == 200
    )
    assert client.get(reverse("evidence:download", kwargs={"pk": item.pk})).status_code == 200
    assert (
        client.get(
            reverse("evidence:create", kwargs={"assessment_id": item.assessment_id})
        ).status_code
        == 403
    )
    assert client.post(reverse("evidence:delete", kwargs={"pk": item.pk})).status_code == 403
    assert Evidence.objects.filter(pk=item.pk).exists()


def test_the_commune_reads_the_register(client, commune_officer, item):
    client.force_login(commune_officer)
    response = client.get(
        reverse("evidence:register", kwargs={"assessment_id": item.assessment_id})
    )
    assert response.status_code == 200
    assert "H1-1.1-01" in response.content.decode()


def test_download_is_an_attachment_with_safe_headers(client, principal, item):
    client.force_login(principal)
    response = client.get(reverse("evidence:download", kwargs={"pk": item.pk}))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert (
        "filename*=UTF-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh%20th%C3%A0nh%20l%E1%BA%ADp.pdf"
        in disposition
    )
    assert 'filename="Quy_t __nh th_nh l_p.pdf"' in disposition


def test_files_have_no_public_url_in_pages(client, principal, item):
    client.force_login(principal)
    page = client.get(reverse("evidence:detail", kwargs={"pk": item.pk})).content.decode()
    assert item.file.name not in page
    assert "/media/" not in page


def test_create_form_saves_and_redirects(client, principal, assessment):
    client.force_login(principal)
    crit = criterion(assessment.framework, "2.1")
    response = client.post(
        reverse("evidence:create", kwargs={"assessment_id": assessment.pk}),
        {
            "first_criterion": crit.pk,
            "name": "Danh sách giáo viên",
            "issued_on": "05/09/2025",
            "file": upload("ds.pdf", MINIMAL_PDF),
        },
    )
    e = Evidence.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("evidence:detail", kwargs={"pk": e.pk})
    assert e.code == "H2-2.1-01"
    assert e.issued_on.isoformat() == "2025-09-05"


def test_a_refused_file_keeps_the_typed_metadata(client, principal, assessment):
    client.force_login(principal)
    crit = criterion(assessment.framework, "1.1")
    response = client.post(
        reverse("evidence:create", kwargs={"assessment_id": assessment.pk}),
        {
            "first_criterion": crit.pk,
            "name": "Kế hoạch chiến lược",
            "number": "12/KH-TH",
            "issuer": "Hiệu trưởng",
            "note": "Bản gốc ở văn thư",
            "file": upload("x.pdf", EXE_BYTES),
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert not Evidence.objects.exists()
    for typed in ("Kế hoạch chiến lược", "12/KH-TH", "Hiệu trưởng", "Bản gốc ở văn thư"):
        assert typed in html
    assert "không phải loại được chấp nhận" in html


def test_hostile_name_and_note_are_escaped(client, principal, assessment):
    e = services.evidence_create(
        user=principal,
        assessment=assessment,
        data={
            "first_criterion": criterion(assessment.framework, "1.1"),
            "name": HOSTILE,
            "note": HOSTILE,
            "issuer": HOSTILE,
            "number": HOSTILE[:100],
        },
    )
    client.force_login(principal)
    for url in (
        reverse("evidence:register", kwargs={"assessment_id": assessment.pk}),
        reverse("evidence:detail", kwargs={"pk": e.pk}),
        reverse("evidence:edit", kwargs={"pk": e.pk}),
    ):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
        assert "&lt;script&gt;" in html, url


def test_picker_searches_without_accents(client, principal, item, assessment):
    services.evidence_create(
        user=principal,
        assessment=assessment,
        data={
            "first_criterion": criterion(assessment.framework, "1.2"),
            "name": "Biên bản họp tổ chuyên môn",
        },
    )
    client.force_login(principal)
    url = reverse("evidence:picker", kwargs={"assessment_id": assessment.pk})
    data = json.loads(client.get(url, {"q": "bien ban hop"}).content)
    assert [i["display"] for i in data["items"]] == ["[H1-1.2-01]"]
    data = json.loads(client.get(url, {"q": "quyet dinh"}).content)
    assert data["items"][0]["code"] == "H1-1.1-01"
    assert data["style"] == {"opening": "[", "closing": "]", "separator": "; ", "uncertain": False}
    fragment = client.get(url, {"q": "h1-1.1"}, HTTP_HX_REQUEST="true").content.decode()
    assert "[H1-1.1-01]" in fragment


def test_cite_endpoint_returns_the_code_in_framework_style(client, principal, item, assessment):
    s = sheet(assessment, "3.1")
    client.force_login(principal)
    response = client.post(reverse("evidence:cite", kwargs={"pk": item.pk, "sheet_id": s.pk}))
    assert response.status_code == 200
    assert json.loads(response.content)["display"] == "[H1-1.1-01]"
    assert item.citations.filter(sheet=s).exists()


def test_register_shows_the_catalogue_columns(client, principal, item, assessment):
    client.force_login(principal)
    html = client.get(
        reverse("evidence:register", kwargs={"assessment_id": assessment.pk})
    ).content.decode()
    for header in (
        "TT",
        "Mã minh chứng",
        "Tên minh chứng",
        "Số, ngày ban hành",
        "Nơi ban hành",
        "Ghi chú",
    ):
        assert f">{header}<" in html
    assert "Tiêu chuẩn 1" in html and "Tiêu chí 1.1" in html
    assert "15/QĐ-THHL" in html
