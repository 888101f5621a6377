from django.contrib import admin

from recognition.models import RecognitionDecision


@admin.register(RecognitionDecision)
class RecognitionDecisionAdmin(admin.ModelAdmin):
    list_display = ("number", "signed_on", "school", "kind", "level", "valid_until")
    list_filter = ("kind", "track", "level")
    search_fields = ("number", "school__code", "school__name")
    raw_id_fields = ("school", "created_by")
    readonly_fields = ("track", "valid_until", "created_at", "version")

    # The register is written through the app (rules, scope, cache refresh); the admin only reads.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
