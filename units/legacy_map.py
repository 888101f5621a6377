"""The map before 1 July 2025 (63 provinces, their districts and communes) and where each unit
went, read from PyPI `vietnamadminunits` (MIT; its dataset.db table `admin_units_legacy` and its
`converter_2025.json`). Reads only: `units.services.units_load_legacy` writes what this returns.

The package keys units by accent-free name keys ("tinhlaichau_huyenphongtho_xahuoiluong"), not
by code, and its post-reform ward codes differ from `vietnam-provinces` for 114 of 3,321 wards;
so today's commune is matched by its name inside its province (all 3,321 match exactly once,
`units/tests/test_legacy_map.py`), and old units keep the official codes of the 63-province
list (GSO), which the package carries."""

from __future__ import annotations

import importlib.util
import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from core.text import fold

# Located, not imported: importing the package parses its 4 MB of address-parser data, which
# every process that imports units would pay for.
_SPEC = importlib.util.find_spec("vietnamadminunits")
PACKAGE_DIR = Path(next(iter(_SPEC.submodule_search_locations))) if _SPEC else Path()
DATASET = PACKAGE_DIR / "data" / "dataset.db"
CONVERTER = PACKAGE_DIR / "data" / "converter_2025.json"

# Two spellings of the same tone: "Hoà"/"Hòa", "Thuỷ"/"Thủy" (the packages differ on 40 names).
_TONE_PLACEMENT = {
    "oà": "òa",
    "oá": "óa",
    "oả": "ỏa",
    "oã": "õa",
    "oạ": "ọa",
    "oè": "òe",
    "oé": "óe",
    "oẻ": "ỏe",
    "oẽ": "õe",
    "oẹ": "ọe",
    "uỳ": "ùy",
    "uý": "úy",
    "uỷ": "ủy",
    "uỹ": "ũy",
    "uỵ": "ụy",
}


def name_key(name: str) -> str:
    """Exact comparison of two spellings of one name: case, spaces, apostrophes, dashes and
    tone placement aside."""
    text = unicodedata.normalize("NFC", name).lower()
    text = text.replace("’", "'").replace("–", "-")
    for old, new in _TONE_PLACEMENT.items():
        text = text.replace(old, new)
    return " ".join(text.replace(" - ", "-").split())


@dataclass
class LegacyUnit:
    uid: str
    code: str
    name: str
    division_type: str
    parent_uid: str  # a retired province (HP..), or today's province when it was not merged
    province_code: str  # the old province's code
    # (province code today, commune name) of each successor commune; a province's successor
    # is today's province: ("15", "").
    successors: list[tuple[str, str]] = field(default_factory=list)
    main_successor: tuple[str, str] | None = None  # a divided commune: the package's default


@dataclass
class LegacyMap:
    provinces: list[LegacyUnit]
    districts: list[LegacyUnit]
    communes: list[LegacyUnit]
    unchanged_provinces: set[str]  # old codes of the 11 provinces the reform left as they were

    @property
    def units(self) -> list[LegacyUnit]:
        return [*self.provinces, *self.districts, *self.communes]


def _division_type(name: str, kind: str | None) -> str:
    if kind:
        return kind.lower()
    return "thành phố trung ương" if name.startswith("Thành phố") else "tỉnh"


@cache
def read_legacy_map() -> LegacyMap:
    """Everything the package says about the 63-province map, ordered parents first."""
    if not DATASET.is_file():  # sqlite3.connect would create an empty file instead
        raise FileNotFoundError(f"Không thấy dữ liệu của gói vietnamadminunits: {DATASET}")
    with sqlite3.connect(DATASET) as conn:
        conn.row_factory = sqlite3.Row
        old_rows = [dict(r) for r in conn.execute("SELECT * FROM admin_units_legacy")]
        new_rows = [dict(r) for r in conn.execute("SELECT * FROM admin_units")]
    converter = json.loads(CONVERTER.read_text(encoding="utf-8"))

    new_by_key = {
        (r["provinceKey"], r["wardKey"]): (r["provinceCode"], r["ward"]) for r in new_rows
    }
    new_province_code = {r["provinceKey"]: r["provinceCode"] for r in new_rows}
    old_to_new_province: dict[str, str] = {}
    unchanged: set[str] = set()
    for new_key, old_keys in converter["DICT_PROVINCE"].items():
        for old_key in old_keys:
            old_to_new_province[old_key] = new_province_code[new_key]
        if old_keys == [new_key]:
            unchanged.add(new_province_code[new_key])

    # "province_district_ward" key → successors (whole communes, then divided ones).
    successors: dict[str, list[tuple[str, str]]] = {}
    main: dict[str, tuple[str, str]] = {}
    for new_province, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward, old_keys in wards.items():
            for old_key in old_keys:
                successors.setdefault(old_key, []).append(new_by_key[(new_province, new_ward)])
    for new_province, divided in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, parts in divided.items():
            for part in parts:
                target = new_by_key[(new_province, part["newWardKey"])]
                successors.setdefault(old_key, []).append(target)
                if part["isDefaultNewWard"]:
                    main[old_key] = target

    provinces: dict[str, LegacyUnit] = {}
    districts: dict[str, LegacyUnit] = {}
    communes: list[LegacyUnit] = []
    for r in old_rows:
        pcode = r["provinceCode"]
        if pcode not in provinces:
            provinces[pcode] = LegacyUnit(
                uid=f"HP{pcode}",
                code=pcode,
                name=r["province"],
                division_type=_division_type(r["province"], None),
                parent_uid="",
                province_code=pcode,
                successors=[(old_to_new_province[r["provinceKey"]], "")],
            )
        dcode = r["districtCode"]
        if dcode not in districts:
            districts[dcode] = LegacyUnit(
                uid=f"HD{dcode}",
                code=dcode,
                name=r["district"],
                division_type=_division_type(r["district"], r["districtType"]),
                # A province the reform left alone is today's unit: its old districts hang
                # under it (as units/data/historical_units.json did for Lai Châu).
                parent_uid=f"P{pcode}" if pcode in unchanged else f"HP{pcode}",
                province_code=pcode,
            )
        key = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}"
        targets = list(dict.fromkeys(successors.get(key, [])))
        district = districts[dcode]
        for t in targets:
            if t not in district.successors:
                district.successors.append(t)
        if not r["wardCode"]:
            continue  # an island district without communes (Bạch Long Vĩ, Côn Đảo…)
        communes.append(
            LegacyUnit(
                uid=f"HW{r['wardCode']}",
                code=r["wardCode"],
                name=r["ward"],
                division_type=_division_type(r["ward"], r["wardType"]),
                parent_uid=district.uid,
                province_code=pcode,
                successors=targets,
                main_successor=main.get(key) if len(targets) > 1 else None,
            )
        )
    retired_provinces = [p for code, p in provinces.items() if code not in unchanged]
    return LegacyMap(retired_provinces, list(districts.values()), communes, unchanged)


_PREFIX = re.compile(r"^(thanh pho|tinh|quan|huyen|thi xa|xa|phuong|thi tran|dac khu) ")


def bare_name(name: str) -> str:
    """The folded name without its kind: "Huyện Phong Thổ" → "phong tho"."""
    return _PREFIX.sub("", fold(name))
