"""The bell in the navbar (templates/base.html): the person's unread count, one COUNT per page
on the (recipient, read_at) index, only when someone is logged in."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from .selectors import unread_count


def bell(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: a page that does not draw the navbar (a fragment for htmx) costs no query.
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user=user))}
