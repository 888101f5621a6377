"""Import spec of the school data by school year (Phần I figures) on the core.imports pipeline:
one row per school and school year, one column per typed row of the school kind's table
(schools.yeardata.schema_for). Totals are computed from their parts, so they are not columns
(a total column in the file is ignored). A row replaces that year's figures, as saving the
page's form does; blank cells stay empty. Checked with the form's rules (whole numbers, parts
not above their whole), written all or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import has_perm, scope_for
from core import audit
from core.imports import (
    CellError,
    CheckedRow,
    Column,
    ImportPlan,
    ImportResult,
    ImportSpec,
    RawRow,
    RowError,
    cell_text,
    duplicates,
    text,
)
from core.text import format_int
from schools import yeardata
from schools.models import School, SchoolYearData

DATA_SHEET = "Số liệu theo năm học"


def _school_year(value: Any) -> str:
    typed = cell_text(value)
    try:
        start = yeardata.parse_school_year(typed)
    except ValueError as exc:
        raise CellError(
            _("«%(v)s» không đúng dạng YYYY-YYYY (ví dụ 2024-2025).") % {"v": typed}
        ) from exc
    return yeardata.school_year(start)


def _figure(value: Any) -> int | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        return yeardata.clean_value(value)
    except ValueError as exc:
        raise CellError(str(exc) + ".") from exc


FIXED_COLUMNS: tuple[Column, ...] = (
    Column(
        "school_code",
        "Mã trường",
        True,
        "Mã của trường như trong danh sách trường.",
        18,
        "(mã của trường)",
        parse=text(32),
        as_text=True,
    ),
    Column(
        "school_year",
        "Năm học",
        True,
        "Dạng YYYY-YYYY, ví dụ 2024-2025. Mỗi năm học một dòng.",
        12,
        "2024-2025",
        parse=_school_year,
        as_text=True,
    ),
)


def figure_headers(schema: yeardata.Schema) -> dict[str, str]:
    """Row key → column header. A part of a total is named with its total ("Số lớp — Khối 1",
    "Tổng số học sinh — Khối 1") so that the header is unique in the table."""
    parent = {k: row for row in schema.rows if row.is_total for k in row.sum_of}
    out = {}
    for key in schema.input_keys:
        row = schema.row(key)
        out[key] = f"{parent[key].label} — {row.label}" if key in parent else row.label
    assert len(set(out.values())) == len(out), "figure headers must be unique"
    return out


@cache
def columns_for_kind(kind: str) -> tuple[Column, ...]:
    schema = yeardata.schema_for(kind)
    headers = figure_headers(schema)
    return FIXED_COLUMNS + tuple(
        Column(
            key,
            headers[key],
            False,
            f"Số nguyên không âm ({schema.row(key).unit or 'số'}); để trống nếu chưa có.",
            14,
            None,
            parse=_figure,
        )
        for key in schema.input_keys
    )


@dataclass
class YearRow(CheckedRow):
    school: School | None = None


@dataclass
class _Lookups:
    schema: yeardata.Schema
    schools: dict[str, School]  # codes in the file whose figures the user may write
    existing: dict[tuple[int, str], SchoolYearData]


class YearDataImportSpec(ImportSpec):
    forbidden = PermissionDenied  # the object's page is visible: inside the scope, 403
    key = "year_data_import"
    title = gettext_lazy("Nhập số liệu theo năm học từ Excel")
    data_sheet = DATA_SHEET
    columns = FIXED_COLUMNS
    key_column = "school_code"
    template_filename = "mau-nhap-so-lieu-nam-hoc.xlsx"
    row_class = YearRow
    notes = (
        "Mỗi dòng là số liệu của một trường trong một năm học; dòng đó thay toàn bộ số liệu "
        "năm học ấy (ô trống là chưa có số liệu).",
        "Dòng tổng (tổng số lớp, tổng số học sinh, tổng số phòng học, tổng số cán bộ…) được "
        "tính từ các dòng thành phần nên không có cột; nếu tệp có cột tổng, cột đó bị bỏ qua.",
        "Các cột theo cấp học của trường: hãy dùng tệp mẫu tải về từ trang của trường.",
    )
    preview_columns = (
        (gettext_lazy("Mã trường"), lambda r: r.data.get("school_code")),
        (gettext_lazy("Năm học"), lambda r: r.data.get("school_year")),
        (
            gettext_lazy("Số ô có số liệu"),
            lambda r: sum(1 for v in r.data.get("values", {}).values() if v is not None),
        ),
    )

    def can_import(self, user, context: School) -> bool:
        return has_perm(user, "yeardata.edit", context)

    def columns_for(self, context: School) -> tuple[Column, ...]:
        return columns_for_kind(context.kind)

    def lookups(self, *, user, context: School, rows: list[RawRow], lock: bool) -> _Lookups:
        schema = yeardata.schema_for(context.kind)
        codes = {cell_text(r.values.get("school_code")) for r in rows} - {""}
        schools = {
            s.code: s
            for s in scope_for(user).schools().filter(code__in=codes)
            if has_perm(user, "yeardata.edit", s)
        }
        existing = SchoolYearData.objects.filter(school__in=list(schools.values()))
        if lock:
            existing = existing.select_for_update()
        return _Lookups(
            schema=schema,
            schools=schools,
            existing={(d.school_id, d.school_year): d for d in existing},
        )

    def check_row(self, row: YearRow, lk: _Lookups) -> None:
        code, year = row.data["school_code"], row.data["school_year"]
        school = lk.schools.get(code)
        if school is None:
            # Unknown and out-of-scope read the same, so codes elsewhere cannot be probed.
            row.errors.append(
                RowError(
                    row.number,
                    "Mã trường",
                    _("không có trường mã «%(code)s» trong phạm vi bạn được nhập số liệu.")
                    % {"code": code},
                )
            )
            return
        if yeardata.schema_for(school.kind).input_keys != lk.schema.input_keys:
            row.errors.append(
                RowError(
                    row.number,
                    "Mã trường",
                    _(
                        "trường «%(code)s» (cấp học %(kind)s) có bảng số liệu khác: hãy dùng "
                        "tệp mẫu tải từ trang của trường đó."
                    )
                    % {"code": code, "kind": school.kind},
                )
            )
            return
        row.school = school
        values = {k: row.data[k] for k in lk.schema.input_keys if row.data.get(k) is not None}
        headers = figure_headers(lk.schema)
        for e in yeardata.consistency_errors(lk.schema, year, values):
            row.errors.append(RowError(row.number, headers[e.key], e.message + "."))
        row.data["values"] = values
        existing = lk.existing.get((school.pk, year))
        row.obj = existing
        if existing is None:
            row.action = "new" if values else "same"
        else:
            row.action = "same" if existing.values == values else "update"

    def check_rows(self, rows: list[CheckedRow], lk: _Lookups) -> None:
        duplicates(
            rows,
            ("school_code", "school_year"),
            "Năm học",
            _("trùng với dòng %(row)s (cùng trường và năm học)."),
        )

    def write(self, *, user, context, plan: ImportPlan) -> ImportResult:
        return school_year_data_import_write(user=user, rows=plan.rows)

    def page_context(self, request, context: School) -> dict[str, Any]:
        return {
            "breadcrumbs": [
                (_("Trường học"), reverse("schools:list")),
                (context.name, reverse("schools:detail", kwargs={"code": context.code})),
                (_("Số liệu theo năm học"), reverse("schools:year_data", args=[context.code])),
            ]
        }

    def filename(self, context: School) -> str:
        return f"mau-so-lieu-nam-hoc-{context.code}.xlsx"

    def success_message(self, result: ImportResult, name: str) -> str:
        return _(
            "Đã nhập tệp «%(name)s»: %(new)s năm học mới, %(upd)s năm học cập nhật, "
            "%(same)s năm học không thay đổi."
        ) % {
            "name": name,
            "new": format_int(result.created),
            "upd": format_int(result.updated),
            "same": format_int(result.unchanged),
        }

    def done_url(self, context: School) -> str:
        return reverse("schools:year_data", args=[context.code])


def school_year_data_import_write(*, user, rows: list[CheckedRow]) -> ImportResult:
    """Write checked rows in the caller's transaction (ImportSpec.run): new years in one
    bulk_create; changed years get the new figures and a new version (so a form opened
    before the import refuses to overwrite them)."""
    new = [
        SchoolYearData(
            school=r.school,
            school_year=r.data["school_year"],
            values=r.data["values"],
            updated_by=user,
        )
        for r in rows
        if r.action == "new"
    ]
    SchoolYearData.objects.bulk_create(new)
    audit.bulk_history(new, user=user, reason=_("Nhập từ Excel"))  # audit: bulk write
    updated = 0
    for r in rows:
        if r.action == "update":
            SchoolYearData.objects.filter(pk=r.obj.pk).update(
                values=r.data["values"], version=F("version") + 1, updated_by=user
            )
            audit.record_update(r.obj, user=user, reason=_("Nhập từ Excel"))  # audit: update()
            updated += 1
    return ImportResult(
        created=len(new),
        updated=updated,
        unchanged=sum(1 for r in rows if r.action == "same"),
    )


SPEC = YearDataImportSpec()
