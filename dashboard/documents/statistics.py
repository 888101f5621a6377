"""(c) Statistics by school kind: schools by kind × national-standard status (Mức độ 1, Mức
độ 2, chưa đạt) for a unit, on a day, with shares computed from the counts. The numbers are
the dashboard's (dashboard.selectors.status_rows), so the document and the page agree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from core.text import format_date_short, format_int, format_percent
from dashboard import selectors as dashboard
from dashboard.selectors import Counts
from documents import nd30, xlsx
from documents.common import (
    Authority,
    DocumentError,
    DocumentRequest,
    authority_on,
    check_issue_date,
    place_name,
    unit_phrase,
)
from recognition.selectors import with_status
from schools.models import SchoolKind
from units.models import AdminUnit

TITLE = "Thống kê trường đạt chuẩn quốc gia theo cấp học"


@dataclass
class StatLine:
    label: str
    counts: Counts


@dataclass
class Statistics:
    kinds: list[StatLine]
    total: Counts
    areas: list[StatLine]  # child units (a province's communes), empty for a commune
    declared_only: int


def retired_rows(req: DocumentRequest) -> list[tuple[str, str, int, bool, int]]:
    """status_rows for a retired unit (huyện Phong Thổ): its schools are found through the
    location history on the day (its last day when it was retired before), and each is filed
    under the old commune it sat in then, so the table by unit lists the district's communes."""
    unit = req.unit
    day = dashboard.area_day(unit, req.on)
    schools = dashboard.schools_of_area(user=req.user, unit=unit, start=day, end=day)
    qs = with_status(schools, req.on).annotate(area_path=dashboard.area_location_path(unit, day))
    return [
        (path or unit.path, kind, status, bool(in_register), n)
        for path, kind, status, in_register, n in qs.order_by()
        .values_list("area_path", "kind", "status", "in_register")
        .annotate(n=Count("pk"))
    ]


def retired_areas(req: DocumentRequest, rows) -> list[StatLine]:
    """The retired unit's own communes in force on the day, with the counts rolled up."""
    day = dashboard.area_day(req.unit, req.on)
    children = (
        AdminUnit.objects.filter(parent=req.unit)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .order_by("sort_key")
    )
    lines = {c.path: StatLine(c.name, Counts()) for c in children}
    # Schools the history files under the district itself (commune not recorded): own line, so
    # the lines still add up to the district's total.
    direct = StatLine(f"Chưa ghi xã (thuộc {unit_phrase(req.unit)})", Counts())
    for path, _kind, status, _reg, n in rows:
        prefix = next((p for p in lines if path.startswith(p)), None)
        (lines[prefix] if prefix is not None else direct).counts.add(status, n)
    return [line for line in [*lines.values(), direct] if line.counts.total]


def collect(req: DocumentRequest) -> Statistics:
    if req.unit is None:
        raise DocumentError("Cần chọn đơn vị (xã/phường hoặc tỉnh) để lập thống kê.")
    retired = not req.unit.is_current
    if retired:
        rows = retired_rows(req)
    else:
        rows = dashboard.status_rows(user=req.user, unit=req.unit, on=req.on)
    kinds = {k: StatLine(str(label), Counts()) for k, label in SchoolKind.choices}
    total = Counts()
    declared = 0
    for _path, kind, status, in_register, n in rows:
        line = kinds.get(kind) or kinds.setdefault(kind, StatLine(kind, Counts()))
        line.counts.add(status, n)
        total.add(status, n)
        if not in_register and status:
            declared += n
    if retired:
        areas = retired_areas(req, rows)
    else:
        areas = [
            StatLine(a.label, a.counts)
            for a in dashboard.areas(user=req.user, unit=req.unit, on=req.on, rows=rows)
            if not a.is_school
        ]
    return Statistics(
        kinds=[k for k in kinds.values() if k.counts.total],
        total=total,
        areas=areas,
        declared_only=declared,
    )


def issue(req: DocumentRequest) -> tuple[Authority, dt.date]:
    """The authority of the unit's area on the data day (a district's figures of 2021 come
    from UBND huyện; after 01/7/2025 from its successor or the Sở), dated that day unless a
    date is typed — and a typed date must fall in the issuer's life."""
    if req.unit is None:
        raise DocumentError("Cần chọn đơn vị.")
    authority = authority_on(req.unit, req.on)
    day = req.header_date(req.on)
    if req.has_typed_date and not req.header.get("issuer"):
        check_issue_date(authority, day)
    return authority, day


def check(req: DocumentRequest) -> None:
    issue(req)


def _spec(req: DocumentRequest) -> nd30.DocumentSpec:
    h = req.header
    authority, day = issue(req)
    return nd30.DocumentSpec(
        issuer=h.get("issuer") or authority.name,
        managing_body=h.get("managing_body", authority.managing_body),
        doc_type="BÁO CÁO",
        subject=f"{TITLE} tính đến ngày {format_date_short(req.on)}",
        place=h.get("place") or place_name(authority.unit),
        date=day,
        number=h.get("number", ""),
        symbol=h.get("symbol") or f"BC-{authority.symbol_suffix}",
        recipients=["Như trên", "Lãnh đạo đơn vị"],
        archive="VT",
        signer_authority=h.get("signer_authority", authority.signer_authority),
        signer_title=h.get("signer_title") or authority.signer_title,
        signer_name=h.get("signer_name", ""),
    )


COLUMNS = [
    nd30.Column("TT", 9, center=True),
    nd30.Column("Cấp học", 34),
    nd30.Column("Tổng số trường", 15, numeric=True),
    nd30.Column("SL", 11, numeric=True),
    nd30.Column("Tỷ lệ", 15, numeric=True),
    nd30.Column("SL", 11, numeric=True),
    nd30.Column("Tỷ lệ", 15, numeric=True),
    nd30.Column("SL", 11, numeric=True),
    nd30.Column("Tỷ lệ", 15, numeric=True),
    nd30.Column("SL", 11, numeric=True),
    nd30.Column("Tỷ lệ", 15, numeric=True),
]
GROUPS = [
    ("TT", 1),
    ("Cấp học", 1),
    ("Tổng số trường", 1),
    ("Mức độ 1", 2),
    ("Mức độ 2", 2),
    ("Tổng số đạt chuẩn", 2),
    ("Chưa đạt chuẩn", 2),
]


def _cells(c: Counts) -> list:
    t = c.total
    return [
        t,
        c.level_1,
        format_percent(c.level_1, t),
        c.level_2,
        format_percent(c.level_2, t),
        c.standard,
        format_percent(c.standard, t),
        c.none,
        format_percent(c.none, t),
    ]


def total_of(lines: list[StatLine]) -> Counts:
    """The total line is the sum of the lines shown above it (not a separate count)."""
    total = Counts()
    for line in lines:
        total.merge(line.counts)
    return total


def table_rows(lines: list[StatLine]) -> list[nd30.Row]:
    rows = [nd30.Row([i, line.label, *_cells(line.counts)]) for i, line in enumerate(lines, 1)]
    rows.append(nd30.Row(["", "Tổng cộng", *_cells(total_of(lines))], bold=True))
    return rows


def build_docx(req: DocumentRequest) -> nd30.NDDocument:
    stats = collect(req)
    # The tables have eleven columns: the document is printed landscape, as the form is.
    doc = nd30.NDDocument(_spec(req), landscape=True)
    issuer = req.header.get("issuer") or issue(req)[0].name
    where = unit_phrase(req.unit)
    day = format_date_short(req.on)
    t = stats.total
    area = ""
    located = dashboard.area_day(req.unit, req.on)
    if located != req.on:  # a unit retired before the day: its schools as it last held them
        area = f" (các trường thuộc địa bàn {where} ngày {format_date_short(located)})"
    doc.paragraph(
        f"Căn cứ sổ quyết định công nhận trường đạt chuẩn quốc gia, {issuer} báo "
        f"cáo số liệu trường đạt chuẩn quốc gia trên địa bàn {where}{area} tính đến ngày {day}"
        " như sau:"
    )
    doc.heading("I. TỔNG HỢP CHUNG")
    doc.paragraph(
        f"Toàn {where} có {format_int(t.total)} trường, trong đó {format_int(t.standard)} trường"
        f" đạt chuẩn quốc gia (chiếm {format_percent(t.standard, t.total)}): "
        f"{format_int(t.level_1)} trường Mức độ 1, {format_int(t.level_2)} trường Mức độ 2; "
        f"{format_int(t.none)} trường chưa đạt chuẩn."
    )
    doc.heading("II. SỐ LIỆU THEO CẤP HỌC")
    doc.table(
        nd30.scale_columns(COLUMNS, doc.text_width), table_rows(stats.kinds), groups=GROUPS, size=11
    )
    if stats.areas:
        doc.heading("III. SỐ LIỆU THEO ĐƠN VỊ")
        columns = [nd30.Column("Đơn vị", 34) if c.title == "Cấp học" else c for c in COLUMNS]
        groups = [("Đơn vị", 1) if g[0] == "Cấp học" else g for g in GROUPS]
        doc.table(
            nd30.scale_columns(columns, doc.text_width),
            table_rows(stats.areas),
            groups=groups,
            size=11,
        )
    note = (
        "Ghi chú: tỷ lệ tính trên tổng số trường của từng dòng, từ số trường (làm tròn 2 chữ số"
        " thập phân, quy tắc làm tròn nửa lên); dòng Tổng cộng bằng tổng các dòng."
    )
    if stats.declared_only:
        note += (
            f" Có {format_int(stats.declared_only)} trường được tính theo mức chuẩn khai báo"
            " trong danh mục trường, chưa có quyết định trong sổ công nhận."
        )
    doc.paragraph(note, italic=True)
    doc.finish(f"Trên đây là báo cáo {TITLE.lower()} của {issuer}")
    return doc


def build_xlsx(req: DocumentRequest):
    stats = collect(req)
    wb = xlsx.new_workbook()
    columns = [
        xlsx.XColumn("TT", 6, "int"),
        xlsx.XColumn("Cấp học", 36),
        xlsx.XColumn("Tổng số trường", 12, "int"),
        xlsx.XColumn("Mức độ 1 (SL)", 12, "int"),
        xlsx.XColumn("Mức độ 1 (tỷ lệ)", 12, "percent"),
        xlsx.XColumn("Mức độ 2 (SL)", 12, "int"),
        xlsx.XColumn("Mức độ 2 (tỷ lệ)", 12, "percent"),
        xlsx.XColumn("Đạt chuẩn (SL)", 12, "int"),
        xlsx.XColumn("Đạt chuẩn (tỷ lệ)", 12, "percent"),
        xlsx.XColumn("Chưa đạt (SL)", 12, "int"),
        xlsx.XColumn("Chưa đạt (tỷ lệ)", 12, "percent"),
    ]

    def cells(c: Counts) -> list:
        p = xlsx.percent_value
        t = c.total
        return [
            t,
            c.level_1,
            p(c.level_1, t),
            c.level_2,
            p(c.level_2, t),
            c.standard,
            p(c.standard, t),
            c.none,
            p(c.none, t),
        ]

    def rows(lines: list[StatLine]) -> list:
        out = [xlsx.XRow([i, line.label, *cells(line.counts)]) for i, line in enumerate(lines, 1)]
        out.append(xlsx.XRow([None, "Tổng cộng", *cells(total_of(lines))], bold=True))
        return out

    sub = f"{req.unit.name} — số liệu ngày {format_date_short(req.on)}, từ sổ quyết định công nhận"
    note = "Tỷ lệ tính từ số trường, làm tròn nửa lên 2 chữ số thập phân."
    xlsx.add_table_sheet(
        wb,
        title="Theo cấp học",
        heading=TITLE,
        subheading=sub,
        columns=columns,
        rows=rows(stats.kinds),
        note=note,
    )
    if stats.areas:
        unit_columns = [xlsx.XColumn("Đơn vị", 36) if c.title == "Cấp học" else c for c in columns]
        xlsx.add_table_sheet(
            wb,
            title="Theo đơn vị",
            heading=f"{TITLE} — theo đơn vị",
            subheading=sub,
            columns=unit_columns,
            rows=rows(stats.areas),
            note=note,
        )
    return wb
