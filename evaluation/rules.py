"""The external evaluation's rules, in pure Python (no Django import): what a registration must
satisfy, who may sit on a team, how the team's view differs from the self-assessment's, and
which decision an evaluation supports. The services, the views, the tests and the benchmarks
call them with plain values.

The numbers (validity, re-recognition lead time, upgrade wait) are read through
recognition.rules, the one place that knows them (from the framework data once they move
there), so this module never repeats them. Source: ../shared/domain/regulation.md §2–3."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from core.text import format_date_short
from recognition import rules as recognition_rules

NEW, RENEWAL, UPGRADE = "new", "renewal", "upgrade"
PURPOSE_LABELS = {NEW: "công nhận mới", RENEWAL: "công nhận lại", UPGRADE: "nâng mức độ"}
# The register's decision kind each purpose leads to.
DECISION_KIND = {
    NEW: recognition_rules.STANDARD_NEW,
    RENEWAL: recognition_rules.STANDARD_RENEWAL,
    UPGRADE: recognition_rules.STANDARD_UPGRADE,
}

# regulation.md §3: the Sở forms a team of at least 5 (2018 guidance, Công văn 5932/5942).
DEFAULT_TEAM_MIN_MEMBERS = 5

OK, WARNING, BLOCKING = "ok", "warning", "blocking"


def _d(day: dt.date | None) -> str:
    return format_date_short(day) if day else "—"


@dataclass(frozen=True)
class Check:
    """One line of the registration's checks: `severity` ok / warning (allowed, said) /
    blocking (refused). `deadline` and `days_left` for the re-recognition deadline."""

    code: str
    severity: str
    message: str
    deadline: dt.date | None = None
    days_left: int | None = None

    @property
    def blocking(self) -> bool:
        return self.severity == BLOCKING

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["deadline"] = self.deadline.isoformat() if self.deadline else None
        return out


@dataclass(frozen=True)
class RegistrationFacts:
    """What the checks need to know, read by the services from the database."""

    purpose: str
    target_level: int
    today: dt.date
    assessment_status: str  # "accepted" or anything else
    framework_code: str
    # The national-standard level (Mức độ) the self-assessment's school level maps to, ignoring
    # the conditions (they are checked one by one below); None: the framework maps none.
    self_standard_level: int | None
    self_school_level: int
    conditions: Mapping[str, bool] = field(default_factory=dict)  # declared by the school
    condition_labels: Mapping[str, str] = field(default_factory=dict)
    # The school's register today (recognition.rules.school_status).
    standard_level: int = 0
    standard_since: dt.date | None = None
    standard_valid_until: dt.date | None = None
    ever_granted: bool = False
    open_elsewhere: str = ""  # "" or a description of the school's open registration/evaluation


def registration_checks(f: RegistrationFacts) -> list[Check]:
    """Every check of a registration, in the order the page shows them."""
    out: list[Check] = []
    if f.open_elsewhere:
        out.append(
            Check(
                "open",
                BLOCKING,
                f"Trường đã có {f.open_elsewhere} chưa kết thúc: mỗi trường chỉ có một đợt đánh"
                " giá ngoài đang mở.",
            )
        )
    if f.assessment_status == "accepted":
        out.append(Check("assessment", OK, "Báo cáo tự đánh giá đã được chấp nhận."))
    else:
        out.append(
            Check(
                "assessment",
                BLOCKING,
                "Báo cáo tự đánh giá chưa được cơ quan quản lý chấp nhận: chỉ đăng ký đánh giá"
                " ngoài từ một báo cáo đã được chấp nhận.",
            )
        )
    if f.target_level not in (1, 2):
        out.append(Check("level", BLOCKING, "Mức độ đề nghị phải là Mức độ 1 hoặc Mức độ 2."))
    elif not f.self_standard_level or f.self_standard_level < f.target_level:
        reached = (
            f"tương ứng Mức độ {f.self_standard_level}"
            if f.self_standard_level
            else "chưa đủ để công nhận đạt chuẩn quốc gia"
        )
        out.append(
            Check(
                "level",
                BLOCKING,
                f"Trường tự đánh giá đạt Mức {f.self_school_level} ({reached}), thấp hơn Mức độ"
                f" {f.target_level} đề nghị.",
            )
        )
    else:
        out.append(
            Check(
                "level",
                OK,
                f"Trường tự đánh giá đạt Mức {f.self_school_level}, tương ứng Mức độ"
                f" {f.self_standard_level}.",
            )
        )
    for name, met in f.conditions.items():
        label = f.condition_labels.get(name, name)
        if not met:
            out.append(
                Check(
                    f"condition:{name}",
                    WARNING,
                    f"Trường chưa xác nhận điều kiện: {label}. Đoàn đánh giá sẽ kiểm tra.",
                )
            )
    out += _purpose_checks(f)
    return out


def _purpose_checks(f: RegistrationFacts) -> list[Check]:
    held = (
        f"Mức độ {f.standard_level}, hiệu lực đến {_d(f.standard_valid_until)}"
        if f.standard_level
        else ""
    )
    if f.purpose == NEW:
        if f.standard_level:
            return [
                Check(
                    "purpose",
                    BLOCKING,
                    f"Trường đang đạt chuẩn {held}: hãy đăng ký «công nhận lại» hoặc «nâng mức»,"
                    " không phải «công nhận mới».",
                )
            ]
        return []
    if f.purpose == RENEWAL:
        if not f.ever_granted:
            return [
                Check(
                    "purpose",
                    BLOCKING,
                    "Công nhận lại cần một quyết định công nhận đạt chuẩn trước đó, nhưng sổ công"
                    " nhận chưa có quyết định nào của trường: hãy đăng ký «công nhận mới».",
                )
            ]
        return [_renewal_deadline(f)]
    if f.purpose == UPGRADE:
        if f.standard_level != 1 or f.target_level != 2:
            now = (
                f"trường đang đạt chuẩn {held}" if held else "trường chưa có công nhận còn hiệu lực"
            )
            return [
                Check(
                    "purpose",
                    BLOCKING,
                    f"Nâng mức là từ Mức độ 1 còn hiệu lực lên Mức độ 2; {now}.",
                )
            ]
        years = recognition_rules.upgrade_wait_years(f.framework_code, f.today)
        if years is None or f.standard_since is None:
            return []
        earliest = recognition_rules.add_years(f.standard_since, years)
        if f.today < earliest:
            return [
                Check(
                    "upgrade_wait",
                    BLOCKING,
                    f"Chưa đủ {years} năm kể từ ngày công nhận Mức độ 1 ({_d(f.standard_since)}):"
                    f" chỉ đăng ký nâng mức từ ngày {_d(earliest)}.",
                    deadline=earliest,
                    days_left=(earliest - f.today).days,
                )
            ]
        return [
            Check(
                "upgrade_wait",
                OK,
                f"Đã đủ {years} năm kể từ ngày công nhận Mức độ 1 ({_d(f.standard_since)}).",
            )
        ]
    return [Check("purpose", BLOCKING, "Chưa chọn mục đích đăng ký hợp lệ.")]


def _renewal_deadline(f: RegistrationFacts) -> Check:
    deadline = recognition_rules.renewal_deadline(f.standard_valid_until)
    if deadline is None:
        return Check("deadline", OK, "Không có hạn đăng ký công nhận lại.")
    days = (deadline - f.today).days
    if days < 0:
        return Check(
            "deadline",
            WARNING,
            f"Đăng ký sau hạn: hạn đăng ký công nhận lại là {_d(deadline)} (trước ngày hết hiệu"
            f" lực {_d(f.standard_valid_until)}), đã quá {-days} ngày. Vẫn được đăng ký, nhưng"
            " quyết định công nhận lại có thể không kịp trước khi công nhận cũ hết hiệu lực.",
            deadline=deadline,
            days_left=days,
        )
    return Check(
        "deadline",
        OK,
        f"Hạn đăng ký công nhận lại: {_d(deadline)} (còn {days} ngày).",
        deadline=deadline,
        days_left=days,
    )


def blocking(checks: Iterable[Check]) -> list[Check]:
    return [c for c in checks if c.blocking]


# ---------------------------------------------------------------------------------------------
# The team


@dataclass(frozen=True)
class Candidate:
    """A person proposed for a team: why they may not sit on it, if so."""

    name: str
    works_at_school: bool = False  # a membership in the evaluated school
    on_council: bool = False  # a seat on the school's self-assessment council


def member_refusal(c: Candidate, school_name: str) -> str:
    """The reason a person may not join the team, or ""."""
    if c.works_at_school:
        return (
            f"{c.name} thuộc {school_name} — trường được đánh giá: thành viên đoàn không được là"
            " người của trường."
        )
    if c.on_council:
        return (
            f"{c.name} là thành viên hội đồng tự đánh giá của {school_name}: không được tham gia"
            " đoàn đánh giá ngoài của trường."
        )
    return ""


def team_problems(roles: Iterable[str], min_members: int) -> list[str]:
    """What keeps a team from starting work: size and the leader/secretary seats."""
    roles = list(roles)
    problems = []
    if len(roles) < min_members:
        problems.append(
            f"Đoàn mới có {len(roles)} thành viên; cần ít nhất {min_members} thành viên."
        )
    if roles.count("leader") != 1:
        problems.append("Đoàn cần đúng một trưởng đoàn.")
    if roles.count("secretary") < 1:
        problems.append("Đoàn cần một thư ký.")
    return problems


# ---------------------------------------------------------------------------------------------
# Divergence: self-assessment vs team


RAISED, LOWERED, EQUAL, PENDING = "raised", "lowered", "equal", "pending"


def compare(self_met: bool | None, team_met: bool | None) -> str:
    """How the team moved one indicator: raised (not met → met), lowered, equal, or pending
    (the team has not decided)."""
    if team_met is None:
        return PENDING
    if bool(self_met) == team_met:
        return EQUAL
    return RAISED if team_met else LOWERED


def compare_levels(self_level: int, team_level: int | None) -> str:
    if team_level is None:
        return PENDING
    if team_level == self_level:
        return EQUAL
    return RAISED if team_level > self_level else LOWERED


def count(kinds: Iterable[str]) -> dict[str, int]:
    out = {RAISED: 0, LOWERED: 0, EQUAL: 0, PENDING: 0}
    for k in kinds:
        out[k] += 1
    return out


# ---------------------------------------------------------------------------------------------
# The decision


def decision_problem(level: int | None, supported: int | None) -> str:
    """Why a recognition at `level` may not be recorded from an evaluation supporting
    `supported` (the Mức độ the team's judgments map to), or ""."""
    if not supported:
        return (
            "Kết quả đánh giá ngoài không đủ để công nhận đạt chuẩn quốc gia: hãy ghi quyết định"
            " không công nhận, kèm lý do."
        )
    if level is None or level > supported:
        return (
            f"Không ghi được quyết định công nhận Mức độ {level}: kết quả đánh giá ngoài chỉ đủ"
            f" Mức độ {supported}."
        )
    return ""


def accreditation_problem(level: int | None, supported: int | None) -> str:
    """Why an accreditation (Cấp độ `level`) may not be recorded from an evaluation supporting
    Cấp độ `supported` (None: the framework maps none, or the team's level reaches none), or
    "". No level asked is never a problem: the Cấp độ is optional."""
    if not level:
        return ""
    if not supported:
        return (
            f"Không ghi được công nhận đạt kiểm định chất lượng giáo dục Cấp độ {level}: kết quả"
            " đánh giá ngoài không đủ cấp độ kiểm định nào theo bộ tiêu chuẩn này."
        )
    if level > supported:
        return (
            f"Không ghi được công nhận đạt kiểm định chất lượng giáo dục Cấp độ {level}: kết quả"
            f" đánh giá ngoài chỉ đủ Cấp độ {supported}."
        )
    return ""
