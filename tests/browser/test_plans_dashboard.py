"""A province officer opens the Kon Tum plan's dashboard, drills down to a commune and downloads the
yearly report; the XLSX opens with openpyxl and its figures match the dashboard."""

from __future__ import annotations

import openpyxl

from tests import factories
from xhht.accounts.models import Role
from xhht.analytics import services as analytics
from xhht.core.titles import SubjectType, Title
from xhht.geo.models import AdminUnit, Kind, Level, UnitSuccession
from xhht.plans.services import load_plans
from xhht.recognition.models import Recognition
from xhht.registry.models import Household


def test_plan_dashboard_drill_down_and_yearly_report(page, login_as, tmp_path):
    # Browser tests run on a flushed database: load the official map (legacy Kon Tum communes and
    # their successors) so the plan's former territory maps to today's communes.
    from xhht.geo.loader import load_units

    load_units()
    m = factories.demo_map()
    kontum, _c = AdminUnit.objects.get_or_create(
        path="VN/L62/",
        defaults={
            "code": "L62",
            "name": "Tỉnh Kon Tum",
            "kind": Kind.PROVINCE,
            "level": Level.PROVINCE,
            "parent": m.country,
            "valid_to": "2025-06-30",
        },
    )
    UnitSuccession.objects.get_or_create(
        predecessor=kontum, successor=m.province, defaults={"effective": "2025-07-01", "kind": "reform_2025"}
    )
    load_plans()
    for i, v in enumerate([m.village_a1, m.village_a1, m.village_a2, m.village_b1]):
        hh = Household.objects.create(code=f"HB{i}", village=v)
        if i % 2 == 0:
            Recognition.objects.create(
                title=Title.GDHT,
                year=2025,
                subject_type=SubjectType.HOUSEHOLD,
                subject_id=hh.pk,
                subject_name=f"Hộ {i}",
                unit=v,
                unit_path=v.path,
                valid_from="2025-12-01",
            )
    analytics.rebuild()
    user = factories.make_user(Role.SO_GDDT, m.province)
    login_as(page, user)
    page.goto("/ke-hoach/kh-1514-kon-tum-2022/bang-dieu-khien/?nam=2025")
    card = page.locator("article[data-indicator=GDHT_RATE][data-year='2025']")
    assert card.locator(".xh-actual").inner_text() == "50,00%"  # 2 of 4 households
    page.locator("a.xh-drill", has_text="Xã Đăk Mar").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith("Xã Đăk Mar")
    card = page.locator("article[data-indicator=GDHT_RATE][data-year='2025']")
    assert card.locator(".xh-actual").inner_text() == "66,67%"  # 2 of the commune's 3 households
    page.click("#report-link")
    page.click("#start-report")
    page.wait_for_selector("#download-xlsx")
    with page.expect_download() as dl:
        page.click("#download-xlsx")
    path = tmp_path / "report.xlsx"
    dl.value.save_as(path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Chỉ tiêu - thực hiện"]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == 2025 and r[2] == "GDHT_RATE")
    assert abs(row[header.index("Thực hiện")] - 66.67) < 1e-9
    assert row[header.index("Tử số")] == 2 and row[header.index("Mẫu số")] == 3
