"""An officer gives a resident an account: a printed one-time password (changed at the first
login) or a set-password link (usable once); scoped to the officer's area, audited."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.recognition import helpers
from xhht.accounts.models import AuditEvent, Role, User
from xhht.portal import services
from xhht.portal.models import AccountClaim


@pytest.fixture
def hoa(units):
    return helpers.person(
        units.village_a1, "Phạm Thị Hoà", cccd="062185004321", birth_date=dt.date(1985, 3, 9), phone=""
    )


def _login(username, password) -> Client:
    c = Client()
    resp = c.post("/tai-khoan/dang-nhap/", {"username": username, "password": password})
    assert resp.status_code == 302, resp.content.decode()[:500]
    return c


def test_one_time_password_must_be_changed_at_first_login(hoa, units, make_user, login):
    officer = login(make_user(Role.HKH_XA, units.commune_a))
    page = officer.get("/cong-dan/tao-tai-khoan/?q=hoà").content.decode()
    assert "Phạm Thị Hoà" in page and "…4321" in page and "062185004321" not in page
    assert "Phạm Thị Hoà" in officer.get("/cong-dan/tao-tai-khoan/?q=4321").content.decode()

    resp = officer.post("/cong-dan/tao-tai-khoan/", {"person": hoa.pk, "method": "password"})
    assert resp.status_code == 200 and resp["Cache-Control"] == "no-store"
    otp = re.search(r'id="one-time-password">([^<]+)<', resp.content.decode()).group(1)
    assert re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", otp)
    hoa.refresh_from_db()
    account = hoa.user
    assert account.username == "062185004321" and account.check_password(otp)
    assert AuditEvent.objects.filter(model="accounts.user", object_pk=str(account.pk)).exists()
    assert otp not in str(list(AuditEvent.objects.values_list("changes", flat=True)))

    # First login: every citizen page sends her to choose her own password.
    citizen = _login("062185004321", otp)
    assert citizen.get("/cong-dan/")["Location"] == "/cong-dan/doi-mat-khau/"
    resp = citizen.post("/cong-dan/doi-mat-khau/", {"new_password1": "123", "new_password2": "123"})
    assert resp.status_code == 200 and AccountClaim.objects.get(user=account).must_set_password
    citizen.post(
        "/cong-dan/doi-mat-khau/",
        {"new_password1": "hoc-tap-suot-doi-2025", "new_password2": "hoc-tap-suot-doi-2025"},
    )
    assert citizen.get("/cong-dan/").status_code == 200  # still logged in, no more redirect
    account.refresh_from_db()
    assert account.check_password("hoc-tap-suot-doi-2025") and not account.check_password(otp)


def test_set_password_link_works_once(hoa, units, make_user, login):
    officer = login(make_user(Role.UBND_XA, units.commune_a))
    body = officer.post("/cong-dan/tao-tai-khoan/", {"person": hoa.pk, "method": "link"}).content.decode()
    url = re.search(r'id="set-password-link"[^>]*>([^<]+)<', body).group(1)
    path = url.replace("http://testserver", "")
    assert path.startswith("/cong-dan/dat-mat-khau/") and "<svg" in body
    hoa.refresh_from_db()
    assert not hoa.user.has_usable_password()

    anon = Client()
    assert anon.get(path).status_code == 200
    resp = anon.post(path, {"new_password1": "hoc-tap-suot-doi", "new_password2": "hoc-tap-suot-doi"})
    assert resp["Location"] == "/cong-dan/"
    assert anon.get("/cong-dan/").status_code == 200  # logged in
    assert Client().get(path).status_code == 404  # used: the link no longer works
    _login("062185004321", "hoc-tap-suot-doi")
    assert Client().get("/cong-dan/dat-mat-khau/MQ/sai-ma/").status_code == 404


def test_scope_and_colleagues_accounts(hoa, units, make_user, login):
    other = login(make_user(Role.HKH_XA, units.commune_b))
    assert "Phạm Thị Hoà" not in other.get("/cong-dan/tao-tai-khoan/?q=hoà").content.decode()
    assert other.post("/cong-dan/tao-tai-khoan/", {"person": hoa.pk, "method": "password"}).status_code == 404
    assert (
        login(make_user(Role.CONG_DAN, units.village_a1)).get("/cong-dan/tao-tai-khoan/").status_code == 403
    )
    assert User.objects.filter(username="062185004321").count() == 0

    # Re-issuing works for a citizen who forgot the password, never for an officer's account.
    officer_user = make_user(Role.HKH_XA, units.commune_a)
    services.citizen_access_issue(user=officer_user, person=hoa, method="password")
    hoa.refresh_from_db()
    _account, otp2 = services.citizen_access_issue(user=officer_user, person=hoa, method="password")
    hoa.user.refresh_from_db()
    assert hoa.user.check_password(otp2)
    colleague = make_user(Role.TRUONG_THON, units.village_a1)
    p = helpers.person(units.village_a1, "Trưởng Thôn Một", cccd="062170000001", user=colleague)
    with pytest.raises(ValidationError, match="cán bộ"):
        services.citizen_access_issue(user=officer_user, person=p, method="link")
