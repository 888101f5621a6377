"""Dự thảo quyết định công nhận: one decision listing one or several schools whose external
evaluation is final, each with the accreditation level (Cấp độ) and the national-standard level
(Mức độ) the framework maps the team's school level to. Who signs is a setting
(`RECOGNITION_DECISION_SIGNER`: "director" — Giám đốc Sở, the rule since TT22/2024 — or
"chairman" — Chủ tịch UBND tỉnh, where a province still issues it so; regulation.md §2). The
accreditation is the Sở's: a decision signed by the People's Committee lists Mức độ only."""

from __future__ import annotations

from django.conf import settings

from documents import nd30
from documents.common import DocumentError, DocumentRequest
from documents.nd30 import Column, Row

from . import common
from .data import EEData

KIND_WORDS = {"new": "Công nhận mới", "renewal": "Công nhận lại", "upgrade": "Nâng mức độ"}


def signer() -> str:
    value = getattr(settings, "RECOGNITION_DECISION_SIGNER", "director")
    return value if value in ("director", "chairman") else "director"


def build_docx(req: DocumentRequest, items: list[EEData]) -> nd30.NDDocument:
    first = items[0]
    departments = {d.department.name for d in items}
    if len(departments) > 1:
        raise DocumentError(
            "Một quyết định chỉ gồm các trường của cùng một tỉnh: " + ", ".join(sorted(departments))
        )
    rows = []
    with_accreditation = signer() == "director"
    for n, data in enumerate(items, start=1):
        if not data.is_final:
            raise DocumentError(
                f"Báo cáo đánh giá ngoài {data.school.name} chưa phải bản chính thức: chưa lập"
                " được dự thảo quyết định công nhận."
            )
        accreditation, standard = decided_grades(data)
        if not standard and not (with_accreditation and accreditation):
            raise DocumentError(
                f"{data.school.name}: đoàn đánh giá "
                f"{common.level_phrase(data, data.team.school_level).lower()}, chưa đủ mức để"
                " công nhận."
            )
        cells = [
            n,
            data.school.name,
            data.school.unit.name,
            KIND_WORDS.get(data.purpose, KIND_WORDS["new"]),
        ]
        if with_accreditation:
            cells.append(f"Cấp độ {accreditation}" if accreditation else "—")
        cells.append(f"Mức độ {standard}" if standard else "—")
        rows.append(Row(cells))
    columns = [
        Column("TT", 12, center=True),
        Column("Tên trường", 50),
        Column("Xã, phường", 30),
        Column("Hình thức", 25),
    ]
    if with_accreditation:
        columns.append(Column("Kiểm định", 24, center=True))
    columns.append(Column("Chuẩn quốc gia", 24, center=True))

    dept = first.department
    subject = "Về việc công nhận trường đạt chuẩn quốc gia"
    if with_accreditation and any(first_grade(d) for d in items):
        subject = "Về việc công nhận trường đạt kiểm định chất lượng giáo dục và đạt chuẩn quốc gia"
    if signer() == "director":
        spec = common.department_spec(
            first,
            req,
            default_date=None,
            kind_symbol="QĐ",
            doc_type="QUYẾT ĐỊNH",
            subject=subject,
            recipients=["Như Điều 3;", f"{dept.committee} (để báo cáo);"],
        )
        opener = f"GIÁM ĐỐC {dept.name.upper()}"
        executors = "Chánh Văn phòng Sở"
    else:
        spec = common.department_spec(
            first,
            req,
            default_date=None,
            kind_symbol="QĐ",
            doc_type="QUYẾT ĐỊNH",
            subject=subject,
            recipients=["Như Điều 3;", "Sở Giáo dục và Đào tạo;"],
        )
        spec.issuer = req.header.get("issuer") or dept.committee
        spec.managing_body = req.header.get("managing_body", "")
        spec.symbol = req.header.get("symbol") or "QĐ-UBND"
        spec.signer_title = req.header.get("signer_title") or "CHỦ TỊCH"
        spec.signer_authority = req.header.get("signer_authority", "TM. ỦY BAN NHÂN DÂN")
        opener = f"CHỦ TỊCH {dept.committee.upper()}"
        executors = f"Chánh Văn phòng {dept.committee}, Giám đốc {dept.name}"
    doc = nd30.NDDocument(spec)
    doc.centered(opener, bold=True, space_before=6)
    for basis in dict.fromkeys(d.legal_basis for d in items):
        doc.paragraph(f"Căn cứ {basis};", italic=True)
    teams = "các Đoàn đánh giá ngoài" if len(items) > 1 else "Đoàn đánh giá ngoài"
    doc.paragraph(f"Căn cứ kết quả đánh giá ngoài và đề nghị của {teams};", italic=True)
    if signer() == "chairman":
        doc.paragraph(f"Theo đề nghị của Giám đốc {dept.name}.", italic=True)
    doc.centered("QUYẾT ĐỊNH:", bold=True, space_before=6)
    count = len(items)
    doc.labelled(
        "Điều 1.",
        f"Công nhận {count:02d} trường có tên sau đây đạt mức công nhận ghi tại bảng:"
        if count > 1
        else "Công nhận trường có tên sau đây đạt mức công nhận ghi tại bảng:",
    )
    doc.table(columns, rows)
    years = first.terms.validity_years if first.terms else None
    if years:
        doc.labelled(
            "Điều 2.",
            f"Thời hạn công nhận là {years:02d} năm kể từ ngày ký Quyết định này.",
        )
    doc.labelled(
        "Điều 3." if years else "Điều 2.",
        f"Quyết định có hiệu lực kể từ ngày ký. {executors}, Hiệu trưởng các trường có tên tại"
        " Điều 1 và các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này.",
    )
    doc.finish()
    return doc


def decided_grades(data: EEData) -> tuple[int | None, int | None]:
    """(Cấp độ, Mức độ) the decision names for one school: the levels recorded in the register
    once the decision is signed, else the team's proposal in the final report, else what the
    framework maps the team's school level to (an evaluation finalised before the proposal
    named a Cấp độ)."""
    accreditation, standard = data.grades(data.team.school_level)
    evaluation = data.evaluation
    if evaluation.decision_id is not None:
        return (
            evaluation.accreditation_decision.level
            if evaluation.accreditation_decision_id is not None
            else None,
            evaluation.decision.level,
        )
    if evaluation.proposal_level:
        standard = evaluation.proposal_level
        if "proposal_accreditation_level" in (evaluation.final_snapshot or {}):
            accreditation = evaluation.proposal_accreditation_level
    return accreditation, standard


def first_grade(data: EEData) -> int | None:
    return decided_grades(data)[0]
