"""Plans and targets as data, the indicator catalogue and aggregate data sets.

A plan (Quyết định / Kế hoạch) is issued by a unit *as it was then*: its ``territory`` is that unit
(e.g. the former Tỉnh Kon Tum ``VN/L62/``), and the analytics carry today's figures back to it.
Targets are rows: indicator × milestone year × value. Indicators are numerator / denominator over
measures the analytics app counts (``xhht.analytics.measures``), from the registries and recognition
facts or from aggregate data sets entered per unit and year.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xhht.core.fields import PathField
from xhht.core.titles import SubjectType, Title


class PlanKind(models.TextChoices):
    NATIONAL = "quoc_gia", _("Văn bản trung ương")
    PROVINCIAL = "tinh", _("Kế hoạch của tỉnh")


class Plan(models.Model):
    code = models.SlugField(_("mã"), max_length=60, unique=True)
    kind = models.CharField(_("loại"), max_length=10, choices=PlanKind.choices)
    number = models.CharField(_("số hiệu"), max_length=60, blank=True)
    date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    title = models.CharField(_("trích yếu"), max_length=500)
    issuer = models.ForeignKey(
        "geo.AdminUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("đơn vị ban hành (tại thời điểm ban hành)"),
    )
    issuer_name = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    territory = models.ForeignKey(
        "geo.AdminUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("địa bàn áp dụng"),
    )
    territory_path = PathField(blank=True, editable=False)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        verbose_name=_("văn bản căn cứ"),
    )
    basis = models.TextField(_("căn cứ khác"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("từ năm"))
    end_year = models.PositiveSmallIntegerField(_("đến năm"))
    lead_agency = models.CharField(_("cơ quan chủ trì"), max_length=200, blank=True)
    summary = models.TextField(_("tóm tắt"), blank=True)
    source = models.CharField(_("nguồn"), max_length=300, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["kind", "date", "code"]
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")

    def __str__(self) -> str:
        return f"{self.number} — {self.title}" if self.number else self.title

    def save(self, *args, **kwargs):
        self.territory_path = self.territory.path if self.territory_id else ""
        super().save(*args, **kwargs)

    @property
    def milestone_years(self) -> list[int]:
        return sorted({t.year for t in self.targets.all()})


class ReviewKind(models.TextChoices):
    NONE = "", _("Không")
    MID = "so_ket", _("Sơ kết")
    FINAL = "tong_ket", _("Tổng kết")


class Phase(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="phases")
    order = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(_("giai đoạn"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("từ năm"))
    end_year = models.PositiveSmallIntegerField(_("đến năm"))
    review = models.CharField(_("mốc đánh giá"), max_length=10, choices=ReviewKind.choices, blank=True)
    review_year = models.PositiveSmallIntegerField(_("năm sơ kết / tổng kết"), null=True, blank=True)
    description = models.TextField(_("nội dung"), blank=True)

    class Meta:
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "order"], name="plans_phase_order")]

    def __str__(self) -> str:
        return f"{self.name} ({self.start_year}–{self.end_year})"


class Content(models.Model):
    """A content (nội dung) or solution of the plan, e.g. the six emulation contents of QĐ 1315."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="contents")
    order = models.PositiveSmallIntegerField(default=1)
    kind = models.CharField(
        _("loại"),
        max_length=10,
        default="noi_dung",
        choices=[("noi_dung", _("Nội dung")), ("giai_phap", _("Giải pháp")), ("nhiem_vu", _("Nhiệm vụ"))],
    )
    text = models.TextField(_("nội dung"))
    lead_agency = models.CharField(_("cơ quan chủ trì"), max_length=200, blank=True)

    class Meta:
        ordering = ["plan", "kind", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "kind", "order"], name="plans_content_order")]

    def __str__(self) -> str:
        return self.text[:80]


class TaskStatus(models.TextChoices):
    NOT_STARTED = "chua", _("Chưa triển khai")
    IN_PROGRESS = "dang", _("Đang thực hiện")
    DONE = "xong", _("Hoàn thành")
    LATE = "cham", _("Chậm")


class PlanTask(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    content = models.ForeignKey(
        Content, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    title = models.CharField(_("nhiệm vụ"), max_length=500)
    agency = models.CharField(_("cơ quan thực hiện"), max_length=200)
    unit = models.ForeignKey(
        "geo.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit_path = PathField(blank=True, editable=False)
    deadline = models.DateField(_("thời hạn"), null=True, blank=True)
    status = models.CharField(
        _("tình trạng"), max_length=6, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["plan", "deadline", "id"]
        verbose_name = _("nhiệm vụ của kế hoạch")
        verbose_name_plural = _("nhiệm vụ của kế hoạch")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.unit_path = self.unit.path if self.unit_id else ""
        super().save(*args, **kwargs)


class IndicatorUnit(models.TextChoices):
    PERCENT = "percent", _("%")
    COUNT = "count", _("số lượng")


class Indicator(models.Model):
    """A numerator / denominator over measures (see ``xhht.analytics.measures.MEASURES``)."""

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên chỉ số"), max_length=300)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=300, blank=True)
    definition = models.TextField(_("định nghĩa"), blank=True)
    unit = models.CharField(
        _("đơn vị tính"), max_length=8, choices=IndicatorUnit.choices, default=IndicatorUnit.PERCENT
    )
    higher_is_better = models.BooleanField(_("càng cao càng tốt"), default=True)
    numerator = models.CharField(_("tử số (mã đo lường)"), max_length=60)
    denominator = models.CharField(_("mẫu số (mã đo lường)"), max_length=60, blank=True)
    registered = models.CharField(_("số đăng ký (mã đo lường)"), max_length=60, blank=True)
    title = models.CharField(_("danh hiệu"), max_length=12, choices=Title.choices, blank=True)
    source = models.CharField(
        _("nguồn số liệu"),
        max_length=20,
        default="registry",
        choices=[
            ("registry", _("Sổ đăng ký và quyết định công nhận")),
            ("dataset", _("Số liệu tổng hợp nhập theo biểu")),
        ],
    )
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("chỉ số")
        verbose_name_plural = _("danh mục chỉ số")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def display_name(self) -> str:
        """The name in the reader's language: the English name when the UI is in English."""
        from django.utils.translation import get_language

        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name

    def measures(self) -> list[str]:
        return [m for m in (self.numerator, self.denominator, self.registered) if m]


class Target(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.PROTECT, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("năm mốc"))
    value = models.DecimalField(_("giá trị"), max_digits=8, decimal_places=2, null=True, blank=True)
    text = models.TextField(_("nguyên văn chỉ tiêu"))
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["plan", "year", "order"]
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        constraints = [models.UniqueConstraint(fields=["plan", "year", "order"], name="plans_target_order")]

    def __str__(self) -> str:
        return f"{self.year}: {self.text[:60]}"


# --- Aggregate data sets -------------------------------------------------------------------------


class DataSet(models.Model):
    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên biểu"), max_length=300)
    description = models.TextField(_("hướng dẫn"), blank=True)
    entry_level = models.PositiveSmallIntegerField(
        _("cấp nhập"),
        default=1,
        help_text=_("1 = tỉnh, 3 = xã: số liệu chỉ nhập ở một cấp để cộng dồn không trùng"),
    )
    reported_by = models.CharField(_("đơn vị báo cáo"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("biểu số liệu tổng hợp")
        verbose_name_plural = _("biểu số liệu tổng hợp")

    def __str__(self) -> str:
        return self.name


class DataElement(models.Model):
    dataset = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="elements")
    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("chỉ tiêu nhập"), max_length=300)
    order = models.PositiveSmallIntegerField(default=1)
    required = models.BooleanField(_("bắt buộc"), default=True)
    part_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="parts",
        verbose_name=_("là một phần của"),
    )
    outlier_change = models.PositiveSmallIntegerField(
        _("cảnh báo khi thay đổi quá (%)"),
        default=50,
        help_text=_("Giá trị chênh quá tỉ lệ này so với năm trước được đánh dấu bất thường"),
    )

    class Meta:
        ordering = ["dataset", "order"]

    def __str__(self) -> str:
        return self.name


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("Đang nhập")
    SUBMITTED = "submitted", _("Đã gửi")
    APPROVED = "approved", _("Đã duyệt (khóa số liệu)")


class DataEntry(models.Model):
    dataset = models.ForeignKey(DataSet, on_delete=models.PROTECT, related_name="entries")
    unit = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="+")
    unit_path = PathField(editable=False)
    year = models.PositiveSmallIntegerField(_("năm"))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.DRAFT
    )
    entered_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    approved_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    warnings = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("số liệu tổng hợp")
        verbose_name_plural = _("số liệu tổng hợp")
        constraints = [models.UniqueConstraint(fields=["dataset", "unit", "year"], name="plans_entry_unique")]
        indexes = [models.Index(fields=["dataset", "year", "unit_path"], name="plans_entry_path")]

    def __str__(self) -> str:
        return f"{self.dataset} — {self.unit} — {self.year}"

    def save(self, *args, **kwargs):
        if self.unit_id:
            self.unit_path = self.unit.path
        super().save(*args, **kwargs)


class DataValue(models.Model):
    entry = models.ForeignKey(DataEntry, on_delete=models.CASCADE, related_name="values")
    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="+")
    value = models.BigIntegerField(_("giá trị"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "element"], name="plans_value_unique")]

    def __str__(self) -> str:
        return f"{self.element_id}: {self.value}"


# --- Emulation and awards -------------------------------------------------------------------------


class CommendationKind(models.TextChoices):
    BANG_KHEN = "bang_khen", _("Bằng khen")
    GIAY_KHEN = "giay_khen", _("Giấy khen")


class Commendation(models.Model):
    kind = models.CharField(_("hình thức"), max_length=10, choices=CommendationKind.choices)
    collective = models.BooleanField(_("tập thể"), default=False)
    issuer = models.CharField(_("cấp khen"), max_length=200)
    decision_number = models.CharField(_("số quyết định"), max_length=60)
    date = models.DateField(_("ngày quyết định"))
    reason = models.TextField(_("thành tích"))
    subject_type = models.CharField(_("loại đối tượng"), max_length=14, choices=SubjectType.choices)
    subject_id = models.BigIntegerField(null=True, blank=True)
    subject_name = models.CharField(_("tập thể / cá nhân"), max_length=255)
    unit = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("địa bàn")
    )
    unit_path = PathField(editable=False)
    plan = models.ForeignKey(
        Plan,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commendations",
        verbose_name=_("phong trào, kế hoạch"),
    )

    class Meta:
        ordering = ["-date", "id"]
        verbose_name = _("khen thưởng")
        verbose_name_plural = _("khen thưởng")
        indexes = [
            models.Index(fields=["unit_path", "date"], name="plans_comm_path"),
            models.Index(fields=["subject_type", "subject_id"], name="plans_comm_subject"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["decision_number", "subject_type", "subject_id", "subject_name"],
                name="plans_comm_unique",
            ),
            models.CheckConstraint(condition=Q(subject_name__gt=""), name="plans_comm_has_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.decision_number}: {self.subject_name}"

    def save(self, *args, **kwargs):
        if self.unit_id:
            self.unit_path = self.unit.path
        super().save(*args, **kwargs)
