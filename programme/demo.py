"""Demo data of the programme, continuing schools/management/demo.py (run load_demo first):
- recognition decisions consistent with the seeds' counts (Phong Thổ 14 standard = 13 Mức độ 1
  + 1 Mức độ 2 in mid-2021; Ninh Giang's 43 standard schools at the end of 2016; Bình Lãng 2;
  Trạm Tấu 8). The seeds give no decision numbers or dates: every decision here is
  ILLUSTRATIVE (number "MH-…", note says so);
- the plans of seeds 000, 001, 002 and 004 with their per-school yearly targets (from the
  "plan_targets" of schools/demo_data/*.json) and unit targets;
- seed 000's investment table exactly (I: 9.765, II: 5.000, construction 14.765; equipment
  1.915 million đồng, a unit-level row because the seed gives only the total);
- Trạm Tấu's 2025 monthly reports, some months deliberately missing, and two reminders;
- re-recognitions (ILLUSTRATIVE too, note says so): a certificate lasts 5 years, so each
  recognition above is followed by "công nhận lại" decisions dated within a few months before
  its expiry (in its expiry year), until one is in force today — the demo looks like a province
  that keeps its schools recognised, not like one whose 2016–2021 recognitions all lapsed.
  Seed 000's district gets none in 2021 (its 2021 report is unchanged); Ninh Giang's fall in
  the years of seed 004 §2.1; Trạm Tấu's school that lapsed at the end of 2025 is re-recognised
  in 2026;
- two illustrative schools of Ninh Giang (TH Tân Hương, TH Ứng Hòe): seed 004 names only four
  "xã trắng" in 2016, so communes Tân Hương and Ứng Hòe had a standard school outside the lists
  2.1–2.3 (recognised 2011, re-recognised 2016, hence in no list of 2017–2020).

Idempotent: plans are keyed by (unit, kind, title), targets by their unique key, projects by
(plan, name, school), decisions by (school, number, date); running it twice the same day
changes nothing. The demo owns its "MH-…" decisions: one it no longer makes is deleted."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core import audit
from programme import plans
from programme.models import (
    FundingSource,
    InvestmentCategory,
    InvestmentProject,
    InvestmentStatus,
    MonthlyReport,
    PlanActivity,
    PlanKind,
    PlanSchoolTarget,
    PlanStatus,
    PlanUnitTarget,
    ProgrammePlan,
    Reminder,
    TargetKind,
)
from recognition import rules
from recognition.models import RecognitionDecision
from recognition.services import refresh_standard_levels
from schools.management.demo import DATA_DIR, REFORM_DATE, DemoDataError
from schools.models import School, SchoolLocation
from units.models import AdminUnit

ILLUSTRATIVE = (
    "Dữ liệu minh họa: số và ngày quyết định không có trong văn bản gốc; chỉ trạng thái đạt "
    "chuẩn (số trường, mức độ) lấy từ văn bản {source}."
)
RENEWED = (
    "Dữ liệu minh họa: quyết định công nhận lại giả định (văn bản {source} không có), ký trong "
    "vài tháng trước khi công nhận trước hết hiệu lực 5 năm, để dữ liệu mẫu hôm nay giống một "
    "địa phương vẫn duy trì trường đạt chuẩn."
)
RENEWED_LATE = (
    "Dữ liệu minh họa: công nhận trước hết hiệu lực cuối năm 2025 (văn bản {source}: «các trường "
    "hết thời hạn công nhận trong năm 2025»); quyết định công nhận lại sau khi hết hạn là giả "
    "định."
)

SEED_000 = "000_9121dc382680020c.txt"
SEED_001 = "001_8af12c4f00c65269.txt"
SEED_002 = "002_738ee5ea9a2f81d5.txt"
SEED_004 = "004_2ccbb8abfa78d1f4.txt"


def _records(name: str) -> list[dict]:
    return json.loads((DATA_DIR / f"{name}.json").read_text(encoding="utf-8"))["schools"]


def _schools(records: list[dict]) -> dict[str, School]:
    codes = [r["code"] for r in records]
    found = {s.code: s for s in School.objects.filter(code__in=codes).select_related("unit")}
    missing = sorted(set(codes) - found.keys())
    if missing:
        raise DemoDataError(
            "Chưa nạp trường học mẫu. Hãy chạy trước: python manage.py load_demo "
            f"(thiếu {len(missing)} trường, ví dụ: {', '.join(missing[:3])})."
        )
    return found


def _unit(uid: str) -> AdminUnit:
    unit = AdminUnit.objects.filter(uid=uid).first()
    if unit is None:
        raise DemoDataError(
            f"Thiếu đơn vị hành chính {uid}. Hãy chạy trước: python manage.py load_units"
        )
    return unit


@dataclass
class _Run:
    """Counts of what this run created, and the demo decisions it keeps (all others with an
    "MH-" number on the demo's schools are leftovers of an earlier version and go)."""

    today: dt.date
    counts: dict[str, int] = field(default_factory=lambda: {"decisions": 0, "monthly_reports": 0})
    keep: set[tuple[int, str, dt.date]] = field(default_factory=set)

    def __getitem__(self, key: str) -> int:
        return self.counts[key]

    def __setitem__(self, key: str, value: int) -> None:
        self.counts[key] = value


def _number(school: School, seq: int, step: int = 0) -> str:
    prefix = school.code.split("-")[0]
    return f"MH-{seq:03d}/QĐ-{prefix}" if not step else f"MH-L{step}-{seq:03d}/QĐ-{prefix}"


def _decision(
    run: _Run,
    school: School,
    kind: str,
    signed_on: dt.date,
    level: int | None,
    seq: int,
    source: str,
    *,
    number: str = "",
    note: str = "",
) -> bool:
    number = number or _number(school, seq)
    run.keep.add((school.pk, number, signed_on))
    _, created = RecognitionDecision.objects.get_or_create(
        school=school,
        number=number,
        signed_on=signed_on,
        defaults={
            "kind": kind,
            "level": level,
            "signing_body": "UBND tỉnh (minh họa)",
            "note": note or ILLUSTRATIVE.format(source=source),
        },
    )
    run["decisions"] += created
    return created


def _renew_until_today(
    run: _Run,
    school: School,
    signed_on: dt.date,
    level: int | None,
    seq: int,
    source: str,
    *,
    late_months: int = 0,
    stop: dt.date | None = None,
) -> None:
    """Illustrative re-recognitions after the decision of `signed_on`, until one is in force
    today (or on `stop`, when a later decision — an upgrade — takes over): each 1–4 months
    before the previous certificate expires, within its expiry year (late_months > 0: the
    first one that many months after it lapsed)."""
    last, step = signed_on, 0
    while (until := rules.valid_until(rules.STANDARD_RENEWAL, last)) < (stop or run.today):
        step += 1
        if late_months and step == 1:
            day, note = rules.add_months(until, late_months), RENEWED_LATE.format(source=source)
        else:
            before = rules.add_months(until, -(1 + (seq + step) % 4))
            day = min(until, max(before, dt.date(until.year, 1, 2)))
            note = RENEWED.format(source=source)
        if day > (stop or run.today):
            break
        _decision(
            run,
            school,
            rules.STANDARD_RENEWAL,
            day,
            level,
            seq,
            source,
            number=_number(school, seq, step),
            note=note,
        )
        last = day


def _recognised(
    run: _Run, school: School, signed_on: dt.date, level: int, seq: int, source: str, **renew
) -> None:
    """A school's first recognition and its re-recognitions until today."""
    _decision(run, school, rules.STANDARD_NEW, signed_on, level, seq, source)
    _renew_until_today(run, school, signed_on, level, seq, source, **renew)


def _plan(unit: AdminUnit, kind: str, title: str, **fields) -> ProgrammePlan:
    plan, _ = ProgrammePlan.objects.update_or_create(
        unit=unit, kind=kind, title=title, defaults=fields
    )
    return plan


def _target(plan: ProgrammePlan, school: School, year: int | None, target: str, note: str = ""):
    PlanSchoolTarget.objects.update_or_create(
        plan=plan, school=school, year=year, target=target, defaults={"note": note}
    )


def _unit_targets(plan: ProgrammePlan, rows: list[tuple]) -> None:
    # Owned by the demo: replaced so that a re-run mirrors this file.
    plan.unit_targets.all().delete()
    for order, row in enumerate(rows, start=1):
        label, year, value, value_max, measure, note, *more = row
        metric = more[0] if more else ""
        comparator = more[1] if len(more) > 1 else ""
        PlanUnitTarget.objects.create(
            plan=plan,
            label=label,
            year=year,
            value=Decimal(value),
            value_max=Decimal(value_max) if value_max is not None else None,
            measure=measure,
            note=note,
            metric=metric,
            comparator=comparator,
            order=order,
        )


TARGET_OF = {("new", 1): TargetKind.NEW_1, ("new", 2): TargetKind.NEW_2}


def _json_target(t: dict) -> str:
    if t["target"] == "new":
        return TARGET_OF[("new", t.get("level") or 1)]
    return {"re_recognition": TargetKind.RE_RECOGNITION, "upgrade": TargetKind.UPGRADE}[t["target"]]


# ---------------------------------------------------------------------------------------------
# Phong Thổ (seed 000)

# Seed 000's table, row by row: (school code, name, scale, million đồng). Funding sources are
# not in the seed.
PHONG_THO_UPGRADES = (
    (
        "LC-PT-THCS-DAOSAN",
        "Nâng cấp, mở rộng cơ sở vật chất trường PTDTBT THCS Dào San",
        "Nâng cấp 7 phòng hiệu bộ (S=60m2) và các hạng mục phụ trợ khác",
        "5900",
    ),
    (
        "LC-PT-TH-THITRAN",
        "Cải tạo, nâng cấp cơ sở vật chất khu trung tâm và điểm trường Vàng Khon trường tiểu "
        "học thị trấn Phong Thổ",
        "Sửa chữa nhà hiệu bộ, 01 phòng học tiếng anh; nhà lớp học 4 phòng",
        "950",
    ),
    (
        "LC-PT-TH-HUOILUONG",
        "Cải tạo, nâng cấp cơ sở vật chất trường PTDTBT tiểu học Huổi Luông",
        "Sửa chữa nhà hiệu bộ, nâng cấp nhà để xe, tường rào, sân bê tông",
        "850",
    ),
    (
        "LC-PT-THCS-HUOILUONG",
        "Cải tạo, nâng cấp cơ sở vật chất trường PTDTBT THCS Huổi Luông",
        "Nâng cấp tường rào, nhà bảo vệ; sửa chữa nhà bán trú, bể nước",
        "680",
    ),
    (
        "LC-PT-THCS-THITRAN",
        "Cải tạo, nâng cấp trường THCS thị trấn Phong Thổ",
        "Cải tạo, nâng cấp trường THCS thị trấn Phong Thổ",
        "935",
    ),
    (
        "LC-PT-TH-DOANKET",
        "Nâng cấp, sửa chữa trường PTDTBT TH Đoàn Kết",
        "Nâng cấp tường rào, nhà vệ sinh",
        "450",
    ),
)
PHONG_THO_NEW = (
    (
        "LC-PT-TH-HUOILUONG",
        "Nhà lớp học trường PTDTBT TH Huổi Luông",
        "Xây mới 05 phòng học",
        "5000",
    ),
)
PHONG_THO_EQUIPMENT = Decimal("1915")
FUNDING_NOTE = "Văn bản 000 không ghi nguồn vốn: ghi «ngân sách nhà nước» là giả định."


def _phong_tho(run: _Run) -> None:
    records = _records("phong_tho")
    schools = _schools(records)
    district = _unit("HD109")
    scheme = _plan(
        district,
        PlanKind.SCHEME,
        "Đề án xây dựng trường chuẩn Quốc gia huyện Phong Thổ giai đoạn 2021-2025",
        number="5375/QĐ-UBND",
        issued_on=dt.date(2020, 12, 30),
        issuing_body="UBND huyện Phong Thổ",
        start_year=2021,
        end_year=2025,
        legal_basis=(
            "Nghị quyết số 129/NQ-HĐND ngày 17/12/2020 của HĐND huyện về việc thông qua Đề án "
            "xây dựng trường đạt chuẩn Quốc gia huyện Phong Thổ, giai đoạn 2021-2025."
        ),
        goals="Duy trì 14/14 trường đạt chuẩn (13 trường mức độ I, 01 trường mức độ II).",
        status=PlanStatus.FINISHED,
        note=f"Nguồn: {SEED_000} (Quyết định số 5375/QĐ-UBND ngày 30/12/2020 phê duyệt Đề án).",
    )
    plan = _plan(
        district,
        PlanKind.PLAN,
        "Kế hoạch xây dựng trường đạt chuẩn Quốc gia huyện Phong Thổ năm 2021",
        parent=scheme,
        number="23/KH-UBND",
        issued_on=dt.date(2021, 1, 17),
        issuing_body="UBND huyện Phong Thổ",
        start_year=2021,
        end_year=2021,
        legal_basis="Đề án xây dựng trường chuẩn Quốc gia giai đoạn 2021-2025 (QĐ 5375/QĐ-UBND).",
        goals=(
            "Duy trì 14/14 trường đạt chuẩn. Năm 2021, xây dựng 04 trường đạt chuẩn quốc gia: "
            "Trường PTDTBT TH Đoàn Kết, PTDTBT TH Huổi Luông, PTDTBT THCS Dào San đạt chuẩn "
            "quốc gia mức độ 1, nâng mức độ Trường Tiểu học Thị Trấn đạt chuẩn quốc gia mức độ 2."
        ),
        status=PlanStatus.FINISHED,
        note=f"Nguồn: {SEED_000}.",
    )
    _unit_targets(
        plan,
        [
            (
                "Duy trì trường đạt chuẩn quốc gia",
                2021,
                "14",
                None,
                "trường",
                "14/14 trường",
                plans.METRIC_STANDARD_COUNT,
            ),
            ("Xây dựng mới, nâng mức trường đạt chuẩn", 2021, "4", None, "trường", ""),
        ],
    )
    # 14 standard schools in mid-2021: decisions signed 2017–2020 so that they are in force
    # on 01/07/2021 (and on 31/12/2021, for the "maintain" targets); re-recognised 2022–2025.
    standard = [r for r in records if r["standard_level"]]
    upgraded = {c: day for c, kind, day, _lv in PHONG_THO_2021 if kind == rules.STANDARD_UPGRADE}
    for i, r in enumerate(standard):
        signed = dt.date(2017 + i % 4, 3 + i % 9, 10 + i % 15)
        school, level = schools[r["code"]], r["standard_level"]
        if r["code"] in upgraded:  # its upgrade (2021) restarts the chain of renewals
            _decision(run, school, rules.STANDARD_NEW, signed, level, i + 1, SEED_000)
            _renew_until_today(
                run, school, signed, level, i + 1, SEED_000, stop=upgraded[r["code"]]
            )
        else:
            _recognised(run, school, signed, level, i + 1, SEED_000)
        _target(plan, schools[r["code"]], 2021, TargetKind.MAINTAIN)
    for r in records:
        for t in r.get("plan_targets", []):
            _target(plan, schools[r["code"]], t["year"], _json_target(t))

    _phong_tho_after_2021(run, schools, records)
    # Seed 000, II.2: "Thực hiện Kiểm tra kỹ thuật các trường dự kiến đạt chuẩn được 04/04
    # trường theo kế hoạch." (the day is not in the seed: within the first half of 2021).
    PlanActivity.objects.update_or_create(
        plan=plan,
        description="Kiểm tra kỹ thuật các trường dự kiến đạt chuẩn",
        defaults={
            "done_on": dt.date(2021, 5, 20),
            "done_count": 4,
            "planned_count": 4,
            "measure": "trường",
            "note": f"{SEED_000}; ngày thực hiện là giả định.",
        },
    )

    for order, (code, name, scale, amount) in enumerate(PHONG_THO_UPGRADES, start=1):
        _project(plan, schools[code], name, InvestmentCategory.UPGRADE_REPAIR, scale, amount, order)
    for order, (code, name, scale, amount) in enumerate(PHONG_THO_NEW, start=1):
        _project(plan, schools[code], name, InvestmentCategory.NEW_BUILD, scale, amount, order)
    InvestmentProject.objects.update_or_create(
        plan=plan,
        school=None,
        name="Mua sắm trang bị thiết bị dạy học",
        defaults={
            "unit": district,
            "category": InvestmentCategory.EQUIPMENT,
            "scale": "Các trường trên địa bàn huyện",
            "total_million": PHONG_THO_EQUIPMENT,
            "funding_source": FundingSource.BUDGET,
            "year": 2021,
            "status": InvestmentStatus.IN_PROGRESS,
            "order": 1,
            "note": (
                f"{SEED_000}: «Kinh phí mua sắm trang bị thiết bị dạy học: 1.915 triệu đồng» "
                "(chỉ có tổng, không chia theo trường). " + FUNDING_NOTE
            ),
        },
    )


# Seed 003 (Thông báo 122/TB-UBND, 25/8/2023): "tổng 22 trường đạt chuẩn trên toàn huyện
# (trong năm 2022 được công nhận mới 4 trường: 1 trường mầm non, 2 trường tiểu học, 1 trường
# PTDTNT)". From seed 000's 14 in mid-2021: the 2021 plan is carried out in the second half
# (3 new, 1 upgrade: 17), 4 new in 2022 (21), 1 new in 2023 before the conference (22). Which
# schools and every date are ILLUSTRATIVE (the seeds name only the 2021 ones).
PHONG_THO_2021 = (
    ("LC-PT-TH-DOANKET", rules.STANDARD_NEW, dt.date(2021, 11, 15), 1),
    ("LC-PT-TH-HUOILUONG", rules.STANDARD_NEW, dt.date(2021, 11, 15), 1),
    ("LC-PT-THCS-DAOSAN", rules.STANDARD_NEW, dt.date(2021, 12, 6), 1),
    ("LC-PT-TH-THITRAN", rules.STANDARD_UPGRADE, dt.date(2021, 12, 6), 2),
)
PHONG_THO_2022 = (
    ("LC-PT-MN-LANHITHANG", dt.date(2022, 10, 20)),
    ("LC-PT-TH-MOSISAN", dt.date(2022, 11, 8)),
    ("LC-PT-TH-PAVAYSU", dt.date(2022, 11, 8)),
    ("LC-PT-PTDTNT", dt.date(2022, 12, 12)),
)
PHONG_THO_2023 = (("LC-PT-THCS-HUOILUONG", dt.date(2023, 5, 16)),)
SEED_003 = "003_2315fccef1cbee4c.txt"
PTDTNT_NOTE = (
    "Trường minh họa: văn bản {source} nêu 1 trường PTDTNT được công nhận mới năm 2022 trên "
    "địa bàn huyện Phong Thổ; văn bản {seed_000} (48/48 đơn vị trường học trực thuộc huyện, "
    "7/2021) không tính trường do Sở quản lý, nên trường chỉ được ghi vào địa bàn từ năm học "
    "2021-2022 để số liệu của cả hai văn bản cùng đúng. Tên trường và quyết định là giả định."
)


def _phong_tho_after_2021(run: _Run, schools: dict[str, School], records: list[dict]) -> None:
    seq = 100
    for code, kind, signed, level in PHONG_THO_2021:
        seq += 1
        school = schools[code]
        if kind == rules.STANDARD_NEW:
            _recognised(run, school, signed, level, seq, SEED_000)
        else:
            _decision(run, school, kind, signed, level, seq, SEED_000)
            _renew_until_today(run, school, signed, level, seq, SEED_000)
    schools = dict(schools, **{"LC-PT-PTDTNT": _phong_tho_ptdtnt()})
    for code, signed in PHONG_THO_2022 + PHONG_THO_2023:
        seq += 1
        _recognised(run, schools[code], signed, 1, seq, SEED_003)


def _phong_tho_ptdtnt() -> School:
    current, old = _unit("W03549"), _unit("HW03549")
    school, _ = School.objects.update_or_create(
        code="LC-PT-PTDTNT",
        defaults={
            "name": "Trường PTDTNT THCS huyện Phong Thổ",
            "kind": "THCS",
            "special_type": "PTDTNT",
            "ownership": "cong_lap",
            "managing_body": "Sở GD&ĐT Lai Châu",
            "unit": current,
            "standard_level": 1,
            "is_illustrative": True,
            "note": PTDTNT_NOTE.format(source=SEED_003, seed_000=SEED_000),
        },
    )
    school.locations.all().delete()
    locations = SchoolLocation.objects.bulk_create(
        [
            SchoolLocation(
                school=school, unit=old, valid_from=dt.date(2021, 8, 1), valid_to=REFORM_DATE
            ),
            SchoolLocation(school=school, unit=current, valid_from=REFORM_DATE),
        ]
    )
    audit.bulk_history(locations, reason="load_programme_demo")  # audit: bulk write
    return school


def _project(
    plan: ProgrammePlan,
    school: School,
    name: str,
    category: str,
    scale: str,
    amount: str,
    order: int,
) -> None:
    InvestmentProject.objects.update_or_create(
        plan=plan,
        school=school,
        name=name,
        defaults={
            "unit": school.unit,
            "category": category,
            "scale": scale,
            "total_million": Decimal(amount),
            "funding_source": FundingSource.BUDGET,
            "year": 2021,
            "status": InvestmentStatus.IN_PROGRESS,
            "order": order,
            "criteria_codes": "3.1, 3.3" if category != InvestmentCategory.EQUIPMENT else "",
            "note": f"{SEED_000}, bảng «Đầu tư cơ sở vật chất cho các trường». {FUNDING_NOTE} "
            "Tiêu chí liên quan là minh họa.",
        },
    )


# ---------------------------------------------------------------------------------------------
# Ninh Giang (seed 004)


def _ninh_giang(run: _Run) -> None:
    records = _records("ninh_giang")
    schools = _schools(records)
    plan = _plan(
        _unit("HD299"),
        PlanKind.PLAN,
        "Kế hoạch thực hiện Đề án «Xây dựng trường đạt chuẩn quốc gia ở các cấp học trên địa "
        "bàn huyện, giai đoạn 2016-2020»",
        number="",
        issued_on=None,
        issuing_body="UBND huyện Ninh Giang",
        start_year=2016,
        end_year=2020,
        legal_basis=(
            "Kế hoạch số 2827/KH-UBND ngày 01/11/2016 của Ủy ban nhân dân tỉnh Hải Dương; Đề án "
            "số 12-ĐA/HU ngày 05/12/2016 của Ban Thường vụ Huyện uỷ Ninh Giang."
        ),
        goals=(
            "Tiếp tục duy trì và nâng cao chất lượng của các trường đạt chuẩn quốc gia ở các cấp "
            "học, nâng cao số lượng trường đạt chuẩn quốc gia qua từng năm gắn với phong trào "
            "xây dựng nông thôn mới. Công nhận lại 100% số trường đã đạt chuẩn; xóa 4 xã trắng "
            "về trường đạt chuẩn quốc gia: An Đức, Kiến Quốc, Đông Xuyên, Quang Hưng."
        ),
        status=PlanStatus.FINISHED,
        note=(
            f"Nguồn: {SEED_004}. Văn bản không ghi số và ngày ban hành. Mục 2.3 (nâng mức độ 1 "
            "lên mức độ 2) không ghi năm: chỉ tiêu tính cho cả giai đoạn."
        ),
    )
    _unit_targets(
        plan,
        [
            (
                "Cán bộ quản lý giáo dục trường học có trình độ đại học",
                2020,
                "100",
                None,
                "%",
                "",
                plans.METRIC_MANAGERS_UNIVERSITY,
            ),
            (
                "Cán bộ quản lý giáo dục, giáo viên có trình độ đại học và trên đại học",
                2020,
                "80",
                None,
                "%",
                "trên 80% năm 2020",
                plans.METRIC_STAFF_UNIVERSITY,
                plans.ABOVE,
            ),
            ("Có trình độ thạc sĩ và tiến sĩ", 2020, "5", "8", "%", "từ 5 đến 8%"),
            (
                "Cán bộ quản lý, giáo viên được bồi dưỡng thường xuyên hàng năm",
                None,
                "100",
                None,
                "%",
                "",
            ),
            (
                "Giáo viên dạy ngoại ngữ đạt chuẩn năng lực ngoại ngữ",
                None,
                "100",
                None,
                "%",
                "",
            ),
            ("Công nhận lại số trường đã đạt chuẩn", None, "100", None, "%", "mục 2.1"),
            (
                "Xóa xã trắng về trường đạt chuẩn quốc gia",
                2020,
                "4",
                None,
                "xã",
                "An Đức, Kiến Quốc, Đông Xuyên, Quang Hưng",
            ),
        ],
    )
    seq = 0
    for r in records:
        school = schools[r["code"]]
        targets = r.get("plan_targets", [])
        for t in targets:
            _target(plan, school, t["year"], _json_target(t))
        if r["standard_level"]:
            # Recognised before the plan; a school due for re-recognition in year Y was
            # recognised in Y - 5 (certificates last 5 years) and is re-recognised in Y. One in
            # no list of 2.1 (TH Hồng Phong, only in 2.3) was recognised in 2011 and renewed in
            # 2016, before the plan's lists.
            renewal = [t["year"] for t in targets if t["target"] == "re_recognition"]
            year = (renewal[0] - 5) if renewal else 2011
            seq += 1
            _recognised(run, school, dt.date(year, 6, 15), r["standard_level"], seq, SEED_004)
    for code, name, old_uid in NINH_GIANG_EXTRA:
        # Recognised 2011, re-recognised 2016 (before the plan's lists), 2021, 2026.
        seq += 1
        school = _extra_school(code, name, _unit(old_uid), _unit("W11164"))
        _recognised(run, school, dt.date(2011, 6, 15), 1, seq, SEED_004)


# Seed 004 names four "xã trắng" (An Đức, Kiến Quốc, Đông Xuyên, Quang Hưng): Tân Hương and Ứng
# Hòe therefore had a standard school in 2016, which the seed's lists do not name (recognised
# 2011, re-recognised 2016). The demo adds one ILLUSTRATIVE primary school to each.
NINH_GIANG_EXTRA = (
    ("HP-NG-TH-TANHUONG", "Trường Tiểu học Tân Hương", "HW11179"),
    ("HP-NG-TH-UNGHOE", "Trường Tiểu học Ứng Hòe", "HW11161"),
)
EXTRA_NOTE = (
    "Trường minh họa: văn bản {source} chỉ nêu 4 xã trắng (An Đức, Kiến Quốc, Đông Xuyên, Quang "
    "Hưng) nên xã {commune} có trường đạt chuẩn năm 2016 ngoài danh sách 2.1–2.3; tên trường, "
    "cấp học và các quyết định là giả định. Xã hiện nay là ánh xạ ước đoán, cần xác minh."
)


def _extra_school(code: str, name: str, old: AdminUnit, current: AdminUnit) -> School:
    school, _ = School.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "kind": "TH",
            "ownership": "cong_lap",
            "managing_body": f"UBND {current.name[:1].lower()}{current.name[1:]}",
            "unit": current,
            "standard_level": 1,
            "is_illustrative": True,
            "note": EXTRA_NOTE.format(source=SEED_004, commune=old.name.removeprefix("Xã ")),
        },
    )
    # Locations are owned by the demo (as in schools/management/demo.py): replaced each run.
    school.locations.all().delete()
    locations = SchoolLocation.objects.bulk_create(
        [
            SchoolLocation(school=school, unit=old, valid_to=REFORM_DATE),
            SchoolLocation(school=school, unit=current, valid_from=REFORM_DATE, is_guess=True),
        ]
    )
    audit.bulk_history(locations, reason="load_programme_demo")  # audit: bulk write
    return school


# ---------------------------------------------------------------------------------------------
# Bình Lãng (seed 001)


def _binh_lang(run: _Run) -> None:
    records = _records("binh_lang")
    schools = _schools(records)
    plan = _plan(
        _unit("HW11092"),
        PlanKind.PLAN,
        "Thực hiện Đề án của Đảng ủy về «Tiếp tục xây dựng và nâng cao chất lượng các tiêu chí "
        "Trường chuẩn Quốc gia giai đoạn 2021-2025»",
        number="",
        issued_on=dt.date(2021, 3, 2),
        issuing_body="UBND xã Bình Lãng",
        start_year=2021,
        end_year=2025,
        legal_basis="Đề án số 07-ĐA/ĐU ngày 05/11/2020 của BCH Đảng bộ xã Bình Lãng.",
        goals=(
            "Xây dựng các trường phát triển thêm một mức: Trường Tiểu học và Mầm Non đạt chuẩn "
            "Quốc gia mức độ II, trường THCS đạt chuẩn Quốc gia mức độ I."
        ),
        status=PlanStatus.FINISHED,
        note=f"Nguồn: {SEED_001}. Văn bản không ghi số.",
    )
    _unit_targets(
        plan,
        [
            (
                "Trường đạt chuẩn quốc gia mức độ II (Tiểu học, Mầm non)",
                2024,
                "2",
                None,
                "trường",
                "Tiểu học cuối năm 2023; Mầm non năm 2024",
            ),
            ("Trường THCS đạt chuẩn quốc gia mức độ I", 2024, "1", None, "trường", ""),
            ("Sơ kết giữa nhiệm kỳ", 2023, "1", None, "lần", "cuối năm 2023"),
        ],
    )
    for i, r in enumerate(records):
        for t in r.get("plan_targets", []):
            _target(plan, schools[r["code"]], t["year"], _json_target(t))
        if r["standard_level"]:
            signed = dt.date(2019, 5, 20 + i)
            _recognised(run, schools[r["code"]], signed, r["standard_level"], i + 1, SEED_001)


# ---------------------------------------------------------------------------------------------
# Trạm Tấu (seed 002)

TRAM_TAU_PROGRESS = (
    "Rà soát các chỉ báo, tiêu chí theo tiêu chuẩn trường đạt chuẩn quốc gia; cập nhật kế "
    "hoạch cải tiến chất lượng."
)


def _tram_tau(run: _Run) -> None:
    records = _records("tram_tau")
    schools = _schools(records)
    plan = _plan(
        _unit("HD139"),
        PlanKind.PLAN,
        "Kế hoạch công tác xây dựng trường đạt chuẩn quốc gia năm 2025",
        number="",
        issued_on=dt.date(2025, 2, 1),
        issuing_body="UBND huyện Trạm Tấu",
        start_year=2025,
        end_year=2025,
        legal_basis=(
            "Kế hoạch số 13/KH-UBND ngày 22/01/2025 của Ủy ban nhân dân tỉnh Yên Bái về công tác "
            "xây dựng trường đạt chuẩn quốc gia năm 2025; Kế hoạch số 181/KH-UBND ngày "
            "01/11/2021 của Ủy ban nhân dân huyện Trạm Tấu."
        ),
        goals=(
            "Tiếp tục duy trì và nâng cao chất lượng các tiêu chuẩn trường đạt chuẩn quốc gia "
            "tại 08 trường gồm: 03 trường mầm non, 03 trường TH&THCS, 01 trường PTDTBT TH&THCS "
            "và 01 trường PTDT Nội trú THCS. Nâng cao chất lượng tại 20 trường mầm non, phổ "
            "thông chưa đạt chuẩn quốc gia; tăng số lượng các tiêu chuẩn đạt chuẩn ở các trường."
        ),
        status=PlanStatus.FINISHED,
        monthly_reports=True,
        is_illustrative=True,
        note=(
            f"Nguồn: {SEED_002}. Văn bản ghi «Số: /KH-UBND», «ngày   tháng 02 năm 2025»: ngày "
            "01/02/2025 chỉ để tính tháng báo cáo đầu tiên. Tên trường và các báo cáo tháng là "
            "minh họa."
        ),
    )
    _unit_targets(
        plan,
        [
            (
                "Duy trì, nâng cao chất lượng trường đạt chuẩn quốc gia",
                2025,
                "8",
                None,
                "trường",
                "",
                plans.METRIC_STANDARD_COUNT,
            ),
            ("Nâng cao chất lượng trường chưa đạt chuẩn quốc gia", 2025, "20", None, "trường", ""),
            ("Trường triển khai phần mềm kiểm định chất lượng", 2025, "100", None, "%", ""),
        ],
    )
    standard = [r for r in records if r["standard_level"]]
    for i, r in enumerate(standard):
        school = schools[r["code"]]
        # Six recognitions still in force through 2025; two end in 2025 ("các trường hết thời
        # hạn công nhận trong năm 2025"): one is re-recognised in 2025, one is not.
        # After 2025 (illustrative): the recognitions of 2021 are re-recognised in 2026, and the
        # one that lapsed in December 2025 is re-recognised three months later.
        signed = dt.date(2021 + i % 3, 4 + i, 12) if i < 6 else dt.date(2020, 5 + i, 8)
        level = r["standard_level"]
        if i == 6:
            _decision(run, school, rules.STANDARD_NEW, signed, level, i + 1, SEED_002)
            renewed = dt.date(2025, 9, 5)
            _decision(run, school, rules.STANDARD_RENEWAL, renewed, 1, 100 + i, SEED_002)
            _renew_until_today(run, school, renewed, 1, i + 1, SEED_002)
        else:
            _recognised(run, school, signed, level, i + 1, SEED_002, late_months=3 * (i == 7))
        _target(plan, school, 2025, TargetKind.MAINTAIN)
    for r in records:
        if not r["standard_level"]:
            _target(plan, schools[r["code"]], 2025, TargetKind.IMPROVE)

    # Monthly reports, Feb–Dec 2025: most schools report; some months are missing (each
    # fifth school skips every third month; two schools stop after June).
    targets = [schools[r["code"]] for r in records]
    months = [dt.date(2025, m, 1) for m in range(2, 13)]
    tz = timezone.get_current_timezone()
    for i, school in enumerate(targets):
        for j, month in enumerate(months):
            skip = (i % 5 == 0 and j % 3 == 2) or (i in (3, 11) and month.month > 6)
            if skip:
                continue
            _, created = MonthlyReport.objects.get_or_create(
                plan=plan,
                school=school,
                month=month,
                defaults={
                    "progress": TRAM_TAU_PROGRESS,
                    "results": "Hoàn thành các nhiệm vụ trong tháng theo kế hoạch (minh họa).",
                    "difficulties": "Cơ sở vật chất còn thiếu phòng học bộ môn (minh họa).",
                    "submitted_at": dt.datetime(month.year, month.month, 25, 9, 0, tzinfo=tz),
                },
            )
            run["monthly_reports"] += created
    for school, month in ((targets[3], dt.date(2025, 7, 1)), (targets[11], dt.date(2025, 7, 1))):
        Reminder.objects.get_or_create(
            plan=plan,
            school=school,
            month=month,
            defaults={"message": "Đề nghị nhà trường gửi báo cáo tiến độ tháng 07/2025."},
        )


@transaction.atomic
def load_programme_demo(*, today: dt.date | None = None) -> dict[str, int]:
    """Load everything; returns counts of what was created on this run. Re-recognitions are
    made up to `today` (default: today)."""
    run = _Run(today=today or timezone.localdate())
    _phong_tho(run)
    _ninh_giang(run)
    _binh_lang(run)
    _tram_tau(run)
    school_ids = {pk for pk, _number, _day in run.keep}
    stale = [
        d.pk
        for d in RecognitionDecision.objects.filter(
            school_id__in=school_ids, number__startswith="MH-"
        )
        if (d.school_id, d.number, d.signed_on) not in run.keep
    ]
    RecognitionDecision.objects.filter(pk__in=stale).delete()
    refresh_standard_levels(today=run.today, school_ids=school_ids)
    stats = dict(run.counts)
    stats["plans"] = ProgrammePlan.objects.count()
    stats["targets"] = PlanSchoolTarget.objects.count()
    stats["projects"] = InvestmentProject.objects.count()
    return stats
