from django.core.management.base import BaseCommand, CommandError

from schools.management.demo import (
    DEMO_PASSWORD,
    DemoDataError,
    demo_create_accounts,
    role_label,
)

URL = "http://127.0.0.1:8000"


class Command(BaseCommand):
    help = "Tạo (hoặc đặt lại) tài khoản mẫu cho mọi vai trò và in bảng đăng nhập."

    def handle(self, *args, **options):
        try:
            accounts = demo_create_accounts()
        except DemoDataError as exc:
            raise CommandError(str(exc)) from exc
        rows = [("Tên đăng nhập", "Vai trò", "Phạm vi", "Mật khẩu")]
        rows += [(a.username, role_label(a.role), a.scope_label, DEMO_PASSWORD) for a in accounts]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        line = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
        out = self.stdout
        out.write("")
        out.write(self.style.SUCCESS("TÀI KHOẢN MẪU — Trường Chuẩn"))
        out.write(line)
        for i, row in enumerate(rows):
            out.write(
                "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
            )
            if i == 0:
                out.write(line)
        out.write(line)
        out.write(f"Mở trình duyệt: {URL}  (mọi tài khoản dùng chung mật khẩu {DEMO_PASSWORD})")
        out.write("Chỉ dùng để trình diễn: đổi mật khẩu trước khi đưa vào sử dụng thật.")
