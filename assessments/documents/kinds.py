"""The self-assessment documents as kinds of the documents library, registered by
`AssessmentsConfig.ready()` (views, background PDF and `export_document` build them through
`documents.registry.build_docx()` like every other kind). The builders live beside this module."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404

from assessments.documents import catalogue, decision, improvement, plan, report, sheets
from assessments.documents.data import load
from assessments.models import Assessment
from assessments.selectors import assessment_get_or_404, assessment_list
from documents.common import DocumentError, DocumentRequest
from documents.registry import Kind

# How many assessments the documents page lists.
RECENT = 20


def load_for(req: DocumentRequest):
    """The assessment's data, if the requesting user may see it (else a DocumentError)."""
    try:
        assessment = assessment_get_or_404(user=req.user, pk=int(req.assessment_id or 0))
    except Http404 as exc:
        raise DocumentError(
            f"Không tìm thấy đợt tự đánh giá #{req.assessment_id} trong phạm vi của bạn."
        ) from exc
    return load(assessment)


def assessment_title(req: DocumentRequest) -> str:
    if not req.assessment_id:
        return ""
    row = (
        Assessment.objects.filter(pk=req.assessment_id)
        .values_list("school__name", "school_year")
        .first()
    )
    title = f"{row[0]}, năm học {row[1]}" if row else f"đợt #{req.assessment_id}"
    return f"{title} — tiêu chí {req.criterion}" if req.criterion else title


def _docx(module, *, needs: str = "") -> Callable:
    def build(req: DocumentRequest):
        data = load_for(req)
        if needs and data.documents.get("improvement_form") != needs:
            raise DocumentError(
                f"Bộ tiêu chuẩn {data.framework_code} không quy định mẫu này "
                "(kế hoạch cải tiến của khung 2018 nằm trong từng phiếu tiêu chí và báo cáo)."
            )
        return module.build_docx(req, data)

    return build


def _xlsx(name: str) -> Callable:
    def build(req: DocumentRequest):
        return getattr(catalogue, name)(req, load_for(req))

    return build


def kinds() -> list[Kind]:
    def k(code, label, docx, xlsx, description, only_with=""):
        return Kind(
            code,
            label,
            needs_unit=False,
            needs_plan=False,
            needs_year=False,
            docx=docx,
            xlsx=xlsx,
            description=description,
            needs_assessment=True,
            only_with=only_with,
            subject_title=assessment_title,
            order=10,  # after the unit kinds; among themselves, in this order
        )

    return [
        k(
            "sa-decision",
            "Quyết định thành lập Hội đồng tự đánh giá",
            _docx(decision),
            None,
            "Điều 1 danh sách thành viên theo vai trò trong Hội đồng.",
        ),
        k(
            "sa-plan",
            "Kế hoạch tự đánh giá",
            _docx(plan),
            None,
            "Mục đích, phạm vi, Hội đồng, nhóm công tác, phân công, mã hóa minh chứng, thời gian"
            " biểu.",
        ),
        k(
            "sa-sheets",
            "Phiếu đánh giá tiêu chí",
            _docx(sheets),
            None,
            "Tất cả các phiếu (mỗi phiếu một trang mới) hoặc một tiêu chí.",
        ),
        k(
            "sa-report",
            "Báo cáo tự đánh giá",
            _docx(report),
            _xlsx("results_xlsx"),
            "Báo cáo đầy đủ theo mẫu của bộ tiêu chuẩn; bản Excel là các bảng kết quả và danh"
            " mục minh chứng.",
        ),
        k(
            "sa-catalogue",
            "Danh mục mã minh chứng",
            _docx(catalogue),
            _xlsx("catalogue_xlsx"),
            "Theo tiêu chuẩn → tiêu chí, khổ ngang.",
        ),
        k(
            "sa-improvement",
            "Kế hoạch cải tiến chất lượng (Biểu 2)",
            _docx(improvement, needs="tt57-bieu2"),
            None,
            "Mẫu Biểu 2 của Thông tư 57/2026 (chưa đối chiếu văn bản chính thức).",
            only_with="tt57-bieu2",
        ),
    ]


def index_context(user) -> dict:
    """The documents page's section "Văn bản tự đánh giá của trường": the assessments in scope."""
    return {"assessments": assessment_list(user=user)[:RECENT]}
