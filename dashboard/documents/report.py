"""(a) The six-month / yearly programme report, shaped like seed 000 (Phong Thổ, 6 tháng đầu
năm 2021): opening, I. leadership, II. results (1. targets, 2. tasks done with the investment
table grouped I/II with subtotals and a grand total, 3. limitations), III. next tasks.

Prose sections are the unit's own words, kept in a ReportDraft (edited on the documents page);
targets, results and money come from data at generation time: the plans' school targets and
the recognition register (programme.selectors.plan_report), the schools' status on the
last day of the period (recognition.selectors.with_status) and the investment projects of the
year (programme.selectors.investment_list)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.http import Http404

from core.text import fold, format_date_short, format_percent
from dashboard import selectors as dashboard
from dashboard.selectors import Counts
from documents import nd30, xlsx
from documents.common import (
    Authority,
    DocumentError,
    DocumentRequest,
    authority_on,
    check_issue_date,
    period_end,
    period_label,
    place_name,
    two_digits,
    unit_phrase,
)
from programme import plans
from programme import selectors as plan_selectors
from programme.documents.plan import basis_line, title_without_kind
from programme.models import (
    InvestmentProject,
    PlanActivity,
    PlanKind,
    ProgrammePlan,
    ReportDraft,
    TargetKind,
)
from recognition.models import RecognitionDecision
from recognition.rules import STANDARD_NEW, STANDARD_RENEWAL
from recognition.selectors import with_status
from schools.models import School

# (key, label on the edit form, heading it sits under)
SECTIONS = [
    ("basis", "Căn cứ (đoạn mở đầu)"),
    ("leadership", "I. Công tác lãnh đạo, chỉ đạo"),
    ("tasks_done", "II.2. Một số nhiệm vụ đã thực hiện (trước bảng đầu tư)"),
    ("tasks_more", "II.2. Nhiệm vụ đã thực hiện khác (sau bảng đầu tư)"),
    ("limitations", "II.3. Tồn tại, hạn chế"),
    ("next_tasks", "III. Nhiệm vụ, giải pháp kỳ tới"),
]
TITLE = "Báo cáo thực hiện xây dựng trường chuẩn quốc gia"
TARGET_LABELS = dict(TargetKind.choices)


@dataclass
class TargetLine:
    school: str
    target: str
    state: str
    decision: str
    school_id: int = 0
    kind: str = ""
    achieved: bool = False


@dataclass
class ReportData:
    plans: list[ProgrammePlan]
    end: dt.date
    start_counts: Counts
    end_counts: Counts
    year_targets: dict[str, list[str]]  # target kind → school names
    lines: list[TargetLine]
    achieved: int
    unplanned: list[str]
    investment: plans.InvestmentTotals
    construction_groups: list[plans.InvestmentGroup]
    texts: dict[str, str] = field(default_factory=dict)
    kept: Counts = field(default_factory=Counts)  # maintain targets met, by level at the end
    # Schools of the area recognised anew in the window (seed 003: "trong năm 2022 được công
    # nhận mới 4 trường: 1 trường mầm non, 2 trường tiểu học, 1 trường PTDTNT").
    new_by_kind: dict[str, int] = field(default_factory=dict)
    activities: list[PlanActivity] = field(default_factory=list)
    renewed_unplanned: list[str] = field(default_factory=list)

    @property
    def maintained(self) -> list[TargetLine]:
        return [ln for ln in self.lines if ln.kind == plans.MAINTAIN]


def _check(req: DocumentRequest) -> None:
    if req.unit is None:
        raise DocumentError("Cần chọn đơn vị để lập báo cáo.")
    if not req.year:
        raise DocumentError("Cần chọn năm báo cáo.")
    if req.period not in ("H1", "H2", "Y"):
        raise DocumentError("Kỳ báo cáo phải là H1 (6 tháng đầu năm), H2 hoặc Y (cả năm).")


def report_plans(req: DocumentRequest) -> list[ProgrammePlan]:
    """The plans the report follows: the one chosen, else the unit's plans covering the year
    (a 2021–2025 Đề án and its 2021 Kế hoạch), widest period first."""
    if req.plan_id:
        try:
            return [plan_selectors.plan_get(user=req.user, pk=req.plan_id)]
        except Http404 as exc:
            raise DocumentError("Không tìm thấy kế hoạch trong phạm vi của bạn.") from exc
    qs = plan_selectors.plan_list(user=req.user).filter(
        unit=req.unit, start_year__lte=req.year, end_year__gte=req.year
    )
    return sorted(qs, key=lambda p: (p.start_year - p.end_year, p.pk))


def window_end(req: DocumentRequest) -> dt.date:
    """The last day the report speaks of: the end of the period, or the data day (`on`, today
    by default) while the period is still running."""
    return min(period_end(req.period, req.year), max(req.on, dt.date(req.year, 1, 1)))


def issue(req: DocumentRequest) -> tuple[Authority, dt.date]:
    """Who signs the report and when: the authority of the unit's area at the end of the
    window (UBND huyện Phong Thổ for 2021; its successor, or the Sở, after 01/7/2025), dated
    that day unless a date is typed — and a typed date must fall in the issuer's life."""
    _check(req)
    end = window_end(req)
    authority = authority_on(req.unit, end)
    day = req.header_date(end)
    if req.has_typed_date and not req.header.get("issuer"):
        check_issue_date(authority, day)
    return authority, day


def check(req: DocumentRequest) -> None:
    issue(req)


def period_bounds(req: DocumentRequest) -> tuple[dt.date, dt.date]:
    """First and last day the report covers: 1 January to the end of the period."""
    return dt.date(req.year, 1, 1), period_end(req.period, req.year)


def unit_schools(req: DocumentRequest):
    """Schools of the unit in the user's scope: located under it now, or (a retired district)
    during the reported period according to the location history."""
    start, end = period_bounds(req)
    return dashboard.schools_of_area(user=req.user, unit=req.unit, start=start, end=end)


def counts_on(req: DocumentRequest, on: dt.date) -> Counts:
    """Schools of the area on that day (a school that joined the area later in the year is
    not counted at its start) by their status on that day."""
    day = dashboard.area_day(req.unit, on)
    schools = dashboard.schools_of_area(user=req.user, unit=req.unit, start=day, end=day)
    counts = Counts()
    rows = with_status(schools, on).order_by().values_list("status").annotate(n=Count("pk"))
    for status, n in rows:
        counts.add(status, n)
    return counts


def investments(req: DocumentRequest) -> list[InvestmentProject]:
    """Projects of the year in the user's scope: those of the unit's schools (for a retired
    district, the schools its location history puts under it — seed 000's projects sit on
    today's communes) and the unit-level rows recorded on the unit or a unit below it."""
    unit = req.unit
    qs = plan_selectors.investment_list(
        user=req.user, filters=plan_selectors.InvestmentFilters(year=str(req.year))
    )
    schools = unit_schools(req).values("pk")
    return list(qs.filter(Q(unit__path__startswith=unit.path) | Q(school__in=schools)))


# How seed 003 names the kinds of the schools it counts.
KIND_WORDS = {
    "MN": "trường mầm non",
    "TH": "trường tiểu học",
    "THCS": "trường trung học cơ sở",
    "THPT": "trường trung học phổ thông",
    "TH&THCS": "trường tiểu học và trung học cơ sở",
    "THCS&THPT": "trường trung học cơ sở và trung học phổ thông",
}


def kind_word(kind: str, special_type: str) -> str:
    if special_type == "PTDTNT":
        return "trường PTDTNT"
    return KIND_WORDS.get(kind, "trường khác")


def new_recognitions(req: DocumentRequest, end: dt.date) -> dict[str, int]:
    """First recognitions signed from 1 January to the window's end by schools of the area,
    counted by kind in seed 003's words, in the order of KIND_WORDS (PTDTNT last)."""
    rows = (
        RecognitionDecision.objects.filter(
            school__in=unit_schools(req).values("pk"),
            kind=STANDARD_NEW,
            signed_on__gte=dt.date(req.year, 1, 1),
            signed_on__lte=end,
        )
        .order_by()
        .values_list("school_id", "school__kind", "school__special_type")
        .distinct()
    )
    counts: dict[str, int] = {}
    for _pk, kind, special in rows:
        word = kind_word(kind, special)
        counts[word] = counts.get(word, 0) + 1
    order = [*KIND_WORDS.values(), "trường khác", "trường PTDTNT"]
    return {w: counts[w] for w in order if w in counts}


def activity_sentence(a: PlanActivity) -> str:
    """Seed 000: "Thực hiện Kiểm tra kỹ thuật các trường dự kiến đạt chuẩn được 04/04 trường
    theo kế hoạch." """
    text = f"Thực hiện {a.description.rstrip('. ')}"
    if a.done_count is not None and a.planned_count is not None:
        text += (
            f" được {two_digits(a.done_count)}/{two_digits(a.planned_count)} {a.measure}"
            " theo kế hoạch"
        )
    elif a.done_count is not None:
        text += f" được {two_digits(a.done_count)} {a.measure}"
    return text + "."


def plan_reference(plan: ProgrammePlan) -> str:
    """How a report names a plan it carries out, from the plan's own data. A Đề án numbered
    with a decision's symbol was approved by that decision (seed 000: "Quyết định số
    5375/QĐ-UBND ngày 30/12/2020 Phê duyệt Đề án …"); otherwise the plan is named by its kind
    ("Kế hoạch số 23/KH-UBND ngày 17/01/2021 của UBND huyện Phong Thổ về xây dựng …")."""
    kind = str(plan.get_kind_display())
    number = (plan.number or "").strip()
    symbol = number.split("/", 1)[1] if "/" in number else ""
    dated = f" ngày {format_date_short(plan.issued_on)}" if plan.issued_on else ""
    by = f" của {plan.issuing_body}" if plan.issuing_body else ""
    if symbol and fold(symbol).startswith("qd-") and plan.kind != PlanKind.RESOLUTION:
        title = plan.title.strip()
        if not fold(title).startswith(fold(kind) + " "):
            title = f"{kind} {title_without_kind(plan)}"
        return f"Quyết định số {number}{dated}{by} phê duyệt {title}"
    parts = [kind]
    if number:
        parts.append(f"số {number}")
    return " ".join(parts) + f"{dated}{by} về {title_without_kind(plan)}"


def _basis_items(text: str) -> list[str]:
    items = []
    for line in (text or "").splitlines():
        items += [part.strip().rstrip(".;").strip() for part in line.split(";")]
    return [item for item in items if item]


def plan_basis(plan_list: list[ProgrammePlan]) -> str:
    """The opening of the report from the plans' data: what the outermost plan carries out
    (seed 000: "Thực hiện Nghị quyết số 129/NQ-HĐND ngày 17/12/2020 của HĐND huyện …"), then
    each plan the report follows, named as issued (the decision approving a Đề án, a Kế
    hoạch). A plan's own basis that names another plan of the list is not repeated."""
    ids = {p.pk for p in plan_list}
    numbers = [fold(p.number) for p in plan_list if p.number]
    lines: list[str] = []
    for plan in plan_list:
        if plan.parent_id in ids:
            continue
        for item in _basis_items(plan.legal_basis):
            if any(n in fold(item) for n in numbers):
                continue
            lines.append(basis_line(item) + ";")
    lines += [f"Thực hiện {plan_reference(p)};" for p in plan_list]
    return "\n".join(dict.fromkeys(lines))


def texts_for(req: DocumentRequest, plan_list: list[ProgrammePlan]) -> dict[str, str]:
    draft = ReportDraft.objects.filter(
        kind=ReportDraft.Kind.REPORT,
        unit=req.unit,
        plan_id=req.plan_id or 0,
        year=req.year,
        period=req.period,
    ).first()
    texts = dict(draft.texts) if draft else {}
    if not texts.get("basis") and plan_list:
        texts["basis"] = plan_basis(plan_list)
    return texts


def collect(req: DocumentRequest) -> ReportData:
    _check(req)
    plan_list = report_plans(req)
    end = window_end(req)
    start = dt.date(req.year - 1, 12, 31)
    names: dict[int, str] = {}
    seen: set[tuple[int, str]] = set()
    used: set[tuple[int, dt.date, str]] = set()
    year_targets: dict[str, list[str]] = {}
    lines: list[TargetLine] = []
    unplanned: list[str] = []
    renewed: list[str] = []
    achieved = 0
    reports = [plan_selectors.plan_report(user=req.user, plan=p, today=end) for p in plan_list]
    for rep in reports:
        names.update({pk: s.name for pk, s in rep.schools.items()})
        for o in rep.result.outcomes:
            t = o.target
            if t.year != req.year or (t.school_id, t.kind) in seen:
                continue
            seen.add((t.school_id, t.kind))
            name = names.get(t.school_id, "")
            year_targets.setdefault(t.kind, []).append(name)
            decision = ""
            if o.decision is not None:
                decision = f"{o.decision.number} ngày {format_date_short(o.decision.signed_on)}"
            achieved += o.state == plans.ACHIEVED
            if o.decision is not None:
                used.add((t.school_id, o.decision.signed_on, o.decision.kind))
            lines.append(
                TargetLine(
                    name,
                    str(TARGET_LABELS.get(t.kind, t.kind)),
                    o.state_label,
                    decision,
                    school_id=t.school_id,
                    kind=t.kind,
                    achieved=o.state == plans.ACHIEVED,
                )
            )
    # Only once every plan's targets are known: a recognition that achieves the 2021 Kế
    # hoạch's target is not "without a target" for the 2021–2025 Đề án above it.
    for rep in reports:
        for u in rep.result.unplanned:
            label = names.get(u.school_id, "")
            key = (u.school_id, u.decision.signed_on, u.decision.kind)
            if key in used:  # achieved a target of another plan of the report
                continue
            if u.year != req.year or u.decision.signed_on > end:
                continue
            # A re-recognition is "công nhận lại", not a school newly brought to the standard.
            bucket = renewed if u.decision.kind == STANDARD_RENEWAL else unplanned
            if label not in bucket:
                bucket.append(label)
    totals = plans.investment_totals(investments(req))
    construction = [g for g in totals.groups if g.category in plans.CONSTRUCTION]
    kept = Counts()
    kept_ids = [ln.school_id for ln in lines if ln.kind == plans.MAINTAIN and ln.achieved]
    for status, n in (
        with_status(School.objects.filter(pk__in=kept_ids), end)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    ):
        kept.add(status, n)
    activities = list(
        PlanActivity.objects.filter(
            plan__in=plan_list, done_on__gte=dt.date(req.year, 1, 1), done_on__lte=end
        ).order_by("done_on", "pk")
    )
    return ReportData(
        activities=activities,
        kept=kept,
        new_by_kind=new_recognitions(req, end),
        plans=plan_list,
        end=end,
        start_counts=counts_on(req, start),
        end_counts=counts_on(req, end),
        year_targets=year_targets,
        lines=lines,
        achieved=achieved,
        unplanned=unplanned,
        renewed_unplanned=renewed,
        investment=totals,
        construction_groups=construction,
        texts=texts_for(req, plan_list),
    )


def _spec(req: DocumentRequest) -> nd30.DocumentSpec:
    h = req.header
    authority, day = issue(req)
    return nd30.DocumentSpec(
        issuer=h.get("issuer") or authority.name,
        managing_body=h.get("managing_body", authority.managing_body),
        doc_type="BÁO CÁO",
        subject="V/v thực hiện xây dựng trường chuẩn quốc gia "
        + period_label(req.period, req.year),
        place=h.get("place") or place_name(authority.unit),
        date=day,
        number=h.get("number", ""),
        symbol=h.get("symbol") or f"BC-{authority.symbol_suffix}",
        recipients=recipients_of(authority),
        archive="VT",
        signer_authority=h.get("signer_authority", authority.signer_authority),
        signer_title=h.get("signer_title") or authority.signer_title,
        signer_name=h.get("signer_name", ""),
    )


def recipients_of(authority: Authority) -> list[str]:
    if authority.symbol_suffix == "UBND":
        return ["UBND cấp trên (b/c)", "Sở Giáo dục và Đào tạo (b/c)", "Các trường học"]
    return ["UBND tỉnh (b/c)", "Bộ Giáo dục và Đào tạo (b/c)", "Các trường học"]


INVESTMENT_COLUMNS = [
    nd30.Column("TT", 10, center=True),
    nd30.Column("Tên dự án đầu tư", 52),
    nd30.Column("Đơn vị", 34),
    nd30.Column("Quy mô", 44),
    nd30.Column("Tổng mức đầu tư (triệu đồng)", 25, numeric=True),
]


def investment_rows(groups: list[plans.InvestmentGroup]) -> tuple[list[nd30.Row], Decimal]:
    """Seed 000's table: a bold group line (I, II) carrying its subtotal, its projects numbered
    from 1, then "Tổng cộng" = the sum of the subtotals = the sum of every project."""
    rows: list[nd30.Row] = []
    grand = Decimal(0)
    for group in groups:
        subtotal = sum((p.total_million for p in group.rows), Decimal(0))
        label = str(dict(InvestmentProject._meta.get_field("category").choices)[group.category])
        rows.append(nd30.Row([group.numeral, label, "", "", subtotal], bold=True))
        for i, p in enumerate(group.rows, 1):
            owner = p.school.name if p.school_id else p.unit.name
            rows.append(nd30.Row([i, p.name, owner, p.scale, p.total_million]))
        grand += subtotal
    rows.append(nd30.Row(["", "Tổng cộng", "", "", grand], bold=True))
    return rows, grand


RESULT_COLUMNS = [
    nd30.Column("TT", 10, center=True),
    nd30.Column("Trường", 60),
    nd30.Column("Chỉ tiêu", 40),
    nd30.Column("Kết quả", 25),
    nd30.Column("Quyết định công nhận", 30),
]


def _money(value: Decimal) -> str:
    return plans.format_million(value)


def _section(doc: nd30.NDDocument, text: str) -> None:
    if (text or "").strip():
        doc.paragraphs(text)
    else:
        doc.fill_in()  # dotted lines to write on by hand; the pre-print check says what is missing


def _target_sentence(req: DocumentRequest, data: ReportData) -> str:
    """Seed 000's sentence: "Năm 2021, xây dựng 04 trường đạt chuẩn quốc gia: A, B, C đạt
    chuẩn quốc gia Mức độ 1, nâng mức độ D đạt chuẩn quốc gia Mức độ 2" — an upgrade is one of
    the schools "built" to the standard that year."""
    t = data.year_targets
    built = []
    if t.get(plans.NEW_1):
        built.append(", ".join(t[plans.NEW_1]) + " đạt chuẩn quốc gia Mức độ 1")
    if t.get(plans.NEW_2):
        built.append(", ".join(t[plans.NEW_2]) + " đạt chuẩn quốc gia Mức độ 2")
    if t.get(plans.UPGRADE):
        built.append("nâng mức độ " + ", ".join(t[plans.UPGRADE]) + " đạt chuẩn quốc gia Mức độ 2")
    count = sum(len(t.get(k, [])) for k in (plans.NEW_1, plans.NEW_2, plans.UPGRADE))
    parts = []
    if built:
        parts.append(f"xây dựng {two_digits(count)} trường đạt chuẩn quốc gia: {', '.join(built)}")
    if t.get(plans.RE_RECOGNITION):
        parts.append("công nhận lại " + ", ".join(t[plans.RE_RECOGNITION]))
    if t.get(plans.MAINTAIN):
        parts.append(f"duy trì chuẩn {two_digits(len(t[plans.MAINTAIN]))} trường")
    if not parts:
        return f"Năm {req.year}, kế hoạch chưa giao chỉ tiêu cho trường nào."
    return f"Năm {req.year}, " + "; ".join(parts) + "."


def build_docx(req: DocumentRequest) -> nd30.NDDocument:
    data = collect(req)
    doc = nd30.NDDocument(_spec(req))
    issuer = req.header.get("issuer") or issue(req)[0].name
    where = unit_phrase(req.unit)
    label = period_label(req.period, req.year)
    texts = data.texts
    if (texts.get("basis") or "").strip():
        doc.paragraphs(texts["basis"])
    doc.paragraph(
        f"{issuer} báo cáo kết quả thực hiện xây dựng trường chuẩn quốc gia {label} cụ thể như sau:"
    )
    doc.heading("I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO")
    _section(doc, texts.get("leadership", ""))

    doc.heading("II. KẾT QUẢ THỰC HIỆN CÁC MỤC TIÊU, NHIỆM VỤ")
    doc.heading("1. Mục tiêu và kết quả", level=2)
    s, e = data.start_counts, data.end_counts
    doc.paragraph(
        f"Đầu năm {req.year}, toàn {where} có {two_digits(s.standard)}/{two_digits(s.total)}"
        f" trường đạt chuẩn quốc gia ({two_digits(s.level_1)} trường Mức độ 1,"
        f" {two_digits(s.level_2)} trường Mức độ 2). Tính đến ngày {format_date_short(data.end)}"
        f" có {two_digits(e.standard)}/{two_digits(e.total)} trường đạt chuẩn"
        f" ({two_digits(e.level_1)} trường Mức độ 1, {two_digits(e.level_2)} trường Mức độ 2),"
        f" đạt tỷ lệ {format_percent(e.standard, e.total)}."
    )
    if data.maintained:
        k = data.kept
        doc.paragraph(
            f"Duy trì {two_digits(k.standard)}/{two_digits(len(data.maintained))} trường đạt"
            f" chuẩn ({two_digits(k.level_1)}/{two_digits(len(data.maintained))} trường Mức độ 1,"
            f" {two_digits(k.level_2)} trường Mức độ 2)."
        )
    doc.paragraph(_target_sentence(req, data))
    if data.new_by_kind:
        total = sum(data.new_by_kind.values())
        kinds = ", ".join(f"{two_digits(n)} {w}" for w, n in data.new_by_kind.items())
        doc.paragraph(
            f"Trong {label}, toàn {where} được công nhận mới {two_digits(total)} trường đạt chuẩn"
            f" quốc gia, trong đó có {kinds}."
        )
    if data.lines:
        doc.paragraph(
            f"Kết quả thực hiện chỉ tiêu năm {req.year}: đạt {two_digits(data.achieved)}/"
            f"{two_digits(len(data.lines))} chỉ tiêu giao cho các trường."
        )
        rows = [
            nd30.Row([i, ln.school, ln.target, ln.state, ln.decision])
            for i, ln in enumerate(data.lines, 1)
        ]
        doc.table(RESULT_COLUMNS, rows)
    if data.unplanned:
        doc.paragraph(
            f"Ngoài chỉ tiêu, {two_digits(len(data.unplanned))} trường được công nhận trong năm: "
            + ", ".join(data.unplanned)
            + "."
        )
    if data.renewed_unplanned:
        doc.paragraph(
            f"Trong năm, {two_digits(len(data.renewed_unplanned))} trường được công nhận lại đạt"
            " chuẩn quốc gia: " + ", ".join(data.renewed_unplanned) + "."
        )

    doc.heading("2. Một số nhiệm vụ đã thực hiện", level=2)
    _section(doc, texts.get("tasks_done", ""))
    if data.construction_groups:
        doc.paragraph("Đầu tư cơ sở vật chất cho các trường:")
        rows, grand = investment_rows(data.construction_groups)
        doc.table(INVESTMENT_COLUMNS, rows)
        doc.paragraph(
            f"Kinh phí xây dựng mới và nâng cấp, sửa chữa các trường học: {_money(grand)}"
            " triệu đồng."
        )
    equipment = data.investment.equipment_total
    if equipment:
        doc.paragraph(
            f"Kinh phí mua sắm trang bị thiết bị dạy học: {_money(equipment)} triệu đồng."
        )
    if not data.investment.groups:
        doc.paragraph(f"Năm {req.year} chưa ghi nhận dự án đầu tư cơ sở vật chất nào.")
    if (texts.get("tasks_more") or "").strip():
        doc.paragraphs(texts["tasks_more"])
    for activity in data.activities:
        doc.paragraph(activity_sentence(activity))

    doc.heading("3. Tồn tại, hạn chế", level=2)
    _section(doc, texts.get("limitations", ""))

    if req.period == "H1":
        nxt = f"6 THÁNG CUỐI NĂM {req.year}"
    else:
        nxt = f"NĂM {req.year + 1}"
    doc.heading(f"III. MỘT SỐ NHIỆM VỤ, GIẢI PHÁP {nxt}")
    _section(doc, texts.get("next_tasks", ""))
    doc.finish(
        f"Trên đây là nội dung Báo cáo công tác xây dựng trường chuẩn quốc gia {label} của {issuer}"
    )
    return doc


def build_xlsx(req: DocumentRequest):
    data = collect(req)
    wb = xlsx.new_workbook()
    sub = f"{req.unit.name} — {period_label(req.period, req.year)}"
    rows, _grand = investment_rows(data.construction_groups)
    equipment = [g for g in data.investment.groups if g.category == plans.CAT_EQUIPMENT]
    eq_rows, _ = investment_rows(equipment) if equipment else ([], Decimal(0))
    xlsx.add_table_sheet(
        wb,
        title="Đầu tư xây dựng",
        heading="Đầu tư cơ sở vật chất cho các trường (triệu đồng)",
        subheading=sub,
        columns=[
            xlsx.XColumn("TT", 6),
            xlsx.XColumn("Tên dự án đầu tư", 50),
            xlsx.XColumn("Đơn vị", 34),
            xlsx.XColumn("Quy mô", 44),
            xlsx.XColumn("Tổng mức đầu tư (triệu đồng)", 16, "number"),
        ],
        rows=[xlsx.XRow(r.cells, bold=r.bold) for r in rows],
    )
    if eq_rows:
        xlsx.add_table_sheet(
            wb,
            title="Mua sắm thiết bị",
            heading="Mua sắm trang thiết bị dạy học (triệu đồng)",
            subheading=sub,
            columns=[
                xlsx.XColumn("TT", 6),
                xlsx.XColumn("Nội dung", 50),
                xlsx.XColumn("Đơn vị", 34),
                xlsx.XColumn("Quy mô", 44),
                xlsx.XColumn("Tổng mức đầu tư (triệu đồng)", 16, "number"),
            ],
            rows=[xlsx.XRow(r.cells, bold=r.bold) for r in eq_rows],
        )
    xlsx.add_table_sheet(
        wb,
        title="Chỉ tiêu trong năm",
        heading=f"Kết quả thực hiện chỉ tiêu năm {req.year}",
        subheading=sub,
        columns=[
            xlsx.XColumn("TT", 6, "int"),
            xlsx.XColumn("Trường", 44),
            xlsx.XColumn("Chỉ tiêu", 30),
            xlsx.XColumn("Kết quả", 20),
            xlsx.XColumn("Quyết định công nhận", 30),
        ],
        rows=[
            [i, ln.school, ln.target, ln.state, ln.decision] for i, ln in enumerate(data.lines, 1)
        ],
    )
    return wb
