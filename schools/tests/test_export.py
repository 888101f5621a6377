"""Excel export of the filtered school list: scope, filters, headers, round trip to import."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from accounts.models import Role
from schools.importing import COLUMNS, EXPORT_EXTRA_HEADERS, read_workbook
from schools.models import School
from schools.services import school_import

HEADER = [c.label for c in COLUMNS] + list(EXPORT_EXTRA_HEADERS)


def export(client, **params) -> openpyxl.Workbook:
    response = client.get(reverse("schools:export"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    data = b"".join(response.streaming_content)
    return openpyxl.load_workbook(io.BytesIO(data))


def codes(wb: openpyxl.Workbook) -> list[str]:
    return [r[0] for r in wb.active.iter_rows(min_row=2, values_only=True)]


def test_commune_officer_exports_only_their_schools(
    client, commune_officer, school, sibling_school, outside_school
):
    client.force_login(commune_officer)
    wb = export(client)
    ws = wb["Danh sách trường"]
    assert [c.value for c in ws[1]] == HEADER
    assert codes(wb) == [school.code]
    first = [c.value for c in ws[2]]
    assert first[6] == "03549"  # text, leading zero kept
    assert first[3] == "Công lập"
    assert first[12] == "Chưa đạt"
    assert first[-2:] == ["Xã Phong Thổ", "Lai Châu"]


def test_filename_carries_the_date(client, commune_officer, school):
    client.force_login(commune_officer)
    response = client.get(reverse("schools:export"))
    assert 'filename="danh-sach-truong-' in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith('.xlsx"')


def test_province_officer_exports_with_the_list_filters(
    client, province_officer, school, sibling_school, outside_school
):
    client.force_login(province_officer)
    assert sorted(codes(export(client))) == sorted([school.code, sibling_school.code])
    assert codes(export(client, commune="W03571")) == [sibling_school.code]
    assert codes(export(client, kind="TH")) == [school.code]
    assert codes(export(client, q="dao san")) == [sibling_school.code]
    # A unit outside the scope filters to nothing rather than leaking its schools.
    assert codes(export(client, province="P31")) == []


def test_outsider_sees_only_their_own_province(client, outsider, school, outside_school):
    client.force_login(outsider)
    assert codes(export(client)) == [outside_school.code]


@pytest.mark.parametrize("with_membership", [False, True])
def test_user_without_scope_gets_404(client, make_user, with_membership, school):
    user = make_user()
    client.force_login(user)
    assert client.get(reverse("schools:export")).status_code == 404
    if with_membership:
        viewer = make_user(Role.VIEWER, unit=school.unit)
        client.force_login(viewer)
        assert codes(export(client)) == [school.code]


def test_anonymous_is_sent_to_login(client, school):
    response = client.get(reverse("schools:export"))
    assert response.status_code == 302


def test_an_export_imports_back_unchanged(client, province_officer, school, sibling_school):
    School.objects.filter(pk=school.pk).update(founded_year=1995, email="th@laichau.edu.vn")
    client.force_login(province_officer)
    response = client.get(reverse("schools:export"))
    data = io.BytesIO(b"".join(response.streaming_content))
    result = school_import(user=province_officer, rows=read_workbook(data))
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)


def test_a_formula_like_name_is_exported_as_text(client, superuser, commune):
    School.objects.create(code="X1", name='=HYPERLINK("http://x")', kind="TH", unit=commune)
    client.force_login(superuser)
    ws = export(client).active
    cell = ws["B2"]
    assert cell.value == '=HYPERLINK("http://x")'
    assert cell.data_type == "s"
