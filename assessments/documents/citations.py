"""Evidence codes written in the texts of a self-assessment, checked against the register.

The report must cite only codes of its catalogue, and its catalogue must list only codes the
report cites (regulation.md §4: "evidence used by several criteria keeps the code of its first
criterion and is cited again"). A code counts as cited by a criterion when it is written in the
criterion's texts or linked on its sheet with the evidence picker; the report prints the linked
codes that the text does not mention under the current state, so both ways end up in the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from frameworks.codes import CodeStyle


class Readable(Protocol):
    """What the check reads of an assessment's data (documents.data.SAData has it all); a
    protocol, so that this module needs no import of the module that calls it."""

    style: CodeStyle
    evidence: Sequence[Any]
    criteria: Sequence[Any]
    standards: Sequence[Any]


def code_pattern(style: CodeStyle) -> re.Pattern[str]:
    """Bare codes of the style anywhere in a text ("H1-1.1-01" inside "[H1-1.1-01]")."""
    bare = style._regex().pattern
    return re.compile(rf"(?<![\w.-])(?:{bare})(?![\w-]|\.\d)", re.IGNORECASE)


def codes_in(style: CodeStyle, text: str, pattern: re.Pattern[str] | None = None) -> list[str]:
    """The codes written in `text`, in order, each once, normalised to the register's form
    (upper case, two-digit sequence as the style makes it)."""
    pattern = pattern or code_pattern(style)
    out: list[str] = []
    for match in pattern.finditer(text or ""):
        parts = match.groupdict()
        try:
            code = style.make(
                criterion=parts["criterion"],
                seq=int(parts["seq"]),
                box=int(parts["box"]) if parts.get("box") else None,
            )
        except (KeyError, ValueError):
            code = match.group(0).upper()
        if code not in out:
            out.append(code)
    return out


@dataclass
class Check:
    written: dict[str, list[str]] = field(default_factory=dict)  # criterion → codes in text
    extra: dict[str, list[str]] = field(default_factory=dict)  # linked, not in the text
    unknown: list[tuple[str, str]] = field(default_factory=list)  # (criterion, code)
    never_cited: list[str] = field(default_factory=list)  # register codes cited nowhere
    in_standards: list[str] = field(default_factory=list)  # written in per-standard texts

    def cited(self) -> set[str]:
        codes = {c for codes in self.written.values() for c in codes} | set(self.in_standards)
        codes |= {c for codes in self.extra.values() for c in codes}
        return codes

    def codes_for(self, criterion: str) -> list[str]:
        return [*self.written.get(criterion, []), *self.extra.get(criterion, [])]

    @property
    def is_clean(self) -> bool:
        return not self.unknown and not self.never_cited

    def messages(self, style: CodeStyle) -> list[str]:
        out = [
            f"{_where(criterion)}: mã {style.show(code)} được ghi trong bài viết nhưng không "
            "có trong danh mục minh chứng."
            for criterion, code in self.unknown
        ]
        out += [
            f"Minh chứng {style.show(code)} chưa được tiêu chí nào trích dẫn nên không đưa vào "
            "danh mục của báo cáo."
            for code in self.never_cited
        ]
        return out


def _where(place: str) -> str:
    return place[:1].upper() + place[1:] if place.startswith("tiêu chuẩn") else f"Tiêu chí {place}"


def check(data: Readable) -> Check:
    pattern = code_pattern(data.style)
    register = {e.code for e in data.evidence}
    result = Check()
    for criterion in data.criteria:
        written = codes_in(data.style, criterion.all_text(), pattern)
        result.written[criterion.code] = [c for c in written if c in register]
        result.unknown += [(criterion.code, c) for c in written if c not in register]
        result.extra[criterion.code] = [e.code for e in criterion.cited if e.code not in written]
    for standard in data.standards:
        text = "\n".join(
            [standard.intro, standard.strengths, standard.weaknesses, standard.conclusion]
        )
        for code in codes_in(data.style, text, pattern):
            if code not in register:
                result.unknown.append((f"tiêu chuẩn {standard.code}", code))
            elif code not in result.in_standards:
                result.in_standards.append(code)
    cited = result.cited()
    result.never_cited = [e.code for e in data.evidence if e.code not in cited]
    return result
