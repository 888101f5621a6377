"""The documents the app can generate. Each kind declares what it needs (a unit, a plan, a
year and period) and its builders; views, the background task and `export_document` all go
through `build()` so the three produce the same file."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from core.text import fold
from documents.common import DocumentError, DocumentRequest, period_label

from . import plan, report, statistics
from .self_assessment import SA_KINDS, assessment_title

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


KINDS: dict[str, Kind] = {
    "statistics": Kind(
        "statistics",
        "Thống kê trường đạt chuẩn theo cấp học",
        needs_unit=True,
        needs_plan=False,
        needs_year=False,
        docx=statistics.build_docx,
        xlsx=statistics.build_xlsx,
        description="Số trường theo cấp học × Mức độ 1, Mức độ 2, chưa đạt; tỷ lệ tính từ số"
        " trường.",
    ),
    "report": Kind(
        "report",
        "Báo cáo 6 tháng / năm về xây dựng trường chuẩn",
        needs_unit=True,
        needs_plan=False,
        needs_year=True,
        docx=report.build_docx,
        xlsx=report.build_xlsx,
        description="Mục tiêu, kết quả theo sổ công nhận, bảng đầu tư nhóm I/II có cộng,"
        " hạn chế, nhiệm vụ kỳ tới (phần lời văn soạn được).",
    ),
    "plan": Kind(
        "plan",
        "Kế hoạch / Đề án với danh sách trường theo năm",
        needs_unit=False,
        needs_plan=True,
        needs_year=False,
        docx=plan.build_docx,
        xlsx=plan.build_xlsx,
        description="Căn cứ, mục đích, mục tiêu cụ thể 2.1–2.3 theo năm, bảng tổng hợp.",
    ),
}
KINDS.update({k.code: k for k in SA_KINDS(Kind)})
UNIT_KINDS = [k for k in KINDS.values() if not k.needs_assessment]
ASSESSMENT_KINDS = [k for k in KINDS.values() if k.needs_assessment]


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
    return kind


def build_docx(req: DocumentRequest) -> bytes:
    return validate(req).docx(req).to_bytes()


def build_xlsx(req: DocumentRequest) -> bytes:
    from documents.xlsx import to_bytes

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
    if kind.needs_assessment and req.assessment_id:
        parts.append(assessment_title(req))
        if req.criterion:
            parts.append(f"tiêu chí {req.criterion}")
    return " — ".join(parts)


def filename_of(req: DocumentRequest, ext: str) -> str:
    return filename_of_title(title_of(req), ext)


def filename_of_title(title: str, ext: str) -> str:
    """An ASCII file name (accents folded) that every mail client and OS accepts."""
    base = re.sub(r"[^a-z0-9]+", "-", fold(title)).strip("-")[:80] or "van-ban"
    return f"{base}.{ext}"
