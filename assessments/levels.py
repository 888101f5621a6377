"""Live levels of a self-assessment: turn indicator results into the engine's input, evaluate,
and phrase what is missing ("thiếu 1.5-M3 để đạt Mức 3").

Pure Python (no Django import), like the engine itself: the services, the views, the benchmarks
and the snapshot all call it with plain rows. An indicator not yet decided counts as not met —
the engine only credits what the council has positively confirmed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from frameworks import engine


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
        return f"thiếu {', '.join(self.missing)} để đạt Mức {self.next_level}"


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
            where = (
                "yêu cầu Mức 4"
                if blocker["criterion"] == engine.LEVEL4_GROUP
                else f"tiêu chí {blocker['criterion']}"
            )
            parts.append(f"{', '.join(blocker['missing'])} ({where})")
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
