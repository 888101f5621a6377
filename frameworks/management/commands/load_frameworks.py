"""`python manage.py load_frameworks [DIR]`: load the framework data files into the database.
Idempotent: an unchanged file is skipped, a changed one is upserted by its stable codes."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from frameworks import engine
from frameworks.services import framework_load


class Command(BaseCommand):
    help = "Nạp các bộ tiêu chuẩn từ frameworks/data/*.json (chạy lại nhiều lần vẫn an toàn)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory", nargs="?", default=str(engine.DATA_DIR))
        parser.add_argument("--force", action="store_true", help="Ghi lại kể cả khi không đổi.")

    def handle(self, *args, directory: str, force: bool, **options) -> None:
        paths = sorted(Path(directory).glob("*.json"))
        if not paths:
            raise CommandError(f"Không tìm thấy tệp bộ tiêu chuẩn (*.json) trong {directory}.")
        for path in paths:
            try:
                framework, changed = framework_load(data=engine.read_data(path), force=force)
            except (ValueError, KeyError) as exc:  # JSON errors and engine.FrameworkError
                raise CommandError(f"{path.name}: {exc}") from exc
            state = "đã nạp" if changed else "không đổi"
            self.stdout.write(f"{framework.code}: {state}")
