import os

from django.core.management.base import BaseCommand, CommandError

from schools.management.demo import (
    DEMO_PASSWORD,
    DemoDataError,
    demo_create_accounts,
    role_label,
)

# The Makefile's defaults; `make demo` passes its HOST and PORT through the environment.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = "8000"
ALL_INTERFACES = {"0.0.0.0", "::", "[::]", ""}


def browser_url(host: str, port: str) -> str:
    """The address to open for `runserver HOST:PORT`. Listening on every interface is opened
    as 127.0.0.1 on the machine itself; an IPv6 literal goes in brackets."""
    host = host.strip()
    if host in ALL_INTERFACES:
        host = DEFAULT_HOST
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port.strip() or DEFAULT_PORT}/"


class Command(BaseCommand):
    help = "Tạo (hoặc đặt lại) tài khoản mẫu cho mọi vai trò và in bảng đăng nhập."

    def add_arguments(self, parser):
        parser.add_argument(
            "--host",
            default=os.environ.get("HOST") or DEFAULT_HOST,
            help="Địa chỉ máy chủ đang phục vụ (mặc định: biến môi trường HOST, rồi 127.0.0.1).",
        )
        parser.add_argument(
            "--port",
            default=os.environ.get("PORT") or DEFAULT_PORT,
            help="Cổng (mặc định: biến môi trường PORT, rồi 8000).",
        )

    def handle(self, *args, **options):
        url = browser_url(str(options["host"]), str(options["port"]))
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
        out.write(f"Mở trình duyệt: {url}  (mọi tài khoản dùng chung mật khẩu {DEMO_PASSWORD})")
        out.write("Chỉ dùng để trình diễn: đổi mật khẩu trước khi đưa vào sử dụng thật.")
