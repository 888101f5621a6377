"""The registry of document kinds. The documents app is the rendering library (NĐ30 layout,
docx/xlsx/pdf, background jobs); each domain app registers the documents it owns from its
`AppConfig.ready()` (programme: plan; dashboard: statistics and report; assessments: the
`sa-*` kinds), so this library imports no domain app. Views, the background task and
`export_document` all go through `build()` so the three produce the same file.

Besides kinds, a domain may provide the plan lookup the generation form offers (`plans`) and a
section of the documents page (`index_context`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import Http404

from core.text import fold
from documents.common import DocumentError, DocumentRequest, period_label
from documents.xlsx import to_bytes

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_MIME = "application/pdf"
FORMATS = ("docx", "xlsx", "pdf")


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    needs_unit: bool
    needs_plan: bool
    needs_year: bool
    docx: Callable
    xlsx: Callable | None
    description: str = ""
    needs_assessment: bool = False
    # Which framework layouts offer it (empty: all); e.g. Biểu 2 only where TT57 declares it.
    only_with: str = ""
    # The subject's words in the title (e.g. the school and school year of an assessment).
    subject_title: Callable[[DocumentRequest], str] | None = None
    # Place on the documents page (kinds of all apps are listed together).
    order: int = 100
    # Checks of the request the kind makes before anything is built (e.g. a typed date on
    # which the issuer did not exist): raise DocumentError, shown on the form or by the command.
    check: Callable[[DocumentRequest], None] | None = None
    # Made for an external evaluation (`--evaluation`), not offered on the unit form.
    needs_evaluation: bool = False
    # The demo's documents of this kind, for `make preview` and the demo-document tests, when
    # the kind's subject is not a unit, a plan or an assessment: (name suffix, params) pairs.
    demo: Callable[[], list[tuple[str, dict[str, Any]]]] | None = None


KINDS: dict[str, Kind] = {}


def register(*kinds: Kind) -> None:
    """Add kinds (from a domain app's `AppConfig.ready()`); registering a code twice is a bug."""
    for kind in kinds:
        if kind.code in KINDS and KINDS[kind.code] != kind:
            raise ValueError(f"document kind {kind.code!r} registered twice")
        KINDS[kind.code] = kind


def unit_kinds() -> list[Kind]:
    """The kinds made for a unit or a plan (the documents page), in page order."""
    return sorted(
        (k for k in KINDS.values() if not (k.needs_assessment or k.needs_evaluation)),
        key=lambda k: k.order,
    )


def assessment_kinds() -> list[Kind]:
    """The kinds made for one self-assessment, in page order."""
    return sorted((k for k in KINDS.values() if k.needs_assessment), key=lambda k: k.order)


@dataclass(frozen=True)
class PlanLookup:
    """How the plan a document is made for is found: `get(user=, pk=)` returns it or raises
    Http404 outside the user's scope; `choices(user)` lists (pk, label) for the form."""

    get: Callable[..., Any]
    choices: Callable[[Any], list[tuple[int, str]]]


_plans: list[PlanLookup] = []
_index_context: list[Callable[[Any], dict[str, Any]]] = []


def register_plans(lookup: PlanLookup) -> None:
    _plans[:] = [lookup]


def plan_get(*, user, pk: int) -> Any:
    if not _plans:
        raise Http404("Không có kế hoạch nào.")
    return _plans[0].get(user=user, pk=pk)


def plan_choices(user) -> list[tuple[int, str]]:
    return _plans[0].choices(user) if _plans else []


def register_index_context(provider: Callable[[Any], dict[str, Any]]) -> None:
    """A domain's part of the documents page: `provider(user)` returns template variables."""
    if provider not in _index_context:
        _index_context.append(provider)


def index_context(user) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for provider in _index_context:
        out.update(provider(user))
    return out


def get_kind(code: str) -> Kind:
    kind = KINDS.get(code)
    if kind is None:
        known = ", ".join(KINDS)
        raise DocumentError(f"Không có loại văn bản “{code}”. Các loại hợp lệ: {known}.")
    return kind


def validate(req: DocumentRequest) -> Kind:
    kind = get_kind(req.kind)
    if kind.needs_unit and req.unit is None:
        raise DocumentError("Cần chọn đơn vị.")
    if kind.needs_plan and not req.plan_id:
        raise DocumentError("Cần chọn kế hoạch.")
    if kind.needs_year and not req.year:
        raise DocumentError("Cần chọn năm.")
    if kind.needs_assessment and not req.assessment_id:
        raise DocumentError("Cần chọn đợt tự đánh giá (--assessment).")
    if kind.needs_evaluation and not req.evaluation:
        raise DocumentError("Cần chọn đợt đánh giá ngoài (--evaluation).")
    if kind.check is not None:
        kind.check(req)
    return kind


def build_docx(req: DocumentRequest) -> bytes:
    return validate(req).docx(req).to_bytes()


def build_xlsx(req: DocumentRequest) -> bytes:
    kind = validate(req)
    if kind.xlsx is None:
        raise DocumentError(f"“{kind.label}” chỉ có bản Word (.docx) và PDF.")
    return to_bytes(kind.xlsx(req))


def title_of(req: DocumentRequest) -> str:
    kind = get_kind(req.kind)
    parts = [kind.label]
    if req.unit is not None:
        parts.append(req.unit.name)
    if kind.needs_year and req.year:
        parts.append(period_label(req.period, req.year))
    if kind.needs_plan and req.plan_id:
        parts.append(f"kế hoạch #{req.plan_id}")
    if kind.subject_title is not None:
        # The subject's own words (e.g. "school, năm học …, tiêu chí 1.2"); empty: none.
        parts.extend(p for p in [kind.subject_title(req)] if p)
    return " — ".join(parts)


def filename_of(req: DocumentRequest, ext: str) -> str:
    return filename_of_title(title_of(req), ext)


def filename_of_title(title: str, ext: str) -> str:
    """An ASCII file name (accents folded) that every mail client and OS accepts."""
    base = re.sub(r"[^a-z0-9]+", "-", fold(title)).strip("-")[:80] or "van-ban"
    return f"{base}.{ext}"
