"""The daily digest's two bodies (plain text and HTML), written as Python string joins.

The digest goes to every person who asked for it — 45,000 schools' staff in a province-wide
deployment — and rendering Django templates (`digest.txt` + `digest.html`, thirteen variables
each per person) was two thirds of the worker's time (bench/bench_notify.py). These functions
write the very same mails: `notifications/tests/reference/` keeps those two templates and
`test_digest_bodies.py` proves the output equal, byte for byte, on awkward inputs (markup and
quotes in titles, multi-line bodies, items without body or link). Change a digest's wording here
and in the reference templates together.

The immediate mails (one notification each, few a day) stay Django templates
(`templates/notifications/mail/notification.*`)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class DigestItem:
    title: str
    body: str
    link: str  # absolute URL, or "" when the notification has none
    when: str  # dd/mm/yyyy, the day it was created in the site's time zone


def digest_text(*, name: str, items: list[DigestItem], list_url: str, preferences_url: str) -> str:
    parts = [f"Kính gửi {name},\n\nTổng hợp {len(items)} thông báo từ Trường Chuẩn:\n"]
    for number, item in enumerate(items, 1):
        parts.append(f"\n{number}. {item.title} ({item.when})\n")
        if item.body:
            parts.append(f"   {item.body}\n")
        if item.link:
            parts.append(f"   Xem tại: {item.link}\n")
    parts.append(
        f"\nTất cả thông báo: {list_url}\n\nTrân trọng,\nTrường Chuẩn\n\n---\n"
        "Thư gửi tự động, vui lòng không trả lời. Chọn cách nhận thông báo: "
        f"{preferences_url}\n\n"
    )
    return "".join(parts)


_HTML_HEAD = (
    '<!doctype html>\n<html lang="vi"><head><meta charset="utf-8"><title>Trường Chuẩn</title>'
    '</head>\n<body style="font-family: Arial, sans-serif; color: #212529; line-height: 1.5">\n'
)


def digest_html(*, name: str, items: list[DigestItem], list_url: str, preferences_url: str) -> str:
    parts = [
        _HTML_HEAD,
        f"<p>Kính gửi {escape(name)},</p>\n",
        f"<p>Tổng hợp {len(items)} thông báo từ Trường Chuẩn:</p>\n<ol>\n",
    ]
    for item in items:
        parts.append(
            f'<li style="margin-bottom: 8px"><strong>{escape(item.title)}</strong>'
            f' <span style="color: #6c757d">({escape(item.when)})</span>'
        )
        if item.body:
            parts.append(f'<br><span style="white-space: pre-line">{escape(item.body)}</span>')
        if item.link:
            parts.append(f'<br><a href="{escape(item.link)}">Mở trên Trường Chuẩn</a>')
        parts.append("</li>\n")
    parts.append(
        f'</ol>\n<p><a href="{escape(list_url)}">Xem tất cả thông báo</a></p>\n'
        "<p>Trân trọng,<br>Trường Chuẩn</p>\n<hr>\n"
        '<p style="font-size: 12px; color: #6c757d">Thư gửi tự động, vui lòng không trả lời.'
        f' <a href="{escape(preferences_url)}">Chọn cách nhận thông báo</a>.</p>\n'
        "</body></html>\n"
    )
    return "".join(parts)
