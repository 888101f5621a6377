"""What every Excel import shares (school registry, recognition decisions, evidence lists):
refusing a file that is not a sane .xlsx by its content, mapping the template's header, reading
raw rows, and row/column error messages in Vietnamese. Each app keeps its own columns and its
own row checks; the all-or-nothing write stays in the app's services."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import IO, Any

from django.utils.translation import gettext as _

from core.text import fold, nfc

MAX_ROWS = 100_000
# A real 45,000-row registry unzips to ~40 MB of XML; far more is a zip bomb, not a registry.
MAX_UNZIPPED_BYTES = 400 * 1024 * 1024


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    help: str = ""

    @property
    def label(self) -> str:
        """The header as written in the template: required columns end with "*"."""
        return f"{self.header}*" if self.required else self.header


class ImportFileError(Exception):
    """The file as a whole cannot be read: nothing in it is looked at further."""


@dataclass
class RowError:
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if self.column is None:
            return _("Dòng %(row)s: %(msg)s") % {"row": self.row, "msg": self.message}
        return _("Dòng %(row)s, cột «%(col)s»: %(msg)s") % {
            "row": self.row,
            "col": self.column,
            "msg": self.message,
        }


@dataclass
class RawRow:
    """One data row as read from the sheet: Excel row number and cell values by column key."""

    number: int
    values: dict[str, Any]


def not_xlsx(hint: str = "") -> ImportFileError:
    msg = _("Tệp không phải Excel .xlsx hợp lệ.")
    return ImportFileError(f"{msg} {hint}".strip())


def sniff_xlsx(fileobj: IO[bytes]) -> None:
    """Refuse by content, not by name: a PDF or text file renamed .xlsx is caught here."""
    fileobj.seek(0)
    head = fileobj.read(8)
    fileobj.seek(0)
    if not head:
        raise ImportFileError(_("Tệp rỗng (0 byte)."))
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise not_xlsx(
            _(
                "Đây là tệp Excel 97–2003 (.xls) hoặc tệp có mật khẩu: hãy mở bằng Excel và «Lưu thành» .xlsx."
            )
        )
    if head.startswith(b"%PDF"):
        raise not_xlsx(_("Tệp là PDF."))
    if not head.startswith(b"PK\x03\x04"):
        raise not_xlsx(_("Hãy dùng tệp mẫu tải về từ trang này."))
    try:
        with zipfile.ZipFile(fileobj) as zf:
            names = set(zf.namelist())
            unzipped = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise not_xlsx() from exc
    finally:
        fileobj.seek(0)
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        # A .docx or any other zip renamed .xlsx.
        raise not_xlsx()
    if unzipped > MAX_UNZIPPED_BYTES:
        raise ImportFileError(_("Tệp Excel bất thường (dữ liệu giải nén quá lớn)."))


def header_key(value: Any) -> str:
    return fold(str(value or "")).rstrip("*").strip()


def map_header(
    header: Iterable[Any], columns: Sequence[Column], *, require_all: bool = True
) -> dict[str, int]:
    """Column key → 0-based index. Order is free and extra columns are ignored (an export
    may carry more columns than the template), but every template column must be there
    exactly once — or, with require_all=False, every required one."""
    wanted = {header_key(c.header): c for c in columns}
    found: dict[str, int] = {}
    problems: list[str] = []
    for idx, value in enumerate(header):
        col = wanted.get(header_key(value))
        if col is None:
            continue
        if col.key in found:
            problems.append(_("cột «%(col)s» xuất hiện hai lần") % {"col": col.header})
        found[col.key] = idx
    missing = [c.label for c in columns if (require_all or c.required) and c.key not in found]
    if missing:
        problems.append(_("thiếu cột %(cols)s") % {"cols": ", ".join(f"«{m}»" for m in missing)})
    if problems:
        raise ImportFileError(
            _(
                "Dòng tiêu đề (dòng 1) không đúng mẫu: %(problems)s. Hãy dùng tệp mẫu tải về "
                "từ trang này và giữ nguyên dòng tiêu đề."
            )
            % {"problems": "; ".join(problems)}
        )
    return found


def _blank(value: Any) -> bool:
    return value is None or isinstance(value, str) and not value.strip()


def read_sheet(
    fileobj: IO[bytes],
    *,
    columns: Sequence[Column],
    sheet_name: str,
    key_column: str,
    require_all: bool = True,
    max_rows: int = MAX_ROWS,
) -> list[RawRow]:
    """Raw rows of the data sheet (the sheet named `sheet_name`, else the first). Columns absent
    from the file read as None. Raises ImportFileError with a Vietnamese message for anything
    but a usable file with at least one data row."""
    import openpyxl  # imported here: only import pages pay for it

    sniff_xlsx(fileobj)
    try:
        wb = openpyxl.load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise not_xlsx() from exc
    try:
        ws = wb[sheet_name] if sheet_name in wb.sheetnames else wb.worksheets[0]
        rows_iter = ws.iter_rows(values_only=True)
        header = next(rows_iter, None)
        if header is None or not any(v not in (None, "") for v in header):
            raise ImportFileError(
                _("Trang tính «%(sheet)s» trống: không có dòng tiêu đề.") % {"sheet": ws.title}
            )
        colmap = map_header(header, columns, require_all=require_all)
        absent = [c.key for c in columns if c.key not in colmap]
        keys = list(colmap)
        pick = itemgetter(*colmap.values())
        single = len(keys) == 1
        width = max(colmap.values()) + 1
        key_idx = colmap.get(key_column, 0)
        rows: list[RawRow] = []
        for number, cells in enumerate(rows_iter, start=2):
            # Blank lines between or after the data are not errors. A row with a key is not
            # blank, which settles almost every row without looking at each cell.
            key_cell = cells[key_idx] if key_idx < len(cells) else None
            if _blank(key_cell) and all(_blank(v) for v in cells):
                continue
            if len(rows) >= max_rows:
                raise ImportFileError(
                    _("Tệp có quá nhiều dòng: tối đa %(max)s dòng mỗi lần nhập.")
                    % {"max": f"{max_rows:,}".replace(",", ".")}
                )
            if len(cells) < width:
                cells = tuple(cells) + (None,) * (width - len(cells))
            picked = (pick(cells),) if single else pick(cells)
            values = dict(zip(keys, picked, strict=True))
            for key in absent:
                values[key] = None
            rows.append(RawRow(number, values))
    except ImportFileError:
        raise
    except Exception as exc:  # damaged XML inside a valid zip shows up while iterating
        raise not_xlsx() from exc
    finally:
        wb.close()
    if not rows:
        raise ImportFileError(
            _("Tệp không có dòng dữ liệu nào: chỉ có dòng tiêu đề. Hãy điền từ dòng 2.")
        )
    return rows


def cell_text(value: Any) -> str:
    """Cell → NFC text, trimmed, inner runs of spaces and line breaks collapsed to one space."""
    if value is None:
        return ""
    if type(value) is str:
        # Fast path: 600,000 cells in a national file; ASCII needs no normalisation.
        return " ".join((value if value.isascii() else nfc(value)).split())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        value = value.strftime("%d/%m/%Y")
    return " ".join(nfc(str(value)).split())
