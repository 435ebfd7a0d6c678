"""Browser, at phone width: a provincial officer reads a set with provisional numbers, sees what is
provisional and why, and confirms it for the province; the page never scrolls sideways."""

from __future__ import annotations

from tests import factories
from xhht.accounts.models import Role
from xhht.criteria.loader import load_defaults
from xhht.criteria.models import CriteriaSetConfirmation


def test_officer_confirms_a_provisional_set_on_a_phone(page, login_as):
    load_defaults(publish=True)
    province = factories.unit("VN/51/")
    user = factories.make_user(Role.SO_GDDT, province, full_name="Trần Thị Minh Hà")
    login_as(page, user)
    page.goto("/tieu-chi/?danh_hieu=GDHT")
    row = page.locator("tr", has_text="Bộ tiêu chí Gia đình học tập")
    assert "Tạm tính — địa phương cần xác nhận" in row.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("text=Bộ tiêu chí Gia đình học tập (QĐ 448/QĐ-KHVN)")
    page.wait_for_selector("#provisional")
    assert "Tạm tính" in page.inner_text("#ind-1\\.1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.fill("#confirm-form textarea[name=can_cu]", "Đối chiếu Hướng dẫn của Sở GD-ĐT tỉnh Quảng Ngãi")
    page.click("#confirm-set")
    page.wait_for_selector("#confirmations")
    assert "Trần Thị Minh Hà" in page.inner_text("#confirmations")
    assert CriteriaSetConfirmation.objects.filter(province=province, confirmed_by=user).exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
