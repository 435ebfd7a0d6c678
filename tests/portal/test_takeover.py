"""The attacks of issue 12 on citizen accounts, reproduced: each now fails to get in.

- a claim of one commune linked by an officer of another (or by a village head);
- a record taken over at sign-up with the CCCD, name and birth date printed on the card;
- a CCCD squatted by a stranger's sign-up;
- a village head (or any officer) holding a citizen's working password;
- sign-up, codes and logins repeated without limit (password spraying across usernames).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.test import Client

from tests.recognition import helpers
from xhht.accounts.models import Role, User
from xhht.portal import services, sms
from xhht.portal.models import AccountClaim, ClaimStatus, VerificationCode

BIRTH = dt.date(1979, 8, 30)


@pytest.fixture
def binh(units):
    """A resident of Xã Đăk Mar with a CCCD and no phone (130 of 600 demo people are like him)."""
    return helpers.person(units.village_a1, "Y Bình", cccd="062079000777", birth_date=BIRTH, phone="")


@pytest.fixture
def kon_tum_resident(units):
    return helpers.person(
        units.village_b1, "Lê Văn Tâm", cccd="062080000888", birth_date=BIRTH, phone="0905000888"
    )


def _signup(client, **over):
    data = {
        "cccd": "062079000777",
        "full_name": "Y Bình",
        "birth_date": BIRTH.isoformat(),
        "phone": "0977000111",
        "password1": "ke-gian-mat-khau",
        "password2": "ke-gian-mat-khau",
        **over,
    }
    return client.post("/cong-dan/dang-ky-tai-khoan/", data)


def test_cross_commune_claim_resolution_is_refused(binh, kon_tum_resident, units, make_user, login):
    stranger = Client()
    _signup(stranger, full_name="Tên Bịa Đặt")
    claim = AccountClaim.objects.get()
    assert claim.unit_path == binh.unit_path  # placed in Đăk Mar
    for officer in (
        make_user(Role.HKH_XA, units.commune_b),  # Kon Tum's association officer
        make_user(Role.UBND_XA, units.commune_b),
    ):
        c = login(officer)
        r = c.post(
            f"/cong-dan/xac-minh-tai-khoan/{claim.pk}/",
            {"person": kon_tum_resident.pk, "action": "link", "card_checked": "1"},
        )
        assert r.status_code == 404
    village_head = login(make_user(Role.TRUONG_THON, units.village_a1))
    r = village_head.post(
        f"/cong-dan/xac-minh-tai-khoan/{claim.pk}/",
        {"person": binh.pk, "action": "link", "card_checked": "1"},
    )
    assert r.status_code == 403
    # Đăk Mar's officer cannot link it to a Kon Tum resident either (the person is out of scope)
    dak_mar = login(make_user(Role.HKH_XA, units.commune_a))
    r = dak_mar.post(
        f"/cong-dan/xac-minh-tai-khoan/{claim.pk}/",
        {"person": kon_tum_resident.pk, "action": "link", "card_checked": "1"},
    )
    assert r.status_code == 404
    claim.refresh_from_db()
    kon_tum_resident.refresh_from_db()
    binh.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING and kon_tum_resident.user is None and binh.user is None
    # and the stranger's account sees nothing of the registry
    assert "062080000888" not in stranger.get("/cong-dan/").content.decode()
    assert stranger.get(f"/so-dang-ky/nguoi/{binh.pk}/").status_code in (403, 404)


def test_sign_up_with_the_details_printed_on_the_card_takes_nothing(binh, client):
    r = _signup(client)
    assert r.status_code == 302
    binh.refresh_from_db()
    assert binh.user is None and sms.outbox == []  # no phone on record: only an officer can verify
    account = AccountClaim.objects.get().user
    assert account.username != "062079000777"
    body = client.get("/cong-dan/").content.decode()
    assert "062079000777" not in body and binh.village.name not in body and "Xác minh tài khoản" in body
    assert client.get(f"/so-dang-ky/nguoi/{binh.pk}/").status_code in (403, 404)
    assert client.get("/api/registry/people").status_code in (401, 403, 404) or (
        "062079000777" not in client.get("/api/registry/people").content.decode()
    )


def test_a_squatted_cccd_stays_claimable_by_its_owner(binh, units, make_user, login):
    squatter = Client()
    _signup(squatter, full_name="Kẻ Chiếm Chỗ")
    owner = Client()
    r1 = _signup(owner, password1="mat-khau-cua-binh", password2="mat-khau-cua-binh")
    # the same answer as for a CCCD nobody holds
    fresh = Client()
    r2 = _signup(fresh, cccd="062099111222", password1="mat-khau-khac-1", password2="mat-khau-khac-1")
    assert r1.status_code == r2.status_code == 302 and r1["Location"] == r2["Location"]
    assert "đã có tài khoản" not in owner.get("/cong-dan/").content.decode()
    assert not User.objects.filter(username="062079000777").exists()
    # the commune officer can still create the real person's account, after checking his card
    officer = login(make_user(Role.HKH_XA, units.commune_a))
    r = officer.post("/cong-dan/tao-tai-khoan/", {"person": binh.pk, "method": "print"})
    assert r.status_code == 200 and "set-password-link" in r.content.decode()
    binh.refresh_from_db()
    assert binh.user.username == "062079000777"
    # the squatter's claim is closed and its account disabled
    squat = AccountClaim.objects.get(full_name="Kẻ Chiếm Chỗ")
    assert squat.status == ClaimStatus.REJECTED and not squat.user.is_active


def test_the_code_goes_only_to_the_phone_on_the_record_and_cannot_be_guessed(binh, client):
    binh.phone = "0905777000"
    binh.save()
    _signup(client, phone="0977000111")
    assert [m["to"] for m in sms.outbox] == ["0905777000"]
    real = re.search(r"\b(\d{6})\b", sms.outbox[0]["text"]).group(1)
    wrong = [f"{(int(real) + i) % 10**6:06d}" for i in range(1, VerificationCode.MAX_ATTEMPTS + 1)]
    for code in wrong:
        r = client.post("/cong-dan/xac-minh/", {"code": code})
        assert r.status_code == 400 and "Mã không đúng" in r.content.decode()
    r = client.post("/cong-dan/xac-minh/", {"code": real})  # spent after five wrong tries
    assert r.status_code == 400
    binh.refresh_from_db()
    assert binh.user is None


def test_no_officer_can_log_in_as_a_citizen(binh, units, make_user, login):
    binh.phone = "0905777000"
    binh.save()
    officer_user = make_user(Role.UBND_XA, units.commune_a)
    account, _ = services.citizen_access_issue(user=officer_user, person=binh, method="send")
    account.set_password("mat-khau-cua-binh")
    account.save()
    for role in (Role.TRUONG_THON, Role.HKH_XA, Role.UBND_XA):
        c = login(make_user(role, units.commune_a if role != Role.TRUONG_THON else units.village_a1))
        r = c.post("/cong-dan/tao-tai-khoan/", {"person": binh.pk, "method": "send"}, follow=True)
        body = r.content.decode()
        assert "dat-mat-khau" not in body  # the link went to the citizen's phone only
        assert "mat-khau-cua-binh" not in body
    account.refresh_from_db()
    assert account.check_password("mat-khau-cua-binh")  # his own password still works


def test_sign_up_and_codes_are_rate_limited(db, client):
    limit = int(settings.XHHT_THROTTLES["signup_ip"].split("/")[0])
    for i in range(limit):
        assert _signup(client, cccd=f"0620790{i:05d}").status_code == 302
        client.logout()
    r = _signup(client, cccd="062079099999")
    assert r.status_code == 429 and "Retry-After" in r and "quá nhiều lần thử" in r.content.decode()


def test_password_spraying_from_one_address_is_refused(units, make_user, client):
    target = make_user(Role.HKH_XA, units.commune_a, username="nam")
    limit = int(settings.XHHT_THROTTLES["login_ip"].split("/")[0])
    for i in range(limit):
        r = client.post("/tai-khoan/dang-nhap/", {"username": f"0620{i:08d}", "password": "123456"})
        assert r.status_code == 200
    r = client.post("/tai-khoan/dang-nhap/", {"username": "nam", "password": "mat-khau-thu-nghiem"})
    assert r.status_code == 429 and "quá nhiều lần thử" in r.content.decode()
    # another address is not affected
    other = Client(REMOTE_ADDR="203.0.113.9")
    r = other.post("/tai-khoan/dang-nhap/", {"username": "nam", "password": "mat-khau-thu-nghiem"})
    assert r.status_code == 302 and target.username == "nam"


def test_a_username_is_locked_whatever_address_the_failures_come_from(units, make_user):
    make_user(Role.HKH_XA, units.commune_a, username="thu")
    for i in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR=f"198.51.100.{i + 1}").post(
            "/tai-khoan/dang-nhap/", {"username": "thu", "password": "sai"}
        )
    r = Client(REMOTE_ADDR="198.51.100.200").post(
        "/tai-khoan/dang-nhap/", {"username": "thu", "password": "mat-khau-thu-nghiem"}
    )
    assert r.status_code == 429 and "Tạm khoá đăng nhập" in r.content.decode()


def test_behind_a_trusted_proxy_the_client_address_counts(units, make_user, settings):
    """Throttles and the audit trail see the client, not the proxy; a forged X-Forwarded-For entry
    further left is not trusted."""
    from xhht.accounts.models import AuditEvent

    settings.XHHT_TRUSTED_PROXY_COUNT = 1
    make_user(Role.HKH_XA, units.commune_a, username="hai")
    limit = int(settings.XHHT_THROTTLES["login_ip"].split("/")[0])
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for i in range(limit):
        Client(**proxy).post(
            "/tai-khoan/dang-nhap/",
            {"username": f"0620{i:08d}", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"10.9.9.{i}, 203.0.113.7",  # the left entry is the client's to forge
        )
    refused = Client(**proxy).post(
        "/tai-khoan/dang-nhap/", {"username": "hai", "password": "x"}, HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    assert refused.status_code == 429
    ok = Client(**proxy).post(
        "/tai-khoan/dang-nhap/",
        {"username": "hai", "password": "mat-khau-thu-nghiem"},
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )
    assert ok.status_code == 302
    assert AuditEvent.objects.filter(action="login").latest("id").ip == "198.51.100.4"
