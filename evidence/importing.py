"""The evidence list's import spec (core.imports pipeline): a danh mục minh chứng read from
an .xlsx, every row checked with a Vietnamese message naming the row and the column, nothing
written if any row fails (`evidence_import_write`, inside ImportSpec.run's transaction)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import has_perm
from assessments.models import Assessment
from core.imports import (
    CheckedRow,
    Column,
    ImportFileError,
    ImportPlan,
    ImportRejected,
    ImportResult,
    ImportSpec,
    RawRow,
    RowError,
    parse_date,
)
from core.imports import cell_text as _text
from core.imports.template import XLSX_MIME
from core.text import nfc
from frameworks.codes import style_from_data
from frameworks.models import Criterion

from . import services
from .models import Evidence

DATA_SHEET = "Danh mục minh chứng"
HELP_SHEET = "Hướng dẫn"
MAX_ROWS = 5000


COLUMNS: tuple[Column, ...] = (
    Column(
        "criterion",
        "Tiêu chí",
        True,
        "Mã tiêu chí đầu tiên dùng minh chứng, ví dụ 1.1.",
        10,
        "1.1",
        as_text=True,
    ),
    Column(
        "code",
        "Mã minh chứng",
        False,
        "Để trống để hệ thống tự cấp mã. Chỉ ghi khi chuyển danh mục giấy đã có mã; mã phải đúng "
        "kiểu của bộ tiêu chuẩn và thuộc tiêu chí ở cột «Tiêu chí».",
        18,
        as_text=True,
    ),
    Column(
        "name",
        "Tên minh chứng",
        True,
        "Ví dụ: Quyết định thành lập Hội đồng tự đánh giá.",
        60,
        "Quyết định thành lập Hội đồng tự đánh giá",
    ),
    Column("number", "Số/ký hiệu", False, "Ví dụ: 15/QĐ-THHL.", 18, "15/QĐ-THHL", as_text=True),
    Column(
        "issued_on",
        "Ngày ban hành",
        False,
        "Ngày dạng dd/mm/yyyy, ví dụ 05/09/2025.",
        16,
        dt.date(2025, 9, 5),
    ),
    Column(
        "issuer", "Nơi ban hành", False, "Cơ quan, nhóm hoặc cá nhân ban hành.", 30, "Nhà trường"
    ),
    Column("box", "Số hộp", False, "Để trống: số thứ tự của tiêu chuẩn.", 10),
    Column("link", "Đường dẫn", False, "Đường dẫn http(s) tới bản điện tử, nếu có.", 40),
    Column("note", "Ghi chú", False, "", 30),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}


@dataclass
class EvidenceRow(CheckedRow):
    @property
    def criterion_code(self) -> str:
        crit = self.data.get("first_criterion")
        return crit.code if crit else str(self.data.get("criterion_text", ""))


def read_workbook(fileobj: IO[bytes]) -> list[RawRow]:
    """Raw rows of the sheet «Danh mục minh chứng» (else the first sheet)."""
    return SPEC.read(fileobj)


def _criterion_text(value: Any) -> str:
    """Excel stores "1.1" typed in a cell as the number 1.1 (and "1.10" as 1.1 too — the
    template formats the column as text to avoid that)."""
    if isinstance(value, float):
        return repr(value)
    return _text(value).removeprefix("Tiêu chí ").removeprefix("tiêu chí ").strip()


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
    out: list[EvidenceRow] = []
    for raw in rows:
        row = EvidenceRow(raw.number)
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
            d["issued_on"] = parse_date(v.get("issued_on"))
            if d["issued_on"] is None:
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
            seqs[key] = row.number
    for row in out:
        if row.errors:
            row.action = "error"
    return ImportPlan(out)


# ---------------------------------------------------------------------------------------------
# Writing


def evidence_import_write(*, user, assessment: Assessment, plan: ImportPlan) -> ImportResult:
    """Write a checked plan in the caller's transaction (ImportSpec.run): codes written in the
    file first, so that a generated number never takes one of them; one change-log entry."""
    created: list[Evidence] = []
    ordered = sorted(plan.rows, key=lambda r: (not r.data.get("code"), r.number))
    for row in ordered:
        d = row.data
        evidence = Evidence(
            assessment=assessment,
            uploaded_by=user,
            first_criterion=d["first_criterion"],
            name=d["name"],
            number=d["number"],
            issued_on=d["issued_on"],
            issuer=d["issuer"],
            note=d["note"],
            box=d["box"],
            link=d["link"],
        )
        if d.get("code"):
            # A code carried over from an existing paper register is kept as written.
            evidence.seq = d["seq"]
            evidence.code = d["code"]
            evidence.save(force_insert=True)
        else:
            services.insert_with_code(evidence)
        created.append(evidence)
    style = services.style_for(assessment)
    services.record_changes(
        user,
        assessment,
        [(f"evidence:{style.show(e.code)}", "", e.name) for e in created],
        note=_("Nhập từ Excel"),
    )
    created.sort(key=lambda e: (e.first_criterion.position, e.seq))
    return ImportResult(created=len(created), objects=created)


# ---------------------------------------------------------------------------------------------
# The spec


class EvidenceImportSpec(ImportSpec):
    key = "evidence_import"
    title = gettext_lazy("Nhập danh mục minh chứng từ Excel")
    data_sheet = DATA_SHEET
    help_sheet = HELP_SHEET
    columns = COLUMNS
    key_column = "criterion"
    require_all_columns = False
    max_rows = MAX_ROWS
    page_template = "evidence/import.html"
    preview_limit = 200
    actions = ("new",)
    forbidden = PermissionDenied  # the register's page is visible: inside the scope, 403
    notes = ("Cột «Mã minh chứng» để trống thì hệ thống tự cấp mã theo tiêu chí.",)
    preview_columns = (
        (gettext_lazy("Tiêu chí"), lambda r: r.criterion_code),
        (gettext_lazy("Mã minh chứng"), lambda r: r.data.get("code") or _("tự cấp")),
        (gettext_lazy("Tên minh chứng"), lambda r: r.data.get("name")),
        (
            gettext_lazy("Số, ngày ban hành"),
            lambda r: ", ".join(
                x
                for x in (
                    r.data.get("number") or "",
                    r.data["issued_on"].strftime("%d/%m/%Y") if r.data.get("issued_on") else "",
                )
                if x
            ),
        ),
    )

    def can_import(self, user, context: Assessment) -> bool:
        return has_perm(user, "evidence.manage", context)

    def check(self, *, user, context, rows: list[RawRow], lock: bool = False) -> ImportPlan:
        if lock:
            Assessment.objects.select_for_update().filter(pk=context.pk).first()
        return validate_rows(assessment=context, rows=rows)

    def run(self, *, user, context, rows: list[RawRow]) -> ImportResult:
        services.require_manage(user, context)
        return super().run(user=user, context=context, rows=rows)

    def write(self, *, user, context, plan: ImportPlan) -> ImportResult:
        return evidence_import_write(user=user, assessment=context, plan=plan)

    def filename(self, context: Assessment) -> str:
        return f"mau-danh-muc-minh-chung-{context.framework.code}.xlsx"

    def help_lines(self, *, user, context) -> list[list[Any]]:
        assessment = context
        style = style_from_data(assessment.framework.data)
        lines: list[list[Any]] = []
        lines.append([])
        certainty = (
            " (CHƯA CHẮC CHẮN — chưa đối chiếu văn bản chính thức)" if style.is_uncertain else ""
        )
        lines.append(
            ["Kiểu mã", "", f"{style.show(style.template)}{certainty}. Ví dụ: {style.example}"]
        )
        lines.append(["Bộ tiêu chuẩn", "", assessment.framework.code])
        lines.append([])
        lines.append(["Tiêu chí", "", "Tên tiêu chí"])
        for crit in Criterion.objects.filter(framework=assessment.framework).order_by("position"):
            lines.append([crit.code, "", crit.title])
        return lines

    def page_context(self, request, context) -> dict[str, Any]:
        return {"assessment": context, "style": services.style_for(context)}

    def success_message(self, result: ImportResult, name: str) -> str:
        return _("Đã nhập tệp «%(name)s»: %(n)s minh chứng.") % {"name": name, "n": result.created}

    def done_url(self, context) -> str:
        return reverse("evidence:register", kwargs={"assessment_id": context.pk})


SPEC = EvidenceImportSpec()


def evidence_import(*, user, assessment: Assessment, rows: list[RawRow]) -> ImportResult:
    """All or nothing: every row is checked again inside the transaction (the register may have
    changed since the preview) and one failing row rolls everything back."""
    return SPEC.run(user=user, context=assessment, rows=rows)


__all__ = [
    "COLUMNS",
    "DATA_SHEET",
    "SPEC",
    "XLSX_MIME",
    "ImportFileError",
    "ImportRejected",
    "RowError",
    "evidence_import",
    "read_workbook",
]
