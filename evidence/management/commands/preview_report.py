"""`make preview`: every document of the demo — the programme's (statistics, six-month report,
each plan) and each demo self-assessment's (decision, plan, criterion sheets, report, evidence
catalogue, improvement plan where the framework has one) — as .docx, as PDF (LibreOffice, tables
of contents filled in) and as a PNG picture of every page (pdftoppm), under build/preview/, so
that a person can read them page by page without opening Word. Each document is also run
through the document check (documents.check) and its findings are printed.

Needs the demo loaded in the database it runs on (the Makefile target builds its own SQLite
file for that) and Debian's libreoffice-writer-nogui and poppler-utils."""

from __future__ import annotations

import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Assessment
from documents import check, pdf, registry
from documents.common import DocumentError, SystemUser
from documents.services import document_render, request_from_params
from evidence.management.commands.load_assessment_demo import DEMO

# Pictures small enough to page through quickly, large enough to read a table.
PNG_DPI = 70

# The programme documents of the demo: the statistics of today's province and of Phong Thổ at
# the time of seed 000, and seed 000's six-month report (Phong Thổ, first half of 2021).
UNIT_DOCUMENTS = (
    ("thong-ke-lai-chau", "statistics", {"unit": "P12"}),
    ("thong-ke-phong-tho-2021", "statistics", {"unit": "HD109", "on": "2021-06-30"}),
    ("bao-cao-phong-tho-6-thang-dau-nam-2021", "report", {"unit": "HD109", "year": 2021}),
)


@dataclass(frozen=True)
class DemoDocument:
    name: str  # file name without extension
    kind: str  # registry code
    params: dict[str, Any] = field(default_factory=dict)


def demo_documents(user=None) -> list[DemoDocument]:
    """Every document kind for the demo data, in the order of the documents page: the unit
    kinds, one plan document per demo plan, then every self-assessment kind per demo
    assessment (a kind reserved to another framework's layout is left out)."""
    user = user or SystemUser()
    out = [DemoDocument(name, kind, dict(params)) for name, kind, params in UNIT_DOCUMENTS]
    for pk, _label in registry.plan_choices(user):
        out.append(DemoDocument(f"ke-hoach-{pk}", "plan", {"plan": pk}))
    for code, year, *_rest in DEMO:
        assessment = (
            Assessment.objects.filter(school__code=code, school_year=year)
            .select_related("framework")
            .first()
        )
        if assessment is None:
            raise CommandError(
                f"Chưa có đợt tự đánh giá mẫu {code} {year}: chạy load_assessment_demo."
            )
        form = (assessment.framework.data.get("documents") or {}).get("improvement_form")
        framework = assessment.framework.code.lower()
        for kind in registry.assessment_kinds():
            if kind.only_with and kind.only_with != form:
                continue
            out.append(
                DemoDocument(f"{kind.code}-{framework}", kind.code, {"assessment": assessment.pk})
            )
    # Kinds of the apps above (external evaluation) name their own demo subjects.
    for kind in sorted(registry.KINDS.values(), key=lambda k: (k.order, k.code)):
        for suffix, params in kind.demo() if kind.demo else []:
            out.append(DemoDocument(f"{kind.code}-{suffix}", kind.code, params))
    return out


def render(document: DemoDocument, fmt: str, user=None) -> bytes:
    req = request_from_params(user=user or SystemUser(), kind=document.kind, params=document.params)
    return document_render(req=req, fmt=fmt)


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    for line in info.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return 0


class Command(BaseCommand):
    help = "Xuất mọi văn bản mẫu ra .docx, PDF và ảnh PNG từng trang, kèm kết quả soát văn bản."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output-dir", default="build/preview")
        parser.add_argument(
            "--only", default="", help="Chỉ các văn bản có tên chứa chuỗi này (ví dụ sa-report)"
        )

    def handle(self, *args, **options) -> None:
        for tool in ("pdftoppm", "pdfinfo"):
            if shutil.which(tool) is None:
                raise CommandError(f"Thiếu {tool}: cài gói poppler-utils (make install-system).")
        if not pdf.is_available():
            raise CommandError(pdf.MISSING_MESSAGE)
        out = Path(options["output_dir"])
        out.mkdir(parents=True, exist_ok=True)
        for old in out.glob("*.png"):  # pictures of a previous run with more pages
            old.unlink()
        documents = [d for d in demo_documents() if options["only"] in d.name]
        for n, document in enumerate(documents, start=1):
            started = time.perf_counter()
            try:
                data = render(document, "docx")
            except DocumentError as exc:
                raise CommandError(f"{document.name}: {exc}") from exc
            source = out / f"{n:02d}-{document.name}.docx"
            source.write_bytes(data)
            try:
                target = pdf.docx_to_pdf(source)
            except (pdf.PdfUnavailable, pdf.PdfConversionError) as exc:
                raise CommandError(f"{document.name}: {exc}") from exc
            pages = page_count(target)
            subprocess.run(
                ["pdftoppm", "-png", "-r", str(PNG_DPI), str(target), str(out / source.stem)],
                check=True,
            )
            findings = check.scan_docx(data)
            self.stdout.write(
                f"{target} ({pages} trang, ảnh {source.stem}-*.png, "
                f"{time.perf_counter() - started:.1f} s)"
            )
            for finding in findings:
                self.stdout.write(f"  ! {finding}")
