"""The evidence app's answer to assessments.register: the register read and carried for the
self-assessment (snapshot, carry-over, sheet page, documents). Plugged in by
EvidenceConfig.ready(); the reads are the ones assessments made itself before the arrow between
the two apps was turned round, in the same order and with the same fields."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from assessments.models import Assessment, CriterionSheet
from assessments.register import Carried, DocumentRegister

from . import selectors, services
from .models import Evidence, EvidenceCitation


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


class Register:
    def snapshot_citations(self, assessment: Assessment) -> dict[int, list[str]]:
        codes: dict[int, list[str]] = defaultdict(list)
        for sheet_id, code in (
            EvidenceCitation.objects.filter(sheet__assessment=assessment)
            .order_by("position", "pk")
            .values_list("sheet_id", "evidence__code")
        ):
            codes[sheet_id].append(code)
        return dict(codes)

    def snapshot_items(self, assessment: Assessment) -> list[dict[str, Any]]:
        return [
            {
                "code": e.code,
                "criterion": e.first_criterion.code,
                "name": e.name,
                "number": e.number,
                "issued_on": _iso(e.issued_on),
                "issuer": e.issuer,
                "note": e.note,
                "box": e.box,
                "link": e.link,
                "file": e.original_name,
                "sha256": e.sha256,
            }
            for e in Evidence.objects.filter(assessment=assessment)
            .select_related("first_criterion")
            .order_by("first_criterion__position", "seq", "pk")
        ]

    def document_register(self, assessment: Assessment) -> DocumentRegister:
        items = list(
            Evidence.objects.filter(assessment=assessment)
            .select_related("first_criterion")
            .order_by("first_criterion__position", "seq")
        )
        by_id = {e.pk: e for e in items}
        cited_by_sheet: dict[int, list[Evidence]] = defaultdict(list)
        citations_by_evidence: dict[int, list[str]] = defaultdict(list)
        for cit in (
            EvidenceCitation.objects.filter(sheet__assessment=assessment)
            .select_related("sheet__criterion")
            .order_by("sheet_id", "position", "pk")
        ):
            cited_by_sheet[cit.sheet_id].append(by_id[cit.evidence_id])
            citations_by_evidence[cit.evidence_id].append(cit.sheet.criterion.code)
        return DocumentRegister(
            items=items,
            cited_by_sheet=cited_by_sheet,
            citations_by_evidence=citations_by_evidence,
        )

    def carry_over(self, *, user, source: Assessment, target: Assessment) -> Carried:
        carry = services.evidence_carry_over(
            user=user, source=source, target=target, with_citations=True
        )
        return Carried(
            mapping=carry.mapping,
            dropped=carry.dropped,
            items=carry.items,
            citations=carry.citations,
            not_carried=carry.not_carried,
        )

    def sheet_context(self, sheet: CriterionSheet) -> dict[str, Any]:
        return selectors.sheet_evidence_context(sheet)

    def sheet_met_without_evidence(self, sheet: CriterionSheet) -> list[str]:
        return selectors.sheet_met_without_evidence(sheet)
