"""Excel versions of document tables (openpyxl).

Numbers are written as numbers (so officials can keep calculating) with the format codes
"#,##0" / "#,##0.00" and "0.00%": Excel and LibreOffice show them with the separators of the
reader's locale, i.e. 14.765 and 55,61% on a Vietnamese system. Percentages are stored as the
fraction already rounded half-up to the displayed precision, so the sheet shows exactly the
figure printed in the .docx. Totals are values computed in Python from the same rows (equal to
their sum by construction), not formulas, so a reopened file carries them without
recalculation.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from core.text import nfc

FONT_NAME = "Times New Roman"
INT_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.00%"
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_FORBIDDEN = set("[]:*?/\\")
PORTRAIT_CHARS = 95  # wider sheets print landscape (about 95 characters fit across A4)


@dataclass(frozen=True)
class XColumn:
    title: str
    width: float = 14  # Excel character units
    kind: str = "text"  # text | int | number | percent


@dataclass
class XRow:
    cells: Sequence[Any]
    bold: bool = False


def percent_value(part: int, whole: int, places: int = 2) -> Decimal:
    """The fraction to store for a percentage shown with `places` decimals: 5/9 → 0.5556."""
    if not whole:
        return Decimal(0)
    quant = Decimal(1).scaleb(-(places + 2))
    return (Decimal(part) / Decimal(whole)).quantize(quant, rounding=ROUND_HALF_UP)


def sheet_title(text: str) -> str:
    cleaned = "".join(" " if ch in _FORBIDDEN else ch for ch in nfc(text))
    return cleaned[:31] or "Sheet"


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def add_table_sheet(
    wb: Workbook,
    *,
    title: str,
    heading: str,
    subheading: str = "",
    columns: Sequence[XColumn],
    rows: Iterable[XRow | Sequence[Any]],
    note: str = "",
):
    """One sheet: a bold title line, an optional subtitle, the header row (bold, filled,
    wrapped), then the rows; XRow(bold=True) for subtotals and totals. Returns the sheet."""
    ws = wb.create_sheet(sheet_title(title))
    width = len(columns)
    ws.cell(row=1, column=1, value=nfc(heading)).font = Font(name=FONT_NAME, bold=True, size=13)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(1, width))
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", wrap_text=True)
    row_no = 2
    if subheading:
        cell = ws.cell(row=2, column=1, value=nfc(subheading))
        cell.font = Font(name=FONT_NAME, italic=True, size=12)
        cell.alignment = Alignment(horizontal="center")
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=max(1, width))
        row_no = 3
    header_row = row_no + 1
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row=header_row, column=index, value=nfc(column.title))
        cell.font = Font(name=FONT_NAME, bold=True, size=12)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    current = header_row
    for item in rows:
        row = item if isinstance(item, XRow) else XRow(item)
        current += 1
        for index, (column, value) in enumerate(zip(columns, row.cells, strict=True), start=1):
            if isinstance(value, str):
                value = nfc(value)
            cell = ws.cell(row=current, column=index, value=value)
            cell.font = Font(name=FONT_NAME, bold=row.bold, size=12)
            cell.border = _BORDER
            if column.kind == "int":
                cell.number_format = INT_FORMAT
            elif column.kind == "number":
                whole = isinstance(value, int) or (
                    isinstance(value, Decimal) and value == value.to_integral_value()
                )
                cell.number_format = INT_FORMAT if whole else DECIMAL_FORMAT
            elif column.kind == "percent":
                cell.number_format = PERCENT_FORMAT
            if column.kind != "text":
                cell.alignment = Alignment(horizontal="right", vertical="center")
            else:
                cell.alignment = Alignment(vertical="center", wrap_text=True)
    _fit_columns(ws, columns, header_row, current)
    if note:
        cell = ws.cell(row=current + 2, column=1, value=nfc(note))
        cell.font = Font(name=FONT_NAME, italic=True, size=11)
    ws.print_options.horizontalCentered = True
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    if sum(ws.column_dimensions[get_column_letter(i)].width for i in range(1, width + 1)) > (
        PORTRAIT_CHARS
    ):
        ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    return ws


def _fit_columns(ws, columns: Sequence[XColumn], header_row: int, last_row: int) -> None:
    """Each column at least as wide as its longest header word and its longest shown value
    (a header word such as "trường" or a figure such as "35,29%" never wraps inside)."""
    for index, column in enumerate(columns, start=1):
        longest = max((len(word) for word in nfc(column.title).split()), default=0) + 1
        for row in range(header_row + 1, last_row + 1):
            value = ws.cell(row=row, column=index).value
            if value is None:
                continue
            if column.kind == "percent":
                shown = len(f"{float(value) * 100:.2f}%")
            elif column.kind in ("int", "number"):
                shown = len(f"{value:,}") if isinstance(value, int | Decimal) else len(str(value))
            else:
                shown = max((len(word) for word in str(value).split()), default=0)
            longest = max(longest, min(shown, 60))
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = max(column.width, longest + 2)


def to_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
