"""Six-month report .docx at province scale (issue 4): a province of 1,500 schools with 10
years of recognition decisions — each school's register as bench_register.school_history makes
it (first a "new" recognition, re-recognitions before each 5-year expiry, some upgrades to
Mức độ 2, a few lapses and revocations, accreditations), checked against recognition.rules —, a
5-year plan with per-school yearly targets and 60 investment projects. Times the whole
generation (queries + python-docx + save to bytes) of the report for the province, against a
floor: a raw python-docx document with the same number of paragraphs and table cells, saved
to bytes. Runs on SQLite (build/bench/documents.sqlite3) and on PostgreSQL when it answers
(BENCH_DOCS_PG_URL, default database truongchuan_bench_docs), each in its own subprocess.
Printed figures, per database label (sqlite, postgres):
    documents_report_docx_1500_<db>      report .docx generation, median ms (goal ≤ 2,000 ms)
    documents_report_floor_<db>          raw python-docx with the same paragraphs/cells, median ms
    documents_report_ratio_<db>          report / floor
    documents_statistics_docx_1500_<db>  statistics table .docx for the province, median ms
Run alone: python -m bench documents   (or python -m bench.bench_documents)
"""

from __future__ import annotations

import io
import os
import random
import sys

from bench.common import BENCH_DIR, emit, median_ms, run_worker, targets

SCHOOLS = 1_500
COMMUNES = 60
YEARS = 10
REPEAT = 7
PROVINCE_UID = "PDOCS"
# The generator's version is part of the province's name: data made by an older generator (a
# renewal as a school's first decision, ~1,500 decisions) is rebuilt, not reused.
PROVINCE_NAME = "Tỉnh Văn Bản (dữ liệu đo v2)"
DB_PATH = BENCH_DIR / "documents.sqlite3"
PG_URL = os.environ.get(
    "BENCH_DOCS_PG_URL", "postgres://postgres@127.0.0.1:5432/truongchuan_bench_docs"
)


def run() -> None:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    for label, url in targets(DB_PATH, PG_URL):
        run_worker("bench_documents", [label], url)


def _generate(province) -> None:
    import datetime as dt
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from bench.bench_register import school_history
    from programme.models import InvestmentProject, PlanSchoolTarget, ProgrammePlan
    from recognition import rules
    from recognition.models import RecognitionDecision
    from schools.models import School
    from units.models import AdminUnit

    rng = random.Random(6)
    today = timezone.localdate()
    start = rules.add_years(today, -YEARS)
    span = (today - start).days
    with transaction.atomic():
        communes = [
            AdminUnit.objects.create(
                uid=f"WD{i:04d}",
                code=f"8{i:04d}",
                name=f"Xã Văn Bản {i}",
                division_type="xã",
                parent=province,
            )
            for i in range(COMMUNES)
        ]
        kinds = ["MN", "TH", "THCS", "TH&THCS"]
        schools = [
            School(
                code=f"BD-{i:05d}",
                name=f"Trường {kinds[i % 4]} Văn Bản số {i}",
                kind=kinds[i % 4],
                unit=communes[i % COMMUNES],
            )
            for i in range(SCHOOLS)
        ]
        for s in schools:
            s.refresh_text_keys()
        School.objects.bulk_create(schools, batch_size=500)
        schools = list(School.objects.filter(code__startswith="BD-"))
        decisions = []
        for n, school in enumerate(schools):
            for kind, day, level in school_history(rng, today=today, start=start, span=span):
                d = RecognitionDecision(
                    school=school,
                    kind=kind,
                    signed_on=day,
                    level=level,
                    number=f"{n}-{len(decisions)}/QĐ-UBND",
                    signing_body="UBND tỉnh Văn Bản",
                    framework_code="TT17-2018" if day >= dt.date(2018, 10, 10) else "TT59-2012",
                )
                d.prepare()
                decisions.append(d)
        RecognitionDecision.objects.bulk_create(decisions, batch_size=1000)
        year = today.year
        plan = ProgrammePlan.objects.create(
            unit=province,
            kind="de_an",
            number="12/ĐA-UBND",
            issued_on=dt.date(year - 1, 12, 30),
            issuing_body="Ủy ban nhân dân tỉnh Văn Bản",
            title="Xây dựng trường đạt chuẩn quốc gia giai đoạn",
            start_year=year - 1,
            end_year=year + 3,
        )
        plan_targets = [
            PlanSchoolTarget(
                plan=plan,
                school=s,
                year=year - 1 + (i % 5),
                target=rng.choice(["new_1", "new_2", "re_recognition", "upgrade", "maintain"]),
            )
            for i, s in enumerate(rng.sample(schools, 400))
        ]
        PlanSchoolTarget.objects.bulk_create(plan_targets)
        for i in range(60):
            s = rng.choice(schools)
            InvestmentProject.objects.create(
                unit=s.unit,
                school=s,
                plan=plan,
                name=f"Nâng cấp cơ sở vật chất {s.name}",
                category=rng.choice(["nang_cap_sua_chua", "xay_dung_moi", "mua_sam_thiet_bi"]),
                scale="Sửa chữa phòng học, nhà vệ sinh, tường rào",
                total_million=Decimal(rng.randrange(100, 6000)),
                year=year,
                order=i,
            )


def _check_register() -> tuple[int, int, int]:
    """(schools with decisions, whose first standard decision is "new", whose whole history
    passes recognition.rules decision by decision)."""
    from recognition import rules
    from recognition.models import RecognitionDecision

    by_school: dict[int, list] = {}
    for row in RecognitionDecision.objects.order_by("signed_on", "id").values(
        "id", "school_id", "kind", "signed_on", "level", "framework_code", "number"
    ):
        by_school.setdefault(row["school_id"], []).append(rules.as_decision(row))
    first_new = valid = 0
    for items in by_school.values():
        standard = [d for d in items if d.track == rules.TRACK_STANDARD]
        first_new += not standard or standard[0].kind == rules.STANDARD_NEW
        valid += all(
            not rules.check_decision(items[:i], d, today=d.signed_on) for i, d in enumerate(items)
        )
    return len(by_school), first_new, valid


def _worker(label: str) -> None:
    import django

    django.setup()
    import docx
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from documents import registry
    from documents.common import DocumentRequest, SystemUser
    from programme.models import ProgrammePlan
    from recognition.models import RecognitionDecision
    from schools.models import School
    from units.models import AdminUnit

    call_command("migrate", verbosity=0, interactive=False)
    province = AdminUnit.objects.filter(uid=PROVINCE_UID).first()
    built = (
        province is not None
        and province.name == PROVINCE_NAME
        and ProgrammePlan.objects.filter(unit=province).exists()
    )
    if not built or School.objects.filter(code__startswith="BD-").count() != SCHOOLS:
        if province is not None or School.objects.exists():  # a half-built run: start again
            if connection.vendor == "sqlite":
                connection.close()
                DB_PATH.unlink()
                call_command("migrate", verbosity=0, interactive=False)
            else:
                call_command("flush", verbosity=0, interactive=False)
        province = AdminUnit.objects.create(
            uid=PROVINCE_UID, code="98", name=PROVINCE_NAME, division_type="tỉnh"
        )
        _generate(province)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    today = timezone.localdate()

    def request(kind: str) -> DocumentRequest:
        # A fresh user object each time: the scope cache must not carry over between runs.
        return DocumentRequest(
            user=SystemUser(), kind=kind, unit=province, year=today.year, period="H1", on=today
        )

    kind = registry.get_kind("report")
    built = kind.docx(request("report"))
    paragraphs, cells = built.paragraph_count, built.cell_count
    with_decisions, first_new, valid = _check_register()
    print(
        f"# {label}: {School.objects.count()} trường, {RecognitionDecision.objects.count()}"
        f" quyết định ({with_decisions} trường có quyết định, {first_new} bắt đầu bằng công nhận"
        f" mới, {valid} có lịch sử hợp lệ theo recognition.rules); báo cáo {paragraphs} đoạn,"
        f" {cells} ô bảng",
        flush=True,
    )
    if first_new != with_decisions or valid != with_decisions:
        print(f"# cảnh báo ({label}): dữ liệu sinh có lịch sử không hợp lệ", flush=True)
    report_ms = median_ms(lambda: registry.build_docx(request("report")), repeat=REPEAT, warmup=1)
    emit(f"documents_report_docx_1500_{label}", report_ms, "ms")

    def floor() -> None:
        d = docx.Document()
        for i in range(paragraphs):
            d.add_paragraph(f"Đoạn văn số {i} của báo cáo xây dựng trường chuẩn quốc gia.")
        columns = 5
        table = d.add_table(rows=0, cols=columns)
        for r in range(max(1, cells // columns)):
            row = table.add_row().cells
            for c in range(columns):
                row[c].text = f"{r}.{c}"
        d.save(io.BytesIO())

    floor_ms = median_ms(floor, repeat=REPEAT, warmup=1)
    emit(f"documents_report_floor_{label}", floor_ms, "ms")
    emit(f"documents_report_ratio_{label}", report_ms / floor_ms if floor_ms else 0.0, "x")
    stats_ms = median_ms(
        lambda: registry.build_docx(request("statistics")), repeat=REPEAT, warmup=1
    )
    emit(f"documents_statistics_docx_1500_{label}", stats_ms, "ms")


if __name__ == "__main__":
    if "--worker" in sys.argv:
        _worker(sys.argv[-1] if sys.argv[-1] != "--worker" else "sqlite")
    else:
        run()
