"""Writes of the school data by school year (Phần I of the self-assessment report).

The whole table (several school years) is saved at once, all or nothing: every cell is
validated first, and every year is written only if nobody saved it since the form was opened
(its `version`). The school's own principal and staff fill it; the managing units read it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F

from accounts.permissions import has_perm
from core import audit, concurrency
from schools import yeardata
from schools.models import School, SchoolYearData


class YearDataNotAllowed(Exception):
    pass


class YearDataConflict(concurrency.EditConflict):
    """Someone saved one of the years after this user opened the form; nothing was written."""

    def __init__(self, years: list[str]):
        super().__init__(", ".join(years))
        self.years = years


class YearDataInvalid(Exception):
    def __init__(self, errors: list[yeardata.CellError]):
        super().__init__(f"{len(errors)} lỗi")
        self.errors = errors


@dataclass(frozen=True)
class YearInput:
    raw: Mapping[str, object]  # typed cells of the year, by row key
    version: int  # 0 = the year had no row when the form was opened


@transaction.atomic
def school_year_data_save(
    *, user, school: School, years: Mapping[str, YearInput]
) -> list[SchoolYearData]:
    if not has_perm(user, "yeardata.edit", school):
        raise YearDataNotAllowed("Chỉ hiệu trưởng và cán bộ của trường được nhập số liệu.")
    schema = yeardata.schema_for(school.kind)
    cleaned: dict[str, dict[str, int]] = {}
    errors: list[yeardata.CellError] = []
    for year, given in years.items():
        yeardata.parse_school_year(year)
        values, year_errors = yeardata.clean_year(schema, year, given.raw)
        cleaned[year] = values
        errors.extend(year_errors)
    if errors:
        raise YearDataInvalid(errors)
    existing = {
        row.school_year: row
        for row in SchoolYearData.objects.select_for_update().filter(
            school=school, school_year__in=list(years)
        )
    }
    stale = [
        year
        for year, given in years.items()
        if (existing[year].version if year in existing else 0) != given.version
    ]
    if stale:
        raise YearDataConflict(sorted(stale))
    saved = []
    for year, values in cleaned.items():
        row = existing.get(year)
        if row is None:
            if not values:
                continue  # an empty year that never existed stays absent
            try:
                with transaction.atomic():
                    row = SchoolYearData.objects.create(
                        school=school, school_year=year, values=values, updated_by=user
                    )
            except IntegrityError as exc:  # created by someone else a moment ago
                raise YearDataConflict([year]) from exc
        elif row.values != values:
            SchoolYearData.objects.filter(pk=row.pk).update(
                values=values, version=F("version") + 1, updated_by=user
            )
            audit.record_update(row, user=user)  # audit: update() bypasses save()
        saved.append(row)
    return saved
