"""API of the other registries, merges of households and organisations, branch edit, attendance."""

from __future__ import annotations

import datetime as dt

import pytest

from xhht.accounts.models import AuditEvent, Role
from xhht.registry import services
from xhht.registry.models import (
    AssociationMember,
    ClanHousehold,
    Household,
    HouseholdMember,
    Organisation,
    OrgMembership,
    Relation,
    TrainingAttendance,
)


@pytest.fixture
def world(units, make_user):
    a = make_user(Role.HKH_XA, units.commune_a)
    b = make_user(Role.HKH_XA, units.commune_b)

    def person(actor, village, name, **kw):
        return services.person_create(actor=actor, village=village, full_name=name, **kw)

    long_ = person(a, units.village_a1, "Hoàng Văn Long", birth_year=1960)
    lan = person(a, units.village_a1, "Trần Thị Lan", birth_year=1962)
    minh = person(a, units.village_a2, "Hoàng Văn Minh", birth_year=1990)
    other = person(b, units.village_b1, "Lê Văn Hải", birth_year=1970)
    hh1 = services.household_create(actor=a, village=units.village_a1, head=long_, code="HH-1")
    services.household_add_member(actor=a, household=hh1, person=lan, relation=Relation.SPOUSE)
    hh2 = services.household_create(actor=a, village=units.village_a2, head=minh, code="HH-2")
    hh_b = services.household_create(actor=b, village=units.village_b1, head=other, code="HH-B")
    clan = services.clan_create(actor=a, commune=units.commune_a, name="Họ Hoàng Đăk Mar", head=long_)
    services.clan_add_household(actor=a, clan=clan, household=hh2)
    org1 = services.organisation_create(
        actor=a, unit=units.commune_a, name="Trường THCS Đăk Mar", kind="truong_hoc"
    )
    org2 = services.organisation_create(
        actor=a, unit=units.commune_a, name="Trường THCS Dak Mar", kind="truong_hoc"
    )
    services.org_staff_add(
        actor=a, organisation=org1, person=lan, category="vien_chuc", position="Hiệu trưởng"
    )
    services.org_staff_add(
        actor=a, organisation=org2, person=minh, category="vien_chuc", position="Giáo viên"
    )
    org_b = services.organisation_create(actor=b, unit=units.commune_b, name="UBND Kon Tum", kind="co_quan")
    centre = services.centre_create(actor=a, commune=units.commune_a, name="TTHTCĐ Đăk Mar", director=long_)
    branch = services.branch_create(actor=a, unit=units.commune_a, name="Hội Khuyến học Đăk Mar")
    branch_b = services.branch_create(actor=b, unit=units.commune_b, name="Hội Khuyến học Kon Tum")
    m1 = services.member_add(actor=a, branch=branch, person=long_, is_officer=True, position="Chủ tịch")
    m_b = services.member_add(actor=b, branch=branch_b, person=other)
    return locals()


def test_api_lists_and_gets_other_registries_in_scope(world, login):
    w = world
    ca, cb = login(w["a"]), login(w["b"])
    cases = [
        ("households", w["hh1"], w["hh_b"]),
        ("clans", w["clan"], None),
        ("organisations", w["org1"], w["org_b"]),
        ("centres", w["centre"], None),
        ("association-members", w["m1"], w["m_b"]),
    ]
    for path, mine, theirs in cases:
        items = ca.get(f"/api/registry/{path}").json()["items"]
        ids = {i["id"] for i in items}
        assert mine.pk in ids, path
        if theirs is not None:
            assert theirs.pk not in ids, path
            assert ca.get(f"/api/registry/{path}/{theirs.pk}").status_code == 404, path
        assert ca.get(f"/api/registry/{path}/{mine.pk}").status_code == 200, path
        assert cb.get(f"/api/registry/{path}/{mine.pk}").status_code == 404, path
    hh = ca.get(f"/api/registry/households/{w['hh1'].pk}").json()
    assert hh["head"]["name"] == "Hoàng Văn Long"
    assert {m["person"]["name"]: m["relation"] for m in hh["members"]} == {
        "Hoàng Văn Long": "chu_ho",
        "Trần Thị Lan": "vo_chong",
    }
    # the head's name without diacritics finds the household
    assert [
        i["code"] for i in ca.get("/api/registry/households", {"q": "hoang van minh"}).json()["items"]
    ] == ["HH-2"]
    assert (
        ca.get(f"/api/registry/organisations/{w['org1'].pk}").json()["staff"][0]["position"] == "Hiệu trưởng"
    )
    assert [
        i["person"]["name"]
        for i in ca.get("/api/registry/association-members", {"q": "long"}).json()["items"]
    ] == ["Hoàng Văn Long"]


def test_household_merge_page_keeps_both_histories(world, login):
    w = world
    c = login(w["a"])
    assert c.get(f"/so-dang-ky/ho/{w['hh1'].pk}/gop/").status_code == 200
    # another commune's household is not found by its code
    r = c.post(
        f"/so-dang-ky/ho/{w['hh1'].pk}/gop/",
        {"other": "HH-B", "drop_head_relation": "con", "on": "2025-08-01"},
    )
    assert r.status_code == 400 and "HH-B" in r.content.decode()
    r = c.post(
        f"/so-dang-ky/ho/{w['hh1'].pk}/gop/",
        {"other": "HH-2", "drop_head_relation": "con", "on": "2025-08-01"},
    )
    assert r.status_code == 302
    hh2 = Household.objects.get(code="HH-2")
    assert hh2.merged_into_id == w["hh1"].pk
    current = dict(
        HouseholdMember.objects.filter(household=w["hh1"], valid_to__isnull=True).values_list(
            "person__full_name", "relation"
        )
    )
    assert current == {"Hoàng Văn Long": "chu_ho", "Trần Thị Lan": "vo_chong", "Hoàng Văn Minh": "con"}
    # the merged household keeps its dated rows; its clan link moved
    old = HouseholdMember.objects.get(household=hh2, person=w["minh"])
    assert old.relation == "chu_ho" and old.valid_to == dt.date(2025, 8, 1)
    assert ClanHousehold.objects.filter(clan=w["clan"], household=w["hh1"], valid_to__isnull=True).exists()
    assert not ClanHousehold.objects.filter(household=hh2, valid_to__isnull=True).exists()
    assert AuditEvent.objects.filter(model="registry.household", object_pk=str(hh2.pk)).exists()
    html = c.get(f"/so-dang-ky/ho/{hh2.pk}/").content.decode()
    assert "HH-1" in html
    assert "HH-2" not in [i["code"] for i in c.get("/api/registry/households").json()["items"]]
    # once merged, it cannot be merged again
    assert c.get(f"/so-dang-ky/ho/{hh2.pk}/gop/").status_code == 404


def test_organisation_merge_moves_staff_and_ends_the_other(world, login):
    w = world
    c = login(w["a"])
    page = c.get(f"/so-dang-ky/don-vi/{w['org1'].pk}/gop/").content.decode()
    assert "Trường THCS Dak Mar" in page and "UBND Kon Tum" not in page
    r = c.post(f"/so-dang-ky/don-vi/{w['org1'].pk}/gop/", {"other": w["org2"].pk, "on": "2025-09-01"})
    assert r.status_code == 302
    org2 = Organisation.objects.get(pk=w["org2"].pk)
    assert org2.merged_into_id == w["org1"].pk and org2.valid_to == dt.date(2025, 8, 31)
    moved = OrgMembership.objects.get(organisation=w["org1"], person=w["minh"])
    assert (moved.category, moved.position, moved.valid_from) == (
        "vien_chuc",
        "Giáo viên",
        dt.date(2025, 9, 1),
    )
    assert OrgMembership.objects.get(organisation=org2, person=w["minh"]).valid_to == dt.date(2025, 8, 31)
    # another commune's organisation cannot be chosen
    r = c.post(f"/so-dang-ky/don-vi/{w['org1'].pk}/gop/", {"other": w["org_b"].pk, "on": "2025-09-01"})
    assert r.status_code == 400


def test_branch_edit_moves_members_with_it(world, login, units):
    w = world
    c = login(w["a"])
    url = f"/so-dang-ky/hoi-vien/chi-hoi/{w['branch'].pk}/sua/"
    assert c.get(url).status_code == 200
    assert login(w["b"]).get(url).status_code == 404
    r = c.post(url, {"name": "Chi hội Khuyến học Thôn 1", "unit": units.village_a1.pk})
    assert r.status_code == 302
    w["branch"].refresh_from_db()
    assert w["branch"].name == "Chi hội Khuyến học Thôn 1"
    assert AssociationMember.objects.get(pk=w["m1"].pk).unit_path == units.village_a1.path
    r = c.post(url, {"name": "", "unit": units.village_a1.pk})
    assert r.status_code == 400


def test_attendance_is_searched_and_paged_not_capped(world, login, units):
    w = world
    a = w["a"]
    people = [
        services.person_create(actor=a, village=units.village_a2, full_name=f"Nguyễn Văn Học {i:03d}")
        for i in range(120)
    ]
    for p in people:
        services.member_add(actor=a, branch=w["branch"], person=p)
    t = services.training_create(
        actor=a, unit=units.commune_a, name="Hội nghị quán triệt", kind="quan_triet", date=dt.date(2025, 3, 1)
    )
    c = login(a)
    first = c.get(f"/so-dang-ky/hoi-vien/tap-huan/{t.pk}/").content.decode()
    assert first.count('name="members"') == 100 and "sau=" in first
    page = c.get(f"/so-dang-ky/hoi-vien/tap-huan/{t.pk}/", {"q": "hoang long"}).content.decode()
    assert page.count('name="members"') == 1 and "Hoàng Văn Long" in page
    # a member beyond the first page is recorded too (validated against all candidates, not the page)
    last = AssociationMember.objects.get(person=people[-1])
    r = c.post(f"/so-dang-ky/hoi-vien/tap-huan/{t.pk}/", {"members": [last.pk, w["m1"].pk]})
    assert r.status_code == 302
    assert set(TrainingAttendance.objects.filter(training=t).values_list("member_id", flat=True)) == {
        last.pk,
        w["m1"].pk,
    }
    # another commune's member is refused
    r = c.post(f"/so-dang-ky/hoi-vien/tap-huan/{t.pk}/", {"members": [w["m_b"].pk]})
    assert r.status_code == 200 and not TrainingAttendance.objects.filter(member=w["m_b"]).exists()
