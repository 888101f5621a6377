"""Administrative documents in the Nghị định 30/2020/NĐ-CP format (Phụ lục I), on python-docx.

What the decree asks for and where it is done here:
- A4 portrait (landscape sections for wide tables: `NDDocument.landscape()`); margins top and
  bottom 20 mm, left 30 mm, right 15 mm (`_page_setup`).
- Times New Roman everywhere: the document defaults, every style we use and every run carry
  rFonts ascii/hAnsi/cs/eastAsia, so Vietnamese never falls back to a theme or CJK font.
- Body 14 pt, justified, first-line indent 1.27 cm (style "ND30 Body").
- The header: a two-column borderless table — left the managing body (caps 13) over the ISSUING
  BODY (caps 13 bold) with a short rule, then "Số: …/BC-…"; right the national name (caps 13
  bold) over the motto (14 bold) with a rule, then the italic place-and-date line
  (core.text.format_date_long: "Phong Thổ, ngày 05 tháng 7 năm 2021").
- Document type (BÁO CÁO, KẾ HOẠCH) caps bold centred, the subject line bold below it.
- Headings "I." / "1." in the styles "Heading 1" / "Heading 2" (restyled black Times New
  Roman), so Word's navigation pane and a later table of contents find them.
- Tables with borders, the header row bold and repeated on every page, numbers right-aligned
  in Vietnamese format (14.765; 55,61%).
- Content ends with "./."; "Nơi nhận:" 12 pt bold italic over an 11 pt list ending
  "- Lưu: VT, …"; signature block (TM./KT./TL. + title caps bold, name bold).
- Page numbers centred in the top margin from page 2: a PAGE field in the header and a
  different (empty) first-page header.

Builders only describe content (`DocumentSpec` + paragraphs + tables); layout lives here.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from core.text import format_date_long, format_decimal, format_int, nfc

FONT = "Times New Roman"
PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGIN_TOP_MM = 20
MARGIN_BOTTOM_MM = 20
MARGIN_LEFT_MM = 30
MARGIN_RIGHT_MM = 15
HEADER_DISTANCE_MM = 10
BODY_SIZE = 14
FIRST_LINE_INDENT_CM = 1.27
SIGNATURE_ROW_MM = 12  # the height of a row people sign in
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 165 mm
LANDSCAPE_TEXT_WIDTH_MM = PAGE_HEIGHT_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 252 mm

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
ENDING = "./."

BODY_STYLE = "ND30 Body"
RULE_SPACING_PT = 5  # height of the empty paragraph that carries a rule as its bottom border
_LEFT_HEADER_MM = 62


@dataclass
class DocumentSpec:
    """Everything of a document that is not its content. Texts are given as a person would
    type them; the layout applies caps where the decree wants caps."""

    issuer: str  # "Ủy ban nhân dân xã Phong Thổ" → "ỦY BAN NHÂN DÂN XÃ PHONG THỔ"
    doc_type: str  # "BÁO CÁO", "KẾ HOẠCH"
    subject: str  # "Về việc thực hiện xây dựng trường chuẩn quốc gia 6 tháng đầu năm 2021"
    place: str  # "Phong Thổ"
    date: dt.date
    managing_body: str = ""  # "Ủy ban nhân dân tỉnh Lai Châu"; empty for a top-level issuer
    number: str = ""  # empty: the clerk writes the number at issuance ("Số:      /BC-UBND")
    symbol: str = "BC-UBND"
    recipients: list[str] = field(default_factory=list)
    archive: str = "VT"  # "- Lưu: VT, GD." → archive="VT, GD"
    signer_authority: str = ""  # "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"; empty if none
    signer_title: str = "CHỦ TỊCH"
    signer_name: str = ""
    # A report signed by a principal for the file (báo cáo tự đánh giá) has no "Nơi nhận".
    show_recipients: bool = True
    # Documents without the header block (a report after its cover page) carry the italic
    # place-and-date line above the signature instead.
    date_above_signature: bool = False

    show_number: bool = True  # a form (phiếu đánh giá) carries no document number
    # A letter (công văn) has no document type: its subject is the "V/v …" line under the
    # number (12 pt), and it opens with "Kính gửi: …" (`addressees`) instead of a title.
    about: str = ""
    addressees: list[str] = field(default_factory=list)

    def number_line(self) -> str:
        number = nfc(self.number) or "\u00a0" * 8
        return f"Số: {number}/{nfc(self.symbol)}"

    def date_line(self) -> str:
        return f"{nfc(self.place)}, {format_date_long(self.date)}"


@dataclass(frozen=True)
class Column:
    title: str
    width_mm: float
    numeric: bool = False  # right-aligned (numbers, percentages)
    center: bool = False  # TT column, codes
    signature: bool = False  # people sign in it: its rows get room for a signature


def scale_columns(columns: Sequence[Column], total_mm: float) -> list[Column]:
    """The same columns stretched (or narrowed) to `total_mm` (a table laid out for portrait
    printed on a landscape page)."""
    factor = total_mm / sum(c.width_mm for c in columns)
    return [replace(c, width_mm=c.width_mm * factor) for c in columns]


@dataclass
class Row:
    cells: Sequence[Any]
    bold: bool = False
    italic: bool = False
    merge: bool = False  # one cell across the table (a group title: "Tiêu chuẩn 1: …")


def display(value: Any) -> str:
    """Vietnamese display of a table value: ints 14.765, Decimals 1.234,5 (only the places
    they carry, at most 2), None blank, anything else as text (NFC)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, int):
        return format_int(value)
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return format_int(value)
        places = min(2, max(0, -value.normalize().as_tuple().exponent))
        return format_decimal(value, places)
    if isinstance(value, float):
        raise TypeError("Dùng Decimal cho số tiền và tỷ lệ, không dùng float.")
    return nfc(str(value))


# -- measuring text ------------------------------------------------------------------------------
# Column widths and header line breaks are chosen from the width of the text, estimated with
# the advance widths of Times New Roman (Adobe's Times-Roman metrics, per 1000 em; Liberation
# Serif, which prints it, has the same metrics). A Vietnamese letter is as wide as its base
# letter (the marks sit above or below).
_WIDTHS = (
    dict(
        zip(
            "abcdefghijklmnopqrstuvwxyz",
            (
                444,
                500,
                444,
                500,
                444,
                333,
                500,
                500,
                278,
                278,
                500,
                278,
                778,
                500,
                500,
                500,
                500,
                333,
                389,
                278,
                500,
                500,
                722,
                500,
                500,
                444,
            ),
            strict=True,
        )
    )
    | dict(
        zip(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            (
                722,
                667,
                667,
                722,
                611,
                556,
                722,
                722,
                333,
                389,
                722,
                611,
                889,
                722,
                722,
                556,
                722,
                667,
                556,
                611,
                722,
                722,
                944,
                722,
                722,
                611,
            ),
            strict=True,
        )
    )
    | {d: 500 for d in "0123456789"}
    | {
        " ": 250,
        ".": 250,
        ",": 250,
        ":": 278,
        ";": 278,
        "%": 833,
        "-": 333,
        "/": 278,
        "(": 333,
        ")": 333,
        "[": 333,
        "]": 333,
        "&": 778,
        "+": 564,
        "=": 564,
        "“": 444,
        "”": 444,
        "…": 1000,
        "đ": 500,
        "Đ": 722,
        "ư": 560,
        "Ư": 800,
        "ơ": 560,
        "Ơ": 800,
        "\u00a0": 250,
    }
)
CELL_PADDING_MM = 4.0  # LibreOffice's and Word's default cell margins (1.9 mm each side)
_PT_MM = 25.4 / 72


def text_width_mm(text: str, size: float, *, bold: bool = False) -> float:
    """The printed width of `text` in millimetres at `size` points (an estimate)."""
    return _units(text, bold) * size / 1000 * _PT_MM


@functools.lru_cache(maxsize=8192)
def _units(text: str, bold: bool = False) -> float:
    total = 0.0
    for ch in text:
        base = ch if ch in _WIDTHS else unicodedata.normalize("NFD", ch)[:1]
        width = _WIDTHS.get(base, 560)
        if bold:  # Times Bold: lowercase about 10% wider, capitals and figures about 5%
            width *= 1.12 if base.islower() else 1.06
        total += width
    return total


def _tokens(text: str) -> list[str]:
    """The pieces a line may not be broken inside: words (a hyphen inside a word is written
    non-breaking), a long path split after its slashes."""
    out: list[str] = []
    for word in text.split():
        out.extend(word.replace("/", "/\n").split("\n") if len(word) > 24 else (word,))
    return out


# Words of unit names that a line break must not cut ("TIỂU / HỌC", "TRUNG HỌC / CƠ SỞ"), longest
# first, and the words after which a unit's proper name starts ("HUYỆN Ninh Giang", "TIỂU HỌC
# Huổi Luông").
_COMPOUNDS = frozenset(
    """ỦY BAN|NHÂN DÂN|TIỂU HỌC|TRUNG HỌC|MẦM NON|PHỔ THÔNG|CƠ SỞ|DÂN TỘC|BÁN TRÚ|NỘI TRÚ|
    THỊ TRẤN|THÀNH PHỐ|THỊ XÃ|GIÁO DỤC|ĐÀO TẠO|HỘI ĐỒNG|ĐÁNH GIÁ|TRUNG TÂM|THƯỜNG XUYÊN|
    CHỦ NGHĨA|XÃ HỘI|ĐẶC KHU|TRUNG HỌC CƠ SỞ|TRUNG HỌC PHỔ THÔNG|GIÁO DỤC THƯỜNG XUYÊN|
    NHÀ TRẺ|MẪU GIÁO""".replace("\n", "")
    .replace(" |", "|")
    .split("|")
)
_COMPOUND_LENGTHS = sorted({len(c.split()) for c in _COMPOUNDS}, reverse=True)
_NAME_STARTS_AFTER = frozenset(
    "HUYỆN XÃ TỈNH PHƯỜNG QUẬN TRẤN PHỐ KHU HỌC NON THÔNG TH THCS THPT MN PTDTBT PTDTNT GDTX "
    "GDNN-GDTX SỞ TRÚ XUYÊN GIÁO TRẺ".split()
)
NBSP = "\u00a0"
# Where the place in a school's proper name starts ("MẦM NON HOA BAN / XÃ HUỔI LUÔNG"); the first
# word of a compound ("THỊ TRẤN") is what the line starts with.
_PLACE_WORDS = frozenset("XÃ HUYỆN TỈNH PHƯỜNG QUẬN THỊ THÀNH ĐẶC".split())


# The words naming a school's type (loại trường), each kept on one line with non-breaking spaces
# where it fits: "PTDTBT TIỂU HỌC", "TH VÀ THCS", "TRUNG HỌC CƠ SỞ"; the type as a whole when it
# fits a line, else unit by unit ("TIỂU HỌC" / "VÀ TRUNG HỌC CƠ SỞ"). A line break falls before
# the type or before the proper name rather than inside the type.
_SCHOOL_TYPE_UNITS = tuple(
    sorted(
        (
            tuple(unit.split())
            for unit in """PTDTBT|PTDTNT|PTDT|PT|PTCS|TH|THCS|THPT|MN|MG|GDTX|GDNN-GDTX|TIỂU HỌC|
            TRUNG HỌC|TRUNG HỌC CƠ SỞ|TRUNG HỌC PHỔ THÔNG|MẦM NON|MẪU GIÁO|NHÀ TRẺ|PHỔ THÔNG|
            PHỔ THÔNG CƠ SỞ|PHỔ THÔNG DÂN TỘC BÁN TRÚ|PHỔ THÔNG DÂN TỘC NỘI TRÚ|DÂN TỘC BÁN TRÚ|
            DÂN TỘC NỘI TRÚ|BÁN TRÚ|NỘI TRÚ|LIÊN CẤP|NHIỀU CẤP HỌC|CHUYÊN""".split("|")
        ),
        key=len,
        reverse=True,
    )
)
_SCHOOL_WORD = "TRƯỜNG"
_TYPE_JOINERS = frozenset({"VÀ", "-"})


def _school_type(words: list[str]) -> list[tuple[int, int]]:
    """The units of the school type after the word "TRƯỜNG", as [start, end) word ranges (a
    "VÀ" joining two types goes with the unit after it); [] for a name without one."""
    upper = [w.upper() for w in words]
    if _SCHOOL_WORD not in upper[:-1]:
        return []
    i = upper.index(_SCHOOL_WORD) + 1
    units: list[tuple[int, int]] = []
    while i < len(words) - 1:  # the last word is always the proper name's
        start = i
        if units and upper[i] in _TYPE_JOINERS:
            i += 1
        for unit in _SCHOOL_TYPE_UNITS:
            if tuple(upper[i : i + len(unit)]) == unit and i + len(unit) < len(words):
                units.append((start, i + len(unit)))
                i += len(unit)
                break
        else:
            break
    return units


def _compound_tokens(words: list[str], usable: float, size: float, bold: bool) -> list[str]:
    """Words with each compound ("TIỂU HỌC") joined by a non-breaking space (unless wider than
    the line)."""
    out: list[str] = []
    i = 0
    while i < len(words):
        for n in _COMPOUND_LENGTHS:
            chunk = words[i : i + n]
            joined = NBSP.join(chunk)
            if (
                len(chunk) == n
                and " ".join(chunk).upper() in _COMPOUNDS
                and text_width_mm(joined, size, bold=bold) <= usable
            ):
                out.append(joined)
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return out


def _header_tokens(
    words: list[str], usable: float, size: float, bold: bool
) -> tuple[list[str], tuple[int, int] | None]:
    """The words of a header name with each group joined by non-breaking spaces, so that
    neither the choice below nor the word processor can cut it: the school type as a whole
    where it fits a line ("PTDTBT TIỂU HỌC"), else each of its units ("TRUNG HỌC CƠ SỞ"),
    else each compound ("TIỂU HỌC"); a group wider than the line stays breakable. Also the
    [first, end) tokens of the school type (None without one)."""

    def fits(chunk: list[str]) -> bool:
        return text_width_mm(NBSP.join(chunk), size, bold=bold) <= usable

    units = _school_type(words)
    if not units:
        return _compound_tokens(words, usable, size, bold), None
    start, end = units[0][0], units[-1][1]
    out = _compound_tokens(words[:start], usable, size, bold)
    first = len(out)
    if len(units) > 1 and fits(words[start:end]):
        out.append(NBSP.join(words[start:end]))
    else:
        for a, b in units:
            if b - a > 1 and fits(words[a:b]):
                out.append(NBSP.join(words[a:b]))
            else:
                out.extend(_compound_tokens(words[a:b], usable, size, bold))
    span = (first, len(out))
    out.extend(_compound_tokens(words[end:], usable, size, bold))
    return out, span


def _name_start(words: list[str]) -> int:
    """Index of the first word of the unit's proper name (after its last kind word)."""
    start = len(words)
    for i, word in enumerate(words[:-1]):
        if word.split(NBSP)[-1].upper() in _NAME_STARTS_AFTER:
            start = i + 1
    return start


def _greedy(words: list[str], width: float, size: float, bold: bool) -> list[str]:
    """Lines as a word processor fills them: as many words as fit, then the next line."""
    lines: list[str] = []
    for word in words:
        if lines and text_width_mm(f"{lines[-1]} {word}", size, bold=bold) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def header_lines(
    text: str, width_mm: float, size: float, *, bold: bool = False
) -> tuple[list[str], float]:
    """How a header name is broken (lines) and the paragraph width that makes LibreOffice and
    Word break it so. Word processors fill lines greedily, so only the breaks some paragraph
    width produces are candidates; a compound ("TIỂU HỌC", "MẦM NON") is one word joined by a
    non-breaking space where the word processor would otherwise cut it (the lines then carry
    them, the caller writes them); among the candidates the best: never inside the unit's proper name ("NINH /
    GIANG") when avoidable, fewest lines, most even. The width returned sits midway between
    the widest line and the narrowest line-plus-next-word, so a small error of the width
    estimate changes nothing. A name that fits on one line comes back as typed."""
    usable = width_mm - CELL_PADDING_MM
    if text_width_mm(text, size, bold=bold) <= usable or len(text.split()) < 2:
        return [text], usable
    words, school_type = _header_tokens(text.split(), usable, size, bold)
    if len(words) < 2:
        return [text], usable
    # A school's proper name starts right after its type ("MẦM NON / HOA BAN XÃ HUỔI LUÔNG",
    # "PTDTNT THCS / HUYỆN PHONG THỔ"); other units' after their last kind word.
    name = _name_start(words) if school_type is None else school_type[1]

    def elsewhere(lines: list[str]) -> int:
        """Breaks of a school's name not right before its proper name ("TRƯỜNG / TH VÀ
        THCS NẬM XE" is the worse of two otherwise equal choices)."""
        if school_type is None:
            return 0
        cuts = itertools.accumulate(len(line.split(" ")) for line in lines[:-1])
        return sum(cut != school_type[1] for cut in cuts)

    def penalty(lines: list[str]) -> int:
        total, cut = 0, 0
        for line in lines[:-1]:
            cut += len(line.split(" "))
            before, after = words[cut - 1].split(NBSP)[-1], words[cut].split(NBSP)[0]
            total += int(f"{before} {after}".upper() in _COMPOUNDS)
            # Inside the school type ("PTDTBT / TIỂU HỌC") where it is too wide to join.
            if school_type is not None:
                total += int(school_type[0] < cut < school_type[1])
            # A name cut is the worse: "HUỔI / LUÔNG" reads as two places; before the place
            # a school's name ends with it is the lesser ("HOA BAN / XÃ HUỔI LUÔNG").
            if name < cut:
                total += 1 if after.upper() in _PLACE_WORDS and school_type else 3
        return total

    widths = {
        text_width_mm(" ".join(words[i:j]), size, bold=bold)
        for i in range(len(words))
        for j in range(i + 1, len(words) + 1)
    }
    best: tuple[tuple[int, int, int, float], list[str], float] | None = None
    for width in sorted(w for w in widths if w <= usable):
        lines = _greedy(words, width, size, bold)
        widest = max(text_width_mm(line, size, bold=bold) for line in lines)
        if widest > usable or len(lines) < 2:
            continue
        if len(lines) > 3:
            continue
        key = (penalty(lines), len(lines), elsewhere(lines), widest)
        if best is None or key < best[0]:
            pulls = [
                text_width_mm(f"{line} {following.split(' ')[0]}", size, bold=bold)
                for line, following in zip(lines, lines[1:], strict=False)
            ]
            target = min(usable, (widest + min(pulls)) / 2)
            best = (key, lines, target)
    if best is None:
        return [text], usable
    _key, lines, target = best
    plain = [line.replace(NBSP, " ") for line in lines]
    if _greedy(text.split(), target, size, bold) == plain:
        # The word processor lands on these breaks by itself: the name stays as typed.
        return plain, target
    return lines, target


def balanced_lines(text: str, width_mm: float, size: float, *, bold: bool = False) -> str:
    """`header_lines` as text, a newline between lines ("UBND HUYỆN" / "NINH GIANG"); the
    non-breaking spaces inside compounds read as spaces."""
    lines = header_lines(text, width_mm, size, bold=bold)[0]
    return "\n".join(lines).replace(NBSP, " ")


def fit_widths(
    widths_mm: Sequence[float], needed_mm: Sequence[float], total_mm: float | None = None
) -> list[float]:
    """Column widths where each column is at least as wide as its longest unbreakable token
    (`needed_mm`); the room comes from the columns with slack, in proportion to their slack,
    and the table keeps its total width."""
    widths = [float(w) for w in widths_mm]
    total = sum(widths) if total_mm is None else total_mm
    needed = [min(n, total * 0.6) for n in needed_mm]  # one huge token never eats the table
    out = [max(w, n) for w, n in zip(widths, needed, strict=True)]
    excess = sum(out) - total
    if excess > 0.01:
        slack = [max(0.0, o - n) for o, n in zip(out, needed, strict=True)]
        room = sum(slack)
        if room > 0:
            take = min(1.0, excess / room)
            out = [o - s * take for o, s in zip(out, slack, strict=True)]
    return out


def _is_number(value: Any) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def set_run_font(
    run, size: float | None = None, *, bold: bool | None = None, italic: bool | None = None
) -> None:
    """Times New Roman on all four font slots of the run (Vietnamese text is "ascii/hAnsi"
    for Word but LibreOffice may look at "cs"/"eastAsia" for combining marks)."""
    rpr = run._r.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold
    if italic is not None:
        run.font.italic = italic


def _style_font(style, size: float, *, bold: bool = False, italic: bool = False) -> None:
    rpr = style.element.get_or_add_rPr()
    for old in rpr.findall(qn("w:rFonts")):  # theme fonts would win over explicit names
        rpr.remove(old)
    for old in rpr.findall(qn("w:color")):  # headings are blue in the default template
        rpr.remove(old)
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    style.font.color.rgb = None


def _document_defaults(doc) -> None:
    """Replace the template's theme fonts (Calibri/Cambria) in w:docDefaults."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        return
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if rpr is None:
        return
    for old in rpr.findall(qn("w:rFonts")):
        rpr.remove(old)
    fonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    rpr.insert(0, fonts)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "vi-VN")


def _page_setup(section, *, landscape: bool = False) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    width, height = (
        (PAGE_HEIGHT_MM, PAGE_WIDTH_MM) if landscape else (PAGE_WIDTH_MM, PAGE_HEIGHT_MM)
    )
    section.page_width = Mm(width)
    section.page_height = Mm(height)
    section.top_margin = Mm(MARGIN_TOP_MM)
    section.bottom_margin = Mm(MARGIN_BOTTOM_MM)
    section.left_margin = Mm(MARGIN_LEFT_MM)
    section.right_margin = Mm(MARGIN_RIGHT_MM)
    section.header_distance = Mm(HEADER_DISTANCE_MM)
    section.footer_distance = Mm(HEADER_DISTANCE_MM)


def _field_char(paragraph, kind: str, size: float | None = None) -> None:
    run = paragraph.add_run()
    if size is not None:
        set_run_font(run, size)
    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), kind)
    run._r.append(el)


def _add_page_field(paragraph, size: float = 13) -> None:
    """A PAGE field (begin / instr / separate / cached "2" / end): Word and LibreOffice
    recompute it on every page."""

    def fld(kind: str) -> None:
        _field_char(paragraph, kind, size)

    fld("begin")
    run = paragraph.add_run()
    set_run_font(run, size)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run._r.append(instr)
    fld("separate")
    set_run_font(paragraph.add_run("2"), size)
    fld("end")


def _paragraph_border_bottom(paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    # Schema order matters to Word: pBdr comes before shd/tabs/spacing/ind/jc.
    ppr.insert_element_before(
        border, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc"
    )


def _table_borders(table, *, visible: bool) -> None:
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblBorders")):
        tbl_pr.remove(old)
    tbl_pr.append(_borders_element(visible=visible))


def _borders_element(*, visible: bool):
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        if visible:
            el.set(qn("w:val"), "single")
            el.set(qn("w:sz"), "4")
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
        else:
            el.set(qn("w:val"), "nil")
        borders.append(el)
    return borders


def _column_widths(table, widths_mm: Sequence[float]) -> None:
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=False):
        col.set(qn("w:w"), str(int(Mm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(width)


def _header_name(cell, text: str, cell_width_mm: float, *, bold: bool, first: bool = True):
    """A unit's name in the header (caps 13), broken between words where `header_lines`
    says. The text is left as typed but for the non-breaking spaces inside compounds of a
    name that takes two lines or more ("TIỂU HỌC"): the paragraph is narrowed (equal indents,
    it is centred) to the width at which LibreOffice's and Word's own line breaking land on
    those breaks."""
    lines, target = header_lines(text, cell_width_mm, 13, bold=bold)
    paragraph = _cell_text(
        cell, " ".join(lines) if len(lines) > 1 else text, size=13, bold=bold, first=first
    )
    if len(lines) > 1:
        indent = Mm(max(0.0, (cell_width_mm - CELL_PADDING_MM - target) / 2))
        paragraph.paragraph_format.left_indent = indent
        paragraph.paragraph_format.right_indent = indent
    return paragraph


def _cant_split(table) -> None:
    """Every row of a python-docx table kept on one page (signature blocks)."""
    for row in table.rows:
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.insert(0, OxmlElement("w:cantSplit"))


def _cell_text(
    cell,
    text: str,
    *,
    size: float,
    bold: bool = False,
    italic: bool = False,
    align=WD_ALIGN_PARAGRAPH.CENTER,
    first: bool = True,
):
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = align
    if text:
        set_run_font(paragraph.add_run(text), size, bold=bold, italic=italic)
    return paragraph


# -- fast XML ----------------------------------------------------------------------------------
# A 150-page report has thousands of paragraphs and table cells. python-docx's object API looks
# up styles by name and finds each child's insertion point by scanning its siblings (quadratic
# in a long body), which made such a report take ~10 s. The content of documents is therefore
# written as plain WordprocessingML elements here; only one-off parts (header, closing block)
# use the object API. The XML is the same: every run still carries Times New Roman on its four
# font slots, its size, bold and italic.

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_INNER_HYPHEN = re.compile(r"(?<=\S)-(?=\S)")
_JC = {
    WD_ALIGN_PARAGRAPH.LEFT: "left",
    WD_ALIGN_PARAGRAPH.CENTER: "center",
    WD_ALIGN_PARAGRAPH.RIGHT: "right",
    WD_ALIGN_PARAGRAPH.JUSTIFY: "both",
}


def _el(tag: str, **attrs: Any):
    el = _new(tag)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), str(value))
    return el


@functools.lru_cache(maxsize=64)
def _template(tag: str):
    return OxmlElement(tag)


def _new(tag: str):
    """A new empty element: a copy of a cached one (OxmlElement parses a string each time,
    several times slower, and a report makes tens of thousands of elements)."""
    return copy.deepcopy(_template(tag))


def _rpr(size: float | None, bold: bool, italic: bool):
    return copy.deepcopy(_rpr_template(size, bold, italic))


@functools.lru_cache(maxsize=64)
def _rpr_template(size: float | None, bold: bool, italic: bool):
    rpr = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    rpr.append(fonts)
    if bold:
        rpr.append(OxmlElement("w:b"))
    if italic:
        rpr.append(OxmlElement("w:i"))
    if size is not None:
        half = str(int(round(size * 2)))
        rpr.append(_el("w:sz", val=half))
        rpr.append(_el("w:szCs", val=half))
    return rpr


def _append_run(p, text: str, size: float | None, bold: bool = False, italic: bool = False):
    """One run of `text` (line breaks kept as <w:br/>) at the end of paragraph element `p`."""
    run = _new("w:r")
    run.append(_rpr(size, bold, italic))
    for n, line in enumerate(text.split("\n")):
        if n:
            run.append(_new("w:br"))
        # A hyphen inside a token ("[H1-1.2-02]", "23/KH-UBND", "2025-2026") is written as
        # Word's non-breaking hyphen, which LibreOffice honours too: a line never breaks inside
        # a code or a number. A hyphen between spaces (" - ") stays an ordinary one.
        pieces = _INNER_HYPHEN.split(line) if "-" in line else (line,)
        for i, piece in enumerate(pieces):
            if i:
                run.append(_new("w:noBreakHyphen"))
            if piece or len(pieces) == 1:
                t = _new("w:t")
                t.text = piece
                t.set(_XML_SPACE, "preserve")
                run.append(t)
    p.append(run)
    return run


def _new_p(
    *,
    style_id: str | None = None,
    align=None,
    first_line_twips: int | None = None,
    space_before_pt: float | None = None,
    keep_next: bool = False,
):
    p = _new("w:p")
    ppr = _new("w:pPr")
    if style_id:
        ppr.append(_el("w:pStyle", val=style_id))
    if keep_next:  # schema order: right after pStyle
        ppr.append(_new("w:keepNext"))
    if space_before_pt is not None:
        ppr.append(_el("w:spacing", before=int(space_before_pt * 20)))
    if first_line_twips is not None:
        ppr.append(_el("w:ind", firstLine=first_line_twips))
    if align is not None:
        ppr.append(_el("w:jc", val=_JC[align]))
    if len(ppr):
        p.append(ppr)
    return p


class NDDocument:
    """One NĐ30 document being built. Usage:

    doc = NDDocument(spec)
    doc.paragraph("Thực hiện …")
    doc.heading("I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO")
    doc.table([Column("TT", 12, center=True), …], rows)
    doc.finish()            # "./.", Nơi nhận, signature
    data = doc.to_bytes()
    """

    def __init__(self, spec: DocumentSpec, *, opening: bool = True, landscape: bool = False):
        """`opening=False` leaves page 1 to the builder (the cover of a self-assessment
        report); the header block and title then come from `header_block()` /
        `title_block()` where the builder wants them, or not at all. `landscape=True` turns
        the whole document (a wide form such as an improvement plan)."""
        self.spec = spec
        self.doc = Document()
        self._last_body = None
        self._finished = False
        self.paragraph_count = 0
        self.cell_count = 0
        self._toc_anchor = None  # the paragraph holding the TOC field's start
        self._toc_entries: list[tuple[int, str]] = []
        self._styles()
        self._style_ids = {
            name: self.doc.styles[name].style_id
            for name in (BODY_STYLE, "Heading 1", "Heading 2", "Heading 3")
        }
        self._body = self.doc.element.body
        self.text_width = LANDSCAPE_TEXT_WIDTH_MM if landscape else TEXT_WIDTH_MM
        section = self.doc.sections[0]
        _page_setup(section, landscape=landscape)
        self._page_numbers(section)
        if opening:
            self._header_block()
            self._title_block()

    # -- set-up ------------------------------------------------------------------------------

    def _styles(self) -> None:
        _document_defaults(self.doc)
        styles = self.doc.styles
        normal = styles["Normal"]
        _style_font(normal, BODY_SIZE)
        pf = normal.paragraph_format
        pf.space_before = Pt(0)
        pf.space_after = Pt(0)
        pf.line_spacing = 1.0
        body = styles.add_style(BODY_STYLE, 1)  # WD_STYLE_TYPE.PARAGRAPH
        body.base_style = normal
        _style_font(body, BODY_SIZE)
        pf = body.paragraph_format
        pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        pf.first_line_indent = Cm(FIRST_LINE_INDENT_CM)
        pf.space_before = Pt(6)
        pf.space_after = Pt(0)
        pf.line_spacing = 1.15
        for name in ("Heading 1", "Heading 2", "Heading 3"):
            style = styles[name]
            _style_font(style, BODY_SIZE, bold=True)
            pf = style.paragraph_format
            pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            pf.first_line_indent = Cm(FIRST_LINE_INDENT_CM)
            pf.space_before = Pt(6)
            pf.space_after = Pt(0)
            pf.line_spacing = 1.15
            pf.keep_with_next = True
        for name in ("Header", "Footer"):
            _style_font(styles[name], 13)
        # The table of contents' own paragraph styles ("TOC 1–3" in Word, "Contents 1–3" in
        # LibreOffice): without them the generated entries fall back to a default font that
        # breaks Vietnamese diacritics in the PDF.
        for level in (1, 2, 3):
            name = f"TOC {level}"
            try:
                style = styles[name]
            except KeyError:
                style = styles.add_style(name, 1)
                style.base_style = normal
            _style_font(style, 13, bold=level == 1)
            style.paragraph_format.left_indent = Cm(0.6 * (level - 1))
            style.paragraph_format.space_after = Pt(2)

    def single_spacing(self) -> None:
        """Body text at single line spacing (NĐ30's minimum) instead of 1.15: for a one-page
        document — a decision — whose signer would otherwise be pushed alone onto page 2."""
        for name in (BODY_STYLE, "Heading 1", "Heading 2", "Heading 3"):
            self.doc.styles[name].paragraph_format.line_spacing = 1.0

    def _page_numbers(self, section) -> None:
        section.different_first_page_header_footer = True
        section.first_page_header.is_linked_to_previous = False  # explicit, empty
        header = section.header
        header.is_linked_to_previous = False
        paragraph = header.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _add_page_field(paragraph)

    def _header_block(self) -> None:
        spec = self.spec
        table = self.doc.add_table(rows=1, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _table_borders(table, visible=False)
        right_width = self.text_width - _LEFT_HEADER_MM
        _column_widths(table, [_LEFT_HEADER_MM, right_width])
        left, right = table.rows[0].cells
        first = True
        # Unit names break between words only, evenly ("UBND HUYỆN" / "NINH GIANG").
        if spec.managing_body:
            _header_name(left, nfc(spec.managing_body).upper(), _LEFT_HEADER_MM, bold=False)
            first = False
        _header_name(left, nfc(spec.issuer).upper(), _LEFT_HEADER_MM, bold=True, first=first)
        self._rule(left, 22, _LEFT_HEADER_MM)
        if spec.show_number:
            number = _cell_text(left, spec.number_line(), size=13, first=False)
            number.paragraph_format.space_before = Pt(6)
        if spec.about:
            _cell_text(left, nfc(spec.about), size=12, first=False)

        _cell_text(right, NATIONAL_NAME, size=13, bold=True)
        _cell_text(right, MOTTO, size=14, bold=True, first=False)
        self._rule(right, 62, right_width)
        date = _cell_text(right, spec.date_line(), size=14, italic=True, first=False)
        date.paragraph_format.space_before = Pt(6)

    @staticmethod
    def _rule(cell, width_mm: float, cell_width_mm: float) -> None:
        """The short horizontal line under the issuer and the motto: an empty paragraph with a
        bottom border, narrowed by equal indents so it is centred."""
        paragraph = cell.add_paragraph()
        _paragraph_border_bottom(paragraph)
        indent = Mm(max(0.0, (cell_width_mm - 2 - width_mm) / 2))  # 2 mm of cell padding
        pf = paragraph.paragraph_format
        pf.left_indent = indent
        pf.right_indent = indent
        pf.space_before = Pt(0)
        pf.space_after = Pt(0)
        pf.line_spacing = Pt(RULE_SPACING_PT)

    def _title_block(self) -> None:
        if not self.spec.doc_type:
            self._addressee_block()
            return
        title = self.doc.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.paragraph_format.space_before = Pt(18)
        set_run_font(title.add_run(nfc(self.spec.doc_type).upper()), BODY_SIZE, bold=True)
        if self.spec.subject:
            subject = self.doc.add_paragraph()
            subject.alignment = WD_ALIGN_PARAGRAPH.CENTER
            set_run_font(subject.add_run(nfc(self.spec.subject)), BODY_SIZE, bold=True)
            rule = self.doc.add_paragraph()
            _paragraph_border_bottom(rule)
            indent = Mm((self.text_width - 40) / 2)
            rule.paragraph_format.left_indent = indent
            rule.paragraph_format.right_indent = indent
            rule.paragraph_format.line_spacing = Pt(RULE_SPACING_PT)
        spacer = self.doc.add_paragraph()
        spacer.paragraph_format.space_after = Pt(6)
        self.paragraph_count += 3

    def _addressee_block(self) -> None:
        """ "Kính gửi: …" of a letter, centred; several addressees one per line."""
        names = [nfc(n) for n in self.spec.addressees if nfc(n)]
        first = self.doc.add_paragraph()
        first.alignment = WD_ALIGN_PARAGRAPH.CENTER
        first.paragraph_format.space_before = Pt(18)
        first.paragraph_format.space_after = Pt(12)
        if len(names) <= 1:
            set_run_font(first.add_run(f"Kính gửi: {names[0] if names else ''}"), BODY_SIZE)
        else:
            set_run_font(first.add_run("Kính gửi:"), BODY_SIZE)
            for name in names:
                line = self.doc.add_paragraph()
                line.alignment = WD_ALIGN_PARAGRAPH.CENTER
                set_run_font(line.add_run(f"- {name}"), BODY_SIZE)
        self.paragraph_count += 1 + len(names)

    # -- content -----------------------------------------------------------------------------

    def _add_p(self, p) -> Paragraph:
        """Append paragraph element `p` to the body (before its final sectPr, found once:
        searching for it on every insertion is what made long documents slow)."""
        self._body.sectPr.addprevious(p) if self._body.sectPr is not None else self._body.append(p)
        return Paragraph(p, self.doc._body)

    def paragraph(
        self, text: str = "", *, bold: bool = False, italic: bool = False, indent: bool = True
    ):
        p = _new_p(style_id=self._style_ids[BODY_STYLE], first_line_twips=None if indent else 0)
        if text:
            _append_run(p, nfc(text), None, bold, italic)
        paragraph = self._add_p(p)
        self._last_body = paragraph
        self.paragraph_count += 1
        return paragraph

    def paragraphs(self, text: str) -> None:
        """Free text kept with a report (one paragraph per non-empty line)."""
        for line in nfc(text).splitlines():
            if line.strip():
                self.paragraph(line.strip())

    def heading(self, text: str, level: int = 1, *, center: bool = False):
        """A heading "Heading 1–3" (Word's navigation pane and the table of contents list
        it). Level 1 centred is the style of "PHẦN I. CƠ SỞ DỮ LIỆU"."""
        level = min(max(level, 1), 3)
        p = _new_p(
            style_id=self._style_ids[f"Heading {level}"],
            align=WD_ALIGN_PARAGRAPH.CENTER if center else None,
            first_line_twips=0 if center else None,
            keep_next=True,  # never the last line of a page (the style says so too)
        )
        _append_run(p, nfc(text), BODY_SIZE, bold=True)
        paragraph = self._add_p(p)
        self.paragraph_count += 1
        if self._toc_anchor is not None:
            self._toc_entries.append((level, nfc(text)))
        return paragraph

    def centered(
        self,
        text: str,
        *,
        size: float = BODY_SIZE,
        bold: bool = False,
        italic: bool = False,
        space_before: float = 0,
    ):
        """A centred line outside the body style (cover page, titles inside the content)."""
        # A bold centred line is a title: it stays with what it introduces.
        p = _new_p(align=WD_ALIGN_PARAGRAPH.CENTER, space_before_pt=space_before, keep_next=bold)
        if text:
            _append_run(p, nfc(text), size, bold, italic)
        self.paragraph_count += 1
        return self._add_p(p)

    def labelled(self, label: str, text: str):
        """ "Điểm mạnh: …" — a bold label followed by running text, one paragraph."""
        paragraph = self.paragraph(indent=True)
        _append_run(paragraph._p, nfc(label), None, bold=True)
        if text:
            _append_run(paragraph._p, " " + nfc(text), None)
        return paragraph

    def page_break(self) -> None:
        p = OxmlElement("w:p")
        run = OxmlElement("w:r")
        run.append(_el("w:br", type="page"))
        p.append(run)
        self._add_p(p)
        self._last_body = None

    def fill_in(self, lines: int = 2) -> None:
        """Empty dotted lines to fill in by hand, where a section's text was not written in
        the app: the printed document never carries a placeholder sentence."""
        tab_pos = int(Mm(self.text_width).twips)
        for _ in range(lines):
            p = _new_p(style_id=self._style_ids[BODY_STYLE], first_line_twips=0)
            tabs = OxmlElement("w:tabs")
            tabs.append(_el("w:tab", val="right", leader="dot", pos=tab_pos))
            p[0].insert(1, tabs)  # pPr: pStyle, tabs, …, ind
            run = OxmlElement("w:r")
            run.append(_rpr(None, False, False))
            run.append(OxmlElement("w:tab"))
            p.append(run)
            self._add_p(p)
            self.paragraph_count += 1
        self._last_body = None

    def header_block(self) -> None:
        self._header_block()

    def title_block(self) -> None:
        self._title_block()

    def toc(self, title: str = "MỤC LỤC", levels: str = "1-3") -> None:
        """A real Word table of contents (a TOC field over Heading 1–3). Its cached result
        lists the headings without page numbers; Word refreshes it on opening (updateFields)
        and documents.pdf updates it before printing to PDF."""
        self.centered(title, bold=True, space_before=6)
        anchor = self.doc.add_paragraph()
        _field_char(anchor, "begin")
        run = anchor.add_run()
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = f' TOC \\o "{levels}" \\h \\z \\u '
        run._r.append(instr)
        _field_char(anchor, "separate")
        self._toc_anchor = anchor
        settings = self.doc.settings.element
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)
        self.paragraph_count += 2

    def _fill_toc(self) -> None:
        """Write the cached TOC result (one paragraph per heading) and close the field."""
        anchor = self._toc_anchor
        if anchor is None:
            return
        self._toc_anchor = None
        after = anchor._p
        for level, text in self._toc_entries:
            p = _new_p(style_id=self.doc.styles[f"TOC {level}"].style_id)
            _append_run(p, text, 13, bold=level == 1)
            after.addnext(p)
            after = p
        end = OxmlElement("w:p")
        after.addnext(end)
        _field_char(Paragraph(end, anchor._parent), "end")

    def table(
        self,
        columns: Sequence[Column],
        rows: Iterable[Row | Sequence[Any]],
        *,
        groups: Sequence[tuple[str, int]] | None = None,
        size: float = 12,
        landscape: bool = False,
        row_height_mm: float | None = None,
    ):
        """A bordered table. `groups` adds a first header row of (title, span) over the column
        titles (a span of 1 merges the two header rows of that column). Header rows repeat on
        every page; numbers are right-aligned in Vietnamese format.

        Layout rules: a row never splits across pages (w:cantSplit) and a group title row
        stays with the row below it; each column is at least as wide as its longest word or
        figure (a header word such as "trường" or a percentage such as "35,29%" never wraps
        inside), the room taken from the columns with slack; `row_height_mm` gives every body
        row at least that height (a list people sign)."""
        center = WD_ALIGN_PARAGRAPH.CENTER
        body: list[tuple[Row, list[str]]] = []
        for item in rows:
            row = item if isinstance(item, Row) else Row(item)
            texts = [display(row.cells[0])] if row.merge else [display(v) for v in row.cells]
            if not row.merge and len(texts) != len(columns):
                raise ValueError(f"row has {len(texts)} cells for {len(columns)} columns")
            body.append((row, texts))
        needed = [
            max(
                (text_width_mm(t, size, bold=True) for t in _tokens(nfc(column.title))),
                default=0.0,
            )
            for column in columns
        ]
        for row, texts in body:
            if row.merge:
                continue
            for col, text in enumerate(texts):
                if text:
                    width = max(text_width_mm(t, size, bold=row.bold) for t in _tokens(text))
                    if width > needed[col]:
                        needed[col] = width
        widths_mm = fit_widths(
            [c.width_mm for c in columns], [n + CELL_PADDING_MM if n else 0.0 for n in needed]
        )
        widths = [int(Mm(w).twips) for w in widths_mm]
        if row_height_mm is None and any(c.signature for c in columns):
            row_height_mm = SIGNATURE_ROW_MM
        tbl = _new("w:tbl")
        tbl_pr = _new("w:tblPr")
        tbl_pr.append(_el("w:tblW", w=0, type="auto"))
        tbl_pr.append(_el("w:jc", val="center"))
        tbl_pr.append(_borders_element(visible=True))
        tbl_pr.append(_el("w:tblLayout", type="fixed"))
        tbl.append(tbl_pr)
        grid = _new("w:tblGrid")
        for width in widths:
            grid.append(_el("w:gridCol", w=width))
        tbl.append(grid)

        def cell(
            tr, text, col, span=1, *, bold=False, italic=False, align=None, vmerge=None, keep=False
        ):
            tc = _new("w:tc")
            tc_pr = _new("w:tcPr")
            tc_pr.append(_el("w:tcW", w=sum(widths[col : col + span]), type="dxa"))
            if span > 1:
                tc_pr.append(_el("w:gridSpan", val=span))
            if vmerge == "restart":
                tc_pr.append(_el("w:vMerge", val="restart"))
            elif vmerge == "continue":
                tc_pr.append(_new("w:vMerge"))
            tc_pr.append(_el("w:vAlign", val="center"))
            tc.append(tc_pr)
            p = _new_p(align=align, keep_next=keep)
            if text:
                _append_run(p, text, size, bold, italic)
            tc.append(p)
            tr.append(tc)

        def new_row(*, header: bool = False, height_mm: float | None = None):
            tr = _new("w:tr")
            tr_pr = _new("w:trPr")
            # Schema order inside trPr does not matter (a choice group); Word writes
            # cantSplit, trHeight, tblHeader.
            tr_pr.append(_new("w:cantSplit"))
            if height_mm:
                tr_pr.append(_el("w:trHeight", val=int(Mm(height_mm).twips), hRule="atLeast"))
            if header:
                tr_pr.append(_el("w:tblHeader", val="true"))
            tr.append(tr_pr)
            tbl.append(tr)
            return tr

        header_rows = 2 if groups else 1
        if groups:
            top, bottom = new_row(header=True), new_row(header=True)
            col = 0
            for title, span in groups:
                if span == 1:
                    cell(
                        top, nfc(columns[col].title), col, bold=True, align=center, vmerge="restart"
                    )
                    cell(bottom, "", col, vmerge="continue")
                else:
                    cell(top, nfc(title), col, span, bold=True, align=center)
                    for i in range(col, col + span):
                        cell(bottom, nfc(columns[i].title), i, bold=True, align=center)
                col += span
        else:
            top = new_row(header=True)
            for col, column in enumerate(columns):
                cell(top, nfc(column.title), col, bold=True, align=center)
        for row, texts in body:
            if row.merge:
                # A group title ("Tiêu chuẩn 1: …") is kept with the first row of its group.
                tr = new_row()
                cell(
                    tr,
                    texts[0],
                    0,
                    len(columns),
                    bold=row.bold,
                    italic=row.italic,
                    align=WD_ALIGN_PARAGRAPH.LEFT,
                    keep=True,
                )
                self.cell_count += 1
                continue
            tr = new_row(height_mm=row_height_mm)
            for col, (column, value, text) in enumerate(
                zip(columns, row.cells, texts, strict=True)
            ):
                if column.numeric or _is_number(value):
                    align = WD_ALIGN_PARAGRAPH.RIGHT
                elif column.center:
                    align = center
                else:
                    align = WD_ALIGN_PARAGRAPH.LEFT
                cell(tr, text, col, bold=row.bold, italic=row.italic, align=align)
            self.cell_count += len(columns)
        self.cell_count += len(columns) * header_rows
        self._add_p(tbl)
        self._last_body = None
        return Table(tbl, self.doc._body)

    def landscape(self) -> None:
        """Start a landscape section (wide tables); page numbers continue."""
        self._new_section(landscape=True)

    def portrait(self) -> None:
        self._new_section(landscape=False)

    def _new_section(self, *, landscape: bool) -> None:
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        _page_setup(section, landscape=landscape)
        # Only page 1 of the document goes without a number.
        section.different_first_page_header_footer = False

    # -- closing -----------------------------------------------------------------------------

    def finish(self, closing: str = "", *, closing_block: bool = True) -> None:
        """End the content with "./." (on `closing`, or on the last body paragraph), then the
        recipients and the signature block (`closing_block=False`: a bundle of forms, each
        signed with `signature()`, ends without them)."""
        if self._finished:
            return
        self._finished = True
        if not closing_block:
            return
        if closing:
            self.paragraph(closing)
        last = self._last_body
        if last is None:
            last = self.paragraph()
        text = last.text.rstrip()
        if not text.endswith(ENDING):
            # "… thi hành Quyết định này." ends "… này./.", not "… này../."
            set_run_font(last.add_run(ENDING[1:] if text.endswith(".") else ENDING))
        # The signature never stands alone on a page: the last paragraph of the content goes
        # with it (and the signature block's row does not split).
        last.paragraph_format.keep_with_next = True
        self._closing_block()

    def signature(self, title: str, name: str, *, date_line: str = "") -> None:
        """A signature on the right (a form inside a bundle): the italic place-and-date line,
        the title in caps bold, room to sign, the name bold."""
        table = self.doc.add_table(rows=1, cols=2)
        _table_borders(table, visible=False)
        _column_widths(table, [self.text_width / 2 - 5, self.text_width / 2 + 5])
        _cant_split(table)
        if self._last_body is not None:
            self._last_body.paragraph_format.keep_with_next = True
        right = table.rows[0].cells[1]
        first = right.paragraphs[0]
        first.paragraph_format.space_before = Pt(12)
        first.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if date_line:
            set_run_font(first.add_run(nfc(date_line)), 14, italic=True)
            _cell_text(right, nfc(title).upper(), size=14, bold=True, first=False)
        else:
            set_run_font(first.add_run(nfc(title).upper()), 14, bold=True)
        for _ in range(3):
            right.add_paragraph()
        _cell_text(right, nfc(name), size=14, bold=True, first=False)
        self._last_body = None

    def _closing_block(self) -> None:
        spec = self.spec
        table = self.doc.add_table(rows=1, cols=2)
        _table_borders(table, visible=False)
        widths = [self.text_width / 2 - 5, self.text_width / 2 + 5]
        _column_widths(table, widths)
        _cant_split(table)
        left, right = table.rows[0].cells
        if spec.show_recipients:
            paragraph = left.paragraphs[0]
            paragraph.paragraph_format.space_before = Pt(12)
            set_run_font(paragraph.add_run("Nơi nhận:"), 12, bold=True, italic=True)
            archive = nfc(spec.archive) or "VT"
            for name in [*spec.recipients, f"Lưu: {archive}."]:
                line = nfc(name)
                if not line.startswith("-"):
                    line = f"- {line}"
                _cell_text(left, line, size=11, align=WD_ALIGN_PARAGRAPH.LEFT, first=False)

        first = right.paragraphs[0]
        first.paragraph_format.space_before = Pt(12)
        first.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if spec.date_above_signature:
            set_run_font(first.add_run(spec.date_line()), 14, italic=True)
            first = right.add_paragraph()
            first.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if spec.signer_authority:
            set_run_font(first.add_run(nfc(spec.signer_authority).upper()), 14, bold=True)
            _cell_text(right, nfc(spec.signer_title).upper(), size=14, bold=True, first=False)
        else:
            set_run_font(first.add_run(nfc(spec.signer_title).upper()), 14, bold=True)
        for _ in range(4):  # room for the signature and the seal
            right.add_paragraph()
        _cell_text(right, nfc(spec.signer_name), size=14, bold=True, first=False)

    # -- output ------------------------------------------------------------------------------

    def save(self, target) -> None:
        if not self._finished:
            self.finish()
        self._fill_toc()
        self.doc.save(target)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.save(buffer)
        return buffer.getvalue()
