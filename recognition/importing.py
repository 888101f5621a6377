"""The recognition register's import spec (core.imports pipeline): historical decisions read
from an .xlsx, every row checked (no writes) with the register's rules, then written all or
nothing (`recognition_import_write`). One bad row and nothing is written; every message names
the row and the column."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import IO, Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import has_perm, schools_where
from core import audit
from core.imports import (
    CheckedRow,
    Column,
    ImportFileError,
    ImportPlan,
    ImportResult,
    ImportSpec,
    RawRow,
    RowError,
    Sheet,
    parse_date,
)
from core.imports import cell_text as _text
from core.text import fold, format_date_short, format_int, nfc
from recognition import rules
from recognition.checks import clean_decision
from recognition.models import RecognitionDecision
from recognition.services import refresh_standard_levels
from schools.models import School

DATA_SHEET = "Quyết định công nhận"
HELP_SHEET = "Hướng dẫn"
SCHOOL_SHEET = "Mã trường"
MAX_ROWS = 20_000


COLUMNS: tuple[Column, ...] = (
    Column(
        "school_code",
        "Mã trường",
        True,
        "Mã trường như trong danh sách trường.",
        20,
        "(mã ở trang «Mã trường»)",
        as_text=True,
    ),
    Column("number", "Số quyết định", True, "Ví dụ: 1234/QĐ-SGDĐT.", 20, "1234/QĐ-SGDĐT"),
    Column(
        "signed_on",
        "Ngày ký",
        True,
        "Ngày/tháng/năm, ví dụ 15/12/2020.",
        12,
        dt.date(2020, 12, 15),
    ),
    Column("kind", "Loại quyết định", True, "Một trong các loại ở bảng dưới.", 30, "Công nhận mới"),
    Column(
        "level",
        "Mức/Cấp độ",
        False,
        "Chuẩn quốc gia: 1 hoặc 2 (Mức độ). Kiểm định: 1–4 (Cấp độ). Thu hồi: để trống.",
        12,
        1,
    ),
    Column(
        "signing_body",
        "Cơ quan ban hành",
        True,
        "Ví dụ: Sở GD&ĐT Lai Châu.",
        26,
        "Sở GD&ĐT Lai Châu",
    ),
    Column("signer_title", "Chức vụ người ký", False, "Ví dụ: Giám đốc.", 18, "Giám đốc"),
    Column("signer_name", "Người ký", False, "Họ và tên.", 22, "Lê Văn C"),
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


@dataclass
class DecisionRow(CheckedRow):
    school: School | None = None
    school_code: str = ""

    @property
    def kind_label(self) -> str:
        return rules.KIND_LABELS.get(self.data.get("kind") or "", "")

    @property
    def signed_on_text(self) -> str:
        day = self.data.get("signed_on")
        return format_date_short(day) if isinstance(day, dt.date) else ""


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


def validate_rows(
    *, user, rows: list[RawRow], today: dt.date | None = None, lock: bool = False
) -> ImportPlan:
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
    allowed = {code: has_perm(user, "recognition.record", s) for code, s in schools.items()}
    existing: dict[int, list[Any]] = {}
    for d in RecognitionDecision.objects.filter(school__in=list(schools.values())).order_by(
        "signed_on", "id"
    ):
        existing.setdefault(d.school_id, []).append(d)

    checked: list[DecisionRow] = []
    seen: dict[tuple[str, str, dt.date], int] = {}
    for raw in rows:
        row = DecisionRow(raw.number)
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
            # One signed decision may recognise both the accreditation (Cấp độ) and the national
            # standard (Mức độ): two rows, one per track, with the same number and date.
            key3 = (code, number, signed_on, rules.TRACK_OF.get(kind or ""))
            if key3 in seen:
                err(
                    "number",
                    f"trùng với dòng {seen[key3]} (cùng trường, số, ngày ký và loại công nhận).",
                )
            else:
                seen[key3] = raw.number
        row.data = {
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
    by_school: dict[int, list[DecisionRow]] = {}
    for row in checked:
        if row.school is not None and not row.errors:
            by_school.setdefault(row.school.pk, []).append(row)
    for school_id, items in by_school.items():
        history: list[Any] = list(existing.get(school_id, []))
        for row in sorted(items, key=lambda r: (r.data["signed_on"], r.number)):
            result = clean_decision(school=row.school, data=row.data, prior=history, today=today)
            for key, messages in result.errors.items():
                for message in messages:
                    row.errors.append(RowError(row.number, FIELD_COLUMN.get(key, ""), message))
            row.data = result.values
            if not row.errors:
                history.append({**result.values, "id": None})
    for row in checked:
        if row.errors:
            row.action = "error"
    return ImportPlan(rows=checked)


# ---------------------------------------------------------------------------------------------
# Writing


def recognition_import_write(*, user, plan: ImportPlan, today: dt.date) -> ImportResult:
    """Write a checked plan in the caller's transaction (ImportSpec.run) and refresh the
    schools' cached standard level."""
    objs = []
    for row in plan.rows:
        obj = RecognitionDecision(school=row.school, created_by=user, **row.data)
        obj.prepare()
        objs.append(obj)
    RecognitionDecision.objects.bulk_create(objs, batch_size=500)
    audit.bulk_history(objs, user=user, reason=gettext_lazy("Nhập từ Excel"))  # audit: bulk write
    school_ids = {row.school.pk for row in plan.rows}
    refresh_standard_levels(today=today, school_ids=school_ids)
    return ImportResult(created=len(objs), extra={"schools": len(school_ids)}, objects=objs)


# ---------------------------------------------------------------------------------------------
# The spec


def recordable_schools(user):
    """Schools the user may record decisions for, for the template's school sheet."""
    qs = schools_where(user, "recognition.record").select_related("unit")
    return qs.order_by("unit__sort_key", "sort_key")


class RecognitionImportSpec(ImportSpec):
    key = "recognition_import"
    title = gettext_lazy("Nhập quyết định công nhận từ Excel")
    data_sheet = DATA_SHEET
    help_sheet = HELP_SHEET
    columns = COLUMNS
    key_column = "school_code"
    require_all_columns = False
    max_rows = MAX_ROWS
    template_filename = "mau-nhap-quyet-dinh-cong-nhan.xlsx"
    page_template = "programme/import.html"
    actions = ("new",)
    notes = (
        "Hiệu lực = ngày ký + 5 năm, hệ thống tự tính (thu hồi không có hiệu lực).",
        "Các dòng của một trường được kiểm tra theo thứ tự ngày ký, cùng với các quyết định đã có"
        " trong sổ (kể cả quyết định ký sau ngày của dòng): nâng mức cần đang đạt Mức độ 1 và đủ"
        " thời gian tối thiểu; công nhận lại cần có công nhận trước đó; thu hồi cần công nhận còn"
        " hiệu lực; một dòng ghi lùi ngày không được làm quyết định ký sau nó mất hợp lệ.",
    )
    preview_columns = (
        (gettext_lazy("Mã trường"), lambda r: r.school_code),
        (gettext_lazy("Số quyết định"), lambda r: r.data.get("number")),
        (gettext_lazy("Ngày ký"), lambda r: r.signed_on_text),
        (gettext_lazy("Loại"), lambda r: r.kind_label),
        (gettext_lazy("Mức"), lambda r: r.data.get("level") or ""),
        (gettext_lazy("Bộ tiêu chuẩn"), lambda r: r.data.get("framework_code")),
    )

    def can_import(self, user, context) -> bool:
        return has_perm(user, "recognition.import")

    def check(self, *, user, context, rows: list[RawRow], lock: bool = False) -> ImportPlan:
        return validate_rows(user=user, rows=rows, lock=lock)

    def write(self, *, user, context, plan: ImportPlan) -> ImportResult:
        return recognition_import_write(user=user, plan=plan, today=timezone.localdate())

    def dropdowns(self, context) -> dict[str, list[str]]:
        return {"kind": [label for label, _v in KIND_EXAMPLES]}

    def help_lines(self, *, user, context) -> list[list[Any]]:
        lines: list[list[Any]] = [["Loại quyết định (ghi một trong các giá trị)", "", "Ý nghĩa"]]
        lines += [[label, "", rules.KIND_LABELS[value]] for label, value in KIND_EXAMPLES]
        return lines

    def reference_sheets(self, *, user, context) -> list[Sheet]:
        schools = recordable_schools(user).iterator(chunk_size=2000)
        return [
            Sheet(
                SCHOOL_SHEET,
                ["Mã trường", "Tên trường", "Xã/phường"],
                ([s.code, s.name, s.unit.name] for s in schools),
                (22, 48, 28),
            )
        ]

    def page_context(self, request, context) -> dict[str, Any]:
        return {"tab": "import"}

    def success_message(self, result: ImportResult, name: str) -> str:
        return _("Đã nhập tệp «%(name)s»: %(n)s quyết định của %(s)s trường.") % {
            "name": name,
            "n": format_int(result.created),
            "s": format_int(result.extra["schools"]),
        }

    def done_url(self, context) -> str:
        return reverse("programme:register")


SPEC = RecognitionImportSpec()


def read_workbook(fileobj: IO[bytes]) -> list[RawRow]:
    return SPEC.read(fileobj)


def recognition_import(*, user, rows: list[RawRow]) -> ImportResult:
    """All-or-nothing import: every row is checked again inside the transaction."""
    return SPEC.run(user=user, context=None, rows=rows)


__all__ = ["COLUMNS", "DATA_SHEET", "SPEC", "ImportFileError", "RowError", "read_workbook"]
