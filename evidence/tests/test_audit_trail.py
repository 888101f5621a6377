"""The evidence register's audit trail: downloads recorded (who, which item, when), a deletion
recorded with its reason, the item's page shows its history in words."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import AuditEvent
from evidence import services
from evidence.models import Evidence

from .conftest import criterion, pdf


@pytest.fixture
def item(principal, assessment):
    return services.evidence_create(
        user=principal,
        assessment=assessment,
        data={
            "first_criterion": criterion(assessment.framework, "1.1"),
            "name": "Quyết định thành lập Hội đồng tự đánh giá",
            "issuer": "Trường PTDTBT TH Huổi Luông",
        },
        file=pdf("Quyết định.pdf"),
    )


def test_a_download_is_recorded_with_who_and_which_item(client, principal, item):
    client.force_login(principal)
    response = client.get(reverse("evidence:download", args=[item.pk]))
    assert response.status_code == 200
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.DOWNLOAD)
    assert event.user == principal and event.object_type == "evidence.Evidence"
    assert event.object_id == str(item.pk) and item.name in event.object_label


def test_an_outsider_download_records_nothing(client, outsider, item):
    client.force_login(outsider)
    assert client.get(reverse("evidence:download", args=[item.pk])).status_code == 404
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.DOWNLOAD).exists()


def test_deleting_an_item_records_who_and_why(client, principal, item):
    client.force_login(principal)
    pk = item.pk
    client.post(reverse("evidence:delete", args=[pk]))
    assert not Evidence.objects.filter(pk=pk).exists()
    gone = Evidence.history.filter(id=pk, history_type="-").get()
    assert gone.history_user == principal and gone.history_change_reason == "Xóa minh chứng"


def test_the_item_page_shows_its_history_in_words(client, principal, item):
    services.evidence_update(user=principal, evidence=item, data={"issuer": "UBND xã Phong Thổ"})
    client.force_login(principal)
    body = client.get(reverse("evidence:detail", args=[item.pk])).content.decode()
    history = body[body.index('data-testid="history"') :]
    assert "Nơi ban hành" in history and "UBND xã Phong Thổ" in history
    assert "issuer" not in history and "{&quot;" not in history
