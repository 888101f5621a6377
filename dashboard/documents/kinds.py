"""The unit's overview documents, registered by `DashboardConfig.ready()`: the statistics of
standard schools (same counts as the dashboard) and the six-month / annual report (register,
plans and investment)."""

from __future__ import annotations

from dashboard.documents import report, statistics
from documents.registry import Kind

KINDS = [
    Kind(
        "statistics",
        "Thống kê trường đạt chuẩn theo cấp học",
        needs_unit=True,
        needs_plan=False,
        needs_year=False,
        docx=statistics.build_docx,
        xlsx=statistics.build_xlsx,
        description="Số trường theo cấp học × Mức độ 1, Mức độ 2, chưa đạt; tỷ lệ tính từ số"
        " trường.",
        order=1,
        check=statistics.check,
    ),
    Kind(
        "report",
        "Báo cáo 6 tháng / năm về xây dựng trường chuẩn",
        needs_unit=True,
        needs_plan=False,
        needs_year=True,
        docx=report.build_docx,
        xlsx=report.build_xlsx,
        description="Mục tiêu, kết quả theo sổ công nhận, bảng đầu tư nhóm I/II có cộng,"
        " hạn chế, nhiệm vụ kỳ tới (phần lời văn soạn được).",
        order=2,
        check=report.check,
    ),
]
