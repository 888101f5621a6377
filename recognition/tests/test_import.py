import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recognition import rules
from recognition.importing import COLUMNS, DATA_SHEET
from recognition.models import RecognitionDecision

HEADER = [c.label for c in COLUMNS]


def xlsx(rows, header=HEADER) -> SimpleUploadedFile:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    ws.append(header)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("qd.xlsx", buf.getvalue())


def row(code, number, signed, kind, level=None, body="Sở GD&ĐT Lai Châu", framework=""):
    return [code, number, signed, kind, level, body, "Giám đốc", "Lê Văn C", framework, ""]


def good_rows(school, sibling_school):
    return [
        row(
            school.code,
            "100/QĐ-UBND",
            "12/03/2016",
            "Công nhận mới",
            1,
            "UBND tỉnh Lai Châu",
            "TT59-2012",
        ),
        row(
            school.code,
            "200/QĐ-UBND",
            dt.datetime(2021, 3, 1),
            "Công nhận lại",
            "Mức độ 1",
            "UBND tỉnh Lai Châu",
        ),
        row(school.code, "300/QĐ-SGDĐT", "02/06/2025", "Nâng mức", 2),
        row(sibling_school.code, "50/QĐ-SGDĐT", "2019-11-20", "Kiểm định", "Cấp độ 2"),
    ]


def upload(client, f):
    return client.post(reverse("programme:import"), {"file": f})


def test_happy_path_preview_then_confirm(client, province_officer, school, sibling_school):
    client.force_login(province_officer)
    response = upload(client, xlsx(good_rows(school, sibling_school)))
    assert response.status_code == 200, response.context.get("errors_shown")
    assert not RecognitionDecision.objects.exists()  # preview writes nothing
    token = response.context["token"]
    response = client.post(
        reverse("programme:import_confirm"), {"token": token, "action": "confirm"}
    )
    assert response.status_code == 302
    assert RecognitionDecision.objects.count() == 4
    up = RecognitionDecision.objects.get(number="300/QĐ-SGDĐT")
    assert up.level == 2 and up.framework_code == "TT17-2018" and up.created_by == province_officer
    school.refresh_from_db()
    assert school.standard_level == 2


def test_template_downloads_and_lists_schools_in_scope(
    client, commune_officer, school, sibling_school
):
    client.force_login(commune_officer)
    response = client.get(reverse("programme:import_template"))
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [c.value for c in wb[DATA_SHEET][1]] == HEADER
    codes = [r[0] for r in wb["Mã trường"].iter_rows(min_row=2, values_only=True)]
    assert codes == [school.code]


BAD_CASES = {
    "unknown_school": (
        lambda s, o: row("KHONG-CO", "1/QĐ", "01/01/2020", "Kiểm định", 1),
        "Mã trường",
        "không có trường mã «KHONG-CO»",
    ),
    "out_of_scope": (
        lambda s, o: row(o.code, "1/QĐ", "01/01/2020", "Kiểm định", 1),
        "Mã trường",
        "trong phạm vi",
    ),
    "bad_date": (
        lambda s, o: row(s.code, "1/QĐ", "31/02/2020", "Kiểm định", 1),
        "Ngày ký",
        "không phải ngày hợp lệ",
    ),
    "unknown_kind": (
        lambda s, o: row(s.code, "1/QĐ", "01/01/2020", "Khen thưởng", 1),
        "Loại quyết định",
        "không phải loại quyết định",
    ),
    # The same number and date twice in one track (one decision may name both tracks).
    "duplicate_in_file": (
        lambda s, o: row(s.code, "100/QĐ-UBND", "12/03/2016", "Công nhận mới", 1),
        "Số quyết định",
        "trùng với dòng 2",
    ),
    "bad_level": (
        lambda s, o: row(s.code, "1/QĐ", "01/01/2020", "Kiểm định", 7),
        "Mức/Cấp độ",
        "không hợp lệ",
    ),
    "rule_upgrade": (
        lambda s, o: row(s.code, "9/QĐ", "01/01/2017", "Nâng mức", 2),
        "Ngày ký",
        "Chưa đủ thời gian",
    ),
    "rule_revocation": (
        lambda s, o: row(s.code, "9/QĐ", "01/01/2015", "Thu hồi", None),
        "Loại quyết định",
        "Không thể thu hồi",
    ),
    "missing_number": (
        lambda s, o: row(s.code, "", "01/01/2020", "Kiểm định", 1),
        "Số quyết định",
        "không được để trống",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_each_bad_row_rejects_whole_file(client, commune_officer, school, sibling_school, case):
    make, column, text = BAD_CASES[case]
    client.force_login(commune_officer)
    # Row 2 is good; row 3 is the bad one (sibling_school is in another commune: out of scope).
    rows = [
        row(school.code, "100/QĐ-UBND", "12/03/2016", "Công nhận mới", 1),
        make(school, sibling_school),
    ]
    response = upload(client, xlsx(rows))
    assert response.status_code == 400
    errors = response.context["errors_shown"]
    assert any(e.startswith(f"Dòng 3, cột «{column}»") and text in e for e in errors), errors
    assert "token" not in response.context
    assert not RecognitionDecision.objects.exists()


def test_one_decision_may_recognise_both_tracks_under_one_number(client, province_officer, school):
    client.force_login(province_officer)
    rows = [
        row(school.code, "100/QĐ-SGDĐT", "12/03/2019", "Công nhận mới", 1),
        row(school.code, "100/QĐ-SGDĐT", "12/03/2019", "Kiểm định", 2),
    ]
    response = upload(client, xlsx(rows))
    assert response.status_code == 200, response.context.get("errors_shown")
    confirmed = client.post(
        reverse("programme:import_confirm"), {"token": response.context["token"]}
    )
    assert confirmed.status_code == 302
    assert sorted(RecognitionDecision.objects.values_list("track", flat=True)) == [
        rules.TRACK_ACCREDITATION,
        rules.TRACK_STANDARD,
    ]


def test_duplicate_of_register_rejected(client, province_officer, school, add_decision):
    add_decision(school, rules.ACCREDITATION, dt.date(2020, 1, 1), 1, number="1/QĐ")
    client.force_login(province_officer)
    response = upload(client, xlsx([row(school.code, "1/QĐ", "01/01/2020", "Kiểm định", 1)]))
    assert "đã có trong sổ" in " ".join(response.context["errors_shown"])
    assert RecognitionDecision.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "rỗng"),
        (b"%PDF-1.4 not excel", "không phải Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".xls"),
    ],
)
def test_unreadable_files_rejected(client, province_officer, school, content, message):
    client.force_login(province_officer)
    response = upload(client, SimpleUploadedFile("qd.xlsx", content))
    assert response.status_code == 400
    assert message in response.context["file_error"]


def test_wrong_header_rejected(client, province_officer, school):
    client.force_login(province_officer)
    response = upload(client, xlsx([["x"]], header=["Mã trường", "Tên"]))
    assert "thiếu cột" in response.context["file_error"]


def test_confirm_rechecks_and_writes_nothing_if_register_changed(
    client, province_officer, school, add_decision
):
    client.force_login(province_officer)
    response = upload(client, xlsx([row(school.code, "1/QĐ", "01/01/2020", "Kiểm định", 1)]))
    token = response.context["token"]
    add_decision(school, rules.ACCREDITATION, dt.date(2020, 1, 1), 1, number="1/QĐ")  # meanwhile
    response = client.post(reverse("programme:import_confirm"), {"token": token})
    assert response.status_code == 409
    assert RecognitionDecision.objects.count() == 1


def test_confirm_with_foreign_token_writes_nothing(client, province_officer, school):
    client.force_login(province_officer)
    response = client.post(reverse("programme:import_confirm"), {"token": "abc"})
    assert response.status_code == 302
    assert not RecognitionDecision.objects.exists()


def test_outsider_gets_404_on_import_views_when_not_recorder(client, principal):
    client.force_login(principal)
    for name in ("import", "import_template"):
        assert client.get(reverse("programme:" + name)).status_code == 404
    assert client.post(reverse("programme:import_confirm")).status_code == 404
