"""Reads of the school data by school year: the table of the last N school years, with totals
computed from their parts (schools.yeardata)."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import Membership, Role
from schools import yeardata
from schools.models import School, SchoolYearData


@dataclass
class YearTable:
    schema: yeardata.Schema
    years: list[str]
    values: dict[str, dict[str, int | None]]  # year → row key → value (totals included)
    versions: dict[str, int]  # year → version (0 = no row yet)
    raw: dict[str, dict[str, int]]  # year → typed values only

    def cell(self, year: str, key: str) -> int | None:
        return self.values[year].get(key)

    def rows(self):
        """(section, row, [value per year]) in order, for templates and documents."""
        for section in self.schema.sections:
            for row in section.rows:
                yield section, row, [self.values[y].get(row.key) for y in self.years]

    @property
    def is_empty(self) -> bool:
        return not any(self.raw.values())

    def missing_years(self) -> list[str]:
        return [y for y in self.years if not self.raw.get(y)]


def year_table(*, school: School, latest: str, count: int) -> YearTable:
    """The school's data for the `count` school years ending with `latest`. The caller has
    already checked that the user may see the school (accounts.scope.get_school_or_404)."""
    schema = yeardata.schema_for(school.kind)
    years = yeardata.last_school_years(latest, count)
    rows = {
        r.school_year: r
        for r in SchoolYearData.objects.filter(school=school, school_year__in=years)
    }
    raw = {y: dict(rows[y].values) if y in rows else {} for y in years}
    return YearTable(
        schema=schema,
        years=years,
        values={y: schema.complete(raw[y]) for y in years},
        versions={y: rows[y].version if y in rows else 0 for y in years},
        raw=raw,
    )


# Who may type a school's figures (a permission question; the permission table takes it over).
EDITOR_ROLES = (Role.PRINCIPAL, Role.STAFF)


def can_edit_year_data(user, school: School) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(user=user, school=school, role__in=EDITOR_ROLES).exists()
