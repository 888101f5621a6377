"""Read-only admin for loaded frameworks: the data files are the source of truth, edited in
frameworks/data/ and reloaded with `python manage.py load_frameworks`."""

from django.contrib import admin

from .models import Criterion, Framework, FrameworkVersion, Indicator


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class VersionInline(admin.TabularInline):
    model = FrameworkVersion
    extra = 0
    can_delete = False
    fields = ["code", "title", "effective_from", "effective_to", "wording_known", "certainty"]
    readonly_fields = fields


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyAdmin):
    list_display = ["code", "short_title", "effective_from", "effective_to", "certainty"]
    inlines = [VersionInline]
    exclude = ["data"]


@admin.register(Criterion)
class CriterionAdmin(ReadOnlyAdmin):
    list_display = ["framework", "code", "title", "mandatory"]
    list_filter = ["framework"]
    search_fields = ["code", "search_text"]


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ["framework", "ident", "level", "criterion"]
    list_filter = ["framework", "level"]
    search_fields = ["ident", "search_text"]
