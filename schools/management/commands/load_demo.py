from django.core.management.base import BaseCommand, CommandError

from schools.management.demo import (
    DemoDataError,
    demo_create_accounts,
    demo_files,
    demo_load_schools,
)


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu từ các văn bản gốc (Phong Thổ, Ninh Giang, Bình Lãng, Trạm Tấu) và tạo "
        "tài khoản mẫu. Chạy lại nhiều lần không sinh bản ghi trùng. Cần chạy load_units trước."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-accounts", action="store_true", help="Không tạo tài khoản mẫu.")

    def handle(self, *args, **options):
        try:
            result = demo_load_schools()
            if not options["no_accounts"]:
                accounts = demo_create_accounts()
        except DemoDataError as exc:
            raise CommandError(str(exc)) from exc
        files = ", ".join(p.name for p in demo_files())
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp {result['total']} trường mẫu ({result['created']} mới, "
                f"{result['updated']} cập nhật) từ {files}."
            )
        )
        if not options["no_accounts"]:
            self.stdout.write(
                f"Đã tạo/cập nhật {len(accounts)} tài khoản mẫu "
                "(xem bằng: python manage.py demo_accounts)."
            )
