"""The external evaluation documents as kinds of the documents library, registered by
`EvaluationConfig.ready()`: views, background PDF and `export_document … --evaluation ID` all
build them through `documents.registry`."""

from __future__ import annotations

from collections.abc import Callable

from accounts.permissions import has_perm
from documents.common import DocumentError, DocumentRequest
from documents.registry import Kind
from evaluation.models import Evaluation

from . import data, decision, registration, report, team

VIEW_ACTION = "evaluation.view"


def evaluation_ids(req: DocumentRequest) -> list[int]:
    parts = [p for p in req.evaluation.split(",") if p.strip()]
    if not parts or not all(p.strip().isdigit() for p in parts):
        raise DocumentError(f"Mã đợt đánh giá ngoài phải là số: “{req.evaluation}”.")
    return list(dict.fromkeys(int(p) for p in parts))


def visible(req: DocumentRequest, pk: int) -> Evaluation:
    """The evaluation if the user may read it; outside the scope it does not exist."""
    evaluation = (
        Evaluation.objects.select_related("school", "school__unit", "assessment")
        .filter(pk=pk)
        .first()
    )
    if evaluation is None or not has_perm(req.user, VIEW_ACTION, evaluation):
        raise DocumentError(f"Không tìm thấy đợt đánh giá ngoài #{pk} trong phạm vi của bạn.")
    return evaluation


def load_one(req: DocumentRequest) -> data.EEData:
    ids = evaluation_ids(req)
    if len(ids) > 1:
        raise DocumentError("Văn bản này lập cho một đợt đánh giá ngoài; hãy ghi một mã.")
    return data.load(visible(req, ids[0]))


def _one(module) -> Callable:
    def build(req: DocumentRequest):
        return module.build_docx(req, load_one(req))

    return build


def _many(req: DocumentRequest):
    return decision.build_docx(req, [data.load(visible(req, pk)) for pk in evaluation_ids(req)])


def check(req: DocumentRequest) -> None:
    for pk in evaluation_ids(req):
        visible(req, pk)


def evaluation_title(req: DocumentRequest) -> str:
    try:
        ids = evaluation_ids(req)
    except DocumentError:
        return ""
    names = list(Evaluation.objects.filter(pk__in=ids).values_list("school__name", flat=True))
    return ", ".join(names)


def demo_evaluations() -> list[tuple[str, dict]]:
    """The demo's evaluations that went through the whole chain (a final report): each of
    their documents is printed by `make preview` and checked by the demo-document tests."""
    done = Evaluation.objects.exclude(final_sha256="").select_related("school").order_by("pk")
    return [(e.school.code.lower(), {"evaluation": str(e.pk)}) for e in done]


def kinds() -> list[Kind]:
    def k(code, label, docx, description):
        return Kind(
            code,
            label,
            needs_unit=False,
            needs_plan=False,
            needs_year=False,
            docx=docx,
            xlsx=None,
            description=description,
            needs_evaluation=True,
            subject_title=evaluation_title,
            order=20,
            check=check,
            demo=demo_evaluations,
        )

    return [
        k(
            "ee-registration",
            "Công văn đăng ký đánh giá ngoài",
            _one(registration),
            "Nhà trường gửi Sở, kèm danh sách hồ sơ (báo cáo tự đánh giá và số bản).",
        ),
        k(
            "ee-team-decision",
            "Quyết định thành lập Đoàn đánh giá ngoài",
            _one(team),
            "Trưởng đoàn, thư ký, thành viên; ít nhất số thành viên tối thiểu của bộ tiêu chuẩn.",
        ),
        k(
            "ee-report",
            "Báo cáo đánh giá ngoài",
            _one(report),
            "Theo tiêu chuẩn, tiêu chí; kết quả của đoàn so với tự đánh giá; kiến nghị công nhận.",
        ),
        k(
            "recognition-decision",
            "Dự thảo quyết định công nhận",
            _many,
            "Một hoặc nhiều trường (--evaluation 3,5); người ký theo cài đặt.",
        ),
    ]
