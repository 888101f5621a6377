"""Reading an uploaded .xlsx, for every import: refusing a file that is not a sane .xlsx by
its content, mapping the template's header, reading raw rows, the cell parsers (text NFC,
integer, date in the Vietnamese formats, choice by label or code) and the row/column error
messages in Vietnamese. No writes and no Django models here."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import IO, Any

from django.utils.translation import gettext as _

from core.text import fold, nfc

MAX_ROWS = 100_000
# A real 45,000-row registry unzips to ~40 MB of XML; far more is a zip bomb, not a registry.
MAX_UNZIPPED_BYTES = 400 * 1024 * 1024


class CellError(ValueError):
    """A parser's refusal: the message (Vietnamese) is shown after "Dòng N, cột «X»: "."""


Parser = Callable[[Any], Any]


@dataclass(frozen=True)
class Column:
    """One column of an import: its key in the row's data, its Vietnamese header, whether it
    must be filled, the help line and example of the template, and how a cell is parsed
    (`parse`: a callable cell → value raising CellError; None = the spec's own row check
    reads the raw cell)."""

    key: str
    header: str
    required: bool = False
    help: str = ""
    width: int = 16
    example: Any = None
    parse: Parser | None = field(default=None, compare=False)
    as_text: bool = False  # the template formats the column as text ("1.10", "03549")

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
        if not self.column:
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


# ---------------------------------------------------------------------------------------------
# Cell parsers: each turns a cell into a value or raises CellError with a Vietnamese message.
# Blank cells never reach a parser (see parse_cells): required/optional is the column's business.


def blank(value: Any) -> bool:
    return _blank(value)


def text(max_length: int | None = None) -> Parser:
    """NFC text, spaces collapsed, at most `max_length` characters."""

    def parse(value: Any) -> str:
        out = cell_text(value)
        if max_length is not None and len(out) > max_length:
            raise CellError(_("dài quá %(n)s ký tự.") % {"n": max_length})
        return out

    return parse


def integer(minimum: int | None = None, maximum: int | None = None) -> Parser:
    """A whole number: a number cell, or digits with Vietnamese thousand dots ("1.250")."""

    def parse(value: Any) -> int:
        if isinstance(value, bool):
            raise CellError(_("«%(v)s» không phải số nguyên.") % {"v": value})
        if isinstance(value, int):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        else:
            raw = cell_text(value).replace(" ", "").replace("\u00a0", "")
            if re.fullmatch(r"\d{1,3}(\.\d{3})+", raw):
                raw = raw.replace(".", "")
            if not re.fullmatch(r"-?\d+", raw):
                raise CellError(_("«%(v)s» không phải số nguyên.") % {"v": cell_text(value)})
            number = int(raw)
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            raise CellError(
                _("«%(v)s» nằm ngoài khoảng cho phép (%(lo)s–%(hi)s).")
                % {"v": number, "lo": minimum if minimum is not None else "", "hi": maximum or ""}
            )
        return number

    return parse


_DATE_RE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_date(value: Any) -> dt.date | None:
    """A date cell, or text dd/mm/yyyy (also with . or -), or yyyy-mm-dd; else None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = cell_text(value)
    try:
        m = _DATE_RE.match(raw)
        if m:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        m = _ISO_RE.match(raw)
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    return None


def date() -> Parser:
    def parse(value: Any) -> dt.date:
        day = parse_date(value)
        if day is None:
            raise CellError(
                _("«%(v)s» không phải ngày hợp lệ; hãy ghi dạng dd/mm/yyyy, ví dụ 05/09/2025.")
                % {"v": cell_text(value)}
            )
        return day

    return parse


def choice_key(label: str) -> str:
    return re.sub(r"[\s_]", "", fold(label))


def choice_map(
    choices: Iterable[tuple[Any, Any]], extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    """fold(code) and fold(label) → value, and the same with spaces/underscores removed, so
    "TH & THCS", "th&thcs", "cong_lap", "Công lập" all match."""
    out: dict[str, Any] = {}
    for value, label in choices:
        for name in (str(value), str(label)):
            key = fold(name)
            if key:
                out[key] = value
                out[re.sub(r"[\s_]", "", key)] = value
    for name, value in (extra or {}).items():
        out[fold(name)] = value
        out[choice_key(name)] = value
    return out


def choice(
    choices: Iterable[tuple[Any, Any]], extra: dict[str, Any] | None = None, hint: str = ""
) -> Parser:
    """One of `choices`, typed as its code or its label (accents, case and spaces ignored)."""
    table = choice_map(choices, extra)
    memo: dict[str, Any] = {}

    def parse(value: Any) -> Any:
        typed = cell_text(value)
        if typed not in memo:
            folded = fold(typed)
            memo[typed] = table.get(folded, table.get(re.sub(r"[\s_]", "", folded)))
        if memo[typed] is None:
            raise CellError(
                _("giá trị «%(v)s» không hợp lệ (xem trang «Hướng dẫn» của tệp mẫu).")
                % {"v": typed}
                + (f" {hint}" if hint else "")
            )
        return memo[typed]

    return parse


def parse_cells(raw: RawRow, columns: Sequence[Column]) -> tuple[dict[str, Any], list[RowError]]:
    """The declarative part of a row check: every column with a parser is parsed; a blank
    required cell is an error, a blank optional one reads as None."""
    data: dict[str, Any] = {}
    errors: list[RowError] = []
    for col in columns:
        value = raw.values.get(col.key)
        if _blank(value):
            if col.required:
                errors.append(RowError(raw.number, col.header, _("không được để trống.")))
            data[col.key] = None
            continue
        if col.parse is None:
            data[col.key] = value
            continue
        try:
            data[col.key] = col.parse(value)
        except CellError as exc:
            errors.append(RowError(raw.number, col.header, str(exc)))
            data[col.key] = None
    return data, errors
