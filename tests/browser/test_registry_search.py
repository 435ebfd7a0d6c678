from tests import factories
from xhht.accounts.models import Role
from xhht.registry import services


def test_officer_searches_without_diacritics_and_finds_the_person(page, login_as):
    m = factories.demo_map()
    officer = factories.make_user(Role.HKH_XA, m.commune_a, username="hkh_search")
    hoa = services.person_create(
        actor=officer,
        village=m.village_a1,
        full_name="Nguyễn Thị Hoa",
        birth_year=1990,
        sex="F",
        cccd="051190000123",
    )
    services.person_create(actor=officer, village=m.village_a2, full_name="Trần Văn Hùng", birth_year=1985)
    login_as(page, officer)

    page.goto("/so-dang-ky/cong-dan/")
    page.fill("input[name=q]", "nguyen thi hoa")
    page.keyboard.press("Enter")
    page.wait_for_selector("#people-results a:has-text('Nguyễn Thị Hoa')")
    assert "Trần Văn Hùng" not in page.inner_text("#people-results")
    page.click("#people-results a:has-text('Nguyễn Thị Hoa')")
    page.wait_for_url(f"**/so-dang-ky/cong-dan/{hoa.pk}/")
    assert "051190000123" in page.inner_text("main")
    assert "Thôn 1" in page.inner_text("main")
