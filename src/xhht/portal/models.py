"""Citizens' accounts and how they are tied to the registry.

A citizen signs up with CCCD, full name, date of birth and phone. That creates an *unverified*
account (its username is not the CCCD) that sees nothing of the registry, and an ``AccountClaim``.
The account is linked to a registry ``Person`` only by a verified act: an officer of the commune
who checked the card (``claim_resolve``), or a one-time code sent to the phone already on the
record (``VerificationCode``). Only then does the account take the CCCD as its username.
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


class VerificationCode(models.Model):
    """A one-time code sent to the phone on a registry record; typed back, it links the claim's
    account to that record. Only a keyed hash of the code is stored; it expires, and a few wrong
    tries spend it."""

    MAX_ATTEMPTS = 5

    claim = models.ForeignKey(AccountClaim, on_delete=models.CASCADE, related_name="codes")
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    sent_to = models.CharField(_("gửi tới (đã che)"), max_length=20)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mã xác minh")
        verbose_name_plural = _("mã xác minh")
        indexes = [models.Index(fields=["claim", "used_at"], name="portal_code_claim")]

    def __str__(self) -> str:
        return f"{self.claim_id} → {self.sent_to}"
