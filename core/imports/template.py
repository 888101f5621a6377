"""The downloadable template of an import, generated from its spec: the data sheet (the header
row, required columns marked "*" and coloured, text/date formats, dropdowns), the notes sheet
(every column: required, how to write it, an example value — read across, the example row —,
then the spec's own lines) and the spec's reference sheets (codes the user may type)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.imports.reading import Column
from core.imports.spec import ImportSpec

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
REQUIRED_FILL = PatternFill("solid", fgColor="9C2A00")
FORMATTED_ROWS = 1000


def example_text(col: Column) -> Any:
    if isinstance(col.example, dt.date):
        return col.example.strftime("%d/%m/%Y")
    return col.example


def write_data_sheet(ws, spec: ImportSpec, context) -> None:
    columns = spec.template_columns(context)
    ws.title = spec.data_sheet
    ws.append([c.label for c in columns])
    dropdowns = spec_dropdowns(spec, context)
    for idx, col in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=idx)
        cell.font = HEADER_FONT
        cell.fill = REQUIRED_FILL if col.required else HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = get_column_letter(idx)
        ws.column_dimensions[letter].width = col.width
        # Codes are text ("03549" keeps its zero, "1.10" is not 1.1); dates show as dd/mm/yyyy.
        fmt = "@" if col.as_text else "DD/MM/YYYY" if isinstance(col.example, dt.date) else None
        if fmt:
            ws.column_dimensions[letter].number_format = fmt
            for r in range(2, FORMATTED_ROWS + 2):
                ws.cell(row=r, column=idx).number_format = fmt
        if col.key in dropdowns:
            # Dropdowns help but do not forbid: labels typed by hand are accepted too.
            dv = DataValidation(
                type="list", formula1='"' + ",".join(dropdowns[col.key]) + '"', allow_blank=True
            )
            dv.showErrorMessage = False
            dv.add(f"{letter}2:{letter}{spec.max_rows}")
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"


def spec_dropdowns(spec: ImportSpec, context) -> dict[str, list[str]]:
    getter = getattr(spec, "dropdowns", None)
    return getter(context) if getter else {}


def write_notes_sheet(ws, spec: ImportSpec, *, user, context) -> None:
    bold = Font(bold=True)
    ws.append([spec.title.upper()])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(
        [
            f"Điền dữ liệu ở trang «{spec.data_sheet}», mỗi dòng một mục, bắt đầu từ dòng 2. "
            "Giữ nguyên dòng tiêu đề. Cột có dấu * là bắt buộc. Chỉ cần một dòng lỗi là không "
            "dòng nào được ghi: hệ thống liệt kê mọi lỗi theo dòng và cột."
        ]
    )
    for line in spec.notes:
        ws.append([line])
    ws.append([])
    ws.append(["Cột", "Bắt buộc", "Cách ghi", "Ví dụ"])
    for cell in ws[ws.max_row]:
        cell.font = bold
    for col in spec.template_columns(context):
        ws.append([col.label, "Có" if col.required else "Không", col.help, example_text(col)])
    lines = spec.help_lines(user=user, context=context)
    if lines:
        ws.append([])
        for line in lines:
            ws.append(list(line))
    for letter, width in (("A", 36), ("B", 10), ("C", 80), ("D", 24)):
        ws.column_dimensions[letter].width = width


def build_template(spec: ImportSpec, *, user, context) -> Workbook:
    wb = Workbook()
    write_data_sheet(wb.active, spec, context)
    notes = wb.create_sheet(spec.help_sheet)
    writer = getattr(spec, "write_notes", None)
    if writer is not None:
        writer(notes, user=user, context=context)
    else:
        write_notes_sheet(notes, spec, user=user, context=context)
    for sheet in spec.reference_sheets(user=user, context=context):
        ws = wb.create_sheet(sheet.title)
        ws.append(list(sheet.header))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for r in sheet.rows:
            ws.append(list(r))
        for idx, width in enumerate(sheet.widths, start=1):
            ws.column_dimensions[get_column_letter(idx)].width = width
    return wb


def template_bytes(spec: ImportSpec, *, user, context) -> io.BytesIO:
    buf = io.BytesIO()
    build_template(spec, user=user, context=context).save(buf)
    buf.seek(0)
    return buf
