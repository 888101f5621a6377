"""The demo data of the seeds' localities: loads twice without duplicates, matches the counts the
seed documents give, keeps each school's historical district, and gives every role a user."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from accounts.models import Membership, Role
from accounts.permissions import scope_for
from schools.management.demo import DEMO_PASSWORD
from schools.models import School, SchoolLocation
from units.models import AdminUnit
from units.services import units_load_legacy

PACKAGE_DATA = "vietnam_provinces/data/nested-divisions.json"
DEMO_PROVINCES = {12, 15, 31}  # Lai Châu, Lào Cai, Hải Phòng
REFORM = dt.date(2025, 7, 1)


def _package_divisions() -> list[dict]:
    import vietnam_provinces

    path = Path(vietnam_provinces.__file__).parent / "data" / "nested-divisions.json"
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def demo_units(db, settings) -> None:
    """The three provinces of the seeds with all their communes from the package (a few hundred
    rows, not 3,321), then the old map of Lai Châu, Yên Bái and Hải Dương."""
    # Twelve demo users hashed with PBKDF2 would dominate the run; the hasher is not under test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for p in _package_divisions():
        if p["code"] not in DEMO_PROVINCES:
            continue
        province = AdminUnit.objects.create(
            uid=f"P{p['code']:02d}",
            code=f"{p['code']:02d}",
            name=p["name"],
            division_type=p["division_type"],
            valid_from=REFORM,
        )
        for w in p["wards"]:
            AdminUnit.objects.create(
                uid=f"W{w['code']:05d}",
                code=f"{w['code']:05d}",
                name=w["name"],
                division_type=w["division_type"],
                parent=province,
                valid_from=REFORM,
            )
    # The old map of the demo area from the package, with the hand-written file on top.
    units_load_legacy(old_provinces={"12", "15", "30"})


@pytest.fixture
def demo(demo_units) -> None:
    call_command("load_demo", stdout=_Sink())


class _Sink:
    def write(self, *_args, **_kwargs) -> None:
        pass

    def flush(self) -> None:
        pass


def _schools_under(uid: str):
    unit = AdminUnit.objects.get(uid=uid)
    return School.objects.filter(
        locations__unit__path__startswith=unit.path, locations__valid_to=REFORM
    ).distinct()


def test_it_refuses_to_load_without_units(db):
    with pytest.raises(CommandError, match="load_units"):
        call_command("load_demo", stdout=_Sink())
    assert School.objects.count() == 0


def test_loading_twice_creates_nothing_new(demo):
    counts = (
        School.objects.count(),
        SchoolLocation.objects.count(),
        Membership.objects.count(),
        get_user_model().objects.count(),
    )
    call_command("load_demo", stdout=_Sink())
    call_command("demo_accounts", stdout=_Sink())
    assert counts == (
        School.objects.count(),
        SchoolLocation.objects.count(),
        Membership.objects.count(),
        get_user_model().objects.count(),
    )
    assert School.objects.count() == 48 + 66 + 3 + 28


def test_phong_tho_matches_the_2021_report(demo):
    schools = _schools_under("HD109")
    assert schools.count() == 48  # "48/48 đơn vị trường học"
    standard = schools.filter(standard_level__gt=0)
    assert standard.count() == 14  # "Duy trì 14/14 trường đạt chuẩn"
    assert standard.filter(standard_level=1).count() == 13
    assert standard.filter(standard_level=2).count() == 1
    for code in (
        "LC-PT-TH-DOANKET",
        "LC-PT-TH-HUOILUONG",
        "LC-PT-THCS-DAOSAN",
        "LC-PT-TH-THITRAN",
        "LC-PT-THCS-HUOILUONG",
        "LC-PT-THCS-THITRAN",
    ):
        assert not schools.get(code=code).is_illustrative
    th_thi_tran = School.objects.get(code="LC-PT-TH-THITRAN")
    assert "Điểm trường Vàng Khon" in set(th_thi_tran.sites.values_list("name", flat=True))
    assert th_thi_tran.unit.uid == "W03549"


def test_tram_tau_has_28_schools_with_8_standard(demo):
    schools = _schools_under("HD139")
    assert schools.count() == 28
    standard = schools.filter(standard_level__gt=0)
    assert standard.count() == 8
    assert standard.filter(kind="MN").count() == 3
    assert standard.filter(kind="TH&THCS", special_type="").count() == 3
    assert standard.filter(kind="TH&THCS", special_type="PTDTBT").count() == 1
    assert standard.filter(special_type="PTDTNT").count() == 1
    assert all(s.unit.parent.uid == "P15" for s in schools)


def test_a_school_of_seed_004_keeps_its_historical_district(demo):
    school = School.objects.get(code="HP-NG-THCS-UNGHOE")
    assert school.name == "Trường THCS Ứng Hòe"
    old = school.locations.get(valid_to=REFORM)
    assert old.unit.name == "Xã Ứng Hòe"
    assert old.unit.parent.name == "Huyện Ninh Giang"
    assert old.unit.parent.parent.name == "Tỉnh Hải Dương"
    new = school.locations.get(valid_to__isnull=True)
    assert new.valid_from == REFORM and new.unit == school.unit
    assert school.unit.parent.uid == "P31"
    assert _schools_under("HD299").count() == 66
    assert _schools_under("HD299").filter(standard_level__gt=0).count() == 43


def test_uncertain_mappings_are_flagged(demo):
    doan_ket = School.objects.get(code="LC-PT-TH-DOANKET")
    assert doan_ket.locations.get(valid_to__isnull=True).is_guess
    dao_san = School.objects.get(code="LC-PT-THCS-DAOSAN")
    assert not dao_san.locations.get(valid_to__isnull=True).is_guess
    assert School.objects.filter(is_illustrative=True).exists()


def test_binh_lang_has_its_three_schools(demo):
    schools = _schools_under("HW11092")
    assert sorted(schools.values_list("kind", "standard_level")) == [
        ("MN", 1),
        ("TH", 1),
        ("THCS", 0),
    ]


def test_every_role_has_a_demo_user_who_can_log_in(demo, client):
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {r.value for r in Role}
    assert get_user_model().objects.get(username="admin").is_superuser
    assert client.login(username="xa_ninhgiang", password=DEMO_PASSWORD)


def test_the_principal_sees_only_their_school(demo):
    principal = get_user_model().objects.get(username="ht_huoiluong")
    scope = scope_for(principal)
    assert list(scope.schools().values_list("code", flat=True)) == ["LC-PT-TH-HUOILUONG"]
    assert not scope.can_see_school(School.objects.get(code="LC-PT-THCS-HUOILUONG"))


def test_commune_officer_sees_only_their_commune(demo):
    officer = get_user_model().objects.get(username="xa_tramtau")
    schools = scope_for(officer).schools()
    assert schools.exists()
    assert set(schools.values_list("unit__uid", flat=True)) == {"W04591"}


def _accounts_output(**options) -> str:
    out = io.StringIO()
    call_command("demo_accounts", stdout=out, **options)
    return out.getvalue()


def test_demo_accounts_prints_the_address_make_serves(demo, monkeypatch):
    monkeypatch.setenv("HOST", "192.168.1.20")
    monkeypatch.setenv("PORT", "8080")
    output = _accounts_output()
    assert "http://192.168.1.20:8080/" in output
    assert "127.0.0.1:8000" not in output


def test_demo_accounts_defaults_to_make_defaults(demo, monkeypatch):
    monkeypatch.delenv("HOST", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    assert "http://127.0.0.1:8000/" in _accounts_output()


def test_demo_accounts_on_every_interface_prints_a_browsable_address(demo, monkeypatch):
    # runserver 0.0.0.0:9000 listens everywhere; a browser on the machine opens 127.0.0.1.
    monkeypatch.setenv("HOST", "0.0.0.0")
    monkeypatch.setenv("PORT", "9000")
    assert "http://127.0.0.1:9000/" in _accounts_output()
    assert "http://[::1]:8001/" in _accounts_output(host="::1", port="8001")


def test_communes_merged_in_2019_lead_to_todays_commune(demo_units):
    ninh_hoa = AdminUnit.objects.get(uid="HW299-NINHHOA")
    assert [s.uid for s in ninh_hoa.successors.all()] == ["W11167"]  # Xã Tân An
    assert ninh_hoa.mapping_is_guess and ninh_hoa.valid_from is None
    assert ninh_hoa.valid_to == dt.date(2020, 1, 1)
    assert not AdminUnit.objects.get(uid="HP30").mapping_is_guess
