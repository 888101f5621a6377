"""Excel files we hand out: the import template and the export of the filtered list.
Both use the import's columns, so an export can be edited and imported back as is."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from schools.importing import (
    COLUMNS,
    DATA_SHEET,
    EXPORT_EXTRA_HEADERS,
    STANDARD_LABELS,
)
from schools.models import Ownership, School

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WIDTHS = {
    "code": 18,
    "name": 42,
    "kind": 14,
    "ownership": 12,
    "special_type": 18,
    "managing_body": 28,
    "commune": 14,
    "founded_year": 10,
    "principal_name": 24,
    "phone": 14,
    "email": 26,
    "address": 36,
    "standard_level": 14,
    "national_code": 18,
}
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
REQUIRED_FILL = PatternFill("solid", fgColor="9C2A00")


def _col_index(key: str) -> int:
    return [c.key for c in COLUMNS].index(key) + 1


def _text_cell(ws, value) -> WriteOnlyCell:
    """A cell that is always text: a school name starting with "=" must not become a formula
    when someone opens the export (spreadsheet formula injection)."""
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def write_export(schools: Iterable[School]) -> tempfile.SpooledTemporaryFile:
    """The filtered list as .xlsx in write-only mode (constant memory for 45,000 rows).
    Returns a file positioned at 0."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(DATA_SHEET)
    for col in COLUMNS:
        ws.column_dimensions[get_column_letter(_col_index(col.key))].width = WIDTHS.get(col.key, 14)
    for i, _h in enumerate(EXPORT_EXTRA_HEADERS, start=len(COLUMNS) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 26
    ws.freeze_panes = "A2"
    header = []
    for text in [c.label for c in COLUMNS] + list(EXPORT_EXTRA_HEADERS):
        cell = WriteOnlyCell(ws, value=text)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        header.append(cell)
    ws.append(header)
    ownership_labels = dict(Ownership.choices)
    for s in schools:
        unit = s.unit
        province = unit.parent.name if unit.parent_id else ""
        values = [
            s.code,
            s.name,
            s.kind,
            str(ownership_labels.get(s.ownership, s.ownership)),
            s.special_type,
            s.managing_body,
            unit.code,
            s.founded_year,
            s.principal_name,
            s.phone,
            s.email,
            s.address,
            STANDARD_LABELS.get(s.standard_level, str(s.standard_level)),
            s.national_code,
            unit.name,
            province,
        ]
        ws.append([_text_cell(ws, v) for v in values])
    out = tempfile.SpooledTemporaryFile(max_size=20 * 1024 * 1024)
    wb.save(out)
    out.seek(0)
    return out
