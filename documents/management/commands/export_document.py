"""Generate a document from the command line (for cron / scheduled exports):

    python manage.py export_document statistics --unit P12 --format xlsx --output tk.xlsx
    python manage.py export_document report --unit W03549 --year 2021 --period H1 \\
        --format docx --user xa_phongtho --output bao-cao.docx
    python manage.py export_document plan --plan 3 --format pdf --output ke-hoach.pdf
    python manage.py export_document sa-report --assessment 12 --format pdf --output bc.pdf
    python manage.py export_document sa-sheets --assessment 12 --criterion 1.1 --output p.docx
    python manage.py export_document ee-report --evaluation 3 --format pdf --output bc.pdf

Exit code 2 with a Vietnamese message for an unknown kind, unit, plan or user."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from documents import pdf, registry
from documents.common import DocumentError
from documents.services import command_user, document_render, request_from_params


class Command(BaseCommand):
    help = "Tạo văn bản (docx, xlsx, pdf) theo Nghị định 30/2020 từ dữ liệu."

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", help="Loại văn bản: " + ", ".join(registry.KINDS))
        parser.add_argument("--unit", default="", help="Mã đơn vị (uid), ví dụ P12, W03549")
        parser.add_argument("--plan", default="", help="Mã (id) kế hoạch")
        parser.add_argument(
            "--assessment", default="", help="Mã (id) đợt tự đánh giá (văn bản sa-…)"
        )
        parser.add_argument(
            "--evaluation",
            default="",
            help="Mã (id) đợt đánh giá ngoài (văn bản ee-…, recognition-decision; nhiều mã: 3,5)",
        )
        parser.add_argument("--criterion", default="", help="Một tiêu chí (sa-sheets), ví dụ 1.1")
        parser.add_argument("--year", default="", help="Năm báo cáo")
        parser.add_argument("--period", default="H1", help="H1, H2 hoặc Y (cả năm)")
        parser.add_argument("--on", default="", help="Ngày số liệu YYYY-MM-DD (mặc định hôm nay)")
        parser.add_argument("--date", default="", help="Ngày ghi trên văn bản YYYY-MM-DD")
        parser.add_argument("--signer", default="", help="Họ tên người ký")
        parser.add_argument("--format", default="docx", choices=registry.FORMATS)
        parser.add_argument("--user", default="", help="Tạo trong phạm vi của người dùng này")
        parser.add_argument("--output", required=True, help="Đường dẫn tệp kết quả")

    def handle(self, *args, **opts) -> None:
        try:
            user = command_user(opts["user"] or None)
            header = {}
            if opts["date"]:
                header["date"] = opts["date"]
            if opts["signer"]:
                header["signer_name"] = opts["signer"]
            req = request_from_params(
                user=user,
                kind=opts["kind"],
                params={
                    "unit": opts["unit"],
                    "plan": opts["plan"],
                    "year": opts["year"],
                    "period": opts["period"],
                    "on": opts["on"] or timezone.localdate().isoformat(),
                    "header": header,
                    "assessment": opts["assessment"],
                    "criterion": opts["criterion"],
                    "evaluation": opts["evaluation"],
                },
            )
            data = document_render(req=req, fmt=opts["format"])
        except (DocumentError, pdf.PdfUnavailable, pdf.PdfConversionError) as exc:
            raise CommandError(str(exc), returncode=2) from exc
        output = Path(opts["output"])
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(data)
        self.stdout.write(f"Đã ghi {output} ({len(data):,} byte): {registry.title_of(req)}")
