"""Citizens' accounts and how they are tied to the registry.

A citizen signs up with CCCD, full name, date of birth and phone. The account is linked to the
registry ``Person`` at once only when these details match exactly one record that has no account
yet; otherwise an ``AccountClaim`` waits for an officer of the commune to resolve it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xhht.core.fields import PathField


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("Chờ cán bộ xác minh")
    LINKED = "linked", _("Đã liên kết hồ sơ công dân")
    REJECTED = "rejected", _("Không xác minh được")


class AccountClaim(models.Model):
    user = models.OneToOneField("accounts.User", on_delete=models.CASCADE, related_name="account_claim")
    cccd = models.CharField(_("số CCCD"), max_length=12)
    full_name = models.CharField(_("họ và tên"), max_length=150)
    birth_date = models.DateField(_("ngày sinh"))
    phone = models.CharField(_("số điện thoại"), max_length=15)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.PENDING
    )
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit_path = PathField(blank=True, help_text=_("Nơi cán bộ xác minh (xã của hồ sơ gần đúng nhất)."))
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    # Set when an officer printed a one-time password: the citizen chooses their own at first login.
    must_set_password = models.BooleanField(_("phải đổi mật khẩu khi đăng nhập"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu liên kết tài khoản công dân")
        verbose_name_plural = _("yêu cầu liên kết tài khoản công dân")
        indexes = [models.Index(fields=["status", "unit_path"], name="portal_claim_status")]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.cccd})"
