from django.core.management.base import BaseCommand

from units.services import units_load_current, units_load_legacy


class Command(BaseCommand):
    help = (
        "Nạp 34 tỉnh/thành phố và 3.321 xã/phường (gói vietnam-provinces), bản đồ trước "
        "01/7/2025 với ánh xạ cũ → mới (gói vietnamadminunits) và các đơn vị cũ của vùng mẫu."
    )

    def handle(self, *args, **options):
        provinces, communes = units_load_current()
        retired = units_load_legacy()
        self.stdout.write(
            f"Đã nạp {provinces} tỉnh/thành phố, {communes} xã/phường/đặc khu, "
            f"{retired} đơn vị hành chính cũ."
        )
