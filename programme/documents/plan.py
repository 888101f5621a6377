"""(b) The plan document shaped like seed 004 (Ninh Giang, 2016–2020): opening with the legal
basis, A. purpose and requirements, B. content — I. goals (1. general, 2. specific with the
per-year school lists 2.1 re-recognition, 2.2 new recognition, 2.3 upgrade 1→2, then the
unit-level numeric targets and a summary table by year), II. tasks and solutions — and
C. organisation. School lists and numbers come from the plan's targets; the prose sections
are kept in a ReportDraft (kind "plan")."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass

from django.http import Http404

from core.text import fold
from documents import nd30, xlsx
from documents.common import (
    Authority,
    DocumentError,
    DocumentRequest,
    check_issue_date,
    place_name,
    short_school_name,
)
from programme import plans, selectors
from programme.models import PlanSchoolTarget, ProgrammePlan, ReportDraft, TargetKind

SECTIONS = [
    ("basis", "Căn cứ (đoạn mở đầu)"),
    ("purpose", "A. Mục đích, yêu cầu"),
    ("tasks", "B.II. Nhiệm vụ và giải pháp"),
    ("organisation", "C. Tổ chức thực hiện"),
]

# Sub-sections of "2. Mục tiêu cụ thể", in seed 004's order; NEW_1 and NEW_2 share 2.2.
LISTS = [
    ((plans.RE_RECOGNITION,), "Công nhận lại các trường đã đạt chuẩn"),
    ((plans.NEW_1, plans.NEW_2), "Công nhận mới đạt chuẩn quốc gia các trường học"),
    ((plans.UPGRADE,), "Nâng trường đạt chuẩn quốc gia từ mức độ 1 lên mức độ 2"),
    ((plans.MAINTAIN,), "Duy trì các trường đạt chuẩn quốc gia"),
    ((plans.IMPROVE,), "Nâng cao chất lượng các tiêu chuẩn"),
]
SUMMARY_KINDS = [
    (plans.NEW_1, "Mới MĐ1"),
    (plans.NEW_2, "Mới MĐ2"),
    (plans.RE_RECOGNITION, "Công nhận lại"),
    (plans.UPGRADE, "Nâng mức"),
    (plans.MAINTAIN, "Duy trì"),
    (plans.IMPROVE, "Nâng cao"),
]
TARGET_LABELS = dict(TargetKind.choices)


@dataclass
class PlanData:
    plan: ProgrammePlan
    targets: list[PlanSchoolTarget]
    unit_targets: list[selectors.UnitTargetRow]
    texts: dict[str, str]

    def years(self) -> list[int | None]:
        """Years that have targets, in order, then None (targets for the whole period)."""
        found = {t.year for t in self.targets}
        return sorted(y for y in found if y is not None) + ([None] if None in found else [])


def get_plan(req: DocumentRequest) -> ProgrammePlan:
    if not req.plan_id:
        raise DocumentError("Cần chọn kế hoạch (--plan ID).")
    try:
        return selectors.plan_get(user=req.user, pk=req.plan_id)
    except Http404 as exc:
        raise DocumentError("Không tìm thấy kế hoạch trong phạm vi của bạn.") from exc


def collect(req: DocumentRequest) -> PlanData:
    plan = get_plan(req)
    draft = ReportDraft.objects.filter(
        kind=ReportDraft.Kind.PLAN, unit=plan.unit, plan_id=plan.pk, year=0, period=""
    ).first()
    texts = dict(draft.texts) if draft else {}
    if not texts.get("basis") and plan.legal_basis:
        texts["basis"] = plan.legal_basis
    return PlanData(
        plan=plan,
        targets=selectors.plan_targets(user=req.user, plan=plan),
        unit_targets=selectors.unit_target_report(user=req.user, plan=plan, today=req.on),
        texts=texts,
    )


def title_without_kind(plan: ProgrammePlan) -> str:
    """The title as it follows the kind's word: "Kế hoạch thực hiện Đề án «…»" of a Kế hoạch
    → "thực hiện Đề án «…»", so that "kế hoạch" is not written twice; other titles lose only
    their capital ("Xây dựng …" → "xây dựng …")."""
    title = plan.title.strip()
    kind = str(plan.get_kind_display())
    if fold(title).startswith(fold(kind) + " "):
        return title[len(kind) :].strip()
    return title[:1].lower() + title[1:]


def subject_of(plan: ProgrammePlan) -> str:
    """The subject line under "KẾ HOẠCH": seed 004 writes "Thực hiện Đề án …", not "Kế hoạch
    thực hiện Đề án …" (the document type is already above it)."""
    rest = title_without_kind(plan)
    return rest[:1].upper() + rest[1:]


# Basis lines open with "Căn cứ" (laws, decrees, circulars, decisions) or "Thực hiện" (a plan,
# scheme, directive or resolution of a higher body being carried out), as seeds 000 and 004 do.
_LEADS = ("can cu", "thuc hien", "theo", "trien khai")
_CARRIED_OUT = ("ke hoach", "de an", "chi thi", "cong van", "chuong trinh", "nghi quyet")


def basis_line(line: str) -> str:
    text = line.strip()
    key = fold(text)
    if not text or key.startswith(_LEADS):
        return text
    lead = "Thực hiện" if key.startswith(_CARRIED_OUT) else "Căn cứ"
    return f"{lead} {text}"


# "ngày 05/12/2016", "ngày 05 tháng 12 năm 2016", on accent-folded text.
_BASIS_DATE = re.compile(r"ngay (\d{1,2})(?:/| thang )(\d{1,2})(?:/| nam )(\d{4})")


def default_date(plan: ProgrammePlan) -> dt.date:
    """The plan's date when none is typed: its issue date, else the start of its window —
    not before the latest text its basis cites (seed 004 has no date; it carries out texts of
    November and December 2016, so it is dated after them, not on 01/01/2016)."""
    if plan.issued_on:
        return plan.issued_on
    day = dt.date(plan.start_year, 1, 1)
    for d, m, y in _BASIS_DATE.findall(fold(plan.legal_basis)):
        try:
            cited = dt.date(int(y), int(m), int(d))
        except ValueError:
            continue
        if cited.year == plan.start_year and cited > day:
            day = cited + dt.timedelta(days=1)
    return day


def check(req: DocumentRequest) -> None:
    """A typed date on which the plan's unit did not exist is refused."""
    if not req.has_typed_date or req.header.get("issuer") or not req.plan_id:
        return
    try:
        plan = selectors.plan_get(user=req.user, pk=req.plan_id)
    except Http404 as exc:
        raise DocumentError("Không tìm thấy kế hoạch trong phạm vi của bạn.") from exc
    check_issue_date(Authority(unit=plan.unit, name=plan.issuing_body), req.header_date())


def _spec(req: DocumentRequest, plan: ProgrammePlan) -> nd30.DocumentSpec:
    h = req.header
    date = req.header_date(default_date(plan))
    number = h.get("number") or (plan.number.split("/")[0] if plan.number else "")
    symbol = h.get("symbol") or (plan.number.split("/", 1)[1] if "/" in plan.number else "KH-UBND")
    return nd30.DocumentSpec(
        issuer=h.get("issuer") or plan.issuing_body,
        managing_body=h.get("managing_body", ""),
        doc_type=plan.get_kind_display().upper(),
        subject=subject_of(plan),
        place=h.get("place") or place_name(plan.unit),
        date=date,
        number=number,
        symbol=symbol,
        recipients=["Các cơ quan, ban, ngành, đoàn thể", "UBND các xã, phường", "Các trường học"],
        archive="VT",
        signer_authority=h.get("signer_authority", "TM. ỦY BAN NHÂN DÂN"),
        signer_title=h.get("signer_title") or "CHỦ TỊCH",
        signer_name=h.get("signer_name", ""),
    )


def _section(doc: nd30.NDDocument, text: str) -> None:
    if (text or "").strip():
        doc.paragraphs(text)
    else:
        doc.fill_in()  # dotted lines to write on by hand; the pre-print check says what is missing


unit_target_value = selectors.unit_target_value


def unit_target_text(row: selectors.UnitTargetRow) -> str:
    """ "- Tỷ lệ trường đạt chuẩn quốc gia: 60% (năm 2021); thực hiện: 45,00% (27/60 trường,
    ngày 31/12/2021) — không đạt." The actual comes from the register, or "chưa có số liệu"."""
    t = row.target
    year = f" (năm {t.year})" if t.year else ""
    line = f"- {t.label}: {unit_target_value(t)}{year}; thực hiện: {row.actual_text}"
    if row.actual is not None:
        line += f" — {row.state_label.lower()}"
    return line + "."


def summary(data: PlanData) -> tuple[list[nd30.Row], list[int]]:
    """One row per year (and one for targets without a year): schools per target kind and the
    row total; the last row sums the rows above it, column by column."""
    counts: dict[int | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for t in data.targets:
        counts[t.year][t.target] += 1
    rows: list[nd30.Row] = []
    totals = [0] * (len(SUMMARY_KINDS) + 1)
    for year in data.years():
        cells = [counts[year][k] for k, _ in SUMMARY_KINDS]
        cells.append(sum(cells))
        totals = [a + b for a, b in zip(totals, cells, strict=True)]
        rows.append(nd30.Row([str(year) if year else "Cả giai đoạn", *cells]))
    rows.append(nd30.Row(["Tổng cộng", *totals], bold=True))
    return rows, totals


def build_docx(req: DocumentRequest) -> nd30.NDDocument:
    data = collect(req)
    plan = data.plan
    doc = nd30.NDDocument(_spec(req, plan))
    texts = data.texts
    for line in (texts.get("basis") or "").splitlines():
        if line.strip():
            doc.paragraph(basis_line(line))
    issuer = req.header.get("issuer") or plan.issuing_body
    doc.paragraph(f"{issuer} xây dựng {plan.get_kind_display().lower()} như sau:")
    doc.heading("A. MỤC ĐÍCH, YÊU CẦU")
    _section(doc, texts.get("purpose", ""))
    doc.heading("B. NỘI DUNG")
    doc.heading("I. Mục tiêu", level=2)
    doc.heading("1. Mục tiêu chung", level=2)
    _section(doc, plan.goals)
    doc.heading("2. Mục tiêu cụ thể", level=2)
    by_kind_year: dict[tuple[str, int | None], list[str]] = defaultdict(list)
    for t in data.targets:
        name = short_school_name(t.school.name)
        if t.target == plans.NEW_2:
            name += " (Mức độ 2)"
        by_kind_year[(t.target, t.year)].append(name)
    number = 0
    for kinds, title in LISTS:
        present = [(k, y) for (k, y) in by_kind_year if k in kinds]
        if not present:
            continue
        number += 1
        doc.heading(f"2.{number}. {title}", level=2)
        for year in data.years():
            names = [n for k in kinds for n in by_kind_year.get((k, year), [])]
            if not names:
                continue
            if year is None:
                doc.paragraph("; ".join(names))
            else:
                doc.paragraph(f"+ Năm {year}: " + "; ".join(names))
    if data.unit_targets:
        number += 1
        doc.heading(f"2.{number}. Các chỉ tiêu khác", level=2)
        for row in data.unit_targets:
            doc.paragraph(unit_target_text(row))
    if data.targets:
        number += 1
        doc.heading(f"2.{number}. Tổng hợp số trường theo năm và chỉ tiêu", level=2)
        rows, _ = summary(data)
        columns = [nd30.Column("Năm", 27, center=True)] + [
            nd30.Column(label, 19, numeric=True) for _, label in SUMMARY_KINDS
        ]
        columns.append(nd30.Column("Tổng", 24, numeric=True))
        doc.table(columns, rows)
    doc.heading("II. Nhiệm vụ và giải pháp", level=2)
    _section(doc, texts.get("tasks", ""))
    doc.heading("C. TỔ CHỨC THỰC HIỆN")
    _section(doc, texts.get("organisation", ""))
    doc.finish(f"Trên đây là {plan.get_kind_display().lower()} {title_without_kind(plan)}")
    return doc


def build_xlsx(req: DocumentRequest):
    data = collect(req)
    plan = data.plan
    wb = xlsx.new_workbook()
    sub = f"{plan.unit.name} — giai đoạn {plan.period_label}"
    xlsx.add_table_sheet(
        wb,
        title="Chỉ tiêu theo trường",
        heading=f"Danh sách trường theo năm và chỉ tiêu — {plan.title}",
        subheading=sub,
        columns=[
            xlsx.XColumn("TT", 6, "int"),
            xlsx.XColumn("Trường", 44),
            xlsx.XColumn("Xã/phường hiện nay", 24),
            xlsx.XColumn("Năm", 10),
            xlsx.XColumn("Chỉ tiêu", 34),
            xlsx.XColumn("Ghi chú", 30),
        ],
        rows=[
            [
                i,
                t.school.name,
                t.school.unit.name,
                str(t.year) if t.year else "Cả giai đoạn",
                str(TARGET_LABELS.get(t.target, t.target)),
                t.note,
            ]
            for i, t in enumerate(data.targets, 1)
        ],
    )
    rows, _ = summary(data)
    xlsx.add_table_sheet(
        wb,
        title="Tổng hợp theo năm",
        heading="Tổng hợp số trường theo năm và chỉ tiêu",
        subheading=sub,
        columns=[xlsx.XColumn("Năm", 16)]
        + [xlsx.XColumn(label, 14, "int") for _, label in SUMMARY_KINDS]
        + [xlsx.XColumn("Tổng", 12, "int")],
        rows=[xlsx.XRow(r.cells, bold=r.bold) for r in rows],
    )
    if data.unit_targets:
        xlsx.add_table_sheet(
            wb,
            title="Chỉ tiêu của đơn vị",
            heading="Các chỉ tiêu của đơn vị",
            subheading=sub,
            columns=[
                xlsx.XColumn("Chỉ tiêu", 60),
                xlsx.XColumn("Năm", 10),
                xlsx.XColumn("Giá trị", 12, "number"),
                xlsx.XColumn("Tối đa", 12, "number"),
                xlsx.XColumn("Đơn vị tính", 12),
                xlsx.XColumn("Thực hiện", 36),
                xlsx.XColumn("Đánh giá", 16),
            ],
            rows=[
                [
                    r.target.label,
                    str(r.target.year or ""),
                    r.target.value,
                    r.target.value_max,
                    r.target.measure,
                    r.actual_text,
                    r.state_label,
                ]
                for r in data.unit_targets
            ],
        )
    return wb


def plan_choices(user) -> list[tuple[int, str]]:
    return [(p.pk, f"{p} ({p.period_label})") for p in selectors.plan_list(user=user)[:200]]
