"""An evidence item's file through the API: addressed by the school code, the school year and
the evidence code (never the database id), with the caller's token, scoped and logged like the
page's download link."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import AuditEvent
from evidence import services as evidence_services
from evidence.tests.conftest import (  # noqa: F401 - the temporary media folder
    MINIMAL_PDF,
    criterion,
    load_framework,
    make_assessment,
    media_root,
    pdf,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(school, principal):
    assessment = make_assessment(school, load_framework("TT17-2018"))
    item = evidence_services.evidence_create(
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
    return item


def _file_url(item) -> str:
    a = item.assessment
    return reverse("api:v1_evidence_file", args=[a.school.code, a.school_year, item.code])


def test_the_evidence_list_links_the_file_by_public_codes(token_client, commune_officer, filed):
    a = filed.assessment
    url = reverse("api:v1_assessment_evidence", args=[a.school.code, a.school_year])
    (row,) = token_client(commune_officer).get(url).json()["results"]
    assert row["code"] == "H1-1.1-01"
    assert row["download_url"].endswith(
        f"/api/v1/schools/{a.school.code}/assessments/{a.school_year}/evidence/H1-1.1-01/file/"
    )
    assert f"/{filed.pk}/" not in row["download_url"]


def test_a_token_downloads_the_file_and_the_download_is_logged(
    token_client, commune_officer, filed
):
    response = token_client(commune_officer).get(
        _file_url(filed), HTTP_ACCEPT="application/octet-stream"
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.DOWNLOAD)
    assert event.user == commune_officer


def test_outside_the_scope_or_an_unknown_code_is_404(token_client, outsider, principal, filed):
    assert token_client(outsider).get(_file_url(filed)).status_code == 404
    a = filed.assessment
    unknown = reverse("api:v1_evidence_file", args=[a.school.code, a.school_year, "H9-9.9-99"])
    assert token_client(principal).get(unknown).status_code == 404
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.DOWNLOAD).exists()
