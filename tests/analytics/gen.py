"""Small generated registries and recognitions for the analytics tests (seeded, reproducible)."""

from __future__ import annotations

import datetime as dt
import random
from types import SimpleNamespace

from xhht.core.titles import SubjectType, Title
from xhht.geo.models import AdminUnit, UnitSuccession
from xhht.recognition.models import Recognition, Registration
from xhht.registry import models as R


def legacy_predecessor(commune: AdminUnit) -> AdminUnit:
    s = (
        UnitSuccession.objects.filter(successor=commune, is_default=True)
        .select_related("predecessor")
        .order_by("predecessor__path")
        .first()
    )
    return s.predecessor


def recognise(title, year, subject_type, subject_id, name, unit, path=None, revoked=False):
    return Recognition.objects.create(
        title=title,
        year=year,
        subject_type=subject_type,
        subject_id=subject_id,
        subject_name=name,
        unit=unit,
        unit_path=path or unit.path,
        valid_from=dt.date(year, 12, 1),
        revoked_at=dt.datetime(year, 12, 20, tzinfo=dt.UTC) if revoked else None,
    )


def generate(units, seed: int = 7) -> SimpleNamespace:
    rnd = random.Random(seed)
    villages = [units.village_a1, units.village_a2, units.village_b1]
    people, households = [], []
    for v in villages:
        for h in range(8):
            hh = R.Household.objects.create(code=f"H-{v.code}-{h}", village=v)
            households.append(hh)
            for k in range(rnd.randint(1, 4)):
                p = R.Person.objects.create(
                    full_name=f"Người {v.code} {h} {k}",
                    village=v,
                    birth_year=rnd.choice([1960, 1980, 1995, 2012, 2015]),
                    digital_skill=rnd.choice([0, 1, 2]),
                    it_competency=rnd.random() < 0.5,
                    technical_qualification=rnd.choice(["khong", "dai_hoc", "cao_dang"]),
                )
                people.append(p)
                R.HouseholdMember.objects.create(
                    household=hh, person=p, relation="chu_ho" if k == 0 else "con"
                )
    clan = R.Clan.objects.create(name="Họ Nguyễn", commune=units.commune_a)
    for hh in households[3:6]:
        R.ClanHousehold.objects.create(clan=clan, household=hh)
    org = R.Organisation.objects.create(name="Trường THCS", kind="truong_hoc", unit=units.commune_a)
    for p in people[:5]:
        R.OrgMembership.objects.create(organisation=org, person=p, category="vien_chuc")
    R.Organisation.objects.create(name="HTX", kind="hop_tac_xa", unit=units.commune_a)
    R.LearningCentre.objects.create(
        name="TTHTCĐ Đăk Mar", commune=units.commune_a, uses_it_management=True, hkh_in_management=True
    )
    R.LearningCentre.objects.create(name="TTHTCĐ Kon Tum", commune=units.commune_b)
    # recognitions 2024 and 2025 (some revoked), plus historic ones recorded at the former commune
    for year in (2024, 2025):
        for hh in households:
            if rnd.random() < (0.4 if year == 2024 else 0.6):
                recognise(
                    Title.GDHT,
                    year,
                    SubjectType.HOUSEHOLD,
                    hh.pk,
                    str(hh),
                    hh.village,
                    hh.unit_path,
                    revoked=rnd.random() < 0.1,
                )
            if rnd.random() < 0.8:
                Registration.objects.create(
                    title=Title.GDHT,
                    year=year,
                    subject_type=SubjectType.HOUSEHOLD,
                    subject_id=hh.pk,
                    subject_name=str(hh),
                    unit=hh.village,
                    unit_path=hh.unit_path,
                )
        for p in people:
            if rnd.random() < 0.35:
                recognise(Title.CDHT, year, SubjectType.PERSON, p.pk, p.full_name, p.village, p.unit_path)
    recognise(
        Title.CDHT_THON, 2025, SubjectType.UNIT, units.village_b1.pk, units.village_b1.name, units.village_b1
    )
    recognise(Title.DHHT, 2025, SubjectType.CLAN, clan.pk, clan.name, units.commune_a)
    recognise(Title.DVHT, 2025, SubjectType.ORGANISATION, org.pk, org.name, units.commune_a)
    old = legacy_predecessor(units.commune_a)
    historic = households[:5]
    for hh in historic:
        recognise(Title.GDHT, 2023, SubjectType.HOUSEHOLD, hh.pk, str(hh), old, old.path)
    return SimpleNamespace(
        people=people,
        households=households,
        clan=clan,
        org=org,
        legacy_commune=old,
        historic=historic,
        villages=villages,
    )
