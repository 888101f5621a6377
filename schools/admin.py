from django.contrib import admin

from schools.models import School, SchoolLocation, SchoolSite


class SchoolSiteInline(admin.TabularInline):
    model = SchoolSite
    extra = 0


class SchoolLocationInline(admin.TabularInline):
    model = SchoolLocation
    extra = 0
    raw_id_fields = ["unit"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "ownership", "unit", "standard_level"]
    list_filter = ["kind", "ownership", "special_type", "standard_level"]
    search_fields = ["code", "name", "search_text"]
    raw_id_fields = ["unit"]
    inlines = [SchoolSiteInline, SchoolLocationInline]
