from django.contrib import admin

from units.models import AdminUnit


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "uid", "code", "division_type", "parent", "valid_from", "valid_to"]
    list_filter = ["division_type", "valid_to"]
    search_fields = ["name", "uid", "code", "search_text"]
    raw_id_fields = ["parent"]
    filter_horizontal = ["successors"]
