"""A small read-only JSON API over the same scoped selectors the pages use. Session
authentication (same login as the site); anonymous callers get 401, anything outside the
caller's scope is 404, exactly like the pages."""

from __future__ import annotations

from functools import wraps

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from rest_framework.exceptions import AuthenticationFailed

from accounts.models import Membership
from accounts.permissions import get_school_or_404
from api.authentication import ApiTokenAuthentication
from schools import selectors as school_selectors
from schools.models import School
from schools.selectors import SchoolFilters
from units import selectors as unit_selectors

PAGE_SIZE = 100


def api_login_required(view):
    """The session, or an API token (Authorization: Bearer …) like /api/v1/. The endpoints
    are exempt from CSRF: they only read (any other method is 405, not a CSRF 403), and a
    token client has no CSRF cookie to send."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            try:
                found = ApiTokenAuthentication().authenticate(request)
            except AuthenticationFailed as exc:
                return JsonResponse({"error": str(exc.detail)}, status=401)
            if found is not None:
                request.user = found[0]
        if not request.user.is_authenticated:
            return JsonResponse({"error": "Chưa đăng nhập."}, status=401)
        return view(request, *args, **kwargs)

    return wrapper


@api_login_required
@require_GET
def me(request):
    """Who the caller is and how many seats they hold: what a client checks after signing in,
    and the load benchmark's floor (one query besides the session)."""
    user = request.user
    return JsonResponse(
        {
            "username": user.get_username(),
            "name": user.get_full_name(),
            "seats": Membership.objects.filter(user=user).count(),
        }
    )


# What a school's JSON shows, as `values()` names: the list reads only these (no model
# instances for 50 schools and their units, issue 13 §8), the detail reads them off the school.
_SCHOOL_FIELDS = (
    "code",
    "name",
    "kind",
    "ownership",
    "special_type",
    "managing_body",
    "unit__uid",
    "unit__code",
    "unit__name",
    "unit__parent_id",
    "unit__parent__uid",
    "unit__parent__name",
    "founded_year",
    "standard_level",
    "is_illustrative",
)


def _follow(obj, path: str):
    for part in path.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, part)
    return obj


def school_json(school: School) -> dict:
    return _school_json({f: _follow(school, f) for f in _SCHOOL_FIELDS})


def _school_json(row: dict) -> dict:
    return {
        "code": row["code"],
        "name": row["name"],
        "kind": row["kind"],
        "ownership": row["ownership"],
        "special_type": row["special_type"],
        "managing_body": row["managing_body"],
        "unit": {"uid": row["unit__uid"], "code": row["unit__code"], "name": row["unit__name"]},
        "province": (
            {"uid": row["unit__parent__uid"], "name": row["unit__parent__name"]}
            if row["unit__parent_id"]
            else None
        ),
        "founded_year": row["founded_year"],
        "standard_level": row["standard_level"],
        "is_illustrative": row["is_illustrative"],
    }


@api_login_required
@require_GET
def school_list(request):
    filters = SchoolFilters.from_params(request.GET)
    page = Paginator(
        school_selectors.school_list(user=request.user, filters=filters).values(*_SCHOOL_FIELDS),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return JsonResponse(
        {
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "results": [_school_json(row) for row in page.object_list],
        }
    )


@api_login_required
@require_GET
def school_detail(request, code: str):
    school = get_school_or_404(request.user, code=code)
    data = school_json(school)
    data["sites"] = [{"name": s.name, "address": s.address} for s in school.sites.all()]
    data["locations"] = [
        {
            "unit": loc.unit.name,
            "uid": loc.unit.uid,
            "valid_from": loc.valid_from.isoformat() if loc.valid_from else None,
            "valid_to": loc.valid_to.isoformat() if loc.valid_to else None,
            "is_guess": loc.is_guess,
        }
        for loc in school.locations.select_related("unit")
    ]
    return JsonResponse(data)


@api_login_required
@require_GET
def unit_detail(request, uid: str):
    unit = unit_selectors.unit_get(user=request.user, uid=uid)
    return JsonResponse(
        {
            "uid": unit.uid,
            "code": unit.code,
            "name": unit.name,
            "division_type": unit.division_type,
            "parent": unit.parent.uid if unit.parent_id else None,
            "valid_from": unit.valid_from.isoformat() if unit.valid_from else None,
            "valid_to": unit.valid_to.isoformat() if unit.valid_to else None,
            "successors": [s.uid for s in unit.successors.all()],
            "successors_are_guess": unit.mapping_is_guess,
            "children": [
                {"uid": c.uid, "name": c.name, "school_count": c.school_count}
                for c in unit_selectors.unit_children(user=request.user, unit=unit)
            ],
        }
    )
