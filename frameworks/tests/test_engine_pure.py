"""The engine must run without Django (command-line tools, benchmarks, background jobs)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
sys.modules["django"] = None  # any "import django…" now fails
import frameworks.engine as engine
fw = engine.registry()["TT17-2018"]
result = engine.evaluate(fw, fw.all_ids, fw.level4_order, {"cohort_completed": True})
assert result.school_level == 4, result.school_level
loaded = [m for m, mod in sys.modules.items() if mod is not None and m.split(".")[0] == "django"]
assert not loaded, loaded
print("ok")
"""


def test_the_engine_imports_and_evaluates_without_django():
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
