"""GET /healthz/: 200 with JSON when the database, a worker and the storage answer; 503 naming
what is down. No login, no data."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.db import OperationalError, connections
from django.urls import reverse
from django.utils import timezone

from core.models import ProcessHeartbeat
from core.tests import worker_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def beat(role: str = "worker") -> None:
    now = timezone.now()
    ProcessHeartbeat.objects.create(process_id=f"{role}-1", role=role, started_at=now, seen_at=now)


def test_it_answers_200_without_login_when_everything_is_up(client, tmp_path):
    beat()
    beat("scheduler")
    worker_tasks.succeed.enqueue("waiting")
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok" and body["down"] == []
    assert body["database"] == {"ok": True}
    assert body["storage"] == {"ok": True}
    assert body["worker"]["ok"] and body["worker"]["heartbeat_age_seconds"] < 5
    assert body["scheduler"]["heartbeat_age_seconds"] < 5
    assert body["pending_jobs"] == 1
    assert not any(tmp_path.rglob("*.txt"))  # the storage probe cleans up


def test_it_exposes_states_and_counts_only(client, make_user):
    make_user(username="ht_huoiluong")
    beat()
    body = client.get(reverse("healthz")).json()
    assert set(body) == {
        "status",
        "down",
        "database",
        "worker",
        "scheduler",
        "storage",
        "pending_jobs",
    }
    assert "ht_huoiluong" not in str(body)


def test_it_answers_503_naming_the_worker_when_no_worker_beats(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down" and body["down"] == ["worker"]
    assert body["worker"] == {"ok": False, "heartbeat_age_seconds": None}


def test_a_stale_worker_is_down(client):
    old = timezone.now() - timezone.timedelta(minutes=5)
    ProcessHeartbeat.objects.create(process_id="w", role="worker", started_at=old, seen_at=old)
    body = client.get(reverse("healthz")).json()
    assert body["down"] == ["worker"] and body["worker"]["heartbeat_age_seconds"] >= 300


def test_it_names_the_storage_when_it_refuses_writes(client, monkeypatch):
    beat()

    def refuse(*args, **kwargs):
        raise PermissionError("read-only file system")

    monkeypatch.setattr(default_storage, "save", refuse)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503 and response.json()["down"] == ["storage"]
    assert "read-only" not in response.content.decode()  # no error text leaks


def test_it_names_the_database_when_it_is_unreachable(client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(connections["default"], "cursor", unreachable)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert "database" in body["down"] and "worker" in body["down"]
    assert body["pending_jobs"] is None


def test_plain_http_probe_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    beat()
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("accounts:login")).status_code == 301
