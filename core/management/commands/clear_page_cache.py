"""`manage.py clear_page_cache`: after a change made outside the application (psql by hand, a
restored dump loaded by other tools), every app server renders its pages afresh
(core.page_cache)."""

from django.core.management.base import BaseCommand

from core import page_cache


class Command(BaseCommand):
    help = (
        "Bỏ mọi trang đã lưu sẵn trên mọi máy chủ ứng dụng (dùng sau khi sửa dữ liệu bên ngoài "
        "ứng dụng)."
    )

    def handle(self, *args, **options):
        page_cache.bump()
        self.stdout.write("Đã bỏ các trang lưu sẵn: mọi trang sẽ được dựng lại từ dữ liệu mới.")
