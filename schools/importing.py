"""Reading and checking an Excel (.xlsx) file of schools, before anything is written.

Two steps, both free of writes: `read_workbook()` turns the uploaded bytes into raw rows
(refusing anything that is not a sane .xlsx with the template's header), and `validate_rows()`
checks every row against in-memory maps of communes and existing schools, so that 45,000 rows
cost a handful of queries, not 45,000. The write itself lives in `schools.services`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import Scope, has_perm, scope_for, units_where
from core.text import fold
from core.xlsx_import import (  # re-exported: views and services use them via this module
    Column,
    ImportFileError,
    RawRow,
    RowError,
    read_sheet,
)
from core.xlsx_import import cell_text as _text
from schools.models import Ownership, School, SchoolKind, SpecialType, StandardLevel
from units.models import AdminUnit

DATA_SHEET = "Danh sách trường"
HELP_SHEET = "Hướng dẫn"
COMMUNE_SHEET = "Mã xã phường"
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]*$")


COLUMNS: tuple[Column, ...] = (
    Column("code", "Mã trường", True, "Mã định danh duy nhất của trường (tối đa 32 ký tự)."),
    Column("name", "Tên trường", True, "Tên đầy đủ, ví dụ: Trường PTDTBT TH Huổi Luông."),
    Column("kind", "Cấp học", True, "Một trong các mã cấp học ở bảng dưới."),
    Column("ownership", "Loại hình", True, "Công lập, Tư thục hoặc Dân lập."),
    Column("special_type", "Loại trường đặc thù", False, "Để trống nếu không có."),
    Column("managing_body", "Cơ quan quản lý", False, "Ví dụ: UBND xã Phong Thổ."),
    Column(
        "commune",
        "Mã xã/phường",
        True,
        "Mã xã/phường chính thức 5 chữ số (ví dụ 03549). Có thể ghi «Tên xã, Tên tỉnh» "
        "nếu tên không trùng.",
    ),
    Column("founded_year", "Năm thành lập", False, "Bốn chữ số, ví dụ 1998."),
    Column("principal_name", "Hiệu trưởng", False, "Họ và tên."),
    Column("phone", "Điện thoại", False, ""),
    Column("email", "Email", False, "Địa chỉ thư điện tử hợp lệ."),
    Column("address", "Địa chỉ", False, ""),
    Column(
        "standard_level",
        "Chuẩn quốc gia",
        False,
        "0, 1, 2 hoặc «Chưa đạt», «Mức độ 1», «Mức độ 2». Để trống khi cập nhật thì giữ "
        "nguyên mức hiện có.",
    ),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
# Export adds names a person can read; import ignores them (the code is what counts).
EXPORT_EXTRA_HEADERS = ("Tên xã/phường", "Tỉnh/thành phố")

STANDARD_LABELS = {0: "Chưa đạt", 1: "Mức độ 1", 2: "Mức độ 2"}
# Fields written by the import (and compared to decide "update" vs "unchanged").
WRITE_FIELDS = (
    "name",
    "kind",
    "ownership",
    "special_type",
    "managing_body",
    "unit_id",
    "founded_year",
    "principal_name",
    "phone",
    "email",
    "address",
    "standard_level",
)


@dataclass
class CheckedRow:
    number: int
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    action: str = "new"  # new | update | same | error
    school: School | None = None  # the existing school, for updates
    unit: AdminUnit | None = None

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS[self.action])


@dataclass
class ImportPlan:
    rows: list[CheckedRow]
    errors: list[RowError]

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
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


# ---------------------------------------------------------------------------------------------
# Reading the file


def read_workbook(fileobj: IO[bytes]) -> list[RawRow]:
    """Raw rows of the sheet «Danh sách trường» (else the first). Every template column must
    be present, so an old or foreign file is refused at the header."""
    return read_sheet(fileobj, columns=COLUMNS, sheet_name=DATA_SHEET, key_column="code")


# ---------------------------------------------------------------------------------------------
# Checking rows


def _choice_map(choices: Iterable[tuple[Any, Any]], extra: dict[str, Any] | None = None):
    """fold(code) and fold(label) → value, and the same with spaces/underscores removed, so
    "TH & THCS", "th&thcs", "Tiểu học và Trung học cơ sở", "cong_lap", "Công lập" all match."""
    out: dict[str, Any] = {}
    for value, label in choices:
        for text in (str(value), str(label)):
            key = fold(text)
            if key:
                out[key] = value
                out[re.sub(r"[\s_]", "", key)] = value
    for text, value in (extra or {}).items():
        out[fold(text)] = value
    return out


class _Lookups:
    """Everything row checks need, loaded once per import."""

    def __init__(self, scope: Scope, codes: list[str]):
        self.scope = scope
        self.kinds = _choice_map(SchoolKind.choices)
        self.ownerships = _choice_map(Ownership.choices, {"cl": "cong_lap", "tt": "tu_thuc"})
        self.specials = _choice_map(
            [(v, lbl) for v, lbl in SpecialType.choices if v],
            {"khong": "", "-": ""},
        )
        self.standards = _choice_map(
            StandardLevel.choices,
            {**{fold(lbl): lvl for lvl, lbl in STANDARD_LABELS.items()}, "chua dat chuan": 0},
        )
        # Current communes only: official codes are reused over time (retired units keep
        # theirs), and a school is registered in today's map.
        units = list(
            AdminUnit.objects.current()
            .filter(parent__isnull=False)
            .select_related("parent")
            .only("id", "uid", "code", "name", "path", "parent__name", "parent__id")
        )
        self.by_code = {u.code: u for u in units}
        self.by_name: dict[tuple[str, str], list[AdminUnit]] = {}
        for u in units:
            self.by_name.setdefault((_place_key(u.name), _place_key(u.parent.name)), []).append(u)
        self._editable: dict[int, bool] = {}
        self._choices: dict[tuple[str, str], Any] = {}
        self.this_year = dt.date.today().year
        # Existing schools: all codes in one query, full rows only for the codes in the file.
        wanted = set(codes)
        existing_codes = [c for c in School.objects.values_list("code", flat=True) if c in wanted]
        self.existing: dict[str, School] = {}
        for start in range(0, len(existing_codes), 500):
            chunk = existing_codes[start : start + 500]
            for s in School.objects.filter(code__in=chunk).select_related("unit"):
                self.existing[s.code] = s

    def choice(self, table: dict[str, Any], text: str) -> Any:
        """The stored value for a typed code or label, or None. Memoised: a column such as
        «Cấp học» holds a handful of distinct texts over thousands of rows."""
        memo_key = (id(table), text)
        if memo_key not in self._choices:
            folded = fold(text)
            self._choices[memo_key] = table.get(folded, table.get(re.sub(r"[\s_]", "", folded)))
        return self._choices[memo_key]

    def can_edit_unit(self, unit: AdminUnit) -> bool:
        if unit.pk not in self._editable:
            self._editable[unit.pk] = has_perm(self.scope.user, "school.create", unit)
        return self._editable[unit.pk]


_PLACE_PREFIXES = ("thanh pho ", "tinh ", "xa ", "phuong ", "thi tran ", "dac khu ")


def _place_key(name: str) -> str:
    key = fold(name)
    for prefix in _PLACE_PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


_COLUMN_ORDER = {c.header: i for i, c in enumerate(COLUMNS)}
_MAX_LEN = {f.name: f.max_length for f in School._meta.concrete_fields if f.max_length}


def _max_len(key: str) -> int:
    return _MAX_LEN[key]


def _check_row(raw: RawRow, lk: _Lookups, seen: dict[str, int]) -> CheckedRow:
    row = CheckedRow(raw.number)
    v = raw.values
    d = row.data

    def err(key: str, message: str) -> None:
        row.errors.append(RowError(raw.number, COLUMN_BY_KEY[key].header, message))

    # Code: Excel turns "01234567" typed as a number into 1234567; a number is kept as digits.
    code = _text(v.get("code"))
    if not code:
        err("code", _("không được để trống."))
    elif len(code) > _max_len("code"):
        err("code", _("dài quá %(n)s ký tự.") % {"n": _max_len("code")})
    elif not CODE_RE.match(code):
        err(
            "code",
            _(
                "«%(code)s» có ký tự không hợp lệ: chỉ dùng chữ cái không dấu, chữ số, "
                "dấu chấm, gạch ngang, gạch dưới, không có khoảng trắng."
            )
            % {"code": code},
        )
    elif code in seen:
        err("code", _("mã «%(code)s» trùng với dòng %(row)s.") % {"code": code, "row": seen[code]})
    else:
        seen[code] = raw.number
    d["code"] = code

    name = _text(v.get("name"))
    if not name:
        err("name", _("không được để trống."))
    elif len(name) > _max_len("name"):
        err("name", _("dài quá %(n)s ký tự.") % {"n": _max_len("name")})
    d["name"] = name

    for key, table, required in (
        ("kind", lk.kinds, True),
        ("ownership", lk.ownerships, True),
        ("special_type", lk.specials, False),
    ):
        text = _text(v.get(key))
        value = lk.choice(table, text) if text else None
        if not text:
            if required:
                err(key, _("không được để trống."))
            value = ""
        elif value is None:
            err(
                key,
                _("giá trị «%(v)s» không hợp lệ (xem trang «Hướng dẫn» của tệp mẫu).")
                % {"v": text},
            )
        d[key] = value

    for key in ("managing_body", "principal_name", "phone", "address"):
        text = _text(v.get(key))
        if len(text) > _max_len(key):
            err(key, _("dài quá %(n)s ký tự.") % {"n": _max_len(key)})
        d[key] = text

    email = _text(v.get("email"))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            err("email", _("«%(v)s» không phải địa chỉ email hợp lệ.") % {"v": email})
    d["email"] = email

    # Founding year: a number, or text of four digits.
    year_raw = v.get("founded_year")
    year_text = _text(year_raw)
    year: int | None = None
    if year_text:
        this_year = lk.this_year
        if re.fullmatch(r"\d{4}", year_text) and 1800 <= int(year_text) <= this_year:
            year = int(year_text)
        else:
            err(
                "founded_year",
                _("«%(v)s» không phải năm hợp lệ (bốn chữ số, từ 1800 đến %(y)s).")
                % {"v": year_text, "y": this_year},
            )
    d["founded_year"] = year

    std_text = _text(v.get("standard_level"))
    std: int | None = None
    if std_text:
        std = lk.choice(lk.standards, std_text)
        if std is None and std_text in {"0", "1", "2"}:
            std = int(std_text)
        if std is None:
            err(
                "standard_level",
                _("«%(v)s» không hợp lệ: ghi 0, 1, 2 hoặc «Chưa đạt», «Mức độ 1», «Mức độ 2».")
                % {"v": std_text},
            )
    d["standard_level"] = std

    # Commune: official code (a number cell loses its leading zero: 3549 → 03549), or
    # "Tên xã, Tên tỉnh" when that pair names exactly one current commune.
    commune_raw = v.get("commune")
    commune_text = _text(commune_raw)
    unit: AdminUnit | None = None
    if not commune_text:
        err("commune", _("không được để trống."))
    elif commune_text.isdigit():
        unit = lk.by_code.get(commune_text.zfill(5))
        if unit is None:
            err("commune", _("không tìm thấy xã/phường mã %(v)s.") % {"v": commune_text})
    elif "," in commune_text:
        commune_name, _sep, province_name = commune_text.rpartition(",")
        matches = lk.by_name.get((_place_key(commune_name), _place_key(province_name)), [])
        if len(matches) == 1:
            unit = matches[0]
        elif not matches:
            err("commune", _("không tìm thấy xã/phường «%(v)s».") % {"v": commune_text})
        else:
            err(
                "commune",
                _("«%(v)s» trùng tên nhiều xã/phường: hãy ghi mã xã/phường.") % {"v": commune_text},
            )
    else:
        err(
            "commune",
            _("«%(v)s» không phải mã xã/phường (5 chữ số) hoặc «Tên xã, Tên tỉnh».")
            % {"v": commune_text},
        )
    if unit is not None and not lk.can_edit_unit(unit):
        err(
            "commune",
            _("xã/phường %(name)s (mã %(code)s) nằm ngoài phạm vi quản lý của bạn.")
            % {"name": unit.name, "code": unit.code},
        )
    row.unit = unit
    d["unit_id"] = unit.pk if unit else None

    existing = lk.existing.get(code) if code else None
    if existing is not None:
        row.school = existing
        # An import rewrites every field: only those who keep the whole entry (the unit).
        if not has_perm(lk.scope.user, "school.edit", existing):
            err(
                "code",
                _(
                    "mã «%(code)s» đã được dùng cho một trường ngoài phạm vi quản lý của bạn; "
                    "không thể cập nhật."
                )
                % {"code": code},
            )
        if d["standard_level"] is None:
            d["standard_level"] = existing.standard_level
        if not row.errors:
            same = all(getattr(existing, f) == d[f] for f in WRITE_FIELDS)
            row.action = "same" if same else "update"
    elif d["standard_level"] is None:
        d["standard_level"] = StandardLevel.NONE
    if row.errors:
        row.action = "error"
        row.errors.sort(key=lambda e: _COLUMN_ORDER.get(e.column, 99))
    return row


def validate_rows(*, user, rows: list[RawRow]) -> ImportPlan:
    """Check every row; returns the plan with every error. Reads only."""
    scope = scope_for(user)
    codes = [_text(r.values.get("code")) for r in rows]
    lookups = _Lookups(scope, [c for c in codes if c])
    seen: dict[str, int] = {}
    checked = [_check_row(r, lookups, seen) for r in rows]
    errors = [e for r in checked for e in r.errors]
    return ImportPlan(rows=checked, errors=errors)


def commune_choices(user) -> list[AdminUnit]:
    """Current communes the user may import into, for the template's third sheet."""
    qs = AdminUnit.objects.current().filter(parent__isnull=False).select_related("parent")
    qs = qs.filter(pk__in=units_where(user, "school.create").values("pk"))
    return list(qs.order_by("parent__sort_key", "sort_key"))


ACTION_LABELS = {
    "new": gettext_lazy("Thêm mới"),
    "update": gettext_lazy("Cập nhật"),
    "same": gettext_lazy("Không đổi"),
    "error": gettext_lazy("Có lỗi"),
}


__all__ = ["COLUMNS", "Column", "ImportFileError", "RawRow", "RowError", "read_workbook"]
