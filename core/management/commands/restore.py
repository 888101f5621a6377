"""`manage.py restore PATH`: load a `manage.py backup` archive into an empty, migrated database
and an empty storage (core.backup). Refuses, writing nothing and exiting with status 2, a target
that is not empty or an archive that is damaged."""

from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone

from core.backup import BackupError, restore_read


class Command(BaseCommand):
    help = (
        "Khôi phục một bản sao lưu (manage.py backup) vào cơ sở dữ liệu mới (đã chạy migrate) "
        "và kho tệp trống."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="Tệp sao lưu (.tar.gz).")
        parser.add_argument("--database", default="default", help="Cơ sở dữ liệu đích.")

    def handle(self, *args, path: Path, database: str, **options):
        try:
            manifest = restore_read(path, using=database)
        except BackupError as exc:
            raise CommandError(f"Không khôi phục: {exc}", returncode=2) from exc
        except DatabaseError as exc:
            # Everything was in one transaction (and the files written are removed again).
            raise CommandError(
                f"Không khôi phục được, cơ sở dữ liệu từ chối dữ liệu: {exc}. Không có gì bị ghi.",
                returncode=2,
            ) from exc
        rows = sum(entry["rows"] for entry in manifest["tables"].values())
        made = timezone.localtime(datetime.fromisoformat(manifest["created_at"]))
        self.stdout.write(
            f"Đã khôi phục {len(manifest['tables'])} bảng ({rows} dòng) và "
            f"{len(manifest['files'])} tệp từ bản sao lưu ngày {made:%d/%m/%Y %H:%M}."
        )
