from django.contrib import admin

from .models import ReportRun, ReportTemplate


@admin.register(ReportTemplate)
class ReportTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "is_default", "updated_at")
    list_filter = ("kind",)


@admin.register(ReportRun)
class ReportRunAdmin(admin.ModelAdmin):
    list_display = ("template", "unit", "year", "status", "progress", "created_at")
    readonly_fields = (
        "template",
        "plan",
        "unit",
        "year",
        "status",
        "progress",
        "step",
        "error",
        "created_by",
    )
    exclude = ("xlsx", "pdf")
