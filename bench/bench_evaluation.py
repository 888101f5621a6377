"""External evaluation (issue 12): the divergence page of a 28-criterion school (TT18-2018,
goal ≤ 150 ms median) and a province's registration queue with 1,500 schools, first page of 100 with the
counts per status (≤ 300 ms). Each
figure comes with a raw SQL floor doing the same reads without Django, and the ratio.

Each database runs in its own subprocess (the settings read DATABASE_URL once at start):
    python -m bench.bench_evaluation --worker <label>
Printed figures (median ms, ratio = view / floor):
    ee_divergence_<db>, ee_divergence_floor_<db>, ee_divergence_ratio_<db>
    ee_queue_<db>, ee_queue_floor_<db>, ee_queue_ratio_<db>
"""

from __future__ import annotations

import os
import sys

from bench.common import (
    BENCH_DIR,
    PG_URL,
    emit,
    median_ms,
    province_of_schools,
    run_worker,
    targets,
)

SCHOOLS = 1_500
REPEAT = 25
PROVINCE_UID = "PE9"
PG_EE_URL = PG_URL.rsplit("/", 1)[0] + "/" + os.environ.get("BENCH_EE_DB", "truongchuan_bench_ee")


def run() -> None:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    for label, url in targets(BENCH_DIR / "evaluation.sqlite3", PG_EE_URL):
        run_worker("bench_evaluation", [label], url)


def _build() -> None:
    """1,500 lower-secondary schools in 30 communes of one province, each with an accepted
    2024-2025 self-assessment (bulk) and a submitted registration; the first school's cycle
    opened through the services, every indicator decided, and an evaluation whose team judged
    every indicator, one in nine the other way round."""
    import datetime as dt

    from django.db import connection, transaction
    from django.utils import timezone

    from assessments import services
    from assessments.models import Assessment, IndicatorResult
    from evaluation.models import Evaluation, Registration, TeamJudgment
    from frameworks.models import Framework, Indicator
    from frameworks.services import framework_load_dir

    framework_load_dir()
    province, schools, officer, principal = province_of_schools(
        uid=PROVINCE_UID,
        code="E9",
        name="Tỉnh Đánh Giá",
        school_prefix="BENCH-EE",
        school_name="Trường THCS Nậm Xe",
        kind="THCS",
        schools=SCHOOLS,
        users="bench_ee",
    )

    first = services.assessment_start(
        user=principal, school=schools[0], school_year="2024-2025", on_date=dt.date(2024, 10, 1)
    ).assessment
    framework = Framework.objects.get(code="TT18-2018")
    assert first.framework_id == framework.pk
    indicators = list(Indicator.objects.filter(framework=framework).order_by("position"))
    with transaction.atomic():
        IndicatorResult.objects.filter(assessment=first).update(met=True)
        Assessment.objects.filter(pk=first.pk).update(status="accepted", locked=True)
        others = Assessment.objects.bulk_create(
            [
                Assessment(
                    school=s,
                    school_year="2024-2025",
                    framework=framework,
                    framework_version=first.framework_version,
                    started_on=dt.date(2024, 10, 1),
                    status="accepted",
                    locked=True,
                    computed_level=2,
                )
                for s in schools[1:]
            ]
        )
        now = timezone.now()
        regs = Registration.objects.bulk_create(
            [
                Registration(
                    school_id=a.school_id,
                    assessment=a,
                    purpose="new",
                    target_level=1,
                    status="submitted",
                    self_level=2,
                    submitted_at=now - dt.timedelta(minutes=n),
                    checks=[{"code": "assessment", "severity": "ok", "message": "Đã chấp nhận"}],
                )
                for n, a in enumerate(others)
            ]
        )
        assert len(regs) == SCHOOLS - 1
        done = Registration.objects.create(
            school=schools[0], assessment=first, purpose="new", target_level=2, status="accepted"
        )
        evaluation = Evaluation.objects.create(
            registration=done,
            school=schools[0],
            assessment=first,
            framework=framework,
            status="evaluating",
        )
        TeamJudgment.objects.bulk_create(
            [
                TeamJudgment(
                    evaluation=evaluation,
                    indicator=ind,
                    met=n % 9 != 0,
                    reason="Chưa đủ minh chứng" if n % 9 == 0 else "",
                )
                for n, ind in enumerate(indicators)
            ]
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _worker(label: str) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from evaluation.models import Evaluation, Registration
    from units.models import AdminUnit

    call_command("migrate", verbosity=0, interactive=False)
    if not AdminUnit.objects.filter(uid=PROVINCE_UID).exists():
        _build()
    officer = get_user_model().objects.get(username="bench_ee_so")
    evaluation = Evaluation.objects.get(school__code="BENCH-EE-00000")
    criteria = evaluation.framework.criteria.count()
    print(f"# {label}: {criteria} tiêu chí; {Registration.objects.count()} đăng ký", flush=True)
    client = Client()
    client.force_login(officer)

    # ---- divergence ---------------------------------------------------------------------------
    url = f"/danh-gia-ngoai/{evaluation.pk}/doi-chieu/"
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    assert page.count("Đoàn hạ") > 10, "the lowered indicators are shown"
    div_ms = median_ms(lambda: client.get(url), repeat=REPEAT)

    def div_floor() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, ident, level, text, criterion_id FROM frameworks_indicator"
                " WHERE framework_id = %s ORDER BY position",
                [evaluation.framework_id],
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT indicator_id, met FROM assessments_indicatorresult"
                " WHERE assessment_id = %s",
                [evaluation.assessment_id],
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT indicator_id, met, reason FROM evaluation_teamjudgment"
                " WHERE evaluation_id = %s",
                [evaluation.pk],
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT id, code, title FROM frameworks_criterion WHERE framework_id = %s"
                " ORDER BY position",
                [evaluation.framework_id],
            )
            cursor.fetchall()

    div_floor_ms = median_ms(div_floor, repeat=REPEAT)
    emit(f"ee_divergence_{label}", div_ms, "ms")
    emit(f"ee_divergence_floor_{label}", div_floor_ms, "ms")
    emit(f"ee_divergence_ratio_{label}", div_ms / div_floor_ms if div_floor_ms else 0.0, "x")

    # ---- the province's registration queue (one page of 100, the counts per status) --------
    response = client.get("/danh-gia-ngoai/")
    assert response.status_code == 200
    rows = response.content.decode().count("/danh-gia-ngoai/dang-ky/r/")
    assert rows >= 100, rows
    assert "page=15" in client.get("/danh-gia-ngoai/?page=14").content.decode()
    queue_ms = median_ms(lambda: client.get("/danh-gia-ngoai/"), repeat=REPEAT)
    path = AdminUnit.objects.get(uid=PROVINCE_UID).path

    def queue_floor() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT r.status, COUNT(*) FROM evaluation_registration r"
                " JOIN schools_school sc ON sc.id = r.school_id"
                " JOIN units_adminunit u ON u.id = sc.unit_id"
                " WHERE u.path LIKE %s GROUP BY r.status",
                [path + "%"],
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT r.id, r.purpose, r.target_level, r.deadline, r.late, r.status,"
                " sc.name, u.name FROM evaluation_registration r"
                " JOIN schools_school sc ON sc.id = r.school_id"
                " JOIN units_adminunit u ON u.id = sc.unit_id"
                " WHERE r.status = 'submitted' AND u.path LIKE %s"
                " ORDER BY r.deadline, r.submitted_at DESC, r.id DESC LIMIT 100",
                [path + "%"],
            )
            cursor.fetchall()

    queue_floor_ms = median_ms(queue_floor, repeat=REPEAT)
    emit(f"ee_queue_{label}", queue_ms, "ms")
    emit(f"ee_queue_floor_{label}", queue_floor_ms, "ms")
    emit(f"ee_queue_ratio_{label}", queue_ms / queue_floor_ms if queue_floor_ms else 0.0, "x")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        _worker(sys.argv[2])
    else:
        run()
