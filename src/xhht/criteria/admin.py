from django.contrib import admin

from .models import CriteriaSet, CriteriaSetConfirmation, Indicator


class IndicatorInline(admin.TabularInline):
    model = Indicator
    fields = ["code", "label", "kind", "max_points", "min_points", "mandatory", "rule"]
    extra = 0
    show_change_link = False

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.status == "draft"

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


@admin.register(CriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "title",
        "version",
        "status",
        "provisional",
        "applies_to",
        "year_from",
        "province",
    ]
    list_filter = ["title", "status", "provisional"]
    search_fields = ["name", "code", "source"]
    readonly_fields = ["content_hash", "published_at", "published_by", "parent", "created_by", "created_at"]
    inlines = [IndicatorInline]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.status == "draft")

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.status == "draft")


@admin.register(CriteriaSetConfirmation)
class CriteriaSetConfirmationAdmin(admin.ModelAdmin):
    """Read only: confirmations are made on the set's page (``services.criteria_set_confirm``)."""

    list_display = ["criteria_set", "province", "confirmed_by_name", "confirmed_at"]
    list_filter = ["province"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
