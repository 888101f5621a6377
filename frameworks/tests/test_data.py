"""The project's own framework data files: complete, ids kept, missing text kept missing, and
the declared rules, versions and dates the law (or the best report of it) gives."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from frameworks import engine

from .conftest import FRAMEWORKS_2018, FRAMEWORKS_2026, fw

SHARED = Path(__file__).resolve().parents[3] / "shared" / "domain" / "frameworks"
KINDS = ["MN", "TH", "THCS", "THPT", "TH&THCS", "THCS&THPT", "TH&THCS&THPT", "GDTX"]


def test_there_is_one_file_per_framework():
    assert sorted(engine.registry()) == sorted(FRAMEWORKS_2018 + FRAMEWORKS_2026)


@pytest.mark.parametrize("code", FRAMEWORKS_2018 + FRAMEWORKS_2026)
def test_school_kinds_use_the_registry_codes(code):
    assert set(fw(code).school_kinds) <= set(KINDS)


@pytest.mark.parametrize(
    ("code", "criteria", "m1", "m2", "m3"),
    [
        ("TT17-2018", 27, 81, 48, 24),
        ("TT18-2018", 28, 84, 45, 25),
        ("TT19-2018", 25, 75, 46, 25),
    ],
)
def test_2018_shapes_match_the_circulars(code, criteria, m1, m2, m3):
    framework = fw(code)
    by_level = [
        sum(len(levels[n]) for levels in framework.criterion_ids_by_level) for n in (1, 2, 3)
    ]
    assert len(framework.criterion_codes) == criteria
    assert by_level == [m1, m2, m3]


@pytest.mark.skipif(not SHARED.exists(), reason="shared domain reference not present")
@pytest.mark.parametrize("code", FRAMEWORKS_2018 + FRAMEWORKS_2026)
def test_indicator_ids_and_texts_are_those_of_the_reference(code):
    source = json.loads((SHARED / f"{code}.json").read_text(encoding="utf-8"))
    ours = engine.read_data(engine.DATA_DIR / f"{code}.json")

    def flat(data):
        return [
            (i["id"], i["level"], i["text"])
            for s in data["standards"]
            for c in s["criteria"]
            for i in c["indicators"]
        ] + [(i["id"], 4, i["text"]) for i in data.get("level4", [])]

    assert flat(ours) == flat(source)


@pytest.mark.parametrize(
    ("code", "found", "missing", "complete"),
    [
        ("TT17-2018", [1, 2, 3], [4, 5], True),
        ("TT18-2018", [1, 2], [], False),
        ("TT19-2018", [1, 2, 3, 4], [5, 6], True),
    ],
)
def test_level4_texts_found_are_kept_and_missing_ones_stay_null(code, found, missing, complete):
    """Regulation §8 (2026-12-07): the Mức 4 texts that were found, and no more; an item whose
    text was not found stays null (shown as missing), never an English summary."""
    data = engine.read_data(engine.DATA_DIR / f"{code}.json")
    items = {item["id"]: item for item in data["level4"]}
    assert list(items) == [f"M4-{n}" for n in sorted(found + missing)]
    assert all(items[f"M4-{n}"]["text"] for n in found)
    assert all(items[f"M4-{n}"]["text"] is None for n in missing)
    assert data["level4_complete"] is complete
    assert fw(code).level4_complete is complete


@pytest.mark.parametrize("code", FRAMEWORKS_2018)
def test_every_level4_text_says_how_sure_it_is_and_where_it_comes_from(code):
    for item in engine.read_data(engine.DATA_DIR / f"{code}.json")["level4"]:
        if item["text"] is None:
            assert "text_confidence" not in item and "text_sources" not in item
            assert "Chưa tìm thấy văn bản tiếng Việt" in item["provenance"]
        else:
            assert item["text_confidence"] in {"high", "medium", "low"}
            assert item["text_sources"] and all(item["text_sources"])
            assert "độ tin cậy" in item["provenance"]


@pytest.mark.skipif(not SHARED.exists(), reason="shared domain reference not present")
@pytest.mark.parametrize("code", FRAMEWORKS_2018 + FRAMEWORKS_2026)
def test_level4_confidence_sources_and_completeness_are_those_of_the_reference(code):
    source = json.loads((SHARED / f"{code}.json").read_text(encoding="utf-8"))
    ours = engine.read_data(engine.DATA_DIR / f"{code}.json")

    def meta(data):
        return [
            (i["id"], i.get("text_confidence"), i.get("text_sources"))
            for i in data.get("level4", [])
        ]

    assert meta(ours) == meta(source)
    assert ours.get("level4_complete", True) == source.get("level4_complete", True)


@pytest.mark.parametrize("code", FRAMEWORKS_2018)
def test_2018_declares_evidence_code_council_and_tt22_version(code):
    data = fw(code).data
    assert data["evidence_code"]["format"] == "[H{box}-{criterion}-{seq:02}]"
    assert data["council"]["min_members"] == 7
    assert data["rule"]["type"] == "cumulative"
    amended = fw(code).version("TT22-2024")
    assert amended.effective_from == dt.date(2025, 1, 25)
    assert amended.wording_known is False


@pytest.mark.parametrize("code", FRAMEWORKS_2026)
def test_2026_declares_evidence_code_council_and_dates_as_uncertain(code):
    data = fw(code).data
    assert data["evidence_code"]["format"] == "(MC.{criterion}.{seq:02})"
    assert data["evidence_code"]["certainty"] == "uncertain"
    assert (data["council"]["min_members"], data["council"]["odd_members"]) == (5, True)
    assert data["council"]["exactly_one_roles"] == ["chu_tich", "thu_ky"]
    assert data["effective_from"] == "2026-07-07"
    assert data["certainty"] == "uncertain"
    assert data["rule"]["type"] == "thresholds"


@pytest.mark.parametrize(
    ("kind", "day", "expected"),
    [
        ("TH", dt.date(2024, 5, 1), ("TT17-2018", "2018")),
        ("TH", dt.date(2025, 1, 24), ("TT17-2018", "2018")),
        ("TH", dt.date(2025, 1, 25), ("TT17-2018", "TT22-2024")),
        ("TH", dt.date(2026, 7, 6), ("TT17-2018", "TT22-2024")),
        ("TH", dt.date(2026, 7, 7), ("TT57-2026-PT", "2026")),
        ("TH", dt.date(2026, 9, 15), ("TT57-2026-PT", "2026")),
        ("THCS", dt.date(2020, 1, 1), ("TT18-2018", "2018")),
        ("TH&THCS", dt.date(2022, 1, 1), ("TT18-2018", "2018")),
        ("THCS&THPT", dt.date(2027, 1, 1), ("TT57-2026-PT", "2026")),
        ("MN", dt.date(2025, 6, 1), ("TT19-2018", "TT22-2024")),
        ("MN", dt.date(2026, 9, 1), ("TT57-2026-MN", "2026")),
        ("GDTX", dt.date(2026, 9, 1), ("TT57-2026-GDTX", "2026")),
    ],
)
def test_selection_by_kind_and_date(kind, day, expected):
    framework, version = engine.select(engine.registry().values(), kind, day)
    assert (framework.code, version.code) == expected


@pytest.mark.parametrize(
    ("kind", "day"), [("GDTX", dt.date(2024, 1, 1)), ("TH", dt.date(2018, 10, 9))]
)
def test_nothing_is_selected_where_no_framework_applies(kind, day):
    assert engine.select(engine.registry().values(), kind, day) is None
