from django.contrib import admin

from .models import AdminUnit, UnitEvent, UnitSuccession


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "level", "valid_from", "valid_to", "path")
    list_filter = ("level", "kind")
    search_fields = ("name_folded", "code", "path")
    readonly_fields = ("path", "name_folded", "sort_key", "parent")
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        from xhht.core.text import fold

        return super().get_search_results(request, queryset, fold(search_term) or search_term)


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(admin.ModelAdmin):
    list_display = ("predecessor", "successor", "effective", "kind", "partial", "is_default")
    list_filter = ("kind", "partial")
    raw_id_fields = ("predecessor", "successor")


@admin.register(UnitEvent)
class UnitEventAdmin(admin.ModelAdmin):
    list_display = ("unit", "type", "effective", "old_name", "new_name")
    raw_id_fields = ("unit",)
