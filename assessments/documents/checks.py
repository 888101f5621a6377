"""What to fix before printing ("Kiểm tra trước khi in"): evidence codes that do not match the
register, requirement texts still to be written from the gazette, school data not entered,
council rules, criteria not fully judged, sections left to the placeholder. Nothing here blocks
a download: a principal may print a draft; the page says what the draft still lacks.

Submitting the report ("Nộp báo cáo") reads the same list: a `blocking` finding (a criterion
not judged) stops it, the other warnings must be acknowledged (`submission_problems`).
The regulation texts' provenance and certainty are not findings: they belong to the
framework's reference page, not to the work of a school.

The document check (`documents.check`) reaches the list without rendering a document on a page
view: `text_findings` runs its rules (`scan_text`: English, internal ids, "{…}", developer notes,
placeholder sentences) on the texts people write and the documents are made of — prose
sections, per-standard texts, criterion sheets, improvement actions, requirement texts written
from the gazette, council and timeline — and each item links to the page where that text is
written. `findings()` includes them; other scanner findings (a generated .docx read back) join
through `findings(data, extra=...)`: any object with `message` (and optionally `level`, `url`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from assessments.selectors import council_warnings
from documents import check as document_check

from . import prose
from .data import SAData


@dataclass(frozen=True)
class Finding:
    level: str  # "danger" (the printed report would be wrong) | "warning" | "info"
    message: str
    url: str = ""  # where to fix it
    link_text: str = ""
    blocking: bool = False  # stops "Nộp báo cáo"
    code: str = ""  # kind of finding: "not_judged", "missing_text", "uncited", …

    @property
    def must_acknowledge(self) -> bool:
        """A warning the principal acknowledges before submitting."""
        return not self.blocking and self.level in ("danger", "warning")


def _as_finding(item: Any) -> Finding:
    if isinstance(item, Finding):
        return item
    return Finding(
        str(getattr(item, "level", "") or "warning"),
        str(getattr(item, "message", item)),
        url=str(getattr(item, "url", "") or ""),
        code=str(getattr(item, "code", "") or "document"),
    )


def missing_texts(data: SAData) -> list[Finding]:
    """One item per requirement whose text is not known yet, pointing to where it is written
    from the gazette; the documents print an empty line to fill by hand until then."""
    out: list[Finding] = []
    pk = data.assessment.pk
    for n, item in enumerate(data.level4, start=1):
        if item.text is None:
            out.append(
                Finding(
                    "warning",
                    f"Yêu cầu {n} của {data.level_name(item.level)} chưa có văn bản: văn bản in "
                    "để dòng trống để điền tay. Hãy chép nguyên văn theo Công báo.",
                    url=reverse("assessments:requirement_text", args=[pk, item.indicator_id]),
                    link_text="Ghi văn bản theo Công báo",
                    code="missing_text",
                )
            )
    for criterion in data.criteria:
        for item in criterion.indicators:
            if item.text is None:
                label = f", chỉ báo {item.label}" if item.label else ""
                out.append(
                    Finding(
                        "warning",
                        f"Tiêu chí {criterion.code}, {data.level_name(item.level)}{label} chưa có "
                        "văn bản: văn bản in để dòng trống để điền tay. Hãy chép nguyên văn theo "
                        "Công báo.",
                        url=reverse("assessments:requirement_text", args=[pk, item.indicator_id]),
                        link_text="Ghi văn bản theo Công báo",
                        code="missing_text",
                    )
                )
    return out


# What each kind of document-check finding asks of the person who wrote the text.
_TEXT_FIX = {
    document_check.ENGLISH: "có câu tiếng Anh; văn bản gửi đi viết bằng tiếng Việt",
    document_check.INTERNAL_ID: "có mã nội bộ dạng “1.1-M2”; hãy viết tên tiêu chí, chỉ báo",
    document_check.TEMPLATE_LEAK: "có chỗ mẫu chưa điền (dấu ngoặc nhọn “{…}”)",
    document_check.DEVELOPER_NOTE: "có ghi chú kỹ thuật không dành cho người đọc",
    document_check.MISSING_TEXT: "có câu báo thiếu nội dung thay cho nội dung",
}


def _sources(data: SAData) -> list[tuple[str, str, str, str]]:
    """(where, text, url, link text) of every text written in the app that a document prints."""
    pk = data.assessment.pk
    out: list[tuple[str, str, str, str]] = []
    prose_url = reverse("documents:assessment_prose", args=[pk])
    for section in prose.sections_for(data.layout):
        value = data.prose.get(section.key)
        if isinstance(value, str) and value.strip():
            out.append((f"Phần “{section.label}”", value, prose_url, "Mở trang soạn văn bản"))
    rows = data.prose.get("monitoring")
    if isinstance(rows, list):
        for row in rows:
            if isinstance(row, dict):
                text = " ".join(str(v) for v in row.values() if isinstance(v, str))
                out.append(("Bảng theo dõi", text, prose_url, "Mở trang soạn văn bản"))
    for standard in data.standards:
        url = reverse("assessments:standard", args=[pk, standard.code])
        for name in ("intro", "strengths", "weaknesses", "causes", "direction", "conclusion"):
            value = getattr(standard, name)
            if value.strip():
                out.append(
                    (f"Tiêu chuẩn {standard.code}", value, url, f"Mở tiêu chuẩn {standard.code}")
                )
        for criterion in standard.criteria:
            url = reverse("assessments:sheet", args=[pk, criterion.code])
            where = f"Phiếu tiêu chí {criterion.code}"
            link = f"Mở tiêu chí {criterion.code}"
            texts = [*criterion.current_state.values(), criterion.strengths, criterion.weaknesses]
            for action in criterion.actions:
                texts += [
                    action.action,
                    action.responsible,
                    action.resources,
                    action.expected_evidence,
                ]
            out += [(where, t, url, link) for t in texts if t and t.strip()]
            for item in criterion.indicators:
                if item.text:
                    label = f", chỉ báo {item.label}" if item.label else ""
                    out.append(
                        (
                            f"Văn bản yêu cầu tiêu chí {criterion.code}, "
                            f"{data.level_name(item.level)}{label}",
                            item.text,
                            reverse("assessments:requirement_text", args=[pk, item.indicator_id]),
                            "Sửa văn bản yêu cầu",
                        )
                    )
    for n, item in enumerate(data.level4, start=1):
        if item.text:
            out.append(
                (
                    f"Yêu cầu {n} của {data.level_name(item.level)}",
                    item.text,
                    reverse("assessments:requirement_text", args=[pk, item.indicator_id]),
                    "Sửa văn bản yêu cầu",
                )
            )
    council_url = reverse("assessments:council", args=[pk])
    for member in data.council:
        out.append(
            (
                "Danh sách Hội đồng",
                f"{member.full_name} {member.title}",
                council_url,
                "Mở trang Hội đồng",
            )
        )
    for group in data.groups:
        out.append(("Nhóm công tác", group.name, council_url, "Mở trang Hội đồng"))
    for milestone in data.milestones:
        out.append(("Thời gian biểu", milestone.activity, council_url, "Mở trang Hội đồng"))
    return out


def text_findings(data: SAData) -> list[Finding]:
    """The document check run on the texts the documents are made of (cheap: no document is
    rendered), one item per text and kind, pointing to where the text is written. The
    framework's own texts are checked once by the tests, so only what people write is here."""
    out: list[Finding] = []
    seen: set[tuple[str, str, str]] = set()
    for where, text, url, link in _sources(data):
        for found in document_check.scan_text(text):
            key = (where, found.code, url)
            if key in seen:
                continue
            seen.add(key)
            out.append(
                Finding(
                    "warning",
                    f"{where}: {_TEXT_FIX[found.code]} (“{found.excerpt}”). Văn bản in ra sẽ "
                    "mang nguyên câu này.",
                    url=url,
                    link_text=link,
                    code=f"document-{found.code}",
                )
            )
    return out


def findings(data: SAData, extra: Iterable[Any] = ()) -> list[Finding]:
    out: list[Finding] = []
    for criterion, code in data.cited_codes.unknown:
        where = criterion if criterion.startswith("tiêu chuẩn") else f"tiêu chí {criterion}"
        out.append(
            Finding(
                "danger",
                f"Mã {data.style.show(code)} viết ở {where} không có trong danh mục minh chứng.",
            )
        )
    for code in data.cited_codes.never_cited:
        out.append(
            Finding(
                "warning",
                f"Minh chứng {data.style.show(code)} chưa được tiêu chí nào trích dẫn; báo cáo "
                "không đưa vào danh mục.",
                url=reverse("evidence:register", kwargs={"assessment_id": data.assessment.pk}),
                link_text="Mở danh mục minh chứng",
                code="uncited",
            )
        )
    undecided = [c.code for c in data.criteria if not c.filled]
    if undecided:
        first = undecided[0]
        out.append(
            Finding(
                "danger",
                f"{len(undecided)} tiêu chí còn chỉ báo chưa đánh giá (tính là chưa đạt): "
                + ", ".join(undecided)
                + ". Cần đánh giá hết trước khi nộp báo cáo.",
                url=reverse("assessments:sheet", args=[data.assessment.pk, first]),
                link_text=f"Mở tiêu chí {first}",
                blocking=True,
                code="not_judged",
            )
        )
    out += missing_texts(data)
    if data.level4_considered and not data.level4_determinable:
        out.append(
            Finding(
                "info",
                f"Kết quả {data.level_name(data.level4_level)} được ghi là không xác định được: "
                "danh sách yêu cầu của bộ tiêu chuẩn chưa đủ.",
                code="level4_undetermined",
            )
        )
    missing = data.years.missing_years()
    if missing:
        out.append(
            Finding(
                "warning",
                "Chưa nhập số liệu năm học " + ", ".join(missing) + " cho Phần I của báo cáo.",
            )
        )
    out += [Finding("warning", str(w)) for w in council_warnings(data.assessment)]
    empty = [
        s.label
        for s in prose.sections_for(data.layout)
        if s.document == "report" and not data.text(s.key) and s.key not in prose.DEFAULTS
    ]
    if empty:
        out.append(Finding("info", "Phần lời văn chưa soạn: " + "; ".join(empty) + "."))
    no_state = [
        c.code for c in data.criteria if not any(v.strip() for v in c.current_state.values())
    ]
    if no_state:
        out.append(Finding("info", "Tiêu chí chưa mô tả hiện trạng: " + ", ".join(no_state) + "."))
    out += text_findings(data)
    out += [_as_finding(item) for item in extra]
    return out


def submission_problems(found: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """(blocking, to acknowledge): what stops "Nộp báo cáo", and the warnings the principal
    confirms having seen before submitting."""
    blocking = [f for f in found if f.blocking]
    warnings = [f for f in found if f.must_acknowledge]
    return blocking, warnings
