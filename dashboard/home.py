"""What the home page shows: a summary of the user's scope."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from accounts.models import Membership
from accounts.scope import scope_for
from core.text import format_percent
from schools.models import SchoolKind, StandardLevel


@dataclass
class KindRow:
    kind: str
    label: str
    counts: dict[int, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def standard(self) -> int:
        return self.counts.get(1, 0) + self.counts.get(2, 0)

    @property
    def rate(self) -> str:
        return format_percent(self.standard, self.total)


def home_summary(*, user) -> dict:
    scope = scope_for(user)
    schools = scope.schools()
    grouped = schools.values("kind", "standard_level").annotate(n=Count("pk"))
    rows = {k: KindRow(k, label) for k, label in SchoolKind.choices}
    for item in grouped:
        rows[item["kind"]].counts[item["standard_level"]] = item["n"]
    kind_rows = [r for r in rows.values() if r.total]
    total = KindRow("", "Tổng cộng")
    for r in kind_rows:
        for level, n in r.counts.items():
            total.counts[level] = total.counts.get(level, 0) + n
    memberships = Membership.objects.filter(user=user).select_related("unit", "school")
    own_schools = list(schools.filter(pk__in=scope.school_ids)) if scope.school_ids else []
    return {
        "scope": scope,
        "memberships": memberships,
        "kind_rows": kind_rows,
        "total_row": total,
        "levels": StandardLevel.choices,
        "own_schools": own_schools,
        "top_units": scope.top_units[:40],
    }
