"""The evidence register as the self-assessment sees it: an extension point owned by assessments.

Evidence items hang on an assessment's criteria, so the evidence app sits above assessments in
the layers (core/tests/test_architecture.py). Yet four places of the self-assessment show the
register: the snapshot the council vouches for (selectors.snapshot_content), the carry-over of
a cycle into the next (services._copy_previous), the criterion sheet page (views) and the
self-assessment documents (documents.data). Rather than import evidence upwards, assessments
declares here what it asks of a register (`EvidenceRegister`), and the evidence app plugs its
implementation in from `EvidenceConfig.ready()` (evidence/register.py).

There is exactly one register: plugging a second one is a programming error, and asking before
the evidence app is ready says so instead of silently showing an empty register."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured

from assessments.models import Assessment, CriterionSheet


@dataclass
class Carried:
    """What the register carried into the next cycle (services._copy_previous)."""

    mapping: dict[str, str] = field(default_factory=dict)  # old bare code → new bare code
    dropped: list[str] = field(default_factory=list)  # old bare codes of items left behind
    items: int = 0
    citations: int = 0
    not_carried: list[str] = field(default_factory=list)  # in Vietnamese, for the user


@dataclass
class DocumentRegister:
    """The register as the documents print it: the items in register order (each with `pk`,
    `code` and the metadata the catalogue prints), the items cited on each sheet in citation
    order, and the criterion codes citing each item."""

    items: list[Any]
    cited_by_sheet: defaultdict[int, list[Any]]  # sheet id → items linked on it, in order
    citations_by_evidence: defaultdict[int, list[str]]  # item id → criterion codes citing it


class EvidenceRegister(Protocol):
    def snapshot_citations(self, assessment: Assessment) -> dict[int, list[str]]:
        """Sheet id → the bare codes cited on it, in citation order."""

    def snapshot_items(self, assessment: Assessment) -> list[dict[str, Any]]:
        """The register's items as the snapshot records them (metadata and the file's hash)."""

    def document_register(self, assessment: Assessment) -> DocumentRegister: ...

    def carry_over(self, *, user, source: Assessment, target: Assessment) -> Carried:
        """Copy the register of `source` into `target` (a cycle just opened), with citations."""

    def sheet_context(self, sheet: CriterionSheet) -> dict[str, Any]:
        """The sheet page's evidence block (citations, their display, the warning)."""

    def sheet_met_without_evidence(self, sheet: CriterionSheet) -> list[str]:
        """Indicators marked met on a sheet that cites no evidence."""


_plugged: list[EvidenceRegister] = []


def plug(register: EvidenceRegister) -> None:
    """Called once, by the evidence app's ready()."""
    if _plugged:
        raise ImproperlyConfigured("An evidence register is already plugged into assessments.")
    _plugged.append(register)


def evidence_register() -> EvidenceRegister:
    if not _plugged:
        raise ImproperlyConfigured(
            "No evidence register: the evidence app must be installed (EvidenceConfig.ready)."
        )
    return _plugged[0]
