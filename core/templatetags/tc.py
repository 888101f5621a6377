"""Template filters for Vietnamese formatting and small lookups."""

from django import template

from core import text

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def vn_int(value):
    """14765 → 14.765"""
    return text.format_int(value or 0)


@register.filter
def vn_decimal(value, places=2):
    return text.format_decimal(value or 0, int(places))


@register.filter
def vn_date(value):
    """A date as in a Vietnamese document's place-and-date line."""
    return text.format_date_long(value) if value else ""
