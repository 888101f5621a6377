from django.contrib import admin

from accounts.models import Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit", "school", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "unit__name", "school__name", "school__code"]
    raw_id_fields = ["unit", "school"]
