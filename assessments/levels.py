"""Live levels of a self-assessment: turn indicator results into the engine's input, evaluate,
and phrase what is missing as the circular names it ("thiếu yêu cầu của Mức 3 ở tiêu chí 1.5 để
đạt Mức 3"; the internal ids such as "1.5-M3" never reach the screen).

Pure Python (no Django import), like the engine itself: the services, the views, the benchmarks
and the snapshot all call it with plain rows. An indicator not yet decided counts as not met —
the engine only credits what the council has positively confirmed."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from frameworks import engine

_CRITERION_IDENT = re.compile(r"(?P<criterion>\d+(?:\.\d+)*)-M(?P<level>\d+)(?P<letter>[a-zđ]*)")
_SCHOOL_IDENT = re.compile(r"M(?P<level>\d+)-(?P<n>\d+)")


def requirement_refs(idents: Iterable[str]) -> str:
    """Indicator ids in words, level by level, as the circular and the printed documents name
    them: "chỉ báo a), c) của Mức 2; yêu cầu của Mức 3" (a level whose single requirement has no
    letter is named by its level); school-wide requirements "yêu cầu số 1, 2 của Mức 4"."""
    levels: dict[int, list[str]] = {}
    school: dict[int, list[str]] = {}
    other: list[str] = []
    for ident in idents:
        if m := _CRITERION_IDENT.fullmatch(ident):
            levels.setdefault(int(m["level"]), []).append(m["letter"])
        elif m := _SCHOOL_IDENT.fullmatch(ident):
            school.setdefault(int(m["level"]), []).append(m["n"])
        else:  # a framework with another naming: say it as it is
            other.append(ident)
    parts = []
    for level, letters in sorted(levels.items()):
        named = [f"{letter})" for letter in letters if letter]
        parts.append(
            f"chỉ báo {', '.join(named)} của Mức {level}" if named else f"yêu cầu của Mức {level}"
        )
    for level, numbers in sorted(school.items()):
        parts.append(f"yêu cầu số {', '.join(numbers)} của Mức {level}")
    return "; ".join(parts + other)


@dataclass(frozen=True)
class Row:
    """One indicator result: its id, met (True / False / None = not decided) and whether it is a
    school-wide Mức 4 requirement (no criterion)."""

    ident: str
    met: bool | None
    school_wide: bool = False


@dataclass
class CriterionLive:
    code: str
    level: int
    top: int
    next_level: int | None
    missing: list[str] = field(default_factory=list)

    @property
    def explanation(self) -> str:
        if self.next_level is None:
            return "Đã đạt mức cao nhất của tiêu chí."
        return f"thiếu {requirement_refs(self.missing)} để đạt Mức {self.next_level}"


@dataclass
class LiveLevels:
    framework: str
    school_level: int
    top_level: int
    criteria: dict[str, CriterionLive]
    next_level: dict[str, Any] | None
    result: engine.Result

    @property
    def explanation(self) -> str:
        """One sentence for the school: what stands between it and the next level."""
        nxt = self.next_level
        if nxt is None:
            declared = max((sl.level for sl in self.result.framework.school_levels), default=0)
            if self.school_level < declared:
                # The next level cannot be assessed (TT18: the list of Mức 4 requirements is
                # incomplete): say so plainly, not that the school reached the top.
                return (
                    f"Trường đạt Mức {self.school_level}; "
                    f"Mức {self.school_level + 1}: không xác định được."
                )
            return f"Trường đã đạt mức cao nhất (Mức {self.school_level})."
        parts = []
        for blocker in nxt["blockers"]:
            refs = requirement_refs(blocker["missing"])
            if blocker["criterion"] == engine.LEVEL4_GROUP:
                parts.append(refs)
            else:
                parts.append(f"{refs} ở tiêu chí {blocker['criterion']}")
        if not parts:
            return f"Đủ điều kiện đạt Mức {nxt['level']}."
        return f"thiếu {'; '.join(parts)} để đạt Mức {nxt['level']}"

    @property
    def blocker_count(self) -> int:
        if self.next_level is None:
            return 0
        return sum(len(b["missing"]) for b in self.next_level["blockers"])


def evaluate(
    fw: engine.Framework,
    rows: Iterable[Row],
    *,
    version: str | None = None,
    conditions: dict[str, bool] | None = None,
) -> LiveLevels:
    """`conditions`: the recognition conditions the school declared (absent = unmet), for the
    accreditation and national-standard levels; the school level does not depend on them."""
    met: set[str] = set()
    level4: set[str] = set()
    for row in rows:
        if row.met:
            (level4 if row.school_wide else met).add(row.ident)
    result = engine.evaluate(fw, met, level4, conditions, version=version)
    criteria: dict[str, CriterionLive] = {}
    for index, (code, level) in enumerate(
        zip(fw.criterion_codes, result.criterion_levels, strict=True)
    ):
        top = fw.criterion_top[index]
        if level >= top:
            criteria[code] = CriterionLive(code, level, top, None)
            continue
        missing = [
            ident
            for lv in range(1, level + 2)
            for ident in fw.criterion_ids_by_level[index][lv]
            if ident not in met
        ]
        criteria[code] = CriterionLive(code, level, top, level + 1, missing)
    return LiveLevels(
        framework=fw.code,
        school_level=result.school_level,
        top_level=fw.max_level,
        criteria=criteria,
        next_level=result.next_level,
        result=result,
    )
