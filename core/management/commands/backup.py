"""`manage.py backup --output PATH`: the whole installation in one archive (core.backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Sao lưu toàn bộ dữ liệu (mọi bảng của cơ sở dữ liệu và mọi tệp đã tải lên) vào một "
        "tệp .tar.gz có bảng kê số dòng và mã băm SHA-256."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", required=True, type=Path, help="Đường dẫn tệp sao lưu (.tar.gz)."
        )
        parser.add_argument("--database", default="default", help="Cơ sở dữ liệu nguồn.")

    def handle(self, *args, output: Path, database: str, **options):
        try:
            manifest = backup_write(output, using=database)
        except (BackupError, OSError) as exc:
            raise CommandError(f"Không sao lưu được: {exc}", returncode=2) from exc
        rows = sum(entry["rows"] for entry in manifest["tables"].values())
        self.stdout.write(
            f"Đã sao lưu {len(manifest['tables'])} bảng ({rows} dòng) và "
            f"{len(manifest['files'])} tệp vào {output}."
        )
