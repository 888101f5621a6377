"""Excel import of historical decisions: read the .xlsx, check every row (no writes), and the
template. Same all-or-nothing contract as the school registry import (schools/importing.py):
one bad row and nothing is written; every message names the row and the column."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils import timezone

from core.text import fold, format_date_short, nfc
from recognition import access, rules
from recognition.checks import clean_decision
from recognition.models import RecognitionDecision
from schools.models import School

DATA_SHEET = "Quyết định công nhận"
HELP_SHEET = "Hướng dẫn"
SCHOOL_SHEET = "Mã trường"
MAX_ROWS = 20_000
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    help: str = ""
    width: int = 16

    @property
    def label(self) -> str:
        return f"{self.header}*" if self.required else self.header


COLUMNS: tuple[Column, ...] = (
    Column("school_code", "Mã trường", True, "Mã trường như trong danh sách trường.", 20),
    Column("number", "Số quyết định", True, "Ví dụ: 1234/QĐ-SGDĐT.", 20),
    Column("signed_on", "Ngày ký", True, "Ngày/tháng/năm, ví dụ 15/12/2020.", 12),
    Column("kind", "Loại quyết định", True, "Một trong các loại ở bảng dưới.", 30),
    Column(
        "level",
        "Mức/Cấp độ",
        False,
        "Chuẩn quốc gia: 1 hoặc 2 (Mức độ). Kiểm định: 1–4 (Cấp độ). Thu hồi: để trống.",
        12,
    ),
    Column("signing_body", "Cơ quan ban hành", True, "Ví dụ: Sở GD&ĐT Lai Châu.", 26),
    Column("signer_title", "Chức vụ người ký", False, "Ví dụ: Giám đốc.", 18),
    Column("signer_name", "Người ký", False, "Họ và tên.", 22),
    Column(
        "framework_code",
        "Mã bộ tiêu chuẩn",
        False,
        "Ví dụ TT17-2018, TT57-2026-PT. Để trống: tự chọn theo cấp học và ngày ký.",
        16,
    ),
    Column("note", "Ghi chú", False, "", 30),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
FIELD_COLUMN = {c.key: c.header for c in COLUMNS} | {"": "", "scan": ""}

# What a person may type in «Loại quyết định» (accents and case ignored).
KIND_ALIASES: dict[str, str] = {
    "kiem dinh": rules.ACCREDITATION,
    "cong nhan kiem dinh": rules.ACCREDITATION,
    "cong nhan moi": rules.STANDARD_NEW,
    "moi": rules.STANDARD_NEW,
    "cong nhan lai": rules.STANDARD_RENEWAL,
    "nang muc": rules.STANDARD_UPGRADE,
    "thu hoi": rules.REVOCATION,
    "thu hoi chuan quoc gia": rules.REVOCATION,
    "thu hoi kiem dinh": rules.ACCREDITATION_REVOCATION,
}
KIND_EXAMPLES = (
    ("Kiểm định", rules.ACCREDITATION),
    ("Công nhận mới", rules.STANDARD_NEW),
    ("Công nhận lại", rules.STANDARD_RENEWAL),
    ("Nâng mức", rules.STANDARD_UPGRADE),
    ("Thu hồi", rules.REVOCATION),
    ("Thu hồi kiểm định", rules.ACCREDITATION_REVOCATION),
)


class ImportFileError(Exception):
    """The file as a whole cannot be read."""


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return f"Dòng {self.row}, cột «{self.column}»: {self.message}"
        return f"Dòng {self.row}: {self.message}"


@dataclass
class RawRow:
    number: int
    values: dict[str, Any]


@dataclass
class CheckedRow:
    number: int
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    school: School | None = None
    school_code: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def kind_label(self) -> str:
        return rules.KIND_LABELS.get(self.values.get("kind") or "", "")

    @property
    def signed_on_text(self) -> str:
        day = self.values.get("signed_on")
        return format_date_short(day) if isinstance(day, dt.date) else ""

    @property
    def error_text(self) -> str:
        return "; ".join(
            f"«{e.column}»: {e.message}" if e.column else e.message for e in self.errors
        )


@dataclass
class ImportPlan:
    rows: list[CheckedRow]

    @property
    def errors(self) -> list[RowError]:
        return [e for r in self.rows for e in r.errors]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors

    @property
    def error_rows(self) -> int:
        return sum(1 for r in self.rows if r.errors)


# ---------------------------------------------------------------------------------------------
# Reading


def _sniff(fileobj: IO[bytes]) -> None:
    fileobj.seek(0)
    head = fileobj.read(8)
    fileobj.seek(0)
    if not head:
        raise ImportFileError("Tệp rỗng (0 byte).")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            "Đây là tệp Excel 97–2003 (.xls): hãy mở bằng Excel và «Lưu thành» .xlsx."
        )
    if not head.startswith(b"PK\x03\x04"):
        raise ImportFileError("Tệp không phải Excel .xlsx hợp lệ. Hãy dùng tệp mẫu tải về.")
    try:
        with zipfile.ZipFile(fileobj) as zf:
            names = set(zf.namelist())
            unzipped = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFileError("Tệp không phải Excel .xlsx hợp lệ.") from exc
    finally:
        fileobj.seek(0)
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise ImportFileError("Tệp không phải Excel .xlsx hợp lệ.")
    if unzipped > MAX_UNZIPPED_BYTES:
        raise ImportFileError("Tệp Excel bất thường (dữ liệu giải nén quá lớn).")


def _header_key(value: Any) -> str:
    return fold(str(value or "")).rstrip("*").strip()


def _map_header(header: Iterable[Any]) -> dict[str, int]:
    wanted = {_header_key(c.header): c for c in COLUMNS}
    found: dict[str, int] = {}
    for idx, value in enumerate(header):
        col = wanted.get(_header_key(value))
        if col is not None and col.key not in found:
            found[col.key] = idx
    missing = [f"«{c.label}»" for c in COLUMNS if c.required and c.key not in found]
    if missing:
        raise ImportFileError(
            f"Dòng tiêu đề (dòng 1) không đúng mẫu: thiếu cột {', '.join(missing)}. Hãy dùng"
            " tệp mẫu tải về từ trang này và giữ nguyên dòng tiêu đề."
        )
    return found


def read_workbook(fileobj: IO[bytes]) -> list[RawRow]:
    import openpyxl

    _sniff(fileobj)
    try:
        wb = openpyxl.load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise ImportFileError("Tệp không phải Excel .xlsx hợp lệ.") from exc
    try:
        ws = wb[DATA_SHEET] if DATA_SHEET in wb.sheetnames else wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        header = next(it, None)
        if header is None or not any(v not in (None, "") for v in header):
            raise ImportFileError(f"Trang tính «{ws.title}» trống: không có dòng tiêu đề.")
        colmap = _map_header(header)
        rows: list[RawRow] = []
        for number, cells in enumerate(it, start=2):
            if not any(v is not None and (not isinstance(v, str) or v.strip()) for v in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise ImportFileError(f"Tệp có quá nhiều dòng: tối đa {MAX_ROWS} dòng mỗi lần.")
            cells = tuple(cells) + (None,) * max(0, len(header) - len(cells))
            rows.append(RawRow(number, {k: cells[i] for k, i in colmap.items()}))
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError("Tệp không phải Excel .xlsx hợp lệ.") from exc
    finally:
        wb.close()
    if not rows:
        raise ImportFileError("Tệp không có dòng dữ liệu nào: chỉ có dòng tiêu đề.")
    return rows


# ---------------------------------------------------------------------------------------------
# Checking


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        value = value.strftime("%d/%m/%Y")
    return " ".join(nfc(str(value)).split())


_DATE_RE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_date(value: Any) -> dt.date | None:
    """A date cell, or text dd/mm/yyyy (also with . or -), or yyyy-mm-dd; else None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    m = _DATE_RE.match(text)
    try:
        if m:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        m = _ISO_RE.match(text)
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    return None


def _kind(text: str) -> str | None:
    key = fold(text)
    if key in KIND_ALIASES:
        return KIND_ALIASES[key]
    for value, label in rules.KIND_LABELS.items():
        if key in (fold(label), value):
            return value
    return None


def _level(text: str) -> int | None | str:
    """1..4 from "2", "Mức độ 2", "Cấp độ 3"; None if empty; "" if unreadable."""
    if not text:
        return None
    m = re.fullmatch(r"(?:muc do|muc|cap do|cap)?\s*([1-4])", fold(text))
    return int(m[1]) if m else ""


def validate_rows(*, user, rows: list[RawRow], today: dt.date | None = None, lock=False):
    """Check every row (reads only). Rows of one school are checked in date order, each with the
    school's whole register (recognition.rules.check_sequence: the decisions already recorded,
    of any date, and the file's earlier rows), so a file may hold a school's whole history and
    a back-dated row cannot make a later recorded decision impossible."""
    today = today or timezone.localdate()
    codes = {_text(r.values.get("school_code")) for r in rows}
    schools_qs = School.objects.filter(code__in=[c for c in codes if c]).select_related("unit")
    if lock:
        schools_qs = schools_qs.select_for_update(of=("self",))
    schools = {s.code: s for s in schools_qs}
    allowed = {code: access.can_record(user, s) for code, s in schools.items()}
    existing: dict[int, list[Any]] = {}
    for d in RecognitionDecision.objects.filter(school__in=list(schools.values())).order_by(
        "signed_on", "id"
    ):
        existing.setdefault(d.school_id, []).append(d)

    checked: list[CheckedRow] = []
    seen: dict[tuple[str, str, dt.date], int] = {}
    for raw in rows:
        row = CheckedRow(raw.number)
        v = raw.values

        def err(key: str, message: str, row=row) -> None:
            row.errors.append(RowError(row.number, FIELD_COLUMN.get(key, ""), message))

        code = _text(v.get("school_code"))
        row.school_code = code
        school = schools.get(code)
        if not code:
            err("school_code", "không được để trống.")
        elif school is None or not allowed.get(code):
            # Unknown and out-of-scope read the same, so codes elsewhere cannot be probed.
            err(
                "school_code", f"không có trường mã «{code}» trong phạm vi bạn được ghi quyết định."
            )
        row.school = school if school is not None and allowed.get(code) else None

        number = _text(v.get("number"))
        if not number:
            err("number", "không được để trống.")
        elif len(number) > 60:
            err("number", "dài quá 60 ký tự.")
        signed_raw = v.get("signed_on")
        signed_on = parse_date(signed_raw)
        if signed_raw in (None, ""):
            err("signed_on", "không được để trống.")
        elif signed_on is None:
            err("signed_on", f"«{_text(signed_raw)}» không phải ngày hợp lệ (dd/mm/yyyy).")
        kind_text = _text(v.get("kind"))
        kind = _kind(kind_text) if kind_text else None
        if not kind_text:
            err("kind", "không được để trống.")
        elif kind is None:
            err(
                "kind",
                f"«{kind_text}» không phải loại quyết định hợp lệ (xem trang «{HELP_SHEET}»).",
            )
        level = _level(_text(v.get("level")))
        if level == "":
            err("level", f"«{_text(v.get('level'))}» không hợp lệ: ghi 1, 2, 3 hoặc 4.")
            level = None
        for key, limit in (("signing_body", 200), ("signer_title", 120), ("signer_name", 120)):
            if len(_text(v.get(key))) > limit:
                err(key, f"dài quá {limit} ký tự.")
        if number and signed_on and code:
            key3 = (code, number, signed_on)
            if key3 in seen:
                err("number", f"trùng với dòng {seen[key3]} (cùng trường, số và ngày ký).")
            else:
                seen[key3] = raw.number
        row.values = {
            "kind": kind,
            "number": number,
            "signed_on": signed_on,
            "signing_body": _text(v.get("signing_body")),
            "signer_title": _text(v.get("signer_title")),
            "signer_name": _text(v.get("signer_name")),
            "level": level,
            "framework_code": _text(v.get("framework_code")),
            "note": nfc(str(v.get("note") or "")),
        }
        checked.append(row)

    # Register rules, per school, in date order (file order breaks ties).
    by_school: dict[int, list[CheckedRow]] = {}
    for row in checked:
        if row.school is not None and not row.errors:
            by_school.setdefault(row.school.pk, []).append(row)
    for school_id, items in by_school.items():
        history: list[Any] = list(existing.get(school_id, []))
        for row in sorted(items, key=lambda r: (r.values["signed_on"], r.number)):
            result = clean_decision(school=row.school, data=row.values, prior=history, today=today)
            for key, messages in result.errors.items():
                for message in messages:
                    row.errors.append(RowError(row.number, FIELD_COLUMN.get(key, ""), message))
            row.values = result.values
            if not row.errors:
                history.append({**result.values, "id": None})
    return ImportPlan(rows=checked)


# ---------------------------------------------------------------------------------------------
# Template


def build_template(schools: Iterable[School]):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    ws.append([c.label for c in COLUMNS])
    for idx, col in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=idx)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="9C2A00" if col.required else "1F4E79")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(idx)].width = col.width
    ws.freeze_panes = "A2"
    kinds = ",".join(label for label, _ in KIND_EXAMPLES)
    dv = DataValidation(type="list", formula1=f'"{kinds}"', allow_blank=False)
    ws.add_data_validation(dv)
    kind_col = get_column_letter(list(COLUMN_BY_KEY).index("kind") + 1)
    dv.add(f"{kind_col}2:{kind_col}{MAX_ROWS}")
    # Dates typed as text stay text: the column is formatted as dd/mm/yyyy dates.
    date_col = get_column_letter(list(COLUMN_BY_KEY).index("signed_on") + 1)
    for r in range(2, 202):
        ws[f"{date_col}{r}"].number_format = "DD/MM/YYYY"

    help_ws = wb.create_sheet(HELP_SHEET)
    help_ws.append(["Cột", "Bắt buộc", "Cách ghi"])
    for c in COLUMNS:
        help_ws.append([c.header, "Có" if c.required else "", c.help])
    help_ws.append([])
    help_ws.append(["Loại quyết định (ghi một trong các giá trị)", "", "Ý nghĩa"])
    for label, value in KIND_EXAMPLES:
        help_ws.append([label, "", rules.KIND_LABELS[value]])
    help_ws.append([])
    for line in (
        "Hiệu lực = ngày ký + 5 năm, hệ thống tự tính (thu hồi không có hiệu lực).",
        "Các dòng của một trường được kiểm tra theo thứ tự ngày ký, cùng với các quyết định đã có"
        " trong sổ (kể cả quyết định ký sau ngày của dòng): nâng mức cần đang đạt Mức độ 1 và đủ"
        " thời gian tối thiểu; công nhận lại cần có công nhận trước đó; thu hồi cần công nhận còn"
        " hiệu lực; một dòng ghi lùi ngày không được làm quyết định ký sau nó mất hợp lệ.",
        "Chỉ cần một dòng lỗi là không dòng nào được ghi.",
    ):
        help_ws.append([line])
    help_ws.column_dimensions["A"].width = 40
    help_ws.column_dimensions["C"].width = 90
    for cell in help_ws[1]:
        cell.font = Font(bold=True)

    sch = wb.create_sheet(SCHOOL_SHEET)
    sch.append(["Mã trường", "Tên trường", "Xã/phường"])
    for s in schools:
        sch.append([s.code, s.name, s.unit.name])
    for letter, width in (("A", 22), ("B", 48), ("C", 28)):
        sch.column_dimensions[letter].width = width
    for cell in sch[1]:
        cell.font = Font(bold=True)
    return wb
