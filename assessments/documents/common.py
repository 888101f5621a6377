"""Pieces shared by the self-assessment documents: the NĐ30 spec of a school document, the
council table, the criterion's requirements and texts with their evidence codes, the catalogue
rows. Builders compose them; layout stays in documents.nd30."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from core.text import fold, format_date_short
from documents import nd30
from documents.common import DocumentRequest
from documents.nd30 import Column, Row

from . import header
from .data import CriterionData, SAData

# A line left to fill by hand where a requirement's text is not known yet (never a sentence
# saying so: the pre-print check tells the school where to write the text instead).
FILL_LINE = "." * 96
ROLE_LABELS = {
    "chu_tich": "Chủ tịch Hội đồng",
    "pho_chu_tich": "Phó Chủ tịch Hội đồng",
    "thu_ky": "Thư ký Hội đồng",
    "uy_vien": "Ủy viên",
}


def spec(
    data: SAData,
    req: DocumentRequest,
    *,
    doc_type: str,
    subject: str,
    kind_symbol: str,
    signer_title: str = "HIỆU TRƯỞNG",
    signer_name: str | None = None,
    signer_authority: str = "",
    recipients: list[str] | None = None,
    show_recipients: bool = True,
    issuer: str | None = None,
    default_date: dt.date | None = None,
) -> nd30.DocumentSpec:
    """A document issued by the school, dated by the request (else `default_date`, else
    today). A document of the council (`issuer="Hội đồng tự đánh giá"`) has the school as its
    managing body line."""
    day = req.header_date(default_date)
    school = data.school
    given = req.header
    body = school.name if issuer else header.managing_body(school, day)
    return nd30.DocumentSpec(
        issuer=given.get("issuer") or issuer or school.name,
        managing_body=given.get("managing_body") or body,
        doc_type=doc_type,
        subject=subject,
        place=given.get("place") or header.place_of(school),
        date=day,
        number=given.get("number", ""),
        symbol=given.get("symbol") or f"{kind_symbol}-{header.school_symbol(school)}",
        recipients=recipients if recipients is not None else [],
        archive="VT",
        signer_authority=given.get("signer_authority", signer_authority),
        signer_title=given.get("signer_title") or signer_title,
        signer_name=given.get("signer_name")
        or (signer_name if signer_name is not None else data.principal_name()),
        show_recipients=show_recipients,
    )


def timeline_start(data: SAData) -> dt.date:
    """The first day of the self-assessment's timeline: the cycle's start, or an earlier
    milestone. The decision founding the council and the council's plan open the timeline,
    so they are dated then, never after the steps they schedule."""
    days = [data.assessment.started_on] + [m.due for m in data.milestones if m.due]
    return min(d for d in days if d)


def school_year_end(data: SAData) -> dt.date:
    """31 May of the cycle's school year (the last day of its teaching year)."""
    first = int(str(data.assessment.school_year)[:4])
    return dt.date(first + 1, 5, 31)


def sheets_date(data: SAData) -> dt.date:
    """When the criterion sheets are written: the timeline's step for them ("Viết phiếu đánh
    giá tiêu chí"), else today kept inside the cycle (from its start to the end of its school
    year), so a sheet printed later still belongs to its period."""
    steps = [m.due for m in data.milestones if m.due and "phieu" in fold(m.activity)]
    if steps:
        return max(steps)
    start = timeline_start(data)
    return min(max(timezone.localdate(), start), max(start, school_year_end(data)))


def council_rows(data: SAData, *, signature: bool = False) -> tuple[list[Column], list[Row]]:
    columns = [
        Column("TT", 12, center=True),
        Column("Họ và tên", 45),
        Column("Chức vụ", 50 if signature else 58),
        Column("Nhiệm vụ", 35 if signature else 50),
    ]
    if signature:
        columns.append(Column("Chữ ký", 23, signature=True))
    rows = []
    for n, member in enumerate(data.council, start=1):
        cells = [n, member.full_name, member.title, ROLE_LABELS.get(member.role, member.role)]
        if signature:
            cells.append("")
        rows.append(Row(cells))
    return columns, rows


def requirement_lines(criterion: CriterionData, level: int) -> list[str]:
    """ "a) Phù hợp mục tiêu …" per indicator of the level; a missing text is a line to fill."""
    lines = []
    for ind in criterion.indicators_at(level):
        lines.append(f"{ind.label} {ind.text or FILL_LINE}".strip())
    return lines


def indicator_refs(criterion: CriterionData, idents: list[str]) -> str:
    """Indicators as the circular names them, level by level: "chỉ báo a), c) của Mức 2; yêu
    cầu của Mức 3" (a level with a single unlettered indicator is named by its level) — never
    the internal ids."""
    by_ident = {i.ident: i for i in criterion.indicators}
    levels: dict[int, list[str]] = {}
    for ident in idents:
        ind = by_ident.get(ident)
        if ind is not None:
            levels.setdefault(ind.level, []).append(ind.label)
    parts = []
    for level, labels in sorted(levels.items()):
        named = [label for label in labels if label]
        parts.append(
            f"chỉ báo {', '.join(named)} của Mức {level}" if named else f"yêu cầu của Mức {level}"
        )
    return "; ".join(parts)


def state_paragraphs(doc: nd30.NDDocument, data: SAData, criterion: CriterionData) -> None:
    """1. Mô tả hiện trạng, level by level, then the evidence linked on the sheet that the text
    does not write (so every cited code appears in the report's text)."""
    for level in criterion.levels():
        text = criterion.text_at(level)
        doc.labelled(f"{data.level_name(level)}:", "")
        if text.strip():
            doc.paragraphs(text)
        else:
            doc.paragraph("(Chưa mô tả hiện trạng ở mức này.)", italic=True)
    extra = data.cited_codes.extra.get(criterion.code, [])
    if extra:
        doc.labelled("Minh chứng kèm theo:", data.style.show_many(extra) + ".")


def level_phrase(data: SAData, level: int) -> str:
    return "Không đạt Mức 1" if level <= 0 else f"Đạt {data.level_name(level)}"


def actions_table(doc: nd30.NDDocument, criterion: CriterionData, *, size: float = 11) -> None:
    if not criterion.actions:
        doc.paragraph("(Chưa có kế hoạch cải tiến.)", italic=True)
        return

    def when(a) -> str:
        parts = [format_date_short(d) for d in (a.start, a.end) if d]
        return " – ".join(parts)

    doc.table(
        [
            Column("TT", 10, center=True),
            Column("Nội dung, biện pháp cải tiến", 50),
            Column("Đơn vị/cá nhân phụ trách", 28),
            Column("Thời gian", 27, center=True),
            Column("Nguồn lực", 25),
            Column("Minh chứng dự kiến", 25),
        ],
        [
            Row([n, a.action, a.responsible, when(a), a.resources, a.expected_evidence])
            for n, a in enumerate(criterion.actions, start=1)
        ],
        size=size,
    )


def catalogue_rows(data: SAData, *, only_cited: bool = True) -> list[Row]:
    """The evidence catalogue grouped standard → criterion. Each item sits under its first
    criterion; a criterion citing an earlier item lists it again with the same code ("dùng
    lại"), as the guidance asks. With `only_cited`, items cited nowhere are left out (the
    report's appendix lists what the report uses; the register lists everything)."""
    columns = catalogue_columns(data)
    cited = data.cited_codes.cited()
    first_of: dict[str, list] = {}
    for e in data.evidence:
        if only_cited and e.code not in cited:
            continue
        first_of.setdefault(e.first_criterion.code, []).append(e)
    by_code = {e.code: e for e in data.evidence}
    reused: dict[str, list] = {}
    for criterion in data.criteria:
        for code in data.cited_codes.codes_for(criterion.code):
            item = by_code.get(code)
            if item is not None and item.first_criterion.code != criterion.code:
                reused.setdefault(criterion.code, []).append(item)
    rows: list[Row] = []
    n = 0
    for standard in data.standards:
        rows.append(Row([f"Tiêu chuẩn {standard.code}: {standard.title}"], bold=True, merge=True))
        for criterion in standard.criteria:
            items = first_of.get(criterion.code, [])
            again = reused.get(criterion.code, [])
            if not items and not again:
                continue
            rows.append(Row([f"Tiêu chí {criterion.code}"], italic=True, merge=True))
            for e in items:
                n += 1
                rows.append(Row([_catalogue_cell(data, e, col, n) for col in columns]))
            for e in again:
                rows.append(
                    Row([_catalogue_cell(data, e, col, "", reused=True) for col in columns])
                )
    return rows


def catalogue_columns(data: SAData) -> list[dict]:
    return list(data.documents.get("catalogue_columns") or [])


def _catalogue_cell(data: SAData, e, column: dict, n, *, reused: bool = False):
    field = column.get("field")
    if field == "seq":
        return n
    if field == "code":
        return data.style.show(e.code)
    if field == "name":
        return e.name
    if field == "issued":
        parts = [e.number, format_date_short(e.issued_on) if e.issued_on else ""]
        return ", ".join(p for p in parts if p)
    if field == "issuer":
        return e.issuer
    if field == "storage":
        if e.link:
            return e.link
        if e.file:
            return f"Tệp {e.original_name or e.file.name.rsplit('/', 1)[-1]} (lưu trên hệ thống)"
        return f"Bản giấy, hộp {e.box or 1}"
    if field == "note":
        note = e.note
        if reused:
            first = e.first_criterion.code
            note = f"Dùng lại (mã của tiêu chí {first})" + (f"; {note}" if note else "")
        return note
    return ""


def catalogue_table(doc: nd30.NDDocument, data: SAData, *, width_mm: float) -> None:
    columns = catalogue_columns(data)
    widths = {
        "seq": 12,
        "code": 32,
        "name": 0,
        "issued": 45,
        "issuer": 45,
        "storage": 60,
        "note": 30,
    }
    fixed = sum(widths[c["field"]] for c in columns if c["field"] != "name")
    cols = [
        Column(
            c["title"],
            widths[c["field"]] or max(40.0, width_mm - fixed),
            center=c["field"] in ("seq", "code"),
        )
        for c in columns
    ]
    doc.table(cols, catalogue_rows(data), size=11)
