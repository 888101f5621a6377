"""Pages of no domain: the health probe; the page of a refused form (CSRF failure)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
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


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """settings.CSRF_FAILURE_VIEW: a form sent from a page opened too long ago (or after a
    login elsewhere) says so in Vietnamese, in the app's layout; `reason` is for developers."""
    return render(request, "403_csrf.html", status=403)
