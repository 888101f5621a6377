"""The kinds of notification, their audience and the words they are told in: the preferences
page, the receivers and the scheduled alerts read it. Titles are stored as written (in
Vietnamese, like the mails); labels are translated for the pages.

Audience: who is told, resolved from the permission table (notifications.recipients):
* MANAGERS — the officers of the unit that manages the school (the action `assessment.accept`:
  `MANAGING_LEVEL_BY_KIND` decides commune or Sở);
* SCHOOL — the school's principal (the action `assessment.submit`);
* GIVEN — the users the sender names (`recipients=[…]` in the signal).

A title is a `str.format` pattern over the signal's words: {school}, {actor}, {reason},
{title}, {month}, {until}, {deadline}, {days}, {count}, {months}."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

IMMEDIATE = "immediate"
DIGEST = "digest"
OFF = "off"
DELIVERIES = (IMMEDIATE, DIGEST, OFF)
DELIVERY_LABELS = {
    IMMEDIATE: _("Gửi thư ngay"),
    DIGEST: _("Gộp vào thư tổng hợp hằng ngày"),
    OFF: _("Tắt"),
}

MANAGERS = "managers"
SCHOOL = "school"
GIVEN = "given"

# Self-assessment (assessments.signals)
ASSESSMENT_SUBMITTED = "assessment_submitted"
ASSESSMENT_RETURNED = "assessment_returned"
ASSESSMENT_ACCEPTED = "assessment_accepted"
# External evaluation (evaluation.signals, wired by subscribe() when that app is installed)
REGISTRATION_RECEIVED = "registration_received"
REGISTRATION_RETURNED = "registration_returned"
REGISTRATION_ACCEPTED = "registration_accepted"
TEAM_MEMBERSHIP = "team_membership"
REPORT_FEEDBACK = "report_feedback"
DECISION_RECORDED = "decision_recorded"
# Scheduled alerts (notifications.tasks)
RECOGNITION_EXPIRY = "recognition_expiry"
MONTHLY_DUE = "monthly_due"
MONTHLY_MISSING = "monthly_missing"
# Improvement actions (wired by subscribe() when their app sends the signals)
IMPROVEMENT_DUE = "improvement_due"
IMPROVEMENT_OVERDUE = "improvement_overdue"


@dataclass(frozen=True)
class Kind:
    code: str
    label: Any  # the preferences page (lazy translation)
    group: Any
    audience: str
    title: str
    default: str = IMMEDIATE


KINDS: dict[str, Kind] = {
    k.code: k
    for k in (
        Kind(
            ASSESSMENT_SUBMITTED,
            _("Trường nộp báo cáo tự đánh giá"),
            _("Tự đánh giá"),
            MANAGERS,
            "{school} đã nộp báo cáo tự đánh giá",
        ),
        Kind(
            ASSESSMENT_RETURNED,
            _("Báo cáo tự đánh giá bị trả lại (kèm lý do)"),
            _("Tự đánh giá"),
            SCHOOL,
            "Báo cáo tự đánh giá của {school} bị trả lại",
        ),
        Kind(
            ASSESSMENT_ACCEPTED,
            _("Báo cáo tự đánh giá được chấp nhận"),
            _("Tự đánh giá"),
            SCHOOL,
            "Báo cáo tự đánh giá của {school} đã được chấp nhận",
        ),
        Kind(
            REGISTRATION_RECEIVED,
            _("Nhận hồ sơ đăng ký đánh giá ngoài"),
            _("Đánh giá ngoài"),
            MANAGERS,
            "{school} đã gửi hồ sơ đăng ký đánh giá ngoài",
        ),
        Kind(
            REGISTRATION_RETURNED,
            _("Hồ sơ đăng ký đánh giá ngoài bị trả lại"),
            _("Đánh giá ngoài"),
            SCHOOL,
            "Hồ sơ đăng ký đánh giá ngoài của {school} bị trả lại",
        ),
        Kind(
            REGISTRATION_ACCEPTED,
            _("Hồ sơ đăng ký đánh giá ngoài được chấp nhận"),
            _("Đánh giá ngoài"),
            SCHOOL,
            "Hồ sơ đăng ký đánh giá ngoài của {school} đã được chấp nhận",
        ),
        Kind(
            TEAM_MEMBERSHIP,
            _("Được phân công vào đoàn đánh giá ngoài"),
            _("Đánh giá ngoài"),
            GIVEN,
            "Bạn được phân công vào đoàn đánh giá ngoài {school}",
        ),
        Kind(
            REPORT_FEEDBACK,
            _("Dự thảo báo cáo đánh giá ngoài gửi trường góp ý"),
            _("Đánh giá ngoài"),
            SCHOOL,
            "Dự thảo báo cáo đánh giá ngoài của {school} đã gửi để nhà trường góp ý",
        ),
        Kind(
            DECISION_RECORDED,
            _("Quyết định công nhận được ghi vào sổ"),
            _("Đánh giá ngoài"),
            SCHOOL,
            "Đã ghi quyết định công nhận của {school}",
        ),
        Kind(
            RECOGNITION_EXPIRY,
            _("Công nhận sắp hết hạn (còn 12, 6 tháng; hạn đăng ký lại trước 5 tháng)"),
            _("Sổ công nhận"),
            MANAGERS,
            "Công nhận đạt chuẩn của {school} hết hạn ngày {until}",
            DIGEST,
        ),
        Kind(
            MONTHLY_DUE,
            _("Đến hạn gửi báo cáo tiến độ tháng"),
            _("Kế hoạch"),
            SCHOOL,
            "Đến hạn gửi báo cáo tiến độ tháng {month} của {school}",
        ),
        Kind(
            MONTHLY_MISSING,
            _("Chưa gửi báo cáo tiến độ tháng"),
            _("Kế hoạch"),
            SCHOOL,
            "{school} chưa gửi báo cáo tiến độ tháng {month}",
            DIGEST,
        ),
        Kind(
            IMPROVEMENT_DUE,
            _("Biện pháp cải tiến đến hạn"),
            _("Cải tiến chất lượng"),
            SCHOOL,
            "Biện pháp cải tiến của {school} đến hạn: {title}",
            DIGEST,
        ),
        Kind(
            IMPROVEMENT_OVERDUE,
            _("Biện pháp cải tiến quá hạn"),
            _("Cải tiến chất lượng"),
            MANAGERS,
            "Biện pháp cải tiến của {school} đã quá hạn: {title}",
            DIGEST,
        ),
    )
}


class _Blank(dict):
    """format_map() that leaves an unknown word empty rather than failing."""

    def __missing__(self, key: str) -> str:
        return ""


def title_for(kind: str, **words: object) -> str:
    text = KINDS[kind].title.format_map(_Blank({k: str(v) for k, v in words.items()}))
    return " ".join(text.split())
