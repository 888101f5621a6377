"""The rules of an improvement action and of a periodic review, pure Python: what a valid action
is, when it is overdue, whether a school year had its reviews. The services call them before
writing anything; messages are Vietnamese, for the form."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

PLANNED = "planned"
IN_PROGRESS = "in_progress"
DONE = "done"
DROPPED = "dropped"
OPEN = (PLANNED, IN_PROGRESS)
# TT57: the improvement plan is reviewed at least twice a school year.
REVIEWS_PER_YEAR = 2


def check_action(
    *,
    title: str,
    responsible: str,
    start: dt.date | None,
    due: dt.date | None,
    status: str,
    drop_reason: str,
    indicators: Iterable[str],
    criteria: Iterable[str],
    known_indicators: Iterable[str],
    known_criteria: Iterable[str],
    framework_label: str,
) -> dict[str, list[str]]:
    """Field → messages; empty when the action may be written."""
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = ["Hãy ghi nội dung cải tiến."]
    if not responsible.strip():
        errors["responsible"] = ["Hãy ghi người (hoặc bộ phận) chịu trách nhiệm thực hiện."]
    if start is None:
        errors["start"] = ["Hãy ghi ngày bắt đầu."]
    if due is None:
        errors["due"] = ["Hãy ghi hạn hoàn thành."]
    if start is not None and due is not None and due < start:
        errors["due"] = [f"Hạn hoàn thành ({due:%d/%m/%Y}) trước ngày bắt đầu ({start:%d/%m/%Y})."]
    if status == DROPPED and not drop_reason.strip():
        errors["drop_reason"] = ["Hãy ghi lý do dừng thực hiện."]
    indicators, criteria = list(indicators), list(criteria)
    if not indicators and not criteria:
        errors["indicators"] = ["Hãy chọn ít nhất một chỉ báo hoặc tiêu chí cần nâng."]
    unknown = sorted(set(indicators) - set(known_indicators)) + sorted(
        set(criteria) - set(known_criteria)
    )
    if unknown:
        errors.setdefault("indicators", []).append(
            f"{', '.join(unknown)} không thuộc {framework_label}."
        )
    return errors


def is_overdue(*, status: str, due: dt.date | None, today: dt.date) -> bool:
    """Still open (planned or in progress) the day after its due date."""
    return status in OPEN and due is not None and due < today


def check_review(
    *, held_on: dt.date | None, conclusions: str, today: dt.date
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if held_on is None:
        errors["held_on"] = ["Hãy ghi ngày rà soát."]
    elif held_on > today:
        errors["held_on"] = [
            f"Ngày rà soát ({held_on:%d/%m/%Y}) chưa đến: chỉ ghi lần rà soát đã diễn ra."
        ]
    if not conclusions.strip():
        errors["conclusions"] = ["Hãy ghi kết luận của lần rà soát."]
    return errors


def school_year_of(day: dt.date) -> str:
    """The school year a day falls in: from 1 September ("2025-2026")."""
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}-{start + 1}"


def review_warning(count: int, *, required: int = REVIEWS_PER_YEAR) -> str:
    """The warning shown while a school year has fewer reviews than required, else ""."""
    if count >= required:
        return ""
    return (
        f"Năm học này mới rà soát kế hoạch cải tiến {count} lần; "
        f"cần ít nhất {required} lần mỗi năm học."
    )
