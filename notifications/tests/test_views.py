"""The pages: the bell's count on every page, the list (mark read, open, mark all read), the
preferences and the administrator's outbox."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from notifications import delivery, kinds, services
from notifications.models import Notification, NotificationPreference, OutboxMail

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _tell(user, n=1, link="/schools/"):
    out = []
    for i in range(n):
        out += services.notify(
            kind=kinds.ASSESSMENT_SUBMITTED,
            recipients=[user],
            title=f"Trường {i} đã nộp",
            link=link,
        )
    return out


def test_every_page_has_the_bell_which_loads_its_count(commune_officer):
    page = _client(commune_officer).get("/schools/").content.decode()
    assert 'id="bell"' in page and 'hx-get="/notifications/bell/"' in page


def test_the_bell_shows_the_unread_count(commune_officer):
    _tell(commune_officer, 3)
    bell = _client(commune_officer).get("/notifications/bell/").content.decode()
    assert 'id="bell-count" data-unread="3">3<' in bell
    assert "3 thông báo chưa đọc" in bell


def test_no_count_when_all_is_read(commune_officer):
    bell = _client(commune_officer).get("/notifications/bell/").content.decode()
    assert "bell-count" not in bell and "không có thông báo mới" in bell


def test_the_list_shows_only_ones_own_notifications(commune_officer, principal):
    _tell(commune_officer)
    services.notify(kind=kinds.ASSESSMENT_RETURNED, recipients=[principal], title="Bị trả lại")
    page = _client(commune_officer).get("/notifications/").content.decode()
    assert "Trường 0 đã nộp" in page and "Bị trả lại" not in page


def test_opening_marks_read_and_goes_to_the_page(commune_officer):
    (n,) = _tell(commune_officer, link="/schools/")
    response = _client(commune_officer).post(f"/notifications/{n.pk}/read/", {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/schools/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_an_outside_link_is_never_followed(commune_officer):
    (n,) = _tell(commune_officer, link="https://evil.example/")
    response = _client(commune_officer).post(f"/notifications/{n.pk}/read/", {"open": "1"})
    assert response["Location"] == "/notifications/"


def test_someone_elses_notification_does_not_exist(commune_officer, principal):
    (n,) = _tell(commune_officer)
    assert _client(principal).post(f"/notifications/{n.pk}/read/").status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_mark_all_read(commune_officer, principal):
    _tell(commune_officer, 2)
    _tell(principal, 1)
    _client(commune_officer).post("/notifications/read-all/")
    assert not Notification.objects.filter(recipient=commune_officer, read_at=None).exists()
    assert Notification.objects.filter(recipient=principal, read_at=None).count() == 1


def test_preferences_are_saved_per_kind(commune_officer):
    c = _client(commune_officer)
    page = c.get("/notifications/preferences/").content.decode()
    assert "Trường nộp báo cáo tự đánh giá" in page
    c.post(
        "/notifications/preferences/",
        {f"kind-{kinds.ASSESSMENT_SUBMITTED}": "digest", f"kind-{kinds.MONTHLY_DUE}": "off"},
    )
    assert dict(
        NotificationPreference.objects.filter(user=commune_officer).values_list("kind", "delivery")
    ) == {kinds.ASSESSMENT_SUBMITTED: "digest", kinds.MONTHLY_DUE: "off"}
    page = c.get("/notifications/preferences/").content.decode()
    assert f'id="kind-{kinds.ASSESSMENT_SUBMITTED}-digest" checked' in page


def test_the_outbox_is_for_the_administrator_only(commune_officer, superuser, settings):
    settings.EMAIL_BACKEND = "notifications.mail.DatabaseBackend"
    commune_officer.email = "xa@example.org"
    commune_officer.save()
    (n,) = _tell(commune_officer)
    delivery.deliver_notifications.call([n.pk])
    assert mail.outbox == [] and OutboxMail.objects.count() == 1
    stored = OutboxMail.objects.get()
    assert stored.to == "xa@example.org" and "Kính gửi" in stored.body and stored.html
    assert _client(commune_officer).get("/notifications/outbox/").status_code == 403
    page = _client(superuser).get("/notifications/outbox/").content.decode()
    assert "Trường 0 đã nộp" in page
