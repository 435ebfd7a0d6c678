from django.contrib import admin

from .models import Campaign, TitleAuthority


@admin.register(TitleAuthority)
class TitleAuthorityAdmin(admin.ModelAdmin):
    """Who decides each title (overrides ``authority.DEFAULT_AUTHORITIES``)."""

    list_display = (
        "title",
        "decider_role",
        "issuer_level",
        "issuer_prefix",
        "number_suffix",
        "validity_years",
    )


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("title", "year", "unit", "registration_deadline", "review_deadline", "is_open")
    list_filter = ("title", "year", "is_open")
    raw_id_fields = ("unit", "created_by")
    readonly_fields = ("criteria_hash",)
