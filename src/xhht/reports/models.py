"""Report templates (editable by an administrator, defaults shipped) and report runs (background task
with progress, the XLSX and PDF it produced)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from xhht.core.fields import PathField


class ReportKind(models.TextChoices):
    YEARLY = "nam", _("Báo cáo năm (hạn 15/12)")
    MID = "so_ket", _("Báo cáo sơ kết giai đoạn")
    FINAL = "tong_ket", _("Báo cáo tổng kết")


class ReportTemplate(models.Model):
    kind = models.CharField(_("loại báo cáo"), max_length=10, choices=ReportKind.choices)
    name = models.CharField(_("tên mẫu"), max_length=200)
    recipients = models.TextField(_("kính gửi"), blank=True)
    intro = models.TextField(
        _("phần mở đầu"), blank=True, help_text=_("Có thể dùng {don_vi}, {nam}, {ke_hoach}.")
    )
    sections = models.TextField(
        _("các mục tường thuật"), blank=True, help_text=_("Mỗi mục một dòng: tiêu đề | gợi ý nội dung")
    )
    closing = models.TextField(_("phần kết"), blank=True)
    is_default = models.BooleanField(_("mẫu mặc định"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "-is_default", "name"]
        verbose_name = _("mẫu báo cáo")
        verbose_name_plural = _("mẫu báo cáo")

    def __str__(self) -> str:
        return self.name

    def section_list(self) -> list[tuple[str, str]]:
        out = []
        for line in self.sections.splitlines():
            if line.strip():
                title, _sep, hint = line.partition("|")
                out.append((title.strip(), hint.strip()))
        return out


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang lập")
    DONE = "done", _("Hoàn thành")
    FAILED = "failed", _("Lỗi")


class ReportRun(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    template = models.ForeignKey(ReportTemplate, on_delete=models.PROTECT, related_name="runs")
    plan = models.ForeignKey("plans.Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    unit = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="+")
    unit_path = PathField(editable=False)
    year = models.PositiveSmallIntegerField(_("năm"))
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    xlsx = models.BinaryField(null=True, blank=True, editable=False)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("lần lập báo cáo")
        verbose_name_plural = _("lần lập báo cáo")

    def __str__(self) -> str:
        return f"{self.template} — {self.unit_id} — {self.year}"

    def save(self, *args, **kwargs):
        if self.unit_id and not self.unit_path:
            self.unit_path = self.unit.path
        super().save(*args, **kwargs)
