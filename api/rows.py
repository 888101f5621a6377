"""A school as the API lists it: registry fields plus its current recognition (from the
register, by recognition.rules) and its latest self-assessment. Built for a page (or an export
chunk) of schools with two more queries, whatever the page size."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import timezone

from assessments.models import Assessment
from recognition import rules
from recognition.models import RecognitionDecision
from schools.models import School

DECISION_FIELDS = ("id", "school_id", "kind", "signed_on", "level", "framework_code", "number")


def _recognition(decisions: list[dict[str, Any]], today: dt.date) -> dict[str, Any]:
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


def enrich(schools: list[School], *, today: dt.date | None = None) -> list[School]:
    """Attach `recognition`, `latest_assessment` and `province` to each school."""
    today = today or timezone.localdate()
    ids = [s.pk for s in schools]
    decisions: dict[int, list[dict[str, Any]]] = {}
    for row in RecognitionDecision.objects.filter(school_id__in=ids).values(*DECISION_FIELDS):
        decisions.setdefault(row["school_id"], []).append(row)
    latest: dict[int, dict[str, Any]] = {}
    for row in (
        Assessment.objects.filter(school_id__in=ids)
        .order_by("school_id", "-school_year")
        .values("school_id", "school_year", "status", "computed_level")
    ):
        latest.setdefault(
            row["school_id"],
            {
                "school_year": row["school_year"],
                "status": row["status"],
                "level": row["computed_level"],
            },
        )
    for s in schools:
        s.recognition = _recognition(decisions.get(s.pk, []), today)
        s.latest_assessment = latest.get(s.pk)
        s.province = s.unit.path.strip("/").split("/")[0] if s.unit_id else None
    return schools


def export_rows(schools, *, chunk: int = 2000) -> Iterator[list[School]]:
    """The scoped queryset in chunks by primary key (keyset: no OFFSET scans), enriched."""
    qs = (
        schools.select_related("unit")
        .only(
            "id",
            "code",
            "name",
            "kind",
            "ownership",
            "special_type",
            "standard_level",
            "unit__uid",
            "unit__name",
            "unit__path",
        )
        .order_by("pk")
    )
    last = 0
    today = timezone.localdate()
    while True:
        batch = list(qs.filter(pk__gt=last)[:chunk])
        if not batch:
            return
        yield enrich(batch, today=today)
        last = batch[-1].pk


EXPORT_COLUMNS = (
    "code",
    "name",
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


def flat(school: School) -> dict[str, Any]:
    r = school.recognition
    a = school.latest_assessment or {}
    return {
        "code": school.code,
        "name": school.name,
        "kind": school.kind,
        "ownership": school.ownership,
        "unit": school.unit.uid,
        "unit_name": school.unit.name,
        "province": school.province,
        "recognition_level": r["level"],
        "decision_number": r["decision_number"],
        "signed_on": r["signed_on"].isoformat() if r["signed_on"] else None,
        "valid_until": r["valid_until"].isoformat() if r["valid_until"] else None,
        "accreditation_level": r["accreditation_level"],
        "assessment_school_year": a.get("school_year"),
        "assessment_status": a.get("status"),
        "assessment_level": a.get("level"),
    }


def flat_all(batches: Iterable[list[School]]) -> Iterator[dict[str, Any]]:
    for batch in batches:
        for school in batch:
            yield flat(school)
