"""`Authorization: Bearer <secret>` (or `Token <secret>`): the caller is the token's user,
scoped by the permission table like a session of that user."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from api.models import ApiToken, hash_secret

KEYWORDS = ("bearer", "token")
# last_used_at is written at most this often per token: not one write per request.
TOUCH_EVERY = dt.timedelta(minutes=1)


def token_for_secret(secret: str) -> ApiToken | None:
    now = timezone.now()
    return (
        ApiToken.objects.filter(key_hash=hash_secret(secret), revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .select_related("user")
        .first()
    )


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].decode(errors="replace").lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Tiêu đề Authorization phải có dạng «Bearer <mã>»."))
        token = token_for_secret(parts[1].decode(errors="replace"))
        if token is None or not token.user.is_active:
            raise AuthenticationFailed(_("Mã truy cập không đúng, đã hết hạn hoặc đã bị thu hồi."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request) -> str:
        # A WWW-Authenticate header makes DRF answer 401 (not 403) to an anonymous caller.
        return 'Bearer realm="api"'
