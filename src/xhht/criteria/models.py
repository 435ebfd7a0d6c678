"""Criteria sets (bộ tiêu chí) as versioned data.

A ``CriteriaSet`` belongs to one title (``xhht.core.titles.Title``) and holds
``CriteriaGroup`` → ``Criterion`` → ``Indicator`` rows plus ``OutcomeRule`` rows that decide the result
(pass/fail, or levels mức 1 / mức 2). Every node code is unique inside its set.

Lifecycle: ``draft`` → ``published`` (immutable, ``content_hash`` fixed) → ``retired``. Editing a
published set raises ``CriteriaSetLocked`` (a Vietnamese ``ValidationError``), both in ``save()``/
``delete()`` of every model here and in their querysets' ``update()``/``delete()``. A change is a new
version: ``services.clone_set(...)`` copies a set as a draft with ``version + 1`` and ``parent`` set.

API for other apps (recognition, portal) — call these, not the models' internals:

- ``xhht.criteria.services.criteria_set_for(title, year, province=None) -> CriteriaSet``
  the published set in force (province override first, then national); raises ``NoCriteriaSet``.
- ``xhht.criteria.services.score(criteria_set, answers) -> Result``
  ``answers`` maps indicator code → points (number), True/False (pass/fail), or a value (number).
- ``xhht.criteria.engine.evaluate_rules(criteria_set, subjects_qs, year) -> {subject_id: {code: value}}``
  rule-computed indicators, computed in SQL.
- ``xhht.criteria.engine.explain_rules(criteria_set, subject, year) -> {code: Explanation}`` one subject,
  with the inputs used (for "how was this computed" beside a pre-filled indicator).
- Reading a set: ``cs.indicators`` (all indicators, ordered), ``cs.groups`` → ``group.criteria`` →
  ``criterion.indicators``; ``cs.outcome_rules``; ``cs.subject_type``; ``cs.content_hash``.

Store ``criteria_set.content_hash`` and every ``Indicator.code`` with a recognition: together they
reproduce the decision years later.

Provisional content (``provisional`` + ``provisional_note`` on the set and on each group, criterion,
indicator and outcome rule): a number the legal text as we know it does not give (``[U]`` in the
domain notes), shipped so the product works, shown "Tạm tính — địa phương cần xác nhận". A set with
provisional content is used by a campaign only once a province officer has confirmed it for the
province (``CriteriaSetConfirmation``, ``services.criteria_set_confirm``). These annotations say what
is known about the content; they are not part of ``content_hash``.

``applies_to`` narrows a set to units of one level: Đơn vị học tập of a commune (QĐ 448) and of a
district or province (TT 24/2023) are assessed on different sets.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xhht.core.titles import TITLE_SUBJECT, Level, Title


class CriteriaSetLocked(ValidationError):
    """Raised on any attempt to change a published (or retired) criteria set."""


class SetStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    PUBLISHED = "published", _("Đã ban hành")
    RETIRED = "retired", _("Đã thôi áp dụng")


LOCKED_STATUSES = (SetStatus.PUBLISHED, SetStatus.RETIRED)


class AppliesTo(models.TextChoices):
    ALL = "", _("Mọi cấp")
    COMMUNE = "xa", _("Đơn vị cấp xã")
    ABOVE_COMMUNE = "tren_xa", _("Đơn vị cấp huyện (trước 01/07/2025), cấp tỉnh")


PROVISIONAL_LABEL = _("Tạm tính — địa phương cần xác nhận")


class _Provisional(models.Model):
    """A part of a set whose numbers are not (yet) backed by a known legal text."""

    provisional = models.BooleanField(_("tạm tính"), default=False)
    provisional_note = models.TextField(
        _("ghi chú tạm tính"),
        blank=True,
        help_text=_("Điều gì chưa rõ trong văn bản, và đã tạm đặt thế nào."),
    )

    class Meta:
        abstract = True


class IndicatorKind(models.TextChoices):
    POINTS = "points", _("Chấm điểm")
    PASS_FAIL = "pass_fail", _("Đạt / không đạt")
    NUMBER = "number", _("Giá trị số (tỷ lệ, số lượng)")


# Ranks of outcome levels: a rule for a higher level is checked first.
LEVEL_RANK = {Level.PASS: 1, Level.LEVEL1: 1, Level.LEVEL2: 2}


def _locked_error(cs_label: str = "") -> CriteriaSetLocked:
    msg = gettext("Bộ tiêu chí đã ban hành thì không được sửa; hãy tạo phiên bản mới.")
    if cs_label:
        msg = f"{cs_label}: {msg}"
    return CriteriaSetLocked(msg, code="locked")


class CriteriaSetQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=SetStatus.PUBLISHED)

    def update(self, **kwargs):
        if set(kwargs) - {"status"} and self.filter(status__in=LOCKED_STATUSES).exists():
            raise _locked_error()
        if kwargs.get("status") == SetStatus.DRAFT and self.filter(status__in=LOCKED_STATUSES).exists():
            raise _locked_error()
        return super().update(**kwargs)

    def delete(self):
        if self.filter(status__in=LOCKED_STATUSES).exists():
            raise _locked_error()
        return super().delete()


class CriteriaSet(_Provisional):
    title = models.CharField(_("danh hiệu"), max_length=12, choices=Title.choices)
    code = models.SlugField(
        _("mã bộ tiêu chí"),
        max_length=60,
        help_text=_("Giống nhau giữa các phiên bản của cùng một bộ, ví dụ cdht-324."),
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    name = models.CharField(_("tên"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    source = models.CharField(
        _("văn bản căn cứ"), max_length=255, blank=True, help_text=_("Ví dụ: QĐ 324/QĐ-KHVN")
    )
    year_from = models.PositiveSmallIntegerField(_("áp dụng từ năm"))
    year_to = models.PositiveSmallIntegerField(_("áp dụng đến năm"), null=True, blank=True)
    province = models.ForeignKey(
        "geo.AdminUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tỉnh ban hành riêng"),
        help_text=_("Để trống: bộ tiêu chí toàn quốc."),
    )
    unofficial = models.BooleanField(_("chưa có văn bản chính thức"), default=False)
    applies_to = models.CharField(
        _("áp dụng cho"), max_length=8, choices=AppliesTo.choices, default=AppliesTo.ALL, blank=True
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=SetStatus.choices, default=SetStatus.DRAFT
    )
    content_hash = models.CharField(_("mã băm nội dung"), max_length=64, blank=True, editable=False)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("phiên bản trước"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("ban hành lúc"), null=True, blank=True)
    published_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người ban hành"),
    )

    objects = CriteriaSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("bộ tiêu chí")
        verbose_name_plural = _("bộ tiêu chí")
        ordering = ["title", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="crit_set_code_version"),
            models.CheckConstraint(
                condition=Q(year_to__isnull=True) | Q(year_to__gte=models.F("year_from")),
                name="crit_set_years",
            ),
        ]
        indexes = [models.Index(fields=["title", "status", "year_from"], name="crit_set_lookup")]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    def save(self, *args, **kwargs):
        if self.pk:
            before = type(self).objects.filter(pk=self.pk).values("status").first()
            if before and before["status"] in LOCKED_STATUSES:
                self._check_locked_save(before["status"])
        super().save(*args, **kwargs)

    def _check_locked_save(self, old_status: str) -> None:
        """A locked set may only move published → retired (or retired → published); nothing else changes."""
        stored = type(self).objects.get(pk=self.pk)
        meta_fields = {"status", "id"}
        for f in self._meta.concrete_fields:
            if f.attname in meta_fields:
                continue
            if getattr(stored, f.attname) != getattr(self, f.attname):
                raise _locked_error(str(stored))
        if self.status == SetStatus.DRAFT:
            raise _locked_error(str(stored))

    def delete(self, *args, **kwargs):
        if type(self).objects.filter(pk=self.pk, status__in=LOCKED_STATUSES).exists():
            raise _locked_error(str(self))
        return super().delete(*args, **kwargs)

    @property
    def subject_type(self) -> str:
        return TITLE_SUBJECT[self.title]

    @property
    def is_published(self) -> bool:
        return self.status == SetStatus.PUBLISHED

    @property
    def is_locked(self) -> bool:
        return self.status in LOCKED_STATUSES

    @property
    def groups(self):
        return self.group_set.order_by("order", "id")

    @property
    def indicators(self):
        return self.indicator_set.order_by("criterion__group__order", "criterion__order", "order", "id")

    @property
    def outcome_rules(self):
        return self.outcomerule_set.order_by("order", "id")

    def applies_in(self, year: int) -> bool:
        return self.year_from <= year and (self.year_to is None or year <= self.year_to)

    def provisional_items(self) -> list[tuple[str, str]]:
        """(where, note) for every provisional part: groups, criteria, indicators, outcome rules."""
        out = []
        for g in self.group_set.filter(provisional=True).order_by("order", "id"):
            out.append((gettext("Nhóm %(c)s") % {"c": g.code}, g.provisional_note))
        for c in self.criterion_set.filter(provisional=True).order_by("group__order", "order", "id"):
            out.append((gettext("Tiêu chí %(c)s") % {"c": c.code}, c.provisional_note))
        for i in self.indicators.filter(provisional=True):
            out.append((gettext("Chỉ số %(c)s") % {"c": i.code}, i.provisional_note))
        for r in self.outcome_rules.filter(provisional=True):
            out.append((gettext("Xếp loại %(l)s") % {"l": r.get_level_display()}, r.provisional_note))
        return out


class _ChildQuerySet(models.QuerySet):
    set_lookup = "criteria_set__status__in"

    def _guard(self):
        if self.filter(**{self.set_lookup: LOCKED_STATUSES}).exists():
            raise _locked_error()

    def update(self, **kwargs):
        self._guard()
        return super().update(**kwargs)

    def delete(self):
        self._guard()
        return super().delete()


class _ChildOfSet(_Provisional):
    """Rows inside a set: refuse any change once the set is published."""

    objects = _ChildQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._guard()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._guard()
        return super().delete(*args, **kwargs)

    def _guard(self) -> None:
        if (
            self.criteria_set_id
            and CriteriaSet.objects.filter(pk=self.criteria_set_id, status__in=LOCKED_STATUSES).exists()
        ):
            raise _locked_error()


class CriteriaGroup(_ChildOfSet):
    """Nhóm tiêu chí / tiêu chuẩn: the top level of a set."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="group_set")
    code = models.CharField(_("mã"), max_length=30)
    label = models.CharField(_("nội dung"), max_length=500)
    label_en = models.CharField(_("nội dung tiếng Anh"), max_length=500, blank=True)
    hint = models.TextField(_("hướng dẫn"), blank=True)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=7, decimal_places=2, null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("nhóm tiêu chí")
        verbose_name_plural = _("nhóm tiêu chí")
        ordering = ["criteria_set", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "code"], name="crit_group_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.label}"

    @property
    def criteria(self):
        return self.criterion_set.order_by("order", "id")


class Criterion(_ChildOfSet):
    """Tiêu chí: belongs to a group, holds indicators."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criterion_set")
    group = models.ForeignKey(CriteriaGroup, on_delete=models.CASCADE, related_name="criterion_set")
    code = models.CharField(_("mã"), max_length=30)
    label = models.CharField(_("nội dung"), max_length=500)
    label_en = models.CharField(_("nội dung tiếng Anh"), max_length=500, blank=True)
    hint = models.TextField(_("hướng dẫn"), blank=True)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=7, decimal_places=2, null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["criteria_set", "group__order", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "code"], name="crit_criterion_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.label}"

    @property
    def indicators(self):
        return self.indicator_set.order_by("order", "id")


class Indicator(_ChildOfSet):
    """Chỉ số: what is scored. ``rule`` (CEL) computes it from the registry (see ``engine``)."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="indicator_set")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="indicator_set")
    code = models.CharField(_("mã"), max_length=30)
    label = models.CharField(_("nội dung"), max_length=1000)
    label_en = models.CharField(_("nội dung tiếng Anh"), max_length=1000, blank=True)
    hint = models.TextField(_("hướng dẫn"), blank=True, help_text=_("Hiện bên cạnh chỉ số khi tự đánh giá."))
    kind = models.CharField(
        _("loại"), max_length=10, choices=IndicatorKind.choices, default=IndicatorKind.POINTS
    )
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=7, decimal_places=2, default=Decimal("0"))
    min_points = models.DecimalField(
        _("mức tối thiểu"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Điểm (hoặc giá trị) thấp nhất để đạt."),
    )
    mandatory = models.BooleanField(_("bắt buộc"), default=True)
    level = models.CharField(
        _("yêu cầu từ mức"),
        max_length=6,
        choices=Level.choices,
        blank=True,
        help_text=_("Để trống: yêu cầu ở mọi mức. Mức 2: chỉ yêu cầu khi xét mức 2."),
    )
    evidence = models.TextField(_("minh chứng"), blank=True)
    rule = models.TextField(_("quy tắc tính (CEL)"), blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("chỉ số")
        verbose_name_plural = _("chỉ số")
        ordering = ["criteria_set", "criterion__group__order", "criterion__order", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "code"], name="crit_indicator_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.label}"

    @property
    def is_computed(self) -> bool:
        return bool(self.rule.strip())


class OutcomeRule(_ChildOfSet):
    """One way to obtain a result. Rules are checked from the highest level down; the first that holds wins.

    Conditions (all that are set must hold):
    - ``min_total``: total points ≥ this;
    - ``check_minimums``: every indicator required at this level meets its minimum (points/number ≥
      ``min_points``; pass/fail indicators are "đạt"); mandatory indicators must be answered;
    - ``condition``: a CEL expression over ``total`` (double), ``indicators`` (map code → value),
      ``groups`` and ``criteria`` (map code → points), e.g. ``indicators.all(k, indicators[k] >= 5.0)``.
    """

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="outcomerule_set")
    level = models.CharField(_("kết quả"), max_length=6, choices=Level.choices, default=Level.PASS)
    label = models.CharField(_("nội dung"), max_length=500, blank=True)
    min_total = models.DecimalField(
        _("tổng điểm tối thiểu"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    check_minimums = models.BooleanField(_("mọi chỉ số đạt mức tối thiểu"), default=True)
    condition = models.TextField(_("điều kiện thêm (CEL)"), blank=True)
    message = models.CharField(_("thông báo khi không đạt"), max_length=500, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("quy tắc xếp loại")
        verbose_name_plural = _("quy tắc xếp loại")
        ordering = ["criteria_set", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "level"], name="crit_outcome_level")]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.label}"

    @property
    def rank(self) -> int:
        return LEVEL_RANK.get(self.level, 1)


class CriteriaSetConfirmation(models.Model):
    """A province officer's confirmation that a set with provisional content applies in the province
    as it stands (who, when, against which text): until then no campaign there uses it."""

    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.PROTECT, related_name="confirmations", verbose_name=_("bộ tiêu chí")
    )
    province = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("tỉnh")
    )
    confirmed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("người xác nhận")
    )
    confirmed_by_name = models.CharField(_("họ tên người xác nhận"), max_length=255)
    confirmed_at = models.DateTimeField(_("xác nhận lúc"))
    note = models.TextField(_("căn cứ xác nhận"))

    class Meta:
        verbose_name = _("xác nhận bộ tiêu chí tạm tính")
        verbose_name_plural = _("xác nhận bộ tiêu chí tạm tính")
        ordering = ["criteria_set", "province__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "province"], name="crit_confirm_set_province")
        ]

    def __str__(self) -> str:
        return f"{self.criteria_set} — {self.province_id}"
