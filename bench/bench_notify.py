"""Issue 14's two figures, on SQLite and PostgreSQL:

(a) The Sở officer's home page with its to-do for a province of 1,500 schools and ten years of
    decisions (bench_register's generator), through django.test.Client. Goal ≤ 200 ms.
        notify_home_province_1500_<db>      full page, median ms
        notify_home_floor_<db>              the to-do's counts in raw SQL, median ms
        notify_home_ratio_<db>              page / floor
(b) The daily digest for 45,000 schools' staff (one person per school, two pending notifications
    each), built and "sent" by the worker's task body through the database mail backend.
    Goal ≤ 60 s.
        notify_digest_45000_<db>            s
        notify_digest_floor_<db>            raw SQL: read the rows, write one mail row each, mark sent
        notify_digest_ratio_<db>            digest / floor

    python -m bench.bench_notify --worker <home|digest> <label>
Databases: build/bench/dashboard.sqlite3 (shared with bench_dashboard's province) and
build/bench/notify_digest.sqlite3; PostgreSQL truongchuan_bench_dash and truongchuan_bench_notify.
"""

from __future__ import annotations

import os
import sys
import time

from bench.common import BENCH_DIR, emit, median_ms, run_worker, targets

PG_BASE = "postgres://postgres@127.0.0.1:5432/"
PEOPLE = 45_000
REPEAT = 20
# BENCH_NOTIFY_PARTS=home (or digest) runs one part only.
ONLY = {p for p in os.environ.get("BENCH_NOTIFY_PARTS", "").split(",") if p}


def run() -> None:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    parts = [
        ("home", "dashboard.sqlite3", "truongchuan_bench_dash"),
        ("digest", "notify_digest.sqlite3", "truongchuan_bench_notify"),
    ]
    for part, sqlite_name, pg_name in parts:
        if ONLY and part not in ONLY:
            continue
        for label, url in targets(BENCH_DIR / sqlite_name, PG_BASE + pg_name):
            run_worker("bench_notify", [part, label], url, STATIC_MANIFEST="0")


HOME_FLOOR_SQL = [
    "SELECT COUNT(*) FROM assessments_assessment a JOIN schools_school s ON s.id = a.school_id"
    " JOIN units_adminunit u ON u.id = s.unit_id WHERE a.status = 'submitted' AND u.path LIKE %s",
    "SELECT COUNT(*) FROM programme_recognitiondecision d JOIN schools_school s ON"
    " s.id = d.school_id JOIN units_adminunit u ON u.id = s.unit_id WHERE d.track = 'standard'"
    " AND d.valid_until BETWEEN %s AND %s AND u.path LIKE %s",
    "SELECT s.kind, s.standard_level, COUNT(*) FROM schools_school s JOIN units_adminunit u"
    " ON u.id = s.unit_id WHERE u.path LIKE %s GROUP BY 1, 2",
]


def _home(label: str) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from bench.bench_register import PROVINCE_UID, _generate
    from recognition import rules
    from schools.models import School
    from units.models import AdminUnit

    call_command("migrate", verbosity=0, interactive=False)
    user_model = get_user_model()
    province = AdminUnit.objects.filter(uid=PROVINCE_UID).first()
    if province is None or School.objects.count() != 1_500:
        call_command("flush", verbosity=0, interactive=False)
        province = AdminUnit.objects.create(
            uid=PROVINCE_UID, code="99", name="Tỉnh Thử Nghiệm", division_type="tỉnh"
        )
        _generate(province, user_model)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    officer = user_model.objects.get(username="bench_so")
    client = Client()
    client.force_login(officer)
    response = client.get("/")
    if response.status_code != 200 or "Việc cần làm hôm nay" not in response.content.decode():
        print(f"# {label}: / trả về {response.status_code} hoặc thiếu việc cần làm", flush=True)
        return
    today = timezone.localdate()
    end = rules.add_months(today, 12)
    like = province.path + "%"

    def floor() -> None:
        with connection.cursor() as cursor:
            cursor.execute(HOME_FLOOR_SQL[0], [like])
            cursor.fetchall()
            cursor.execute(HOME_FLOOR_SQL[1], [today, end, like])
            cursor.fetchall()
            cursor.execute(HOME_FLOOR_SQL[2], [like])
            cursor.fetchall()

    page = median_ms(lambda: client.get("/"), REPEAT)
    raw = median_ms(floor, REPEAT)
    emit(f"notify_home_province_1500_{label}", page, "ms")
    emit(f"notify_home_floor_{label}", raw, "ms")
    emit(f"notify_home_ratio_{label}", page / raw if raw else 0, "x")


def _seed_digest() -> None:
    """45,000 people with an address, two pending digest notifications each (bulk)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from notifications.models import Notification

    user_model = get_user_model()
    people = user_model.objects.filter(username__startswith="bench_ht_").count()
    if people == PEOPLE and Notification.objects.count() == 2 * PEOPLE:
        # Kept from the previous run (deleting 45,000 audited users is slow): pending again.
        Notification.objects.update(mail_state="pending", mailed_at=None)
        return
    with transaction.atomic():
        Notification.objects.all().delete()
        user_model.objects.filter(username__startswith="bench_ht_").delete()
        users = [
            user_model(
                username=f"bench_ht_{i:05d}",
                email=f"ht{i:05d}@truong.example.org",
                last_name=f"Hiệu trưởng {i}",
                password="!",
            )
            for i in range(PEOPLE)
        ]
        user_model.objects.bulk_create(users, batch_size=5000)
    ids = list(
        user_model.objects.filter(username__startswith="bench_ht_").values_list("pk", flat=True)
    )
    rows = []
    for n, pk in enumerate(ids):
        for k in range(2):
            rows.append(
                Notification(
                    recipient_id=pk,
                    kind="recognition_expiry" if k else "monthly_missing",
                    title=f"Trường số {n} chưa gửi báo cáo tiến độ tháng 11/2026"
                    if not k
                    else f"Công nhận đạt chuẩn của Trường số {n} hết hạn ngày 01/09/2027",
                    body="Kế hoạch: Đề án xây dựng trường chuẩn giai đoạn 2026-2030.",
                    link=f"/programme/schools/B-{n:05d}/recognitions/",
                    key=f"bench:{n}:{k}",
                    delivery="digest",
                    mail_state="pending",
                )
            )
        if len(rows) >= 10_000:
            Notification.objects.bulk_create(rows, batch_size=5000)
            rows.clear()
    Notification.objects.bulk_create(rows, batch_size=5000)


DIGEST_FLOOR_READ = (
    "SELECT n.id, n.recipient_id, n.title, n.body, n.link, n.created, u.email FROM"
    " notifications_notification n JOIN auth_user u ON u.id = n.recipient_id"
    " WHERE n.delivery = 'digest' AND n.mail_state = 'pending' ORDER BY n.recipient_id, n.created"
)


def _digest(label: str) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import override_settings

    from notifications import delivery
    from notifications.models import OutboxMail

    call_command("migrate", verbosity=0, interactive=False)
    _seed_digest()
    with override_settings(EMAIL_BACKEND="notifications.mail.DatabaseBackend"):
        OutboxMail.objects.all().delete()
        t0 = time.perf_counter()
        mails = delivery.build_and_send_digest()
        built = time.perf_counter() - t0
    print(f"# {label}: {mails} thư tổng hợp cho {PEOPLE} người", flush=True)
    _seed_digest()
    OutboxMail.objects.all().delete()
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(DIGEST_FLOOR_READ)
        grouped: dict[int, list] = {}
        ids = []
        for row in cursor.fetchall():
            grouped.setdefault(row[1], []).append(row)
            ids.append(row[0])
        with transaction.atomic():
            cursor.executemany(
                'INSERT INTO notifications_outboxmail ("to", from_email, subject, body, html,'
                " sent_at) VALUES (%s, '', %s, %s, '', CURRENT_TIMESTAMP)",
                [
                    (rows[0][6], "Tổng hợp", "\n".join(r[2] + "\n" + r[4] for r in rows))
                    for rows in grouped.values()
                ],
            )
            cursor.execute(
                "UPDATE notifications_notification SET mail_state = 'sent'"
                " WHERE mail_state = 'pending'"
            )
    floor = time.perf_counter() - t0
    emit(f"notify_digest_45000_{label}", built, "s")
    emit(f"notify_digest_floor_{label}", floor, "s")
    emit(f"notify_digest_ratio_{label}", built / floor if floor else 0, "x")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--worker":
        import django

        django.setup()
        {"home": _home, "digest": _digest}[sys.argv[2]](sys.argv[3])
    else:
        run()
