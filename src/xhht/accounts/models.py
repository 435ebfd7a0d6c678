"""Users, their roles bound to a unit of the map, and the append-only audit trail."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xhht.core.fields import PathField


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị hệ thống")
    SO_GDDT = "so_gddt", _("Cán bộ Sở Giáo dục và Đào tạo")
    HKH_TINH = "hkh_tinh", _("Cán bộ Hội Khuyến học tỉnh")
    HKH_XA = "hkh_xa", _("Cán bộ Hội Khuyến học xã")
    UBND_XA = "ubnd_xa", _("Lãnh đạo UBND xã (người ký quyết định)")
    TRUONG_THON = "truong_thon", _("Trưởng thôn / tổ trưởng tổ dân phố")
    THU_TRUONG = "thu_truong", _("Thủ trưởng cơ quan, đơn vị")
    CONG_DAN = "cong_dan", _("Công dân")


class User(AbstractUser):
    full_name = models.CharField(_("họ và tên"), max_length=200, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class RoleAssignmentQuerySet(models.QuerySet):
    def active(self, on: dt.date | None = None):
        on = on or dt.date.today()
        return self.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))


class RoleAssignment(models.Model):
    """``user`` holds ``role`` over ``unit`` and everything below it, between two dates."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="role_assignments", verbose_name=_("đơn vị")
    )
    unit_path = PathField(editable=False)
    position = models.CharField(_("chức vụ"), max_length=200, blank=True)
    valid_from = models.DateField(_("từ ngày"), default=dt.date.today)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        indexes = [models.Index(fields=["user", "valid_to"], name="acc_role_user")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"

    def save(self, *args, **kwargs):
        self.unit_path = self.unit.path
        super().save(*args, **kwargs)


class AuditEvent(models.Model):
    """One change to data: who, when, from where, what, before and after. Append-only.

    The application never updates or deletes these rows; database triggers (see the migration)
    refuse UPDATE on every backend and DELETE on PostgreSQL.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("Tạo mới")
        UPDATE = "update", _("Sửa")
        DELETE = "delete", _("Xoá")
        BULK = "bulk", _("Thao tác hàng loạt")
        LOGIN = "login", _("Đăng nhập")
        LOGOUT = "logout", _("Đăng xuất")
        LOGIN_FAILED = "login_failed", _("Đăng nhập thất bại")
        ACCESS = "access", _("Truy cập dữ liệu cá nhân")
        OTHER = "other", _("Khác")

    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    actor_label = models.CharField(_("người thực hiện"), max_length=200, blank=True)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    source = models.CharField(_("nguồn"), max_length=20, default="web")
    action = models.CharField(_("thao tác"), max_length=20, choices=Action.choices)
    model = models.CharField(_("loại dữ liệu"), max_length=100, blank=True)
    object_pk = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("đối tượng"), max_length=300, blank=True)
    unit_path = PathField(blank=True, db_index=True)
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("nhật ký thay đổi")
        verbose_name_plural = _("nhật ký thay đổi")
        indexes = [models.Index(fields=["model", "object_pk"], name="acc_audit_object")]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor_label} {self.get_action_display()} {self.object_repr}"
