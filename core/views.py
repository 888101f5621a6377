"""Pages of no domain: the health probe."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.health import health


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer and the monitoring: 200 when everything answers, 503 naming what
    is down. No login, no data: states, ages and a count."""
    result = health()
    return JsonResponse(result.as_json(), status=200 if result.ok else 503)
