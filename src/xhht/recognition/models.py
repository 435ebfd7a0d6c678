"""Registration and recognition facts: the two counts every report shows side by side.

``Registration`` — a subject registered (đăng ký) for a title in a year.
``Recognition`` — a subject was recognised (được công nhận) for a title in a year, by a decision.

Both carry ``unit_path``: where the subject was placed *on the day* (village for people and
households, commune for clans and commune-level units, the unit itself for villages/communes),
so a recognition keeps its territory even when the map changes later; reports carry it to today's
units through the unit successions. Analytics read these two tables.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xhht.core.fields import PathField
from xhht.core.titles import Level, SubjectType, Title


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Đã đăng ký")
    WITHDRAWN = "withdrawn", _("Đã rút đăng ký")


class Registration(models.Model):
    title = models.CharField(_("danh hiệu"), max_length=12, choices=Title.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    subject_type = models.CharField(max_length=14, choices=SubjectType.choices)
    subject_id = models.BigIntegerField()
    subject_name = models.CharField(_("đối tượng"), max_length=255)
    unit = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="+")
    unit_path = PathField()
    status = models.CharField(max_length=12, choices=RegistrationStatus.choices, default=RegistrationStatus.REGISTERED)
    registered_at = models.DateTimeField(auto_now_add=True)
    registered_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    on_behalf = models.BooleanField(_("cán bộ đăng ký thay"), default=False)

    class Meta:
        verbose_name = _("đăng ký danh hiệu")
        verbose_name_plural = _("đăng ký danh hiệu")
        constraints = [
            models.UniqueConstraint(fields=["title", "year", "subject_type", "subject_id"],
                                    name="rec_registration_unique"),
        ]
        indexes = [models.Index(fields=["title", "year", "unit_path"], name="rec_registration_rollup")]

    def __str__(self) -> str:
        return f"{self.get_title_display()} {self.year}: {self.subject_name}"


class Recognition(models.Model):
    title = models.CharField(_("danh hiệu"), max_length=12, choices=Title.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    subject_type = models.CharField(max_length=14, choices=SubjectType.choices)
    subject_id = models.BigIntegerField()
    subject_name = models.CharField(_("đối tượng"), max_length=255)
    unit = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="+")
    unit_path = PathField()
    level = models.CharField(_("mức"), max_length=6, choices=Level.choices, default=Level.PASS)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoked_reason = models.CharField(_("lý do thu hồi"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("công nhận danh hiệu")
        verbose_name_plural = _("công nhận danh hiệu")
        constraints = [
            models.UniqueConstraint(fields=["title", "year", "subject_type", "subject_id"],
                                    condition=Q(revoked_at__isnull=True), name="rec_recognition_unique_active"),
        ]
        indexes = [
            models.Index(fields=["title", "year", "unit_path"], name="rec_recognition_rollup"),
            models.Index(fields=["subject_type", "subject_id"], name="rec_recognition_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.get_title_display()} {self.year}: {self.subject_name}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
