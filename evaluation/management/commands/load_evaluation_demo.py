"""`python manage.py load_evaluation_demo`: one school through the whole external evaluation
chain and one evaluation under way (run by `make demo` after load_assessment_demo)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from evaluation.demo import load
from schools.management.demo import DemoDataError, demo_create_accounts


class Command(BaseCommand):
    help = (
        "Nạp đánh giá ngoài mẫu: một trường đi hết quy trình đến quyết định công nhận, một"
        " đợt đang đánh giá. Cần chạy load_assessment_demo trước."
    )

    def handle(self, *args, **options):
        try:
            demo_create_accounts()
        except DemoDataError as exc:
            raise CommandError(str(exc)) from exc
        with transaction.atomic():
            for line in load():
                self.stdout.write(line)
