from django.contrib import admin

from .models import AssociationBranch, Clan, Household, LearningCentre, Organisation, Person


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("full_name", "birth_year", "village", "status")
    search_fields = ("name_folded", "cccd")
    raw_id_fields = ("village", "merged_into", "user")
    show_full_result_count = False


@admin.register(Household, Clan, Organisation, LearningCentre, AssociationBranch)
class RegistryAdmin(admin.ModelAdmin):
    show_full_result_count = False
