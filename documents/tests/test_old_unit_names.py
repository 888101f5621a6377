"""A document is asked for by the unit's uid or, as records write it, by an old or current
name or code (documents.selectors.document_unit through units.selectors.resolve_unit)."""

from __future__ import annotations

import datetime as dt

import pytest

from documents.common import DocumentError
from documents.selectors import document_unit
from units.models import AdminUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_district(province, commune) -> AdminUnit:
    district = AdminUnit.objects.create(
        uid="HD109",
        code="109",
        name="Huyện Phong Thổ",
        division_type="huyện",
        parent=province,
        valid_to=dt.date(2025, 7, 1),
    )
    district.successors.set([commune])
    return district


def test_an_old_district_is_found_by_its_name_or_code(province_officer, old_district):
    assert document_unit(user=province_officer, uid="HD109") == old_district
    assert document_unit(user=province_officer, uid="Huyện Phong Thổ, tỉnh Lai Châu") == (
        old_district
    )
    assert document_unit(user=province_officer, uid="huyen phong tho") == old_district
    assert document_unit(user=province_officer, uid="109") == old_district


def test_a_unit_outside_the_scope_stays_unknown_by_name_too(outsider, old_district):
    with pytest.raises(DocumentError, match="trong phạm vi của bạn"):
        document_unit(user=outsider, uid="Huyện Phong Thổ")
