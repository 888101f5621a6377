"""Self-assessment report (issue 6): the full report of a 28-criterion school (THCS, TT18-2018)
with 300 evidence items and about 150 pages of text.

Figures (SQLite, own database file under build/bench/):
    sa_report_pages                      pages of the PDF
    sa_report_docx_ms                    median .docx generation, from the request to the bytes
                                         (data read, levels computed, document built, saved);
                                         goal ≤ 2 s
    sa_report_docx_floor_ms              python-docx's own save of that document (zip + XML
                                         serialisation: the raw library call every .docx pays)
    sa_report_docx_ratio                 generation / floor
    sa_report_pdf_s                      PDF by documents.pdf (LibreOffice, table of contents
                                         updated); goal ≤ 20 s
    sa_report_pdf_floor_s                plain `soffice --convert-to pdf` of the same file
    sa_report_pdf_ratio                  ours / plain

Run: python -m bench self_assessment (the worker runs in its own process: the settings read
DATABASE_URL once)."""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import BENCH_DIR, ROOT, emit, median_ms, run_worker

CRITERIA = 28
EVIDENCE = 300
EXTRA_PARAGRAPHS = 10  # filler paragraphs per level text: ≈150 pages in all


def run() -> None:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    db = BENCH_DIR / "self_assessment.sqlite3"
    db.unlink(missing_ok=True)
    run_worker("bench_self_assessment", [], f"sqlite:///{db}", MEDIA_ROOT=str(BENCH_DIR / "media"))


def _worker() -> None:
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from docx import Document

    from accounts.models import Membership, Role
    from documents import pdf, registry
    from documents.common import DocumentRequest
    from evidence.demo import DemoOptions, demo_assessment
    from frameworks.services import framework_load_dir
    from schools.models import School
    from units.models import AdminUnit

    call_command("migrate", verbosity=0)
    framework_load_dir()
    province = AdminUnit.objects.create(uid="PB6", code="B6", name="Tỉnh Thử", division_type="tỉnh")
    commune = AdminUnit.objects.create(
        uid="WB6", code="B6001", name="Xã Thử", division_type="xã", parent=province
    )
    school = School.objects.create(
        code="BENCH-THCS", name="Trường THCS Thử Nghiệm", kind="THCS", unit=commune
    )
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("ht_bench", password="x")
    Membership.objects.create(user=user, role=Role.PRINCIPAL, school=school)
    t0 = time.perf_counter()
    assessment = demo_assessment(
        user=user,
        school=school,
        school_year="2024-2025",
        on_date=dt.date(2024, 10, 1),
        options=DemoOptions(
            evidence_total=EVIDENCE, extra_paragraphs=EXTRA_PARAGRAPHS, gaps=(("1.1", 3),)
        ),
    )
    criteria = assessment.sheets.count()
    items = assessment.evidence_items.count()
    print(
        f"# {assessment.framework.code}: {criteria} tiêu chí, {items} minh chứng; dữ liệu mẫu "
        f"tạo trong {time.perf_counter() - t0:.1f} s",
        flush=True,
    )
    assert criteria == CRITERIA and items == EVIDENCE, (criteria, items)
    req = DocumentRequest(user=user, kind="sa-report", assessment_id=assessment.pk)
    data = registry.build_docx(req)
    docx_ms = median_ms(lambda: registry.build_docx(req), repeat=5, warmup=1)
    document = Document(io.BytesIO(data))
    floor_ms = median_ms(lambda: document.save(io.BytesIO()), repeat=5, warmup=1)

    with tempfile.TemporaryDirectory(prefix="tc-bench-") as work:
        source = Path(work) / "bao-cao.docx"
        source.write_bytes(data)
        t0 = time.perf_counter()
        ours = pdf.docx_to_pdf(source)
        pdf_s = time.perf_counter() - t0
        pages = _pages(ours)
        plain_dir = Path(work) / "plain"
        plain_dir.mkdir()
        t0 = time.perf_counter()
        subprocess.run(
            [
                pdf.soffice_binary(),
                f"-env:UserInstallation={(Path(work) / 'profile').as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(plain_dir),
                str(source),
            ],
            capture_output=True,
            check=True,
        )
        plain_s = time.perf_counter() - t0
    emit("sa_report_pages", pages, "pages")
    emit("sa_report_docx_ms", docx_ms, "ms")
    emit("sa_report_docx_floor_ms", floor_ms, "ms")
    emit("sa_report_docx_ratio", docx_ms / floor_ms, "x")
    emit("sa_report_pdf_s", pdf_s, "s")
    emit("sa_report_pdf_floor_s", plain_s, "s")
    emit("sa_report_pdf_ratio", pdf_s / plain_s, "x")


def _pages(path: Path) -> int:
    try:
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return 0
    for line in out.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return 0


if __name__ == "__main__":
    if "--worker" in sys.argv:
        sys.path.insert(0, str(ROOT))
        _worker()
