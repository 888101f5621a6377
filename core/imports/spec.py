"""What an import is: a spec declares its columns (headers, required, parsers), its permission
hook, its row and cross-row checks and its write; `ImportSpec.run` is the one all-or-nothing
path (check every row again inside the transaction, write every row or none).

A spec is an object, not a module, so the flow (`core.imports.flow`) and the template
(`core.imports.template`) can treat the five imports alike. `context` is what the import writes
into: None (the school registry), a plan, an assessment, a school."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, ClassVar

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.imports.reading import (
    MAX_ROWS,
    Column,
    RawRow,
    RowError,
    parse_cells,
    read_sheet,
)

ACTION_LABELS = {
    "new": gettext_lazy("Thêm mới"),
    "update": gettext_lazy("Cập nhật"),
    "same": gettext_lazy("Không đổi"),
    "error": gettext_lazy("Có lỗi"),
}


@dataclass
class CheckedRow:
    """A row after the checks: parsed `data`, its errors, and what confirming would do."""

    number: int
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    action: str = "new"  # new | update | same | error
    obj: Any = None  # the existing object an update rewrites

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS[self.action])

    @property
    def error_text(self) -> str:
        return "; ".join(
            f"«{e.column}»: {e.message}" if e.column else e.message for e in self.errors
        )


@dataclass
class ImportPlan:
    rows: list[CheckedRow]
    # Errors not tied to one row (a concurrent insert at confirm); rows' errors are added.
    extra_errors: list[RowError] = field(default_factory=list)

    @property
    def errors(self) -> list[RowError]:
        return [e for r in self.rows for e in r.errors] + self.extra_errors

    @property
    def total(self) -> int:
        return len(self.rows)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def counts(self) -> dict[str, int]:
        out = {"new": 0, "update": 0, "same": 0, "error": 0}
        for r in self.rows:
            out[r.action] += 1
        return out

    @property
    def error_rows(self) -> int:
        return sum(1 for r in self.rows if r.errors)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.extra_errors and not any(r.errors for r in self.rows)


class ImportRejected(Exception):
    """Some row failed: nothing was written. `plan` holds every error for display."""

    def __init__(self, plan: ImportPlan):
        super().__init__(f"{len(plan.errors)} lỗi")
        self.plan = plan


@dataclass(frozen=True)
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    objects: Sequence[Any] = ()

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass(frozen=True)
class Sheet:
    """A reference sheet of the template (codes the user may type: communes, schools…)."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[int] = ()


def duplicates(rows: Sequence[CheckedRow], keys: Sequence[str], column: str, message: str) -> None:
    """Cross-row check: the later of two rows with the same values of `keys` gets an error
    on `column`; `message` may use %(row)s (the earlier row)."""
    seen: dict[tuple, int] = {}
    for row in rows:
        key = tuple(row.data.get(k) for k in keys)
        if any(v is None or v == "" for v in key[:1]):
            continue
        if key in seen:
            row.errors.append(RowError(row.number, column, message % {"row": seen[key]}))
        else:
            seen[key] = row.number


class ImportSpec:
    """Base of every import. Subclasses set the class attributes and override `check_row`
    (or `check` when the whole file is checked at once), `can_import` and `write`."""

    key: ClassVar[str]  # session key of the waiting file, e.g. "school_import"
    title: ClassVar[str]  # page title, e.g. "Nhập danh sách trường từ Excel"
    data_sheet: ClassVar[str]
    help_sheet: ClassVar[str] = "Hướng dẫn"
    columns: ClassVar[tuple[Column, ...]]
    key_column: ClassVar[str]  # a row with this cell filled is never a blank line
    require_all_columns: ClassVar[bool] = True
    max_rows: ClassVar[int] = MAX_ROWS
    template_filename: ClassVar[str] = "mau-nhap.xlsx"
    notes: ClassVar[tuple[str, ...]] = ()
    # The preview table: (header, row → value) after «Dòng» and «Kết quả».
    preview_columns: ClassVar[tuple[tuple[str, Callable[[CheckedRow], Any]], ...]] = ()
    # Which counts the preview shows: an import that only adds shows no «Cập nhật».
    actions: ClassVar[tuple[str, ...]] = ("new", "update", "same")
    row_class: ClassVar[type[CheckedRow]] = CheckedRow  # a subclass may carry the looked-up objects
    # A user inside the scope without the right: 404 (registry-wide imports, where even the
    # page's existence is not shown) or 403 (an assessment's page that the user can see).
    forbidden: ClassVar[type[Exception]] = Http404
    page_template: ClassVar[str] = "imports/page.html"

    # --- permission ------------------------------------------------------------------------

    def can_import(self, user, context) -> bool:
        """The one place that says who may use this import (WP-C re-points it to the
        permission table)."""
        raise NotImplementedError

    # --- reading and checking ----------------------------------------------------------------

    def columns_for(self, context) -> tuple[Column, ...]:
        """The columns of this import into `context` (the school-year figures depend on the
        school's kind); most imports have one fixed set."""
        return self.columns

    def read(self, fileobj: IO[bytes], context: Any = None) -> list[RawRow]:
        return read_sheet(
            fileobj,
            columns=self.columns_for(context),
            sheet_name=self.data_sheet,
            key_column=self.key_column,
            require_all=self.require_all_columns,
            max_rows=self.max_rows,
        )

    def lookups(self, *, user, context, rows: list[RawRow], lock: bool) -> Any:
        """Everything the row checks need, loaded once (a handful of queries per file)."""
        return None

    def check_row(self, row: CheckedRow, lookups: Any) -> None:
        """Rules of one row beyond its cells' parsers: append to row.errors, set row.action."""

    def check_rows(self, rows: list[CheckedRow], lookups: Any) -> None:
        """Rules across rows (duplicates in the file…)."""

    def check(self, *, user, context, rows: list[RawRow], lock: bool = False) -> ImportPlan:
        """Every row checked, every error kept (reads only). `lock`: inside the write
        transaction, rows that the write depends on are locked."""
        lk = self.lookups(user=user, context=context, rows=rows, lock=lock)
        columns = self.columns_for(context)
        checked = []
        for raw in rows:
            data, errors = parse_cells(raw, columns)
            row = self.row_class(raw.number, data, errors)
            if not errors:
                self.check_row(row, lk)
            checked.append(row)
        self.check_rows(checked, lk)
        order = {c.header: i for i, c in enumerate(columns)}
        for row in checked:
            if row.errors:
                row.action = "error"
                row.errors.sort(key=lambda e: order.get(e.column, 99))
        return ImportPlan(checked)

    # --- writing ---------------------------------------------------------------------------

    def write(self, *, user, context, plan: ImportPlan) -> ImportResult:
        """Write every row of a plan without errors; called inside `run`'s transaction."""
        raise NotImplementedError

    def run(self, *, user, context, rows: list[RawRow]) -> ImportResult:
        """All or nothing: check every row again inside the transaction (the data may have
        changed since the preview) and write them all, or raise ImportRejected."""
        with transaction.atomic():
            plan = self.check(user=user, context=context, rows=rows, lock=True)
            if not plan.ok:
                raise ImportRejected(plan)
            return self.write(user=user, context=context, plan=plan)

    def run_file(self, *, user, context, fileobj: IO[bytes]) -> ImportResult:
        return self.run(user=user, context=context, rows=self.read(fileobj, context))

    # --- template --------------------------------------------------------------------------

    def filename(self, context) -> str:
        """The template's download name."""
        return self.template_filename

    def template_columns(self, context) -> tuple[Column, ...]:
        return self.columns_for(context)

    def reference_sheets(self, *, user, context) -> list[Sheet]:
        return []

    def help_lines(self, *, user, context) -> list[Sequence[Any]]:
        """Rows added to the notes sheet under the columns (allowed values…)."""
        return []

    # --- pages -----------------------------------------------------------------------------

    def page_context(self, request, context) -> dict[str, Any]:
        """What the page template needs besides the flow's keys (breadcrumbs, the object)."""
        return {}

    def success_message(self, result: ImportResult, name: str) -> str:
        return _("Đã nhập tệp «%(name)s»: %(n)s dòng.") % {"name": name, "n": result.total}

    def after_confirm(self, request, context, result: ImportResult) -> Any:
        """A response to answer the confirm with instead of the redirect to `done_url` (what
        exists only in this response: the account import's initial passwords); None = the
        redirect."""
        return None

    def done_url(self, context) -> str:
        raise NotImplementedError
