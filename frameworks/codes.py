"""Evidence codes (mã minh chứng) as each framework declares them. Pure Python, no Django.

A framework's data file carries `evidence_code`, e.g. 2018: `"[H{box}-{criterion}-{seq:02}]"`
(Công văn 5932/BGDĐT-QLCL, CONFIRMED) and TT57: `"(MC.{criterion}.{seq:02})"` (UNCERTAIN). We
store the code *without* its brackets (`H1-1.1-01`, `MC.1.3.01`) so that it can be searched,
sorted and compared; the brackets and the separator between several codes are presentation and
come from the same declaration when a code is rendered in a sheet or a report."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# Used when a framework file declares no evidence code: the 2018 style, flagged uncertain so
# the UI says the format was not taken from the framework's text.
FALLBACK = {
    "format": "[H{box}-{criterion}-{seq:02}]",
    "brackets": "square",
    "separator": "; ",
    "certainty": "uncertain",
    "basis": "Bộ tiêu chuẩn không khai báo cách mã hóa minh chứng; dùng kiểu 2018 [Hn-a.b-cc].",
}
_BRACKETS = {"square": ("[", "]"), "round": ("(", ")"), "none": ("", "")}
_FIELD_RE = re.compile(r"\{(\w+)(?::[^}]*)?\}")


@dataclass(frozen=True)
class CodeStyle:
    template: str  # bare template, no brackets: "H{box}-{criterion}-{seq:02}"
    opening: str
    closing: str
    separator: str
    certainty: str
    basis: str = ""
    example: str = ""

    @property
    def is_uncertain(self) -> bool:
        return self.certainty != "confirmed"

    @property
    def uses_box(self) -> bool:
        return "box" in _FIELD_RE.findall(self.template)

    def make(self, *, criterion: str, seq: int, box: int | None = None) -> str:
        """The bare code: make(criterion="1.1", seq=1, box=1) → "H1-1.1-01"."""
        return self.template.format(criterion=criterion, seq=int(seq), box=box or 1)

    def parse(self, text: str) -> dict[str, str] | None:
        """The parts of a code typed by a person (brackets optional, spaces ignored):
        parse("[H1-1.1-01]") → {"box": "1", "criterion": "1.1", "seq": "01"}; None if the
        text does not follow the style."""
        bare = "".join(str(text).split())
        if self.opening and bare.startswith(self.opening) and bare.endswith(self.closing):
            bare = bare[len(self.opening) : -len(self.closing)]
        match = self._regex().fullmatch(bare)
        return match.groupdict() if match else None

    def _regex(self) -> re.Pattern[str]:
        parts: list[str] = []
        pos = 0
        for m in _FIELD_RE.finditer(self.template):
            parts.append(re.escape(self.template[pos : m.start()]))
            name = m.group(1)
            parts.append(
                rf"(?P<{name}>\d+(?:\.\d+)*)" if name == "criterion" else rf"(?P<{name}>\d+)"
            )
            pos = m.end()
        parts.append(re.escape(self.template[pos:]))
        return re.compile("".join(parts), re.IGNORECASE)

    def show(self, code: str) -> str:
        """One code as cited in a text: "[H1-1.1-01]" or "(MC.1.3.01)"."""
        return f"{self.opening}{code}{self.closing}"

    def show_many(self, codes: list[str]) -> str:
        """Several codes after one statement: "[H1-1.1-01]; [H1-1.1-02]" (2018, the brackets
        stay on each code as in the MOET guidance) or "(MC.1.1.01, MC.1.1.02)" (TT57, inside
        one pair of round brackets)."""
        if not codes:
            return ""
        if self.opening == "(":
            return f"({self.separator.join(codes)})"
        return self.separator.join(self.show(c) for c in codes)


def style_from_data(data: dict[str, Any] | None) -> CodeStyle:
    """The code style a framework's data declares (see the module docstring)."""
    decl = dict(FALLBACK)
    if data and isinstance(data.get("evidence_code"), dict):
        decl = {**FALLBACK, **data["evidence_code"]}
        if "certainty" not in data["evidence_code"]:
            decl["certainty"] = "uncertain"
    fmt = str(decl["format"])
    opening, closing = _BRACKETS.get(str(decl.get("brackets", "none")), ("", ""))
    template = fmt
    if opening and fmt.startswith(opening) and fmt.endswith(closing):
        template = fmt[len(opening) : -len(closing)]
    elif fmt[:1] in "[(" and fmt[-1:] in "])":
        # Brackets written in the format but not declared: take them from the format itself.
        opening, closing, template = fmt[0], fmt[-1], fmt[1:-1]
    return CodeStyle(
        template=template,
        opening=opening,
        closing=closing,
        separator=str(decl.get("separator", "; ")),
        certainty=str(decl.get("certainty", "uncertain")),
        basis=str(decl.get("basis", "")),
        example=str(decl.get("example", "")),
    )


def _codes_pattern(style: CodeStyle, codes) -> tuple[re.Pattern[str], dict[str, str]]:
    shown = {style.show(code): code for code in codes} if style.opening else {}
    keys = sorted([*shown, *codes], key=len, reverse=True)
    # A bare code must not be the tail or head of a longer code (H1-1.1-01 in H1-1.1-010).
    pattern = re.compile(
        r"(?<![\w.-])(?:" + "|".join(re.escape(k) for k in keys) + r")(?![\w-]|\.\d)"
    )
    return pattern, shown


def codes_in(text: str, style: CodeStyle, codes) -> list[str]:
    """Which of the bare `codes` a text cites (bracketed in `style` or bare), in order of first
    appearance: used to list codes left in a copied text whose item did not follow."""
    codes = list(codes)
    if not text or not codes:
        return []
    pattern, shown = _codes_pattern(style, codes)
    found = [shown.get(m.group(0), m.group(0)) for m in pattern.finditer(text)]
    return list(dict.fromkeys(found))


def rewrite_codes(text: str, old: CodeStyle, new: CodeStyle, mapping: dict[str, str]) -> str:
    """Re-code the citations written in a text after the register was carried into a cycle with
    other codes: `mapping` is old bare code → new bare code. A code written with the old
    style's brackets ("[H1-1.1-01]") is rewritten in the new style ("(MC.1.1.01)"); a bare code
    (inside a group "(MC.1.1.01, MC.1.1.02)") keeps the brackets around it. One pass over the
    text, so a new code equal to another old code is never rewritten twice."""
    if not text or not mapping:
        return text
    pattern, shown = _codes_pattern(old, mapping)

    def swap(match: re.Match[str]) -> str:
        found = match.group(0)
        if found in shown:
            return new.show(mapping[shown[found]])
        return mapping[found]

    return pattern.sub(swap, text)
