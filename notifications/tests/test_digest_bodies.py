"""The digest's bodies are written in Python (notifications/digest.py) for speed; they must say
exactly what the Django templates they replaced said (kept in tests/reference/)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.template import Context, Engine

from notifications.digest import DigestItem, digest_html, digest_text

REFERENCE = Path(__file__).parent / "reference"
URLS = {
    "list_url": "http://127.0.0.1:8000/notifications/",
    "preferences_url": "http://127.0.0.1:8000/notifications/preferences/?a=1&b=2",
}

CASES = {
    "one plain item": (
        "Nguyễn Văn An",
        [DigestItem("Việc 1", "Nội dung", "http://x/1", "01/12/2026")],
    ),
    "markup and quotes": (
        "O'Brien <b>&</b>",
        [
            DigestItem(
                'Trường "A" <script>', "a & b\n'c' > d", "http://x/?a=1&b='2'", "02/12/2026"
            ),
            DigestItem("Không nội dung", "", "http://x/2", "03/12/2026"),
            DigestItem("Không đường dẫn", "Chỉ nội dung", "", "04/12/2026"),
            DigestItem("Trống", "", "", "05/12/2026"),
        ],
    ),
    "multi-line body": (
        "hieutruong",
        [DigestItem("Báo cáo", "Dòng 1\nDòng 2\n\nDòng 4", "http://x/3", "31/01/2027")],
    ),
}


def _reference(name: str, items: list[DigestItem]) -> tuple[str, str]:
    engine = Engine()
    ctx = {"name": name, "items": items, **URLS}
    text = engine.from_string((REFERENCE / "digest.txt").read_text()).render(Context(ctx))
    html = engine.from_string((REFERENCE / "digest.html").read_text()).render(Context(ctx))
    return text, html


@pytest.mark.parametrize("case", CASES)
def test_the_digest_says_what_the_reference_templates_say(case):
    name, items = CASES[case]
    text, html = _reference(name, items)
    assert digest_text(name=name, items=items, **URLS) == text
    assert digest_html(name=name, items=items, **URLS) == html


def test_the_digest_escapes_markup_in_html_only():
    name, items = CASES["markup and quotes"]
    html = digest_html(name=name, items=items, **URLS)
    text = digest_text(name=name, items=items, **URLS)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'Trường "A" <script>' in text
