"""The header of a school's documents (Nghị định 30/2020, regulation.md §6): the managing body
over the school's name, and the place of the date line.

Who manages a school depends on the date (two-tier government from 01/7/2025, §7):
- public MN/TH/THCS schools (and TH&THCS): the district's Phòng GD&ĐT before, "UBND XÃ …" of
  the school's commune since;
- THPT, multi-level schools with THPT, GDTX: the provincial Sở GD&ĐT;
- private schools: the body typed in the registry, else as a public school.
The district before the reform is found in the school's location history; the province and
commune are the current ones of the registry."""

from __future__ import annotations

import datetime as dt

from core.text import fold, nfc
from documents.common import place_name, split_division
from schools.models import School, SchoolLocation

REFORM_DAY = dt.date(2025, 7, 1)
COMMUNE_KINDS = {"MN", "TH", "THCS", "TH&THCS"}


def _province_name(school: School) -> str:
    unit = school.unit
    province = unit.parent if unit.parent_id else unit
    return split_division(province.name)[1]


def district_on(school: School, day: dt.date):
    """The (retired) district the school sat in on `day`, from the location history."""
    for loc in SchoolLocation.objects.filter(school=school).select_related("unit", "unit__parent"):
        if (loc.valid_from is None or loc.valid_from <= day) and (
            loc.valid_to is None or loc.valid_to >= day
        ):
            unit = loc.unit
            while unit is not None:
                if (
                    "huyện" in unit.division_type
                    or "quận" in unit.division_type
                    or ("thị xã" in unit.division_type)
                ):
                    return unit
                unit = unit.parent
    return None


def managing_body(school: School, day: dt.date) -> str:
    """ "UBND xã Phong Thổ", "Phòng GD&ĐT huyện Phong Thổ", "Sở GD&ĐT Lai Châu" (the header
    prints it in capitals)."""
    if school.ownership != "cong_lap" and nfc(school.managing_body):
        return nfc(school.managing_body)
    if school.kind in COMMUNE_KINDS:
        if day >= REFORM_DAY:
            word, bare = split_division(school.unit.name)
            return f"UBND {word or 'xã'} {bare}"
        district = district_on(school, day)
        if district is not None:
            word, bare = split_division(district.name)
            return f"Phòng GD&ĐT {word or 'huyện'} {bare}"
        # The district is unknown: the registry's body, else the office without a name
        # rather than a guess.
        return nfc(school.managing_body) or "Phòng Giáo dục và Đào tạo"
    return f"Sở GD&ĐT {_province_name(school)}"


def place_of(school: School) -> str:
    """The place in the date line: the commune's name ("Phong Thổ")."""
    return place_name(school.unit)


def school_symbol(school: School) -> str:
    """The issuing body's abbreviation in document numbers ("…/QĐ-THHL"): initials of the
    school's name after its kind words, at most 6 letters, ASCII capitals."""
    words = fold(school.name).upper().split()
    skip = {"TRUONG", "PTDTBT", "PTDTNT", "PT", "DTBT", "DTNT"}
    letters = "".join(w[0] for w in words if w not in skip and w[0].isalpha())
    return letters[:6] or "TRUONG"
