"""Browser: a provincial officer reads a criteria set on a phone, makes a new version, edits an
indicator in the page and publishes it."""

from __future__ import annotations

from tests import factories
from xhht.accounts.models import Role
from xhht.criteria.loader import load_defaults
from xhht.criteria.models import CriteriaSet, SetStatus


def test_manager_clones_and_publishes_a_set(page, login_as):
    load_defaults(publish=True)
    user = factories.make_user(Role.SO_GDDT, factories.unit("VN/51/"))
    login_as(page, user)
    page.goto("/tieu-chi/?danh_hieu=CDHT")
    page.click("text=Bộ tiêu chí Công dân học tập (QĐ 324/QĐ-KHVN)")
    page.wait_for_selector("article[data-code='1.1']")
    assert "Năng lực tự học, học tập suốt đời" in page.inner_text("main")
    # phone width: the page does not scroll sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("button:has-text('Tạo phiên bản mới')")
    page.wait_for_selector("text=Bản nháp")
    draft = CriteriaSet.objects.get(code="cdht-324", version=2)
    assert draft.status == SetStatus.DRAFT
    # edit one indicator in the page: a rejected value is explained and what was typed stays
    page.click("text=Sửa chỉ số 2.1")
    page.wait_for_selector("#indicator-form")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.fill("#id_label", "Sử dụng thành thạo điện thoại thông minh")
    page.fill("#id_min_points", "12")
    page.click("#indicator-form button[type=submit]")
    page.wait_for_selector("#error-min_points")
    assert page.input_value("#id_label") == "Sử dụng thành thạo điện thoại thông minh"
    page.fill("#id_min_points", "6")
    page.click("#indicator-form button[type=submit]")
    page.wait_for_selector("#ind-2\\.1")
    assert "Sử dụng thành thạo điện thoại thông minh" in page.inner_text("#ind-2\\.1")
    assert draft.indicator_set.get(code="2.1").label == "Sử dụng thành thạo điện thoại thông minh"
    page.click("text=Ban hành…")
    page.wait_for_selector("#preview-pass")
    page.click("#confirm-publish")
    page.wait_for_selector("#content-hash")
    draft.refresh_from_db()
    assert draft.status == SetStatus.PUBLISHED
    assert page.inner_text("#content-hash") == draft.content_hash
