"""The whole pre-2025 map from vietnamadminunits: what the package covers, how it agrees with
vietnam-provinces and with the hand-checked links of units/data/historical_units.json, a
loader that runs twice to the same rows, and resolve_unit on real names and codes."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from units.legacy_map import name_key, read_legacy_map
from units.models import AdminUnit
from units.selectors import UnitAmbiguous, UnitNotResolved, resolve_unit
from units.services import HISTORICAL_FILE, REFORM_DATE, units_load_legacy

LEGACY = read_legacy_map()
HAND_WRITTEN = json.loads(HISTORICAL_FILE.read_text(encoding="utf-8"))
# Old province codes: Lai Châu (left as it was), Yên Bái (into Lào Cai), Hải Dương (into Hải
# Phòng). Today's provinces they lead to: Lai Châu 12, Lào Cai 15, Hải Phòng 31.
OLD_PROVINCES = {"12", "15", "30"}
TODAY_PROVINCES = {12, 15, 31}


# --- The package's data (no database) -------------------------------------------------------


def test_it_covers_the_63_provinces_their_districts_and_communes():
    assert len(LEGACY.unchanged_provinces) == 11
    assert len(LEGACY.provinces) == 63 - 11  # the unchanged ones are today's units
    assert len(LEGACY.districts) == 696
    assert len(LEGACY.communes) == 10035


def test_every_old_unit_leads_somewhere_and_a_divided_commune_names_its_main_part():
    assert all(u.successors for u in LEGACY.units)
    divided = [c for c in LEGACY.communes if len(c.successors) > 1]
    assert len(divided) == 471
    assert all(c.main_successor in c.successors for c in divided)


def test_todays_communes_of_the_package_match_vietnam_provinces_by_name():
    from vietnam_provinces import Province, Ward

    ours = {(f"{int(w.province_code):02d}", name_key(w.name)) for w in Ward.iter_all()}
    theirs = {t for u in LEGACY.communes for t in u.successors}
    assert {(p, name_key(n)) for p, n in theirs} <= ours
    assert len(ours) == 3321
    provinces = {f"{int(p.code):02d}" for p in Province.iter_all()}
    assert {p.successors[0][0] for p in LEGACY.provinces} <= provinces
    assert LEGACY.unchanged_provinces <= provinces


# --- Loading ---------------------------------------------------------------------------------


@pytest.fixture
def todays_units(db) -> None:
    """Today's three demo provinces with all their communes (a few hundred rows)."""
    from vietnam_provinces import Province, Ward

    provinces = {}
    for p in Province.iter_all():
        if int(p.code) in TODAY_PROVINCES:
            provinces[int(p.code)] = AdminUnit.objects.create(
                uid=f"P{int(p.code):02d}",
                code=f"{int(p.code):02d}",
                name=p.name if p.name.startswith(("Thành phố", "Tỉnh")) else f"Tỉnh {p.name}",
                division_type=p.division_type.value,
                valid_from=REFORM_DATE,
            )
    communes = []
    for w in Ward.iter_all():
        if int(w.province_code) in TODAY_PROVINCES:
            unit = AdminUnit(
                uid=f"W{int(w.code):05d}",
                code=f"{int(w.code):05d}",
                name=w.name,
                division_type=w.division_type.value,
                parent=provinces[int(w.province_code)],
                valid_from=REFORM_DATE,
            )
            unit.refresh_text_keys()  # what save() would write, for a bulk insert
            unit.path, unit.depth = unit.compute_path(), 1
            communes.append(unit)
    AdminUnit.objects.bulk_create(communes)


@pytest.fixture
def old_map(todays_units) -> int:
    return units_load_legacy(old_provinces=OLD_PROVINCES)


def test_loading_twice_gives_the_same_rows_and_links(old_map):
    links = AdminUnit.successors.through.objects
    before = (
        AdminUnit.objects.count(),
        sorted(AdminUnit.objects.values_list("uid", "pk")),
        links.count(),
    )
    assert units_load_legacy(old_provinces=OLD_PROVINCES) == old_map
    after = (
        AdminUnit.objects.count(),
        sorted(AdminUnit.objects.values_list("uid", "pk")),
        links.count(),
    )
    assert before == after


def test_old_units_hang_under_their_old_province_or_todays_unchanged_one(old_map):
    assert AdminUnit.objects.get(uid="HD109").path == "/P12/HD109/"  # Lai Châu: unchanged
    assert AdminUnit.objects.get(uid="HW11164").path == "/HP30/HD299/HW11164/"
    assert list(AdminUnit.objects.get(uid="HP30").successors.values_list("uid", flat=True)) == [
        "P31"
    ]
    assert AdminUnit.objects.get(uid="HW03490").valid_to == REFORM_DATE


def test_the_package_settles_the_guesses_it_knows_and_only_silent_ones_stay(old_map):
    guesses = {u.uid for u in AdminUnit.objects.retired() if u.mapping_is_guess}
    in_package = {u.uid for u in LEGACY.units}
    assert guesses  # the 2019 merges and three earlier communes the package has no row for
    assert not guesses & in_package
    assert {"HW299-NINHHOA", "HW11209"} <= guesses


def test_the_hand_checked_links_agree_with_the_package(old_map):
    checked = [r for r in HAND_WRITTEN if not r["mapping_is_guess"]]
    assert len(checked) == 20
    for rec in checked:
        unit = AdminUnit.objects.get(uid=rec["uid"])
        assert set(unit.successors.values_list("uid", flat=True)) == set(rec["successors"])


def test_another_spelling_of_the_hand_written_file_is_kept_and_searchable(old_map):
    unit = AdminUnit.objects.get(uid="HW03391")
    assert unit.name == "Xã Lản Nhì Thàng"  # the official list's spelling
    assert unit.aliases == ["Xã Lả Nhì Thàng"]
    assert "la nhi thang" in unit.search_text


def test_an_earlier_unit_that_handed_its_code_on_keeps_its_name(old_map):
    unit = AdminUnit.objects.get(uid="HW11203")
    assert unit.name == "Xã Đồng Tâm"  # the demo's records name it
    assert "Thị trấn Ninh Giang" in unit.note


# --- resolve_unit ----------------------------------------------------------------------------


def test_an_old_district_resolves_to_todays_communes_and_province(old_map):
    r = resolve_unit("Huyện Phong Thổ, tỉnh Lai Châu")
    assert r.unit.uid == "HD109" and r.changed_on == dt.date(2025, 7, 1)
    assert {u.uid for u in r.today} >= {"W03549", "W03571", "W03583"}
    assert r.province.uid == "P12"
    assert "không còn từ ngày 01/07/2025" in r.describe()


def test_an_old_commune_resolves_to_its_successor_without_accents(old_map):
    r = resolve_unit("xa huoi luong, huyen phong tho")
    assert r.unit.uid == "HW03490"
    assert [u.uid for u in r.today] == ["W03549"] and r.single.name == "Xã Phong Thổ"
    assert not r.is_guess


def test_an_old_province_resolves_to_the_merged_one(old_map):
    r = resolve_unit("Tỉnh Yên Bái")
    assert [u.uid for u in r.today] == ["P15"]


def test_a_commune_of_a_merged_province_is_found_under_todays_province_too(old_map):
    r = resolve_unit("Xã Nghĩa An, Hải Phòng")
    assert r.unit.uid == "HW11164"
    assert r.province.uid == "P31"


def test_codes_resolve_with_the_day_the_record_speaks_of(old_map):
    assert resolve_unit("03490").unit.uid == "HW03490"
    assert resolve_unit("3549").unit.uid == "W03549"  # Excel dropped the zero; today's
    old = resolve_unit("03549", on=dt.date(2024, 9, 5))
    assert old.unit.name == "Thị trấn Phong Thổ" and old.single.uid == "W03549"
    assert resolve_unit("hd109").unit.uid == "HD109"


def test_an_ambiguous_name_lists_the_candidates_in_vietnamese(old_map):
    with pytest.raises(UnitAmbiguous) as exc:
        resolve_unit("Xã Tân Hương")  # one in Yên Bái, one in Hải Dương
    message = str(exc.value)
    assert "ứng với nhiều đơn vị hành chính" in message
    assert "Huyện Ninh Giang" in message and "Tỉnh Yên Bái" in message
    assert "Hãy ghi thêm huyện, tỉnh" in message
    assert len(exc.value.candidates) == 2
    r = resolve_unit("Xã Tân Hương, huyện Ninh Giang, tỉnh Hải Dương")
    assert r.unit.uid == "HW11179"


def test_an_unknown_name_says_so(old_map):
    with pytest.raises(UnitNotResolved, match="Không tìm thấy đơn vị hành chính «Xã Không Có»"):
        resolve_unit("Xã Không Có")
    with pytest.raises(UnitNotResolved):
        resolve_unit("   ")


# --- The unit page ---------------------------------------------------------------------------


def test_a_unit_page_shows_predecessors_and_successors_with_the_date(
    client, django_user_model, old_map
):
    admin = django_user_model.objects.create_superuser("admin", "a@example.vn", "x")
    client.force_login(admin)
    body = client.get(reverse("units:detail", args=["W03549"])).content.decode()
    assert 'id="predecessors"' in body and "Xã Huổi Luông" in body and "01/07/2025" in body
    old = client.get(reverse("units:detail", args=["HW03490"])).content.decode()
    assert 'id="successors"' in old and "Xã Phong Thổ" in old and "01/07/2025" in old


def test_the_unit_search_explains_an_old_name(client, django_user_model, old_map):
    admin = django_user_model.objects.create_superuser("admin", "a@example.vn", "x")
    client.force_login(admin)
    body = client.get(reverse("units:list"), {"q": "Huyện Phong Thổ, Lai Châu"}).content.decode()
    assert 'id="resolved"' in body and "nay thuộc" in body and "Xã Dào San" in body
