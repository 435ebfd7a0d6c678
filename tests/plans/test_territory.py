"""A plan applies to its own territory — the former Kon Tum province for KH 1514 — and a target whose
year has passed is judged on that year's figures. Through the pages (and the API) as officers."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.analytics.gen import recognise
from xhht.accounts.models import Role
from xhht.analytics import services as analytics
from xhht.core.titles import SubjectType, Title
from xhht.geo.models import AdminUnit, UnitSuccession
from xhht.plans import selectors
from xhht.plans.models import Indicator, Plan, Target
from xhht.plans.services import load_plans
from xhht.registry.models import Household

KONTUM = "/ke-hoach/kh-1514-kon-tum-2022/bang-dieu-khien/"


@pytest.fixture
def plans(db):
    load_plans()


def quang_ngai_commune_never_in_kon_tum() -> AdminUnit:
    """A commune of today's Quảng Ngãi formed only from the former Quảng Ngãi province."""
    kontum_parts = UnitSuccession.objects.filter(predecessor__path__startswith="VN/L62/").values(
        "successor_id"
    )
    return (
        AdminUnit.objects.filter(path__startswith="VN/51/", level=3, valid_to__isnull=True)
        .exclude(pk__in=kontum_parts)
        .order_by("path")
        .first()
    )


def test_kon_tum_plan_applies_to_the_former_kon_tum_only(units, plans):
    plan = Plan.objects.get(code="kh-1514-kon-tum-2022")
    outside = quang_ngai_commune_never_in_kon_tum()
    assert outside is not None
    assert selectors.in_territory(plan, AdminUnit.objects.get(path="VN/L62/"))
    assert selectors.in_territory(plan, units.commune_a) and selectors.in_territory(plan, units.village_a1)
    assert selectors.in_territory(plan, units.commune_b)
    assert not selectors.in_territory(plan, outside)
    assert not selectors.in_territory(plan, units.province)  # today's Quảng Ngãi is more than Kon Tum
    assert not selectors.in_territory(plan, units.country)
    assert not selectors.in_territory(plan, AdminUnit.objects.get(path="VN/L51/"))  # former Quảng Ngãi
    # a plan of the former Thừa Thiên Huế covers today's Huế, formed from it alone
    hue = Plan.objects.get(code="kh-182-thua-thien-hue-2024")
    assert selectors.in_territory(hue, AdminUnit.objects.get(path="VN/46/"))
    assert not selectors.in_territory(hue, units.province)
    # national instruments apply everywhere
    assert selectors.in_territory(Plan.objects.get(code="qd-387-2022"), outside)


def test_a_commune_made_of_parts_of_two_former_provinces_belongs_to_both(units, plans):
    preds: dict[int, set[str]] = {}
    for succ, pred in UnitSuccession.objects.filter(
        successor__level=3, successor__valid_to__isnull=True
    ).values_list("successor_id", "predecessor__path"):
        preds.setdefault(succ, set()).add(pred.split("/")[1])
    commune_id, provinces = next((k, v) for k, v in sorted(preds.items()) if len(v) > 1)
    commune = AdminUnit.objects.get(pk=commune_id)
    for code in provinces:
        plan = Plan.objects.create(
            code=f"thu-{code.lower()}",
            kind="tinh",
            title=f"Kế hoạch thử của tỉnh {code}",
            territory=AdminUnit.objects.get(path=f"VN/{code}/"),
            start_year=2021,
            end_year=2030,
        )
        assert selectors.in_territory(plan, commune)
        assert not selectors.in_territory(plan, commune.parent)  # the whole province is not


def test_dashboard_for_a_unit_outside_the_territory_says_so(units, plans, make_user, login):
    outside = quang_ngai_commune_never_in_kon_tum()
    c = login(make_user(Role.SO_GDDT, units.province))
    for unit in (outside, units.province):
        r = c.get(f"{KONTUM}?nam=2025&don_vi={unit.pk}")
        body = r.content.decode()
        assert r.status_code == 400
        assert f"{unit.name} không thuộc địa bàn áp dụng của 1514/KH-UBND" in body
        assert "Tỉnh Kon Tum (địa bàn trước ngày 01/07/2025)" in body
        assert "xh-target-card" not in body and "Đã đạt" not in body  # no figure at all
        assert f'href="{KONTUM}?don_vi={units.commune_a.pk}"' in body  # where to go instead
        r = c.get(f"/ke-hoach/kh-1514-kon-tum-2022/du-lieu/chi-tieu.csv?nam=2025&don_vi={unit.pk}")
        assert r.status_code == 400 and "không thuộc địa bàn áp dụng" in r.content.decode()
        r = c.get(f"/api/plans/kh-1514-kon-tum-2022/dashboard?unit={unit.pk}&year=2025")
        assert r.status_code == 400 and "không thuộc địa bàn áp dụng" in r.json()["detail"]
    # inside: the former province, a commune formed from it, one of its villages
    for unit in (AdminUnit.objects.get(path="VN/L62/"), units.commune_a, units.village_a1):
        r = c.get(f"{KONTUM}?nam=2025&don_vi={unit.pk}")
        assert r.status_code == 200 and r.context["unit"].pk == unit.pk
    # the breadcrumbs of a commune lead up to the former province, not to today's Quảng Ngãi
    crumbs = [a.path for a in c.get(f"{KONTUM}?don_vi={units.commune_a.pk}").context["ancestors"]]
    assert crumbs == ["VN/L62/"]
    assert c.get(f"/api/plans/kh-1514-kon-tum-2022/dashboard?unit={units.commune_a.pk}").status_code == 200


def test_an_officer_whose_commune_was_never_in_kon_tum_is_told_so(units, plans, make_user, login):
    outside = quang_ngai_commune_never_in_kon_tum()
    c = login(make_user(Role.HKH_XA, outside))
    r = c.get(KONTUM)
    assert r.status_code == 404
    assert "1514/KH-UBND áp dụng cho Tỉnh Kon Tum (địa bàn trước ngày 01/07/2025)" in r.content.decode()
    # the national programme is theirs
    r = c.get("/ke-hoach/qd-387-2022/bang-dieu-khien/")
    assert r.status_code == 200 and r.context["unit"].pk == outside.pk
    # a commune officer of a Kon Tum commune opens the plan on their commune
    c = login(make_user(Role.HKH_XA, units.commune_a))
    r = c.get(KONTUM)
    assert r.status_code == 200 and r.context["unit"].pk == units.commune_a.pk


# --- Past targets are judged on their own year ---------------------------------------------------


@pytest.fixture
def yearly_plan(units, plans):
    """A plan of today's Quảng Ngãi with a target for last year and one four years ahead, and
    households of Thôn 1 all recognised last year but none this year."""
    this = dt.date.today().year
    plan = Plan.objects.create(
        code="thu-nam-moc",
        kind="tinh",
        number="99/KH-UBND",
        title="Kế hoạch thử với năm mốc đã qua",
        territory=units.province,
        start_year=this - 3,
        end_year=this + 4,
    )
    gdht = Indicator.objects.get(code="GDHT_RATE")
    Target.objects.create(
        plan=plan, year=this - 1, indicator=gdht, value=80, text="80% GĐHT năm trước", order=1
    )
    Target.objects.create(plan=plan, year=this + 4, indicator=gdht, value=90, text="90% GĐHT", order=1)
    for i in range(2):
        hh = Household.objects.create(code=f"NM{i}", village=units.village_a1)
        recognise(Title.GDHT, this - 1, SubjectType.HOUSEHOLD, hh.pk, f"Hộ {i}", units.village_a1)
    analytics.rebuild()
    return plan


def test_a_past_target_is_judged_on_its_own_year(units, yearly_plan, make_user, login):
    this = dt.date.today().year
    c = login(make_user(Role.SO_GDDT, units.province))
    r = c.get(f"/ke-hoach/thu-nam-moc/bang-dieu-khien/?don_vi={units.commune_a.pk}")
    assert r.status_code == 200 and r.context["year"] == this  # the plan runs on: this year by default
    rows = {x.target.year: x for x in r.context["rows"]}
    past, future = rows[this - 1], rows[this + 4]
    assert past.year == this - 1 and past.current.value == 100 and past.light == "da_dat"
    assert future.year == this and future.current.value == 0
    body = r.content.decode()
    card = body[body.index(f'data-year="{this - 1}"') :]
    card = card[: card.index("</article>")]
    assert "Đã đạt" in card and "100,00%" in card and f"Đánh giá theo số liệu năm {this - 1}" in card
    assert "Chậm tiến độ" not in card
    api = c.get(f"/api/plans/thu-nam-moc/dashboard?unit={units.commune_a.pk}").json()
    past_api = next(t for t in api["targets"] if t["year"] == this - 1)
    assert (
        past_api["judged_year"] == this - 1 and past_api["current"] == 100 and past_api["light"] == "da_dat"
    )


def test_a_missed_past_target_is_not_reached_rather_than_late(units, yearly_plan, make_user, login):
    this = dt.date.today().year
    Target.objects.filter(plan=yearly_plan, year=this - 1).update(value=100.5)
    c = login(make_user(Role.SO_GDDT, units.province))
    r = c.get(f"/ke-hoach/thu-nam-moc/bang-dieu-khien/?don_vi={units.commune_a.pk}&nam={this + 1}")
    past = next(x for x in r.context["rows"] if x.target.year == this - 1)
    assert past.year == this - 1 and past.light == "khong_dat" and str(past.light_label) == "Không đạt"
    assert past.needed_pace is None and past.projected is None


def test_a_plan_whose_milestones_have_passed_opens_on_its_last_milestone(
    units, yearly_plan, make_user, login
):
    this = dt.date.today().year
    Target.objects.filter(plan=yearly_plan, year=this + 4).delete()
    Plan.objects.filter(pk=yearly_plan.pk).update(end_year=this - 1)
    c = login(make_user(Role.SO_GDDT, units.province))
    r = c.get(f"/ke-hoach/thu-nam-moc/bang-dieu-khien/?don_vi={units.commune_a.pk}")
    assert r.context["year"] == this - 1
    assert f'<option value="{this - 1}" selected>' in r.content.decode()
    assert r.context["rows"][0].current.value == 100
    # the report form opens on the same year
    r = c.get("/bao-cao/?ke_hoach=thu-nam-moc")
    assert r.context["year"] == this - 1
