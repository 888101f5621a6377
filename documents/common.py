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

from core.text import fold, format_date_short, format_int, nfc
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
    # External evaluation documents: the evaluation(s), "12" or "12,15" (a recognition
    # decision may list several schools); checked against the user's scope by the kind.
    evaluation: str = ""
    # Header overrides typed on the form (issuer, signer, number, place, date).
    header: dict[str, str] = field(default_factory=dict)

    def header_date(self, default: dt.date | None = None) -> dt.date:
        """The date of the document (the place-and-date line): typed on the form, else the
        kind's default (the end of a report's window, the start of a timeline), else today."""
        value = self.header.get("date", "")
        if value:
            try:
                return dt.date.fromisoformat(value)
            except ValueError as exc:
                raise DocumentError(f"Ngày văn bản không hợp lệ: {value}.") from exc
        return default or timezone.localdate()

    @property
    def has_typed_date(self) -> bool:
        return bool(self.header.get("date"))

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
            "evaluation": self.evaluation,
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


# ---------------------------------------------------------------------------------------------
# Who issues a document about a given day: the authority that existed then (issue 17 §5).
#
# Units carry their life (valid_from is a birth only for a unit formed from predecessors: the
# 2025 map stamps 01/07/2025 on every current unit, most of which merely continued) and their
# successors. A retired unit's report after its end goes to its single successor, or, when it
# was split (a district into communes), to the Sở of its province (which took the district's
# education office); a unit formed in 2025 reporting on an earlier day goes back to the
# predecessor that held the whole area then.


@dataclass(frozen=True)
class Authority:
    """The issuing authority of a unit's document on a day, with its header words."""

    unit: AdminUnit
    name: str  # "Ủy ban nhân dân huyện Phong Thổ", "Sở Giáo dục và Đào tạo tỉnh Lai Châu"
    managing_body: str = ""  # the line above the issuer ("ỦY BAN NHÂN DÂN TỈNH LAI CHÂU")
    symbol_suffix: str = "UBND"  # "BC-UBND", "BC-SGDĐT"
    signer_authority: str = "TM. ỦY BAN NHÂN DÂN"
    signer_title: str = "CHỦ TỊCH"

    def life(self) -> str:
        """ "từ 01/07/2025", "đến hết 30/06/2025" — for the refusal message."""
        start = born_on(self.unit)
        parts = []
        if start:
            parts.append(f"từ ngày {format_date_short(start)}")
        if self.unit.valid_to:
            last = self.unit.valid_to - dt.timedelta(days=1)
            parts.append(f"đến hết ngày {format_date_short(last)}")
        return " ".join(parts)


def born_on(unit: AdminUnit) -> dt.date | None:
    """The day a unit was formed, when known: valid_from of a commune made of predecessors.
    A province is never "formed" here: each 2025 province kept the name and the authority of
    one of the provinces it absorbed (Hải Phòng took Hải Dương in), so its committee and Sở
    existed before."""
    if unit.valid_from and unit.parent_id and unit.predecessors.exists():
        return unit.valid_from
    return None


def alive_on(unit: AdminUnit, day: dt.date) -> bool:
    born = born_on(unit)
    return (born is None or born <= day) and (unit.valid_to is None or day < unit.valid_to)


def _province(unit: AdminUnit) -> AdminUnit:
    return unit.ancestors()[0] if unit.parent_id else unit


def _people_committee(unit: AdminUnit) -> Authority:
    return Authority(unit=unit, name=issuer_of(unit))


def _education_department(province: AdminUnit) -> Authority:
    phrase = unit_phrase(province)
    return Authority(
        unit=province,
        name=f"Sở Giáo dục và Đào tạo {phrase}",
        managing_body=f"Ủy ban nhân dân {phrase}",
        symbol_suffix="SGDĐT",
        signer_authority="",
        signer_title="GIÁM ĐỐC",
    )


def _ancestor_of_all(units: list[AdminUnit]) -> AdminUnit | None:
    for unit in sorted(units, key=lambda u: u.depth):
        if all(other.path.startswith(unit.path) for other in units):
            return unit
    return None


def authority_on(unit: AdminUnit, day: dt.date, _seen: frozenset[int] = frozenset()) -> Authority:
    """The authority that reports on `unit`'s area on `day` (see above). Raises DocumentError
    when the map cannot tell (a unit formed of several units, none holding the whole area)."""
    if alive_on(unit, day) or unit.pk in _seen:
        return _people_committee(unit)
    seen = _seen | {unit.pk}
    if unit.valid_to and day >= unit.valid_to:
        after = [u for u in unit.successors.all() if alive_on(u, day)]
        if len(after) == 1:
            return authority_on(after[0], day, seen)
        province = _province(unit)
        if province.pk != unit.pk:
            found = authority_on(province, day, seen)
            return _education_department(found.unit)
        return _people_committee(unit)
    before = [u for u in unit.predecessors.all() if alive_on(u, day)]
    whole = before[0] if len(before) == 1 else _ancestor_of_all(before)
    if whole is None:
        names = ", ".join(u.name for u in before) or "không rõ"
        raise DocumentError(
            f"{unit.name} được thành lập ngày {format_date_short(born_on(unit) or day)}; ngày"
            f" {format_date_short(day)} địa bàn thuộc nhiều đơn vị cũ ({names}). Hãy lập văn"
            " bản cho từng đơn vị cũ."
        )
    return authority_on(whole, day, seen)


def check_issue_date(authority: Authority, day: dt.date) -> None:
    """An explicit date on which the issuer did not exist is refused (issue 17 §5)."""
    if not alive_on(authority.unit, day):
        raise DocumentError(
            f"Ngày ghi trên văn bản {format_date_short(day)} nằm ngoài thời gian tồn tại của"
            f" {authority.name} ({authority.life()}). Hãy chọn ngày trong khoảng đó, hoặc để"
            " trống để dùng ngày cuối kỳ của văn bản."
        )


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
