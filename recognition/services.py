"""Writes to the recognition register. Every write re-checks scope and the register's rules
inside a transaction, then refreshes the School.standard_level cache from recognition.rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.permissions import has_perm
from core import audit, concurrency
from core.text import nfc
from recognition import rules
from recognition.checks import FIELDS, clean_decision
from recognition.files import ScanRejected, check_scan, clean_name
from recognition.models import RecognitionDecision
from schools.models import School


class NotAllowed(Exception):
    """The user may not record decisions for this school (views turn this into 404)."""


class DecisionRejected(Exception):
    """The decision breaks a rule; `errors` maps a field name ("" = whole form) to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(m for msgs in errors.values() for m in msgs))


# The reason on the history rows of a school whose cached level the register changed.
_AUDIT_LEVEL = gettext_lazy("Cập nhật theo sổ quyết định công nhận")


def _prior(school: School) -> list[RecognitionDecision]:
    return list(RecognitionDecision.objects.filter(school=school).order_by("signed_on", "id"))


def refresh_standard_level(school: School, *, today: dt.date | None = None) -> int:
    """Recompute the cached national-standard level of one school from its register."""
    today = today or timezone.localdate()
    level = rules.school_status(_prior(school), today).standard_level
    if school.standard_level != level:
        School.objects.filter(pk=school.pk).update(standard_level=level)
        school.standard_level = level
        audit.record_update(school, reason=_AUDIT_LEVEL)  # audit: update() bypasses save()
    return level


def refresh_standard_levels(*, today: dt.date | None = None, school_ids=None) -> int:
    """Recompute the cache for many schools (daily: a certificate expires without any write).
    Only schools with at least one decision are touched: the registry import may seed the
    level of schools whose decisions are not in the register yet. Returns schools changed."""
    today = today or timezone.localdate()
    qs = RecognitionDecision.objects.all()
    if school_ids is not None:
        qs = qs.filter(school_id__in=list(school_ids))
    by_school: dict[int, list[dict[str, Any]]] = {}
    for row in qs.values("id", "school_id", "kind", "signed_on", "level", "framework_code"):
        by_school.setdefault(row["school_id"], []).append(row)
    wanted: dict[int, list[int]] = {0: [], 1: [], 2: []}
    for school_id, items in by_school.items():
        wanted[rules.school_status(items, today).standard_level].append(school_id)
    changed = 0
    for level, ids in wanted.items():
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            # Audit (core.audit): the schools whose level changes get a history row.
            moved = list(School.objects.filter(pk__in=chunk).exclude(standard_level=level))
            for school in moved:
                school.standard_level = level
            changed += School.objects.filter(pk__in=[s.pk for s in moved]).update(
                standard_level=level
            )
            audit.bulk_history(moved, reason=_AUDIT_LEVEL, update=True)
    return changed


def recognition_record(*, user, school: School, data: dict[str, Any]) -> RecognitionDecision:
    """Record a decision for a school and refresh its cached status. `data` holds the checks.FIELDS
    and optionally "scan" (an uploaded file). Raises NotAllowed or DecisionRejected."""
    today = timezone.localdate()
    scan = data.get("scan")
    scan_info: tuple[str, str] | None = None
    if scan:
        try:
            scan_info = check_scan(scan)
        except ScanRejected as exc:
            raise DecisionRejected({"scan": [str(exc)]}) from exc
    with transaction.atomic():
        # Lock the school row: two officers recording at once are checked one after the other.
        school = (
            School.objects.select_for_update(of=("self",)).select_related("unit").get(pk=school.pk)
        )
        if not has_perm(user, "recognition.record", school):
            raise NotAllowed("Bạn không được ghi quyết định cho trường này.")
        prior = _prior(school)
        cleaned = clean_decision(school=school, data=data, prior=prior, today=today)
        if cleaned.errors:
            raise DecisionRejected(cleaned.errors)
        decision = RecognitionDecision(
            school=school, created_by=user if user.is_authenticated else None, **cleaned.values
        )
        if scan and scan_info:
            ext, content_type = scan_info
            decision.scan_name = clean_name(scan.name)
            decision.scan_type = content_type
            decision.scan.save(f"scan.{ext}", scan, save=False)
        try:
            decision.save()
        except Exception:
            if decision.scan:
                decision.scan.delete(save=False)
            raise
        refresh_standard_level(school, today=today)
    return decision


# ---------------------------------------------------------------------------------------------
# Correction (đính chính)

# The longest reason the history keeps (simple-history's history_change_reason column).
REASON_MAX = 100

# Checks the apps above the register add to a correction: each takes the decision as stored
# and the corrected values (checks.FIELDS, cleaned) and returns {field: [messages]} ("" = the
# whole form). The register never imports those apps (the layer order, docs/architecture.md):
# the external evaluation plugs in from EvaluationConfig.ready() so that a decision it led to is
# never corrected above the level its final report supports, whichever page or API call asks.
CorrectionCheck = Callable[[RecognitionDecision, dict[str, Any]], dict[str, list[str]]]
correction_checks: list[CorrectionCheck] = []


def register_correction_check(check: CorrectionCheck) -> None:
    if check not in correction_checks:
        correction_checks.append(check)


def recognition_correct(
    *,
    user,
    decision: RecognitionDecision,
    data: dict[str, Any],
    reason: str,
    version: int | None,
) -> RecognitionDecision:
    """Correct a recorded decision (number, date, signer, level, framework, note, kind) with a
    reason kept in its history. `data` may name only the fields that change (the others keep
    their stored values); the corrected decision is checked like a new one against the rest of
    the school's register, and by the apps' correction_checks. `version` is the decision's
    version as read (None: a command; stale → concurrency.EditConflict, nothing written).
    Raises NotAllowed or DecisionRejected."""
    today = timezone.localdate()
    reason = " ".join(nfc(reason or "").split())
    with transaction.atomic():
        school = (
            School.objects.select_for_update(of=("self",))
            .select_related("unit")
            .get(pk=decision.school_id)
        )
        decision = RecognitionDecision.objects.select_related("school").get(pk=decision.pk)
        if not has_perm(user, "recognition.correct", decision):
            raise NotAllowed("Bạn không được đính chính quyết định của trường này.")
        concurrency.version_claim(decision, version)  # stale: EditConflict, nothing written
        errors: dict[str, list[str]] = {}
        if not reason:
            errors["reason"] = ["Hãy ghi lý do đính chính (lý do được lưu trong lịch sử)."]
        elif len(reason) > REASON_MAX:
            errors["reason"] = [
                f"Lý do đính chính dài {len(reason)} ký tự; hãy ghi gọn trong {REASON_MAX} ký tự"
                " (nội dung dài hơn ghi vào ô ghi chú)."
            ]
        merged = {key: getattr(decision, key) for key in FIELDS}
        merged.update({key: data[key] for key in FIELDS if key in data})
        prior = [d for d in _prior(school) if d.pk != decision.pk]
        cleaned = clean_decision(
            school=school, data=merged, prior=prior, today=today, decision_id=decision.pk
        )
        for key, messages in cleaned.errors.items():
            errors.setdefault(key, []).extend(messages)
        if cleaned.values.get("kind") in rules.TRACK_OF:
            for check in correction_checks:
                for key, messages in check(decision, cleaned.values).items():
                    errors.setdefault(key, []).extend(messages)
        if not cleaned.errors:
            changed = [k for k, v in cleaned.values.items() if getattr(decision, k) != v]
            if not changed and not errors:
                errors[""] = [
                    "Nội dung đính chính giống hệt quyết định đang lưu: không có gì để đính chính."
                ]
        if errors:
            raise DecisionRejected(errors)
        for key, value in cleaned.values.items():
            setattr(decision, key, value)
        decision._change_reason = reason  # audit: the history row of the correction keeps it
        decision.save()
        # The cached level; the dashboards' kept counts (recognition.tally) follow the history
        # row just written, as for a decision recorded.
        refresh_standard_level(school, today=today)
    return decision
