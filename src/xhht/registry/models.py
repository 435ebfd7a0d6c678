"""The registries: people, households, clans, organisations, community learning centres and the
study-promotion association. Every denominator of every target is counted from these tables.

Design for a province of 3 million people:
- each row placed in the map carries ``unit_path`` (the materialised path of its village or unit),
  so scope filters and roll-ups are one prefix-range scan on one index;
- searched names are stored folded (``name_folded``: no diacritics, lower case) and sort keys in
  Vietnamese order (``name_sort``: given name first, as Vietnamese lists are sorted);
- history is rows with dates (residence, household membership, staff membership), never overwrites.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xhht.core.fields import BinaryCharField, PathField
from xhht.core.text import fold, normalize, vi_name_sort_key


class Sex(models.TextChoices):
    MALE = "M", _("Nam")
    FEMALE = "F", _("Nữ")


class Occupation(models.TextChoices):
    WORKER = "lao_dong", _("Người lao động")
    CIVIL_SERVANT = "cong_chuc", _("Cán bộ, công chức")
    PUBLIC_EMPLOYEE = "vien_chuc", _("Viên chức")
    PUPIL = "hoc_sinh", _("Học sinh, sinh viên")
    OTHER = "khac", _("Khác")


class EducationLevel(models.TextChoices):
    NONE = "khong", _("Chưa đi học")
    PRIMARY = "tieu_hoc", _("Tiểu học")
    LOWER_SECONDARY = "thcs", _("Trung học cơ sở")
    UPPER_SECONDARY = "thpt", _("Trung học phổ thông")


class TechnicalQualification(models.TextChoices):
    NONE = "khong", _("Không có")
    VOCATIONAL = "so_trung_cap", _("Sơ cấp, trung cấp nghề")
    COLLEGE = "cao_dang", _("Cao đẳng")
    UNIVERSITY = "dai_hoc", _("Đại học trở lên")


class DigitalSkill(models.IntegerChoices):
    """Thông tư 02/2025/TT-BGDĐT: 4 levels (each of 2 steps). 0 = assessed, no digital skill;
    empty (NULL) = not assessed — a rule reading it is unknown and the citizen declares instead."""

    __empty__ = _("Chưa đánh giá")
    NONE = 0, _("Chưa có")
    BASIC = 1, _("Cơ bản (bậc 1–2)")
    INTERMEDIATE = 2, _("Trung cấp (bậc 3–4)")
    ADVANCED = 3, _("Khá (bậc 5–6)")
    EXPERT = 4, _("Chuyên sâu (bậc 7–8)")


class ForeignLanguage(models.TextChoices):
    NONE = "khong", _("Không")
    BASIC = "co_ban", _("Cơ bản")
    INTERMEDIATE = "trung_cap", _("Trung cấp")
    ADVANCED = "thanh_thao", _("Thành thạo")


class Literacy(models.TextChoices):
    ILLITERATE = "mu_chu", _("Chưa biết chữ")
    LEVEL1 = "muc_1", _("Biết chữ mức độ 1")
    LEVEL2 = "muc_2", _("Biết chữ mức độ 2")


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("Đang cư trú")
    MOVED_OUT = "moved_out", _("Đã chuyển đi")
    DECEASED = "deceased", _("Đã mất")
    MERGED = "merged", _("Đã gộp vào hồ sơ khác")


class Person(models.Model):
    full_name = models.CharField(_("họ và tên"), max_length=150)
    # searched through PersonName (substring); the duplicates list reads it in one pass: no own index
    name_folded = BinaryCharField(max_length=150, editable=False)
    name_sort = BinaryCharField(max_length=320, editable=False)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    sex = models.CharField(_("giới tính"), max_length=1, choices=Sex.choices, blank=True)
    ethnicity = models.CharField(_("dân tộc"), max_length=50, blank=True, default="Kinh")
    religion = models.CharField(_("tôn giáo"), max_length=50, blank=True)
    # unique where given (reg_person_cccd_unique): a partial index holds no NULLs and a bulk load can
    # rebuild it (imports/bulkload.py); in binary collation it also serves prefix search on PostgreSQL
    cccd = BinaryCharField(_("số CCCD"), max_length=12, null=True, blank=True)
    # binary collation: one index (reg_person_phone) serves equality and prefix search on PostgreSQL too
    phone = BinaryCharField(_("số điện thoại"), max_length=15, blank=True)
    village = models.ForeignKey(
        "geo.AdminUnit",
        on_delete=models.PROTECT,
        related_name="residents",
        verbose_name=_("thôn, tổ dân phố"),
    )
    unit_path = PathField(editable=False)
    occupation = models.CharField(
        _("nhóm nghề nghiệp"), max_length=12, choices=Occupation.choices, default=Occupation.OTHER
    )
    education_level = models.CharField(
        _("trình độ học vấn"), max_length=10, choices=EducationLevel.choices, blank=True
    )
    technical_qualification = models.CharField(
        _("trình độ chuyên môn kỹ thuật"),
        max_length=15,
        choices=TechnicalQualification.choices,
        default=TechnicalQualification.NONE,
    )
    it_competency = models.BooleanField(_("có năng lực ứng dụng CNTT"), default=False)
    digital_skill = models.PositiveSmallIntegerField(
        _("kỹ năng số (TT 02/2025)"), choices=DigitalSkill.choices, null=True, blank=True, default=None
    )
    foreign_language = models.CharField(
        _("ngoại ngữ"), max_length=12, choices=ForeignLanguage.choices, default=ForeignLanguage.NONE
    )
    life_skills = models.BooleanField(_("có kỹ năng sống"), default=False)
    literacy = models.CharField(_("biết chữ"), max_length=8, choices=Literacy.choices, blank=True)
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=PersonStatus.choices, default=PersonStatus.ACTIVE
    )
    # almost always empty: a partial index (reg_person_merged) instead of a million NULL entries
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    merged_at = models.DateTimeField(null=True, blank=True, editable=False)
    note = models.TextField(_("ghi chú"), blank=True)
    user = models.OneToOneField(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        verbose_name=_("tài khoản công dân"),
    )
    external_id = models.CharField(_("mã trong tệp nguồn"), max_length=64, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("công dân")
        verbose_name_plural = _("công dân")
        indexes = [
            models.Index(fields=["unit_path", "name_sort"], name="reg_person_path_sort"),
            # name search: for each matching name (``PersonName``), seek the rows of a scope
            models.Index(fields=["name_sort", "unit_path", "id"], name="reg_person_sort_path"),
            models.Index(
                fields=["merged_into"], name="reg_person_merged", condition=Q(merged_into__isnull=False)
            ),
            models.Index(fields=["phone"], name="reg_person_phone"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(cccd__isnull=True) | Q(cccd__regex=r"^[0-9]{12}$"),
                name="reg_person_cccd_12_digits",
            ),
            models.UniqueConstraint(
                fields=["cccd"], condition=Q(cccd__isnull=False), name="reg_person_cccd_unique"
            ),
            models.UniqueConstraint(
                fields=["external_id"],
                condition=Q(external_id__isnull=False),
                name="reg_person_external_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.full_name = normalize(self.full_name)
        self.name_folded = fold(self.full_name)
        self.name_sort = vi_name_sort_key(self.full_name)
        if self.birth_date and not self.birth_year:
            self.birth_year = self.birth_date.year
        if self.village_id:
            self.unit_path = self.village.path
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("registry:person", args=[self.pk])

    def age_on(self, on: dt.date) -> int | None:
        if self.birth_date:
            return (
                on.year
                - self.birth_date.year
                - ((on.month, on.day) < (self.birth_date.month, self.birth_date.day))
            )
        if self.birth_year:
            return on.year - self.birth_year
        return None


class PersonName(models.Model):
    """Every distinct name in the registry: its sort key and folded form (a few tens of thousands
    for millions of people). A search by part of a name finds the matching names here, then walks
    them in alphabetical order and reads only those people (``selectors.people_search``).

    Kept by database triggers on ``registry_person`` (migration 0004); a bulk load catches up once at
    the end (``search_index.bulk_person_load``). Names no one bears any more are harmless."""

    name_sort = BinaryCharField(max_length=320, primary_key=True)
    name_folded = BinaryCharField(max_length=150)

    class Meta:
        verbose_name = _("tên công dân")
        verbose_name_plural = _("tên công dân")

    def __str__(self) -> str:
        return self.name_folded


class Residence(models.Model):
    """Where a person lived, and when. The current row has ``valid_to`` null."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="residences")
    # never queried by village (people are found by their own village and unit_path); no index to keep
    village = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="+", db_index=False)
    valid_from = models.DateField(_("từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["person", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(valid_to__isnull=True), name="reg_residence_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.village_id}"


class PersonDistinct(models.Model):
    """Two records an officer checked and declared to be different people (not duplicates).

    Stored with ``low_id < high_id`` so a pair is recorded once."""

    low = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    high = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    unit_path = PathField(editable=False, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cặp hồ sơ không trùng")
        verbose_name_plural = _("cặp hồ sơ không trùng")
        constraints = [models.UniqueConstraint(fields=["low", "high"], name="reg_person_distinct_pair")]

    def __str__(self) -> str:
        return f"{self.low_id} ≠ {self.high_id}"


class Relation(models.TextChoices):
    HEAD = "chu_ho", _("Chủ hộ")
    SPOUSE = "vo_chong", _("Vợ / chồng")
    CHILD = "con", _("Con")
    PARENT = "bo_me", _("Bố / mẹ")
    GRANDPARENT = "ong_ba", _("Ông / bà")
    GRANDCHILD = "chau", _("Cháu")
    SIBLING = "anh_chi_em", _("Anh / chị / em")
    OTHER = "khac", _("Khác")


class Household(models.Model):
    code = models.CharField(_("mã hộ"), max_length=64, unique=True)
    village = models.ForeignKey(
        "geo.AdminUnit",
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name=_("thôn, tổ dân phố"),
    )
    unit_path = PathField(editable=False)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    head = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="headed_households",
        verbose_name=_("chủ hộ"),
    )
    # a household entered twice is merged into the other: it keeps its row and its history
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from", db_index=False
    )
    merged_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hộ gia đình")
        verbose_name_plural = _("hộ gia đình")
        indexes = [
            models.Index(fields=["unit_path"], name="reg_household_path"),
            models.Index(
                fields=["merged_into"], name="reg_household_merged", condition=Q(merged_into__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"Hộ {self.head.full_name}" if self.head_id else f"Hộ {self.code}"

    def save(self, *args, **kwargs):
        if self.village_id:
            self.unit_path = self.village.path
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("registry:household", args=[self.pk])


class HouseholdMember(models.Model):
    # looked up through reg_member_household (household, valid_to), which also serves the foreign key
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members", db_index=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="household_memberships")
    relation = models.CharField(_("quan hệ với chủ hộ"), max_length=12, choices=Relation.choices)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(valid_to__isnull=True), name="reg_member_one_current_household"
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(valid_to__isnull=True, relation="chu_ho"),
                name="reg_member_one_head",
            ),
        ]
        indexes = [models.Index(fields=["household", "valid_to"], name="reg_member_household")]

    def __str__(self) -> str:
        return f"{self.person_id} ∈ {self.household_id} ({self.relation})"


class Clan(models.Model):
    """Dòng họ: a set of households with a clan head, possibly spanning villages and communes."""

    name = models.CharField(_("tên dòng họ"), max_length=200)
    name_folded = models.CharField(max_length=200, editable=False, db_index=True)
    commune = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="clans", verbose_name=_("xã đăng ký")
    )
    unit_path = PathField(editable=False)
    head = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="headed_clans",
        verbose_name=_("trưởng dòng họ"),
    )
    external_id = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dòng họ")
        verbose_name_plural = _("dòng họ")
        indexes = [models.Index(fields=["unit_path"], name="reg_clan_path")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = normalize(self.name)
        self.name_folded = fold(self.name)
        if self.commune_id:
            self.unit_path = self.commune.path
        super().save(*args, **kwargs)


class ClanHousehold(models.Model):
    clan = models.ForeignKey(Clan, on_delete=models.CASCADE, related_name="memberships")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="clan_memberships")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["clan", "household"],
                condition=Q(valid_to__isnull=True),
                name="reg_clan_household_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} ∈ {self.clan_id}"


class OrgKind(models.TextChoices):
    AGENCY = "co_quan", _("Cơ quan hành chính")
    PUBLIC_SERVICE = "su_nghiep", _("Đơn vị sự nghiệp công lập")
    SCHOOL = "truong_hoc", _("Trường học, cơ sở giáo dục")
    ENTERPRISE = "doanh_nghiep", _("Doanh nghiệp")
    COOPERATIVE = "hop_tac_xa", _("Hợp tác xã")
    PRODUCTION = "san_xuat", _("Đơn vị sản xuất, kinh doanh")
    ARMED_FORCES = "luc_luong_vu_trang", _("Đơn vị lực lượng vũ trang")


class OrgLevel(models.TextChoices):
    COMMUNE = "xa", _("Cấp xã")
    DISTRICT = "huyen", _("Cấp huyện (trước 01/07/2025)")
    PROVINCE = "tinh", _("Cấp tỉnh")
    CENTRAL = "trung_uong", _("Trung ương")


class Organisation(models.Model):
    name = models.CharField(_("tên cơ quan, đơn vị"), max_length=255)
    name_folded = models.CharField(max_length=255, editable=False, db_index=True)
    kind = models.CharField(_("loại hình"), max_length=20, choices=OrgKind.choices)
    level = models.CharField(_("cấp"), max_length=12, choices=OrgLevel.choices, default=OrgLevel.COMMUNE)
    unit = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="organisations", verbose_name=_("địa bàn")
    )
    unit_path = PathField(editable=False)
    head = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_orgs",
        verbose_name=_("thủ trưởng"),
    )
    head_user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="headed_organisations"
    )
    tax_code = models.CharField(_("mã số thuế / mã đơn vị"), max_length=20, blank=True)
    external_id = models.CharField(max_length=64, null=True, blank=True, unique=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        indexes = [models.Index(fields=["unit_path"], name="reg_org_path")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = normalize(self.name)
        self.name_folded = fold(self.name)
        if self.unit_id:
            self.unit_path = self.unit.path
        super().save(*args, **kwargs)


class StaffCategory(models.TextChoices):
    CADRE = "can_bo", _("Cán bộ")
    CIVIL_SERVANT = "cong_chuc", _("Công chức")
    PUBLIC_EMPLOYEE = "vien_chuc", _("Viên chức")
    WORKER = "nguoi_lao_dong", _("Người lao động")


class OrgMembership(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="staff")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="org_memberships")
    category = models.CharField(_("loại"), max_length=16, choices=StaffCategory.choices)
    position = models.CharField(_("chức vụ"), max_length=150, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "valid_to"], name="reg_orgmember_org"),
            models.Index(fields=["person", "valid_to"], name="reg_orgmember_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.organisation_id}"


class LearningCentre(models.Model):
    """Trung tâm học tập cộng đồng (TTHTCĐ) of a commune. Merged centres keep their row and point to the successor."""

    name = models.CharField(_("tên trung tâm"), max_length=255)
    commune = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="learning_centres", verbose_name=_("xã")
    )
    unit_path = PathField(editable=False)
    director = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("giám đốc")
    )
    hkh_in_management = models.BooleanField(
        _("Chủ tịch/Phó Chủ tịch Hội Khuyến học xã tham gia ban quản lý"), default=False
    )
    uses_it_management = models.BooleanField(_("ứng dụng CNTT trong quản lý"), default=False)
    uses_it_activities = models.BooleanField(_("ứng dụng CNTT trong hoạt động"), default=False)
    established = models.DateField(_("ngày thành lập"), null=True, blank=True)
    valid_to = models.DateField(_("ngừng hoạt động sau ngày"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        verbose_name=_("sáp nhập vào"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("trung tâm học tập cộng đồng")
        verbose_name_plural = _("trung tâm học tập cộng đồng")
        indexes = [models.Index(fields=["unit_path"], name="reg_centre_path")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = normalize(self.name)
        if self.commune_id:
            self.unit_path = self.commune.path
        super().save(*args, **kwargs)

    @property
    def uses_it(self) -> bool:
        return self.uses_it_management or self.uses_it_activities


class CentreStaff(models.Model):
    centre = models.ForeignKey(LearningCentre, on_delete=models.CASCADE, related_name="staff")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("vai trò"), max_length=100, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.centre_id}"


class AssociationBranch(models.Model):
    """A branch of the study-promotion association (Hội Khuyến học) at a unit: province, commune,
    or a chi hội of a village or an organisation."""

    name = models.CharField(_("tên chi hội / hội"), max_length=255)
    unit = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="association_branches")
    unit_path = PathField(editable=False)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="association_branches"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = _("chi hội, hội khuyến học")
        verbose_name_plural = _("chi hội, hội khuyến học")
        indexes = [models.Index(fields=["unit_path"], name="reg_branch_path")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = normalize(self.name)
        if self.unit_id:
            self.unit_path = self.unit.path
        super().save(*args, **kwargs)


class AssociationMember(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="association_memberships")
    branch = models.ForeignKey(AssociationBranch, on_delete=models.PROTECT, related_name="members")
    unit_path = PathField(editable=False)
    is_officer = models.BooleanField(_("là cán bộ hội"), default=False)
    position = models.CharField(_("chức vụ trong hội"), max_length=150, blank=True)
    joined = models.DateField(_("ngày vào hội"), null=True, blank=True)
    left = models.DateField(_("ngày rời hội"), null=True, blank=True)

    class Meta:
        verbose_name = _("hội viên")
        verbose_name_plural = _("hội viên")
        indexes = [models.Index(fields=["unit_path", "is_officer"], name="reg_assoc_member_path")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "branch"], condition=Q(left__isnull=True), name="reg_assoc_member_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.branch_id}"

    def save(self, *args, **kwargs):
        if self.branch_id:
            self.unit_path = self.branch.unit_path or self.branch.unit.path
        super().save(*args, **kwargs)


class TrainingKind(models.TextChoices):
    POLICY_BRIEFING = "quan_triet", _("Quán triệt, tập huấn chủ trương, tiêu chí")
    IT_TRAINING = "cntt", _("Bồi dưỡng ứng dụng công nghệ thông tin")
    CENTRE_ACTIVITY = "tthtcd", _("Tham gia hoạt động TTHTCĐ")
    OTHER = "khac", _("Khác")


class Training(models.Model):
    name = models.CharField(_("tên lớp, hội nghị"), max_length=255)
    kind = models.CharField(_("loại"), max_length=12, choices=TrainingKind.choices)
    date = models.DateField(_("ngày"))
    unit = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="+")
    unit_path = PathField(editable=False)

    class Meta:
        verbose_name = _("lớp tập huấn")
        verbose_name_plural = _("lớp tập huấn")

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        if self.unit_id:
            self.unit_path = self.unit.path
        super().save(*args, **kwargs)


class TrainingAttendance(models.Model):
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(AssociationMember, on_delete=models.CASCADE, related_name="trainings")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["training", "member"], name="reg_attendance_unique")]

    def __str__(self) -> str:
        return f"{self.member_id} @ {self.training_id}"
