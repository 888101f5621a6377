from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import has_perm

from . import kinds, selectors, services

PAGE_SIZE = 30


@login_required
@require_GET
def bell(request: HttpRequest) -> HttpResponse:
    """The navbar's bell (templates/base.html loads it with htmx): icon and unread count."""
    response = render(
        request, "notifications/_bell.html", {"unread": selectors.unread_count(user=request.user)}
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(
        selectors.notification_list(user=request.user, unread_only=unread_only), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "unread_only": unread_only,
            "unread_notifications": selectors.unread_count(user=request.user),
        },
    )


def _safe_next(request: HttpRequest, url: str) -> str:
    ok = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if url and ok else ""


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read; `open=1` then goes to what it is about."""
    notification = selectors.get_own_notification_or_404(user=request.user, pk=pk)
    services.notification_mark_read(user=request.user, notification=notification)
    if request.POST.get("open") == "1":
        target = _safe_next(request, notification.link)
        if target:
            return redirect(target)
    return redirect(_safe_next(request, request.POST.get("next", "")) or "notifications:list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    n = services.notifications_mark_all_read(user=request.user)
    if n:
        messages.success(request, _("Đã đánh dấu %(n)s thông báo là đã đọc.") % {"n": n})
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.preferences_save(
            user=request.user,
            choices={code: request.POST.get(f"kind-{code}", "") for code in kinds.KINDS},
        )
        messages.success(request, _("Đã lưu cách nhận thông báo."))
        return redirect("notifications:preferences")
    rows = selectors.preference_rows(user=request.user)
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(str(row.kind.group), []).append(row)
    return render(
        request,
        "notifications/preferences.html",
        {
            "groups": groups,
            "deliveries": [(d, kinds.DELIVERY_LABELS[d]) for d in kinds.DELIVERIES],
            "has_email": bool(request.user.email),
        },
    )


@login_required
@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    """The mails the demo's database backend kept (support only: `notification.outbox`)."""
    if not has_perm(request.user, "notification.outbox"):
        raise PermissionDenied
    page = Paginator(selectors.outbox(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/outbox.html", {"page": page})
