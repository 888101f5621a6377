"""The recognition register's rules, in pure Python (no Django import), so that a school's
status is computed one way everywhere: on its page, in the lists, in imports and in tests.

A school's status is never typed: it is derived from its decisions (Quyết định công nhận).
Two tracks run side by side:
- national standard (chuẩn quốc gia): new recognition, re-recognition, upgrade 1→2, revocation;
- accreditation (kiểm định chất lượng giáo dục): Cấp độ 1–4, and its revocation.
In each track the latest decision signed on or before the day decides: a revocation ends the
status; a recognition gives its level until its validity ends.

Source of every rule: ../shared/domain/regulation.md §2 (TT17/18/19-2018, TT22/2024, TT57/2026).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from core.text import format_date_short

# Decision kinds (stored values; the model's choices use the same strings).
ACCREDITATION = "accreditation"
STANDARD_NEW = "standard_new"
STANDARD_RENEWAL = "standard_renewal"
STANDARD_UPGRADE = "standard_upgrade"
REVOCATION = "revocation"  # of the national-standard recognition
ACCREDITATION_REVOCATION = "accreditation_revocation"

KIND_LABELS: dict[str, str] = {
    ACCREDITATION: "Công nhận đạt kiểm định chất lượng giáo dục",
    STANDARD_NEW: "Công nhận mới đạt chuẩn quốc gia",
    STANDARD_RENEWAL: "Công nhận lại đạt chuẩn quốc gia",
    STANDARD_UPGRADE: "Nâng mức chuẩn quốc gia (Mức độ 1 → Mức độ 2)",
    REVOCATION: "Thu hồi công nhận đạt chuẩn quốc gia",
    ACCREDITATION_REVOCATION: "Thu hồi công nhận kiểm định chất lượng giáo dục",
}

TRACK_STANDARD = "standard"
TRACK_ACCREDITATION = "accreditation"
STANDARD_GRANTS = (STANDARD_NEW, STANDARD_RENEWAL, STANDARD_UPGRADE)
REVOCATIONS = (REVOCATION, ACCREDITATION_REVOCATION)
TRACK_OF = {
    ACCREDITATION: TRACK_ACCREDITATION,
    ACCREDITATION_REVOCATION: TRACK_ACCREDITATION,
    STANDARD_NEW: TRACK_STANDARD,
    STANDARD_RENEWAL: TRACK_STANDARD,
    STANDARD_UPGRADE: TRACK_STANDARD,
    REVOCATION: TRACK_STANDARD,
}
LEVELS_OF = {
    ACCREDITATION: (1, 2, 3, 4),  # Cấp độ 1–4
    STANDARD_NEW: (1, 2),  # Mức độ 1–2
    STANDARD_RENEWAL: (1, 2),
    STANDARD_UPGRADE: (2,),
    REVOCATION: (),
    ACCREDITATION_REVOCATION: (),
}

# regulation.md §2: certificates (accreditation and national standard) last 5 years; renewal
# registration at least 5 months before expiry. CONFIRMED for 2018; TT57 as reported (UNCERTAIN).
VALIDITY_YEARS = 5
RENEWAL_MONTHS_BEFORE_EXPIRY = 5
DEFAULT_EXPIRING_MONTHS = 12

# regulation.md §2: minimum wait before an upgrade Mức độ 1 → Mức độ 2, counted from the
# recognition at Mức độ 1. 2018 rules: 2 years originally, 1 year under the TT22/2024 amendment
# from 25/01/2025 (CONFIRMED). TT57/2026: 2 years (UNCERTAIN: practitioner sources only).
# Each code maps to (effective from, years) steps; the step in force on the decision date wins.
TT22_2024_FROM = dt.date(2025, 1, 25)
_RULES_2018 = ((dt.date(2018, 10, 10), 2), (TT22_2024_FROM, 1))
UPGRADE_WAIT_YEARS: dict[str, tuple[tuple[dt.date, int], ...]] = {
    "TT17-2018": _RULES_2018,
    "TT18-2018": _RULES_2018,
    "TT19-2018": _RULES_2018,
    "TT22-2024": ((TT22_2024_FROM, 1),),
    "TT57-2026-PT": ((dt.date(2026, 7, 7), 2),),
    "TT57-2026-MN": ((dt.date(2026, 7, 7), 2),),
    "TT57-2026-GDTX": ((dt.date(2026, 7, 7), 2),),
}
UPGRADE_WAIT_BASIS = {
    "TT17-2018": "Thông tư 17/2018/TT-BGDĐT (từ 25/01/2025 sửa đổi bởi Thông tư 22/2024/TT-BGDĐT)",
    "TT18-2018": "Thông tư 18/2018/TT-BGDĐT (từ 25/01/2025 sửa đổi bởi Thông tư 22/2024/TT-BGDĐT)",
    "TT19-2018": "Thông tư 19/2018/TT-BGDĐT (từ 25/01/2025 sửa đổi bởi Thông tư 22/2024/TT-BGDĐT)",
    "TT22-2024": "Thông tư 22/2024/TT-BGDĐT",
    "TT57-2026-PT": "Thông tư 57/2026/TT-BGDĐT (chưa đối chiếu văn bản chính thức)",
    "TT57-2026-MN": "Thông tư 57/2026/TT-BGDĐT (chưa đối chiếu văn bản chính thức)",
    "TT57-2026-GDTX": "Thông tư 57/2026/TT-BGDĐT (chưa đối chiếu văn bản chính thức)",
}
# Older circulars a historical register names (before the 2018 frameworks). Their upgrade wait
# is not in our sources, so it is not checked for them (UNCERTAIN).
LEGACY_FRAMEWORKS = {
    "TT59-2012": "Thông tư 59/2012/TT-BGDĐT (chuẩn quốc gia trường tiểu học, trước 2018)",
    "TT47-2012": "Thông tư 47/2012/TT-BGDĐT (chuẩn quốc gia THCS, THPT, trước 2018)",
    "TT02-2014": "Thông tư 02/2014/TT-BGDĐT (chuẩn quốc gia mầm non, trước 2018)",
    "TT42-2012": "Thông tư 42/2012/TT-BGDĐT (kiểm định chất lượng phổ thông, trước 2018)",
}


# ---------------------------------------------------------------------------------------------
# Dates


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day `months` later (or earlier), clipped to the month's end: 31/10 + 4 → 28/02."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: dt.date, years: int) -> dt.date:
    """29/02/2024 + 5 years → 28/02/2029."""
    return add_months(day, 12 * years)


def valid_until(kind: str, signed_on: dt.date) -> dt.date | None:
    """Last day of validity: the decision date plus 5 years (a certificate signed 10/03/2020
    is valid through 10/03/2025). A revocation has none."""
    if kind in REVOCATIONS:
        return None
    return add_years(signed_on, VALIDITY_YEARS)


def renewal_deadline(until: dt.date | None) -> dt.date | None:
    """Last day to register for the next external evaluation: 5 months before expiry."""
    return add_months(until, -RENEWAL_MONTHS_BEFORE_EXPIRY) if until else None


def upgrade_wait_years(framework_code: str, signed_on: dt.date) -> int | None:
    """Years a school must hold Mức độ 1 before an upgrade decision under this framework on this
    date. None when our sources do not say (legacy codes). Unknown codes: 2, the stricter."""
    steps = UPGRADE_WAIT_YEARS.get(framework_code)
    if steps is None:
        return None if framework_code in LEGACY_FRAMEWORKS else 2
    years = steps[0][1]
    for start, value in steps:
        if signed_on >= start:
            years = value
    return years


# ---------------------------------------------------------------------------------------------
# Decisions and status


@dataclass(frozen=True)
class Decision:
    kind: str
    signed_on: dt.date
    level: int | None = None
    framework_code: str = ""
    number: str = ""
    id: int | None = None

    @property
    def track(self) -> str:
        return TRACK_OF[self.kind]

    @property
    def valid_until(self) -> dt.date | None:
        return valid_until(self.kind, self.signed_on)


def as_decision(item: Any) -> Decision:
    """Accept a Decision, a mapping or any object with the model's attribute names."""
    if isinstance(item, Decision):
        return item
    get = item.get if isinstance(item, Mapping) else (lambda k, d=None: getattr(item, k, d))
    signed_on = get("signed_on") or get("date")
    return Decision(
        kind=get("kind"),
        signed_on=signed_on,
        level=get("level"),
        framework_code=get("framework_code") or "",
        number=get("number") or "",
        id=get("id") if get("id") is not None else get("pk"),
    )


def _ordered(decisions: Iterable[Any]) -> list[Decision]:
    # Same-day decisions keep the order they were recorded in (id, then input order).
    items = [as_decision(d) for d in decisions]
    indexed = list(enumerate(items))
    indexed.sort(key=lambda p: (p[1].signed_on, p[1].id if p[1].id is not None else 10**18, p[0]))
    return [d for _, d in indexed]


@dataclass(frozen=True)
class TrackState:
    level: int = 0  # 0 = none in force
    decision: Decision | None = None  # the latest decision of the track (grant or revocation)
    since: dt.date | None = None  # start of the uninterrupted holding of the current level
    valid_until: dt.date | None = None
    revoked: bool = False
    expired: bool = False
    ever_granted: bool = False
    last_granted_level: int = 0


def _track_state(decisions: list[Decision], track: str, on: dt.date) -> TrackState:
    latest: Decision | None = None
    since: dt.date | None = None
    level = 0
    until: dt.date | None = None
    ever = False
    last_level = 0
    for d in decisions:
        if d.track != track or d.signed_on > on:
            continue
        latest = d
        if d.kind in REVOCATIONS:
            level, since, until = 0, None, None
            continue
        still_valid = until is not None and d.signed_on <= until
        # A renewal at the same level while the previous certificate is still valid continues
        # the holding: the upgrade wait counts from the first recognition at that level.
        if not (still_valid and d.level == level and since is not None):
            since = d.signed_on
        level, until = d.level or 0, d.valid_until
        ever, last_level = True, d.level or 0
    if latest is None:
        return TrackState()
    if latest.kind in REVOCATIONS:
        return TrackState(
            decision=latest, revoked=True, ever_granted=ever, last_granted_level=last_level
        )
    expired = until is not None and on > until
    return TrackState(
        level=0 if expired else level,
        decision=latest,
        since=None if expired else since,
        valid_until=until,
        expired=expired,
        ever_granted=ever,
        last_granted_level=last_level,
    )


@dataclass(frozen=True)
class Status:
    on: dt.date
    standard: TrackState
    accreditation: TrackState
    expiring: bool  # national standard in force and ending within the window
    accreditation_expiring: bool

    @property
    def standard_level(self) -> int:
        return self.standard.level

    @property
    def standard_valid_until(self) -> dt.date | None:
        return self.standard.valid_until

    @property
    def accreditation_level(self) -> int:
        return self.accreditation.level

    @property
    def expired(self) -> bool:
        return self.standard.expired

    @property
    def revoked(self) -> bool:
        return self.standard.revoked

    @property
    def renewal_deadline(self) -> dt.date | None:
        return renewal_deadline(self.standard.valid_until) if self.standard.level else None


def is_expiring(until: dt.date | None, on: dt.date, months: int) -> bool:
    """In force on `on` (through `until` inclusive) and ending within `months` months."""
    return until is not None and on <= until <= add_months(on, months)


def school_status(
    decisions: Iterable[Any], on: dt.date, *, expiring_months: int = DEFAULT_EXPIRING_MONTHS
) -> Status:
    """A school's status on a day, from its decisions (Decision, dicts or model objects)."""
    ordered = _ordered(decisions)
    std = _track_state(ordered, TRACK_STANDARD, on)
    acc = _track_state(ordered, TRACK_ACCREDITATION, on)
    return Status(
        on=on,
        standard=std,
        accreditation=acc,
        expiring=bool(std.level) and is_expiring(std.valid_until, on, expiring_months),
        accreditation_expiring=bool(acc.level)
        and is_expiring(acc.valid_until, on, expiring_months),
    )


# ---------------------------------------------------------------------------------------------
# Checking a new decision against the register


@dataclass(frozen=True)
class Problem:
    field: str  # the form field / import column the message is about
    message: str


def _d(day: dt.date | None) -> str:
    return format_date_short(day) if day else "—"


def _held(state: TrackState, word: str) -> str:
    num = f" (QĐ số {state.decision.number})" if state.decision and state.decision.number else ""
    return f"{word} {state.level}{num}, hiệu lực đến {_d(state.valid_until)}"


def _named(decision: Decision) -> str:
    """ "quyết định số 300/QĐ-UBND ngày 20/04/2023" (without a number: only the date)."""
    number = f" số {decision.number}" if decision.number else ""
    return f"quyết định{number} ngày {_d(decision.signed_on)}"


def _why_none(state: TrackState) -> str:
    """Why nothing is in force, naming the decision that ended it (revoked or expired)."""
    if state.revoked and state.decision is not None:
        return f" (đã thu hồi theo {_named(state.decision)})"
    if state.expired and state.decision is not None:
        return f" ({_named(state.decision)} hết hiệu lực từ sau ngày {_d(state.valid_until)})"
    return ""


def check_decision(prior: Iterable[Any], new: Any, *, today: dt.date) -> list[Problem]:
    """Problems that forbid recording `new` after the school's `prior` decisions, with clear
    Vietnamese messages. The register is judged as it stood on the new decision's date only;
    check_sequence also replays the decisions that come after it."""
    d = as_decision(new)
    problems: list[Problem] = []
    if d.kind not in TRACK_OF:
        return [Problem("kind", f"Loại quyết định «{d.kind}» không hợp lệ.")]
    if d.signed_on is None:
        return [Problem("signed_on", "Chưa có ngày ký.")]
    if d.signed_on > today:
        problems.append(
            Problem("signed_on", f"Ngày ký {_d(d.signed_on)} ở sau ngày hôm nay ({_d(today)}).")
        )
    allowed = LEVELS_OF[d.kind]
    if allowed and d.level not in allowed:
        if d.kind == ACCREDITATION:
            msg = "Quyết định công nhận kiểm định cần ghi Cấp độ 1, 2, 3 hoặc 4."
        elif d.kind == STANDARD_UPGRADE:
            msg = "Quyết định nâng mức là công nhận đạt chuẩn Mức độ 2: hãy ghi mức 2."
        else:
            msg = "Quyết định công nhận đạt chuẩn quốc gia cần ghi Mức độ 1 hoặc Mức độ 2."
        problems.append(Problem("level", msg))
    if not allowed and d.level:
        problems.append(Problem("level", "Quyết định thu hồi không ghi mức."))

    status = school_status(prior, d.signed_on)
    std, acc = status.standard, status.accreditation
    on = _d(d.signed_on)
    if d.kind == STANDARD_NEW and std.level:
        problems.append(
            Problem(
                "kind",
                f"Vào ngày {on} trường đang đạt chuẩn {_held(std, 'Mức độ')}: quyết định này phải"
                " là «công nhận lại», «nâng mức» hoặc «thu hồi», không phải «công nhận mới».",
            )
        )
    elif d.kind == STANDARD_RENEWAL:
        if not std.ever_granted:
            problems.append(
                Problem(
                    "kind",
                    "Công nhận lại cần một quyết định công nhận đạt chuẩn quốc gia trước đó, nhưng"
                    f" sổ chưa có quyết định nào của trường trước ngày {on}. Hãy ghi quyết định"
                    " cũ trước, hoặc chọn «công nhận mới».",
                )
            )
        elif std.level == 1 and d.level == 2:
            problems.append(
                Problem(
                    "kind",
                    f"Trường đang đạt chuẩn {_held(std, 'Mức độ')}: công nhận Mức độ 2 là"
                    " «nâng mức», không phải «công nhận lại».",
                )
            )
    elif d.kind == STANDARD_UPGRADE:
        if std.level != 1:
            now = (
                f"trường đang đạt chuẩn {_held(std, 'Mức độ')}"
                if std.level
                else "trường không có công nhận đạt chuẩn còn hiệu lực" + _why_none(std)
            )
            problems.append(
                Problem(
                    "kind",
                    "Nâng mức cần trường đang đạt chuẩn Mức độ 1 còn hiệu lực vào ngày ký"
                    f" ({on}); {now}.",
                )
            )
        else:
            years = upgrade_wait_years(d.framework_code, d.signed_on)
            if years is not None and std.since is not None:
                earliest = add_years(std.since, years)
                if d.signed_on < earliest:
                    basis = UPGRADE_WAIT_BASIS.get(d.framework_code, "quy định hiện hành")
                    problems.append(
                        Problem(
                            "signed_on",
                            f"Chưa đủ thời gian tối thiểu để nâng mức: theo {basis}, phải sau ít"
                            f" nhất {years} năm kể từ ngày công nhận Mức độ 1 ({_d(std.since)}),"
                            f" tức từ ngày {_d(earliest)}.",
                        )
                    )
    elif d.kind == REVOCATION and not std.level:
        problems.append(
            Problem(
                "kind",
                f"Không thể thu hồi: vào ngày {on} trường không có công nhận đạt chuẩn quốc gia"
                f" còn hiệu lực{_why_none(std)}.",
            )
        )
    elif d.kind == ACCREDITATION_REVOCATION and not acc.level:
        problems.append(
            Problem(
                "kind",
                f"Không thể thu hồi: vào ngày {on} trường không có công nhận kiểm định chất"
                f" lượng còn hiệu lực{_why_none(acc)}.",
            )
        )
    return problems


def check_sequence(prior: Iterable[Any], new: Any, *, today: dt.date) -> list[Problem]:
    """Problems that forbid inserting `new` into the school's register: the new decision as the
    register stood on its date (check_decision), then every decision dated after it replayed in
    date order with the new one inserted. A back-dated revocation between a 2020 recognition
    and a 2023 upgrade, or a 2019 "new" before an existing 2020 "new", leaves a later decision
    impossible: the message names that decision. Problems a later decision already had without
    the new one (legacy data) are not blamed on it.

    Order: by date, then recording order; the new decision has no id yet, so it comes after the
    decisions recorded on the same day (as recognition.rules._ordered sorts it)."""
    d = as_decision(new)
    existing = _ordered(prior)
    problems = check_decision(existing, d, today=today)
    if problems or d.signed_on is None or d.kind not in TRACK_OF:
        return problems
    with_new = _ordered([*existing, d])  # the same objects, in register order
    start = next(i for i, x in enumerate(with_new) if x is d)
    for i in range(start + 1, len(with_new)):
        later = with_new[i]
        if later.track != d.track:
            continue
        before_with = with_new[:i]
        before_without = [x for x in before_with if x is not d]
        day = max(today, later.signed_on)
        had = {p.message for p in check_decision(before_without, later, today=day)}
        for p in check_decision(before_with, later, today=day):
            if p.message in had:
                continue
            problems.append(
                Problem(
                    "signed_on",
                    f"Không ghi được quyết định ký ngày {_d(d.signed_on)}: sổ đã có {_named(later)}"
                    f" («{KIND_LABELS[later.kind]}») ký sau ngày đó, và khi thêm quyết định này"
                    f" thì {_named(later)} không còn hợp lệ — {p.message}",
                )
            )
            return problems  # the first decision it breaks is enough to explain the refusal
    return problems
