"""`make preview`: the demo self-assessment reports as PDF (LibreOffice, table of contents
filled in) and PNG pictures of their first page and their summary page (pdftoppm), under
build/preview/, so that a person can look at the layout without opening Word.

Needs the demo loaded in the database it runs on (the Makefile target builds its own SQLite
file for that) and Debian's libreoffice-writer-nogui and poppler-utils."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Assessment
from documents import pdf
from documents.common import DocumentError, SystemUser
from documents.services import document_render, request_from_params
from evidence.management.commands.load_assessment_demo import DEMO

# Where the summary of each layout sits: the first page (after the table of contents) that
# carries this heading.
SUMMARY_HEADING = {
    "moet-2018": "TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ",
    "tt57-bieu1": "PHẦN III. KẾT LUẬN",
}


def page_text(path: Path, page: int) -> str:
    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return unicodedata.normalize("NFC", out)


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    for line in info.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return 0


def _has_heading(text: str, heading: str) -> bool:
    """The heading itself, not its line in the table of contents (dotted leader, page)."""
    return any(line.strip().startswith(heading) and ".." not in line for line in text.splitlines())


class Command(BaseCommand):
    help = "Xuất báo cáo tự đánh giá mẫu ra PDF và ảnh PNG trang bìa, trang tổng hợp."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output-dir", default="build/preview")

    def handle(self, *args, **options) -> None:
        for tool in ("pdftotext", "pdftoppm", "pdfinfo"):
            if shutil.which(tool) is None:
                raise CommandError(f"Thiếu {tool}: cài gói poppler-utils (make install-system).")
        if not pdf.is_available():
            raise CommandError(pdf.MISSING_MESSAGE)
        out = Path(options["output_dir"])
        out.mkdir(parents=True, exist_ok=True)
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
            name = f"bao-cao-tu-danh-gia-{assessment.framework.code.lower()}"
            try:
                req = request_from_params(
                    user=SystemUser(),
                    kind="sa-report",
                    params={"assessment": assessment.pk},
                )
                data = document_render(req=req, fmt="pdf")
            except (DocumentError, pdf.PdfUnavailable, pdf.PdfConversionError) as exc:
                raise CommandError(str(exc)) from exc
            target = out / f"{name}.pdf"
            target.write_bytes(data)
            pages = page_count(target)
            layout = (assessment.framework.data.get("documents") or {}).get("report_layout")
            heading = SUMMARY_HEADING.get(layout, SUMMARY_HEADING["moet-2018"])
            summary = next(
                (n for n in range(2, pages + 1) if _has_heading(page_text(target, n), heading)),
                None,
            )
            if summary is None:
                raise CommandError(f"Không tìm thấy trang “{heading}” trong {target}.")
            for label, page in (("trang-1", 1), ("tong-hop", summary)):
                prefix = out / f"{name}-{label}"
                subprocess.run(
                    [
                        "pdftoppm",
                        "-png",
                        "-r",
                        "80",
                        "-f",
                        str(page),
                        "-l",
                        str(page),
                        "-singlefile",
                        str(target),
                        str(prefix),
                    ],
                    check=True,
                )
            self.stdout.write(
                f"{target} ({pages} trang); ảnh: {name}-trang-1.png, {name}-tong-hop.png "
                f"(trang {summary})"
            )
