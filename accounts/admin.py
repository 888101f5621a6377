from django.contrib import admin

from accounts.models import Membership
from accounts.permissions import has_perm


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
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
