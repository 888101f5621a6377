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
