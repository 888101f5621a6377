"""`{% load permissions %}{% if user|may:"admin.access" %}`: templates ask the permission table
(accounts.permissions.has_perm) for actions without an object; pages with an object get their
`can_*` flags from the view, computed by the same has_perm."""

from django import template

from accounts.permissions import has_perm

register = template.Library()


@register.filter
def may(user, action: str) -> bool:
    return has_perm(user, action)


@register.simple_tag
def may_on(user, action: str, obj) -> bool:
    """`{% may_on user "investment.edit" project as can_edit %}`: the same question about one
    object, for the rows of a list (a link shown only to who may follow it)."""
    return has_perm(user, action, obj)
