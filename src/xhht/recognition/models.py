"""The recognition cycle: campaigns, registration and self-assessment, review, numbered decisions,
recognitions and the certificates anyone can verify.

``Registration`` — a subject registered (đăng ký) for a title in a year.
``Recognition`` — a subject was recognised (được công nhận) for a title in a year, by a decision.

Both carry ``unit_path``: where the subject was placed *on the day* (village for people and
households, commune for clans and commune-level units, the unit itself for villages/communes),
so a recognition keeps its territory even when the map changes later; reports carry it to today's
units through the unit successions. Analytics read these two tables.

The path of one file: ``Campaign`` (đợt đánh giá: title × unit × year, deadlines) →
``Registration`` + ``Assessment`` (hồ sơ: the self-assessment, per-indicator answers in JSON,
rule-computed values with their explanation, the reviewer's scores and comments) → ``Review``
rows (each return / review / proposal) → ``Decision`` (Quyết định công nhận, numbered from a
``DecisionNumberSequence`` row locked for update) → ``Recognition`` (frozen: criteria-set hash,
every indicator's result and who gave it, the unit as it was that day) → ``Certificate`` (random
token for the public verification page). ``Appeal`` returns a file to review.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xhht.core.fields import PathField
from xhht.core.titles import Level, SubjectType, Title


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Đã đăng ký")
    WITHDRAWN = "withdrawn", _("Đã rút đăng ký")


class IssuerLevel(models.TextChoices):
    COMMUNE = "commune", _("Cấp xã")
    PROVINCE = "province", _("Cấp tỉnh")


class TitleAuthority(models.Model):
    """Who decides a title, configurable per title (defaults in ``authority.DEFAULT_AUTHORITIES``).

    After the 1/7/2025 reform who recognises some titles is not settled nationally: an administrator
    edits these rows instead of the code.
    """

    title = models.CharField(_("danh hiệu"), max_length=12, choices=Title.choices, unique=True)
    decider_role = models.CharField(_("vai trò người ký"), max_length=20)
    issuer_level = models.CharField(_("cấp ban hành"), max_length=10, choices=IssuerLevel.choices)
    issuer_prefix = models.CharField(_("tên cơ quan ban hành (tiền tố)"), max_length=120)
    number_suffix = models.CharField(_("ký hiệu số quyết định"), max_length=30)
    signer_title = models.CharField(_("chức danh thẩm quyền"), max_length=120)
    validity_years = models.PositiveSmallIntegerField(_("thời hạn công nhận (năm)"), default=1)
    legal_basis = models.TextField(_("căn cứ mặc định"), blank=True)

    class Meta:
        verbose_name = _("thẩm quyền công nhận")
        verbose_name_plural = _("thẩm quyền công nhận")

    def __str__(self) -> str:
        return f"{self.get_title_display()}: {self.issuer_prefix}"


class Campaign(models.Model):
    """Đợt đánh giá: one title, one unit (commune, or province for commune-level titles), one year."""

    title = models.CharField(_("danh hiệu"), max_length=12, choices=Title.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    unit = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị")
    )
    unit_path = PathField(editable=False)
    name = models.CharField(_("tên đợt"), max_length=255, blank=True)
    registration_deadline = models.DateField(_("hạn đăng ký"), null=True, blank=True)
    self_assessment_deadline = models.DateField(_("hạn tự đánh giá"), null=True, blank=True)
    review_deadline = models.DateField(_("hạn thẩm định"), null=True, blank=True)
    decision_deadline = models.DateField(_("hạn ra quyết định"), null=True, blank=True)
    criteria_hash = models.CharField(_("mã băm bộ tiêu chí"), max_length=64, blank=True)
    is_open = models.BooleanField(_("đang mở"), default=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đợt đánh giá")
        verbose_name_plural = _("đợt đánh giá")
        ordering = ["-year", "title", "unit_path"]
        constraints = [
            models.UniqueConstraint(fields=["title", "year", "unit"], name="rec_campaign_unique"),
        ]
        indexes = [models.Index(fields=["unit_path", "year"], name="rec_campaign_path")]

    def __str__(self) -> str:
        return self.name or f"{self.get_title_display()} {self.year} — {self.unit}"

    def save(self, *args, **kwargs):
        if self.unit_id:
            self.unit_path = self.unit.path
        super().save(*args, **kwargs)

    def deadline_passed(self, which: str, on: dt.date | None = None) -> bool:
        d = getattr(self, f"{which}_deadline")
        return bool(d and (on or dt.date.today()) > d)


class Registration(models.Model):
    title = models.CharField(_("danh hiệu"), max_length=12, choices=Title.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    subject_type = models.CharField(max_length=14, choices=SubjectType.choices)
    subject_id = models.BigIntegerField()
    subject_name = models.CharField(_("đối tượng"), max_length=255)
    unit = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="+")
    unit_path = PathField()
    status = models.CharField(
        max_length=12, choices=RegistrationStatus.choices, default=RegistrationStatus.REGISTERED
    )
    registered_at = models.DateTimeField(auto_now_add=True)
    registered_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    on_behalf = models.BooleanField(_("cán bộ đăng ký thay"), default=False)
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="registrations"
    )

    class Meta:
        verbose_name = _("đăng ký danh hiệu")
        verbose_name_plural = _("đăng ký danh hiệu")
        constraints = [
            models.UniqueConstraint(
                fields=["title", "year", "subject_type", "subject_id"], name="rec_registration_unique"
            ),
        ]
        indexes = [models.Index(fields=["title", "year", "unit_path"], name="rec_registration_rollup")]

    def __str__(self) -> str:
        return f"{self.get_title_display()} {self.year}: {self.subject_name}"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Đang tự đánh giá")
    SUBMITTED = "submitted", _("Đã nộp, chờ thẩm định")
    RETURNED = "returned", _("Trả lại để bổ sung")
    REVIEWED = "reviewed", _("Đã thẩm định, chưa đề nghị")
    PROPOSED = "proposed", _("Đề nghị công nhận")
    RECOGNISED = "recognised", _("Đã công nhận")


class Assessment(models.Model):
    """Hồ sơ tự đánh giá of one subject in one campaign.

    ``answers``: {indicator code: {"points": float, "note": str}} — what the subject (or an officer
    on their behalf) declared. ``computed``: {code: {"value": …, "explain": str, "computed_on":
    ISO date, "unknown": true when the registry lacks the data}} — indicators computed by rule from
    the registry, again when the file is opened for review and at the decision (frozen into the
    recognition's ``indicator_results``). ``review``: {code: {"points": float,
    "comment": str, "by": username}} — the reviewer's scores beside them.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="assessments")
    registration = models.OneToOneField(Registration, on_delete=models.PROTECT, related_name="assessment")
    title = models.CharField(_("danh hiệu"), max_length=12, choices=Title.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    subject_type = models.CharField(max_length=14, choices=SubjectType.choices)
    subject_id = models.BigIntegerField()
    subject_name = models.CharField(_("đối tượng"), max_length=255)
    unit = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="+")
    unit_path = PathField()
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    criteria_set = models.ForeignKey(
        "criteria.CriteriaSet", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    criteria_hash = models.CharField(max_length=64, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    computed = models.JSONField(default=dict, blank=True)
    review = models.JSONField(default=dict, blank=True)
    # Frozen at review: every indicator's final value and who gave it (copied to the recognition).
    results = models.JSONField(default=list, blank=True)
    step = models.PositiveSmallIntegerField(default=0)
    self_total = models.FloatField(_("điểm tự đánh giá"), null=True, blank=True)
    self_level = models.CharField(max_length=6, choices=Level.choices, blank=True)
    review_total = models.FloatField(_("điểm thẩm định"), null=True, blank=True)
    review_level = models.CharField(_("mức đề nghị"), max_length=6, choices=Level.choices, blank=True)
    review_passed = models.BooleanField(null=True, blank=True)
    review_comment = models.TextField(_("nhận xét thẩm định"), blank=True)
    returned_reason = models.TextField(_("lý do trả lại"), blank=True)
    on_behalf = models.BooleanField(_("cán bộ đánh giá thay"), default=False)
    filled_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    decision = models.ForeignKey(
        "Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="assessments"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ đánh giá")
        verbose_name_plural = _("hồ sơ đánh giá")
        constraints = [
            models.UniqueConstraint(
                fields=["title", "year", "subject_type", "subject_id"], name="rec_assessment_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "status"], name="rec_assessment_status"),
            models.Index(fields=["unit_path", "status"], name="rec_assessment_path"),
            models.Index(fields=["subject_type", "subject_id"], name="rec_assessment_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.get_title_display()} {self.year}: {self.subject_name}"

    @property
    def is_editable(self) -> bool:
        return self.status in (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)


class Evidence(models.Model):
    """Minh chứng: an image or PDF attached to one indicator of a file (type checked by magic bytes)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    indicator_code = models.CharField(_("chỉ số"), max_length=40)
    # The stored name in the default storage (a plain string: the audit trail snapshots it as text).
    file_name = models.CharField(_("tệp"), max_length=255, default="")
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")

    def __str__(self) -> str:
        return self.original_name

    def audit_unit_path(self) -> str:
        return self.assessment.unit_path

    def open(self):
        from django.core.files.storage import default_storage

        return default_storage.open(self.file_name, "rb")


class ReviewOutcome(models.TextChoices):
    RETURNED = "returned", _("Trả lại để bổ sung")
    REVIEWED = "reviewed", _("Thẩm định: chưa đạt")
    PROPOSED = "proposed", _("Đề nghị công nhận")
    REOPENED = "reopened", _("Mở lại do khiếu nại")


class Review(models.Model):
    """One act of review (thẩm định) on a file, kept as history."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    outcome = models.CharField(_("kết quả"), max_length=10, choices=ReviewOutcome.choices)
    total = models.FloatField(null=True, blank=True)
    level = models.CharField(max_length=6, choices=Level.choices, blank=True)
    comment = models.TextField(_("nhận xét"), blank=True)
    bulk = models.BooleanField(default=False)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thẩm định")
        verbose_name_plural = _("thẩm định")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.at:%d/%m/%Y})" if self.at else self.get_outcome_display()

    def audit_unit_path(self) -> str:
        return self.assessment.unit_path


class DecisionNumberSequence(models.Model):
    """The last decision number used by an issuer in a year. Locked (SELECT … FOR UPDATE) by the
    transaction that issues a decision, so numbers are unique and gap-free even under races."""

    issuer_unit = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer_unit", "year"], name="rec_decision_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.issuer_unit_id}/{self.year}: {self.last_number}"


class Decision(models.Model):
    """Quyết định công nhận: one numbered decision recognising many subjects."""

    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    title = models.CharField(_("danh hiệu"), max_length=12, choices=Title.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    issuer_unit = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="+")
    unit_path = PathField(editable=False)
    issuer_name = models.CharField(_("cơ quan ban hành"), max_length=255)
    number = models.PositiveIntegerField(_("số"))
    number_year = models.PositiveSmallIntegerField(_("năm đánh số"))
    number_label = models.CharField(_("số quyết định"), max_length=60)
    date = models.DateField(_("ngày ký"))
    place = models.CharField(_("địa danh"), max_length=120)
    signer = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    signer_name = models.CharField(_("người ký"), max_length=200)
    signer_position = models.CharField(_("chức vụ người ký"), max_length=200)
    signer_title = models.CharField(_("chức danh thẩm quyền"), max_length=200, blank=True)
    legal_basis = models.TextField(_("căn cứ"))
    subject_count = models.PositiveIntegerField(default=0)
    validity_years = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quyết định công nhận")
        verbose_name_plural = _("quyết định công nhận")
        ordering = ["-date", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer_unit", "number_year", "number"], name="rec_decision_number_unique"
            ),
        ]
        indexes = [models.Index(fields=["unit_path", "year"], name="rec_decision_path")]

    def __str__(self) -> str:
        return f"{self.number_label} ({self.date:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        if self.issuer_unit_id and not self.unit_path:
            self.unit_path = self.issuer_unit.path
        super().save(*args, **kwargs)


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
    # What makes the decision reproducible years later.
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="recognitions"
    )
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="recognitions"
    )
    criteria_hash = models.CharField(_("mã băm bộ tiêu chí"), max_length=64, blank=True)
    indicator_results = models.JSONField(_("kết quả từng chỉ số"), default=list, blank=True)
    total_points = models.FloatField(_("tổng điểm"), null=True, blank=True)
    unit_label = models.CharField(_("địa bàn tại thời điểm công nhận"), max_length=500, blank=True)
    revoked_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("công nhận danh hiệu")
        verbose_name_plural = _("công nhận danh hiệu")
        constraints = [
            models.UniqueConstraint(
                fields=["title", "year", "subject_type", "subject_id"],
                condition=Q(revoked_at__isnull=True),
                name="rec_recognition_unique_active",
            ),
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

    def is_valid_on(self, on: dt.date | None = None) -> bool:
        on = on or dt.date.today()
        return (
            not self.is_revoked and self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)
        )


class Certificate(models.Model):
    """Giấy công nhận. ``token`` is random (``secrets.token_urlsafe``): the public verification page
    is reached only through the QR code, so guessing cannot enumerate people."""

    recognition = models.OneToOneField(Recognition, on_delete=models.PROTECT, related_name="certificate")
    token = models.CharField(max_length=43, unique=True)
    serial = models.CharField(_("số giấy"), max_length=60)
    holder_display = models.CharField(_("người được công nhận (che một phần)"), max_length=255)
    issuer_name = models.CharField(_("cơ quan ban hành"), max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("giấy công nhận")
        verbose_name_plural = _("giấy công nhận")

    def __str__(self) -> str:
        return self.serial

    def audit_unit_path(self) -> str:
        return self.recognition.unit_path


class AppealStatus(models.TextChoices):
    OPEN = "open", _("Đang xem xét")
    REOPENED = "reopened", _("Đã chuyển thẩm định lại")
    REJECTED = "rejected", _("Không chấp nhận")


class Appeal(models.Model):
    """Kiến nghị, khiếu nại về kết quả: accepting it returns the file to review."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="appeals")
    lodged_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("nội dung kiến nghị"))
    status = models.CharField(max_length=10, choices=AppealStatus.choices, default=AppealStatus.OPEN)
    lodged_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(_("kết quả giải quyết"), blank=True)

    class Meta:
        verbose_name = _("kiến nghị")
        verbose_name_plural = _("kiến nghị")

    def __str__(self) -> str:
        return self.reason[:80]

    def audit_unit_path(self) -> str:
        return self.assessment.unit_path
