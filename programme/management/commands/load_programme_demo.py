from django.core.management.base import BaseCommand, CommandError

from programme.demo import load_programme_demo
from schools.management.demo import DemoDataError


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu của chương trình: quyết định công nhận (minh họa), kế hoạch của Phong "
        "Thổ, Ninh Giang, Bình Lãng, Trạm Tấu với chỉ tiêu từng trường, dự án đầu tư của văn bản "
        "000 và báo cáo tháng của Trạm Tấu. Chạy lại nhiều lần không sinh bản ghi trùng. Cần chạy "
        "load_units và load_demo trước."
    )

    def handle(self, *args, **options):
        try:
            stats = load_programme_demo()
        except DemoDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp {stats['plans']} kế hoạch, {stats['targets']} chỉ tiêu trường, "
                f"{stats['projects']} dự án đầu tư; thêm mới {stats['decisions']} quyết định "
                f"(minh họa) và {stats['monthly_reports']} báo cáo tháng."
            )
        )
