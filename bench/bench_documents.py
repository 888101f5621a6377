"""Six-month report .docx at province scale (issue 4): a province of 1,500 schools with 10
years of recognition decisions, a 5-year plan with per-school yearly targets and 60 investment
projects, in a throwaway SQLite database (build/bench/documents.sqlite3). Times the whole
generation (queries + python-docx + save to bytes) of the report for the province, against a
floor: a raw python-docx document with the same number of paragraphs and table cells, saved
to bytes. Printed figures:
    documents_report_docx_1500   report .docx generation, median ms (goal ≤ 2,000 ms)
    documents_report_floor       raw python-docx with the same paragraphs/cells, median ms
    documents_report_ratio       report / floor
    documents_statistics_docx_1500  statistics table .docx for the province, median ms
Run alone: python -m bench documents   (or python -m bench.bench_documents)
"""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys

from bench.common import BENCH_DIR, ROOT, emit, median_ms

SCHOOLS = 1_500
COMMUNES = 60
YEARS = 10
REPEAT = 7
PROVINCE_UID = "PDOCS"
DB_PATH = BENCH_DIR / "documents.sqlite3"


def run() -> None:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{DB_PATH}",
        "DJANGO_SETTINGS_MODULE": "truongchuan.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-" + "x" * 50,
    }
    result = subprocess.run(
        [sys.executable, "-m", "bench.bench_documents", "--worker"], cwd=ROOT, env=env, check=False
    )
    if result.returncode:
        print(f"# bench_documents thất bại, mã {result.returncode}", flush=True)


def _generate(province) -> None:
    import datetime as dt
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from programme import rules
    from programme.models import (
        InvestmentProject,
        PlanSchoolTarget,
        ProgrammePlan,
        RecognitionDecision,
    )
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
            if rng.random() < 0.7:
                day = start + dt.timedelta(days=rng.randrange(span))
                while day <= today:
                    d = RecognitionDecision(
                        school=school,
                        kind=rules.STANDARD_NEW
                        if not decisions or rng.random() < 0.5
                        else rules.STANDARD_RENEWAL,
                        signed_on=day,
                        level=rng.choice([1, 1, 2]),
                        number=f"{n}-{day.year}/QĐ-UBND",
                        signing_body="UBND tỉnh Văn Bản",
                    )
                    d.prepare()
                    decisions.append(d)
                    day = rules.add_years(day, 5)
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
        targets = [
            PlanSchoolTarget(
                plan=plan,
                school=s,
                year=year - 1 + (i % 5),
                target=rng.choice(["new_1", "new_2", "re_recognition", "upgrade", "maintain"]),
            )
            for i, s in enumerate(rng.sample(schools, 400))
        ]
        PlanSchoolTarget.objects.bulk_create(targets)
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


def _worker() -> None:
    import django

    django.setup()
    import docx
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from documents import builders
    from documents.common import DocumentRequest, SystemUser
    from programme.models import RecognitionDecision
    from schools.models import School
    from units.models import AdminUnit

    call_command("migrate", verbosity=0, interactive=False)
    province = AdminUnit.objects.filter(uid=PROVINCE_UID).first()
    if province is None or School.objects.filter(code__startswith="BD-").count() != SCHOOLS:
        if province is not None:  # a half-built file from an interrupted run: start again
            connection.close()
            DB_PATH.unlink()
            call_command("migrate", verbosity=0, interactive=False)
        province = AdminUnit.objects.create(
            uid=PROVINCE_UID, code="98", name="Tỉnh Văn Bản", division_type="tỉnh"
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

    kind = builders.get_kind("report")
    built = kind.docx(request("report"))
    paragraphs, cells = built.paragraph_count, built.cell_count
    print(
        f"# sqlite: {School.objects.count()} trường, {RecognitionDecision.objects.count()}"
        f" quyết định; báo cáo {paragraphs} đoạn, {cells} ô bảng",
        flush=True,
    )
    report_ms = median_ms(lambda: builders.build_docx(request("report")), repeat=REPEAT, warmup=1)
    emit("documents_report_docx_1500", report_ms, "ms")

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
    emit("documents_report_floor", floor_ms, "ms")
    emit("documents_report_ratio", report_ms / floor_ms if floor_ms else 0.0, "x")
    stats_ms = median_ms(
        lambda: builders.build_docx(request("statistics")), repeat=REPEAT, warmup=1
    )
    emit("documents_statistics_docx_1500", stats_ms, "ms")


if __name__ == "__main__":
    if "--worker" in sys.argv:
        _worker()
    else:
        run()
