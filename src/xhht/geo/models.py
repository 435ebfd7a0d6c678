"""The administrative map, with its history.

Every administrative unit that ever existed is a row: the 63 provinces / 696 districts / ~10,040
communes in force until 30/06/2025, the 34 provinces / 3,321 communes since 01/07/2025, and the
villages and residential groups officers keep. Nothing is deleted when units merge: the old unit
gets ``valid_to`` and a ``UnitSuccession`` row points to what replaced it (many-to-many: a commune
split between two new ones has two successors).

The tree is stored as a materialised path (``path``: "VN/51/23281/T2328100001/"); a subtree is a
prefix range on one B-tree index, never a recursive query.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xhht.core.fields import PathField, subtree_q
from xhht.core.text import fold, normalize, vi_sort_key

REFORM_DATE = dt.date(2025, 7, 1)


def _dmy(value) -> str:
    """dd/mm/yyyy for a date; the value as given otherwise (e.g. an ISO string before saving)."""
    return value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else str(value)


LEGACY_END = dt.date(2025, 6, 30)


class Level(models.IntegerChoices):
    COUNTRY = 0, _("Quốc gia")
    PROVINCE = 1, _("Cấp tỉnh")
    DISTRICT = 2, _("Cấp huyện (trước 01/07/2025)")
    COMMUNE = 3, _("Cấp xã")
    VILLAGE = 4, _("Thôn, tổ dân phố")


class Kind(models.TextChoices):
    COUNTRY = "quoc_gia", _("Quốc gia")
    CENTRAL_CITY = "tp_tw", _("Thành phố trực thuộc trung ương")
    PROVINCE = "tinh", _("Tỉnh")
    RURAL_DISTRICT = "huyen", _("Huyện")
    URBAN_DISTRICT = "quan", _("Quận")
    TOWN = "thi_xa", _("Thị xã")
    PROVINCIAL_CITY = "tp_thuoc_tinh", _("Thành phố thuộc tỉnh")
    CENTRAL_CITY_CITY = "tp_thuoc_tp", _("Thành phố thuộc thành phố trực thuộc trung ương")
    COMMUNE = "xa", _("Xã")
    WARD = "phuong", _("Phường")
    TOWNSHIP = "thi_tran", _("Thị trấn")
    SPECIAL_ZONE = "dac_khu", _("Đặc khu")
    VILLAGE = "thon", _("Thôn / bản / buôn / làng")
    RESIDENTIAL_GROUP = "to_dan_pho", _("Tổ dân phố")


VILLAGE_KINDS = (Kind.VILLAGE, Kind.RESIDENTIAL_GROUP)


class AdminUnitQuerySet(models.QuerySet):
    def current(self, on: dt.date | None = None):
        """Units in force on ``on`` (today by default)."""
        on = on or dt.date.today()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )

    def subtree(self, unit_or_path, include_self: bool = True):
        path = unit_or_path if isinstance(unit_or_path, str) else unit_or_path.path
        qs = self.filter(subtree_q(path))
        if not include_self:
            qs = qs.exclude(path=path)
        return qs

    def search(self, text: str):
        folded = fold(text)
        if not folded:
            return self.none()
        qs = self
        for word in folded.split(" "):
            qs = qs.filter(name_folded__contains=word)
        return qs


class AdminUnit(models.Model):
    code = models.CharField(_("mã"), max_length=20, db_index=True)
    name = models.CharField(_("tên"), max_length=200)
    name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    sort_key = models.CharField(max_length=400, editable=False)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(_("cấp"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("thuộc"),
    )
    path = PathField(unique=True, editable=False)
    valid_from = models.DateField(_("có hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hết hiệu lực từ sau ngày"), null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    source = models.CharField(_("nguồn"), max_length=100, blank=True)

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        indexes = [
            models.Index(fields=["level", "valid_to"], name="geo_unit_level_valid"),
            models.Index(fields=["parent", "sort_key"], name="geo_unit_parent_sort"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="geo_unit_valid_period",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = normalize(self.name)
        self.name_folded = fold(self.name)
        self.sort_key = vi_sort_key(self.name)
        super().save(*args, **kwargs)

    @property
    def is_current(self) -> bool:
        today = dt.date.today()
        return (self.valid_from is None or self.valid_from <= today) and (
            self.valid_to is None or self.valid_to >= today
        )

    @property
    def is_legacy(self) -> bool:
        return self.valid_to is not None and self.valid_to <= LEGACY_END and self.level <= Level.COMMUNE

    @property
    def is_village(self) -> bool:
        return self.level == Level.VILLAGE

    def ancestors(self) -> list[AdminUnit]:
        """Ancestors from the country down, in one query (the path names them)."""
        segments = self.path.strip("/").split("/")[:-1]
        paths = ["/".join(segments[: i + 1]) + "/" for i in range(len(segments))]
        by_path = {u.path: u for u in AdminUnit.objects.filter(path__in=paths)}
        return [by_path[p] for p in paths if p in by_path]

    def province(self) -> AdminUnit | None:
        if self.level == Level.PROVINCE:
            return self
        anc = [a for a in self.ancestors() if a.level == Level.PROVINCE]
        return anc[0] if anc else None


class SuccessionKind(models.TextChoices):
    REFORM_2025 = "reform_2025", _("Sắp xếp đơn vị hành chính 2025")
    MERGE = "merge", _("Sáp nhập")
    SPLIT = "split", _("Chia tách")
    RENAME = "rename", _("Đổi tên")


class UnitSuccession(models.Model):
    """``predecessor`` was (wholly or partly) succeeded by ``successor`` on ``effective``."""

    predecessor = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="successions_out")
    successor = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="successions_in")
    effective = models.DateField(_("ngày hiệu lực"))
    kind = models.CharField(max_length=20, choices=SuccessionKind.choices)
    partial = models.BooleanField(
        _("chỉ một phần"), default=False, help_text=_("Đơn vị cũ được chia cho nhiều đơn vị mới")
    )
    is_default = models.BooleanField(
        _("đơn vị kế thừa mặc định"),
        default=True,
        help_text=_("Khi đơn vị cũ bị chia, hồ sơ không rõ địa chỉ được chuyển về đơn vị này trong báo cáo"),
    )
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("kế thừa đơn vị")
        verbose_name_plural = _("kế thừa đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="geo_succession_unique"),
        ]
        indexes = [models.Index(fields=["successor", "effective"], name="geo_succ_successor")]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({_dmy(self.effective)})"


class UnitEvent(models.Model):
    """A dated change an officer made to a village: creation, rename, merge, split, dissolution."""

    class Type(models.TextChoices):
        CREATE = "create", _("Thành lập")
        RENAME = "rename", _("Đổi tên")
        MERGE = "merge", _("Sáp nhập")
        SPLIT = "split", _("Chia tách")
        DISSOLVE = "dissolve", _("Giải thể")

    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="events")
    type = models.CharField(max_length=20, choices=Type.choices)
    effective = models.DateField(_("ngày hiệu lực"))
    old_name = models.CharField(max_length=200, blank=True)
    new_name = models.CharField(max_length=200, blank=True)
    legal_basis = models.CharField(_("căn cứ"), max_length=300, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["effective", "id"]
        verbose_name = _("biến động đơn vị")
        verbose_name_plural = _("biến động đơn vị")

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.unit} {_dmy(self.effective)}"
