"""The plan dashboard, the indicator page and the report page speak English when the user picks it
(catalogues compiled by ``make``)."""

from __future__ import annotations

from xhht.accounts.models import Role
from xhht.plans.services import load_plans


def test_dashboard_in_english(units, make_user, login):
    load_plans()
    c = login(make_user(Role.SO_GDDT, units.province))
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = c.get("/ke-hoach/kh-1514-kon-tum-2022/bang-dieu-khien/?nam=2025").content.decode()
    assert '<html lang="en"' in body
    assert "Targets and results" in body and "Chỉ tiêu và kết quả thực hiện" not in body
    assert "Trend by year" in body and "Ranking of the units below" in body
    assert "Milestone year" in body and "Năm mốc" not in body  # the data tables' headers
    assert "No data yet" in body or "Off track" in body or "Reached" in body
    body = c.get(f"/chi-so/?don_vi={units.commune_a.pk}").content.decode()
    assert "Units below" in body and "Đơn vị trực thuộc" not in body
    body = c.get("/ke-hoach/so-lieu/").content.decode()
    assert "Entered" in body and "Đã nhập" not in body
