"""Filters for the public pages: the published content keeps ISO dates and level numbers."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.translation import gettext as _

from core.text import format_date_short

register = template.Library()


@register.filter
def isodate(value: str) -> str:
    try:
        return format_date_short(dt.date.fromisoformat(value))
    except (TypeError, ValueError):
        return ""


@register.filter
def level_label(level: int | None, family: str = "") -> str:
    if not level:
        return _("Chưa đạt Mức 1") if family == "2026" else _("Không đạt")
    return _("Mức %(n)s") % {"n": level}
