from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import get_school_or_404, has_perm
from core import audit, concurrency
from core.page_cache import kept_page
from schools import list_table, selectors, services
from schools.forms import SchoolForm, SiteFormSet
from schools.models import School, SchoolKind, SchoolLocation, SchoolSite, StandardLevel
from schools.selectors import SchoolFilters

PAGE_SIZE = 50


@login_required
@require_GET
@kept_page
def school_list(request):
    filters = SchoolFilters.from_params(request.GET)
    schools = selectors.school_list(user=request.user, filters=filters)
    page = Paginator(schools, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        # 50 rows: built in Python, see schools.list_table.
        "rows_html": list_table.render_rows(page.object_list),
        "filters": filters,
        # Encoded once here: kinds such as "TH&THCS" and searches with & # + % must survive
        # in the pagination and export links.
        "query_string": urlencode(filters.as_params()),
        "kinds": SchoolKind.choices,
        "statuses": StandardLevel.choices,
        "provinces": selectors.filter_provinces(user=request.user),
        "communes": selectors.filter_communes(user=request.user, province_uid=filters.province),
        "can_import": has_perm(request.user, "school.import"),
        "can_create": has_perm(request.user, "school.create"),
    }
    template = "schools/_results.html" if request.htmx else "schools/list.html"
    return render(request, template, context)


@login_required
@require_GET
def school_detail(request, code: str):
    school = get_school_or_404(request.user, code=code)
    context = {
        "school": school,
        "ancestors": school.unit.ancestors(),
        "sites": school.sites.all(),
        "locations": school.locations.select_related("unit", "unit__parent"),
        # Officers of the unit edit everything, the principal the school's own fields; staff,
        # reviewers and viewers get no "Sửa" button (and a 404 on the form).
        "can_edit": bool(services.editable_fields(user=request.user, school=school)),
        "history_rows": audit.history_rows(
            school,
            related=[
                (SchoolSite, {"school_id": school.pk}),
                (SchoolLocation, {"school_id": school.pk}),
            ],
        ),
    }
    return render(request, "schools/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def school_create(request):
    if not has_perm(request.user, "school.create"):
        raise Http404
    form = SchoolForm(request.POST or None, units=selectors.editable_communes(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            school = services.school_create(user=request.user, data=form.cleaned_data)
        except services.NotAllowed as exc:
            form.add_error("unit", str(exc))
        else:
            messages.success(request, _("Đã thêm trường %(name)s.") % {"name": school.name})
            return redirect("schools:detail", code=school.code)
    return render(request, "schools/form.html", {"form": form, "school": None})


SITES_PREFIX = "sites"


def _site_inputs(formset) -> list[services.SiteInput]:
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or (form.instance.pk is None and not form.has_changed()):
            continue  # the empty extra row
        rows.append(
            services.SiteInput(
                id=form.instance.pk,
                name=data.get("name", ""),
                address=data.get("address", ""),
                is_main=bool(data.get("is_main")),
                delete=bool(data.get("DELETE")),
            )
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def school_edit(request, code: str):
    school = get_school_or_404(request.user, code=code)
    editable = services.editable_fields(user=request.user, school=school)
    if not editable:
        raise PermissionDenied  # the school is in scope (404 above otherwise)
    units = selectors.editable_communes(user=request.user) if "unit" in editable else None
    data = request.POST if request.method == "POST" else None
    form = SchoolForm(data, instance=school, units=units, editable=editable)
    # Sites are optional in a POST (a client may send the school's fields only).
    with_sites = data is None or f"{SITES_PREFIX}-TOTAL_FORMS" in data
    sites = SiteFormSet(data if with_sites else None, instance=school, prefix=SITES_PREFIX)
    conflict = None
    if data is not None and form.is_valid() and (not with_sites or sites.is_valid()):
        try:
            services.school_update(
                user=request.user,
                school=School.objects.get(pk=school.pk),
                data=form.cleaned_data,
                version=form.cleaned_data["version"],
                sites=_site_inputs(sites) if with_sites else None,
            )
        except services.EditConflict as exc:
            # The typed values stay in the form, the saved ones are listed beside them.
            conflict = concurrency.conflict_for(
                form, School.objects.get(pk=school.pk), message=str(exc)
            )
        except (services.NotAllowed, services.InvalidSites) as exc:
            # The typed values stay in the form; the user decides what to keep.
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lưu thông tin trường."))
            return redirect("schools:detail", code=school.code)
    context = {"form": form, "school": school, "sites": sites, "conflict": conflict}
    status = concurrency.CONFLICT_STATUS if conflict else 200
    return render(request, "schools/form.html", context, status=status)
