"""Kế hoạch tự đánh giá (MOET guidance, regulation.md §3): purpose, scope, tools, the council,
secretariat and working groups, the assignment table, training, resources per criterion,
experts, evidence coding, and the timeline."""

from __future__ import annotations

import re

from core.text import format_date_short
from documents import nd30
from documents.common import DocumentRequest
from documents.nd30 import Column, Row

from . import common, prose
from .data import SAData

MILESTONE_STATUS = {"todo": "Chưa thực hiện", "doing": "Đang thực hiện", "done": "Đã xong"}


def build_docx(req: DocumentRequest, data: SAData) -> nd30.NDDocument:
    chair = data.chair()
    doc = nd30.NDDocument(
        common.spec(
            data,
            req,
            doc_type="KẾ HOẠCH",
            subject=f"Tự đánh giá năm học {data.assessment.school_year}",
            kind_symbol="KH",
            default_date=common.timeline_start(data),
            issuer="Hội đồng tự đánh giá",
            signer_authority="TM. HỘI ĐỒNG TỰ ĐÁNH GIÁ",
            signer_title="CHỦ TỊCH",
            signer_name=chair.full_name if chair else data.principal_name(),
            recipients=["Thành viên Hội đồng tự đánh giá;", "Cơ quan quản lý (để báo cáo);"],
        )
    )
    # The issuer line under the managing body is the school; the council signs.
    doc.heading("I. MỤC ĐÍCH TỰ ĐÁNH GIÁ")
    doc.paragraphs(prose.text(data, "plan_purpose"))
    doc.heading("II. PHẠM VI TỰ ĐÁNH GIÁ")
    doc.paragraphs(prose.text(data, "plan_scope"))
    doc.heading("III. CÔNG CỤ TỰ ĐÁNH GIÁ")
    doc.paragraph(
        f"Tiêu chuẩn đánh giá theo {data.legal_basis}"
        + (f" ({data.version_title})" if data.version_title else "")
        + "."
    )
    # Whether the amendment's wording is in the data is the reference page's business
    # (frameworks), never the document's: the indicators print as the data has them.

    doc.heading("IV. HỘI ĐỒNG TỰ ĐÁNH GIÁ")
    doc.heading("1. Thành phần Hội đồng", 2)
    columns, rows = common.council_rows(data)
    doc.table(columns, rows)
    secretariat = [g for g in data.groups if g.kind == "secretariat"]
    working = [g for g in data.groups if g.kind == "working"]
    doc.heading("2. Nhóm thư ký", 2)
    _groups_table(doc, secretariat, with_criteria=False)
    doc.heading("3. Các nhóm công tác", 2)
    _groups_table(doc, working, with_criteria=True)
    doc.heading("4. Phân công thực hiện", 2)
    doc.table(
        [
            Column("Tiêu chí", 22, center=True),
            Column("Nội dung tiêu chí", 73),
            Column("Nhóm, cá nhân phụ trách", 70),
        ],
        [
            Row([c.code, c.title, ", ".join(p for p in (c.group, c.assigned_to) if p) or "—"])
            for c in data.criteria
        ],
        size=11,
    )

    doc.heading("V. TẬP HUẤN NGHIỆP VỤ TỰ ĐÁNH GIÁ")
    doc.paragraphs(
        data.text(
            "plan_training",
            "Tổ chức tập huấn nghiệp vụ tự đánh giá cho thành viên Hội đồng, nhóm thư ký và "
            "các nhóm công tác.",
        )
    )
    doc.heading("VI. DỰ KIẾN CÁC NGUỒN LỰC VÀ THỜI ĐIỂM CẦN HUY ĐỘNG")
    resources = [
        Row([c.code, "; ".join(a.resources for a in c.actions if a.resources), _when(c)])
        for c in data.criteria
        if any(a.resources for a in c.actions)
    ]
    if resources:
        doc.table(
            [
                Column("Tiêu chí", 22, center=True),
                Column("Nguồn lực cần huy động", 98),
                Column("Thời điểm", 45, center=True),
            ],
            resources,
            size=11,
        )
    else:
        doc.paragraph("(Chưa ghi nguồn lực trong kế hoạch cải tiến của các tiêu chí.)", italic=True)
    doc.heading("VII. THUÊ CHUYÊN GIA (NẾU CÓ)")
    doc.paragraphs(data.text("plan_experts", "Không thuê chuyên gia."))
    doc.heading("VIII. MÃ HÓA MINH CHỨNG")
    example = data.style.example or data.style.show(data.style.make(criterion="1.1", seq=1))
    pattern, parts = _code_pattern(data.style.template)
    doc.paragraph(
        f"Minh chứng được mã hóa theo dạng {data.style.opening}{pattern}{data.style.closing}"
        + (f" ({parts})" if parts else "")
        + f", ví dụ {example}. Minh chứng dùng cho nhiều tiêu chí giữ mã của tiêu chí đầu tiên "
        "và được trích dẫn lại, không mã hóa lần thứ hai."
    )
    doc.heading("IX. THỜI GIAN BIỂU")
    if data.milestones:
        doc.table(
            [
                Column("TT", 12, center=True),
                Column("Thời gian", 30, center=True),
                Column("Hoạt động", 90),
                Column("Tình trạng", 33, center=True),
            ],
            [
                Row(
                    [
                        n,
                        format_date_short(m.due) if m.due else "",
                        m.activity,
                        MILESTONE_STATUS.get(m.status, m.status),
                    ]
                )
                for n, m in enumerate(data.milestones, start=1)
            ],
        )
    else:
        doc.paragraph("(Chưa lập thời gian biểu.)", italic=True)
    # The content ends with a sentence carrying "./." (never "./." alone under the table).
    doc.finish(
        f"Trên đây là kế hoạch tự đánh giá năm học {data.assessment.school_year} của "
        f"{data.school.name}"
    )
    return doc


def _when(criterion) -> str:
    starts = [a.start for a in criterion.actions if a.start]
    return format_date_short(min(starts)) if starts else ""


def _groups_table(doc: nd30.NDDocument, groups, *, with_criteria: bool) -> None:
    if not groups:
        doc.paragraph("(Chưa thành lập.)", italic=True)
        return
    columns = [Column("TT", 12, center=True), Column("Nhóm", 45), Column("Thành viên", 63)]
    if with_criteria:
        columns.append(Column("Tiêu chí phụ trách", 45))
    else:
        columns[2] = Column("Thành viên", 108)
    rows = []
    for n, group in enumerate(groups, start=1):
        members = ", ".join(m.full_name for m in group.members.all())
        cells = [n, group.name, members]
        if with_criteria:
            cells.append(", ".join(c.code for c in group.criteria.all()))
        rows.append(Row(cells))
    doc.table(columns, rows, size=11)


# How the guidance writes each part of an evidence code (Công văn 5932: "[Hn-a.b-cd]"); the
# plan prints the pattern in these letters, never the data file's "{box}" placeholders.
_CODE_PARTS = {
    "box": ("n", "số thứ tự của hộp"),
    "criterion": ("a.b", "mã tiêu chí"),
    "seq": ("cd", "số thứ tự của minh chứng trong tiêu chí"),
}


def _code_pattern(template: str) -> tuple[str, str]:
    """("Hn-a.b-cd", "n: số thứ tự của hộp; a.b: mã tiêu chí; …") from a code template."""
    used: list[str] = []

    def letters(match: re.Match) -> str:
        name = match.group(1)
        letter, _meaning = _CODE_PARTS.get(name, (name, name))
        if name not in used:
            used.append(name)
        return letter

    pattern = re.sub(r"\{(\w+)(?::[^}]*)?\}", letters, template)
    parts = "; ".join(f"{_CODE_PARTS[n][0]}: {_CODE_PARTS[n][1]}" for n in used if n in _CODE_PARTS)
    return pattern, parts
