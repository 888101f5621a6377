"""External evaluation report .docx (issue 12): a THCS school (TT18-2018, 28 criteria) whose
team of five has judged every indicator, one criterion lowered, with reviews and visits. Times
the whole generation (queries + python-docx + save to bytes) against a floor: a raw python-docx
document with the same number of paragraphs and table cells, saved to bytes. Runs on SQLite
(build/bench/ee_report.sqlite3, rebuilt each run: one school is quick to make) and on PostgreSQL
when it answers (BENCH_EE_PG_URL, default database truongchuan_bench_ee).
Printed figures, per database label (sqlite, postgres):
    ee_report_docx_<db>    external evaluation report .docx, median ms (goal ≤ 2,000 ms)
    ee_report_floor_<db>   raw python-docx with the same paragraphs/cells, median ms
    ee_report_ratio_<db>   report / floor
Run alone: python -m bench ee_report
"""

from __future__ import annotations

import io
import os
import sys

from bench.common import BENCH_DIR, emit, median_ms, run_worker, targets

REPEAT = 7
DB_PATH = BENCH_DIR / "ee_report.sqlite3"
PG_URL = os.environ.get(
    "BENCH_EE_PG_URL", "postgres://postgres@127.0.0.1:5432/truongchuan_bench_ee"
)


def run() -> None:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if DB_PATH.exists():
        DB_PATH.unlink()
    for label, url in targets(DB_PATH, PG_URL):
        run_worker("bench_ee_report", [label], url)


def _worker(label: str) -> None:
    import django

    django.setup()
    import docx
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from accounts.models import Membership, Role
    from documents import registry
    from documents.common import DocumentRequest, SystemUser
    from evaluation.documents.tests.conftest import make_evaluation
    from frameworks.services import framework_load_dir
    from schools.models import School
    from units.models import AdminUnit

    call_command("migrate", verbosity=0, interactive=False)
    if label == "postgres":
        call_command("flush", verbosity=0, interactive=False)
    framework_load_dir()
    province = AdminUnit.objects.create(uid="PEE", code="97", name="Lai Châu", division_type="tỉnh")
    commune = AdminUnit.objects.create(
        uid="WEE", code="97001", name="Xã Phong Thổ", division_type="xã", parent=province
    )
    school = School.objects.create(
        code="EE-THCS", name="Trường THCS Đánh Giá", kind="THCS", unit=commune
    )
    User = get_user_model()

    def make_user(role=None, *, unit=None, school=None, username=None):
        user = User.objects.create_user(username=username or f"u{User.objects.count()}")
        if role:
            Membership.objects.create(user=user, role=role, unit=unit, school=school)
        return user

    principal = make_user(Role.PRINCIPAL, school=school, username="ht")
    evaluation = make_evaluation(school, principal, make_user)

    def request() -> DocumentRequest:
        return DocumentRequest(user=SystemUser(), kind="ee-report", evaluation=str(evaluation.pk))

    built = registry.get_kind("ee-report").docx(request())
    paragraphs, cells = built.paragraph_count, built.cell_count
    print(f"# {label}: báo cáo {paragraphs} đoạn, {cells} ô bảng", flush=True)
    report_ms = median_ms(lambda: registry.build_docx(request()), repeat=REPEAT, warmup=1)
    emit(f"ee_report_docx_{label}", report_ms, "ms")

    def floor() -> None:
        d = docx.Document()
        for i in range(paragraphs):
            d.add_paragraph(f"Đoạn văn số {i} của báo cáo đánh giá ngoài.")
        columns = 3
        table = d.add_table(rows=0, cols=columns)
        for r in range(max(1, cells // columns)):
            row = table.add_row().cells
            for c in range(columns):
                row[c].text = f"{r}.{c}"
        d.save(io.BytesIO())

    floor_ms = median_ms(floor, repeat=REPEAT, warmup=1)
    emit(f"ee_report_floor_{label}", floor_ms, "ms")
    emit(f"ee_report_ratio_{label}", report_ms / floor_ms if floor_ms else 0.0, "x")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--worker":
        _worker(sys.argv[2])
    else:
        run()
