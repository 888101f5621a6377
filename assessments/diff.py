"""What changed between two states of a self-assessment: two snapshots of one cycle, or two
cycles of one school. Works on the snapshot content (services.snapshot_content), so a live
assessment and a stored snapshot compare the same way: criteria (decisions, texts, citations),
per-standard texts, Mức 4 decisions and the evidence register. A snapshot taken before a part
existed simply lacks it and compares as empty. Pure Python (difflib for the texts)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from assessments.levels import requirement_refs

_TOKEN_RE = re.compile(r"\s+|[^\s]+")


@dataclass
class TextDiff:
    # Sheets: "state" (with level) | "strengths" | "weaknesses" | "actions" | "citations";
    # standards: the StandardReview field names. Labelled in the page.
    kind: str
    level: str
    segments: list[tuple[str, str]]  # (" " same | "-" removed | "+" added, text)


@dataclass
class IndicatorChange:
    ident: str
    old: bool | None
    new: bool | None

    @property
    def label(self) -> str:
        """The indicator as people name it ("chỉ báo a) của Mức 1"), for the page."""
        return requirement_refs([self.ident])


@dataclass
class CriterionDiff:
    code: str
    state: str  # "changed" | "added" | "removed"
    old_level: int | None
    new_level: int | None
    indicators: list[IndicatorChange] = field(default_factory=list)
    texts: list[TextDiff] = field(default_factory=list)


@dataclass
class StandardDiff:
    code: str
    texts: list[TextDiff]


@dataclass
class EvidenceChange:
    code: str
    name: str
    fields: list[str] = field(default_factory=list)  # changed metadata, for "changed" items


@dataclass
class EvidenceDiff:
    added: list[EvidenceChange] = field(default_factory=list)
    removed: list[EvidenceChange] = field(default_factory=list)
    changed: list[EvidenceChange] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass
class Comparison:
    old_level: int | None
    new_level: int | None
    criteria: list[CriterionDiff]
    level4: list[IndicatorChange]
    unchanged: int
    standards: list[StandardDiff] = field(default_factory=list)
    evidence: EvidenceDiff = field(default_factory=EvidenceDiff)

    @property
    def changed(self) -> int:
        return len(self.criteria)


def text_segments(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level difference, so a corrected accent in a long paragraph shows as one word."""
    a, b = _TOKEN_RE.findall(old or ""), _TOKEN_RE.findall(new or "")
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append((" ", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("-", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(("+", "".join(b[j1:j2])))
    return out


def _texts(old: dict[str, Any], new: dict[str, Any]) -> list[TextDiff]:
    pairs: list[tuple[str, str, str, str]] = []
    states = sorted(set(old.get("current_state", {})) | set(new.get("current_state", {})))
    for level in states:
        pairs.append(
            (
                "state",
                level,
                old.get("current_state", {}).get(level, ""),
                new.get("current_state", {}).get(level, ""),
            )
        )
    for name in ("strengths", "weaknesses"):
        pairs.append((name, "", old.get(name, ""), new.get(name, "")))
    pairs.append(("actions", "", _actions(old), _actions(new)))
    pairs.append(
        ("citations", "", ", ".join(old.get("citations", [])), ", ".join(new.get("citations", [])))
    )
    return [TextDiff(kind, lv, text_segments(a, b)) for kind, lv, a, b in pairs if a != b]


REVIEW_FIELDS = ("intro", "strengths", "weaknesses", "causes", "direction", "conclusion")


def _standards(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[StandardDiff]:
    a = {s["standard"]: s for s in old}
    b = {s["standard"]: s for s in new}
    out = []
    for code in dict.fromkeys([*b, *a]):
        texts = [
            TextDiff(
                name,
                "",
                text_segments(a.get(code, {}).get(name, ""), b.get(code, {}).get(name, "")),
            )
            for name in REVIEW_FIELDS
            if a.get(code, {}).get(name, "") != b.get(code, {}).get(name, "")
        ]
        if texts:
            out.append(StandardDiff(code, texts))
    return out


def _evidence(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> EvidenceDiff:
    a = {e["code"]: e for e in old}
    b = {e["code"]: e for e in new}
    result = EvidenceDiff()
    for code, item in b.items():
        if code not in a:
            result.added.append(EvidenceChange(code, item.get("name", "")))
            continue
        fields = [k for k in dict.fromkeys([*a[code], *item]) if a[code].get(k) != item.get(k)]
        if fields:
            result.changed.append(EvidenceChange(code, item.get("name", ""), fields))
    for code, item in a.items():
        if code not in b:
            result.removed.append(EvidenceChange(code, item.get("name", "")))
    return result


def _actions(sheet: dict[str, Any]) -> str:
    return "\n".join(
        " | ".join(str(v) for v in row.values() if v) for row in sheet.get("actions", [])
    )


def _indicators(old: dict[str, Any], new: dict[str, Any]) -> list[IndicatorChange]:
    idents = list(dict.fromkeys([*old, *new]))
    return [IndicatorChange(i, old.get(i), new.get(i)) for i in idents if old.get(i) != new.get(i)]


def compare(old: dict[str, Any], new: dict[str, Any]) -> Comparison:
    old_sheets = {s["criterion"]: s for s in old.get("sheets", [])}
    new_sheets = {s["criterion"]: s for s in new.get("sheets", [])}
    codes = list(dict.fromkeys([*new_sheets, *old_sheets]))
    criteria: list[CriterionDiff] = []
    unchanged = 0
    for code in codes:
        a, b = old_sheets.get(code), new_sheets.get(code)
        if a is None or b is None:
            criteria.append(
                CriterionDiff(
                    code,
                    "added" if a is None else "removed",
                    a["level"] if a else None,
                    b["level"] if b else None,
                )
            )
            continue
        diff = CriterionDiff(
            code,
            "changed",
            a["level"],
            b["level"],
            _indicators(a.get("indicators", {}), b.get("indicators", {})),
            _texts(a, b),
        )
        if diff.indicators or diff.texts or diff.old_level != diff.new_level:
            criteria.append(diff)
        else:
            unchanged += 1
    return Comparison(
        old.get("school_level"),
        new.get("school_level"),
        criteria,
        _indicators(old.get("level4", {}), new.get("level4", {})),
        unchanged,
        _standards(old.get("standards", []), new.get("standards", [])),
        _evidence(old.get("evidence", []), new.get("evidence", [])),
    )
