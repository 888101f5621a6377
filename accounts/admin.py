from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import Membership
from accounts.permissions import has_perm


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    # SimpleHistoryAdmin: a "History" page per membership (core.audit records every change).
    list_display = ["user", "role", "unit", "school", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "unit__name", "school__name", "school__code"]
    raw_id_fields = ["unit", "school"]


def _superusers_only(request) -> bool:
    """Django admin bypasses the scopes: only who holds admin.access in the permission table
    (superusers), whatever is_staff or model permissions say. Everyone else is sent to the
    admin login page."""
    return has_perm(request.user, "admin.access")


admin.site.has_permission = _superusers_only


class AuditedUserAdmin(SimpleHistoryAdmin, UserAdmin):
    """Django's user admin plus the account's history (password and last login excluded)."""


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), AuditedUserAdmin)
