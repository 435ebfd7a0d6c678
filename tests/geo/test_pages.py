import pytest

from xhht.accounts.models import Role
from xhht.geo.models import AdminUnit

pytestmark = pytest.mark.django_db


def test_search_without_diacritics_page(units, make_user, login):
    c = login(make_user(Role.SO_GDDT, units.province))
    body = c.get("/don-vi/tim/", {"q": "dak mar"}).content.decode()
    assert "Xã Đăk Mar" in body
    # htmx partial
    r = c.get("/don-vi/tim/", {"q": "dak mar"}, HTTP_HX_REQUEST="true")
    assert "Xã Đăk Mar" in r.content.decode() and "<html" not in r.content.decode()


def test_history_of_new_commune_shows_legacy_units(units, make_user, login):
    c = login(make_user(Role.SO_GDDT, units.province))
    body = c.get(f"/don-vi/{units.commune_a.pk}/").content.decode()
    assert "Trước đây là" in body
    assert "Huyện Đăk Hà" in body and "Tỉnh Kon Tum" in body


def test_history_of_legacy_district_lists_where_its_communes_went(units, make_user, login):
    c = login(make_user(Role.SO_GDDT, units.province))
    dak_ha = AdminUnit.objects.get(path="VN/L62/L615/")
    body = c.get(f"/don-vi/{dak_ha.pk}/").content.decode()
    assert "Các xã của huyện nay thuộc về" in body and "Xã Đăk Mar" in body


def test_tree_children_partial_and_api(units, make_user, login):
    c = login(make_user(Role.SO_GDDT, units.province))
    body = c.get(f"/don-vi/{units.province.pk}/con/").content.decode()
    assert "Xã Đăk Mar" in body and "Phường Kon Tum" in body
    data = c.get(f"/api/geo/units/{units.commune_a.pk}/children").json()
    assert {d["name"] for d in data} >= {"Thôn 1", "Thôn 2"}


def test_vietnamese_formats_and_english_switch(units, make_user, login):
    c = login(make_user(Role.HKH_XA, units.commune_a))
    body = c.get(f"/don-vi/{units.commune_a.pk}/").content.decode()
    assert "01/07/2025" in body  # dd/mm/yyyy
    assert '<html lang="vi"' in body
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = c.get("/").content.decode()
    assert '<html lang="en"' in body
    assert "Log out" in body and "Đăng xuất" not in body


def test_number_format_is_vietnamese():
    from django.template import Context, Template
    from django.utils import translation

    with translation.override("vi"):
        out = Template("{% load humanize %}{{ n|intcomma }} {{ y }}").render(
            Context({"n": 1234.5, "y": 2025})
        )
    assert out == "1.234,5 2025"


def test_admin_site_only_for_system_administrators(units, make_user, login):
    officer = make_user(Role.SO_GDDT, units.province, is_staff=False)
    assert login(officer).get("/quan-tri/").status_code == 302
    admin = make_user(None, None, is_staff=True, is_superuser=True)
    assert login(admin).get("/quan-tri/geo/adminunit/").status_code == 200
