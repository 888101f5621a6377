"""Excel files we hand out: the import template and the export of the filtered list.
Both use the import's columns, so an export can be edited and imported back as is."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from schools.importing import (
    COLUMNS,
    COMMUNE_SHEET,
    DATA_SHEET,
    EXPORT_EXTRA_HEADERS,
    HELP_SHEET,
    STANDARD_LABELS,
)
from schools.models import Ownership, School, SchoolKind, SpecialType
from units.models import AdminUnit

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
}
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
REQUIRED_FILL = PatternFill("solid", fgColor="9C2A00")


def build_template(communes: Iterable[AdminUnit]) -> Workbook:
    """The import template: an empty data sheet with dropdowns, the instructions, and the
    codes of the communes this user may import into (a commune code is hard to guess)."""
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    ws.append([c.label for c in COLUMNS])
    for idx, col in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=idx)
        cell.font = HEADER_FONT
        cell.fill = REQUIRED_FILL if col.required else HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = get_column_letter(idx)
        ws.column_dimensions[letter].width = WIDTHS.get(col.key, 14)
    ws.freeze_panes = "A2"
    # Commune and school codes are text: "03549" must keep its leading zero.
    for key in ("code", "commune", "phone"):
        letter = get_column_letter(_col_index(key))
        ws.column_dimensions[letter].number_format = "@"
        for r in range(2, 1002):
            ws[f"{letter}{r}"].number_format = "@"
    # Dropdowns help but do not forbid: labels typed by hand are accepted by the import too.
    for key, values in (
        ("kind", list(SchoolKind.values)),
        ("ownership", [str(lbl) for lbl in Ownership.labels]),
        ("special_type", [v for v in SpecialType.values if v]),
        ("standard_level", list(STANDARD_LABELS.values())),
    ):
        dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True)
        dv.showErrorMessage = False
        letter = get_column_letter(_col_index(key))
        dv.add(f"{letter}2:{letter}100000")
        ws.add_data_validation(dv)

    help_ws = wb.create_sheet(HELP_SHEET)
    _write_help(help_ws)

    codes_ws = wb.create_sheet(COMMUNE_SHEET)
    codes_ws.append(["Mã xã/phường", "Tên xã/phường", "Tỉnh/thành phố"])
    for cell in codes_ws[1]:
        cell.font = Font(bold=True)
    for unit in communes:
        codes_ws.append([unit.code, unit.name, unit.parent.name if unit.parent_id else ""])
    for letter, width in (("A", 14), ("B", 32), ("C", 28)):
        codes_ws.column_dimensions[letter].width = width
    return wb


def _col_index(key: str) -> int:
    return [c.key for c in COLUMNS].index(key) + 1


def _write_help(ws) -> None:
    bold = Font(bold=True)
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 48
    ws.column_dimensions["C"].width = 70

    def title(text: str) -> None:
        ws.append([])
        ws.append([text])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True, size=12)

    ws.append(["HƯỚNG DẪN NHẬP DANH SÁCH TRƯỜNG"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(
        [
            "Điền dữ liệu ở trang «Danh sách trường», mỗi trường một dòng, bắt đầu từ dòng 2. "
            "Giữ nguyên dòng tiêu đề. Cột có dấu * là bắt buộc."
        ]
    )
    ws.append(
        [
            "Mã trường đã có trong hệ thống thì dòng đó cập nhật trường ấy; mã mới thì thêm "
            "trường mới. Nếu có bất kỳ dòng nào lỗi, không dòng nào được ghi: hệ thống liệt kê "
            "mọi lỗi theo dòng và cột để sửa rồi tải lên lại."
        ]
    )
    ws.append(
        [
            "Chỉ nhập được trường thuộc các xã/phường trong phạm vi quản lý của bạn "
            "(xem trang «Mã xã phường»)."
        ]
    )

    title("Các cột")
    ws.append(["Cột", "Bắt buộc", "Ghi chú"])
    for cell in ws[ws.max_row]:
        cell.font = bold
    for col in COLUMNS:
        ws.append([col.label, "Có" if col.required else "Không", col.help])

    title("Cấp học — ghi mã (hoặc tên đầy đủ)")
    for value, label in SchoolKind.choices:
        ws.append([value, str(label)])

    title("Loại hình — ghi tên (hoặc mã)")
    for value, label in Ownership.choices:
        ws.append([str(label), value])

    title("Loại trường đặc thù — ghi mã (hoặc tên đầy đủ), để trống nếu không có")
    for value, label in SpecialType.choices:
        if value:
            ws.append([value, str(label)])

    title("Chuẩn quốc gia")
    for level, label in STANDARD_LABELS.items():
        ws.append([label, str(level)])

    title("Mã xã/phường")
    ws.append(
        [
            "Mã chính thức 5 chữ số của xã/phường hiện hành (sau 01/7/2025), ví dụ 03549 "
            "(Xã Phong Thổ, Lai Châu). Nếu Excel làm mất số 0 đầu (3549), hệ thống tự bổ sung. "
            "Có thể ghi «Tên xã, Tên tỉnh» (ví dụ «Xã Phong Thổ, Lai Châu») khi tên đó không "
            "trùng; mã vẫn là cách chắc chắn nhất."
        ]
    )
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


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
            unit.name,
            province,
        ]
        ws.append([_text_cell(ws, v) for v in values])
    out = tempfile.SpooledTemporaryFile(max_size=20 * 1024 * 1024)
    wb.save(out)
    out.seek(0)
    return out
