"""The unit pages (list and detail). They live with the registry, above the units, because a
unit's page lists the schools located in it on a day (schools.selectors)."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from schools.selectors import schools_located_at
from units import selectors
from units.services import REFORM_DATE


@login_required
@require_GET
def unit_list(request):
    q = request.GET.get("q", "").strip()
    include_retired = request.GET.get("retired") == "1"
    units = selectors.unit_list(user=request.user, q=q, include_retired=include_retired)[:500]
    return render(
        request,
        "units/list.html",
        {"units": units, "q": q, "include_retired": include_retired, "resolved": _explain(q)},
    )


def _explain(q: str) -> str:
    """What an old name or code typed in the search box is today (the map itself is public
    reference data; the list below stays scoped)."""
    if len(q) < 3:
        return ""
    try:
        resolution = selectors.resolve_unit(q)
    except selectors.UnitNotResolved as exc:
        return str(exc) if isinstance(exc, selectors.UnitAmbiguous) else ""
    return resolution.describe() if resolution.changed_on else ""


@login_required
@require_GET
def unit_detail(request, uid: str):
    unit = selectors.unit_get(user=request.user, uid=uid)
    on = _parse_date(request.GET.get("on")) or (
        unit.valid_to - dt.timedelta(days=1) if unit.valid_to else dt.date.today()
    )
    context = {
        "unit": unit,
        "ancestors": unit.ancestors(),
        "children": selectors.unit_children(user=request.user, unit=unit),
        "successors": unit.successors.select_related("parent").order_by("depth", "sort_key"),
        "predecessors": unit.predecessors.select_related("parent").order_by("depth", "sort_key"),
        "on": on,
        # Most retired units ended with the two-tier reform; the 2019 commune merges did not.
        "ended_by_reform": unit.valid_to == REFORM_DATE,
        "schools": schools_located_at(user=request.user, unit=unit, on=on)[:1000],
    }
    return render(request, "units/detail.html", context)


def _parse_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
