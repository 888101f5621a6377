"""Vietnamese text rules shared by every app: NFC normalisation, accent-insensitive search keys,
collation keys and the number/date formats of official documents. Pure Python, no Django."""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import ROUND_HALF_UP, Decimal


def nfc(value: str | None) -> str:
    """Every text we store is NFC: Vietnamese typed on Windows (VNI/Unikey "tổ hợp") arrives
    decomposed, and a decomposed "ổ" never equals a precomposed one in a query."""
    if value is None:
        return ""
    return unicodedata.normalize("NFC", str(value)).strip()


def fold(value: str | None) -> str:
    """Search key: lower case, no tone marks or diacritics, đ → d, spaces collapsed.
    "Huổi Luông" and "huoi luong" give the same key."""
    text = unicodedata.normalize("NFD", nfc(value).lower().replace("đ", "d"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return " ".join(text.split())


# Vietnamese alphabetical order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y,
# then tones in the dictionary order: none, huyền, hỏi, ngã, sắc, nặng.
_BASE_ORDER = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_LETTER_MARKS = {"\u0306": "ă", "\u0302": "â", "\u031b": "ơ"}


def _letters(word: str) -> tuple[str, int]:
    """Split a lower-case word into base Vietnamese letters and one tone rank."""
    out: list[str] = []
    tone = 0
    for ch in unicodedata.normalize("NFD", word):
        if ch in _TONES:
            tone = _TONES[ch]
        elif ch in _LETTER_MARKS and out:
            base = out[-1]
            if ch == "\u0302":
                out[-1] = {"a": "â", "e": "ê", "o": "ô"}.get(base, base)
            elif ch == "\u0306":
                out[-1] = "ă" if base == "a" else base
            else:  # horn
                out[-1] = {"o": "ơ", "u": "ư"}.get(base, base)
        elif unicodedata.category(ch) == "Mn":
            continue
        else:
            out.append(ch)
    return "".join(out), tone


def sort_key(value: str | None) -> str:
    """A string whose plain order is Vietnamese dictionary order: base letters of the whole
    name first, then the tones. Stored in a column so SQLite and PostgreSQL sort alike without
    an ICU collation. Only digits are used, so any server collation orders it the same way:
    each letter is two digits ("00" ends the letters, "01" separates words, digits 02–11,
    the alphabet from 12, anything else 99), then one digit of tone per word."""
    codes: list[str] = []
    tones: list[str] = []
    for word in nfc(value).lower().split():
        if codes:
            codes.append("01")
        letters, tone = _letters(word)
        for ch in letters:
            idx = _BASE_ORDER.find(ch)
            if idx >= 0:
                codes.append(f"{12 + idx:02d}")
            elif ch.isdigit():
                codes.append(f"{2 + int(ch):02d}")
            else:
                codes.append("99")
        tones.append(str(tone))
    return "".join(codes) + "00" + "".join(tones)


def format_int(value: int | Decimal) -> str:
    """14765 → "14.765" (dot groups thousands in Vietnamese documents)."""
    return f"{int(value):,}".replace(",", ".")


def format_decimal(value: Decimal | float | int, places: int = 2) -> str:
    """1234.5 → "1.234,50". Rounds half up, the rule taught in Vietnamese schools and used by
    statistics offices (Python's round() rounds half to even)."""
    quant = Decimal(1).scaleb(-places)
    number = Decimal(str(value)).quantize(quant, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    whole, _, frac = f"{abs(number):f}".partition(".")
    text = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{text},{frac}" if places else f"{sign}{text}"


def format_percent(part: int, whole: int, places: int = 2) -> str:
    """Share computed from counts: 5 of 9 → "55,56%"; 0 of 0 → "0,00%"."""
    if not whole:
        return format_decimal(0, places) + "%"
    return format_decimal(Decimal(part) * 100 / Decimal(whole), places) + "%"


def format_date_long(day: dt.date) -> str:
    """The place-and-date line of Nghị định 30/2020: day < 10 and months 1–2 take a leading
    zero: "ngày 05 tháng 7 năm 2021", "ngày 17 tháng 01 năm 2021"."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def format_date_short(day: dt.date) -> str:
    """17/12/2020 — the form used inside sentences and tables."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"
