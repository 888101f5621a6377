"""Writes for frameworks: loading a framework data file into the database.

Loading is an idempotent upsert keyed by stable codes (framework code, standard code, criterion
code, indicator id), so rows keep their primary keys across reloads and whatever other apps hang
on them (criterion sheets, evidence links) survives a corrected text."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db import models, transaction

from core.text import fold, nfc

from . import engine
from .models import (
    Certainty,
    Criterion,
    Framework,
    FrameworkVersion,
    Indicator,
    Standard,
    indicator_search_text,
)


def data_hash(data: dict[str, Any]) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@transaction.atomic
def framework_load(*, data: dict[str, Any], force: bool = False) -> tuple[Framework, bool]:
    """Store one framework's data (already parsed JSON). Returns (framework, changed); an
    unchanged file is a no-op. Raises engine.InvalidFramework for a malformed file."""
    engine.compile_framework(data)  # validates the rules before anything is written
    digest = data_hash(data)
    existing = Framework.objects.filter(code=data["code"]).first()
    if existing and existing.data_hash == digest and not force:
        return existing, False
    legal = data.get("legal_basis") or {}
    framework, _ = Framework.objects.update_or_create(
        code=data["code"],
        defaults={
            "title": nfc(data.get("title")),
            "short_title": nfc(data.get("short_title")),
            "family": data.get("family", ""),
            "legal_basis": nfc(legal.get("text") if isinstance(legal, dict) else legal),
            "effective_from": data["effective_from"],
            "effective_to": data.get("effective_to"),
            "school_kinds": list(data.get("school_kinds", [])),
            "certainty": data.get("certainty", Certainty.CONFIRMED),
            "provenance": nfc(data.get("provenance")),
            "level4_complete": bool(data.get("level4_complete", True)),
            "data": data,
            "data_hash": digest,
        },
    )
    _sync_versions(framework, data)
    standards = _sync_standards(framework, data)
    criteria = _sync_criteria(framework, data, standards)
    _sync_indicators(framework, data, criteria)
    return framework, True


def framework_load_dir(*, directory: Path = engine.DATA_DIR) -> list[tuple[Framework, bool]]:
    """Load every `*.json` framework file of a directory (the project's `frameworks/data/`)."""
    return [
        framework_load(data=engine.read_data(path)) for path in sorted(directory.glob("*.json"))
    ]


def _sync(
    model: type[models.Model],
    framework: Framework,
    key: str,
    rows: Iterable[dict[str, Any]],
) -> dict[str, models.Model]:
    """Make the framework's rows of `model` equal `rows` (dicts of field values incl. `key`):
    update in place, create what is new, delete what the file no longer has."""
    existing = {getattr(obj, key): obj for obj in model.objects.filter(framework=framework)}
    wanted: dict[str, models.Model] = {}
    to_create, to_update = [], []
    fields: set[str] = set()
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            obj = model(framework=framework, **row)
            to_create.append(obj)
        else:
            changed = [f for f, v in row.items() if getattr(obj, f) != v]
            for f in changed:
                setattr(obj, f, row[f])
            if changed:
                fields.update(changed)
                to_update.append(obj)
        wanted[row[key]] = obj
    stale = [obj.pk for code, obj in existing.items() if code not in wanted]
    if stale:
        model.objects.filter(pk__in=stale).delete()
    if to_update:
        model.objects.bulk_update(to_update, sorted(fields))
    if to_create:
        model.objects.bulk_create(to_create)
    if to_create and not all(obj.pk for obj in to_create):  # backends without RETURNING
        fresh = {getattr(o, key): o for o in model.objects.filter(framework=framework)}
        wanted = {code: fresh[code] for code in wanted}
    return wanted


def _sync_versions(framework: Framework, data: dict[str, Any]) -> None:
    rows = [
        {
            "code": v["code"],
            "title": nfc(v.get("title")),
            "legal_basis": nfc(v.get("legal_basis")),
            "effective_from": engine.parse_date(v["effective_from"]),
            "effective_to": engine.parse_date(v.get("effective_to")),
            "wording_known": bool(v.get("wording_known", True)),
            "certainty": v.get("certainty", data.get("certainty", Certainty.CONFIRMED)),
            "note": nfc(v.get("note")),
            "overrides": v.get("overrides") or {},
        }
        for v in data.get("versions") or []
    ]
    _sync(FrameworkVersion, framework, "code", rows)


def _sync_standards(framework: Framework, data: dict[str, Any]) -> dict[str, Standard]:
    rows = [
        {"code": s["code"], "title": nfc(s["title"]), "position": n}
        for n, s in enumerate(data.get("standards", []))
    ]
    return _sync(Standard, framework, "code", rows)  # type: ignore[return-value]


def _sync_criteria(
    framework: Framework, data: dict[str, Any], standards: dict[str, Standard]
) -> dict[str, Criterion]:
    rows = []
    for s in data.get("standards", []):
        for c in s.get("criteria", []):
            rows.append(
                {
                    "code": c["code"],
                    "standard": standards[s["code"]],
                    "title": nfc(c["title"]),
                    "mandatory": bool(c.get("mandatory", False)),
                    "evidence_suggested": nfc(c.get("evidence_suggested")),
                    "quantitative_data": nfc(c.get("quantitative_data")),
                    "position": len(rows),
                    "search_text": fold(f"{c['code']} {c['title']}"),
                }
            )
    return _sync(Criterion, framework, "code", rows)  # type: ignore[return-value]


def _sync_indicators(
    framework: Framework, data: dict[str, Any], criteria: dict[str, Criterion]
) -> None:
    rows: list[dict[str, Any]] = []
    for s in data.get("standards", []):
        for c in s.get("criteria", []):
            for i in c.get("indicators", []):
                text = nfc(i["text"]) if i.get("text") is not None else None
                rows.append(
                    {
                        "ident": i["id"],
                        "criterion": criteria[c["code"]],
                        "level": i["level"],
                        "letter": i.get("letter", ""),
                        "text": text,
                        "text_en_summary": i.get("text_en_summary") or "",
                        "provenance": i.get("provenance", ""),
                        **_text_origin(i),
                        "position": len(rows),
                        "search_text": indicator_search_text(i["id"], text, None),
                    }
                )
    school_wide = max((lv["level"] for lv in data.get("levels", [])), default=4)
    for item in data.get("level4", []):
        text = nfc(item["text"]) if item.get("text") is not None else None
        summary = item.get("text_en_summary") or ""
        rows.append(
            {
                "ident": item["id"],
                "criterion": None,
                "level": school_wide,
                "letter": "",
                "text": text,
                "text_en_summary": summary,
                "provenance": nfc(item.get("provenance")),
                **_text_origin(item),
                "position": len(rows),
                "search_text": indicator_search_text(item["id"], text, summary),
            }
        )
    _sync(Indicator, framework, "ident", rows)


def _text_origin(item: dict[str, Any]) -> dict[str, Any]:
    """How sure a found text is and where it was read, as the data file gives them."""
    return {
        "text_confidence": item.get("text_confidence") or "",
        "text_sources": [nfc(source) for source in item.get("text_sources") or []],
    }
