from tests import factories
from xhht.accounts.models import Role


def test_commune_officer_sees_home_and_tree_and_is_refused_another_commune(page, login_as):
    m = factories.demo_map()
    officer = factories.make_user(Role.HKH_XA, m.commune_a, username="hkh_dakmar", full_name="Nguyễn Thị Hoa")
    login_as(page, officer)

    # Vietnamese home page with the officer's role and commune.
    assert page.locator("html").get_attribute("lang") == "vi"
    assert "Xin chào, Nguyễn Thị Hoa" in page.inner_text("h1")
    assert "Xã Đăk Mar" in page.inner_text("main")
    assert "Cán bộ Hội Khuyến học xã" in page.inner_text("main")

    # The unit tree: the commune is the root; opening it lazy-loads its villages (htmx).
    page.goto("/don-vi/")
    page.click("summary:has-text('Xã Đăk Mar')")
    page.wait_for_selector("text=Thôn 1")
    assert page.locator("text=Thôn 2").count() == 1
    # Nothing of the other commune appears in the tree.
    assert "Phường Kon Tum" not in page.inner_text("main")

    # URL tampering: another commune's page is refused (404, no hint it exists).
    resp = page.goto(f"/don-vi/{m.commune_b.pk}/")
    assert resp.status == 404
    assert "Kon Tum" not in page.inner_text("main")
    resp = page.goto(f"/don-vi/{m.village_b1.pk}/")
    assert resp.status == 404
    resp = page.goto(f"/api/geo/units/{m.commune_b.pk}")
    assert resp.status == 404


def test_phone_width_has_no_horizontal_scroll_and_english_switch(page, login_as):
    m = factories.demo_map()
    officer = factories.make_user(Role.UBND_XA, m.commune_a)
    login_as(page, officer)
    page.goto(f"/don-vi/{m.commune_a.pk}/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"page is {width}px wide at a 360px screen"
    page.click("button:has-text('English')")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("button:has-text('Tiếng Việt')")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "vi"
