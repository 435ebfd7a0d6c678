from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import AuditEvent, RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    raw_id_fields = ("unit",)
    fk_name = "user"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [RoleAssignmentInline]
    list_display = ("username", "full_name", "email", "is_active", "is_superuser")
    fieldsets = (*BaseUserAdmin.fieldsets, ("XHHT", {"fields": ("full_name", "phone")}))


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail cannot be edited or deleted from the application."""

    list_display = ("at", "actor_label", "ip", "action", "model", "object_repr")
    list_filter = ("action", "source")
    search_fields = ("object_repr", "actor_label", "unit_path", "model")
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
