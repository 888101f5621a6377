"""`{{ idents|requirement_refs }}`: indicator ids as the circular names them ("chỉ báo a), b) của
Mức 1"), so the engine's ids ("1.1-M1a") never reach the screen."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from assessments.levels import requirement_refs as _refs

register = template.Library()


@register.filter
def requirement_refs(idents: Iterable[str] | str) -> str:
    return _refs([idents] if isinstance(idents, str) else idents)
