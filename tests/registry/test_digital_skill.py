"""A digital skill not assessed (empty) is distinct from level 0 ("Chưa có") in the person form,
the person page and the people list's filter."""

from __future__ import annotations

from xhht.accounts.models import Role
from xhht.registry.models import Person

FORM = {
    "full_name": "Nguyễn Văn Mới",
    "birth_year": "1990",
    "sex": "M",
    "village": None,
    "occupation": "khac",
    "technical_qualification": "khong",
    "foreign_language": "khong",
}


def test_the_form_page_and_filter_tell_not_assessed_from_level_zero(units, make_user, login):
    c = login(make_user(Role.HKH_XA, units.commune_a))
    form = {**FORM, "village": units.village_a1.pk}
    assert c.post("/so-dang-ky/cong-dan/them/", {**form, "digital_skill": ""}).status_code == 302
    assert (
        c.post(
            "/so-dang-ky/cong-dan/them/", {**form, "full_name": "Trần Thị Không", "digital_skill": "0"}
        ).status_code
        == 302
    )
    unassessed = Person.objects.get(full_name="Nguyễn Văn Mới")
    none = Person.objects.get(full_name="Trần Thị Không")
    assert unassessed.digital_skill is None and none.digital_skill == 0

    page = c.get(f"/so-dang-ky/cong-dan/{unassessed.pk}/").content.decode()
    assert "<td>Chưa đánh giá</td>" in page
    page = c.get(f"/so-dang-ky/cong-dan/{none.pk}/").content.decode()
    assert "<td>Chưa có</td>" in page

    page = c.get("/so-dang-ky/cong-dan/", {"digital_skill": "chua-danh-gia"}).content.decode()
    assert "Nguyễn Văn Mới" in page and "Trần Thị Không" not in page
    page = c.get("/so-dang-ky/cong-dan/", {"digital_skill": "0"}).content.decode()
    assert "Trần Thị Không" in page and "Nguyễn Văn Mới" not in page
