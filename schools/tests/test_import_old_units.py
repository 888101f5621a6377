"""A school import may name the commune as records before 1 July 2025 did: an old code or name
leads to today's commune (units.selectors.resolve_unit); an old unit that was divided, or a
name several units share, is refused with the candidates named."""

from __future__ import annotations

import datetime as dt

import pytest

from schools.importing import ImportRejected, read_workbook, school_import
from schools.models import School
from schools.tests.test_import import row, xlsx
from units.models import AdminUnit

pytestmark = pytest.mark.django_db
REFORM = dt.date(2025, 7, 1)


@pytest.fixture
def old_units(province, commune, sibling_commune) -> dict[str, AdminUnit]:
    district = AdminUnit.objects.create(
        uid="HD109",
        code="109",
        name="Huyện Phong Thổ",
        division_type="huyện",
        parent=province,
        valid_to=REFORM,
    )
    district.successors.set([commune, sibling_commune])
    huoi_luong = AdminUnit.objects.create(
        uid="HW03490",
        code="03490",
        name="Xã Huổi Luông",
        division_type="xã",
        parent=district,
        valid_to=REFORM,
    )
    huoi_luong.successors.set([commune])
    return {"district": district, "commune": huoi_luong}


def test_an_old_commune_code_or_name_lands_in_todays_commune(commune_officer, commune, old_units):
    rows = [
        row(code="A1", commune="03490"),
        row(code="A2", commune="3490"),
        row(code="A3", commune="xa huoi luong, huyen phong tho, lai chau"),
        row(code="A4", commune="Xã Huổi Luông"),
    ]
    result = school_import(user=commune_officer, rows=read_workbook(xlsx(rows)))
    assert result.created == 4
    assert set(School.objects.values_list("unit__uid", flat=True)) == {commune.uid}


def test_an_old_district_is_refused_with_todays_communes_named(commune_officer, old_units):
    with pytest.raises(ImportRejected) as exc:
        school_import(
            user=commune_officer,
            rows=read_workbook(xlsx([row(commune="Huyện Phong Thổ, tỉnh Lai Châu")])),
        )
    (error,) = exc.value.plan.errors
    assert "Huyện Phong Thổ (không còn từ ngày 01/07/2025) nay thuộc nhiều đơn vị" in str(error)
    assert "Xã Phong Thổ (03549)" in str(error) and "Xã Dào San (03571)" in str(error)
    assert School.objects.count() == 0


def test_a_name_several_old_units_share_lists_them(commune_officer, old_units, other_province):
    other = AdminUnit.objects.create(
        uid="HW99999",
        code="99999",
        name="Xã Huổi Luông",
        division_type="xã",
        parent=other_province,
        valid_to=REFORM,
    )
    other.successors.set([other_province])
    with pytest.raises(ImportRejected) as exc:
        school_import(user=commune_officer, rows=read_workbook(xlsx([row(commune="Huổi Luông")])))
    message = str(exc.value.plan.errors[0])
    assert "ứng với nhiều đơn vị hành chính" in message
    assert "HW03490" in message and "HW99999" in message


def test_an_old_unit_outside_the_importers_scope_is_refused(
    commune_officer, old_units, sibling_commune
):
    moved = AdminUnit.objects.create(
        uid="HW03565",
        code="03565",
        name="Xã Tung Qua Lìn",
        division_type="xã",
        parent=old_units["district"],
        valid_to=REFORM,
    )
    moved.successors.set([sibling_commune])
    with pytest.raises(ImportRejected) as exc:
        school_import(user=commune_officer, rows=read_workbook(xlsx([row(commune="03565")])))
    assert "nằm ngoài phạm vi quản lý của bạn" in str(exc.value.plan.errors[0])
