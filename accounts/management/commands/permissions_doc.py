"""Write docs/permissions.md from the permission table (accounts.permissions)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from accounts.permissions import DOC_PATH, render_markdown


class Command(BaseCommand):
    help = "Sinh docs/permissions.md từ bảng phân quyền (accounts.permissions)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", default=str(DOC_PATH))

    def handle(self, *args, output: str, **options) -> None:
        Path(output).write_text(render_markdown(), encoding="utf-8")
        self.stdout.write(f"Đã ghi {output}")
