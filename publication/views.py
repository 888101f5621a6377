"""The public pages (no login, cacheable, nothing of the visitor's session) and the page where
a principal or the managing officer marks a school's records public."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import get_school_or_404, has_perm
from schools.models import SchoolKind

from . import selectors, services
from .models import Publication, PublicationKind

# Public pages change when a decision is recorded or something is published: a few minutes in
# a shared cache costs nothing to a reader and spares the database.
PUBLIC_CACHE = cache_control(public=True, max_age=300)


@require_GET
@PUBLIC_CACHE
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "publication/index.html", {"provinces": selectors.provinces()})


@require_GET
@PUBLIC_CACHE
def province(request: HttpRequest, uid: str) -> HttpResponse:
    unit = selectors.public_province(uid)
    filters = selectors.ProvinceFilters.from_params(request.GET)
    today = timezone.localdate()
    page = selectors.standard_schools_page(unit, filters, today=today, page=request.GET.get("page"))
    query = urlencode({k: v for k, v in filters.__dict__.items() if v})
    return render(
        request,
        "publication/province.html",
        {
            "province": unit,
            "filters": filters,
            "page": page,
            "query": query,
            "kinds": SchoolKind.choices,
            "communes": selectors.communes(unit),
            "today": today,
        },
    )


@require_GET
@PUBLIC_CACHE
def school(request: HttpRequest, code: str) -> HttpResponse:
    data = selectors.school_page(selectors.public_school(code), today=timezone.localdate())
    pubs = data.publications
    return render(
        request,
        "publication/school.html",
        {
            "data": data,
            "school": data.school,
            "status": data.status,
            "self_assessment": pubs.get(PublicationKind.SELF_ASSESSMENT),
            "external": pubs.get(PublicationKind.EXTERNAL_EVALUATION),
            "plan": pubs.get(PublicationKind.IMPROVEMENT_PLAN),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, code: str) -> HttpResponse:
    school_obj = get_school_or_404(request.user, code=code)
    if not has_perm(request.user, "school.view", school_obj):
        raise PermissionDenied
    may_publish = has_perm(request.user, "publication.publish", school_obj)
    if request.method == "POST":
        if not may_publish:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "publish" and request.POST.get("kind") in PublicationKind.values:
                services.publication_publish(
                    user=request.user, school=school_obj, kind=request.POST["kind"]
                )
                messages.success(request, _("Đã công khai."))
            elif action == "withdraw" and request.POST.get("publication", "").isdigit():
                publication = Publication.objects.filter(
                    school=school_obj, pk=int(request.POST["publication"])
                ).first()
                if publication is None:
                    return HttpResponseBadRequest(_("Không tìm thấy nội dung công khai."))
                services.publication_withdraw(
                    user=request.user,
                    publication=publication,
                    reason=request.POST.get("reason", ""),
                )
                messages.success(request, _("Đã thôi công khai."))
            else:
                return HttpResponseBadRequest(_("Yêu cầu không hợp lệ."))
        except services.PublicationRefused as exc:
            return render(
                request,
                "publication/manage.html",
                _manage_context(school_obj, may_publish, error=str(exc)),
                status=400,
            )
        return redirect("publication:manage", code=school_obj.code)
    return render(request, "publication/manage.html", _manage_context(school_obj, may_publish))


def _manage_context(school_obj, may_publish: bool, error: str = "") -> dict:
    live = {
        p.kind: p for p in Publication.objects.filter(school=school_obj, withdrawn_at__isnull=True)
    }
    rows = [
        {"kind": value, "label": label, "live": live.get(value)}
        for value, label in PublicationKind.choices
    ]
    return {
        "school": school_obj,
        "rows": rows,
        "may_publish": may_publish,
        "error": error,
        "assessment": services.publishable_assessment(school_obj),
        "evaluation": services.publishable_evaluation(school_obj),
        "history": Publication.objects.filter(school=school_obj).select_related(
            "published_by", "withdrawn_by"
        )[:20],
    }
