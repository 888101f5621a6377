"""The self-assessment documents as kinds of the documents app (views, background PDF and
`export_document` build them through `documents.builders.build()` like every other kind).
The builders themselves live in documents/selfassessment/."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404

from documents.common import DocumentError, DocumentRequest


def load_for(req: DocumentRequest):
    """The assessment's data, if the requesting user may see it (else a DocumentError)."""
    from assessments.selectors import assessment_get_or_404
    from documents.selfassessment.data import load

    try:
        assessment = assessment_get_or_404(user=req.user, pk=int(req.assessment_id or 0))
    except Http404 as exc:
        raise DocumentError(
            f"Không tìm thấy đợt tự đánh giá #{req.assessment_id} trong phạm vi của bạn."
        ) from exc
    return load(assessment)


def assessment_title(req: DocumentRequest) -> str:
    from assessments.models import Assessment

    row = (
        Assessment.objects.filter(pk=req.assessment_id)
        .values_list("school__name", "school_year")
        .first()
    )
    return f"{row[0]}, năm học {row[1]}" if row else f"đợt #{req.assessment_id}"


def _docx(module: str, *, needs: str = "") -> Callable:
    def build(req: DocumentRequest):
        from importlib import import_module

        data = load_for(req)
        if needs and data.documents.get("improvement_form") != needs:
            raise DocumentError(
                f"Bộ tiêu chuẩn {data.framework_code} không quy định mẫu này "
                "(kế hoạch cải tiến của khung 2018 nằm trong từng phiếu tiêu chí và báo cáo)."
            )
        return import_module(f"documents.selfassessment.{module}").build_docx(req, data)

    return build


def _xlsx(name: str) -> Callable:
    def build(req: DocumentRequest):
        from documents.selfassessment import catalogue

        return getattr(catalogue, name)(req, load_for(req))

    return build


def SA_KINDS(kind_class) -> list:  # noqa: N802 — a table, read like a constant
    def k(code, label, docx, xlsx, description, only_with=""):
        return kind_class(
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
        )

    return [
        k(
            "sa-decision",
            "Quyết định thành lập Hội đồng tự đánh giá",
            _docx("decision"),
            None,
            "Điều 1 danh sách thành viên theo vai trò trong Hội đồng.",
        ),
        k(
            "sa-plan",
            "Kế hoạch tự đánh giá",
            _docx("plan"),
            None,
            "Mục đích, phạm vi, Hội đồng, nhóm công tác, phân công, mã hóa minh chứng, thời gian"
            " biểu.",
        ),
        k(
            "sa-sheets",
            "Phiếu đánh giá tiêu chí",
            _docx("sheets"),
            None,
            "Tất cả các phiếu (mỗi phiếu một trang mới) hoặc một tiêu chí.",
        ),
        k(
            "sa-report",
            "Báo cáo tự đánh giá",
            _docx("report"),
            _xlsx("results_xlsx"),
            "Báo cáo đầy đủ theo mẫu của bộ tiêu chuẩn; bản Excel là các bảng kết quả và danh"
            " mục minh chứng.",
        ),
        k(
            "sa-catalogue",
            "Danh mục mã minh chứng",
            _docx("catalogue"),
            _xlsx("catalogue_xlsx"),
            "Theo tiêu chuẩn → tiêu chí, khổ ngang.",
        ),
        k(
            "sa-improvement",
            "Kế hoạch cải tiến chất lượng (Biểu 2)",
            _docx("improvement", needs="tt57-bieu2"),
            None,
            "Mẫu Biểu 2 của Thông tư 57/2026 (chưa đối chiếu văn bản chính thức).",
            only_with="tt57-bieu2",
        ),
    ]
