from django.contrib import admin

from .models import (
    Commendation,
    Content,
    DataElement,
    DataEntry,
    DataSet,
    DataValue,
    Indicator,
    Phase,
    Plan,
    PlanTask,
    Target,
)


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


class ContentInline(admin.TabularInline):
    model = Content
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "issuer_name", "territory", "start_year", "end_year")
    raw_id_fields = ("issuer", "territory", "parent")
    inlines = [PhaseInline, ContentInline, TargetInline]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "unit", "numerator", "denominator", "source")
    search_fields = ("code", "name")


@admin.register(PlanTask)
class PlanTaskAdmin(admin.ModelAdmin):
    list_display = ("title", "plan", "agency", "deadline", "status")
    list_filter = ("status",)
    raw_id_fields = ("unit",)


class ElementInline(admin.TabularInline):
    model = DataElement
    extra = 0
    fk_name = "dataset"


@admin.register(DataSet)
class DataSetAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "entry_level")
    inlines = [ElementInline]


class ValueInline(admin.TabularInline):
    model = DataValue
    extra = 0


@admin.register(DataEntry)
class DataEntryAdmin(admin.ModelAdmin):
    list_display = ("dataset", "unit", "year", "status")
    list_filter = ("status", "dataset", "year")
    raw_id_fields = ("unit",)
    inlines = [ValueInline]


@admin.register(Commendation)
class CommendationAdmin(admin.ModelAdmin):
    list_display = ("decision_number", "date", "kind", "subject_name", "issuer")
    list_filter = ("kind", "collective")
    raw_id_fields = ("unit",)
