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
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from core.text import format_date_short
from frameworks import engine

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

# The validity, the renewal lead time, the upgrade wait and the external evaluation team's size
# are the circulars' numbers, so they live in the framework data files (frameworks/data/*.json,
# "recognition" block, amended per version: TT22/2024 shortens the upgrade wait from 2 years to
# 1 from 25/01/2025): a new circular changes them with its file. recognition_terms() reads them.
DEFAULT_EXPIRING_MONTHS = 12

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


@dataclass(frozen=True)
class Terms:
    """A circular's recognition numbers as they stood on a day (None: our sources do not say).
    `basis` names the text they come from, for messages; `certainty` is the data's own."""

    validity_years: int | None
    renewal_months_before_expiry: int | None
    upgrade_wait_years: int | None
    team_min_members: int | None
    basis: str = ""
    certainty: str = "confirmed"


_frameworks: Mapping[str, engine.Framework] | None = None  # None: the project's data files


def use_frameworks(frameworks: Mapping[str, engine.Framework] | None) -> None:
    """Read the terms from these compiled frameworks (None: back to frameworks/data)."""
    global _frameworks
    _frameworks = frameworks
    _terms_cached.cache_clear()


@contextmanager
def using_frameworks(frameworks: Mapping[str, engine.Framework]) -> Iterator[None]:
    """`use_frameworks` for a block (tests: a data file with other numbers)."""
    previous = _frameworks
    use_frameworks(frameworks)
    try:
        yield
    finally:
        use_frameworks(previous)


def _registry() -> Mapping[str, engine.Framework]:
    return engine.registry() if _frameworks is None else _frameworks


def _version_terms(fw: engine.Framework, version: engine.Version) -> Terms:
    rec = version.recognition
    basis = version.data.get("legal_basis") or version.title or fw.code
    return Terms(
        validity_years=rec.validity_years,
        renewal_months_before_expiry=rec.renewal_months_before_expiry,
        upgrade_wait_years=rec.upgrade_wait_years,
        team_min_members=rec.team_min_members,
        basis=str(basis),
        certainty=version.data.get("certainty") or fw.data.get("certainty", "confirmed"),
    )


def _version_on(fw: engine.Framework, day: dt.date) -> engine.Version:
    """The version in force on `day`; before the first one, the first; after the last, the
    last (a decision recorded under a framework keeps its numbers)."""
    found = fw.version_on(day)
    if found is not None:
        return found
    if fw.versions and day < fw.versions[0].effective_from:
        return fw.versions[0]
    return fw.version()


def _strictest(items: list[Terms]) -> Terms | None:
    """Several circulars apply and the code does not say which: the shortest validity, the
    longest lead time, wait and team, so that no deadline shown is later than the law's."""
    if not items:
        return None
    if len(set(items)) == 1:
        return items[0]

    def pick(name: str, choose: Any) -> int | None:
        values = [getattr(t, name) for t in items if getattr(t, name) is not None]
        return choose(values) if values else None

    return Terms(
        validity_years=pick("validity_years", min),
        renewal_months_before_expiry=pick("renewal_months_before_expiry", max),
        upgrade_wait_years=pick("upgrade_wait_years", max),
        team_min_members=pick("team_min_members", max),
        basis="; ".join(dict.fromkeys(t.basis for t in items)),
        certainty="uncertain" if any(t.certainty == "uncertain" for t in items) else "confirmed",
    )


@lru_cache(maxsize=8192)
def _terms_cached(framework_code: str, on: dt.date) -> Terms | None:
    frameworks = _registry()
    fw = frameworks.get(framework_code)
    if fw is not None:
        return _version_terms(fw, _version_on(fw, on))
    # A version code (a register row saying "TT22-2024"): that version of every circular.
    versions = [
        _version_terms(f, v)
        for f in frameworks.values()
        for v in f.versions
        if v.code == framework_code
    ]
    if versions:
        return _strictest(versions)
    # No code, or one we do not hold: the circulars in force that day; before any of them (a
    # pre-2018 register row), the earliest ones we hold.
    dated = [f for f in frameworks.values() if f.effective_from is not None]
    current = [
        f
        for f in dated
        if f.effective_from <= on and (f.effective_to is None or on <= f.effective_to)
    ]
    if not current and dated:
        first = min(f.effective_from for f in dated)
        current = [f for f in dated if f.effective_from == first] if on < first else []
    if not current and dated:
        last = max(f.effective_from for f in dated)
        current = [f for f in dated if f.effective_from == last]
    return _strictest([_version_terms(f, _version_on(f, on)) for f in current])


def recognition_terms(framework_code: str, on: dt.date) -> Terms | None:
    """The numbers that govern a recognition under `framework_code` decided on `on`: from that
    framework's data file, version in force that day (TT17-2018 on 01/3/2025 → TT22/2024's
    1-year upgrade wait). An empty or unknown code takes the circulars in force that day. None
    when no framework data is loaded at all."""
    return _terms_cached(framework_code or "", on)


def valid_until(kind: str, signed_on: dt.date, framework_code: str = "") -> dt.date | None:
    """Last day of validity: the decision date plus the framework's validity (5 years in every
    circular so far: a certificate signed 10/03/2020 is valid through 10/03/2025). A
    revocation has none."""
    if kind in REVOCATIONS:
        return None
    terms = recognition_terms(framework_code, signed_on)
    if terms is None or terms.validity_years is None:
        return None
    return add_years(signed_on, terms.validity_years)


def renewal_months(framework_code: str, signed_on: dt.date) -> int | None:
    """Months before expiry by which the school registers for the next external evaluation
    (5 under the 2018 circulars); None where the circular sets none."""
    terms = recognition_terms(framework_code, signed_on)
    return terms.renewal_months_before_expiry if terms else None


def renewal_deadline(
    until: dt.date | None, framework_code: str = "", *, signed_on: dt.date | None = None
) -> dt.date | None:
    """Last day to register for the next external evaluation: the framework's lead time before
    expiry (5 months under the 2018 circulars), as the certificate's own version set it.
    Without `signed_on`, the certificate is taken as signed its validity before `until`."""
    if until is None:
        return None
    if signed_on is None:
        terms = recognition_terms(framework_code, until)
        years = terms.validity_years if terms else None
        signed_on = add_years(until, -years) if years else until
    months = renewal_months(framework_code, signed_on)
    return add_months(until, -months) if months is not None else None


def upgrade_wait_years(framework_code: str, signed_on: dt.date) -> int | None:
    """Years a school must hold Mức độ 1 before an upgrade decision under this framework on this
    date. None when our sources do not say (legacy codes)."""
    if framework_code in LEGACY_FRAMEWORKS:
        return None
    terms = recognition_terms(framework_code, signed_on)
    return terms.upgrade_wait_years if terms else None


def team_min_members(framework_code: str, on: dt.date) -> int | None:
    """Fewest members of the external evaluation team the Sở forms (5 under the 2018
    circulars); None where the data does not say."""
    terms = recognition_terms(framework_code, on)
    return terms.team_min_members if terms else None


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
        return valid_until(self.kind, self.signed_on, self.framework_code)


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
        d = self.standard.decision
        if not self.standard.level or d is None:
            return None
        return renewal_deadline(self.standard.valid_until, d.framework_code, signed_on=d.signed_on)

    @property
    def renewal_months(self) -> int | None:
        d = self.standard.decision
        return renewal_months(d.framework_code, d.signed_on) if d and self.standard.level else None


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
                    terms = recognition_terms(d.framework_code, d.signed_on)
                    basis = terms.basis if terms and terms.basis else "quy định hiện hành"
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
