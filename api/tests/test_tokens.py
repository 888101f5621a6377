"""Tokens: named, optional expiry, shown once, stored hashed, revocable, throttled one by one;
system accounts created by an administrator for a unit and scoped to it."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Membership, Role
from api import services
from api.models import ApiToken, SystemAccount

pytestmark = pytest.mark.django_db


def _client(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_only_the_hash_of_the_secret_is_stored(principal):
    token, secret = services.token_create(user=principal, owner=principal, name="CSDL ngành")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().first())
    assert secret.startswith(stored.prefix)


def test_a_revoked_or_expired_token_is_refused(principal, school):
    token, secret = services.token_create(user=principal, owner=principal, name="Tạm")
    url = reverse("api:v1_school", args=[school.code])
    assert _client(secret).get(url).status_code == 200
    services.token_revoke(user=principal, token=token)
    assert _client(secret).get(url).status_code == 401
    token2, secret2 = services.token_create(
        user=principal,
        owner=principal,
        name="Ngắn hạn",
        expires_on=timezone.localdate() + dt.timedelta(days=1),
    )
    ApiToken.objects.filter(pk=token2.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    refused = _client(secret2).get(url)
    assert refused.status_code == 401 and "hết hạn" in refused.json()["detail"]
    assert _client("tc_khong-ton-tai").get(url).status_code == 401


def test_a_token_needs_a_name_and_a_future_expiry(principal):
    with pytest.raises(services.Rejected) as exc:
        services.token_create(
            user=principal, owner=principal, name=" ", expires_on=timezone.localdate()
        )
    assert set(exc.value.errors) == {"name", "expires_on"}


def test_nobody_creates_or_revokes_someone_elses_token(principal, commune_officer):
    with pytest.raises(services.NotAllowed):
        services.token_create(user=commune_officer, owner=principal, name="Mạo danh")
    token, _secret = services.token_create(user=principal, owner=principal, name="Của tôi")
    with pytest.raises(services.NotAllowed):
        services.token_revoke(user=commune_officer, token=token)


def test_each_token_has_its_own_rate_limit(principal, settings):
    settings.API_RATE = "2/minute"
    _t1, first = services.token_create(user=principal, owner=principal, name="Một")
    _t2, second = services.token_create(user=principal, owner=principal, name="Hai")
    url = reverse("api:v1_me")
    statuses = [_client(first).get(url).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert _client(second).get(url).status_code == 200


def test_the_province_officer_makes_a_system_account_scoped_to_a_commune(
    province_officer, commune, school, sibling_school, other_commune
):
    account = services.system_account_create(
        user=province_officer, unit=commune, name="Phần mềm đô thị thông minh", access="viewer"
    )
    assert Membership.objects.get(user=account.user).role == Role.VIEWER
    assert not account.user.has_usable_password()
    _token, secret = services.token_create(
        user=province_officer, owner=account.user, name="Đồng bộ"
    )
    codes = [r["code"] for r in _client(secret).get(reverse("api:v1_schools")).json()["results"]]
    assert codes == [school.code]
    # Reads only: a viewer seat has no write in the table.
    url = reverse("api:v1_school", args=[school.code])
    etag = _client(secret).get(url)["ETag"]
    assert (
        _client(secret).patch(url, {"phone": "1"}, format="json", HTTP_IF_MATCH=etag).status_code
        == 403
    )
    with pytest.raises(services.NotAllowed):
        services.system_account_create(
            user=province_officer, unit=other_commune, name="Ngoài tỉnh", access="viewer"
        )


def test_a_commune_officer_may_not_make_system_accounts(commune_officer, commune):
    with pytest.raises(services.NotAllowed):
        services.system_account_create(
            user=commune_officer, unit=commune, name="Hệ thống", access="officer"
        )


def test_the_tokens_page_shows_the_secret_once(client, principal):
    client.force_login(principal)
    page = client.get(reverse("api:tokens"))
    assert page.status_code == 200 and "Mã truy cập API" in page.content.decode()
    created = client.post(reverse("api:tokens"), {"name": "Thống kê", "expires_on": ""})
    assert created.status_code == 201
    secret = created.context["secret"]
    assert secret in created.content.decode()
    listed = client.get(reverse("api:tokens")).content.decode()
    assert "Thống kê" in listed and secret not in listed
    token = ApiToken.objects.get(name="Thống kê")
    assert token.history.first().history_user == principal
    revoked = client.post(reverse("api:token_revoke", args=[token.pk]))
    assert revoked.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    refused = client.post(reverse("api:tokens"), {"name": ""})
    assert refused.status_code == 400


def test_the_system_accounts_pages(client, province_officer, commune, viewer_of_province):
    client.force_login(province_officer)
    response = client.post(
        reverse("api:system_accounts"),
        {"name": "CSDL ngành", "unit": commune.uid, "access": "officer"},
    )
    assert response.status_code == 302
    account = SystemAccount.objects.get()
    assert Membership.objects.get(user=account.user).role == Role.COMMUNE_OFFICER
    page = client.post(
        reverse("api:system_account", args=[account.user.username]), {"name": "Đồng bộ"}
    )
    assert page.status_code == 201 and page.context["secret"].startswith("tc_")
    client.force_login(viewer_of_province)
    assert client.get(reverse("api:system_accounts")).status_code == 403
    url = reverse("api:system_account", args=[account.user.username])
    assert client.get(url).status_code == 403


@pytest.fixture
def viewer_of_province(make_user, province):
    return make_user(Role.VIEWER, unit=province, username="xem_laichau")
