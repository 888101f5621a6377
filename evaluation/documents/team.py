"""Quyết định thành lập Đoàn đánh giá ngoài: the Sở names the leader, the secretary and the
members (at least the framework's minimum), and their task (regulation.md §3)."""

from __future__ import annotations

from documents import nd30
from documents.common import DocumentError, DocumentRequest

from . import common
from .data import EEData


def build_docx(req: DocumentRequest, data: EEData) -> nd30.NDDocument:
    minimum = data.team_min
    if len(data.members) < minimum:
        raise DocumentError(
            f"Đoàn đánh giá ngoài {data.school.name} mới có {len(data.members)} thành viên;"
            f" theo {data.framework_code} đoàn cần ít nhất {minimum:02d} thành viên."
        )
    if not any(m.role == "leader" for m in data.members):
        raise DocumentError("Đoàn đánh giá ngoài chưa có trưởng đoàn.")
    evaluation = data.evaluation
    school = data.school.name
    doc = nd30.NDDocument(
        common.department_spec(
            data,
            req,
            default_date=evaluation.team_decision_date,
            kind_symbol="QĐ",
            number=evaluation.team_decision_number,
            doc_type="QUYẾT ĐỊNH",
            subject=f"Về việc thành lập Đoàn đánh giá ngoài {school}",
            recipients=["Như Điều 3;", f"{data.department.committee} (để báo cáo);"],
        )
    )
    doc.centered(f"GIÁM ĐỐC {data.department.name.upper()}", bold=True, space_before=6)
    doc.paragraph(f"Căn cứ {data.legal_basis};", italic=True)
    number = data.letter_number
    letter = f" số {number}" if number else ""
    doc.paragraph(
        f"Xét công văn đăng ký đánh giá ngoài{letter} của {school} và hồ sơ tự đánh giá năm học"
        f" {data.school_year};",
        italic=True,
    )
    doc.centered("QUYẾT ĐỊNH:", bold=True, space_before=6)
    doc.labelled(
        "Điều 1.",
        f"Thành lập Đoàn đánh giá ngoài {school} gồm {len(data.members):02d} ông (bà) có tên sau:",
    )
    columns, rows = common.team_table(data)
    doc.table(columns, rows)
    doc.labelled(
        "Điều 2.",
        "Đoàn đánh giá ngoài có nhiệm vụ nghiên cứu hồ sơ tự đánh giá, khảo sát sơ bộ, khảo sát"
        " chính thức tại nhà trường, dự thảo báo cáo đánh giá ngoài, trao đổi với nhà trường về"
        " dự thảo và hoàn thiện báo cáo đánh giá ngoài chính thức gửi Sở Giáo dục và Đào tạo."
        " Đoàn tự giải thể sau khi hoàn thành nhiệm vụ.",
    )
    doc.labelled(
        "Điều 3.",
        f"Quyết định có hiệu lực kể từ ngày ký. Chánh Văn phòng Sở, Hiệu trưởng {school} và các"
        " ông (bà) có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.",
    )
    doc.finish()
    return doc
