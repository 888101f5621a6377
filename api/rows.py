"""A school as the API lists it: registry fields plus its current recognition (from the
register, by recognition.rules) and its latest self-assessment. Built for a page (or an export
chunk) of schools with two more queries, whatever the page size."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from assessments.models import Assessment
from recognition import rules
from recognition.models import RecognitionDecision
from schools.models import School

DECISION_FIELDS = ("id", "school_id", "kind", "signed_on", "level", "framework_code", "number")


EMPTY_STATUS = {
    "level": 0,
    "decision_number": None,
    "signed_on": None,
    "valid_until": None,
    "accreditation_level": 0,
}


def _recognition(decisions: list[dict[str, Any]], today: dt.date) -> dict[str, Any]:
    if not decisions:  # most schools: no register to read
        return dict(EMPTY_STATUS)
    status = rules.school_status(decisions, today)
    std = status.standard
    latest = std.decision
    return {
        "level": std.level,
        "decision_number": latest.number if latest else None,
        "signed_on": latest.signed_on if latest else None,
        "valid_until": std.valid_until,
        "accreditation_level": status.accreditation.level,
    }


def _decisions_and_latest(decisions_qs, assessments_qs):
    decisions: dict[int, list[dict[str, Any]]] = {}
    for row in decisions_qs.values_list(*DECISION_FIELDS):
        item = dict(zip(DECISION_FIELDS, row, strict=True))
        decisions.setdefault(item["school_id"], []).append(item)
    latest: dict[int, dict[str, Any]] = {}
    for school_id, year, state, level in assessments_qs.order_by(
        "school_id", "-school_year"
    ).values_list("school_id", "school_year", "status", "computed_level"):
        if school_id not in latest:
            latest[school_id] = {"school_year": year, "status": state, "level": level}
    return decisions, latest


def enrich(schools: list[School], *, today: dt.date | None = None) -> list[School]:
    """Attach `recognition`, `latest_assessment` and `province` to each school."""
    today = today or timezone.localdate()
    ids = [s.pk for s in schools]
    decisions, latest = _decisions_and_latest(
        RecognitionDecision.objects.filter(school_id__in=ids),
        Assessment.objects.filter(school_id__in=ids),
    )
    for s in schools:
        s.recognition = _recognition(decisions.get(s.pk, []), today)
        s.latest_assessment = latest.get(s.pk)
        s.province = s.unit.path.strip("/").split("/")[0] if s.unit_id else None
    return schools


def list_row(school: School) -> dict[str, Any]:
    """The list's row (SchoolSerializer's fields), built directly: a page is 100 of them."""
    r = school.recognition
    return {
        "code": school.code,
        "national_code": school.national_code,
        "name": school.name,
        "kind": school.kind,
        "ownership": school.ownership,
        "special_type": school.special_type,
        "unit": school.unit.uid,
        "unit_name": school.unit.name,
        "province": school.province,
        "standard_level": school.standard_level,
        "recognition": {
            **r,
            "signed_on": r["signed_on"].isoformat() if r["signed_on"] else None,
            "valid_until": r["valid_until"].isoformat() if r["valid_until"] else None,
        },
        "latest_assessment": school.latest_assessment,
    }


EXPORT_FIELDS = (
    "pk",
    "code",
    "national_code",
    "name",
    "kind",
    "ownership",
    "unit__uid",
    "unit__name",
    "unit__path",
)


def export_rows(schools, *, chunk: int = 5000) -> Iterator[list[dict[str, Any]]]:
    """The scoped queryset in chunks by primary key (keyset: no OFFSET scans), as flat rows.
    A chunk's decisions and assessments are read by the chunk's id range (no long IN list);
    rows of schools outside the chunk's selection are simply not looked up."""
    base = schools.order_by("pk").values_list(*EXPORT_FIELDS)
    today = timezone.localdate()
    last = 0
    while True:
        batch = list(base.filter(pk__gt=last)[:chunk])
        if not batch:
            return
        low, high = batch[0][0], batch[-1][0]
        decisions, latest = _decisions_and_latest(
            RecognitionDecision.objects.filter(school_id__gte=low, school_id__lte=high),
            Assessment.objects.filter(school_id__gte=low, school_id__lte=high),
        )
        out = []
        for pk, code, national_code, name, kind, ownership, uid, unit_name, path in batch:
            r = _recognition(decisions.get(pk, []), today)
            a = latest.get(pk) or {}
            out.append(
                {
                    "code": code,
                    "national_code": national_code,
                    "name": name,
                    "kind": kind,
                    "ownership": ownership,
                    "unit": uid,
                    "unit_name": unit_name,
                    "province": path.strip("/").split("/")[0],
                    "recognition_level": r["level"],
                    "decision_number": r["decision_number"],
                    "signed_on": r["signed_on"].isoformat() if r["signed_on"] else None,
                    "valid_until": r["valid_until"].isoformat() if r["valid_until"] else None,
                    "accreditation_level": r["accreditation_level"],
                    "assessment_school_year": a.get("school_year"),
                    "assessment_status": a.get("status"),
                    "assessment_level": a.get("level"),
                }
            )
        yield out
        last = high


EXPORT_COLUMNS = (
    "code",
    "name",
    "national_code",
    "kind",
    "ownership",
    "unit",
    "unit_name",
    "province",
    "recognition_level",
    "decision_number",
    "signed_on",
    "valid_until",
    "accreditation_level",
    "assessment_school_year",
    "assessment_status",
    "assessment_level",
)
