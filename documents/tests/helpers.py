"""Reading generated files back in tests."""

from __future__ import annotations

import io
import os
import unicodedata

import docx
import pytest
from docx.oxml.ns import qn

from documents import pdf

# Tests that convert to PDF skip where LibreOffice is missing (a developer laptop), except in
# CI: .ci/run sets TC_REQUIRE_PDF=1, so a missing LibreOffice fails there instead of skipping.
needs_soffice = pytest.mark.skipif(
    not pdf.is_available() and not os.environ.get("TC_REQUIRE_PDF"),
    reason="LibreOffice chưa cài",
)


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
    return "\n".join(parts)


def is_nfc(text: str) -> bool:
    return unicodedata.normalize("NFC", text) == text


def table_values(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def vn_int(text: str) -> int:
    return int(text.replace(".", "")) if text else 0


def run_fonts(document):
    """(ascii font, size pt or None) of every non-empty run of the body and its tables."""
    runs = [r for p in document.paragraphs for r in p.runs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    runs.extend(p.runs)
    out = []
    for r in runs:
        if not r.text:
            continue
        fonts = r._r.rPr.find(qn("w:rFonts")) if r._r.rPr is not None else None
        out.append(
            (
                fonts.get(qn("w:ascii")) if fonts is not None else None,
                fonts.get(qn("w:eastAsia")) if fonts is not None else None,
                r.font.size.pt if r.font.size else None,
            )
        )
    return out
