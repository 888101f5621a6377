"""Recognition register at province scale (issue 4): a province of 1,500 schools with 10 years
of decisions (new recognitions, renewals every 5 years, upgrades, accreditations, a few
revocations) in a throwaway SQLite database. Times the "expiring within 12 months" list
(full view through django.test.Client as a province officer: middleware, session, scope, the
per-school latest-decision subqueries, count, page of 100, template) against a raw SQL floor
returning the same page. Printed figures:
    register_expiring_1500    full view, median ms
    register_expiring_selector  selector only (count + page + accreditation), median ms
    register_expiring_floor   raw SQL (count + page), median ms
    register_expiring_ratio   view / floor
Run alone: python -m bench register   (or python -m bench.bench_register)
"""

from __future__ import annotations

import random
import sys

from bench.common import BENCH_DIR, emit, median_ms, run_worker

SCHOOLS = 1_500
COMMUNES = 60
YEARS = 10
REPEAT = 30
PROVINCE_UID = "PBENCH"
DB_PATH = BENCH_DIR / "register.sqlite3"


def run() -> None:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    run_worker("bench_register", [], f"sqlite:///{DB_PATH}")


def school_history(rng: random.Random, *, today, start, span: int) -> list[tuple]:
    """One school's register over the window [start, today] as (kind, date, level), in date
    order, always starting with a "new" recognition: three schools in four are recognised
    (first half of the window), re-recognised 10–150 days before each 5-year expiry unless
    let lapse (15%), some upgraded to Mức độ 2 two years or more after Mức độ 1 (30%), a few
    revoked (3%); one in two also has an accreditation decision. Shared with bench_documents."""
    import datetime as dt

    from recognition import rules

    out: list[tuple] = []
    if rng.random() < 0.75:  # three schools in four have been recognised
        day = start + dt.timedelta(days=rng.randrange(span // 2))
        level = 1
        out.append((rules.STANDARD_NEW, day, level))
        while True:
            nxt = rules.add_years(day, 5) - dt.timedelta(days=rng.randrange(10, 150))
            if level == 1 and rng.random() < 0.3:
                up = rules.add_years(day, 2) + dt.timedelta(days=rng.randrange(200))
                if up <= today:
                    day, level = up, 2
                    out.append((rules.STANDARD_UPGRADE, day, 2))
                    continue
            if nxt > today or rng.random() < 0.15:
                break  # not yet due, or let it lapse
            day = nxt
            out.append((rules.STANDARD_RENEWAL, day, level))
        if rng.random() < 0.03 and day < today:
            out.append((rules.REVOCATION, min(today, day + dt.timedelta(days=400)), None))
    if rng.random() < 0.5:
        out.append(
            (
                rules.ACCREDITATION,
                start + dt.timedelta(days=rng.randrange(span)),
                rng.choice([1, 2, 2, 3]),
            )
        )
    return out


def _generate(province, user_model) -> None:
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Membership, Role
    from recognition import rules
    from recognition.models import RecognitionDecision
    from schools.models import School
    from units.models import AdminUnit

    rng = random.Random(4)
    today = timezone.localdate()
    start = rules.add_years(today, -YEARS)
    span = (today - start).days
    with transaction.atomic():
        communes = [
            AdminUnit.objects.create(
                uid=f"WB{i:04d}",
                code=f"9{i:04d}",
                name=f"Xã Thử Nghiệm {i}",
                division_type="xã",
                parent=province,
            )
            for i in range(COMMUNES)
        ]
        kinds = ["MN", "TH", "THCS", "TH&THCS"]
        schools = [
            School(
                code=f"BR-{i:05d}",
                name=f"Trường {kinds[i % 4]} Thử Nghiệm số {i}",
                kind=kinds[i % 4],
                unit=communes[i % COMMUNES],
            )
            for i in range(SCHOOLS)
        ]
        for s in schools:
            s.refresh_text_keys()
        School.objects.bulk_create(schools, batch_size=500)
        schools = list(School.objects.filter(code__startswith="BR-"))
        decisions: list[RecognitionDecision] = []
        seq = 0

        def add(school, kind, day, level=None):
            nonlocal seq
            seq += 1
            d = RecognitionDecision(
                school=school,
                kind=kind,
                signed_on=day,
                level=level,
                number=f"{seq}/QĐ-SGDĐT",
                signing_body="Sở GD&ĐT Thử Nghiệm",
                framework_code="TT17-2018" if day >= dt.date(2018, 10, 10) else "TT59-2012",
            )
            d.prepare()
            decisions.append(d)

        for school in schools:
            for kind, day, level in school_history(rng, today=today, start=start, span=span):
                add(school, kind, day, level)
        RecognitionDecision.objects.bulk_create(decisions, batch_size=1000)
        officer = user_model.objects.create_user("bench_so", password="Bench-So-2025!")
        Membership.objects.create(user=officer, unit=province, role=Role.PROVINCE_OFFICER)


def _worker() -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from recognition import rules, selectors
    from recognition.models import RecognitionDecision
    from recognition.views import STATUS_PAGE_SIZE
    from schools.models import School
    from units.models import AdminUnit

    call_command("migrate", verbosity=0, interactive=False)
    user_model = get_user_model()
    province = AdminUnit.objects.filter(uid=PROVINCE_UID).first()
    if province is None or School.objects.filter(code__startswith="BR-").count() != SCHOOLS:
        if province is not None:  # a half-built file from an interrupted run: start again
            connection.close()
            DB_PATH.unlink()
            call_command("migrate", verbosity=0, interactive=False)
        province = AdminUnit.objects.create(
            uid=PROVINCE_UID, code="99", name="Tỉnh Thử Nghiệm", division_type="tỉnh"
        )
        _generate(province, user_model)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    officer = user_model.objects.get(username="bench_so")
    today = timezone.localdate()
    months = rules.DEFAULT_EXPIRING_MONTHS
    url = f"/programme/expiring/?months={months}"

    client = Client()
    client.force_login(officer)
    response = client.get(url)
    if response.status_code != 200:
        print(f"# {url} trả về {response.status_code}", flush=True)
        return
    shown = selectors.expiring(user=officer, on=today, months=months).count()
    print(
        f"# sqlite: {School.objects.count()} trường, {RecognitionDecision.objects.count()}"
        f" quyết định; {shown} trường sắp hết hạn trong {months} tháng; GET {url}",
        flush=True,
    )
    view_ms = median_ms(lambda: client.get(url), repeat=REPEAT)
    emit("register_expiring_1500", view_ms, "ms")

    def selector() -> None:
        # Count + one page + accreditation levels, as the view runs them, without HTTP/template.
        user = user_model.objects.get(pk=officer.pk)
        qs = selectors.expiring(user=user, on=today, months=months)
        qs.count()
        page = list(qs[:STATUS_PAGE_SIZE])
        selectors.accreditation_levels(on=today, school_ids=[d.school_id for d in page])

    emit("register_expiring_selector", median_ms(selector, repeat=REPEAT), "ms")

    # The floor: the same count and first page in hand-written SQL (one correlated subquery
    # for the latest national-standard decision per school), no ORM, no scope, no template.
    latest = (
        "(SELECT d2.id FROM programme_recognitiondecision d2 WHERE d2.school_id = s.id"
        " AND d2.track = 'standard' AND d2.signed_on <= %s ORDER BY d2.signed_on DESC,"
        " d2.id DESC LIMIT 1)"
    )
    where = (
        " FROM schools_school s JOIN units_adminunit u ON u.id = s.unit_id"
        f" JOIN programme_recognitiondecision d ON d.id = {latest}"
        " WHERE u.path LIKE %s AND d.kind NOT IN ('revocation', 'accreditation_revocation')"
        " AND d.valid_until >= %s AND d.valid_until <= %s"
    )
    params = [today, province.path + "%", today, rules.add_months(today, months)]
    count_sql = "SELECT COUNT(*)" + where
    page_sql = (
        "SELECT s.id, s.code, s.name, u.name, d.number, d.signed_on, d.level, d.valid_until"
        + where
        + f" ORDER BY d.valid_until, s.sort_key LIMIT {int(STATUS_PAGE_SIZE)}"
    )

    def floor() -> None:
        with connection.cursor() as cursor:
            cursor.execute(count_sql, params)
            cursor.fetchone()
            cursor.execute(page_sql, params)
            cursor.fetchall()

    with connection.cursor() as cursor:
        cursor.execute(count_sql, params)
        floor_count = cursor.fetchone()[0]
    if floor_count != shown:
        print(f"# cảnh báo: SQL sàn đếm {floor_count}, trang đếm {shown}", flush=True)
    floor_ms = median_ms(floor, repeat=REPEAT)
    emit("register_expiring_floor", floor_ms, "ms")
    emit("register_expiring_ratio", view_ms / floor_ms if floor_ms else 0.0, "x")


if __name__ == "__main__":
    if "--worker" in sys.argv:
        _worker()
    else:
        run()
