"""Self-assessment workspace (issue 5): opening a criterion sheet that cites 40 evidence items
(goal ≤ 150 ms median), saving it (≤ 100 ms) and a province's progress table of 1,500 schools
(≤ 300 ms). Each figure comes with a raw SQL floor doing the same reads/writes without Django.

The progress table's schools are spread over every status (draft, submitted, returned,
accepted; about one in seven submitted), so the per-row accept / return forms with their CSRF
token are rendered and counted in every timed request, not only the plain rows.

Each database runs in its own subprocess (the settings read DATABASE_URL once at start):
    python -m bench.bench_assessments --worker <label>
Printed figures (median ms, ratio = view / floor):
    asm_sheet_open_<db>, asm_sheet_open_floor_<db>, asm_sheet_open_ratio_<db>
    asm_sheet_save_<db>, asm_sheet_save_floor_<db>, asm_sheet_save_ratio_<db>
    asm_progress_<db>, asm_progress_floor_<db>, asm_progress_ratio_<db>
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
EVIDENCE = 40
REPEAT = 25
PROVINCE_UID = "PB9"
# Own database, so that benchmarks run by several people on one server do not share data.
PG_ASM_URL = (
    PG_URL.rsplit("/", 1)[0] + "/" + os.environ.get("BENCH_ASM_DB", "truongchuan_bench_asm")
)


def run() -> None:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    for label, url in targets(BENCH_DIR / "assessments.sqlite3", PG_ASM_URL):
        run_worker("bench_assessments", [label], url)


def _build() -> None:
    """1,500 primary schools in 30 communes of one province, one 2024-2025 cycle each (sheets
    bulk-created with a spread of filled criteria), and the first school's cycle opened through
    the services with 40 evidence items cited in criterion 1.1."""
    import datetime as dt
    import random

    from django.db import connection, transaction
    from django.utils import timezone

    from assessments import services
    from assessments.models import Assessment, CriterionSheet
    from evidence import services as evidence_services
    from frameworks.models import Criterion, Framework
    from frameworks.services import framework_load_dir

    framework_load_dir()
    rng = random.Random(5)
    province, schools, officer, principal = province_of_schools(
        uid=PROVINCE_UID,
        code="B9",
        name="Tỉnh Thử Nghiệm",
        school_prefix="BENCH-ASM",
        school_name="Trường Tiểu học Bản Lướt",
        kind="TH",
        schools=SCHOOLS,
        users="bench_asm",
    )

    first = services.assessment_start(
        user=principal, school=schools[0], school_year="2024-2025", on_date=dt.date(2024, 10, 1)
    ).assessment
    criterion = Criterion.objects.get(framework=first.framework, code="1.1")
    sheet = first.sheets.get(criterion=criterion)
    for n in range(EVIDENCE):
        item = evidence_services.evidence_create(
            user=principal,
            assessment=first,
            data={
                "first_criterion": criterion,
                "name": f"Biên bản họp hội đồng trường số {n + 1}/BB-HĐT",
                "number": f"{n + 1}/BB-HĐT",
                "issued_on": dt.date(2023, 9, 1) + dt.timedelta(days=7 * n),
            },
        )
        evidence_services.evidence_cite(user=principal, evidence=item, sheet=sheet)

    framework = Framework.objects.get(code="TT17-2018")
    criteria = list(Criterion.objects.filter(framework=framework).order_by("position"))
    now = timezone.now()
    with transaction.atomic():
        others = Assessment.objects.bulk_create(
            [
                Assessment(
                    school=s,
                    school_year="2024-2025",
                    framework=framework,
                    framework_version=first.framework_version,
                    started_on=dt.date(2024, 10, 1),
                    computed_level=rng.choice([0, 0, 1, 2, 3]),
                    last_activity_at=now - dt.timedelta(hours=rng.randint(0, 2000)),
                )
                for s in schools[1:]
            ]
        )
        CriterionSheet.objects.bulk_create(
            [
                CriterionSheet(assessment=a, criterion=c, filled=rng.random() < 0.6)
                for a in others
                for c in criteria
            ],
            batch_size=5000,
        )
    _spread_statuses()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _spread_statuses() -> int:
    """Every 7th school submitted (locked), every 11th returned, every 13th accepted (locked);
    idempotent, so a database built before this spread gets it too. Returns how many rows the
    table must show with accept / return forms."""
    from assessments.models import Assessment, Status

    qs = Assessment.objects.filter(school__code__startswith="BENCH-ASM-").exclude(
        school__code="BENCH-ASM-00000"
    )
    if not qs.filter(status=Status.SUBMITTED).exists():
        for pk, code in qs.values_list("pk", "school__code"):
            n = int(code.rsplit("-", 1)[1])
            status, locked = Status.DRAFT, False
            if n % 13 == 0:
                status, locked = Status.ACCEPTED, True
            elif n % 11 == 0:
                status = Status.RETURNED
            elif n % 7 == 0:
                status, locked = Status.SUBMITTED, True
            if status != Status.DRAFT:
                Assessment.objects.filter(pk=pk).update(status=status, locked=locked)
    return qs.filter(status=Status.SUBMITTED).count()


def _worker(label: str) -> None:
    import django

    django.setup()
    import json

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client

    from assessments.models import Assessment, CriterionSheet
    from units.models import AdminUnit

    call_command("migrate", verbosity=0, interactive=False)
    if not AdminUnit.objects.filter(uid=PROVINCE_UID).exists():
        _build()
    submitted = _spread_statuses()
    user_model = get_user_model()
    principal = user_model.objects.get(username="bench_asm_ht")
    officer = user_model.objects.get(username="bench_asm_so")
    first = Assessment.objects.get(school__code="BENCH-ASM-00000")
    sheet = CriterionSheet.objects.get(assessment=first, criterion__code="1.1")
    print(
        f"# {label}: {Assessment.objects.filter(school__unit__parent__uid=PROVINCE_UID).count()} "
        f"đợt tự đánh giá; tiêu chí 1.1 trích dẫn {sheet.evidence_citations.count()} minh chứng",
        flush=True,
    )

    # ---- open the sheet ----------------------------------------------------------------------
    client = Client()
    client.force_login(principal)
    url = f"/assessments/{first.pk}/tieu-chi/1.1/"
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response.content.decode().count("<code>[H1-1.1-") >= EVIDENCE
    open_ms = median_ms(lambda: client.get(url), repeat=REPEAT)

    def open_floor() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT s.id, s.current_state, s.strengths, s.weaknesses, s.version, c.code,"
                " c.title FROM assessments_criterionsheet s JOIN frameworks_criterion c"
                " ON c.id = s.criterion_id WHERE s.id = %s",
                [sheet.pk],
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT r.id, r.met, i.ident, i.level, i.text FROM assessments_indicatorresult r"
                " JOIN frameworks_indicator i ON i.id = r.indicator_id"
                " WHERE r.assessment_id = %s ORDER BY i.position",
                [first.pk],
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT e.id, e.code, e.name FROM evidence_evidencecitation ec"
                " JOIN evidence_evidence e ON e.id = ec.evidence_id WHERE ec.sheet_id = %s"
                " ORDER BY ec.position, ec.id",
                [sheet.pk],
            )
            cursor.fetchall()

    open_floor_ms = median_ms(open_floor, repeat=REPEAT)
    emit(f"asm_sheet_open_{label}", open_ms, "ms")
    emit(f"asm_sheet_open_floor_{label}", open_floor_ms, "ms")
    emit(f"asm_sheet_open_ratio_{label}", open_ms / open_floor_ms if open_floor_ms else 0.0, "x")

    # ---- save it (the autosave request: every field, one text changed) -----------------------
    state = {"version": CriterionSheet.objects.get(pk=sheet.pk).version, "n": 0}

    def save() -> None:
        state["n"] += 1
        data = {
            "version": state["version"],
            "state_1": f"Nhà trường có kế hoạch chiến lược [H1-1.1-01] (lần {state['n']}).",
            "state_2": "Kế hoạch được rà soát hằng năm [H1-1.1-02].",
            "state_3": "",
            "strengths": "Đội ngũ tâm huyết.",
            "weaknesses": "",
        }
        resp = client.post(url, data, HTTP_X_AUTOSAVE="1")
        assert resp.status_code == 200, resp.content
        state["version"] = json.loads(resp.content)["version"]

    save_ms = median_ms(save, repeat=REPEAT)

    def save_floor() -> None:
        state["n"] += 1
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT version FROM assessments_criterionsheet WHERE id = %s", [sheet.pk]
            )
            cursor.fetchone()
            cursor.execute(
                "UPDATE assessments_criterionsheet SET strengths = %s, version = version + 1"
                " WHERE id = %s",
                [f"Đội ngũ tâm huyết {state['n']}.", sheet.pk],
            )
            cursor.execute(
                "INSERT INTO assessments_changelog (assessment_id, sheet_id, user_id, at, field,"
                " old, new, note) VALUES (%s, %s, %s, CURRENT_TIMESTAMP, 'strengths', '', %s, '')",
                [first.pk, sheet.pk, principal.pk, str(state["n"])],
            )

    save_floor_ms = median_ms(save_floor, repeat=REPEAT)
    emit(f"asm_sheet_save_{label}", save_ms, "ms")
    emit(f"asm_sheet_save_floor_{label}", save_floor_ms, "ms")
    emit(f"asm_sheet_save_ratio_{label}", save_ms / save_floor_ms if save_floor_ms else 0.0, "x")

    # ---- the province's progress table -------------------------------------------------------
    officer_client = Client()
    officer_client.force_login(officer)
    response = officer_client.get("/assessments/tien-do/")
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    rows = page.count('role="progressbar"')
    assert rows == SCHOOLS, rows
    # Every row: share, level, status badge, last activity; the submitted ones: both forms,
    # each with the request's CSRF token.
    assert page.count("<tr data-assessment=") == SCHOOLS
    assert page.count('<span class="badge text-bg-') >= SCHOOLS
    assert page.count('name="next" value="progress"') == 2 * submitted, submitted
    assert page.count('name="csrfmiddlewaretoken"') >= 2 * submitted
    print(f"# {label}: {submitted} trường đã nộp (có nút chấp nhận / trả lại)", flush=True)

    def progress_request() -> None:
        resp = officer_client.get("/assessments/tien-do/")
        assert resp.status_code == 200 and len(resp.content) > 500_000

    progress_ms = median_ms(progress_request, repeat=REPEAT)
    province_path = AdminUnit.objects.get(uid=PROVINCE_UID).path

    def progress_floor() -> None:
        # The same reads as the page, without Django: the rows (school, commune, status, level,
        # last activity), then the filled / total sheet counts grouped by assessment only.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT a.id, a.school_id, sc.name, u.name, a.school_year, a.status, a.locked,"
                " a.computed_level, a.last_activity_at"
                " FROM assessments_assessment a JOIN schools_school sc ON sc.id = a.school_id"
                " JOIN units_adminunit u ON u.id = sc.unit_id"
                " WHERE u.path LIKE %s ORDER BY sc.sort_key, a.school_id, a.school_year DESC",
                [province_path + "%"],
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT s.assessment_id, COUNT(s.id), SUM(CASE WHEN s.filled THEN 1 ELSE 0 END)"
                " FROM assessments_criterionsheet s WHERE s.assessment_id IN ("
                " SELECT a.id FROM assessments_assessment a"
                " JOIN schools_school sc ON sc.id = a.school_id"
                " JOIN units_adminunit u ON u.id = sc.unit_id WHERE u.path LIKE %s)"
                " GROUP BY s.assessment_id",
                [province_path + "%"],
            )
            cursor.fetchall()

    progress_floor_ms = median_ms(progress_floor, repeat=REPEAT)
    emit(f"asm_progress_{label}", progress_ms, "ms")
    emit(f"asm_progress_floor_{label}", progress_floor_ms, "ms")
    emit(
        f"asm_progress_ratio_{label}",
        progress_ms / progress_floor_ms if progress_floor_ms else 0.0,
        "x",
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        _worker(sys.argv[2])
    else:
        run()
