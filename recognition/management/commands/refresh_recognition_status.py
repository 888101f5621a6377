"""Recompute the cached School.standard_level from the recognition register. Run daily
(the scheduler): a certificate expires on its date without any write to the register."""

from django.core.management.base import BaseCommand

from recognition.services import refresh_standard_levels
from recognition.tally import tally_refresh


class Command(BaseCommand):
    help = "Cập nhật mức chuẩn quốc gia lưu trong hồ sơ trường theo sổ quyết định công nhận."

    def handle(self, *args, **options):
        changed = refresh_standard_levels()
        self.stdout.write(f"Đã cập nhật mức chuẩn của {changed} trường.")
        # The dashboards' kept counts are for one day: recount them for the new one.
        tally_refresh()
