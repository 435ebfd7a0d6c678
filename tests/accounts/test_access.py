"""Scope: one place decides; an officer of one commune gets nothing of another by any URL."""

import pytest
from django.core.exceptions import PermissionDenied

from xhht.accounts.access import ROLE_PERMISSIONS, Perm, access_for
from xhht.accounts.models import Role
from xhht.geo.models import AdminUnit

pytestmark = pytest.mark.django_db


def test_commune_officer_scope_is_their_subtree(units, make_user):
    officer = make_user(Role.HKH_XA, units.commune_a)
    access = access_for(officer)
    assert access.has(Perm.UNIT_VIEW, units.commune_a)
    assert access.has(Perm.UNIT_VIEW, units.village_a1)
    assert not access.has(Perm.UNIT_VIEW, units.commune_b)
    assert not access.has(Perm.UNIT_VIEW, units.village_b1)
    assert not access.has(Perm.UNIT_VIEW, units.province)
    seen = access.scope(AdminUnit.objects.all(), Perm.UNIT_VIEW, path_field="path")
    paths = set(seen.values_list("path", flat=True))
    assert units.village_a1.path in paths and units.commune_a.path in paths
    assert units.commune_b.path not in paths and units.village_b1.path not in paths
    assert all(p.startswith(units.commune_a.path) for p in paths)
    with pytest.raises(PermissionDenied):
        access.require(Perm.UNIT_MANAGE_VILLAGES, units.commune_b)


def test_province_officer_sees_all_communes_of_the_province_only(units, make_user):
    officer = make_user(Role.SO_GDDT, units.province)
    access = access_for(officer)
    assert access.has(Perm.REGISTRY_VIEW, units.village_b1)
    assert not access.has(Perm.REGISTRY_VIEW, units.commune_c)
    assert access.scope(AdminUnit.objects.filter(level=3), Perm.UNIT_VIEW, path_field="path").count() == 96


def test_prefix_of_code_does_not_leak(units, make_user):
    """VN/51/ must not cover a unit whose path merely starts with the same digits (e.g. VN/5/...)."""
    fake = AdminUnit(code="5", name="Tỉnh Giả", kind="tinh", level=1, parent=units.country, path="VN/5/")
    fake.save()
    officer = make_user(Role.SO_GDDT, fake)
    assert not access_for(officer).has(Perm.UNIT_VIEW, units.commune_a)


def test_citizen_has_no_unit_wide_read(units, make_user):
    citizen = make_user(Role.CONG_DAN, units.village_a1)
    access = access_for(citizen)
    assert not access.has(Perm.REGISTRY_VIEW)
    assert not access.has(Perm.UNIT_VIEW)
    assert access.scope(AdminUnit.objects.all(), Perm.REGISTRY_VIEW, path_field="path").count() == 0
    assert access.has(Perm.SELF_ASSESS)


def test_owner_field_gives_a_citizen_only_their_own_rows(units, make_user):
    from xhht.accounts.models import RoleAssignment

    citizen = make_user(Role.CONG_DAN, units.village_a1)
    other = make_user(Role.CONG_DAN, units.village_a1)
    qs = RoleAssignment.objects.all()
    mine = access_for(citizen).scope(qs, Perm.REGISTRY_VIEW, path_field="unit_path", owner_field="user")
    assert list(mine.values_list("user_id", flat=True)) == [citizen.pk]
    assert other.pk not in mine.values_list("user_id", flat=True)


def test_anonymous_sees_nothing(units):
    from django.contrib.auth.models import AnonymousUser

    access = access_for(AnonymousUser())
    assert access.scope(AdminUnit.objects.all(), Perm.UNIT_VIEW, path_field="path").count() == 0
    assert not access.has(Perm.UNIT_VIEW)


def test_inactive_or_expired_assignment_grants_nothing(units, make_user):
    import datetime as dt

    officer = make_user(Role.HKH_XA, units.commune_a)
    officer.role_assignments.update(valid_to=dt.date(2025, 1, 1))
    assert not access_for(officer).has(Perm.UNIT_VIEW, units.commune_a)


def test_every_role_has_a_permission_set():
    assert set(ROLE_PERMISSIONS) == set(Role.values)
    assert ROLE_PERMISSIONS[Role.ADMIN] >= ROLE_PERMISSIONS[Role.SO_GDDT]


def test_url_tampering_gets_404_on_pages_and_api(units, make_user, login):
    officer = make_user(Role.HKH_XA, units.commune_a)
    c = login(officer)
    assert c.get(f"/don-vi/{units.commune_a.pk}/").status_code == 200
    assert c.get(f"/don-vi/{units.village_a1.pk}/").status_code == 200
    for unit in (units.commune_b, units.village_b1, units.province, units.commune_c):
        for url in (
            f"/don-vi/{unit.pk}/",
            f"/don-vi/{unit.pk}/con/",
            f"/don-vi/{unit.pk}/lich-su/",
            f"/api/geo/units/{unit.pk}",
            f"/api/geo/units/{unit.pk}/children",
        ):
            r = c.get(url)
            assert r.status_code == 404, (url, r.status_code)
            assert unit.name.encode() not in r.content
        r = c.post(
            f"/don-vi/{unit.pk}/thon/them/", {"name": "Thôn Lạ", "kind": "thon", "effective": "2026-01-01"}
        )
        assert r.status_code == 404
    assert not AdminUnit.objects.filter(name="Thôn Lạ").exists()
    # Search never returns units outside the scope.
    r = c.get("/don-vi/tim/", {"q": "kon tum"})
    assert "Phường Kon Tum" not in r.content.decode()
    r = c.get("/api/geo/search", {"q": "kon tum"})
    assert r.status_code == 200 and "Phường Kon Tum" not in r.content.decode()


def test_legacy_predecessors_are_visible_to_the_successor_commune(units, make_user, login):
    officer = make_user(Role.HKH_XA, units.commune_a)
    c = login(officer)
    old = AdminUnit.objects.get(path="VN/L62/L615/L23512/")  # Xã Đăk Mar before 1/7/2025
    r = c.get(f"/don-vi/{old.pk}/")
    assert r.status_code == 200
    assert "Xã Đăk Mar" in r.content.decode()
    # ...but not a legacy commune that became part of another commune.
    other_old = AdminUnit.objects.get(path="VN/L62/L608/L23281/")  # Phường Quang Trung, Kon Tum city
    assert c.get(f"/don-vi/{other_old.pk}/").status_code == 404


def test_search_finds_former_units_of_the_scope_only(units, make_user, login):
    officer = make_user(Role.HKH_XA, units.commune_a)
    data = login(officer).get("/api/geo/search", {"q": "dak mar"}).json()
    paths = {d["id"]: d for d in data}
    names = [(d["name"], d["valid_to"]) for d in paths.values()]
    assert ("Xã Đăk Mar", None) in names
    assert ("Xã Đăk Mar", "2025-06-30") in names  # the legacy commune it succeeded
    body = login(officer).get("/api/geo/search", {"q": "quang trung"}).content.decode()
    assert "Quang Trung" not in body  # a legacy ward of Kon Tum city that went elsewhere
