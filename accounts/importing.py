"""Accounts from Excel (issue 14 §1), through the one import pipeline (core.imports): one row
per person with their first seat. Every row is checked like the "Thêm tài khoản" form (the
login free, the place in the manager's scope, the role one the manager may give — the
permission table's `account.manage`) and the file is written all or nothing.

People with an e-mail get a set-up link by mail; for the others, the page right after the
import offers the initial passwords once, as an .xlsx built in that response and embedded in
it: nothing but the password hashes is stored."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import services
from accounts.models import Membership, Role
from accounts.permissions import has_perm, scope_for
from core.imports import (
    CheckedRow,
    Column,
    ImportPlan,
    ImportResult,
    ImportSpec,
    RawRow,
    RowError,
    Sheet,
    cell_text,
    choice,
    duplicates,
    text,
)
from core.imports.flow import ImportFlow
from core.text import format_int

DATA_SHEET = "Tài khoản"
PLACE_SHEET = "Mã đơn vị, trường"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
YES_NO = [("1", "Có"), ("0", "Không")]

COLUMNS: tuple[Column, ...] = (
    Column(
        "full_name", "Họ và tên", True, "Họ và tên đầy đủ, có dấu.", 28, "Lò Thị Mai", text(150)
    ),
    Column(
        "username",
        "Tên đăng nhập",
        True,
        "Chữ không dấu, số và . _ - @ (không dấu cách); chưa ai dùng.",
        20,
        "mai.lt",
        text(150),
        as_text=True,
    ),
    Column(
        "email",
        "Thư điện tử",
        False,
        "Có thư điện tử: người dùng nhận thư để tự đặt mật khẩu. Không có: mật khẩu ban đầu "
        "tải về một lần ngay sau khi nhập.",
        28,
        "",
        text(254),
    ),
    Column("phone", "Điện thoại", False, "", 14, "", text(30), as_text=True),
    Column(
        "position",
        "Chức vụ",
        False,
        "Ví dụ: Giáo viên, Phó Hiệu trưởng.",
        20,
        "Giáo viên",
        text(200),
    ),
    Column(
        "place",
        "Mã đơn vị/trường",
        True,
        "Mã trường, hoặc mã xã/tỉnh (xem trang «Mã đơn vị, trường»).",
        20,
        "(mã ở trang «Mã đơn vị, trường»)",
        text(32),
        as_text=True,
    ),
    Column(
        "role",
        "Vai trò",
        True,
        "Một trong các vai trò ở bảng dưới (ghi tên hoặc mã).",
        30,
        str(Role.STAFF.label),
        choice(Role.choices),
    ),
    Column(
        "is_admin",
        "Quản trị tài khoản",
        False,
        "«Có»: cán bộ cấp tỉnh, cấp xã được quản lý tài khoản của đơn vị. Để trống: Không.",
        14,
        "",
        choice(YES_NO),
    ),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}


@dataclass(frozen=True)
class ImportInto:
    """What the account import writes into: nothing but the site's address, for the links of
    the set-up mails (the pipeline passes it to every step)."""

    base_url: str
    pk: None = None


@dataclass
class AccountRow(CheckedRow):
    unit: Any = None
    school: Any = None


@dataclass
class _Lookups:
    user: Any
    units: dict[str, Any] = field(default_factory=dict)
    schools: dict[str, Any] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)


def _error(row: CheckedRow, key: str, message: str) -> None:
    row.errors.append(RowError(row.number, COLUMN_BY_KEY[key].header, message))


class AccountImportSpec(ImportSpec):
    key = "account_import"
    title = gettext_lazy("Nhập tài khoản từ Excel")
    data_sheet = DATA_SHEET
    columns = COLUMNS
    key_column = "username"
    require_all_columns = False
    max_rows = 5000
    template_filename = "mau-nhap-tai-khoan.xlsx"
    actions = ("new",)
    notes = (
        "Mỗi dòng một người với vai trò đầu tiên của họ; có lỗi ở bất kỳ dòng nào thì không "
        "tạo tài khoản nào.",
        "Chỉ tạo được tài khoản trong phạm vi bạn quản lý và với vai trò không cao hơn vai trò "
        "của bạn.",
        "Lần đăng nhập đầu tiên, người dùng phải đổi mật khẩu.",
    )
    row_class = AccountRow
    preview_columns = (
        (gettext_lazy("Họ và tên"), lambda r: r.data.get("full_name")),
        (gettext_lazy("Tên đăng nhập"), lambda r: r.data.get("username")),
        (gettext_lazy("Thư điện tử"), lambda r: r.data.get("email")),
        (
            gettext_lazy("Vai trò"),
            lambda r: Role(r.data["role"]).label if r.data.get("role") else "",
        ),
        (gettext_lazy("Đơn vị/trường"), lambda r: str(r.school or r.unit or "")),
    )

    def can_import(self, user, context) -> bool:
        return has_perm(user, "account.manage")

    def lookups(self, *, user, context, rows: list[RawRow], lock: bool) -> _Lookups:
        codes = {cell_text(r.values.get("place")) for r in rows} - {""}
        names = {cell_text(r.values.get("username")).lower() for r in rows} - {""}
        scope = scope_for(user)
        # Case-insensitively, as the services refuse "Mai.LT" when "mai.lt" exists.
        taken = set(
            get_user_model()
            ._default_manager.annotate(login=Lower("username"))
            .filter(login__in=names)
            .values_list("login", flat=True)
        )
        return _Lookups(
            user=user,
            units={u.code: u for u in scope.units().filter(code__in=codes)},
            schools={
                s.code: s for s in scope.schools().filter(code__in=codes).select_related("unit")
            },
            taken=taken,
        )

    def check_row(self, row: AccountRow, lk: _Lookups) -> None:
        data = row.data
        data["email"] = data.get("email") or ""
        data["phone"] = data.get("phone") or ""
        data["position"] = data.get("position") or ""
        data["is_admin"] = data.get("is_admin") == "1"
        username = data["username"]
        try:
            get_user_model().username_validator(username)
        except ValidationError:
            _error(row, "username", _("chỉ gồm chữ không dấu, số và @ . + - _ (không dấu cách)."))
        if username.lower() in lk.taken:
            _error(row, "username", _("«%(name)s» đã có người dùng.") % {"name": username})
        if data["email"]:
            try:
                validate_email(data["email"])
            except ValidationError:
                _error(row, "email", _("không phải địa chỉ thư điện tử."))
        code = data["place"]
        row.school = lk.schools.get(code)
        row.unit = None if row.school else lk.units.get(code)
        if row.school is None and row.unit is None:
            _error(
                row,
                "place",
                _("không có trường hay đơn vị mã «%(code)s» trong phạm vi của bạn.")
                % {"code": code},
            )
            return
        problem = services.placement_error(data["role"], row.unit, row.school, data["is_admin"])
        if problem:
            _error(row, "role", problem)
            return
        seat = Membership(
            role=data["role"], unit=row.unit, school=row.school, is_admin=data["is_admin"]
        )
        if not has_perm(lk.user, "account.manage", seat):
            _error(row, "role", services.account_refusal(lk.user, seat))

    def check_rows(self, rows: list[CheckedRow], lk: _Lookups) -> None:
        for row in rows:
            row.data["_login"] = (row.data.get("username") or "").lower()
        duplicates(
            rows, ("_login",), COLUMN_BY_KEY["username"].header, _("trùng với dòng %(row)s.")
        )

    def write(self, *, user, context: ImportInto, plan: ImportPlan) -> ImportResult:
        made = []
        for row in plan.rows:
            data = row.data
            created = services.account_create(
                user=user,
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                position=data["position"],
                role=data["role"],
                unit=row.unit,
                school=row.school,
                is_admin=data["is_admin"],
                base_url=context.base_url,
            )
            made.append((created, row))
        handed = [
            (
                c.user.get_full_name(),
                c.user.username,
                c.password,
                Role(r.data["role"]).label,
                str(r.school or r.unit),
            )
            for c, r in made
            if c.password
        ]
        return ImportResult(
            created=len(made),
            extra={"passwords": handed, "mailed": sum(1 for c, _r in made if c.mailed)},
        )

    def dropdowns(self, context) -> dict[str, list[str]]:
        return {"role": [str(label) for label in Role.labels], "is_admin": ["Có", "Không"]}

    def help_lines(self, *, user, context) -> list[list[Any]]:
        lines: list[list[Any]] = [["Vai trò — ghi tên (hoặc mã)", "", "Mã"]]
        lines += [[str(label), "", value] for value, label in Role.choices]
        return lines

    def reference_sheets(self, *, user, context) -> list[Sheet]:
        scope = scope_for(user)
        units = scope.units().current().order_by("depth", "sort_key")
        schools = scope.schools().select_related("unit").order_by("unit__sort_key", "code")
        rows = [[u.code, str(u), "Đơn vị"] for u in units.iterator(chunk_size=2000)]
        rows += [[s.code, s.name, s.unit.name] for s in schools.iterator(chunk_size=2000)]
        return [Sheet(PLACE_SHEET, ["Mã", "Tên", "Đơn vị / xã"], rows, (22, 48, 28))]

    def page_context(self, request, context) -> dict[str, Any]:
        return {"breadcrumbs": [(_("Tài khoản người dùng"), reverse("accounts:people"))]}

    def success_message(self, result: ImportResult, name: str) -> str:
        return _(
            "Đã nhập tệp «%(name)s»: tạo %(n)s tài khoản, %(m)s người nhận thư đặt mật khẩu."
        ) % {
            "name": name,
            "n": format_int(result.created),
            "m": format_int(result.extra.get("mailed", 0)),
        }

    def after_confirm(
        self, request: HttpRequest, context, result: ImportResult
    ) -> HttpResponse | None:
        """The initial passwords of people without e-mail, once, in this response only."""
        handed = result.extra.get("passwords") or []
        if not handed:
            return None
        response = render(
            request,
            "accounts/import_passwords.html",
            {
                "count": len(handed),
                "created": result.created,
                "mailed": result.extra.get("mailed", 0),
                "data_url": f"data:{XLSX_MIME};base64,"
                + base64.b64encode(passwords_xlsx(handed)).decode(),
            },
        )
        add_never_cache_headers(response)
        return response

    def done_url(self, context) -> str:
        return reverse("accounts:people")


def passwords_xlsx(rows: list[tuple]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Mật khẩu ban đầu"
    ws.append(["Họ và tên", "Tên đăng nhập", "Mật khẩu ban đầu", "Vai trò", "Đơn vị/trường"])
    for row in rows:
        ws.append([str(v) for v in row])  # labels are lazy translations
    for col, width in zip("ABCDE", (28, 20, 18, 30, 40), strict=True):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


SPEC = AccountImportSpec()


def _into(request: HttpRequest) -> ImportInto:
    return ImportInto(base_url=request.build_absolute_uri("/"))


people_import, people_import_template, people_import_confirm = ImportFlow(
    SPEC, "accounts:people_import", _into
).views()
