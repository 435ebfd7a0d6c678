"""The learning titles (danh hiệu) and what each is awarded to. Stable codes used in data, URLs and reports."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Title(models.TextChoices):
    CDHT = "CDHT", _("Công dân học tập")
    GDHT = "GDHT", _("Gia đình học tập")
    DHHT = "DHHT", _("Dòng họ học tập")
    CDHT_THON = "CDHT_THON", _("Cộng đồng học tập thôn, tổ dân phố")
    DVHT = "DVHT", _("Đơn vị học tập")
    CDHT_XA = "CDHT_XA", _("Cộng đồng học tập cấp xã")
    CDHT_TINH = "CDHT_TINH", _("Cộng đồng học tập cấp tỉnh")
    TTHTCD = "TTHTCD", _("Xếp loại Trung tâm học tập cộng đồng")


class SubjectType(models.TextChoices):
    PERSON = "person", _("Công dân")
    HOUSEHOLD = "household", _("Hộ gia đình")
    CLAN = "clan", _("Dòng họ")
    UNIT = "unit", _("Đơn vị hành chính")
    ORGANISATION = "organisation", _("Cơ quan, đơn vị")
    CENTRE = "centre", _("Trung tâm học tập cộng đồng")


TITLE_SUBJECT: dict[str, str] = {
    Title.CDHT: SubjectType.PERSON,
    Title.GDHT: SubjectType.HOUSEHOLD,
    Title.DHHT: SubjectType.CLAN,
    Title.CDHT_THON: SubjectType.UNIT,
    Title.DVHT: SubjectType.ORGANISATION,
    Title.CDHT_XA: SubjectType.UNIT,
    Title.CDHT_TINH: SubjectType.UNIT,
    Title.TTHTCD: SubjectType.CENTRE,
}

SUBJECT_MODEL: dict[str, str] = {
    SubjectType.PERSON: "registry.Person",
    SubjectType.HOUSEHOLD: "registry.Household",
    SubjectType.CLAN: "registry.Clan",
    SubjectType.UNIT: "geo.AdminUnit",
    SubjectType.ORGANISATION: "registry.Organisation",
    SubjectType.CENTRE: "registry.LearningCentre",
}


class Level(models.TextChoices):
    PASS = "dat", _("Đạt")
    LEVEL1 = "muc_1", _("Mức 1")
    LEVEL2 = "muc_2", _("Mức 2")
