"""The editable prose of the self-assessment documents and what is printed when a section was
left empty.

A default is either computed from data (the council, the timeline, the levels: never wrong) or
a procedural sentence of the MOET guidance that every school writes alike; anything a school
must say in its own words ("Tình hình chung", strengths) has no default and is printed as a
visible placeholder, so an unfinished report cannot pass for a finished one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.text import format_date_short, nfc

from .data import SAData

PLACEHOLDER = "(Chưa soạn nội dung phần này: bổ sung tại trang Văn bản tự đánh giá.)"


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    document: str  # which document uses it (for grouping on the form)
    layouts: tuple[str, ...] = ("moet-2018", "tt57-bieu1")
    rows: int = 4
    help: str = ""


SECTIONS: tuple[Section, ...] = (
    Section("decision_basis", "Căn cứ của quyết định (mỗi dòng một căn cứ)", "decision", rows=4),
    Section("decision_duties", "Điều 2. Nhiệm vụ của Hội đồng", "decision", rows=4),
    Section("plan_purpose", "I. Mục đích tự đánh giá", "plan"),
    Section("plan_scope", "II. Phạm vi tự đánh giá", "plan", rows=2),
    Section("plan_training", "Tập huấn nghiệp vụ tự đánh giá", "plan", rows=2),
    Section("plan_experts", "Thuê chuyên gia (nếu có)", "plan", rows=2),
    Section("context", "Tình hình chung của nhà trường (bối cảnh)", "report", rows=8),
    Section("purpose", "Mục đích, phạm vi, thời gian tự đánh giá", "report"),
    Section("process", "Tóm tắt quá trình tự đánh giá", "report"),
    Section("level4", "Đánh giá các yêu cầu Mức 4", "report", layouts=("moet-2018",)),
    Section("conclusion", "Kết luận chung", "report", rows=6),
    Section("proposals", "Kiến nghị, đề xuất (với Sở GD&ĐT)", "report"),
    Section("proposals_commune", "Đề xuất với UBND xã", "report", layouts=("tt57-bieu1",), rows=3),
    Section("proposals_other", "Đề xuất khác", "report", layouts=("tt57-bieu1",), rows=3),
    Section("b2_bases", "II. Căn cứ xây dựng kế hoạch", "improvement", layouts=("tt57-bieu1",)),
    Section("b2_purpose", "III. Mục đích, yêu cầu", "improvement", layouts=("tt57-bieu1",), rows=3),
    Section(
        "b2_responsibilities",
        "VII. Trách nhiệm thực hiện",
        "improvement",
        layouts=("tt57-bieu1",),
        rows=3,
    ),
    Section(
        "b2_review", "VIII. Rà soát, điều chỉnh", "improvement", layouts=("tt57-bieu1",), rows=3
    ),
)
SECTION_BY_KEY = {s.key: s for s in SECTIONS}
MONITORING_COLUMNS = (
    ("when", "Thời điểm"),
    ("content", "Nội dung giám sát"),
    ("result", "Kết quả"),
    ("adjustment", "Điều chỉnh"),
    ("reviewer", "Người đánh giá"),
)
MONITORING_DEFAULT_WHEN = ("Cuối học kỳ I", "Cuối năm học")


def sections_for(layout: str) -> list[Section]:
    return [s for s in SECTIONS if layout in s.layouts]


def _school(data: SAData) -> str:
    return nfc(data.school.name)


def _basis(data: SAData) -> str:
    lines = [f"Căn cứ {data.legal_basis}"]
    if data.is_2018:
        lines.append(
            "Căn cứ Công văn số 5932/BGDĐT-QLCL ngày 28/12/2018 của Bộ Giáo dục và Đào tạo về "
            "việc hướng dẫn tự đánh giá và đánh giá ngoài cơ sở giáo dục phổ thông"
            if data.school.kind != "MN"
            else "Căn cứ Công văn số 5942/BGDĐT-QLCL ngày 28/12/2018 của Bộ Giáo dục và Đào tạo "
            "về việc hướng dẫn tự đánh giá và đánh giá ngoài cơ sở giáo dục mầm non"
        )
    lines.append("Xét đề nghị của các bộ phận chuyên môn của nhà trường")
    return "\n".join(lines)


def _duties(data: SAData) -> str:
    return (
        "Hội đồng tự đánh giá có nhiệm vụ triển khai tự đánh giá theo "
        f"{data.legal_basis.split(' của ')[0]}; thu thập, mã hóa minh chứng; đánh giá từng "
        "tiêu chí; viết báo cáo tự đánh giá và công bố báo cáo trong nội bộ nhà trường; đề xuất "
        "kế hoạch cải tiến chất lượng. Hội đồng tự giải thể sau khi hoàn thành nhiệm vụ."
    )


def _plan_purpose(data: SAData) -> str:
    return (
        "Tự đánh giá nhằm xác định mức độ nhà trường đáp ứng các tiêu chuẩn đánh giá chất lượng "
        "giáo dục, từ đó xây dựng kế hoạch cải tiến, nâng cao chất lượng giáo dục; giải trình "
        "với các cơ quan chức năng và xã hội về thực trạng chất lượng giáo dục của nhà trường; "
        "làm cơ sở để đăng ký đánh giá ngoài và đề nghị công nhận."
    )


def _plan_scope(data: SAData) -> str:
    n_std = len(data.standards)
    n_crit = len(data.criteria)
    return (
        f"Tự đánh giá toàn bộ các hoạt động của nhà trường theo {n_std:02d} tiêu chuẩn, "
        f"{n_crit:02d} tiêu chí của {data.framework_title.lower()} "
        f"({data.legal_basis.split(' ngày ')[0].replace('Thông tư ', 'Thông tư số ')})."
    )


def _purpose(data: SAData) -> str:
    start = data.assessment.started_on
    return (
        f"{_plan_purpose(data)} Phạm vi: {_plan_scope(data)[0].lower()}{_plan_scope(data)[1:]} "
        f"Thời gian: năm học {data.assessment.school_year}, bắt đầu từ ngày "
        f"{format_date_short(start)}."
    )


def _process(data: SAData) -> str:
    members = len(data.council)
    groups = sum(1 for g in data.groups if g.kind == "working")
    done = [m for m in data.milestones if m.status == "done"]
    text = (
        f"Nhà trường thành lập Hội đồng tự đánh giá gồm {members:02d} thành viên"
        + (f", {groups:02d} nhóm công tác" if groups else "")
        + f"; xây dựng kế hoạch tự đánh giá; thu thập và mã hóa {len(data.evidence)} minh "
        f"chứng; đánh giá {len(data.criteria)} tiêu chí và viết báo cáo tự đánh giá."
    )
    if done:
        text += " Các hoạt động đã hoàn thành: " + "; ".join(m.activity for m in done) + "."
    return text


def _conclusion(data: SAData) -> str:
    top = max(data.criterion_levels)
    counts = {lv: 0 for lv in range(top + 1)}
    for c in data.criteria:
        counts[min(c.level, top)] += 1
    total = len(data.criteria)
    parts = [
        f"{counts[lv]}/{total} tiêu chí đạt {data.level_name(lv)}"
        if lv
        else f"{counts[0]}/{total} tiêu chí không đạt Mức 1"
        for lv in range(top, -1, -1)
        if counts[lv] or lv == 0
    ]
    return (
        f"Kết quả tự đánh giá: {'; '.join(parts)}. "
        f"Trường tự đánh giá đạt {data.level_name(data.school_level)}."
    )


def _b2_bases(data: SAData) -> str:
    return (
        f"Căn cứ {data.legal_basis}\n"
        f"Căn cứ kết quả tự đánh giá năm học {data.assessment.school_year} của {_school(data)}."
    )


def _b2_review(data: SAData) -> str:
    return (
        "Kế hoạch được giám sát, rà soát ít nhất 02 lần trong năm học (cuối học kỳ I và cuối "
        "năm học); kết quả thực hiện là căn cứ xây dựng kế hoạch cải tiến của năm học tiếp theo."
    )


DEFAULTS: dict[str, Callable[[SAData], str]] = {
    "decision_basis": _basis,
    "decision_duties": _duties,
    "plan_purpose": _plan_purpose,
    "plan_scope": _plan_scope,
    "purpose": _purpose,
    "process": _process,
    "conclusion": _conclusion,
    "b2_bases": _b2_bases,
    "b2_review": _b2_review,
}


def text(data: SAData, key: str) -> str:
    """The section as typed, else its default, else the placeholder."""
    typed = data.text(key)
    if typed:
        return typed
    default = DEFAULTS.get(key)
    return default(data) if default else PLACEHOLDER


def default_for(data: SAData, key: str) -> str:
    default = DEFAULTS.get(key)
    return default(data) if default else ""


def monitoring_rows(data: SAData) -> list[dict[str, str]]:
    rows = data.prose.get("monitoring")
    if isinstance(rows, list) and rows:
        return [{k: nfc(str(r.get(k, ""))) for k, _label in MONITORING_COLUMNS} for r in rows]
    return [
        {"when": when} | {k: "" for k, _ in MONITORING_COLUMNS[1:]}
        for when in MONITORING_DEFAULT_WHEN
    ]
