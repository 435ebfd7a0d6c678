"""Browser, at phone width: choosing the Kon Tum plan on the report page offers the former Kon Tum
province and today's communes formed from it, not today's whole Quảng Ngãi; a dashboard link for a
unit outside the plan's territory explains itself."""

from __future__ import annotations

from tests import factories
from xhht.accounts.models import Role
from xhht.geo.models import AdminUnit, UnitSuccession
from xhht.plans.services import load_plans


def test_report_form_offers_the_plans_territory(page, login_as):
    from xhht.geo.loader import load_units

    load_units()
    m = factories.demo_map()
    load_plans()
    user = factories.make_user(Role.SO_GDDT, m.province)
    login_as(page, user)
    page.goto("/bao-cao/")
    page.select_option("#choose-plan select[name=ke_hoach]", "kh-1514-kon-tum-2022")
    page.wait_for_selector("#report-territory")
    options = page.locator("#id_don_vi option").all_inner_texts()
    assert options[0].startswith("Tỉnh Kon Tum") and "Xã Đăk Mar" in options
    assert "Tỉnh Quảng Ngãi" not in options
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    kontum_parts = UnitSuccession.objects.filter(predecessor__path__startswith="VN/L62/").values(
        "successor_id"
    )
    outside = (
        AdminUnit.objects.filter(path__startswith="VN/51/", level=3)
        .exclude(pk__in=kontum_parts)
        .order_by("path")
    ).first()
    page.goto(f"/ke-hoach/kh-1514-kon-tum-2022/bang-dieu-khien/?don_vi={outside.pk}")
    assert "không thuộc địa bàn áp dụng" in page.inner_text("#outside-territory")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
