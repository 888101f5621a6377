from django.contrib import admin

from accounts.models import Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit", "school", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "unit__name", "school__name", "school__code"]
    raw_id_fields = ["unit", "school"]


def _superusers_only(request) -> bool:
    """Django admin bypasses the scopes (accounts.scope): superusers only, whatever is_staff
    or model permissions say. Everyone else is sent to the admin login page."""
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superusers_only
