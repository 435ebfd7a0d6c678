"""An import job: one uploaded file, its dry-run report, its progress and its outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ImportKind(models.TextChoices):
    PEOPLE = "people", _("Công dân")
    HOUSEHOLDS = "households", _("Hộ gia đình và thành viên")
    CLANS = "clans", _("Dòng họ")
    ORGANISATIONS = "organisations", _("Cơ quan, đơn vị và nhân sự")
    ASSOCIATION = "association", _("Hội viên Hội Khuyến học")


class ImportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        CHECKING = "checking", _("Đang kiểm tra")
        CHECKED = "checked", _("Đã kiểm tra")
        REJECTED = "rejected", _("Có lỗi")
        IMPORTING = "importing", pgettext_lazy("import status", "Đang nhập")
        DONE = "done", _("Đã nhập")
        FAILED = "failed", _("Thất bại")

    kind = models.CharField(_("loại dữ liệu"), max_length=20, choices=ImportKind.choices)
    commune = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("xã")
    )
    unit_path = models.CharField(max_length=255, editable=False)
    file_name = models.CharField(_("tên tệp"), max_length=255)
    stored_path = models.CharField(max_length=500, editable=False)
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField(default=0)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # when the status last changed (a queued job whose task is unknown is given up after a while)
    updated_at = models.DateTimeField(null=True, blank=True)
    # the background task that runs it (django-tasks result id), to tell a waiting job from a lost one
    task_id = models.CharField(max_length=64, blank=True, default="", editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lượt nhập dữ liệu")
        verbose_name_plural = _("lượt nhập dữ liệu")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["unit_path", "created_at"], name="imp_job_path")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_kind_display()})"

    @property
    def percent(self) -> int:
        if self.status in (self.Status.CHECKED, self.Status.DONE, self.Status.REJECTED):
            return 100
        if not self.rows_total:
            return 0
        return min(99, int(100 * self.rows_done / self.rows_total))

    @property
    def running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.CHECKING, self.Status.IMPORTING)
