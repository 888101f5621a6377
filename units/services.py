"""Writes of administrative units: the current map from the vietnam-provinces package and the
retired units (districts, pre-2025 provinces) from units/data/historical_units.json."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.db import transaction

from core.text import fold, nfc, sort_key
from units.models import GUESS_PREFIX, AdminUnit

HISTORICAL_FILE = Path(__file__).parent / "data" / "historical_units.json"
REFORM_DATE = dt.date(2025, 7, 1)  # Nghị quyết 202/2025/QH15: two-tier local government


def _prepared(unit: AdminUnit) -> AdminUnit:
    unit.name = nfc(unit.name)
    unit.search_text = fold(unit.name)
    unit.sort_key = sort_key(unit.name)
    unit.path = unit.compute_path()
    unit.depth = unit.path.count("/") - 2
    return unit


@transaction.atomic
def units_load_current() -> tuple[int, int]:
    """Create or refresh the 34 provinces and 3,321 communes. Bulk writes keep it to a few
    seconds; ids of existing rows are kept so schools and memberships stay attached."""
    from vietnam_provinces import Province, Ward

    existing = {u.uid: u for u in AdminUnit.objects.all()}
    created: list[AdminUnit] = []
    updated: list[AdminUnit] = []

    def upsert(uid: str, parent: AdminUnit | None, **values) -> AdminUnit:
        unit = existing.get(uid) or AdminUnit(uid=uid)
        for key, value in values.items():
            setattr(unit, key, value)
        unit.parent = parent
        _prepared(unit)
        (updated if unit.pk else created).append(unit)
        existing[uid] = unit
        return unit

    provinces: dict[int, AdminUnit] = {}
    for p in Province.iter_all():
        provinces[int(p.code)] = upsert(
            f"P{int(p.code):02d}",
            None,
            code=f"{int(p.code):02d}",
            name=p.name if p.name.startswith(("Thành phố", "Tỉnh")) else f"Tỉnh {p.name}",
            division_type=p.division_type.value,
            valid_from=REFORM_DATE,
            valid_to=None,
        )
    AdminUnit.objects.bulk_create([u for u in created if u.parent is None])
    created = [u for u in created if u.pk is None]
    for w in Ward.iter_all():
        upsert(
            f"W{int(w.code):05d}",
            provinces[int(w.province_code)],
            code=f"{int(w.code):05d}",
            name=w.name,
            division_type=w.division_type.value,
            valid_from=REFORM_DATE,
            valid_to=None,
        )
    AdminUnit.objects.bulk_create([u for u in created if u.pk is None], batch_size=1000)
    fields = [
        "code",
        "name",
        "division_type",
        "parent",
        "valid_from",
        "valid_to",
        "search_text",
        "sort_key",
        "path",
        "depth",
    ]
    AdminUnit.objects.bulk_update(updated, fields, batch_size=1000)
    return len(provinces), sum(1 for u in existing.values() if u.uid.startswith("W"))


@transaction.atomic
def units_load_historical(path: Path = HISTORICAL_FILE) -> int:
    """Retired units with their validity and successor links. Parents come before children in
    the file, so one pass creates the tree. valid_from stays empty where no source gives the
    date (the file says "valid_from_unknown"); pages show it as «không rõ»."""
    if not path.exists():
        return 0
    records = json.loads(path.read_text(encoding="utf-8"))
    by_uid = {u.uid: u for u in AdminUnit.objects.all()}
    for rec in records:
        unit = by_uid.get(rec["uid"]) or AdminUnit(uid=rec["uid"])
        unit.code = rec.get("code", "")
        unit.name = rec["name"]
        unit.division_type = rec["division_type"]
        unit.parent = by_uid[rec["parent"]] if rec.get("parent") else None
        unit.valid_from = _date(rec.get("valid_from"))
        unit.valid_to = _date(rec.get("valid_to"))
        note = rec.get("note", "")
        if rec.get("mapping_is_guess"):
            note = f"{GUESS_PREFIX} {note}".strip()
        unit.note = note
        unit.save()
        by_uid[unit.uid] = unit
    for rec in records:
        succ = [by_uid[s] for s in rec.get("successors", []) if s in by_uid]
        by_uid[rec["uid"]].successors.set(succ)
    return len(records)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
