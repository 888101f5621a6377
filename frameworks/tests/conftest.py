"""Helpers for the frameworks tests: compiled frameworks straight from the data files, the
made-up fixture framework, and a database with every framework loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from frameworks import engine
from frameworks.services import framework_load_dir

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FRAMEWORKS_2018 = ["TT17-2018", "TT18-2018", "TT19-2018"]
FRAMEWORKS_2026 = ["TT57-2026-PT", "TT57-2026-MN", "TT57-2026-GDTX"]


def fw(code: str) -> engine.Framework:
    return engine.registry()[code]


def madeup() -> engine.Framework:
    return engine.compile_framework(engine.read_data(FIXTURES / "XX-2030-DEMO.json"))


def madeup_wide() -> engine.Framework:
    """The made-up framework with two criteria of more than eight indicators (A.1: 11, B.2: 20):
    wider than one byte per criterion, the engine's general bit layout."""
    data = engine.read_data(FIXTURES / "XX-2030-DEMO.json")
    data["code"] = "XX-2030-WIDE"
    criteria = {c["code"]: c for s in data["standards"] for c in s["criteria"]}
    criteria["A.1"]["indicators"] += [
        {"id": f"A.1-M{level}x{k}", "level": level, "text": "Chỉ báo thêm"}
        for level, k in [(1, 1), (1, 2), (2, 1), (2, 2), (2, 3), (1, 3), (2, 4), (1, 4)]
    ]
    criteria["B.2"]["indicators"] += [
        {"id": f"B.2-M{1 + k % 2}x{k}", "level": 1 + k % 2, "text": "Chỉ báo thêm"}
        for k in range(16)
    ]
    return engine.compile_framework(data)


def ids_at(framework: engine.Framework, *levels: int, criteria=None) -> set[str]:
    """Indicator ids at the given levels (of the given criterion codes, default all)."""
    out = set()
    for index, code in enumerate(framework.criterion_codes):
        if criteria is not None and code not in criteria:
            continue
        for level in levels:
            if level < len(framework.criterion_ids_by_level[index]):
                out.update(framework.criterion_ids_by_level[index][level])
    return out


def up_to(framework: engine.Framework, level: int, criteria=None) -> set[str]:
    return ids_at(framework, *range(1, level + 1), criteria=criteria)


@pytest.fixture
def loaded(db):
    """Every framework of frameworks/data loaded into the test database."""
    framework_load_dir()
