"""Citizens' pages: sign-up matched against the registry, officer resolution, self-assessment one
question per screen with a kept draft, certificate download."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.recognition import helpers
from xhht.accounts.models import AuditEvent, Role, RoleAssignment, User
from xhht.core.titles import Title
from xhht.portal import services, sms
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


def _code(to="0905123456") -> str:
    """The code of the last text message sent to ``to`` (the SMS outbox of the tests)."""
    import re

    texts = [m["text"] for m in sms.outbox if m["to"] == to]
    assert texts, f"no message to {to}: {sms.outbox}"
    return re.search(r"\b(\d{6})\b", texts[-1]).group(1)


def test_signup_verifies_by_the_code_sent_to_the_phone_on_the_record(lan, client):
    # the phone typed at sign-up is not the record's: the code still goes to the record's phone only
    r = signup(client, full_name="đinh thị  lan", phone="0911222333")
    assert r.status_code == 302 and r["Location"] == "/cong-dan/"
    lan.refresh_from_db()
    assert lan.user is None  # nothing linked by details printed on the card
    claim = AccountClaim.objects.get(cccd="062190001234")
    assert claim.status == ClaimStatus.PENDING and claim.user.username != "062190001234"
    assert [m["to"] for m in sms.outbox] == ["0905123456"]
    page = client.get("/cong-dan/").content.decode()
    assert "Xác minh tài khoản" in page and "Đinh Thị Lan" not in page.split("<main")[-1].split("Xin chào")[0]
    r = client.post("/cong-dan/xac-minh/", {"code": _code()})
    assert r.status_code == 302
    lan.refresh_from_db()
    user = User.objects.get(username="062190001234")
    assert lan.user == user and AccountClaim.objects.get(user=user).status == ClaimStatus.LINKED
    assert RoleAssignment.objects.filter(user=user, role=Role.CONG_DAN, unit=lan.village).exists()
    assert "Đinh Thị Lan" in client.get("/cong-dan/").content.decode()
    assert "liên kết" in sms.outbox[-1]["text"]  # the citizen is told


@pytest.mark.parametrize(
    "field,value",
    [
        ("full_name", "Đinh Thị Lâm"),  # a different name
        ("full_name", "Dinh Thi Lan"),  # diacritics matter
        ("birth_date", "1990-04-03"),
    ],
)
def test_signup_with_details_that_do_not_match_sends_no_code(lan, client, field, value):
    r = signup(client, **{field: value})
    assert r.status_code == 302
    lan.refresh_from_db()
    assert lan.user is None and sms.outbox == []
    claim = AccountClaim.objects.get(cccd="062190001234")
    assert claim.status == ClaimStatus.PENDING and claim.unit_path == lan.unit_path
    assert "mang CCCD tới UBND xã" in client.get("/cong-dan/").content.decode()


def test_signup_form_keeps_input_and_names_the_field(lan, client):
    r = signup(client, cccd="06219000123", password2="khac-nhau-hoan-toan")
    body = r.content.decode()
    assert r.status_code == 200 and 'value="Đinh Thị Lan"' in body and 'value="06219000123"' in body
    assert "err-cccd" in body and "err-password2" in body
    assert not User.objects.filter(full_name="Đinh Thị Lan").exists()


def test_an_already_linked_record_is_not_taken_over(lan, make_user, client):
    owner = make_user(username="062190001234")
    lan.user = owner
    lan.save()
    r = signup(client)
    assert r.status_code == 302 and sms.outbox == []  # same answer; no code for a linked record
    claim = AccountClaim.objects.get(cccd="062190001234")
    assert claim.status == ClaimStatus.PENDING
    lan.refresh_from_db()
    assert lan.user == owner


def test_officer_resolves_a_pending_claim_only_in_scope_after_checking_the_card(lan, make_user, login, units):
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
    assert outsider.post(f"/cong-dan/xac-minh-tai-khoan/{claim.pk}/", {"person": lan.pk}).status_code == 404
    officer = login(make_user(Role.HKH_XA, units.commune_a))
    page = officer.get("/cong-dan/xac-minh-tai-khoan/").content.decode()
    assert "Đinh Thị Lan" in page and f'value="{lan.pk}"' in page
    officer.post(f"/cong-dan/xac-minh-tai-khoan/{claim.pk}/", {"person": lan.pk, "action": "link"})
    lan.refresh_from_db()
    assert lan.user is None  # the card was not checked
    officer.post(
        f"/cong-dan/xac-minh-tai-khoan/{claim.pk}/", {"person": lan.pk, "action": "link", "card_checked": "1"}
    )
    lan.refresh_from_db()
    claim.refresh_from_db()
    assert lan.user == user and claim.status == ClaimStatus.LINKED and claim.resolved_by is not None
    user.refresh_from_db()
    assert user.username == "062190001234"
    assert AuditEvent.objects.filter(model="portal.accountclaim", object_pk=str(claim.pk)).exists()


def test_officer_creates_an_account_for_a_resident_without_seeing_a_password(lan, make_user, units):
    officer = make_user(Role.HKH_XA, units.commune_a)
    citizen, token = services.citizen_access_issue(user=officer, person=lan, method="send")
    lan.refresh_from_db()
    assert lan.user == citizen and citizen.username == "062190001234"
    assert not citizen.has_usable_password()  # only the link the citizen received sets one


def test_citizen_self_assesses_one_question_per_screen_and_downloads_the_certificate(
    lan, units, make_user, client
):
    helpers.published_set(Title.CDHT)
    manager = make_user(Role.HKH_XA, units.commune_a)
    chair = make_user(Role.UBND_XA, units.commune_a)
    camp = rec.campaign_create(user=manager, title=Title.CDHT, year=2025, unit=units.commune_a)
    signup(client)
    client.post("/cong-dan/xac-minh/", {"code": _code()})
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
