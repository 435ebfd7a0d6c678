import pytest

from xhht.accounts.models import Role

pytestmark = pytest.mark.django_db


def test_officer_home_shows_role_and_unit_with_counts(units, make_user, login):
    officer = make_user(Role.SO_GDDT, units.province, full_name="Trần Thị Minh Hà")
    body = login(officer).get("/").content.decode()
    assert "Xin chào, Trần Thị Minh Hà" in body
    assert "Cán bộ Sở Giáo dục và Đào tạo" in body and "Tỉnh Quảng Ngãi" in body
    assert "96 xã, phường" in body


def test_navigation_depends_on_role(units, make_user, login):
    approver = make_user(Role.UBND_XA, units.commune_a)
    reviewer = make_user(Role.HKH_XA, units.commune_a)
    assert "Nhật ký thay đổi" in login(approver).get("/").content.decode()
    assert "Nhật ký thay đổi" not in login(reviewer).get("/").content.decode()


def test_citizen_and_unverified_accounts_go_to_the_citizen_pages(units, make_user, login):
    citizen = make_user(Role.CONG_DAN, units.village_a1)
    r = login(citizen).get("/")
    assert r.status_code == 302 and r["Location"].startswith("/cong-dan/")
    pending = make_user(None, None)
    r = login(pending).get("/")
    assert r.status_code == 302 and r["Location"].startswith("/cong-dan/")
