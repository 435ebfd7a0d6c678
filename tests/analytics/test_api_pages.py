"""The analytics and plans JSON API and the /chi-so/ page: same numbers as the dashboards, same scope."""

from __future__ import annotations

import pytest

from tests.analytics.gen import generate
from xhht.accounts.models import Role
from xhht.analytics import services
from xhht.plans.services import load_plans
from xhht.recognition.models import Recognition
from xhht.registry.models import Household


@pytest.fixture
def data(units):
    load_plans()
    g = generate(units)
    services.rebuild()
    return g


def _gdht(path):
    n = Recognition.objects.filter(
        title="GDHT", year=2025, revoked_at__isnull=True, unit_path__startswith=path
    ).count()
    return n, Household.objects.filter(unit_path__startswith=path).count()


def test_values_api_per_unit_and_below_and_scope(units, data, make_user, login):
    c = login(make_user(Role.SO_GDDT, units.province))
    r = c.get(f"/api/analytics/values?unit={units.commune_a.pk}&years=2024,2025&codes=GDHT_RATE&below=true")
    assert r.status_code == 200
    items = {(i["unit_id"], i["year"]): i for i in r.json()["items"]}
    n, hh = _gdht(units.commune_a.path)
    mine = items[(units.commune_a.pk, 2025)]
    assert (mine["numerator"], mine["denominator"]) == (n, hh) and n > 0
    assert mine["value"] == pytest.approx(round(n * 100 / hh, 2))
    n1, hh1 = _gdht(units.village_a1.path)
    v1 = items[(units.village_a1.pk, 2025)]
    assert (v1["numerator"], v1["denominator"]) == (n1, hh1)
    assert {i["indicator"] for i in r.json()["items"]} == {"GDHT_RATE"}
    # a commune officer sees their commune, not the other one
    ca = login(make_user(Role.HKH_XA, units.commune_a))
    assert ca.get(f"/api/analytics/values?unit={units.commune_a.pk}&year=2025").status_code == 200
    assert ca.get(f"/api/analytics/values?unit={units.commune_b.pk}&year=2025").status_code == 404


def test_plans_api_dashboard_matches_page(units, data, make_user, login):
    c = login(make_user(Role.SO_GDDT, units.province))
    codes = [p["code"] for p in c.get("/api/plans/").json()]
    assert "kh-1514-kon-tum-2022" in codes
    api = c.get("/api/plans/kh-1514-kon-tum-2022/dashboard?year=2025").json()
    page = c.get("/ke-hoach/kh-1514-kon-tum-2022/bang-dieu-khien/?nam=2025").context
    assert api["unit_id"] == page["unit"].pk
    assert len(api["targets"]) == len(page["rows"]) == 17
    for t, row in zip(api["targets"], page["rows"], strict=True):
        assert t["light"] == row.light
        if row.current:
            assert t["numerator"] == row.current.numerator
    assert [x["unit_id"] for x in api["ranking"]] == [x["unit"].pk for x in page["ranking"]]
    ca = login(make_user(Role.HKH_XA, units.commune_a))
    r = ca.get(f"/api/plans/kh-1514-kon-tum-2022/dashboard?unit={units.commune_b.pk}")
    assert r.status_code == 404


def test_indicator_page_drills_down_and_is_scoped(units, data, make_user, login):
    c = login(make_user(Role.SO_GDDT, units.province))
    r = c.get(f"/chi-so/?don_vi={units.commune_a.pk}&nam=2025")
    assert r.status_code == 200
    html = r.content.decode()
    n, hh = _gdht(units.commune_a.path)
    row = next(x for x in r.context["rows"] if x["ind"].code == "GDHT_RATE")
    assert (row["v"].numerator, row["v"].denominator) == (n, hh)
    assert (
        f"?don_vi={units.village_a1.pk}&amp;nam=2025" in html
        or f"?don_vi={units.village_a1.pk}&nam=2025" in html
    )
    r = c.get(f"/chi-so/?don_vi={units.village_a1.pk}&nam=2025")
    row = next(x for x in r.context["rows"] if x["ind"].code == "GDHT_RATE")
    assert (row["v"].numerator, row["v"].denominator) == _gdht(units.village_a1.path)
    ca = login(make_user(Role.HKH_XA, units.commune_a))
    assert ca.get("/chi-so/").context["unit"].pk == units.commune_a.pk
    assert ca.get(f"/chi-so/?don_vi={units.commune_b.pk}").status_code == 404
