"""The school registry's import spec (core.imports pipeline): columns, who may import, the
row checks and the all-or-nothing write.

`read_workbook()` turns the uploaded bytes into raw rows (refusing anything that is not a sane
.xlsx with the template's header), `validate_rows()` checks every row against in-memory maps of
communes and existing schools, so that 45,000 rows cost a handful of queries, not 45,000, and
`school_import_write()` writes a checked plan with bulk_create/bulk_update."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import Scope, has_perm, scope_for, units_where
from core import audit
from core.imports import (  # re-exported: views, services and tests use them via this module
    ACTION_LABELS,
    Column,
    ImportFileError,
    ImportPlan,
    ImportRejected,
    ImportResult,
    ImportSpec,
    RawRow,
    RowError,
    Sheet,
    read_sheet,
)
from core.imports import CheckedRow as _CheckedRow
from core.imports import cell_text as _text
from core.imports import choice_map as _choice_map
from core.text import fold, format_date_short, format_int
from schools.models import (
    NATIONAL_CODE_MAX,
    NATIONAL_CODE_RE,
    Ownership,
    School,
    SchoolKind,
    SpecialType,
    StandardLevel,
)
from units.models import AdminUnit
from units.selectors import UnitAmbiguous, UnitNotResolved, resolve_unit

DATA_SHEET = "Danh sách trường"
HELP_SHEET = "Hướng dẫn"
COMMUNE_SHEET = "Mã xã phường"
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]*$")


COLUMNS: tuple[Column, ...] = (
    Column(
        "code",
        "Mã trường",
        True,
        "Mã định danh duy nhất của trường (tối đa 32 ký tự).",
        18,
        "LC-TH-01",
        as_text=True,
    ),
    Column(
        "name",
        "Tên trường",
        True,
        "Tên đầy đủ, ví dụ: Trường PTDTBT TH Huổi Luông.",
        42,
        "Trường PTDTBT TH Huổi Luông",
    ),
    Column("kind", "Cấp học", True, "Một trong các mã cấp học ở bảng dưới.", 14, "TH"),
    Column("ownership", "Loại hình", True, "Công lập, Tư thục hoặc Dân lập.", 14, "Công lập"),
    Column("special_type", "Loại trường đặc thù", False, "Để trống nếu không có.", 18, "PTDTBT"),
    Column("managing_body", "Cơ quan quản lý", False, "Ví dụ: UBND xã Phong Thổ.", 28, "UBND xã"),
    Column(
        "commune",
        "Mã xã/phường",
        True,
        "Mã xã/phường chính thức 5 chữ số (ví dụ 03549). Có thể ghi «Tên xã, Tên tỉnh» "
        "nếu tên không trùng.",
        14,
        "(mã ở trang «Mã xã phường»)",
        as_text=True,
    ),
    Column("founded_year", "Năm thành lập", False, "Bốn chữ số, ví dụ 1998.", 12, 1998),
    Column("principal_name", "Hiệu trưởng", False, "Họ và tên.", 24, "Lò Thị Mai"),
    Column("phone", "Điện thoại", False, "", 16, "0213 3895 123", as_text=True),
    Column("email", "Email", False, "Địa chỉ thư điện tử hợp lệ.", 28, "truong@example.edu.vn"),
    Column("address", "Địa chỉ", False, "", 36, "Bản Huổi Luông"),
    Column(
        "standard_level",
        "Chuẩn quốc gia",
        False,
        "0, 1, 2 hoặc «Chưa đạt», «Mức độ 1», «Mức độ 2». Để trống khi cập nhật thì giữ "
        "nguyên mức hiện có.",
        14,
        "Mức độ 1",
    ),
    Column(
        "national_code",
        "Mã trường CSDL ngành",
        False,
        "Mã do Cơ sở dữ liệu ngành cấp: chữ số và chữ cái không dấu, tối đa 20 ký tự; mỗi "
        "mã chỉ thuộc một trường. Để trống khi cập nhật thì giữ nguyên mã hiện có.",
        18,
        "12000101",
        as_text=True,
    ),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
# Export adds names a person can read; import ignores them (the code is what counts).
EXPORT_EXTRA_HEADERS = ("Tên xã/phường", "Tỉnh/thành phố")

STANDARD_LABELS = {0: "Chưa đạt", 1: "Mức độ 1", 2: "Mức độ 2"}
# Fields written by the import (and compared to decide "update" vs "unchanged").
WRITE_FIELDS = (
    "national_code",
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
class CheckedRow(_CheckedRow):
    school: School | None = None  # the existing school, for updates
    unit: AdminUnit | None = None


# ---------------------------------------------------------------------------------------------
# Reading the file


def read_workbook(fileobj: IO[bytes]) -> list[RawRow]:
    """Raw rows of the sheet «Danh sách trường» (else the first). Every template column must
    be present, so an old or foreign file is refused at the header."""
    return read_sheet(fileobj, columns=COLUMNS, sheet_name=DATA_SHEET, key_column="code")


# ---------------------------------------------------------------------------------------------
# Checking rows


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
        self.by_uid = {u.uid: u for u in units}
        self._old: dict[str, tuple[AdminUnit | None, str]] = {}
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
        # National database codes already held, to refuse a second school with one (two
        # columns of the schools that have one: a few hundred kilobytes at 45,000 schools).
        self.national_holders: dict[str, str] = dict(
            School.objects.exclude(national_code="").values_list("national_code", "code")
        )

    def choice(self, table: dict[str, Any], text: str) -> Any:
        """The stored value for a typed code or label, or None. Memoised: a column such as
        «Cấp học» holds a handful of distinct texts over thousands of rows."""
        memo_key = (id(table), text)
        if memo_key not in self._choices:
            folded = fold(text)
            self._choices[memo_key] = table.get(folded, table.get(re.sub(r"[\s_]", "", folded)))
        return self._choices[memo_key]

    def old_unit(self, text: str) -> tuple[AdminUnit | None, str]:
        """Today's commune an old (or differently written) name or code leads to, or a
        message saying why it leads nowhere single; ("", None) when nothing answers to it.
        Memoised: a file of one district repeats its old communes."""
        if text not in self._old:
            self._old[text] = self._resolve_old(text)
        return self._old[text]

    def _resolve_old(self, text: str) -> tuple[AdminUnit | None, str]:
        try:
            found = resolve_unit(text)
        except UnitAmbiguous as exc:
            return None, str(exc)
        except UnitNotResolved:
            return None, ""
        communes = [self.by_uid.get(u.uid) for u in found.today]
        if len(communes) == 1 and communes[0] is not None:
            return communes[0], ""
        if found.changed_on is None:
            return None, _("«%(v)s» là %(unit)s, không phải xã/phường.") % {
                "v": text,
                "unit": found.unit.name,
            }
        return None, _(
            "%(old)s (không còn từ ngày %(day)s) nay thuộc nhiều đơn vị: %(today)s. Hãy ghi "
            "mã xã/phường mới của trường."
        ) % {
            "old": found.unit.name,
            "day": format_date_short(found.changed_on),
            "today": ", ".join(f"{u.name} ({u.code})" for u in found.today),
        }

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

    national = _text(v.get("national_code"))
    if national and not NATIONAL_CODE_RE.match(national):
        err(
            "national_code",
            _(
                "«%(v)s» không hợp lệ: mã trường CSDL ngành chỉ gồm chữ số và chữ cái không "
                "dấu, tối đa %(n)s ký tự."
            )
            % {"v": national, "n": NATIONAL_CODE_MAX},
        )
    d["national_code"] = national

    # Commune: official code (a number cell loses its leading zero: 3549 → 03549), or
    # "Tên xã, Tên tỉnh" when that pair names exactly one current commune; failing both, an
    # old (pre-2025) name or code that leads to exactly one commune today.
    commune_raw = v.get("commune")
    commune_text = _text(commune_raw)
    unit: AdminUnit | None = None
    if not commune_text:
        err("commune", _("không được để trống."))
    elif commune_text.isdigit():
        unit = lk.by_code.get(commune_text.zfill(5))
        if unit is None:
            unit, problem = lk.old_unit(commune_text)
            if unit is None:
                err(
                    "commune",
                    problem or _("không tìm thấy xã/phường mã %(v)s.") % {"v": commune_text},
                )
    else:
        matches: list[AdminUnit] = []
        if "," in commune_text:
            commune_name, _sep, province_name = commune_text.rpartition(",")
            matches = lk.by_name.get((_place_key(commune_name), _place_key(province_name)), [])
        if len(matches) == 1:
            unit = matches[0]
        elif len(matches) > 1:
            err(
                "commune",
                _("«%(v)s» trùng tên nhiều xã/phường: hãy ghi mã xã/phường.") % {"v": commune_text},
            )
        else:
            unit, problem = lk.old_unit(commune_text)
            if unit is None and problem:
                err("commune", problem)
            elif unit is None and "," in commune_text:
                err("commune", _("không tìm thấy xã/phường «%(v)s».") % {"v": commune_text})
            elif unit is None:
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
        if not d["national_code"]:
            d["national_code"] = existing.national_code
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
    _check_national_codes(checked, lookups)
    return ImportPlan(rows=checked)


def _holder_message(national: str, holder_code: str, lk: _Lookups) -> str:
    """Names the school holding the code only when the importer may see it."""
    holder = School.objects.select_related("unit").filter(code=holder_code).first()
    if holder is not None and lk.scope.can_see_school(holder):
        return _("mã trường CSDL ngành «%(v)s» đã được dùng cho %(name)s (mã %(code)s).") % {
            "v": national,
            "name": holder.name,
            "code": holder.code,
        }
    return _(
        "mã trường CSDL ngành «%(v)s» đã được dùng cho một trường ngoài phạm vi quản lý của bạn."
    ) % {"v": national}


def _check_national_codes(rows: list[CheckedRow], lk: _Lookups) -> None:
    """One national database code per school, across the file and the registry. A code
    another school holds today is free only if that school's own row in this file gives it
    up (all rows are written together)."""
    final = {r.data["code"]: r.data.get("national_code", "") for r in rows if r.data.get("code")}
    first_row: dict[str, int] = {}
    header = COLUMN_BY_KEY["national_code"].header
    for row in rows:
        national = row.data.get("national_code", "")
        if not national or not NATIONAL_CODE_RE.match(national):
            continue
        message = None
        if national in first_row:
            message = _("mã trường CSDL ngành «%(v)s» trùng với dòng %(row)s.") % {
                "v": national,
                "row": first_row[national],
            }
        else:
            first_row[national] = row.number
            holder = lk.national_holders.get(national)
            # Blank cells of existing schools already read as "keep", so `final` is what
            # each school in the file will hold after the write.
            if holder and holder != row.data["code"] and final.get(holder, national) == national:
                message = _holder_message(national, holder, lk)
        if message:
            row.errors.append(RowError(row.number, header, message))
            row.errors.sort(key=lambda e: _COLUMN_ORDER.get(e.column, 99))
            row.action = "error"


def commune_choices(user) -> list[AdminUnit]:
    """Current communes the user may import into, for the template's third sheet."""
    qs = AdminUnit.objects.current().filter(parent__isnull=False).select_related("parent")
    qs = qs.filter(pk__in=units_where(user, "school.create").values("pk"))
    return list(qs.order_by("parent__sort_key", "sort_key"))


# ---------------------------------------------------------------------------------------------
# Writing

BATCH = 1000


def school_import_write(*, user, plan: ImportPlan) -> ImportResult:
    """Write a checked plan: new schools with bulk_create, changed ones with bulk_update, in the
    caller's transaction (ImportSpec.run). bulk_create/bulk_update bypass save(), so the NFC
    text, search_text and sort_key are computed here with refresh_text_keys()."""
    now = timezone.now()
    new: list[School] = []
    changed: list[School] = []
    versions: dict[int, int] = {}
    released: list[int] = []  # schools whose national code changes: cleared first
    for row in plan.rows:
        if row.action == "new":
            school = School(code=row.data["code"], **{f: row.data[f] for f in WRITE_FIELDS})
            school.refresh_text_keys()
            new.append(school)
        elif row.action == "update":
            school = row.school
            if school.national_code and school.national_code != row.data["national_code"]:
                released.append(school.pk)
            for f in WRITE_FIELDS:
                setattr(school, f, row.data[f])
            school.refresh_text_keys()
            school.updated_at = now  # auto_now is not applied by bulk_update
            versions[school.pk] = school.version
            school.version = F("version") + 1
            changed.append(school)
    try:
        # The unique index is checked row by row, so two schools trading codes in one file
        # would collide mid-statement; the codes they give up are freed before any is taken.
        for start in range(0, len(released), BATCH):
            School.objects.filter(pk__in=released[start : start + BATCH]).update(national_code="")
        School.objects.bulk_create(new, batch_size=BATCH)
        School.objects.bulk_update(
            changed,
            [*WRITE_FIELDS, "search_text", "sort_key", "updated_at", "version"],
            batch_size=BATCH // 4,
        )
        # Audit trail (core.audit): bulk writes bypass save(), so their history rows are
        # written here, in the same transaction, with the importing user.
        audit.bulk_history(new, user=user, reason=_("Nhập từ Excel"))
        for school in changed:
            school.version = versions[school.pk] + 1  # the F() above, as stored
        audit.bulk_history(changed, user=user, reason=_("Nhập từ Excel"), update=True)
    except IntegrityError as exc:
        # Someone else created one of these codes between our check and our insert.
        plan.extra_errors.append(
            RowError(
                None,
                None,
                _(
                    "Một số mã trường vừa được người khác thêm trong lúc nhập; không dòng "
                    "nào được ghi. Hãy tải tệp lên lại."
                ),
            )
        )
        raise ImportRejected(plan) from exc
    return ImportResult(created=len(new), updated=len(changed), unchanged=plan.count("same"))


# ---------------------------------------------------------------------------------------------
# The spec


class SchoolImportSpec(ImportSpec):
    key = "school_import"
    title = gettext_lazy("Nhập danh sách trường từ Excel")
    data_sheet = DATA_SHEET
    help_sheet = HELP_SHEET
    columns = COLUMNS
    key_column = "code"
    template_filename = "mau-nhap-danh-sach-truong.xlsx"
    page_template = "schools/import.html"
    preview_limit = 50
    notes = (
        "Mã trường đã có trong hệ thống thì dòng đó cập nhật trường ấy; mã mới thì thêm "
        "trường mới.",
        "Chỉ nhập được trường thuộc các xã/phường trong phạm vi quản lý của bạn "
        "(xem trang «Mã xã phường»).",
    )
    preview_columns = (
        (gettext_lazy("Mã trường"), lambda r: r.data.get("code")),
        (gettext_lazy("Tên trường"), lambda r: r.data.get("name")),
        (gettext_lazy("Cấp học"), lambda r: r.data.get("kind")),
        (gettext_lazy("Xã/phường"), lambda r: f"{r.unit.name} ({r.unit.code})" if r.unit else ""),
    )

    def can_import(self, user, context) -> bool:
        return has_perm(user, "school.import")

    def read(self, fileobj: IO[bytes], context: Any = None) -> list[RawRow]:
        return read_workbook(fileobj)

    def check(self, *, user, context, rows: list[RawRow], lock: bool = False) -> ImportPlan:
        return validate_rows(user=user, rows=rows)

    def write(self, *, user, context, plan: ImportPlan) -> ImportResult:
        return school_import_write(user=user, plan=plan)

    def dropdowns(self, context) -> dict[str, list[str]]:
        return {
            "kind": list(SchoolKind.values),
            "ownership": [str(lbl) for lbl in Ownership.labels],
            "special_type": [v for v in SpecialType.values if v],
            "standard_level": list(STANDARD_LABELS.values()),
        }

    def help_lines(self, *, user, context) -> list[list[Any]]:
        lines: list[list[Any]] = [["Cấp học — ghi mã (hoặc tên đầy đủ)"]]
        lines += [[value, str(label)] for value, label in SchoolKind.choices]
        lines += [[], ["Loại hình — ghi tên (hoặc mã)"]]
        lines += [[str(label), value] for value, label in Ownership.choices]
        lines += [[], ["Loại trường đặc thù — ghi mã (hoặc tên đầy đủ), để trống nếu không có"]]
        lines += [[value, str(label)] for value, label in SpecialType.choices if value]
        lines += [[], ["Chuẩn quốc gia"]]
        lines += [[label, str(level)] for level, label in STANDARD_LABELS.items()]
        lines += [
            [],
            ["Mã xã/phường"],
            [
                "Mã chính thức 5 chữ số của xã/phường hiện hành (sau 01/7/2025), ví dụ 03549 "
                "(Xã Phong Thổ, Lai Châu). Nếu Excel làm mất số 0 đầu (3549), hệ thống tự bổ "
                "sung. Có thể ghi «Tên xã, Tên tỉnh» (ví dụ «Xã Phong Thổ, Lai Châu») khi tên "
                "đó không trùng; mã vẫn là cách chắc chắn nhất."
            ],
            [
                "Hồ sơ cũ ghi xã, huyện trước 01/7/2025? Có thể ghi mã hoặc tên đơn vị cũ (ví dụ "
                "«Xã Huổi Luông, huyện Phong Thổ, tỉnh Lai Châu»): hệ thống đổi sang xã/phường "
                "hiện nay khi đơn vị cũ chỉ thuộc một xã/phường mới; nếu không, hệ thống liệt kê "
                "các xã/phường mới để chọn mã."
            ],
        ]
        return lines

    def reference_sheets(self, *, user, context) -> list[Sheet]:
        return [
            Sheet(
                COMMUNE_SHEET,
                ["Mã xã/phường", "Tên xã/phường", "Tỉnh/thành phố"],
                (
                    [u.code, u.name, u.parent.name if u.parent_id else ""]
                    for u in commune_choices(user)
                ),
                (14, 32, 28),
            )
        ]

    def page_context(self, request, context) -> dict[str, Any]:
        return {"breadcrumbs": [(_("Trường học"), reverse("schools:list"))]}

    def success_message(self, result: ImportResult, name: str) -> str:
        return _(
            "Đã nhập tệp «%(name)s»: %(new)s trường mới, %(upd)s trường cập nhật, "
            "%(same)s trường không thay đổi."
        ) % {
            "name": name,
            "new": format_int(result.created),
            "upd": format_int(result.updated),
            "same": format_int(result.unchanged),
        }

    def done_url(self, context) -> str:
        return reverse("schools:list")


SPEC = SchoolImportSpec()


def school_import(*, user, rows: list[RawRow]) -> ImportResult:
    """Check every row again (the registry may have changed since the preview) and write all of
    them in one transaction, or none (ImportRejected)."""
    return SPEC.run(user=user, context=None, rows=rows)


def school_import_file(*, user, fileobj: IO[bytes]) -> ImportResult:
    """Parse, check and write an .xlsx in one call (command line, benchmarks).
    Raises ImportFileError for an unreadable file, ImportRejected for row errors."""
    return school_import(user=user, rows=read_workbook(fileobj))


__all__ = [
    "ACTION_LABELS",
    "COLUMNS",
    "SPEC",
    "Column",
    "ImportFileError",
    "ImportRejected",
    "RawRow",
    "RowError",
    "read_workbook",
    "school_import",
    "school_import_file",
]
