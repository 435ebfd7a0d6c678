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


def test_measure_labels_follow_the_language(units, make_user, login):
    """Measure labels (e.g. "recognised as …", put together from a title) are translated when shown,
    not frozen in Vietnamese when the module is imported."""
    from django.urls import reverse

    load_plans()
    c = login(make_user(Role.SO_GDDT, units.province))
    dash = f"/ke-hoach/qd-387-2022/bang-dieu-khien/?nam=2025&don_vi={units.province.pk}"
    subjects = reverse("plans:subjects") + f"?don_vi={units.province.pk}&do_luong=rec:GDHT&nam=2025"
    body = c.get(dash).content.decode()
    assert 'title="Số được công nhận Gia đình học tập"' in body and 'title="Số hộ gia đình"' in body
    assert "Tỉ lệ hộ gia đình được công nhận Gia đình học tập" in body
    assert "Số được công nhận Gia đình học tập" in c.get(subjects).content.decode()

    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = c.get(dash).content.decode()
    assert 'title="Recognised as Learning family"' in body and 'title="Households"' in body
    assert "Số được công nhận" not in body and 'title="Số hộ gia đình"' not in body
    assert "Households recognised as learning families" in body  # indicator names in the ranking
    body = c.get(subjects).content.decode()
    assert "Recognised as Learning family" in body and "Số được công nhận" not in body
    body = c.get(
        reverse("plans:subjects") + f"?don_vi={units.province.pk}&do_luong=reg:DHHT&nam=2025"
    ).content
    assert "Registered for Learning clan" in body.decode()
