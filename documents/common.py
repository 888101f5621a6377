"""What every document builder shares: the request (who asks, for which unit/plan/period), the
error shown to users, and the header texts derived from a unit ("Ủy ban nhân dân xã Phong
Thổ", place "Phong Thổ").

Rounding rule of every generated document (docx and xlsx):
- counts are exact integers; a total is the sum of the rows it closes (computed from the same
  rows, never read separately), so "Tổng cộng" always equals the sum of its rows;
- money is Decimal (million đồng), summed exactly, never rounded before summing; only the
  displayed figure is rounded (ROUND_HALF_UP);
- a percentage is computed from the counts (part × 100 / whole) and rounded once, half up, to
  2 decimals on the displayed figure (core.text.format_percent: 5/9 → "55,56%"); a total's
  percentage is computed from the total counts, never averaged from row percentages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from core.text import fold, format_int, nfc
from units.models import AdminUnit

# Division words as they start a unit's name, longest first ("thành phố" before "thành").
_DIVISION_WORDS = (
    "thành phố trung ương",
    "thành phố",
    "thị trấn",
    "thị xã",
    "đặc khu",
    "phường",
    "huyện",
    "quận",
    "tỉnh",
    "xã",
)

PERIODS = {
    "H1": "6 tháng đầu năm",
    "H2": "6 tháng cuối năm",
    "Y": "năm",
}


class DocumentError(Exception):
    """A request that cannot produce a document; the message is shown to the user as is."""


class SystemUser:
    """The command line without --user: sees everything (superuser semantics)."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    is_staff = True
    pk = None
    id = None
    username = "system"


@dataclass
class DocumentRequest:
    user: Any
    kind: str
    unit: AdminUnit | None = None
    plan_id: int | None = None
    year: int | None = None
    period: str = "H1"
    on: dt.date = field(default_factory=timezone.localdate)
    # Self-assessment documents: the assessment (checked against the user's scope) and, for a
    # single criterion sheet, the criterion code.
    assessment_id: int | None = None
    criterion: str = ""
    # Header overrides typed on the form (issuer, signer, number, place, date).
    header: dict[str, str] = field(default_factory=dict)

    def header_date(self) -> dt.date:
        """The date of the document (the place-and-date line): typed on the form, else today."""
        value = self.header.get("date", "")
        if value:
            try:
                return dt.date.fromisoformat(value)
            except ValueError as exc:
                raise DocumentError(f"Ngày văn bản không hợp lệ: {value}.") from exc
        return timezone.localdate()

    def params(self) -> dict[str, Any]:
        """JSON-safe form, kept with a GeneratedDocument to rebuild it in the worker."""
        return {
            "unit": self.unit.uid if self.unit else "",
            "plan": self.plan_id,
            "year": self.year,
            "period": self.period,
            "on": self.on.isoformat(),
            "header": self.header,
            "assessment": self.assessment_id,
            "criterion": self.criterion,
        }


def split_division(name: str) -> tuple[str, str]:
    """ "Xã Phong Thổ" → ("xã", "Phong Thổ"); "Lai Châu" → ("", "Lai Châu")."""
    text = nfc(name)
    folded = fold(text)
    for word in _DIVISION_WORDS:
        key = fold(word)
        if folded.startswith(key + " "):
            return word, text[len(word) :].strip()
    return "", text


def unit_phrase(unit: AdminUnit) -> str:
    """The unit as it follows "Ủy ban nhân dân": "xã Phong Thổ", "tỉnh Lai Châu"."""
    word, bare = split_division(unit.name)
    if not word:
        division = fold(unit.division_type)
        word = next((w for w in _DIVISION_WORDS if division.startswith(fold(w))), "")
        if word == "thành phố trung ương":
            word = "thành phố"
    return f"{word} {bare}".strip()


def place_name(unit: AdminUnit) -> str:
    return split_division(unit.name)[1]


def issuer_of(unit: AdminUnit) -> str:
    return f"Ủy ban nhân dân {unit_phrase(unit)}"


def period_label(period: str, year: int) -> str:
    """ "6 tháng đầu năm 2021", "năm 2021"."""
    return f"{PERIODS.get(period, PERIODS['Y'])} {year}"


def period_end(period: str, year: int) -> dt.date:
    return dt.date(year, 6, 30) if period == "H1" else dt.date(year, 12, 31)


def short_school_name(name: str) -> str:
    """ "Trường Mầm non Hồng Dụ" → "Mầm non Hồng Dụ" (the lists of seed 004 drop "Trường")."""
    text = nfc(name)
    return text[len("Trường ") :] if fold(text).startswith("truong ") else text


def two_digits(n: int) -> str:
    """Counts under 10 written "04" in running text, as seed 000 does ("xây dựng 04 trường")."""
    return f"{n:02d}" if 0 < n < 10 else format_int(n)
