"""What to fix before printing ("Kiểm tra trước khi in"): evidence codes that do not match the
register, school data not entered, council rules, criteria not fully judged, sections left to
the placeholder, and uncertain parts of the framework. Nothing here blocks a download: a
principal may print a draft; the page says what the draft still lacks."""

from __future__ import annotations

from dataclasses import dataclass

from assessments.selectors import council_warnings

from . import prose
from .data import SAData


@dataclass(frozen=True)
class Finding:
    level: str  # "danger" (the printed report would be wrong) | "warning" | "info"
    message: str


def findings(data: SAData) -> list[Finding]:
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
            )
        )
    undecided = [c.code for c in data.criteria if not c.filled]
    if undecided:
        out.append(
            Finding(
                "warning",
                f"{len(undecided)} tiêu chí còn chỉ báo chưa đánh giá (tính là chưa đạt): "
                + ", ".join(undecided)
                + ".",
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
    note = data.documents.get("note")
    if note and data.documents.get("certainty") != "confirmed":
        out.append(Finding("info", f"Mẫu văn bản: {note}"))
    if not data.version_wording_known:
        out.append(
            Finding(
                "info",
                f"{data.version_title}: chưa có nội dung chỉ báo sửa đổi; văn bản in chỉ báo theo "
                "văn bản gốc.",
            )
        )
    return out
