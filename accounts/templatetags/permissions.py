"""`{% load permissions %}{% if user|may:"admin.access" %}`: templates ask the permission table
(accounts.permissions.has_perm) for actions without an object; pages with an object get their
`can_*` flags from the view, computed by the same has_perm."""

from django import template

from accounts.permissions import has_perm

register = template.Library()


@register.filter
def may(user, action: str) -> bool:
    return has_perm(user, action)
