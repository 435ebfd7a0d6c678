import re

from tests import factories
from xhht.accounts.models import Role
from xhht.registry import services
from xhht.registry.models import Household


def test_head_of_household_is_picked_by_a_search_without_diacritics(page, login_as):
    m = factories.demo_map()
    officer = factories.make_user(Role.HKH_XA, m.commune_a, username="hkh_picker")
    dung = services.person_create(
        actor=officer, village=m.village_a1, full_name="Phạm Văn Dũng", birth_year=1970
    )
    services.person_create(actor=officer, village=m.village_a1, full_name="Phạm Thị Dung", birth_year=1975)
    login_as(page, officer)

    page.goto("/so-dang-ky/ho/them/")
    page.select_option("select[name=village]", str(m.village_a1.pk))
    page.fill("input[name=head_q]", "pham van dung")
    page.wait_for_selector("#picker-head label:has-text('Phạm Văn Dũng')")
    assert "Phạm Thị Dung" not in page.inner_text("#picker-head")
    page.click("#picker-head label:has-text('Phạm Văn Dũng')")
    assert page.is_checked(f"#picker-head input[value='{dung.pk}']")
    page.click("main form[method=post] button:has-text('Lưu')")
    page.wait_for_url(re.compile(r"/so-dang-ky/ho/\d+/$"))
    hh = Household.objects.get(head=dung)
    assert page.url.endswith(f"/so-dang-ky/ho/{hh.pk}/")
    assert "Phạm Văn Dũng" in page.inner_text("main")
