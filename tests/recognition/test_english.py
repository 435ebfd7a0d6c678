"""The recognition and citizens' pages speak English when the user picks English."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.recognition import helpers
from xhht.accounts.models import Role
from xhht.recognition import services


@pytest.fixture(autouse=True)
def _vietnamese_afterwards():
    """Requests in English leave the test thread in English; later tests expect Vietnamese."""
    yield
    translation.activate("vi")


def _english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def test_campaign_and_file_pages_in_english(cycle, login):
    h = cycle.households[0]
    a = services.register(user=cycle.manager, campaign=cycle.campaign, subject_id=h.pk)
    services.answers_save(user=cycle.manager, assessment=a, answers=helpers.GOOD)
    services.submit(user=cycle.manager, assessment=a)
    c = _english(login(cycle.manager))

    body = c.get(f"/danh-gia/dot/{cycle.campaign.pk}/").content.decode()
    assert '<html lang="en"' in body
    assert "Registration deadline" in body and "Hạn đăng ký" not in body
    assert "Submitted, awaiting review" in body and "Đã nộp, chờ thẩm định" not in body
    assert "Recognition authority" in body

    body = c.get(f"/danh-gia/ho-so/{a.pk}/").content.decode()
    assert "Propose for recognition" in body and "Đề nghị công nhận" not in body
    assert "Review history" in body or "Self-assessment" in body

    body = c.get("/danh-gia/").content.decode()
    assert "Assessment and recognition campaigns" in body


def test_citizen_pages_and_verification_in_english(cycle, make_user, login, client):
    citizen = make_user(Role.CONG_DAN, cycle.units.village_a1)
    c = _english(login(citizen))
    body = c.get("/cong-dan/").content.decode()
    assert "Self-assessment files" in body and "Hồ sơ tự đánh giá" not in body

    body = _english(client).get("/xac-thuc/khong-co-ma-nay/").content.decode()
    assert "Certificate verification" in body and "Xác thực giấy công nhận" not in body
    assert "No certificate has this code" in body

    body = client.get("/cong-dan/dang-ky-tai-khoan/").content.decode()
    assert "Citizen ID number (12 digits)" in body and "Số CCCD (12 chữ số)" not in body


def test_documents_stay_vietnamese_for_an_english_reader(decided, login):
    from tests.recognition.test_outputs import pdftotext

    c = _english(login(decided.chair))
    resp = c.get(f"/danh-gia/quyet-dinh/{decided.decision.pk}/pdf/")
    text = pdftotext(resp.content)
    assert "Gia đình học tập" in text and "Learning family" not in text
    rec = decided.decision.recognitions.first()
    text = pdftotext(c.get(f"/danh-gia/cong-nhan/{rec.pk}/giay-cong-nhan.pdf").content)
    assert "Gia đình học tập" in text and "Learning family" not in text


def test_new_officer_pages_in_english(cycle, login):
    c = _english(login(cycle.manager))
    body = c.get("/danh-gia/kien-nghi/").content.decode()
    assert "No appeals." in body and "Không có kiến nghị nào." not in body
    body = c.get(f"/danh-gia/dot/{cycle.campaign.pk}/sua/").content.decode()
    assert "Edit the campaign" in body and "Open (takes registrations and self-assessments)" in body
    body = c.get("/cong-dan/tao-tai-khoan/").content.decode()
    assert "Create accounts for residents" in body and "Find a resident" in body
