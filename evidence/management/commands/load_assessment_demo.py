"""`python manage.py load_assessment_demo`: two filled-in self-assessments for the demo (run by
`make demo` after load_demo): Huổi Luông (TH) 2025-2026 under TT17-2018 as amended by
TT22/2024, by the demo principal ht_huoiluong, and Dào San (THCS) 2026-2027 under
TT57-2026-PT. Illustrative texts; running it again changes nothing."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from assessments.models import Assessment
from evidence.demo import DemoOptions, demo_assessment
from frameworks.models import Framework
from schools.management.demo import DemoDataError, demo_create_accounts
from schools.models import School

DEMO = (
    # school code, school year, start date, user, options
    ("LC-PT-TH-HUOILUONG", "2025-2026", dt.date(2025, 9, 15), "ht_huoiluong", DemoOptions()),
    (
        "LC-PT-THCS-DAOSAN",
        "2026-2027",
        dt.date(2026, 9, 21),
        "admin",
        DemoOptions(gaps=(("1.1", 2), ("2.3", 2), ("3.4", 2), ("4.3", 2)), seed=2026),
    ),
)


class Command(BaseCommand):
    help = (
        "Nạp hai đợt tự đánh giá mẫu (nội dung minh họa) để xem và in văn bản tự đánh giá. "
        "Cần chạy load_units, load_frameworks và load_demo trước."
    )

    def handle(self, *args, **options):
        if not Framework.objects.exists():
            raise CommandError("Chưa nạp bộ tiêu chuẩn: hãy chạy python manage.py load_frameworks.")
        try:
            demo_create_accounts()
        except DemoDataError as exc:
            raise CommandError(str(exc)) from exc
        users = get_user_model().objects
        for code, year, start, username, opts in DEMO:
            school = School.objects.filter(code=code).select_related("unit").first()
            if school is None:
                raise CommandError(f"Chưa có trường {code}: hãy chạy python manage.py load_demo.")
            found = Assessment.objects.filter(school=school, school_year=year).first()
            if found is None:
                found = demo_assessment(
                    user=users.get(username=username),
                    school=school,
                    school_year=year,
                    on_date=start,
                    options=opts,
                )
                action = "Đã tạo"
            else:
                action = "Đã có"
            self.stdout.write(
                f"{action} đợt tự đánh giá #{found.pk}: {school.name}, năm học {year} "
                f"({found.framework.code})."
            )
