"""School data by school year (Phần I of the self-assessment report): schema per kind, totals
computed, validation naming year and row, all-or-nothing saves, optimistic locking, scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from accounts.models import Role
from schools import yeardata
from schools.models import SchoolYearData
from schools.services_yeardata import (
    YearDataConflict,
    YearDataInvalid,
    YearDataNotAllowed,
    YearInput,
    school_year_data_save,
)
from schools.views_yeardata import current_school_year

URL = "/schools/{code}/so-lieu/?den=2025-2026&so_nam=5"


def test_a_primary_school_has_grades_one_to_five():
    schema = yeardata.schema_for("TH")
    keys = schema.input_keys
    assert [k for k in keys if k.startswith("cls_")] == [f"cls_{g}" for g in range(1, 6)]
    assert schema.row("cls_total").sum_of == tuple(f"cls_{g}" for g in range(1, 6))
    assert "res_th_done" in keys and "res_thcs_grad" not in keys


def test_a_multi_level_school_has_the_grades_of_both_levels():
    keys = yeardata.schema_for("TH&THCS").input_keys
    assert [k for k in keys if k.startswith("pup_") and k[4:].isdigit()] == [
        f"pup_{g}" for g in range(1, 10)
    ]
    assert {"res_th_done", "res_thcs_grad"} <= set(keys)


def test_a_preschool_counts_groups_by_age():
    schema = yeardata.schema_for("MN")
    assert schema.row("cls_total").label == "Số nhóm, lớp"
    assert "cls_mg5" in schema.input_keys and "cls_1" not in schema.input_keys


def test_totals_are_computed_from_their_parts_and_empty_stays_empty():
    schema = yeardata.schema_for("TH")
    values = {"room_solid": 10, "room_semi": 2}
    assert schema.value(values, "room_total") == 12
    assert schema.value({}, "room_total") is None
    assert schema.complete({"cls_1": 3, "cls_2": 2})["cls_total"] == 5


def test_values_accept_vietnamese_thousands_and_refuse_the_rest():
    assert yeardata.clean_value("1.250") == 1250
    assert yeardata.clean_value(" 12 ") == 12
    assert yeardata.clean_value("") is None
    for bad in ("-3", "2,5", "abc", "1.2"):
        with pytest.raises(ValueError):
            yeardata.clean_value(bad)


def test_the_last_school_years_end_with_the_chosen_one():
    assert yeardata.last_school_years("2025-2026", 3) == ["2023-2024", "2024-2025", "2025-2026"]
    with pytest.raises(ValueError):
        yeardata.parse_school_year("2025-2027")


def test_the_current_school_year_starts_in_august():
    assert current_school_year(dt.date(2026, 11, 30)) == "2026-2027"
    assert current_school_year(dt.date(2026, 5, 2)) == "2025-2026"


@pytest.fixture
def principal_of(make_user, school):
    return make_user(Role.PRINCIPAL, school=school, username="ht_huoiluong")


def test_a_part_larger_than_its_whole_is_named_and_nothing_is_written(principal_of, school):
    years = {
        "2024-2025": YearInput({"cls_1": "4"}, 0),
        "2025-2026": YearInput({"pup_1": "30", "pup_female": "31"}, 0),
    }
    with pytest.raises(YearDataInvalid) as exc:
        school_year_data_save(user=principal_of, school=school, years=years)
    [error] = exc.value.errors
    assert str(error) == "Năm học 2025-2026, dòng “Nữ”: 31 lớn hơn “Tổng số học sinh” (30)"
    assert not SchoolYearData.objects.exists()


def test_a_stale_version_writes_no_year(principal_of, school):
    school_year_data_save(
        user=principal_of, school=school, years={"2024-2025": YearInput({"cls_1": "4"}, 0)}
    )
    with pytest.raises(YearDataConflict) as exc:
        school_year_data_save(
            user=principal_of,
            school=school,
            years={
                "2023-2024": YearInput({"cls_1": "3"}, 0),
                "2024-2025": YearInput({"cls_1": "5"}, 0),
            },
        )
    assert exc.value.years == ["2024-2025"]
    assert list(SchoolYearData.objects.values_list("school_year", "values")) == [
        ("2024-2025", {"cls_1": 4})
    ]


def test_staff_of_another_school_may_not_fill_it(make_user, sibling_school, school):
    other = make_user(Role.PRINCIPAL, school=sibling_school)
    with pytest.raises(YearDataNotAllowed):
        school_year_data_save(
            user=other, school=school, years={"2024-2025": YearInput({"cls_1": "4"}, 0)}
        )


def _post(client, school, data):
    return client.post(URL.format(code=school.code), data)


def test_the_principal_fills_the_table_and_sees_the_totals(client, principal_of, school):
    client.force_login(principal_of)
    page = client.get(URL.format(code=school.code))
    assert page.status_code == 200
    assert "2021-2022" in page.content.decode() and "Khối 5" in page.content.decode()
    data = {f"version-{y}": "0" for y in yeardata.last_school_years("2025-2026", 5)}
    data |= {"v-2025-2026-room_solid": "1.012", "v-2025-2026-room_semi": "3"}
    response = _post(client, school, data)
    assert response.status_code == 302
    row = SchoolYearData.objects.get(school=school, school_year="2025-2026")
    assert row.values == {"room_solid": 1012, "room_semi": 3}
    page = client.get(URL.format(code=school.code)).content.decode()
    assert "1.015" in page  # the computed total, in Vietnamese format


def test_a_refused_form_keeps_what_was_typed(client, principal_of, school):
    client.force_login(principal_of)
    data = {f"version-{y}": "0" for y in yeardata.last_school_years("2025-2026", 5)}
    data |= {"v-2025-2026-cls_1": "7", "v-2025-2026-cls_2": "bảy"}
    response = _post(client, school, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Năm học 2025-2026, dòng “Khối 2”: phải là số nguyên không âm" in body
    assert 'value="bảy"' in body and 'value="7"' in body
    assert not SchoolYearData.objects.exists()


def test_two_people_cannot_overwrite_each_other(principal_of, make_user, school):
    staff = make_user(Role.STAFF, school=school)
    first, second = Client(), Client()
    first.force_login(principal_of)
    second.force_login(staff)
    base = {f"version-{y}": "0" for y in yeardata.last_school_years("2025-2026", 5)}
    assert _post(first, school, base | {"v-2025-2026-cls_1": "4"}).status_code == 302
    response = _post(second, school, base | {"v-2025-2026-cls_1": "6"})
    body = response.content.decode()
    assert response.status_code == 409  # conflicts answer 409 on every edit form
    assert "đã được người khác cập nhật" in body and 'value="6"' in body
    assert SchoolYearData.objects.get().values == {"cls_1": 4}


def test_a_commune_officer_reads_but_does_not_write(client, make_user, commune, school):
    officer = make_user(Role.COMMUNE_OFFICER, unit=commune)
    client.force_login(officer)
    page = client.get(URL.format(code=school.code))
    assert page.status_code == 200
    assert '<input class="form-control form-control-sm' not in page.content.decode()
    assert (
        _post(client, school, {"v-2025-2026-cls_1": "4"}).status_code == 403
    )  # in scope, not theirs: 403
    assert not SchoolYearData.objects.exists()


def test_it_rejects_outsider(client, make_user, other_commune, school):
    client.force_login(make_user(Role.COMMUNE_OFFICER, unit=other_commune))
    assert client.get(URL.format(code=school.code)).status_code == 404
    assert _post(client, school, {"v-2025-2026-cls_1": "4"}).status_code == 404
    assert not SchoolYearData.objects.exists()
