"""The programme's document kinds, registered by `ProgrammeConfig.ready()`: the plan document
(Kế hoạch / Đề án) and the plan lookup the documents page offers."""

from __future__ import annotations

from documents.registry import Kind, PlanLookup
from programme import selectors
from programme.documents import plan

KINDS = [
    Kind(
        "plan",
        "Kế hoạch / Đề án với danh sách trường theo năm",
        needs_unit=False,
        needs_plan=True,
        needs_year=False,
        docx=plan.build_docx,
        xlsx=plan.build_xlsx,
        description="Căn cứ, mục đích, mục tiêu cụ thể 2.1–2.3 theo năm, bảng tổng hợp.",
        order=3,
        check=plan.check,
    ),
]

PLANS = PlanLookup(get=selectors.plan_get, choices=plan.plan_choices)
