"""The registry pages speak English when the user picks English (catalogue compiled by ``make``)."""

from __future__ import annotations

from xhht.accounts.models import Role
from xhht.registry import services


def test_people_list_and_person_page_in_english(units, make_user, login):
    officer = make_user(Role.HKH_XA, units.commune_a)
    p = services.person_create(
        actor=officer, village=units.village_a1, full_name="Nguyễn Thị Hoa", sex="F", birth_year=1990
    )
    c = login(officer)
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})

    body = c.get("/so-dang-ky/cong-dan/", {"q": "hoa"}).content.decode()
    assert '<html lang="en"' in body
    assert "Add a citizen" in body and "Thêm công dân" not in body
    assert "Occupation group" in body and "Nhóm nghề nghiệp" not in body
    assert "Year of birth" in body and "Public employee" in body
    assert "Nguyễn Thị Hoa" in body  # data stays as entered

    body = c.get(f"/so-dang-ky/cong-dan/{p.pk}/").content.decode()
    assert "Residence" in body and "Nơi cư trú" not in body

    body = c.get("/so-dang-ky/ho/them/").content.decode()
    assert "Head of household" in body and "Search by name (diacritics optional)" in body
