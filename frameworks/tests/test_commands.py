"""Management commands: `load_frameworks` (idempotent) and the `evaluate` command-line contract."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from frameworks.models import Criterion, Framework, FrameworkVersion, Indicator

from .conftest import fw, up_to

ROOT = Path(__file__).resolve().parents[2]


def run_evaluate(payload: dict, tmp_path) -> dict:
    path = tmp_path / "input.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    out = io.StringIO()
    call_command("evaluate", str(path), stdout=out)
    return json.loads(out.getvalue())


def test_evaluate_prints_the_contract_fields(tmp_path):
    framework = fw("TT17-2018")
    met = sorted(up_to(framework, 3) - {"1.1-M3"})
    out = run_evaluate(
        {
            "framework": "TT17-2018",
            "met": met,
            "level4_met": ["M4-1"],
            "conditions": {"cohort_completed": True},
        },
        tmp_path,
    )
    assert out["framework"] == "TT17-2018"
    assert out["criteria"]["1.1"] == 2 and out["criteria"]["1.4"] == 3
    assert out["criteria"]["1.5"] == 2  # no Mức 3 requirement: Mức 2 is its top
    assert out["school_level"] == 2
    assert out["accreditation_level"] == 2
    assert out["national_standard_level"] == 1
    assert out["unmet_conditions"] == []
    assert out["next_level"] == {
        "level": 3,
        "blockers": [{"criterion": "1.1", "missing": ["1.1-M3"]}],
    }


def test_evaluate_lists_absent_conditions_as_unmet(tmp_path):
    out = run_evaluate({"framework": "TT57-2026-PT", "met": []}, tmp_path)
    assert out["school_level"] == 0
    assert out["unmet_conditions"] == [
        "cohort_completed",
        "three_years_data",
        "facilities_compliant",
    ]
    assert out["national_standard_level"] is None


def test_evaluate_prints_null_next_level_at_the_top(tmp_path):
    framework = fw("TT57-2026-MN")
    out = run_evaluate({"framework": "TT57-2026-MN", "met": sorted(framework.all_ids)}, tmp_path)
    assert out["school_level"] == 2
    assert out["next_level"] is None


@pytest.mark.parametrize(
    ("payload", "named"),
    [
        ({"framework": "TT99-2030", "met": []}, "TT99-2030"),
        ({"framework": "TT17-2018", "met": ["1.1-M1a", "1.1-M9x"]}, "1.1-M9x"),
        ({"framework": "TT17-2018", "met": [], "level4_met": ["M4-42"]}, "M4-42"),
        ({"framework": "TT57-2026-PT", "met": ["1.1-M1a"]}, "1.1-M1a"),
    ],
)
def test_evaluate_refuses_unknown_names_with_status_2(tmp_path, payload, named):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    with pytest.raises(CommandError, match=named.replace(".", r"\.")) as caught:
        call_command("evaluate", str(path))
    assert caught.value.returncode == 2


def test_evaluate_reads_stdin_and_exits_2_from_the_shell():
    good = subprocess.run(
        [sys.executable, "manage.py", "evaluate", "-"],
        input=json.dumps({"framework": "TT19-2018", "met": []}),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)["next_level"]["level"] == 1
    bad = subprocess.run(
        [sys.executable, "manage.py", "evaluate", "-"],
        input=json.dumps({"framework": "KHONG-CO", "met": []}),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2
    assert "KHONG-CO" in bad.stderr


def test_evaluate_rejects_invalid_json_with_status_2(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="JSON") as caught:
        call_command("evaluate", str(path))
    assert caught.value.returncode == 2


@pytest.mark.django_db
def test_load_frameworks_is_idempotent():
    out = io.StringIO()
    call_command("load_frameworks", stdout=out)
    counts = (Framework.objects.count(), Criterion.objects.count(), Indicator.objects.count())
    first_ids = dict(Indicator.objects.values_list("framework__code", "id").filter(ident="1.1-M1a"))
    out = io.StringIO()
    call_command("load_frameworks", stdout=out)
    assert "không đổi" in out.getvalue()
    call_command("load_frameworks", "--force", stdout=io.StringIO())
    assert (
        Framework.objects.count(),
        Criterion.objects.count(),
        Indicator.objects.count(),
    ) == counts
    assert (
        dict(Indicator.objects.values_list("framework__code", "id").filter(ident="1.1-M1a"))
        == first_ids
    )
    # Mức 4 lists: TT17 5, TT18 the 2 found so far, TT19 6.
    assert counts == (6, 27 + 28 + 25 + 15 * 3, 153 + 154 + 146 + 30 * 3 + 5 + 2 + 6)
    assert FrameworkVersion.objects.filter(code="TT22-2024").count() == 3


@pytest.mark.django_db
def test_load_frameworks_keeps_null_text_null():
    call_command("load_frameworks", stdout=io.StringIO())
    item = Indicator.objects.get(framework__code="TT19-2018", ident="M4-6")
    assert item.text is None
    assert item.display_text == "chưa có văn bản"
    assert item.is_school_wide


@pytest.mark.django_db
def test_load_frameworks_stores_how_sure_each_level4_text_is_and_its_sources():
    call_command("load_frameworks", stdout=io.StringIO())
    found = Indicator.objects.get(framework__code="TT17-2018", ident="M4-1")
    assert found.text.startswith("Kế hoạch giáo dục của nhà trường")
    assert found.text_confidence == "high"
    assert found.get_text_confidence_display() == "cao"
    assert len(found.text_sources) == 3
    missing = Indicator.objects.get(framework__code="TT17-2018", ident="M4-4")
    assert (missing.text, missing.text_confidence, missing.text_sources) == (None, "", [])
    assert Indicator.objects.get(framework__code="TT19-2018", ident="M4-4").text_confidence == (
        "medium"
    )
    complete = dict(Framework.objects.values_list("code", "level4_complete"))
    assert complete == {**dict.fromkeys(complete, True), "TT18-2018": False}


@pytest.mark.django_db
def test_load_frameworks_accepts_the_made_up_framework_directory():
    from .conftest import FIXTURES

    call_command("load_frameworks", str(FIXTURES), stdout=io.StringIO())
    assert Criterion.objects.filter(framework__code="XX-2030-DEMO").count() == 6
