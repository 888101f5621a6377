"""units/data/historical_units.json: every retired unit leads somewhere on today's map, guesses
are flagged, unknown dates are said to be unknown rather than left blank."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from units.models import AdminUnit
from units.services import HISTORICAL_FILE, REFORM_DATE

RECORDS = json.loads(HISTORICAL_FILE.read_text(encoding="utf-8"))
BY_UID = {r["uid"]: r for r in RECORDS}
MERGED_2019 = [r for r in RECORDS if r["valid_to"] == "2020-01-01"]
DEMO = Path(__file__).resolve().parent.parent.parent / "schools" / "demo_data"


def _current_uids() -> set[str]:
    from vietnam_provinces import Province, Ward

    return {f"P{int(p.code):02d}" for p in Province.iter_all()} | {
        f"W{int(w.code):05d}" for w in Ward.iter_all()
    }


def test_the_2019_merges_are_in_the_data():
    assert len(MERGED_2019) == 8  # 28 communes in seed 004 (2016), 20 in the 2020–2025 list


def test_every_retired_unit_has_a_successor_on_todays_map():
    current = _current_uids()

    def reaches_today(uid: str, seen: frozenset = frozenset()) -> bool:
        if uid in current:
            return True
        rec = BY_UID.get(uid)
        return (
            bool(rec)
            and uid not in seen
            and any(reaches_today(s, seen | {uid}) for s in rec["successors"])
        )

    for rec in RECORDS:
        assert rec["successors"], rec["uid"]
        assert all(s in current or s in BY_UID for s in rec["successors"]), rec["uid"]
        assert reaches_today(rec["uid"]), rec["uid"]


def test_2019_successors_are_flagged_as_guesses_with_the_reason():
    for rec in MERGED_2019:
        assert rec["mapping_is_guess"] is True, rec["uid"]
        assert "chưa xác minh" in rec["note"], rec["uid"]


def test_2019_successors_agree_with_the_demo_schools_of_those_communes():
    # Seed 004's schools of a commune merged in 2019 sit today in that commune's successor.
    demo = json.loads((DEMO / "ninh_giang.json").read_text(encoding="utf-8"))
    checked = 0
    for school in demo["schools"]:
        for step in school["history"]:
            rec = BY_UID.get(step["unit"])
            if rec in MERGED_2019:
                assert school["unit"] in rec["successors"], school["code"]
                checked += 1
    assert checked >= 8


def test_start_dates_are_left_unknown_not_made_up():
    # No seed or domain file gives an establishment date; the data says so instead.
    for rec in RECORDS:
        if rec["valid_from"] is None:
            assert rec.get("valid_from_unknown") is True, rec["uid"]


# --- How the UI shows it --------------------------------------------------------------------


@pytest.fixture
def merged_commune(db, province, commune) -> AdminUnit:
    district = AdminUnit.objects.create(
        uid="HD109",
        code="109",
        name="Huyện Phong Thổ",
        division_type="huyện",
        parent=province,
        valid_to=REFORM_DATE,
        note="[Ánh xạ ước đoán, cần xác minh] Xã kế thừa suy ra từ mã.",
    )
    district.successors.set([commune])
    merged = AdminUnit.objects.create(
        uid="HW109-X",
        code="109-X",
        name="Xã Sáp Nhập",
        division_type="xã",
        parent=district,
        valid_to=dt.date(2020, 1, 1),
        note="[Ánh xạ ước đoán, cần xác minh] Đơn vị tiếp nhận năm 2019 chưa xác minh.",
    )
    merged.successors.set([commune])
    return merged


def test_unknown_start_date_is_shown_as_unknown(client, province_officer, merged_commune):
    client.force_login(province_officer)
    body = client.get(reverse("units:detail", args=[merged_commune.uid])).content.decode()
    assert "Hiệu lực từ: <span" in body and "không rõ" in body
    listing = client.get(reverse("units:list"), {"retired": "1"}).content.decode()
    assert "không rõ – trước 01/01/2020" in re.sub(r"<[^>]+>", "", listing)


def test_a_2019_merge_is_not_called_the_2025_reform(client, province_officer, merged_commune):
    client.force_login(province_officer)
    body = client.get(reverse("units:detail", args=[merged_commune.uid])).content.decode()
    assert "01/01/2020" in body and "hai cấp" not in body
    district = client.get(reverse("units:detail", args=["HD109"])).content.decode()
    assert "hai cấp" in district


def test_guessed_successors_are_marked(client, province_officer, merged_commune):
    client.force_login(province_officer)
    body = client.get(reverse("units:detail", args=[merged_commune.uid])).content.decode()
    assert 'id="successors-guess"' in body
    data = client.get(reverse("api:unit_detail", args=[merged_commune.uid])).json()
    assert data["successors_are_guess"] is True and data["valid_from"] is None
