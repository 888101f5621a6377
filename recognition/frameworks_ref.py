"""Framework codes a decision may name, read from the frameworks app's data files when they are
there (frameworks/data/*.json), plus the pre-2018 circulars a historical register names."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings

from recognition.rules import LEGACY_FRAMEWORKS


@dataclass(frozen=True)
class FrameworkRef:
    code: str
    title: str
    kinds: tuple[str, ...] = ()
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    legacy: bool = False


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


@lru_cache(maxsize=1)
def framework_refs() -> dict[str, FrameworkRef]:
    refs: dict[str, FrameworkRef] = {}
    data_dir = settings.BASE_DIR / "frameworks" / "data"
    if data_dir.is_dir():
        for path in sorted(data_dir.glob("*.json")):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            code = data.get("code")
            if not code:
                continue
            refs[code] = FrameworkRef(
                code=code,
                title=data.get("short_title") or data.get("title") or code,
                kinds=tuple(data.get("school_kinds") or ()),
                effective_from=_date(data.get("effective_from")),
                effective_to=_date(data.get("effective_to")),
            )
    for code, title in LEGACY_FRAMEWORKS.items():
        refs.setdefault(code, FrameworkRef(code=code, title=title, legacy=True))
    return refs


def has_framework_data() -> bool:
    return any(not r.legacy for r in framework_refs().values())


def is_known(code: str) -> bool:
    # Without the data files (an install without the frameworks app data) any code is taken.
    return not has_framework_data() or code in framework_refs()


def framework_in_force(kind: str, day: dt.date) -> str:
    """The framework for a school kind on a day (TH in 2024 → TT17-2018), or "" if none."""
    for ref in framework_refs().values():
        if ref.legacy or kind not in ref.kinds:
            continue
        if ref.effective_from and day < ref.effective_from:
            continue
        if ref.effective_to and day > ref.effective_to:
            continue
        return ref.code
    return ""


def choices() -> list[tuple[str, str]]:
    return [(r.code, f"{r.code} — {r.title}") for r in framework_refs().values()]
