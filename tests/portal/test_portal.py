"""Citizens' pages: sign-up matched against the registry, officer resolution, self-assessment one
question per screen with a kept draft, certificate download."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.recognition import helpers
from xhht.accounts.models import Role, RoleAssignment, User
from xhht.core.titles import Title
from xhht.portal import services
from xhht.portal.models import AccountClaim, ClaimStatus
from xhht.recognition import services as rec
from xhht.recognition.models import AssessmentStatus

BIRTH = dt.date(1990, 4, 2)


def signup(client: Client, **over):
    data = {
        "cccd": "062190001234",
        "full_name": "Đinh Thị Lan",
        "birth_date": "1990-04-02",
        "phone": "0905123456",
        "password1": "hoc-tap-suot-doi",
        "password2": "hoc-tap-suot-doi",
        **over,
    }
    return client.post("/cong-dan/dang-ky-tai-khoan/", data)


@pytest.fixture
def lan(units):
    return helpers.person(
        units.village_a1, "Đinh Thị Lan", cccd="062190001234", birth_date=BIRTH, phone="0905123456"
    )


def test_signup_links_when_details_match_exactly_one_record(lan, client):
    r = signup(client, full_name="đinh thị  lan", phone="+84 905 123 456")
    assert r.status_code == 302 and r["Location"] == "/cong-dan/"
    lan.refresh_from_db()
    user = User.objects.get(username="062190001234")
    assert lan.user == user
    assert AccountClaim.objects.get(user=user).status == ClaimStatus.LINKED
    assert RoleAssignment.objects.filter(user=user, role=Role.CONG_DAN, unit=lan.village).exists()
    assert "Đinh Thị Lan" in client.get("/cong-dan/").content.decode()


@pytest.mark.parametrize(
    "field,value",
    [
        ("full_name", "Đinh Thị Lâm"),  # a different name
        ("full_name", "Dinh Thi Lan"),  # diacritics matter
        ("birth_date", "1990-04-03"),
        ("phone", "0905999999"),  # the record has a phone and it differs
    ],
)
def test_signup_with_details_that_do_not_match_waits_for_an_officer(lan, client, field, value):
    r = signup(client, **{field: value})
    assert r.status_code == 302
    lan.refresh_from_db()
    assert lan.user is None
    claim = AccountClaim.objects.get(cccd="062190001234")
    assert claim.status == ClaimStatus.PENDING and claim.unit_path == lan.unit_path
    assert "chưa được liên kết" in client.get("/cong-dan/").content.decode()


def test_signup_form_keeps_input_and_names_the_field(lan, client):
    r = signup(client, cccd="06219000123", password2="khac-nhau-hoan-toan")
    body = r.content.decode()
    assert r.status_code == 200 and 'value="Đinh Thị Lan"' in body and 'value="06219000123"' in body
    assert "err-cccd" in body and "err-password2" in body
    assert not User.objects.filter(full_name="Đinh Thị Lan").exists()


def test_an_already_linked_record_is_not_taken_over(lan, make_user, client):
    lan.user = make_user()
    lan.save()
    signup(client)
    claim = AccountClaim.objects.get(cccd="062190001234")
    assert claim.status == ClaimStatus.PENDING
    lan.refresh_from_db()
    assert lan.user.username != "062190001234"


def test_officer_resolves_a_pending_claim_only_in_scope(lan, make_user, login, units):
    user, claim = services.citizen_signup(
        cccd="062190001234",
        full_name="Đinh Thị Lan",
        birth_date=BIRTH,
        phone="0911000000",
        password="hoc-tap-suot-doi",
    )
    assert claim.status == ClaimStatus.PENDING
    outsider = login(make_user(Role.HKH_XA, units.commune_b))
    assert "Đinh Thị Lan" not in outsider.get("/cong-dan/xac-minh-tai-khoan/").content.decode()
    officer = login(make_user(Role.HKH_XA, units.commune_a))
    page = officer.get("/cong-dan/xac-minh-tai-khoan/").content.decode()
    assert "Đinh Thị Lan" in page and f'value="{lan.pk}"' in page
    officer.post(f"/cong-dan/xac-minh-tai-khoan/{claim.pk}/", {"person": lan.pk})
    lan.refresh_from_db()
    claim.refresh_from_db()
    assert lan.user == user and claim.status == ClaimStatus.LINKED


def test_officer_creates_an_account_for_a_resident(lan, make_user, units):
    officer = make_user(Role.HKH_XA, units.commune_a)
    citizen = services.citizen_account_create(user=officer, person=lan, password="hoc-tap-suot-doi")
    lan.refresh_from_db()
    assert (
        lan.user == citizen
        and citizen.username == "062190001234"
        and citizen.check_password("hoc-tap-suot-doi")
    )


def test_citizen_self_assesses_one_question_per_screen_and_downloads_the_certificate(
    lan, units, make_user, client
):
    helpers.published_set(Title.CDHT)
    manager = make_user(Role.HKH_XA, units.commune_a)
    chair = make_user(Role.UBND_XA, units.commune_a)
    camp = rec.campaign_create(user=manager, title=Title.CDHT, year=2025, unit=units.commune_a)
    signup(client)
    home = client.get("/cong-dan/").content.decode()
    assert "Công dân học tập" in home and "Đăng ký và tự đánh giá" in home
    r = client.post(f"/cong-dan/dang-ky-danh-hieu/{camp.pk}/", {"subject": lan.pk})
    a = camp.assessments.get()
    assert r["Location"] == f"/cong-dan/ho-so/{a.pk}/cau/0/" and a.on_behalf is False
    page = client.get(f"/cong-dan/ho-so/{a.pk}/cau/0/").content.decode()
    assert "Câu 1 / 3" in page and "Hộ không có trẻ em được đủ điểm." in page and "1.2" not in page
    client.post(f"/cong-dan/ho-so/{a.pk}/cau/0/", {"value": "45", "action": "next"})
    # leaves half-way: the draft and the place are kept
    client.post(f"/cong-dan/ho-so/{a.pk}/cau/1/", {"value": "40", "action": "save"})
    a.refresh_from_db()
    assert a.status == AssessmentStatus.DRAFT and a.step == 1 and a.answers["1.2"]["value"] == 40
    assert f"/cong-dan/ho-so/{a.pk}/cau/1/" in client.get("/cong-dan/").content.decode()
    client.post(f"/cong-dan/ho-so/{a.pk}/cau/2/", {"value": "1", "action": "next"})
    r = client.post(f"/cong-dan/ho-so/{a.pk}/cau/3/", {"action": "submit"})
    a.refresh_from_db()
    assert a.status == AssessmentStatus.SUBMITTED
    rec.review_save(user=manager, assessment=a, outcome="propose")
    d = rec.decision_issue(
        user=chair,
        campaign=camp,
        assessment_ids=[a.pk],
        date=dt.date(2025, 12, 15),
        signer_name="A Thắng",
        signer_position="Phó Chủ tịch",
    )
    recog = d.recognitions.get()
    r = client.get(f"/cong-dan/giay-cong-nhan/{recog.pk}.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    # another citizen cannot open the file or the certificate
    other = Client()
    other.force_login(make_user(Role.CONG_DAN, units.village_a1))
    assert other.get(f"/cong-dan/ho-so/{a.pk}/cau/0/").status_code == 404
    assert other.get(f"/cong-dan/giay-cong-nhan/{recog.pk}.pdf").status_code == 404
