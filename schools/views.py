from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.scope import get_school_or_404, scope_for
from schools import selectors
from schools.models import SchoolKind, StandardLevel
from schools.selectors import SchoolFilters

PAGE_SIZE = 50


@login_required
def school_list(request):
    filters = SchoolFilters.from_params(request.GET)
    schools = selectors.school_list(user=request.user, filters=filters)
    page = Paginator(schools, PAGE_SIZE).get_page(request.GET.get("page"))
    scope = scope_for(request.user)
    context = {
        "page": page,
        "filters": filters,
        "query_string": "&".join(f"{k}={v}" for k, v in filters.as_params().items()),
        "kinds": SchoolKind.choices,
        "statuses": StandardLevel.choices,
        "provinces": selectors.filter_provinces(user=request.user),
        "communes": selectors.filter_communes(user=request.user, province_uid=filters.province),
        "can_import": bool(scope.is_all or scope.edit_unit_paths),
    }
    template = "schools/_results.html" if request.htmx else "schools/list.html"
    return render(request, template, context)


@login_required
def school_detail(request, code: str):
    school = get_school_or_404(request.user, code=code)
    context = {
        "school": school,
        "ancestors": school.unit.ancestors(),
        "sites": school.sites.all(),
        "locations": school.locations.select_related("unit", "unit__parent"),
        "can_edit": scope_for(request.user).can_edit_school(school),
    }
    return render(request, "schools/detail.html", context)
