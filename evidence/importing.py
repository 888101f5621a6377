"""Reading and checking an Excel list of evidence (danh mục minh chứng), before anything is
written. Same rules as the school registry import: a template to download, a preview, every row
checked with a Vietnamese message naming the row and the column, nothing written if any row
fails (the write is services.evidence_import)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from assessments.models import Assessment
from core.text import fold, nfc
from frameworks.models import Criterion

from .codes import style_from_data
from .models import Evidence
from .uploads import XLSX, sniff

DATA_SHEET = "Danh mục minh chứng"
HELP_SHEET = "Hướng dẫn"
MAX_ROWS = 5000
XLSX_MIME = XLSX.content_type
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    help: str = ""

    @property
    def label(self) -> str:
        return f"{self.header}*" if self.required else self.header


COLUMNS: tuple[Column, ...] = (
    Column("criterion", "Tiêu chí", True, "Mã tiêu chí đầu tiên dùng minh chứng, ví dụ 1.1."),
    Column(
        "code",
        "Mã minh chứng",
        False,
        "Để trống để hệ thống tự cấp mã. Chỉ ghi khi chuyển danh mục giấy đã có mã; mã phải đúng "
        "kiểu của bộ tiêu chuẩn và thuộc tiêu chí ở cột «Tiêu chí».",
    ),
    Column("name", "Tên minh chứng", True, "Ví dụ: Quyết định thành lập Hội đồng tự đánh giá."),
    Column("number", "Số/ký hiệu", False, "Ví dụ: 15/QĐ-THHL."),
    Column("issued_on", "Ngày ban hành", False, "Ngày dạng dd/mm/yyyy, ví dụ 05/09/2025."),
    Column("issuer", "Nơi ban hành", False, "Cơ quan, nhóm hoặc cá nhân ban hành."),
    Column("box", "Số hộp", False, "Để trống: số thứ tự của tiêu chuẩn."),
    Column("link", "Đường dẫn", False, "Đường dẫn http(s) tới bản điện tử, nếu có."),
    Column("note", "Ghi chú", False, ""),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}


class ImportFileError(Exception):
    """The file as a whole cannot be read."""


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
    number: int
    values: dict[str, Any]


@dataclass
class CheckedRow:
    number: int
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)

    @property
    def error_text(self) -> str:
        return "; ".join(
            f"«{e.column}»: {e.message}" if e.column else e.message for e in self.errors
        )

    @property
    def criterion_code(self) -> str:
        crit = self.data.get("first_criterion")
        return crit.code if crit else str(self.data.get("criterion_text", ""))


@dataclass
class ImportPlan:
    rows: list[CheckedRow]
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    @property
    def error_rows(self) -> int:
        return sum(1 for r in self.rows if r.errors)


def _header_key(value: Any) -> str:
    return fold(str(value or "")).rstrip("*").strip()


def read_workbook(fileobj: IO[bytes]) -> list[RawRow]:
    """Raw rows of the sheet «Danh mục minh chứng» (else the first sheet)."""
    import zipfile

    import openpyxl

    fileobj.seek(0)
    if not fileobj.read(1):
        raise ImportFileError(_("Tệp rỗng (0 byte)."))
    if sniff(fileobj) is not XLSX:
        raise ImportFileError(
            _("Tệp không phải Excel .xlsx hợp lệ. Hãy dùng tệp mẫu tải về từ trang này.")
        )
    with zipfile.ZipFile(fileobj) as zf:
        if sum(i.file_size for i in zf.infolist()) > MAX_UNZIPPED_BYTES:
            raise ImportFileError(_("Tệp Excel bất thường (dữ liệu giải nén quá lớn)."))
    fileobj.seek(0)
    try:
        wb = openpyxl.load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise ImportFileError(_("Tệp không phải Excel .xlsx hợp lệ.")) from exc
    try:
        ws = wb[DATA_SHEET] if DATA_SHEET in wb.sheetnames else wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        header = next(it, None)
        if header is None or not any(v not in (None, "") for v in header):
            raise ImportFileError(
                _("Trang tính «%(sheet)s» trống: không có dòng tiêu đề.") % {"sheet": ws.title}
            )
        wanted = {_header_key(c.header): c for c in COLUMNS}
        colmap: dict[str, int] = {}
        dupes: list[str] = []
        for idx, value in enumerate(header):
            col = wanted.get(_header_key(value))
            if col is None:
                continue
            if col.key in colmap:
                dupes.append(col.header)
            colmap[col.key] = idx
        missing = [c.label for c in COLUMNS if c.required and c.key not in colmap]
        if missing or dupes:
            problems = []
            if missing:
                problems.append(_("thiếu cột %(c)s") % {"c": ", ".join(f"«{m}»" for m in missing)})
            if dupes:
                problems.append(
                    _("cột %(c)s xuất hiện hai lần") % {"c": ", ".join(f"«{d}»" for d in dupes)}
                )
            raise ImportFileError(
                _(
                    "Dòng tiêu đề (dòng 1) không đúng mẫu: %(p)s. Hãy dùng tệp mẫu tải về từ trang này."
                )
                % {"p": "; ".join(problems)}
            )
        rows: list[RawRow] = []
        for number, cells in enumerate(it, start=2):
            if not any(v is not None and (not isinstance(v, str) or v.strip()) for v in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise ImportFileError(
                    _("Tệp có quá nhiều dòng: tối đa %(n)s dòng mỗi lần nhập.") % {"n": MAX_ROWS}
                )
            values = {
                key: (cells[idx] if idx < len(cells) else None) for key, idx in colmap.items()
            }
            rows.append(RawRow(number, values))
    except ImportFileError:
        raise
    except Exception as exc:  # damaged XML inside a valid zip shows up while iterating
        raise ImportFileError(_("Tệp không phải Excel .xlsx hợp lệ.")) from exc
    finally:
        wb.close()
    if not rows:
        raise ImportFileError(
            _("Tệp không có dòng dữ liệu nào: chỉ có dòng tiêu đề. Hãy điền từ dòng 2.")
        )
    return rows


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(nfc(str(value)).split())


def _criterion_text(value: Any) -> str:
    """Excel stores "1.1" typed in a cell as the number 1.1 (and "1.10" as 1.1 too — the
    template formats the column as text to avoid that)."""
    if isinstance(value, float):
        return repr(value)
    return _text(value).removeprefix("Tiêu chí ").removeprefix("tiêu chí ").strip()


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


_url = URLValidator(schemes=["http", "https"])


def validate_rows(*, assessment: Assessment, rows: list[RawRow]) -> ImportPlan:
    """Check every row against the framework's criteria and the codes already in the register.
    Pure reads; a handful of queries whatever the number of rows."""
    style = style_from_data(assessment.framework.data)
    criteria = {
        c.code: c
        for c in Criterion.objects.filter(framework=assessment.framework).select_related("standard")
    }
    taken = dict(Evidence.objects.filter(assessment=assessment).values_list("code", "name"))
    seen_codes: dict[str, int] = {}
    out: list[CheckedRow] = []
    errors: list[RowError] = []
    for raw in rows:
        row = CheckedRow(raw.number)
        v, d = raw.values, row.data

        def err(key: str, message: str, row=row, raw=raw) -> None:
            row.errors.append(RowError(raw.number, COLUMN_BY_KEY[key].header, message))

        ctext = _criterion_text(v.get("criterion"))
        d["criterion_text"] = ctext
        crit = criteria.get(ctext)
        if not ctext:
            err("criterion", _("không được để trống."))
        elif crit is None:
            err(
                "criterion",
                _("không có tiêu chí «%(c)s» trong bộ tiêu chuẩn %(fw)s.")
                % {"c": ctext, "fw": assessment.framework.code},
            )
        d["first_criterion"] = crit

        for key, limit in (("name", 500), ("number", 120), ("issuer", 255)):
            d[key] = _text(v.get(key))
            if len(d[key]) > limit:
                err(key, _("dài quá %(n)s ký tự.") % {"n": limit})
        if not d["name"]:
            err("name", _("không được để trống."))
        d["note"] = nfc(str(v.get("note") or ""))

        d["issued_on"] = None
        if v.get("issued_on") not in (None, ""):
            try:
                d["issued_on"] = _parse_date(v.get("issued_on"))
            except ValueError:
                err(
                    "issued_on",
                    _("«%(v)s» không phải ngày hợp lệ; hãy ghi dạng dd/mm/yyyy, ví dụ 05/09/2025.")
                    % {"v": _text(v.get("issued_on"))},
                )

        d["box"] = None
        box_text = _text(v.get("box"))
        if box_text:
            if box_text.isdigit() and 1 <= int(box_text) <= 999:
                d["box"] = int(box_text)
            else:
                err(
                    "box",
                    _("«%(v)s» không hợp lệ: số hộp là số nguyên từ 1 đến 999.") % {"v": box_text},
                )

        d["link"] = _text(v.get("link"))
        if d["link"]:
            try:
                _url(d["link"])
            except ValidationError:
                err("link", _("đường dẫn phải bắt đầu bằng http:// hoặc https://."))
            if len(d["link"]) > 1000:
                err("link", _("dài quá %(n)s ký tự.") % {"n": 1000})

        d["code"] = ""
        code_text = _text(v.get("code"))
        if code_text:
            parts = style.parse(code_text)
            if parts is None:
                err(
                    "code",
                    _("«%(v)s» không đúng kiểu mã của bộ tiêu chuẩn (ví dụ %(ex)s).")
                    % {
                        "v": code_text,
                        "ex": style.example or style.show(style.make(criterion="1.1", seq=1)),
                    },
                )
            elif crit is not None and parts["criterion"] != crit.code:
                err(
                    "code",
                    _(
                        "mã «%(v)s» thuộc tiêu chí %(a)s, không phải tiêu chí %(b)s ở cột «Tiêu chí»."
                    )
                    % {"v": code_text, "a": parts["criterion"], "b": crit.code},
                )
            elif crit is not None:
                seq = int(parts["seq"])
                box = int(parts["box"]) if parts.get("box") else d["box"]
                code = style.make(criterion=crit.code, seq=seq, box=box)
                if seq < 1:
                    err("code", _("số thứ tự trong mã phải từ 01."))
                elif code in taken:
                    err(
                        "code",
                        _("mã %(c)s đã có trong danh mục (%(n)s).")
                        % {"c": style.show(code), "n": taken[code]},
                    )
                elif code in seen_codes:
                    err(
                        "code",
                        _("mã %(c)s trùng với dòng %(r)s.")
                        % {"c": style.show(code), "r": seen_codes[code]},
                    )
                else:
                    seen_codes[code] = raw.number
                    d["code"], d["seq"] = code, seq
                    if parts.get("box"):
                        d["box"] = box
        errors.extend(row.errors)
        out.append(row)
    # Two rows of one criterion with codes sharing a number but different boxes would collide
    # on (criterion, seq): report it on the later row.
    seqs: dict[tuple[int, int], int] = {}
    used_seqs = set(
        Evidence.objects.filter(assessment=assessment).values_list("first_criterion_id", "seq")
    )
    for row in out:
        if row.data.get("code") and row.data.get("first_criterion"):
            key = (row.data["first_criterion"].pk, row.data["seq"])
            if (key in seqs or key in used_seqs) and not row.errors:
                e = RowError(
                    row.number,
                    COLUMN_BY_KEY["code"].header,
                    _("số thứ tự %(s)02d của tiêu chí %(c)s đã được dùng.")
                    % {"s": key[1], "c": row.data["first_criterion"].code},
                )
                row.errors.append(e)
                errors.append(e)
            seqs[key] = row.number
    return ImportPlan(out, errors)


def build_template(assessment: Assessment) -> io.BytesIO:
    """The .xlsx template: header row, criterion column as text, a help sheet listing the
    framework's criteria and the code style."""
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    style = style_from_data(assessment.framework.data)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    widths = {
        "criterion": 10,
        "code": 18,
        "name": 60,
        "number": 18,
        "issued_on": 16,
        "issuer": 30,
        "box": 10,
        "link": 40,
        "note": 30,
    }
    for idx, col in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=idx, value=col.label)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = get_column_letter(idx)
        ws.column_dimensions[letter].width = widths.get(col.key, 16)
        if col.key in ("criterion", "code", "number"):
            for r in range(2, 1002):
                ws.cell(row=r, column=idx).number_format = "@"
    ws.freeze_panes = "A2"

    help_ws = wb.create_sheet(HELP_SHEET)
    help_ws.append(["Cột", "Bắt buộc", "Hướng dẫn"])
    for c in help_ws[1]:
        c.font = bold
    for col in COLUMNS:
        help_ws.append([col.header, "Có" if col.required else "", col.help])
    help_ws.append([])
    certainty = (
        " (CHƯA CHẮC CHẮN — chưa đối chiếu văn bản chính thức)" if style.is_uncertain else ""
    )
    help_ws.append(
        ["Kiểu mã", "", f"{style.show(style.template)}{certainty}. Ví dụ: {style.example}"]
    )
    help_ws.append(["Bộ tiêu chuẩn", "", assessment.framework.code])
    help_ws.append([])
    help_ws.append(["Tiêu chí", "", "Tên tiêu chí"])
    for crit in Criterion.objects.filter(framework=assessment.framework).order_by("position"):
        help_ws.append([crit.code, "", crit.title])
    help_ws.column_dimensions["A"].width = 18
    help_ws.column_dimensions["C"].width = 100
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf
