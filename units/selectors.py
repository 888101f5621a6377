"""Reads of administrative units, scoped to the user. Retired units (districts, pre-2025
provinces) have no place in today's tree, so they are visible through their successors or
through the schools that once sat in them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.permissions import scope_for
from core.text import fold, format_date_short, nfc
from units.legacy_map import bare_name, name_key
from units.models import AdminUnit


def unit_list(*, user, q: str = "", include_retired: bool = False) -> QuerySet[AdminUnit]:
    scope = scope_for(user)
    units = scope.units()
    if include_retired:
        units = units | retired_units_visible(user=user)
    else:
        units = units.filter(valid_to__isnull=True)
    for word in fold(q).split():
        units = units.filter(search_text__contains=word)
    return units.select_related("parent").order_by("depth", "sort_key")


def retired_units_visible(*, user) -> QuerySet[AdminUnit]:
    scope = scope_for(user)
    retired = AdminUnit.objects.retired()
    if scope.is_all:
        return retired
    visible_current = scope.units().values("pk")
    school_ids = scope.schools().values("pk")
    # Read through the units' side of SchoolLocation (AdminUnit.historical_schools): the
    # registry sits above the units.
    located = AdminUnit.objects.filter(historical_schools__school__in=school_ids).values_list(
        "path", flat=True
    )
    q = Q(successors__in=visible_current)
    for path in set(located):
        # The unit a school sat in and every retired ancestor of it (its old district).
        q |= Q(pk__in=AdminUnit.objects.filter(path__in=_prefixes(path)).values("pk"))
    return AdminUnit.objects.filter(pk__in=retired.filter(q).values("pk"))


def _prefixes(path: str) -> list[str]:
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def unit_get(*, user, uid: str) -> AdminUnit:
    unit = AdminUnit.objects.filter(uid=uid).select_related("parent").first()
    if unit is None:
        raise Http404("Không tìm thấy đơn vị.")
    scope = scope_for(user)
    if scope.can_see_unit(unit):
        return unit
    if not unit.is_current and retired_units_visible(user=user).filter(pk=unit.pk).exists():
        return unit
    raise Http404("Không tìm thấy đơn vị trong phạm vi của bạn.")


def unit_children(*, user, unit: AdminUnit) -> list[AdminUnit]:
    """Child units with the number of schools the user can see in each."""
    scope = scope_for(user)
    children = AdminUnit.objects.filter(parent=unit)
    if not scope.is_all and not scope.can_see_unit(unit):
        children = children.filter(pk__in=scope.units().values("pk"))
    if unit.is_current:
        visible = scope.school_filter(prefix="schools__")
        return list(children.annotate(school_count=Count("schools", filter=visible)))
    # A retired unit's children held schools only in the past: count their recorded locations.
    visible = scope.school_filter(prefix="historical_schools__school__")
    return list(
        children.annotate(
            school_count=Count("historical_schools__school", filter=visible, distinct=True)
        )
    )


# --- Old names and codes → today's map ----------------------------------------------------------

_CODE = re.compile(r"^(?:[A-Za-z]{1,2}\d[\w-]*|\d{2,5})$")
_SHOWN_CANDIDATES = 8


class UnitNotResolved(ValueError):
    """No unit answers to the text; the message is Vietnamese, for the person who typed it."""


class UnitAmbiguous(UnitNotResolved):
    """Several units answer to the text; `candidates` are the units, best first."""

    def __init__(self, message: str, candidates: list[AdminUnit]):
        super().__init__(message)
        self.candidates = candidates


@dataclass(frozen=True)
class Resolution:
    """The unit a text names (old or current) and the units of today's map it leads to."""

    unit: AdminUnit
    today: tuple[AdminUnit, ...]
    changed_on: dt.date | None  # the day the named unit ceased; None when it is current
    is_guess: bool  # some link on the way is an unchecked guess

    @property
    def single(self) -> AdminUnit | None:
        return self.today[0] if len(self.today) == 1 else None

    @property
    def province(self) -> AdminUnit | None:
        """Today's province of every unit it leads to, when they share one."""
        roots = {u.path.strip("/").split("/")[0] for u in self.today}
        if len(roots) != 1:
            return None
        return AdminUnit.objects.filter(uid=roots.pop()).first()

    def describe(self) -> str:
        names = ", ".join(_with_parent(u) for u in self.today)
        if self.changed_on is None:
            return _with_parent(self.unit)
        text = _("%(unit)s không còn từ ngày %(day)s; nay thuộc: %(today)s.") % {
            "unit": _with_parent(self.unit),
            "day": format_date_short(self.changed_on),
            "today": names,
        }
        if self.is_guess:
            text += " " + _("(ánh xạ ước đoán, cần xác minh)")
        return text


def _with_parent(unit: AdminUnit) -> str:
    return f"{unit.name} ({unit.parent.name})" if unit.parent_id else unit.name


def _valid_on(unit: AdminUnit, on: dt.date) -> bool:
    return (unit.valid_from is None or unit.valid_from <= on) and (
        unit.valid_to is None or on < unit.valid_to
    )


def _today_of(unit: AdminUnit) -> tuple[tuple[AdminUnit, ...], bool]:
    """Today's units a unit leads to through its successors (itself when current)."""
    found: dict[str, AdminUnit] = {}
    guess = False
    seen: set[int] = set()
    level = [unit]
    while level:
        nxt: list[AdminUnit] = []
        for u in level:
            if u.pk in seen:
                continue
            seen.add(u.pk)
            if u.is_current:
                found.setdefault(u.uid, u)
                continue
            guess = guess or u.mapping_is_guess
            nxt.extend(u.successors.select_related("parent"))
        level = nxt
    return tuple(sorted(found.values(), key=lambda u: u.sort_key)), guess


def resolve_unit(text_or_code: str, *, on: dt.date | None = None) -> Resolution:
    """An old or current unit named by its code, uid or name, with today's units it leads to.

    Not scoped: callers check what the user may do with the answer. A name may carry its
    parents after commas ("Huyện Phong Thổ, tỉnh Lai Châu"; accents and the kind are
    optional: "phong tho, lai chau"). `on` is the day the record speaks of: among units with
    the same code or name, the one valid then. Raises UnitNotResolved, or UnitAmbiguous with
    the candidates listed in the message."""
    text = nfc(text_or_code)
    if not text:
        raise UnitNotResolved(_("Chưa ghi tên hoặc mã đơn vị hành chính."))
    if _CODE.match(text):
        candidates = _by_code(text)
    else:
        candidates = _by_name(text)
    if not candidates:
        raise UnitNotResolved(
            _("Không tìm thấy đơn vị hành chính «%(v)s» (tên hoặc mã, cũ hay hiện hành).")
            % {"v": text}
        )
    if on is not None:
        dated = [u for u in candidates if _valid_on(u, on)]
        candidates = dated or candidates
    resolved = {u.pk: _today_of(u) for u in candidates}
    if len(candidates) > 1:
        # Names that all lead to one place are one answer: old Xã Dào San and today's Xã Dào
        # San; "Phong Thổ" with no day given is today's Xã Phong Thổ, which the old district
        # and the old township both lead into. A namesake elsewhere keeps it ambiguous.
        outcomes = {tuple(t.pk for t in resolved[u.pk][0]) for u in candidates}
        current = [u for u in candidates if u.is_current]
        if len(outcomes) == 1:
            candidates = current[:1] or candidates[:1]
        elif on is None and len(current) == 1:
            if all(current[0] in resolved[u.pk][0] for u in candidates):
                candidates = current
    if len(candidates) > 1:
        raise UnitAmbiguous(_ambiguous_message(text, candidates), candidates)
    unit = candidates[0]
    today, guess = resolved[unit.pk]
    return Resolution(unit=unit, today=today, changed_on=unit.valid_to, is_guess=guess)


def _by_code(text: str) -> list[AdminUnit]:
    units = AdminUnit.objects.select_related("parent")
    by_uid = units.filter(uid=text.upper()).first()
    if by_uid is not None:
        return [by_uid]
    if not text.isdigit():
        return []
    # Excel drops leading zeros: 3549 is commune 03549, 1 is province 01.
    codes = {text, text.zfill(2), text.zfill(3), text.zfill(5)}
    return list(units.filter(code__in=codes).order_by("valid_to", "depth"))


def _by_name(text: str) -> list[AdminUnit]:
    first, *context = [p.strip() for p in re.split(r"[,;]", text) if p.strip()]
    typed = fold(first)
    bare = bare_name(first)
    exact_kind = typed != bare  # "Huyện Phong Thổ" names its kind; "Phong Thổ" does not
    pool = AdminUnit.objects.filter(search_text__contains=bare).select_related("parent")
    candidates = []
    for u in pool:
        names = [u.name, *u.aliases]
        if exact_kind and any(fold(n) == typed for n in names):
            candidates.append(u)
        elif not exact_kind and any(bare_name(n) == bare for n in names):
            candidates.append(u)
    # Typed with its accents, a name is not its accent-free namesakes (Hải Dương, Hải Đường).
    accented = [
        u for u in candidates if _accented_bare(first) in map(_accented_bare, [u.name, *u.aliases])
    ]
    if fold(first) != first.lower() and accented:
        candidates = accented
    if not context or not candidates:
        return sorted(candidates, key=lambda u: (u.valid_to is not None, u.depth, u.sort_key))
    # Each context part must name an ancestor of the unit, then or now.
    wanted = [bare_name(c) for c in context]
    ancestor_uids = {uid for u in candidates for uid in u.path.strip("/").split("/")[:-1]}
    names_by_uid = dict(AdminUnit.objects.filter(uid__in=ancestor_uids).values_list("uid", "name"))
    kept = []
    for u in candidates:
        around = {bare_name(names_by_uid.get(uid, "")) for uid in u.path.strip("/").split("/")[:-1]}
        if not all(w in around for w in wanted):
            today, _guess = _today_of(u)
            around |= {bare_name(t.parent.name) for t in today if t.parent_id}
        if all(w in around for w in wanted):
            kept.append(u)
    return sorted(kept, key=lambda u: (u.valid_to is not None, u.depth, u.sort_key))


_ACCENTED_KIND = re.compile(r"^(thành phố|tỉnh|quận|huyện|thị xã|xã|phường|thị trấn|đặc khu) ")


def _accented_bare(name: str) -> str:
    return _ACCENTED_KIND.sub("", name_key(name))


def _ambiguous_message(text: str, candidates: list[AdminUnit]) -> str:
    shown = []
    for u in candidates[:_SHOWN_CANDIDATES]:
        label = f"{u.name} — {u.uid}"
        parents = [a.name for a in u.ancestors()]
        if parents:
            label = f"{u.name} ({', '.join(reversed(parents))}) — {u.uid}"
        if u.valid_to:
            label += " " + _("(đến %(d)s)") % {"d": format_date_short(u.valid_to)}
        shown.append(label)
    more = len(candidates) - len(shown)
    listing = "; ".join(shown) + (
        "; " + _("và %(n)s đơn vị khác") % {"n": more} if more > 0 else ""
    )
    return _(
        "«%(v)s» ứng với nhiều đơn vị hành chính: %(list)s. Hãy ghi thêm huyện, tỉnh "
        "(ví dụ «Xã Tân Phong, huyện Ninh Giang, tỉnh Hải Dương») hoặc ghi mã đơn vị."
    ) % {"v": text, "list": listing}
