"""The open API at national scale (issue 15): 45,000 schools over the 3,321 communes, a third
of them with a recognition history, a quarter with a self-assessment.

Printed figures (each database in its own subprocess, like bench_school_list):
    api_school_pages_<db>          a province of ~1,500 schools listed in pages of 100 through
                                   /api/v1/schools/ with a token (recognition and latest level
                                   on every row), median ms per page
    api_school_pages_floor_<db>    raw SQL for one page: the rows, their decisions, their
                                   assessments, median ms
    api_school_pages_ratio_<db>    page / floor
    api_export_<db>                the streamed export (JSON lines) of all 45,000 schools as a
                                   superuser's token, s
    api_export_floor_<db>          raw SQL reading the same rows, decisions and assessments, s
    api_export_ratio_<db>          export / floor
Run alone: python -m bench api
"""

from __future__ import annotations

import sys
import time

from bench.common import BENCH_DIR, PG_URL, emit, median_ms, run_worker, targets

SCHOOLS = 45_000
PROVINCE_SIZE = 1_500
PAGE = 100
REPEAT = 3  # passes over every page of the province


def run() -> None:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    for label, url in targets(BENCH_DIR / "api.sqlite3", PG_URL.replace("_bench", "_bench_api")):
        run_worker("bench_api", [label], url)


def _seed_register() -> None:
    """Decisions for a third of the schools, a self-assessment for a quarter (bulk)."""
    import datetime as dt

    from django.core.management import call_command

    from assessments.models import Assessment
    from frameworks.models import Framework
    from recognition.models import RecognitionDecision
    from schools.models import School

    if not Framework.objects.exists():
        call_command("load_frameworks", verbosity=0)
    framework = Framework.objects.order_by("code").first()
    ids = list(School.objects.order_by("pk").values_list("pk", flat=True))
    decisions = []
    for n, pk in enumerate(ids[::3]):
        d = RecognitionDecision(
            school_id=pk,
            kind="standard_new",
            signed_on=dt.date(2019 + n % 6, 1 + n % 12, 1 + n % 28),
            level=1 + n % 2,
            number=f"{n}/QĐ-UBND",
            signing_body="UBND tỉnh",
        )
        d.prepare()
        decisions.append(d)
    RecognitionDecision.objects.bulk_create(decisions, batch_size=2000)
    Assessment.objects.bulk_create(
        [
            Assessment(
                school_id=pk,
                school_year="2024-2025",
                framework=framework,
                framework_version=framework.code,
                started_on=dt.date(2024, 10, 1),
                computed_level=1 + pk % 3,
                status="submitted",
            )
            for pk in ids[::4]
        ],
        batch_size=2000,
    )


def _worker(label: str) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from api import services as api_services
    from recognition.models import RecognitionDecision
    from schools.management.commands.generate_national_data import CODE_PREFIX
    from schools.models import School
    from units.models import AdminUnit

    call_command("migrate", verbosity=0, interactive=False)
    if AdminUnit.objects.current().filter(uid__startswith="W").count() < 3321:
        call_command("load_units")
    if School.objects.filter(code__startswith=CODE_PREFIX).count() != SCHOOLS:
        RecognitionDecision.objects.all().delete()
        call_command("generate_national_data", schools=SCHOOLS, seed=1, reset=True)
    if not RecognitionDecision.objects.exists():
        _seed_register()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    counts = {
        p.uid: School.objects.filter(unit__path__startswith=p.path).count()
        for p in AdminUnit.objects.filter(parent__isnull=True, valid_to__isnull=True)
    }
    uid = min(counts, key=lambda u: abs(counts[u] - PROVINCE_SIZE))
    province = AdminUnit.objects.get(uid=uid)
    user_model = get_user_model()
    officer = user_model.objects.get(username=f"gen_so_{uid.lower()}")
    admin = user_model.objects.filter(username="bench_admin").first()
    if admin is None:
        admin = user_model.objects.create_superuser("bench_admin", "", "Bench-Admin-2025!")
    headers = {}
    for name, user in (("officer", officer), ("admin", admin)):
        _token, secret = api_services.token_create(user=user, owner=user, name="Bench")
        headers[name] = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    from django.conf import settings

    settings.API_RATE = "1000000/minute"  # the bench measures the work, not the limit
    client = Client()
    pages = -(-counts[uid] // PAGE)
    url = f"/api/v1/schools/?unit={uid}&page_size={PAGE}&ordering=code"
    first = client.get(url, **headers["officer"])
    assert first.status_code == 200, first.content[:300]
    print(
        f"# {label}: {School.objects.count()} trường; {province.name}: {counts[uid]} trường, "
        f"{pages} trang {PAGE}",
        flush=True,
    )
    samples = []
    for _ in range(REPEAT):
        for page in range(1, pages + 1):
            t0 = time.perf_counter()
            response = client.get(f"{url}&page={page}", **headers["officer"])
            samples.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
    samples.sort()
    page_ms = samples[len(samples) // 2]
    emit(f"api_school_pages_{label}", page_ms, "ms")

    page_sql = (
        "SELECT s.id, s.code, s.national_code, s.name, s.kind, s.ownership, s.special_type,"
        " s.standard_level,"
        " u.uid, u.name, u.path FROM schools_school s JOIN units_adminunit u ON u.id = s.unit_id"
        " WHERE u.path LIKE %s ORDER BY s.code LIMIT 100 OFFSET 700"
    )

    def page_floor() -> None:
        with connection.cursor() as cursor:
            cursor.execute(page_sql, [province.path + "%"])
            ids = [r[0] for r in cursor.fetchall()]
            marks = ",".join(["%s"] * len(ids))
            cursor.execute(
                "SELECT id, school_id, kind, signed_on, level, framework_code, number"
                f" FROM programme_recognitiondecision WHERE school_id IN ({marks})",
                ids,
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT school_id, school_year, status, computed_level"
                f" FROM assessments_assessment WHERE school_id IN ({marks})"
                " ORDER BY school_id, school_year DESC",
                ids,
            )
            cursor.fetchall()

    floor_ms = median_ms(page_floor, repeat=30)
    emit(f"api_school_pages_floor_{label}", floor_ms, "ms")
    emit(f"api_school_pages_ratio_{label}", page_ms / floor_ms if floor_ms else 0.0, "x")

    def export() -> int:
        response = client.get("/api/v1/schools-export/", **headers["admin"])
        return sum(chunk.count(b"\n") for chunk in response.streaming_content)

    t0 = time.perf_counter()
    lines = export()
    export_s = time.perf_counter() - t0
    assert lines == School.objects.count(), lines

    def export_floor() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT s.id, s.code, s.national_code, s.name, s.kind, s.ownership, s.standard_level,"
                " u.uid,"
                " u.name, u.path FROM schools_school s"
                " JOIN units_adminunit u ON u.id = s.unit_id ORDER BY s.id"
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT id, school_id, kind, signed_on, level, framework_code, number"
                " FROM programme_recognitiondecision"
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT school_id, school_year, status, computed_level FROM assessments_assessment"
            )
            cursor.fetchall()

    t0 = time.perf_counter()
    export_floor()
    floor_s = time.perf_counter() - t0
    emit(f"api_export_{label}", export_s, "s")
    emit(f"api_export_floor_{label}", floor_s, "s")
    emit(f"api_export_ratio_{label}", export_s / floor_s if floor_s else 0.0, "x")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        _worker(sys.argv[2])
    else:
        run()
