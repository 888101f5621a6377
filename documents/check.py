"""The document check: what must not reach a printed official document. Pure Python (the
WordprocessingML of a generated .docx read with lxml; no Django), so the tests run it on every
kind and the pre-print checklist runs the same rules on the file the user is about to print.

`scan_docx(bytes_or_path) -> list[Finding]` reads the body (paragraphs and tables, nested ones
too), the headers and the footers, and reports:
- an English sentence (a run of plain-ASCII words with English function words in it: a
  Vietnamese text without its diacritics does not use "the", "of", "with"…);
- an internal id such as "1.1-M2" (how the engine names a requirement, not how people do);
- a template leak: "{…}" or "[H{box}…]";
- a developer's doubt ("Nội dung chưa chắc chắn", "chưa đối chiếu văn bản gốc", "TT22/2024:
  chưa có nội dung…");
- a placeholder sentence instead of content ("chưa có văn bản", "chưa được soạn");
- "./." alone in the paragraph right after a table (the end mark belongs to the last sentence
  of the content).
Each finding carries a Vietnamese message a principal or an official understands."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARTS = re.compile(r"word/(document|header\d*|footer\d*)\.xml")
_PLACE = {"document": "nội dung", "header": "đầu trang", "footer": "chân trang"}

ENGLISH = "english"
INTERNAL_ID = "internal-id"
TEMPLATE_LEAK = "template-leak"
DEVELOPER_NOTE = "developer-note"
MISSING_TEXT = "missing-text"
LONE_ENDING = "lone-ending"

MESSAGES = {
    ENGLISH: "Có câu tiếng Anh trong văn bản",
    INTERNAL_ID: "Có mã nội bộ của phần mềm (dạng “1.1-M2”) thay cho lời văn",
    TEMPLATE_LEAK: "Có chỗ mẫu chưa được điền (dấu ngoặc nhọn “{…}”)",
    DEVELOPER_NOTE: "Có ghi chú kỹ thuật không dành cho người đọc văn bản",
    MISSING_TEXT: "Có câu báo thiếu nội dung thay cho nội dung",
    LONE_ENDING: "Dấu kết thúc “./.” đứng riêng một dòng sau bảng",
}

# English words that do not occur as Vietnamese syllables written without diacritics ("an",
# "to", "do", "in", "can", "me" do, so they are left out).
_ENGLISH_WORDS = frozenset(
    """the of and or for with from by at on is are was were be been being has have had that
    this these those which who whose what when where than then there their its it they them
    not no all each every any other such into onto up out over under about after before
    between during within without least most more must should shall will would could may
    school schools student students teacher teachers year years time according level levels
    requirement requirements evaluation recognized outperforming consecutive plan plans goals
    activities results community authorities conditions similar development strategy""".split()
)
_ASCII_WORD = re.compile(r"[A-Za-z][A-Za-z']*\Z")
_TOKEN = re.compile(r"[^\s,;:()\[\]“”\"]+")
_INTERNAL_ID = re.compile(r"(?<![\w.])\d+\.\d+-M\d+\b")
_TEMPLATE = re.compile(r"\{[^{}\n]{0,60}\}|\[H\{")
_DEVELOPER = re.compile(
    r"nội dung chưa chắc chắn|chưa (?:được )?đối chiếu(?: với)? văn bản|"
    r"chưa có nội dung chỉ báo|TT\s?\d+/\d{4}:\s*chưa có nội dung|tóm tắt tiếng anh",
    re.IGNORECASE,
)
_MISSING = re.compile(r"chưa có văn bản|chưa (?:được )?soạn", re.IGNORECASE)
_ENDING = "./."


@dataclass(frozen=True)
class Finding:
    code: str  # ENGLISH, INTERNAL_ID, … (stable, for tests and the checklist)
    message: str  # Vietnamese, for the user
    excerpt: str  # the text found, shortened
    place: str  # "nội dung", "đầu trang", "chân trang"

    def __str__(self) -> str:
        return f"{self.message} ({self.place}): “{self.excerpt}”"


def _excerpt(text: str, start: int = 0, end: int | None = None, width: int = 90) -> str:
    end = len(text) if end is None else end
    lo = max(0, start - 20)
    hi = min(len(text), max(end, lo + width))
    out = text[lo:hi].strip()
    return ("…" if lo else "") + out + ("…" if hi < len(text) else "")


def english_runs(text: str) -> list[tuple[int, int]]:
    """Spans of English in `text`: three or more consecutive plain-ASCII words of which at
    least two are English function words. Codes ("H1-1.1-01"), numbers, names in capitals and
    a Vietnamese word written without diacritics do not qualify."""
    spans: list[tuple[int, int]] = []
    run: list[re.Match[str]] = []

    def close() -> None:
        english = sum(1 for m in run if _word(m.group()) in _ENGLISH_WORDS)
        if len(run) >= 3 and english >= 2:
            spans.append((run[0].start(), run[-1].end()))
        run.clear()

    for match in _TOKEN.finditer(text):
        word = _word(match.group())
        if word and _ASCII_WORD.match(word):
            run.append(match)
        elif not word.isdigit():  # "at least 02 years": a number does not end the sentence
            close()
    close()
    return spans


def _word(token: str) -> str:
    return token.strip(".!?'’").lower().removesuffix("'s")


def scan_text(text: str, *, place: str = "nội dung") -> list[Finding]:
    """The findings of one paragraph's text."""
    text = unicodedata.normalize("NFC", text)
    out: list[Finding] = []

    def add(code: str, start: int, end: int) -> None:
        out.append(Finding(code, MESSAGES[code], _excerpt(text, start, end), place))

    english = english_runs(text)
    if english:  # one finding per paragraph, however many sentences
        add(ENGLISH, english[0][0], english[-1][1])
    for pattern, code in (
        (_INTERNAL_ID, INTERNAL_ID),
        (_TEMPLATE, TEMPLATE_LEAK),
        (_DEVELOPER, DEVELOPER_NOTE),
        (_MISSING, MISSING_TEXT),
    ):
        match = pattern.search(text)
        if match:
            add(code, match.start(), match.end())
    return out


def _paragraph_text(p) -> str:
    parts: list[str] = []
    for el in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}noBreakHyphen"):
        if el.tag == f"{_W}t":
            parts.append(el.text or "")
        elif el.tag == f"{_W}noBreakHyphen":
            parts.append("-")
        else:
            parts.append(" ")
    return "".join(parts)


def _parts(source: bytes | str | Path) -> Iterator[tuple[str, bytes]]:
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in sorted(archive.namelist()):
            match = _PARTS.fullmatch(name)
            if match:
                yield _PLACE[re.sub(r"\d+", "", match.group(1))], archive.read(name)


def scan_docx(source: bytes | str | Path) -> list[Finding]:
    """Every finding of a generated .docx (bytes or a path), in reading order."""
    findings: list[Finding] = []
    for place, xml in _parts(source):
        root = etree.fromstring(xml)
        for p in root.iter(f"{_W}p"):
            text = _paragraph_text(p)
            if not text.strip():
                continue
            findings.extend(scan_text(text, place=place))
            if text.strip() == _ENDING:
                previous = p.getprevious()
                if previous is not None and previous.tag == f"{_W}tbl":
                    findings.append(Finding(LONE_ENDING, MESSAGES[LONE_ENDING], _ENDING, place))
    return findings
