"""Điểm trường: stored text is NFC whoever writes it."""

import unicodedata

import pytest

from schools.models import SchoolSite

pytestmark = pytest.mark.django_db


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_site_save_normalises_name_and_address_to_nfc(school):
    site = SchoolSite.objects.create(
        school=school,
        name=nfd("  Điểm trường Vàng Khon "),
        address=nfd("Bản Vàng Khon, Xã Phong Thổ"),
    )
    site.refresh_from_db()
    assert site.name == unicodedata.normalize("NFC", "Điểm trường Vàng Khon")
    assert site.address == unicodedata.normalize("NFC", "Bản Vàng Khon, Xã Phong Thổ")
    assert SchoolSite.objects.filter(name="Điểm trường Vàng Khon").exists()
