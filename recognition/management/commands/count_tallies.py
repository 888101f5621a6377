"""Bring the dashboards' kept counts up to date (recognition.tally). The scheduler runs it every
minute: when nothing moved it reads one row and one statement; after a few writes it recounts
only their communes."""

from django.core.management.base import BaseCommand

from recognition.tally import tally_refresh


class Command(BaseCommand):
    help = "Đếm lại số trường theo mức chuẩn cho bảng điều khiển (chỉ phần đã thay đổi)."

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="Đếm lại toàn bộ.")

    def handle(self, *args, **options):
        counted = tally_refresh(full=options["full"])
        what = "toàn bộ" if counted < 0 else f"{counted} xã/phường"
        self.stdout.write(f"Đã đếm lại số liệu bảng điều khiển: {what}.")
