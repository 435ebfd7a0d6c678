import datetime as dt

import pytest

from xhht.geo.loader import load_units
from xhht.geo.models import AdminUnit, Kind, Level, UnitSuccession

pytestmark = pytest.mark.django_db


def test_official_counts_2025_and_legacy():
    current = AdminUnit.objects.current(dt.date(2026, 1, 1))
    assert current.filter(level=Level.PROVINCE).count() == 34
    assert current.filter(level=Level.COMMUNE).count() == 3321
    kinds = dict(
        current.filter(level=Level.COMMUNE)
        .values_list("kind")
        .annotate(n=__import__("django").db.models.Count("id"))
    )
    assert kinds == {Kind.COMMUNE: 2621, Kind.WARD: 687, Kind.SPECIAL_ZONE: 13}
    legacy = AdminUnit.objects.current(dt.date(2025, 6, 30))
    assert legacy.filter(level=Level.PROVINCE).count() == 63
    assert legacy.filter(level=Level.DISTRICT).count() == 696
    assert legacy.filter(level=Level.COMMUNE).count() == 10035
    # No district exists after the reform.
    assert not current.filter(level=Level.DISTRICT).exists()


def test_every_legacy_commune_has_a_successor():
    legacy_communes = AdminUnit.objects.filter(level=Level.COMMUNE, valid_to=dt.date(2025, 6, 30))
    without = legacy_communes.exclude(successions_out__isnull=False)
    assert without.count() == 0


def test_kon_tum_commune_maps_into_quang_ngai():
    dak_mar_old = AdminUnit.objects.get(path="VN/L62/L615/L23512/")
    assert dak_mar_old.name == "Xã Đăk Mar"
    succ = [s.successor for s in dak_mar_old.successions_out.all()]
    assert [s.path for s in succ] == ["VN/51/23512/"]
    assert succ[0].parent.name == "Tỉnh Quảng Ngãi"
    kon_tum = AdminUnit.objects.get(path="VN/L62/")
    assert kon_tum.name == "Tỉnh Kon Tum"
    assert {s.successor.path for s in kon_tum.successions_out.all()} == {"VN/51/"}


def test_split_commune_has_several_successors_with_one_default():
    split = (
        UnitSuccession.objects.filter(partial=True)
        .values("predecessor")
        .annotate(n=__import__("django").db.models.Count("successor"))
        .filter(n__gte=2)
    )
    assert split.count() > 100
    pred = split.order_by("predecessor")[0]["predecessor"]
    rows = UnitSuccession.objects.filter(predecessor_id=pred)
    assert rows.filter(is_default=True).count() == 1


def test_island_district_maps_to_special_zone():
    ly_son = AdminUnit.objects.get(level=Level.DISTRICT, name="Huyện Lý Sơn")
    (succ,) = [s.successor for s in ly_son.successions_out.all()]
    assert succ.kind == Kind.SPECIAL_ZONE and succ.name == "Đặc khu Lý Sơn"


def test_load_is_idempotent():
    before = AdminUnit.objects.count(), UnitSuccession.objects.count()
    r = load_units()
    assert (r.created, r.updated, r.successions_created) == (0, 0, 0)
    assert (AdminUnit.objects.count(), UnitSuccession.objects.count()) == before


def test_subtree_uses_path_prefix_only():
    qn = AdminUnit.objects.get(path="VN/51/")
    sub = AdminUnit.objects.subtree(qn).filter(level=Level.COMMUNE)
    assert sub.count() == 96
    # VN/51/ must not catch a sibling whose code starts the same way (e.g. VN/5/ or VN/511/ if any).
    assert all(u.path.startswith("VN/51/") for u in sub)


def test_search_without_diacritics():
    names = {u.name for u in AdminUnit.objects.search("dak mar")}
    assert "Xã Đăk Mar" in names
    assert "Xã Đăk Mar" in {u.name for u in AdminUnit.objects.search("ĐĂK   MAR")}
