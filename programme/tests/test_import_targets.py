"""Excel import of a plan's school targets on the core.imports pipeline: template round trip,
all or nothing with row + column messages, schools outside the scope refused, who may import."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programme.importing_targets import COLUMNS, DATA_SHEET, SPEC
from programme.models import PlanSchoolTarget, ProgrammePlan

HEADER = [c.label for c in COLUMNS]
SESSION_KEY = SPEC.key


@pytest.fixture
def this_year() -> int:
    return 2026


@pytest.fixture
def plan(commune, this_year) -> ProgrammePlan:
    return ProgrammePlan.objects.create(
        unit=commune,
        kind="ke_hoach",
        issuing_body="UBND xã Phong Thổ",
        title="Kế hoạch xây dựng trường chuẩn của xã",
        start_year=this_year - 1,
        end_year=this_year + 1,
    )


def xlsx(rows, header=HEADER) -> SimpleUploadedFile:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    ws.append(header)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("chi-tieu.xlsx", buf.getvalue())


def url(plan, suffix=""):
    return reverse(f"programme:plan_targets_import{suffix}", kwargs={"pk": plan.pk})


def upload(client, plan, f):
    return client.post(url(plan), {"file": f})


def confirm(client, plan, response):
    return client.post(url(plan, "_confirm"), {"token": response.context["token"]})


def test_a_valid_file_writes_every_target(client, commune_officer, plan, school, this_year):
    client.force_login(commune_officer)
    rows = [
        [school.code, this_year, "Công nhận mới Mức độ 1", "Đã có kế hoạch"],
        [school.code, None, "maintain", ""],
        [school.code, this_year + 1, "nâng mức độ 1 lên mức độ 2", None],
    ]
    response = upload(client, plan, xlsx(rows))
    assert response.status_code == 200, response.context.get("errors_shown")
    assert "Thêm mới: 3" in response.content.decode()
    assert not PlanSchoolTarget.objects.exists()  # the preview writes nothing
    response = confirm(client, plan, response)
    assert response.status_code == 302
    assert response["Location"] == reverse("programme:plan", kwargs={"pk": plan.pk})
    got = sorted(
        (t.year or 0, t.target, t.note) for t in PlanSchoolTarget.objects.filter(plan=plan)
    )
    assert got == [
        (0, "maintain", ""),
        (this_year, "new_1", "Đã có kế hoạch"),
        (this_year + 1, "upgrade", ""),
    ]


def test_one_bad_row_writes_nothing_and_names_row_and_column(
    client, commune_officer, plan, school, this_year
):
    client.force_login(commune_officer)
    rows = [
        [school.code, this_year, "Công nhận mới Mức độ 1", ""],
        [school.code, this_year + 5, "Duy trì chuẩn", ""],
        [school.code, this_year, "Khen thưởng", ""],
        [school.code, this_year, "new_1", ""],
    ]
    response = upload(client, plan, xlsx(rows))
    assert response.status_code == 400
    errors = response.context["errors_shown"]
    assert any(e.startswith("Dòng 3, cột «Năm»: năm") and "ngoài giai đoạn" in e for e in errors)
    assert any(e.startswith("Dòng 4, cột «Chỉ tiêu»: giá trị «Khen thưởng»") for e in errors)
    assert any(e.startswith("Dòng 5, cột «Chỉ tiêu»: trùng với dòng 2") for e in errors)
    assert "token" not in response.context
    assert SESSION_KEY not in client.session
    assert not PlanSchoolTarget.objects.exists()


def test_schools_outside_the_scope_are_refused(
    client, commune_officer, plan, school, sibling_school, outside_school, this_year
):
    client.force_login(commune_officer)
    rows = [
        [school.code, this_year, "new_1", ""],
        [sibling_school.code, this_year, "new_1", ""],
        [outside_school.code, this_year, "new_1", ""],
    ]
    response = upload(client, plan, xlsx(rows))
    assert response.status_code == 400
    errors = response.context["errors_shown"]
    for number, code in ((3, sibling_school.code), (4, outside_school.code)):
        assert (
            f"Dòng {number}, cột «Mã trường»: không có trường mã «{code}» trong phạm vi của bạn."
            in errors
        )
    assert sibling_school.name not in response.content.decode()
    assert not PlanSchoolTarget.objects.exists()


def test_an_existing_target_is_unchanged_and_a_new_note_updates_it(
    client, commune_officer, plan, school, this_year
):
    PlanSchoolTarget.objects.create(plan=plan, school=school, year=this_year, target="new_1")
    PlanSchoolTarget.objects.create(plan=plan, school=school, year=None, target="maintain")
    client.force_login(commune_officer)
    rows = [
        [school.code, this_year, "new_1", ""],
        [school.code, None, "maintain", "Giữ chuẩn"],
    ]
    response = upload(client, plan, xlsx(rows))
    content = response.content.decode()
    assert "Không đổi: 1" in content and "Cập nhật: 1" in content
    confirm(client, plan, response)
    assert PlanSchoolTarget.objects.get(year=None).note == "Giữ chuẩn"
    assert PlanSchoolTarget.objects.count() == 2


def test_the_template_round_trips(client, commune_officer, plan, school, this_year):
    client.force_login(commune_officer)
    response = client.get(url(plan, "_template"))
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert wb.sheetnames == [DATA_SHEET, "Hướng dẫn", "Mã trường"]
    assert [c.value for c in wb[DATA_SHEET][1]] == HEADER
    codes = [r[0] for r in wb["Mã trường"].iter_rows(min_row=2, values_only=True)]
    assert codes == [school.code]
    notes = " ".join(str(v) for r in wb["Hướng dẫn"].iter_rows(values_only=True) for v in r if v)
    assert "Công nhận mới Mức độ 1" in notes and "Ví dụ" in notes
    ws = wb[DATA_SHEET]
    ws.append([codes[0], this_year, "Duy trì chuẩn", "Từ tệp mẫu"])
    buf = io.BytesIO()
    wb.save(buf)
    response = upload(client, plan, SimpleUploadedFile("mau.xlsx", buf.getvalue()))
    assert response.status_code == 200, response.context.get("errors_shown")
    confirm(client, plan, response)
    assert PlanSchoolTarget.objects.get().note == "Từ tệp mẫu"


def test_only_who_may_edit_the_plans_targets_imports(
    client, principal, plan, school, this_year, make_user, sibling_commune
):
    client.force_login(principal)  # sees the plan (it names the school) but may not edit it
    PlanSchoolTarget.objects.create(plan=plan, school=school, year=this_year, target="new_1")
    assert client.get(reverse("programme:plan", kwargs={"pk": plan.pk})).status_code == 200
    for suffix in ("", "_template"):  # inside the scope without the right: 403
        assert client.get(url(plan, suffix)).status_code == 403
    assert upload(client, plan, xlsx([[school.code, None, "maintain", ""]])).status_code == 403
    assert client.post(url(plan, "_confirm"), {"token": "x"}).status_code == 403
    neighbour = make_user("commune_officer", unit=sibling_commune)
    client.force_login(neighbour)
    assert client.get(url(plan)).status_code == 404
    assert PlanSchoolTarget.objects.count() == 1


def test_the_plan_page_links_to_the_import(client, commune_officer, plan):
    client.force_login(commune_officer)
    page = client.get(reverse("programme:plan", kwargs={"pk": plan.pk})).content.decode()
    assert url(plan) in page and url(plan, "_template") in page


def test_a_rejected_file_answers_400(client, commune_officer, plan):
    client.force_login(commune_officer)
    response = upload(client, plan, SimpleUploadedFile("x.xlsx", b"%PDF-1.4"))
    assert response.status_code == 400
    assert "không phải Excel" in response.context["file_error"]
