"""Import spec of a plan's school targets (core.imports pipeline): one row per school, year and
target (`PlanSchoolTarget`), checked like the plan page's "add a target" form (the school in the
user's scope, the year inside the plan's period), written all or nothing. A row equal to a
target already in the plan is "unchanged"; a different note updates it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import has_perm, scope_for
from core import audit
from core.imports import (
    CheckedRow,
    Column,
    ImportPlan,
    ImportResult,
    ImportSpec,
    RawRow,
    RowError,
    Sheet,
    cell_text,
    choice,
    duplicates,
    integer,
    text,
)
from core.text import format_int
from programme.models import PlanSchoolTarget, ProgrammePlan, TargetKind
from schools.models import School

DATA_SHEET = "Chỉ tiêu của trường"
SCHOOL_SHEET = "Mã trường"
YEAR_MIN, YEAR_MAX = 2000, 2100

COLUMNS: tuple[Column, ...] = (
    Column(
        "school_code",
        "Mã trường",
        True,
        "Mã trường như trong danh sách trường (xem trang «Mã trường»).",
        20,
        "(mã ở trang «Mã trường»)",
        parse=text(32),
        as_text=True,
    ),
    Column(
        "year",
        "Năm",
        False,
        "Năm trong giai đoạn của kế hoạch, ví dụ 2026. Để trống: cả giai đoạn.",
        10,
        dt.date.today().year,
        parse=integer(YEAR_MIN, YEAR_MAX),
    ),
    Column(
        "target",
        "Chỉ tiêu",
        True,
        "Một trong các chỉ tiêu ở bảng dưới (ghi tên hoặc mã).",
        36,
        str(TargetKind.NEW_1.label),
        parse=choice(TargetKind.choices),
    ),
    Column("note", "Ghi chú", False, "Tối đa 300 ký tự.", 40, "", parse=text(300)),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}


@dataclass
class TargetRow(CheckedRow):
    school: School | None = None


@dataclass
class _Lookups:
    plan: ProgrammePlan
    schools: dict[str, School]  # the file's codes the user may set targets for
    existing: dict[tuple[int, int | None, str], PlanSchoolTarget]


class PlanTargetImportSpec(ImportSpec):
    forbidden = PermissionDenied  # the object's page is visible: inside the scope, 403
    key = "plan_target_import"
    title = gettext_lazy("Nhập chỉ tiêu của trường từ Excel")
    data_sheet = DATA_SHEET
    columns = COLUMNS
    key_column = "school_code"
    require_all_columns = False
    template_filename = "mau-nhap-chi-tieu-truong.xlsx"
    notes = (
        "Mỗi dòng một chỉ tiêu của một trường trong một năm của kế hoạch. Chỉ tiêu đã có "
        "(cùng trường, năm, chỉ tiêu) thì giữ nguyên, ghi chú khác thì cập nhật ghi chú.",
        "Chỉ giao được chỉ tiêu cho các trường trong phạm vi của bạn (xem trang «Mã trường»).",
    )
    row_class = TargetRow
    preview_columns = (
        (gettext_lazy("Mã trường"), lambda r: r.data.get("school_code")),
        (gettext_lazy("Tên trường"), lambda r: r.school.name if r.school else ""),
        (gettext_lazy("Năm"), lambda r: r.data.get("year") or _("Cả giai đoạn")),
        (
            gettext_lazy("Chỉ tiêu"),
            lambda r: TargetKind(r.data["target"]).label if r.data.get("target") else "",
        ),
        (gettext_lazy("Ghi chú"), lambda r: r.data.get("note")),
    )

    def can_import(self, user, context: ProgrammePlan) -> bool:
        return has_perm(user, "target.edit", context)

    def lookups(self, *, user, context: ProgrammePlan, rows: list[RawRow], lock: bool):
        codes = {cell_text(r.values.get("school_code")) for r in rows} - {""}
        schools_qs = scope_for(user).schools().filter(code__in=codes)
        existing = PlanSchoolTarget.objects.filter(plan=context)
        if lock:
            existing = existing.select_for_update()
        return _Lookups(
            plan=context,
            schools={s.code: s for s in schools_qs},
            existing={(t.school_id, t.year, t.target): t for t in existing},
        )

    def check_row(self, row: CheckedRow, lk: _Lookups) -> None:
        code = row.data["school_code"]
        school = lk.schools.get(code)
        if school is None:
            # Unknown and out-of-scope read the same, so codes elsewhere cannot be probed.
            row.errors.append(
                RowError(
                    row.number,
                    COLUMN_BY_KEY["school_code"].header,
                    _("không có trường mã «%(code)s» trong phạm vi của bạn.") % {"code": code},
                )
            )
            return
        row.school = school
        year = row.data["year"]
        if year is not None and not lk.plan.start_year <= year <= lk.plan.end_year:
            row.errors.append(
                RowError(
                    row.number,
                    COLUMN_BY_KEY["year"].header,
                    _("năm %(y)s nằm ngoài giai đoạn %(p)s của kế hoạch.")
                    % {"y": year, "p": lk.plan.period_label},
                )
            )
            return
        row.data["note"] = row.data["note"] or ""
        existing = lk.existing.get((school.pk, year, row.data["target"]))
        if existing is not None:
            row.obj = existing
            row.action = "same" if existing.note == row.data["note"] else "update"

    def check_rows(self, rows: list[CheckedRow], lk: _Lookups) -> None:
        duplicates(
            rows,
            ("school_code", "year", "target"),
            COLUMN_BY_KEY["target"].header,
            _("trùng với dòng %(row)s (cùng trường, năm và chỉ tiêu)."),
        )

    def write(self, *, user, context: ProgrammePlan, plan: ImportPlan) -> ImportResult:
        return plan_target_import_write(user=user, plan=context, rows=plan.rows)

    def dropdowns(self, context) -> dict[str, list[str]]:
        return {"target": [str(label) for label in TargetKind.labels]}

    def help_lines(self, *, user, context: ProgrammePlan) -> list[list[Any]]:
        lines: list[list[Any]] = [["Chỉ tiêu — ghi tên (hoặc mã)", "", "Mã"]]
        lines += [[str(label), "", value] for value, label in TargetKind.choices]
        lines += [
            [],
            [
                "Kế hoạch",
                "",
                f"{context.title} — giai đoạn {context.period_label}: năm từ "
                f"{context.start_year} đến {context.end_year}.",
            ],
        ]
        return lines

    def reference_sheets(self, *, user, context) -> list[Sheet]:
        schools = scope_for(user).schools().select_related("unit").order_by("unit__sort_key")
        return [
            Sheet(
                SCHOOL_SHEET,
                ["Mã trường", "Tên trường", "Xã/phường"],
                ([s.code, s.name, s.unit.name] for s in schools.iterator(chunk_size=2000)),
                (22, 48, 28),
            )
        ]

    def page_context(self, request, context: ProgrammePlan) -> dict[str, Any]:
        return {
            "breadcrumbs": [
                (_("Kế hoạch"), reverse("programme:plans")),
                (context.title, reverse("programme:plan", kwargs={"pk": context.pk})),
            ]
        }

    def success_message(self, result: ImportResult, name: str) -> str:
        return _(
            "Đã nhập tệp «%(name)s»: %(new)s chỉ tiêu mới, %(upd)s chỉ tiêu cập nhật ghi chú, "
            "%(same)s chỉ tiêu đã có."
        ) % {
            "name": name,
            "new": format_int(result.created),
            "upd": format_int(result.updated),
            "same": format_int(result.unchanged),
        }

    def done_url(self, context: ProgrammePlan) -> str:
        return reverse("programme:plan", kwargs={"pk": context.pk})


def plan_target_import_write(*, user, plan: ProgrammePlan, rows: list[CheckedRow]) -> ImportResult:
    """Write checked rows in the caller's transaction (ImportSpec.run): new targets in one
    bulk_create, changed notes in one bulk_update."""
    new = [
        PlanSchoolTarget(
            plan=plan,
            school=r.school,
            year=r.data["year"],
            target=r.data["target"],
            note=r.data["note"],
        )
        for r in rows
        if r.action == "new"
    ]
    changed = []
    for r in rows:
        if r.action == "update":
            r.obj.note = r.data["note"]
            changed.append(r.obj)
    PlanSchoolTarget.objects.bulk_create(new, batch_size=500)
    PlanSchoolTarget.objects.bulk_update(changed, ["note"], batch_size=500)
    # Audit trail (core.audit): bulk writes bypass save(); their history rows are written here.
    audit.bulk_history(new, user=user, reason=_("Nhập từ Excel"))
    audit.bulk_history(changed, user=user, reason=_("Nhập từ Excel"), update=True)
    return ImportResult(
        created=len(new),
        updated=len(changed),
        unchanged=sum(1 for r in rows if r.action == "same"),
    )


SPEC = PlanTargetImportSpec()
