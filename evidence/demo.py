"""A filled-in self-assessment for the demo, the tests and the benchmark: council, groups,
timeline, evidence register, every indicator judged, criterion texts citing the evidence,
per-standard texts, the documents' prose and the school data of the report's years.

Texts are built from the framework's own requirement texts ("Nhà trường đã …" + the indicator
+ its evidence codes), so they read like a report of that framework, and they are marked as
illustrative in the prose ("Nội dung minh họa"). Everything goes through the services (codes,
logs, versions) except the indicator decisions, written in one UPDATE and re-evaluated once:
130 one-by-one clicks would only slow the loader down.

It lives in evidence, the app above assessments, because it files the evidence register too
(evidence.services); the `load_assessment_demo` command lives here with it."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction

from assessments import selectors as asm_selectors
from assessments import services as asm
from assessments.documents import header
from assessments.documents import services as doc_services
from assessments.models import Assessment, CriterionSheet, GroupKind, IndicatorResult
from assessments.selectors import standard_reviews
from core import audit
from documents.common import split_division
from evidence import services as ev
from frameworks.models import Criterion
from schools import yeardata
from schools.models import SchoolYearData

ILLUSTRATIVE = "Nội dung minh họa do hệ thống tạo để trình diễn, không phải số liệu thật."
# The council of a school (regulation.md §3): principal, vice-principal, the office's head as
# secretary, the union's chair, the youth union's secretary and two heads of subject groups.
COUNCIL = (
    ("chu_tich", "Hiệu trưởng"),
    ("pho_chu_tich", "Phó Hiệu trưởng"),
    ("thu_ky", "Tổ trưởng tổ văn phòng"),
    ("uy_vien", "Chủ tịch Công đoàn"),
    ("uy_vien", "Bí thư Chi đoàn"),
    ("uy_vien", "Tổ trưởng chuyên môn"),
    ("uy_vien", "Tổ trưởng chuyên môn"),
)
# Names as found in Lai Châu's schools (Kinh, Thái, Mông, Dao, Hà Nhì); each demo school draws
# its own seven (seeded by its code), so two schools never share a council or a principal.
NAMES = (
    "Lò Văn Thắng",
    "Nguyễn Thị Hoa",
    "Vàng A Sử",
    "Lê Thị Thu Hằng",
    "Tẩn Văn Lừ",
    "Phạm Minh Đức",
    "Đỗ Thị Ngọc Ánh",
    "Lường Thị Xuân",
    "Giàng A Chứ",
    "Trần Quốc Khánh",
    "Chảo Thị Mẩy",
    "Hoàng Văn Tuấn",
    "Lý Seo Dìn",
    "Bùi Thị Minh Nguyệt",
    "Đèo Văn Hùng",
    "Vũ Thị Lan Anh",
    "Pờ Thị Mé",
    "Nguyễn Đức Long",
)
# Evidence documents: (kind, NĐ30 symbol of the kind — "" for records without a number — and
# who can issue it). A decision is never the trade union's; a school's records are its own.
SCHOOL, COMMUNE, DEPARTMENT, UNION = "school", "commune", "department", "union"
DOCS = (
    ("Kế hoạch", "KH", (SCHOOL, UNION)),
    ("Báo cáo tổng kết", "BC", (SCHOOL,)),
    ("Biên bản họp", "BB", (SCHOOL, UNION)),
    ("Quyết định", "QĐ", (SCHOOL, COMMUNE, DEPARTMENT)),
    ("Sổ theo dõi", "", (SCHOOL,)),
    ("Hồ sơ", "", (SCHOOL,)),
    ("Danh sách", "", (SCHOOL,)),
    ("Ảnh tư liệu", "", (SCHOOL,)),
)
# Words that open a criterion's title but do not name its subject ("Đối với học sinh").
_TITLE_LEADS = ("đối với ", "về ")
FILLER = (
    "Trong năm học {year}, nhà trường tiếp tục duy trì các kết quả đã đạt, rà soát định kỳ "
    "theo từng học kỳ và điều chỉnh kịp thời những nội dung chưa phù hợp với thực tế địa "
    "phương, điều kiện của nhà trường và đặc điểm học sinh vùng dân tộc thiểu số.",
    "Việc triển khai có sự phối hợp chặt chẽ giữa Ban giám hiệu, các tổ chuyên môn, tổ văn "
    "phòng, Công đoàn, Đội TNTP Hồ Chí Minh và Ban đại diện cha mẹ học sinh; kết quả được "
    "công khai trong các cuộc họp hội đồng sư phạm và lưu trong hồ sơ của nhà trường.",
    "Những tồn tại được chỉ ra trong đợt đánh giá trước đã được khắc phục một phần; nhà trường "
    "xác định các nội dung cần tiếp tục cải tiến trong kế hoạch năm học tiếp theo, gắn với "
    "nguồn lực cụ thể và người chịu trách nhiệm.",
)


@dataclass
class DemoOptions:
    evidence_per_criterion: int = 3
    evidence_total: int | None = None  # spread over the criteria instead (benchmark: 300)
    extra_paragraphs: int = 0  # filler paragraphs per level text (benchmark volume)
    # (criterion code, level): that level's first indicator is judged not met.
    gaps: tuple[tuple[str, int], ...] = (("1.6", 3), ("3.3", 3), ("5.2", 3))
    seed: int = 2025


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def council_names(school) -> list[str]:
    """Seven distinct names for this school's council, the same at every run."""
    return random.Random(f"council-{school.code}").sample(NAMES, len(COUNCIL))


def subject_of(title: str) -> str:
    """A criterion's title as the subject of a document's name: "Đối với học sinh" → "học
    sinh" (so "Hồ sơ về học sinh", never "Hồ sơ về đối với học sinh")."""
    text = _lower_first(title.strip())
    for lead in _TITLE_LEADS:
        if text.lower().startswith(lead):
            text = text[len(lead) :]
    return text.rstrip(". ")


def evidence_name(kind: str, title: str, school_year: str) -> str:
    subject = subject_of(title)
    if kind in ("Kế hoạch", "Báo cáo tổng kết"):
        return f"{kind} năm học {school_year} về {subject}"
    return f"{kind} về {subject}"


def issuer_and_symbol(who: str, school, day: dt.date) -> tuple[str, str]:
    """The issuing body's name and its abbreviation after the kind in the number (NĐ30:
    "22/KH-THHL", "117/QĐ-UBND")."""
    if who == COMMUNE:
        return header.managing_body(school, day), "UBND"
    if who == DEPARTMENT:
        province = school.unit.parent if school.unit.parent_id else school.unit
        return f"Sở GD&ĐT {split_division(province.name)[1]}", "SGDĐT"
    if who == UNION:
        return f"Công đoàn {school.name}", "CĐCS"
    return school.name, header.school_symbol(school)


@transaction.atomic
def demo_assessment(
    *,
    user,
    school,
    school_year: str,
    on_date: dt.date,
    options: DemoOptions | None = None,
) -> Assessment:
    opts = options or DemoOptions()
    rng = random.Random(opts.seed)
    assessment = asm.assessment_start(
        user=user, school=school, school_year=school_year, on_date=on_date
    ).assessment
    style = ev.style_for(assessment)
    start_year = yeardata.parse_school_year(school_year)

    for (role, title), name in zip(COUNCIL, council_names(school), strict=True):
        asm.council_member_add(
            user=user,
            assessment=assessment,
            data={"full_name": name, "title": title, "role": role},
        )
    criteria = list(
        Criterion.objects.filter(framework=assessment.framework)
        .select_related("standard")
        .order_by("position")
    )
    asm.working_group_create(
        user=user, assessment=assessment, name="Nhóm thư ký", kind=GroupKind.SECRETARIAT
    )
    by_standard: dict[str, list[Criterion]] = {}
    for c in criteria:
        by_standard.setdefault(c.standard.code, []).append(c)
    for code, crits in by_standard.items():
        asm.working_group_create(
            user=user,
            assessment=assessment,
            name=f"Nhóm công tác Tiêu chuẩn {code}",
            criteria=crits,
        )
    for n, (activity, month) in enumerate(
        (
            ("Thành lập Hội đồng tự đánh giá, xây dựng kế hoạch", 9),
            ("Tập huấn nghiệp vụ tự đánh giá", 10),
            ("Thu thập, mã hóa minh chứng", 11),
            ("Viết phiếu đánh giá tiêu chí", 12),
            ("Dự thảo báo cáo tự đánh giá", 2),
            ("Công bố báo cáo trong nội bộ nhà trường", 4),
        )
    ):
        year = start_year if month >= 8 else start_year + 1
        asm.milestone_add(
            user=user,
            assessment=assessment,
            activity=activity,
            due=dt.date(year, month, 28),
            status="done" if n < 4 else "todo",
        )

    # Evidence register: paper documents and links, dated inside the cycle.
    evidence: dict[str, list] = {}
    for index, c in enumerate(criteria):
        count = opts.evidence_per_criterion
        if opts.evidence_total is not None:
            count = opts.evidence_total // len(criteria) + (
                1 if index < opts.evidence_total % len(criteria) else 0
            )
        for k in range(count):
            kind, symbol, issuers = DOCS[(c.position + k) % len(DOCS)]
            issued = dt.date(start_year, 9, 1) + dt.timedelta(days=rng.randint(0, 250))
            who = issuers[(c.position + k) % len(issuers)]
            issuer, body = issuer_and_symbol(who, school, issued)
            number = f"{rng.randint(1, 250)}/{symbol}-{body}" if symbol else ""
            item = ev.evidence_create(
                user=user,
                assessment=assessment,
                data={
                    "first_criterion": c,
                    "name": evidence_name(kind, c.title, school_year)[:480],
                    "number": number,
                    "issued_on": issued,
                    "issuer": issuer,
                    "note": "",
                    "link": "https://truong.example.edu.vn/minh-chung" if k == 2 else "",
                },
            )
            evidence.setdefault(c.code, []).append(item)

    # Indicator decisions: everything met but the declared gaps.
    results = list(
        IndicatorResult.objects.filter(assessment=assessment).select_related(
            "indicator", "indicator__criterion"
        )
    )
    first_at: dict[tuple[str, int], str] = {}
    for r in sorted(results, key=lambda r: r.indicator.position):
        if r.indicator.criterion is not None:
            first_at.setdefault((r.indicator.criterion.code, r.indicator.level), r.indicator.ident)
    unmet = {first_at[g] for g in opts.gaps if g in first_at}
    met_ids = [r.pk for r in results if r.indicator.ident not in unmet]
    IndicatorResult.objects.filter(pk__in=met_ids).update(met=True)
    IndicatorResult.objects.filter(assessment=assessment).exclude(pk__in=met_ids).update(met=False)
    # Audit (core.audit): update() bypasses save(); the decided results' history in one go.
    audit.bulk_history(
        list(IndicatorResult.objects.filter(assessment=assessment)),
        reason="load_assessment_demo",
        update=True,
    )
    live = asm_selectors.live_levels(assessment)
    sheets = {
        s.criterion.code: s
        for s in CriterionSheet.objects.filter(assessment=assessment).select_related(
            "criterion", "assessment", "assessment__school", "assessment__school__unit"
        )
    }
    for code, sheet in sheets.items():
        CriterionSheet.objects.filter(pk=sheet.pk).update(
            level=live.criteria[code].level, filled=True
        )
    Assessment.objects.filter(pk=assessment.pk).update(computed_level=live.school_level)

    # Criterion texts citing the evidence, strengths, weaknesses, improvement actions.
    for c in criteria:
        sheet = sheets[c.code]
        items = evidence.get(c.code, [])
        state: dict[str, str] = {}
        inds = [r.indicator for r in results if r.indicator.criterion_id == c.pk]
        for level in sorted({i.level for i in inds}):
            lines = []
            for n, ind in enumerate(i for i in inds if i.level == level):
                cited = [items[(n + level) % len(items)].code] if items else []
                codes = f" {style.show_many(cited)}" if cited else ""
                body = _lower_first((ind.text or "đáp ứng yêu cầu của chỉ báo").rstrip(";. "))
                if ind.ident not in unmet:
                    lines.append(f"Nhà trường đã bảo đảm yêu cầu: {body}{codes}.")
                else:
                    lines.append(
                        f"Nhà trường chưa đáp ứng đầy đủ yêu cầu: {body}; nội dung này được đưa "
                        f"vào kế hoạch cải tiến{codes}."
                    )
            for k in range(opts.extra_paragraphs):
                lines.append(FILLER[k % len(FILLER)].format(year=school_year))
            state[str(level)] = "\n".join(lines)
        sheet = CriterionSheet.objects.get(pk=sheet.pk)
        asm.sheet_save(
            user=user,
            sheet=sheet,
            version=sheet.version,
            data={
                "current_state": state,
                "strengths": f"Nhà trường thực hiện tốt yêu cầu về {_lower_first(c.title)}; "
                "hồ sơ đầy đủ, được lưu trữ khoa học.",
                "weaknesses": (
                    "Một số nội dung chưa được rà soát thường xuyên; việc ứng dụng công nghệ "
                    "thông tin trong lưu trữ hồ sơ còn hạn chế."
                ),
                "actions": [
                    {
                        "action": f"Tiếp tục rà soát, bổ sung hồ sơ về {_lower_first(c.title)}",
                        "responsible": f"Nhóm công tác Tiêu chuẩn {c.standard.code}",
                        "start": dt.date(start_year + 1, 1, 1),
                        "end": dt.date(start_year + 1, 5, 31),
                        "resources": "Kinh phí chi thường xuyên của nhà trường",
                        "expected_evidence": "Kế hoạch, biên bản rà soát",
                    }
                ],
            },
        )
        for item in items:
            # Already written in the text; linking on the sheet is what the picker does too.
            ev.evidence_cite(user=user, evidence=item, sheet=sheets[c.code])

    for code, review in standard_reviews(assessment=assessment).items():
        data = {
            "intro": f"Tiêu chuẩn {code} gồm {len(by_standard.get(code, []))} tiêu chí. Nhà "
            "trường đã chủ động triển khai các nội dung của tiêu chuẩn, gắn với kế hoạch năm "
            "học và điều kiện thực tế của địa phương.",
            "strengths": "Đội ngũ tâm huyết, hồ sơ đầy đủ, có sự phối hợp tốt với địa phương.",
            "weaknesses": "Cơ sở vật chất một số điểm trường lẻ còn thiếu.",
            "causes": "Địa bàn rộng, giao thông khó khăn; nguồn kinh phí còn hạn hẹp.",
            "direction": "Tham mưu UBND xã bố trí kinh phí; huy động xã hội hóa theo từng năm.",
            "conclusion": "",
        }
        asm.standard_review_save(
            user=user,
            assessment=assessment,
            standard=review.standard,
            data=data,
            version=review.version,
        )

    doc_services.assessment_prose_save(
        user=user,
        assessment=Assessment.objects.get(pk=assessment.pk),
        version=0,
        texts={
            "context": (
                f"{school.name} đóng trên địa bàn {school.unit.name}, "
                f"{school.unit.parent.name if school.unit.parent_id else ''}. "
                f"{ILLUSTRATIVE}"
            ),
            "proposals": "Đề nghị Sở Giáo dục và Đào tạo tổ chức đánh giá ngoài.",
            "proposals_commune": "Đề nghị UBND xã tiếp tục quan tâm đầu tư cơ sở vật chất.",
            "conditions": {"cohort_completed": True},
        },
    )
    _school_data(school, yeardata.last_school_years(school_year, 5), rng)
    return Assessment.objects.get(pk=assessment.pk)


def _school_data(school, years: list[str], rng: random.Random) -> None:
    """Plausible figures for the report's years (skipped where the school already has some)."""
    schema = yeardata.schema_for(school.kind)
    existing = set(
        SchoolYearData.objects.filter(school=school, school_year__in=years).values_list(
            "school_year", flat=True
        )
    )
    for n, year in enumerate(years):
        if year in existing:
            continue
        values: dict[str, int] = {}
        pupils = 0
        for row in schema.rows:
            if row.is_total:
                continue
            key = row.key
            if key.startswith("cls_"):
                values[key] = 2 + (n + len(key)) % 2
            elif key.startswith("pup_") and key[4:].replace("mg", "").replace("nt", "0").isdigit():
                values[key] = 50 + rng.randint(0, 15)
                pupils += values[key]
        values |= {
            "room_solid": 10 + n,
            "room_semi": max(0, 4 - n),
            "room_temp": 1 if n < 2 else 0,
            "room_function": 2 + n // 2,
            "staff_managers": 3,
            "staff_teachers": 24 + n,
            "staff_employees": 4,
            "teachers_qualified": 22 + n,
            "teachers_above": 15 + n,
            "teachers_female": 14,
            "teachers_ethnic": 9,
            "pup_female": pupils // 2,
            "pup_ethnic": pupils * 9 // 10,
            "pup_boarding": pupils // 3,
            "pup_disabled": 2,
            "pup_new": pupils // 5,
        }
        for key in schema.input_keys:
            if key.startswith("res_") and key not in values:
                values[key] = (
                    pupils // 5
                    if key.endswith(("done", "grad"))
                    else (pupils - 3 if key == "res_promoted" else 4)
                )
        values = {k: v for k, v in values.items() if k in set(schema.input_keys)}
        SchoolYearData.objects.create(
            school=school, school_year=year, values={k: int(v) for k, v in values.items()}
        )
