"""The commendations awarded to a person, a household, a clan or an organisation are listed on that
subject's own registry page (a section the plans app provides), scoped like the page."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from xhht.accounts.models import Role
from xhht.plans.models import Commendation
from xhht.registry.models import Clan, Household, Organisation, Person


def _commend(subject_type, subject, name, unit, number, **kw):
    return Commendation.objects.create(
        kind=kw.pop("kind", "giay_khen"),
        issuer=kw.pop("issuer", "Chủ tịch UBND xã"),
        decision_number=number,
        date=kw.pop("date", dt.date(2025, 11, 20)),
        reason=kw.pop("reason", "Có thành tích xuất sắc trong phong trào khuyến học"),
        subject_type=subject_type,
        subject_id=subject.pk,
        subject_name=name,
        unit=unit,
        **kw,
    )


def test_commendations_on_registry_pages(units, make_user, login):
    person = Person.objects.create(full_name="Nguyễn Thị Hoa", birth_year=1980, village=units.village_a1)
    other = Person.objects.create(full_name="Trần Văn Bình", birth_year=1975, village=units.village_a1)
    hh = Household.objects.create(code="HGD-1", village=units.village_a1)
    org = Organisation.objects.create(name="Trường Tiểu học Đăk Mar", kind="truong_hoc", unit=units.commune_a)
    clan = Clan.objects.create(name="Họ Nguyễn", commune=units.commune_a)
    _commend("person", person, person.full_name, units.village_a1, "12/QĐ-UBND", reason="Tự học suốt đời")
    _commend("person", other, other.full_name, units.village_a1, "13/QĐ-UBND", reason="Người khác")
    _commend(
        "household",
        hh,
        "Hộ HGD-1",
        units.village_a1,
        "45/QĐ-HKH",
        kind="bang_khen",
        issuer="Hội Khuyến học tỉnh",
        date=dt.date(2024, 3, 8),
        reason="Gia đình học tập tiêu biểu",
        collective=True,
    )
    _commend("organisation", org, org.name, units.commune_a, "7/QĐ-UBND", reason="Đơn vị học tập xuất sắc")
    _commend("clan", clan, clan.name, units.commune_a, "8/QĐ-UBND", reason="Dòng họ khuyến học")

    c = login(make_user(Role.HKH_XA, units.commune_a))
    body = c.get(reverse("registry:person", args=[person.pk])).content.decode()
    assert 'id="commendations"' in body
    assert "12/QĐ-UBND" in body and "Tự học suốt đời" in body and "20/11/2025" in body
    assert "Giấy khen" in body and "Chủ tịch UBND xã" in body
    assert "13/QĐ-UBND" not in body  # another person's
    body = c.get(reverse("registry:household", args=[hh.pk])).content.decode()
    assert "45/QĐ-HKH" in body and "Bằng khen" in body and "Hội Khuyến học tỉnh" in body
    assert "08/03/2024" in body and "Gia đình học tập tiêu biểu" in body
    assert "12/QĐ-UBND" not in body
    body = c.get(reverse("registry:org", args=[org.pk])).content.decode()
    assert "7/QĐ-UBND" in body and "Đơn vị học tập xuất sắc" in body
    body = c.get(reverse("registry:clan", args=[clan.pk])).content.decode()
    assert "8/QĐ-UBND" in body and "Dòng họ khuyến học" in body
    body = c.get(reverse("registry:person", args=[other.pk])).content.decode()
    assert "13/QĐ-UBND" in body and "12/QĐ-UBND" not in body


def test_subject_without_commendations_says_so(units, make_user, login):
    person = Person.objects.create(full_name="Lê Văn Cường", birth_year=1990, village=units.village_a2)
    c = login(make_user(Role.HKH_XA, units.commune_a))
    body = c.get(reverse("registry:person", args=[person.pk])).content.decode()
    assert 'id="commendations"' in body and "Chưa có khen thưởng." in body


def test_commendations_are_scoped(units, make_user):
    """The selector shows only commendations recorded where the viewer may read the registry."""
    from xhht.accounts.access import access_for
    from xhht.plans import selectors

    person = Person.objects.create(full_name="Phạm Thị Dung", birth_year=1985, village=units.village_a1)
    _commend("person", person, person.full_name, units.village_a1, "1/QĐ-UBND")
    _commend("person", person, person.full_name, units.commune_c, "2/QĐ-UBND")  # recorded elsewhere
    mine = make_user(Role.HKH_XA, units.commune_a)
    got = [c.decision_number for c in selectors.subject_commendations(access_for(mine), "person", person.pk)]
    assert got == ["1/QĐ-UBND"]
    stranger = make_user(Role.HKH_XA, units.commune_b)
    assert not selectors.subject_commendations(access_for(stranger), "person", person.pk).exists()
