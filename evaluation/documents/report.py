"""Báo cáo đánh giá ngoài (MOET guidance on external evaluation, regulation.md §3), NĐ30
layout: Phần I the team and the process (decision forming the team, visits, the school's
feedback); Phần II per standard and criterion the team's judgment — 2018 frameworks indicator
by indicator at each level, TT57 (its `report_layout` "tt57-…") a table per level as its
Biểu 1 does —, strengths, weaknesses and recommendations; Phần III the summary table of the
self-assessment against the team, the counts raised / lowered / equal, the school's level and
the recognition the engine maps it to. Signed by the team leader."""

from __future__ import annotations

from core.text import format_date_short
from documents import nd30
from documents.common import DocumentRequest
from documents.nd30 import Column, Row

from . import common
from .data import CriterionRow, EEData

TITLE = "BÁO CÁO ĐÁNH GIÁ NGOÀI"
VISIT_LABELS = {"preliminary": "Khảo sát sơ bộ", "official": "Khảo sát chính thức"}


def _met_word(met: bool | None) -> str:
    return "Đạt" if met else ("Không đạt" if met is False else "Chưa kết luận")


def _short_level(data: EEData, level: int) -> str:
    return "Không đạt" if level <= 0 else data.level_name(level)


def report_date(data: EEData):
    e = data.evaluation
    if e.final_at:
        return e.final_at.date()
    return e.report_sent_on or e.official_visit_on


def build_docx(req: DocumentRequest, data: EEData) -> nd30.NDDocument:
    leader = data.leader
    spec = common.department_spec(
        data,
        req,
        default_date=report_date(data),
        kind_symbol="BC",
        doc_type=TITLE,
        subject=f"{data.school.name}, năm học {data.school_year}",
        recipients=[data.department.name + ";", f"{data.school.name};"],
    )
    spec.issuer = req.header.get("issuer") or "Đoàn đánh giá ngoài"
    spec.managing_body = req.header.get("managing_body") or data.department.name
    spec.symbol = req.header.get("symbol") or "BC-ĐĐGN"
    spec.signer_title = req.header.get("signer_title") or "TRƯỞNG ĐOÀN"
    spec.signer_name = req.header.get("signer_name") or (leader.full_name if leader else "")
    doc = nd30.NDDocument(spec)
    if not data.is_final:
        doc.centered("(Dự thảo)", italic=True)
    _part_one(doc, data)
    _part_two(doc, data)
    _part_three(doc, data)
    doc.finish()
    return doc


def _part_one(doc: nd30.NDDocument, data: EEData) -> None:
    e = data.evaluation
    doc.heading("PHẦN I. GIỚI THIỆU", 1, center=True)
    doc.heading("1. Căn cứ đánh giá ngoài", 2)
    doc.paragraph(f"Căn cứ {data.legal_basis};")
    if e.team_decision_number or e.team_decision_date:
        number = f" số {e.team_decision_number}" if e.team_decision_number else ""
        day = f" ngày {format_date_short(e.team_decision_date)}" if e.team_decision_date else ""
        doc.paragraph(
            f"Căn cứ Quyết định{number}{day} của Giám đốc {data.department.name} về việc thành"
            f" lập Đoàn đánh giá ngoài {data.school.name}."
        )
    doc.heading("2. Thành phần Đoàn đánh giá ngoài", 2)
    columns, rows = common.team_table(data)
    doc.table(columns, rows)
    doc.heading("3. Quá trình đánh giá ngoài", 2)
    doc.paragraph(
        f"Đoàn đã nghiên cứu hồ sơ tự đánh giá năm học {data.school_year} của nhà trường,"
        f" thống nhất nhận định đối với {data.judged} chỉ báo, yêu cầu của"
        f" {len(data.criteria)} tiêu chí."
    )
    for visit in data.visits:
        label = VISIT_LABELS.get(visit.kind, visit.get_kind_display())
        doc.labelled(f"{label} ngày {format_date_short(visit.date)}:", visit.observations or "")
        if visit.evidence_examined:
            doc.paragraph(f"Minh chứng đã xem xét: {visit.evidence_examined}")
    for fb in data.feedback:
        doc.labelled(
            f"Ý kiến của nhà trường về dự thảo báo cáo (nhận ngày {format_date_short(fb.received_on)}):",
            fb.text,
        )


def _criterion_2018(doc: nd30.NDDocument, data: EEData, c: CriterionRow) -> None:
    """Indicator by indicator, level by level (a group row per level), then the reasons the
    team wrote."""
    rows: list[Row] = []
    for level in c.levels():
        rows.append(Row([data.level_name(level), "", ""], bold=True, merge=True))
        for ind in c.at(level):
            text = (ind.text or "." * 60).strip()
            rows.append(Row([ind.label or "—", text, _met_word(ind.team_met)]))
    doc.table(
        [
            Column("Chỉ báo", 18, center=True),
            Column("Yêu cầu", 112),
            Column("Đoàn đánh giá", 35, center=True),
        ],
        rows,
        size=11,
    )
    for level in c.levels():
        for ind in c.at(level):
            if ind.reason:
                where = f"{ind.label} " if ind.label else ""
                doc.paragraph(
                    f"Nhận định của đoàn ({where}{data.level_name(level)}): {ind.reason}",
                    italic=True,
                )


def _criterion_tt57(doc: nd30.NDDocument, data: EEData, c: CriterionRow) -> None:
    rows = []
    for level in c.levels():
        inds = c.at(level)
        reasons = "; ".join(i.reason for i in inds if i.reason)
        met = all(i.team_met for i in inds) if inds else None
        rows.append(Row([data.level_name(level), reasons or "", _met_word(met)]))
    doc.table(
        [Column("Mức", 25, center=True), Column("Nhận định của đoàn", 105), Column("Đánh giá", 35)],
        rows,
    )


def _part_two(doc: nd30.NDDocument, data: EEData) -> None:
    doc.heading("PHẦN II. ĐÁNH GIÁ THEO TIÊU CHUẨN, TIÊU CHÍ", 1, center=True)
    for standard in data.standards:
        doc.heading(f"Tiêu chuẩn {standard.code}: {standard.title}", 2)
        for c in standard.criteria:
            doc.heading(f"Tiêu chí {c.code}: {c.title}", 3)
            if data.report_layout.startswith("tt57"):
                _criterion_tt57(doc, data, c)
            else:
                _criterion_2018(doc, data, c)
            for label, text in (
                ("Điểm mạnh:", c.strengths),
                ("Điểm yếu:", c.weaknesses),
                ("Khuyến nghị:", c.recommendations),
            ):
                if text.strip():
                    doc.labelled(label, text)
            doc.paragraph(
                f"Nhà trường tự đánh giá: {common.level_phrase(data, c.self_level)}. Đoàn đánh giá"
                f" ngoài đánh giá: {common.level_phrase(data, c.team_level)}.",
                bold=True,
            )


def divergence(data: EEData) -> tuple[int, int, int]:
    raised = sum(1 for c in data.criteria if c.team_level > c.self_level)
    lowered = sum(1 for c in data.criteria if c.team_level < c.self_level)
    return raised, lowered, len(data.criteria) - raised - lowered


def _part_three(doc: nd30.NDDocument, data: EEData) -> None:
    doc.heading("PHẦN III. KẾT LUẬN", 1, center=True)
    doc.heading("1. Tổng hợp kết quả đánh giá", 2)
    rows = [
        Row(
            [
                n,
                f"Tiêu chí {c.code}",
                _short_level(data, c.self_level),
                _short_level(data, c.team_level),
            ]
        )
        for n, c in enumerate(data.criteria, start=1)
    ]
    doc.table(
        [
            Column("TT", 12, center=True),
            Column("Tiêu chí", 53),
            Column("Nhà trường tự đánh giá", 50, center=True),
            Column("Đoàn đánh giá ngoài", 50, center=True),
        ],
        rows,
    )
    raised, lowered, equal = divergence(data)
    doc.paragraph(
        f"So với kết quả tự đánh giá, đoàn đánh giá {equal:02d} tiêu chí cùng mức,"
        f" {raised:02d} tiêu chí cao hơn và {lowered:02d} tiêu chí thấp hơn."
    )
    level = data.team.school_level
    doc.heading("2. Kết luận và kiến nghị", 2)
    doc.paragraph(
        f"{data.school.name} {common.level_predicate(data, level)} theo {data.legal_document}.",
        bold=True,
    )
    accreditation, standard = data.grades(level)
    proposals = []
    if accreditation:
        proposals.append(f"công nhận đạt kiểm định chất lượng giáo dục Cấp độ {accreditation}")
    if standard:
        proposals.append(f"công nhận đạt chuẩn quốc gia Mức độ {standard}")
    if proposals:
        doc.paragraph(
            f"Đoàn đánh giá ngoài kiến nghị {data.department.name} xem xét "
            + " và ".join(proposals)
            + f" đối với {data.school.name}."
        )
    else:
        doc.paragraph(
            f"Kết quả đánh giá chưa đủ điều kiện để đề nghị công nhận {data.school.name}."
        )
    conclusion = str(data.evaluation.report_texts.get("conclusion") or "").strip()
    if conclusion:
        doc.paragraphs(conclusion)
