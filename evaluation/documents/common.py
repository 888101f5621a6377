"""Pieces shared by the external evaluation documents: the NĐ30 spec of a document of the
school, of the Sở, of the team; level words; the team table."""

from __future__ import annotations

import datetime as dt

from assessments.documents import header
from documents import nd30
from documents.common import DocumentRequest
from documents.nd30 import Column, Row

from .data import EEData

SO_SYMBOL = "SGDĐT"


def split_number(number: str, symbol: str) -> tuple[str, str]:
    """A stored number "15/CV-THHL" carries its symbol: ("15", "CV-THHL"), so the header does
    not print "15/CV-THHL/CV-…"."""
    if "/" in number:
        head, tail = number.split("/", 1)
        return head.strip(), tail.strip()
    return number, symbol


def school_spec(data: EEData, req: DocumentRequest, **kw) -> nd30.DocumentSpec:
    day = req.header_date(kw.pop("default_date", None))
    given = req.header
    school = data.school
    number, symbol = split_number(
        given.get("number", "") or data.letter_number,
        f"{kw.pop('kind_symbol')}-{header.school_symbol(school)}",
    )
    return nd30.DocumentSpec(
        issuer=given.get("issuer") or school.name,
        managing_body=given.get("managing_body") or header.managing_body(school, day),
        place=given.get("place") or header.place_of(school),
        date=day,
        number=number,
        symbol=given.get("symbol") or symbol,
        signer_title=given.get("signer_title") or "HIỆU TRƯỞNG",
        signer_name=given.get("signer_name") or school.principal_name,
        signer_authority=given.get("signer_authority", ""),
        **kw,
    )


def department_spec(
    data: EEData,
    req: DocumentRequest,
    *,
    default_date: dt.date | None,
    kind_symbol: str,
    number: str = "",
    **kw,
) -> nd30.DocumentSpec:
    day = req.header_date(default_date)
    given = req.header
    dept = data.department
    number, symbol = split_number(given.get("number", "") or number, f"{kind_symbol}-{SO_SYMBOL}")
    return nd30.DocumentSpec(
        issuer=given.get("issuer") or dept.name,
        managing_body=given.get("managing_body") or dept.committee,
        place=given.get("place") or dept.place,
        date=day,
        number=number,
        symbol=given.get("symbol") or symbol,
        signer_title=given.get("signer_title") or "GIÁM ĐỐC",
        signer_name=given.get("signer_name", ""),
        signer_authority=given.get("signer_authority", ""),
        **kw,
    )


def level_phrase(data: EEData, level: int) -> str:
    return "Không đạt Mức 1" if level <= 0 else f"Đạt {data.level_name(level)}"


def level_predicate(data: EEData, level: int) -> str:
    """In a sentence: "đạt Mức 3", "không đạt Mức 1"."""
    return "không đạt Mức 1" if level <= 0 else f"đạt {data.level_name(level)}"


def team_table(data: EEData, *, signature: bool = False) -> tuple[list[Column], list[Row]]:
    columns = [
        Column("TT", 12, center=True),
        Column("Họ và tên", 45),
        Column("Chức vụ, đơn vị công tác", 55 if signature else 73),
        Column("Nhiệm vụ", 30 if signature else 35),
    ]
    if signature:
        columns.append(Column("Chữ ký", 23, signature=True))
    rows = []
    for n, m in enumerate(data.members, start=1):
        cells = [n, m.full_name, m.title, m.role_label]
        if signature:
            cells.append("")
        rows.append(Row(cells))
    return columns, rows
