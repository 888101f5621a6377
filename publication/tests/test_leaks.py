"""Nothing unpublished or personal reaches a public page: not a draft or unpublished
self-assessment, not a change made after publication, not the names of council members, not
accounts, not the signer or the notes of a decision."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments import services as assessment_services
from publication import services
from publication.models import PublicationKind
from publication.tests.conftest import COUNCIL_NAME, DRAFT_TEXT

pytestmark = pytest.mark.django_db

PERSONAL = (COUNCIL_NAME, "ht_huoiluong", "Người Ký Riêng Tư", "Ghi chú nội bộ không công khai")


def _public_pages(client, school, province) -> str:
    return "\n".join(
        client.get(url).content.decode()
        for url in (
            reverse("publication:school", args=[school.code]),
            reverse("publication:province", args=[province.uid]),
            reverse("publication:index"),
        )
    )


def test_unpublished_assessment_never_appears(client, school, province, submitted, decision):
    body = _public_pages(client, school, province)
    assert "Nhà trường chưa công khai kết quả tự đánh giá" in body
    assert "2024-2025" not in body
    for secret in PERSONAL:
        assert secret not in body


def test_published_summary_carries_no_personal_data(
    client, principal, school, province, submitted, decision
):
    for kind in (PublicationKind.SELF_ASSESSMENT, PublicationKind.IMPROVEMENT_PLAN):
        pub = services.publication_publish(user=principal, school=school, kind=kind)
        for secret in PERSONAL:
            assert secret not in str(pub.content)
    body = _public_pages(client, school, province)
    assert "2024-2025" in body
    for secret in PERSONAL:
        assert secret not in body


def test_changes_after_publication_and_withdrawn_content_stay_hidden(
    client, principal, commune_officer, school, province, submitted
):
    pub = services.publication_publish(
        user=principal, school=school, kind=PublicationKind.IMPROVEMENT_PLAN
    )
    assessment_services.assessment_unlock(user=principal, assessment=submitted, reason="Sửa")
    sheet = submitted.sheets.order_by("criterion__position").first()
    assessment_services.sheet_save(
        user=principal,
        sheet=sheet,
        data={"actions": [{"action": DRAFT_TEXT}]},
        version=sheet.version,
    )
    assert DRAFT_TEXT not in _public_pages(client, school, province)
    services.publication_withdraw(user=commune_officer, publication=pub, reason="Đang sửa")
    body = _public_pages(client, school, province)
    assert "Nhà trường chưa công khai kế hoạch cải tiến chất lượng" in body
