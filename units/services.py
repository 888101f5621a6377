"""Writes of administrative units: the current map from the vietnam-provinces package, the
whole pre-2025 map with its old → new links from the vietnamadminunits package
(units.legacy_map), and the demo area's earlier units from units/data/historical_units.json."""

from __future__ import annotations

import datetime as dt
import difflib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from core.text import fold, nfc, sort_key
from units.legacy_map import LegacyUnit, bare_name, name_key, read_legacy_map
from units.models import ALIAS_PREFIX, GUESS_PREFIX, AdminUnit

HISTORICAL_FILE = Path(__file__).parent / "data" / "historical_units.json"
REFORM_DATE = dt.date(2025, 7, 1)  # Nghị quyết 202/2025/QH15: two-tier local government


def _prepared(unit: AdminUnit) -> AdminUnit:
    unit.name = nfc(unit.name)
    unit.search_text = fold(" ".join(unit.search_words()))[:500]
    unit.sort_key = sort_key(unit.name)
    unit.path = unit.compute_path()
    unit.depth = unit.path.count("/") - 2
    return unit


@transaction.atomic
def units_load_current() -> tuple[int, int]:
    """Create or refresh the 34 provinces and 3,321 communes. Bulk writes keep it to a few
    seconds; ids of existing rows are kept so schools and memberships stay attached."""
    from vietnam_provinces import Province, Ward

    existing = {u.uid: u for u in AdminUnit.objects.select_related("parent")}
    created: list[AdminUnit] = []
    updated: list[AdminUnit] = []
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

    def upsert(uid: str, parent: AdminUnit | None, **values) -> AdminUnit:
        unit = existing.get(uid) or AdminUnit(uid=uid)
        before = [getattr(unit, f) for f in fields] if unit.pk else None
        for key, value in values.items():
            setattr(unit, key, value)
        unit.parent = parent
        _prepared(unit)
        if unit.pk is None:
            created.append(unit)
        elif before != [getattr(unit, f) for f in fields]:
            # Only rows that changed: rewriting 3,355 unchanged rows took most of a re-run.
            updated.append(unit)
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


# --- The whole pre-2025 map -------------------------------------------------------------------

PROVINCE_NOTE = (
    "Sắp xếp theo Nghị quyết 202/2025/QH15 (sắp xếp tỉnh, có hiệu lực 12/6/2025; chính quyền "
    "tỉnh mới hoạt động từ 01/7/2025)."
)
# A name of the hand-written file this close to the package's (folded, kind left out) is the
# same unit spelt differently (Lả/Lản Nhì Thàng); further apart it is an earlier unit that
# handed its code on (Xã Đồng Tâm, whose code 11203 Thị trấn Ninh Giang carried by 2025).
SAME_NAME_RATIO = 0.85
_FIELDS = [
    "code",
    "name",
    "division_type",
    "parent",
    "valid_from",
    "valid_to",
    "note",
    "search_text",
    "sort_key",
    "path",
    "depth",
]


@dataclass
class _Planned:
    uid: str
    code: str
    name: str
    division_type: str
    parent_uid: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    note: str
    successors: list[str] = field(default_factory=list)


def _same_unit(a: str, b: str) -> bool:
    return difflib.SequenceMatcher(None, bare_name(a), bare_name(b)).ratio() >= SAME_NAME_RATIO


def _plan_from_package(
    legacy: Iterable[LegacyUnit], current: dict[tuple[str, str], str]
) -> dict[str, _Planned]:
    plan: dict[str, _Planned] = {}
    for u in legacy:
        targets = [current.get((p, name_key(n))) for p, n in u.successors]
        note = ""
        if u.uid.startswith("HP"):
            note = PROVINCE_NOTE
        elif u.main_successor and len(u.successors) > 1:
            main = u.main_successor[1]
            others = ", ".join(n for _p, n in u.successors if n != main)
            note = (
                f"Địa bàn được chia khi sắp xếp: phần chính thuộc {main}, phần còn lại thuộc "
                f"{others}."
            )
        plan[u.uid] = _Planned(
            uid=u.uid,
            code=u.code,
            name=u.name,
            division_type=u.division_type,
            parent_uid=u.parent_uid,
            valid_from=None,
            valid_to=REFORM_DATE,
            note=note,
            successors=[t for t in targets if t],
        )
    return plan


def _overlay(plan: dict[str, _Planned], records: list[dict]) -> None:
    """The hand-written file on top of the package. For a unit the package knows, the package
    decides the successors (no guess left); the file's name stays when it names an earlier
    unit with the same code, the package's when it is only another spelling."""
    for rec in records:
        known = plan.get(rec["uid"])
        note = rec.get("note", "")
        if known is None:
            if rec.get("mapping_is_guess"):
                note = f"{GUESS_PREFIX} {note}".strip()
            plan[rec["uid"]] = _Planned(
                uid=rec["uid"],
                code=rec.get("code", ""),
                name=rec["name"],
                division_type=rec["division_type"],
                parent_uid=rec.get("parent") or "",
                valid_from=_date(rec.get("valid_from")),
                valid_to=_date(rec.get("valid_to")),
                note=note,
                successors=list(rec.get("successors", [])),
            )
            continue
        if rec.get("mapping_is_guess"):
            # The file's caveat ("chưa đối chiếu…") no longer holds: the package answers it.
            note = (
                "Đơn vị kế thừa theo dữ liệu sắp xếp năm 2025 (gói vietnamadminunits), thay "
                "cho ánh xạ ước đoán trước đây."
            )
        if name_key(rec["name"]) == name_key(known.name):
            pass
        elif _same_unit(rec["name"], known.name):
            note = f"{note} {ALIAS_PREFIX} «{rec['name']}».".strip()
        else:
            note = (
                f"{note} Ngay trước 01/7/2025, mã {known.code} là của {known.name} "
                "(đơn vị đã nhận địa bàn này)."
            ).strip()
            known.name = rec["name"]
            known.division_type = rec["division_type"]
        known.note = note or known.note
        known.valid_from = _date(rec.get("valid_from")) or known.valid_from


@transaction.atomic
def units_load_legacy(
    *, old_provinces: Iterable[str] | None = None, overlay: Path | None = HISTORICAL_FILE
) -> int:
    """The 63-province map (its retired provinces, ~700 districts, ~10,000 communes) with the
    old → new links, then the hand-written file on top. Bulk writes, ids kept, so it runs on
    every `load_units` (and `make demo`) in seconds and twice gives the same rows.
    `old_provinces` (old codes: "12", "30") limits it, to keep test fixtures small; links to
    today's communes not loaded are left out."""
    legacy = read_legacy_map()
    wanted = set(old_provinces) if old_provinces is not None else None
    units = [u for u in legacy.units if wanted is None or u.province_code in wanted]
    existing = {u.uid: u for u in AdminUnit.objects.select_related("parent")}
    current = {
        (u.parent.code, name_key(u.name)): u.uid
        for u in existing.values()
        if u.valid_to is None and u.parent_id is not None
    }
    current |= {(u.code, ""): u.uid for u in existing.values() if u.valid_to is None}
    plan = _plan_from_package(units, current)
    if overlay is not None and overlay.exists():
        records = json.loads(overlay.read_text(encoding="utf-8"))
        _overlay(plan, [r for r in records if _parent_known(r, plan, existing)])

    by_uid: dict[str, AdminUnit] = dict(existing)
    changed: list[AdminUnit] = []
    # Parents first: provinces, districts, communes (a parent is planned or already stored).
    remaining = list(plan.values())
    while remaining:
        level = [p for p in remaining if not p.parent_uid or p.parent_uid in by_uid]
        if not level:
            break  # a parent nobody loads: left out rather than guessed
        fresh: list[AdminUnit] = []
        for p in level:
            unit = existing.get(p.uid) or AdminUnit(uid=p.uid)
            before = None if unit.pk is None else [getattr(unit, f) for f in _FIELDS]
            unit.code, unit.name, unit.division_type = p.code, p.name, p.division_type
            unit.parent = by_uid[p.parent_uid] if p.parent_uid else None
            unit.valid_from, unit.valid_to, unit.note = p.valid_from, p.valid_to, p.note
            _prepared(unit)
            if unit.pk is None:
                fresh.append(unit)
            elif before != [getattr(unit, f) for f in _FIELDS]:
                changed.append(unit)
            by_uid[p.uid] = unit
        AdminUnit.objects.bulk_create(fresh, batch_size=1000)
        placed = {p.uid for p in level}
        remaining = [p for p in remaining if p.uid not in placed]
    AdminUnit.objects.bulk_update(changed, _FIELDS, batch_size=1000)

    through = AdminUnit.successors.through
    loaded = {by_uid[p.uid].pk: p for p in plan.values() if p.uid in by_uid}
    wanted_links = {
        (pk, by_uid[s].pk) for pk, p in loaded.items() for s in p.successors if s in by_uid
    }
    # Every link out of a retired unit, filtered here: an IN list of 10,000 ids would pass
    # SQLite's limit on query parameters.
    stored = {
        link
        for link in through.objects.filter(from_adminunit__valid_to__isnull=False).values_list(
            "from_adminunit_id", "to_adminunit_id"
        )
        if link[0] in loaded
    }
    stale = stored - wanted_links
    for a, b in stale:
        through.objects.filter(from_adminunit_id=a, to_adminunit_id=b).delete()
    through.objects.bulk_create(
        [through(from_adminunit_id=a, to_adminunit_id=b) for a, b in wanted_links - stored],
        batch_size=2000,
    )
    return len(loaded)


def _parent_known(rec: dict, plan: dict[str, _Planned], existing: dict[str, AdminUnit]) -> bool:
    """A record of the hand-written file whose parent is neither planned nor stored (a limited
    load in a test) is left out, with its own children."""
    parent = rec.get("parent")
    return not parent or parent in plan or parent in existing
