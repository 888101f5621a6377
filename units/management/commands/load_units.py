from django.core.management.base import BaseCommand

from units.services import units_load_current, units_load_historical


class Command(BaseCommand):
    help = "Nạp 34 tỉnh/thành phố và 3.321 xã/phường (gói vietnam-provinces) và các đơn vị cũ."

    def handle(self, *args, **options):
        provinces, communes = units_load_current()
        historical = units_load_historical()
        self.stdout.write(
            f"Đã nạp {provinces} tỉnh/thành phố, {communes} xã/phường/đặc khu, "
            f"{historical} đơn vị hành chính cũ."
        )
