"""A citizen signs up on a phone and verifies with the code sent to the phone on their record; an
officer at a desk verifies another after checking the card. Nothing is linked before that."""

from __future__ import annotations

import re

from tests import factories
from tests.recognition import helpers
from xhht.accounts.models import Role
from xhht.portal import sms
from xhht.portal.models import AccountClaim, ClaimStatus


def _fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1, f"page {width}px wide"


def _sign_up(page, cccd, name, birth, password="hoc-tap-suot-doi-2025"):
    page.goto("/tai-khoan/dang-nhap/")
    page.click("text=Tạo tài khoản")
    page.fill("#id_cccd", cccd)
    page.fill("#id_full_name", name)
    page.fill("#id_birth_date", birth)
    page.fill("#id_phone", "0977000111")
    page.fill("#id_password1", password)
    page.fill("#id_password2", password)
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Xác minh tài khoản")


def test_citizen_signs_up_and_verifies_with_the_code_on_a_phone(page):
    m = factories.demo_map()
    lan = helpers.person(m.village_a1, "Đinh Thị Lan", cccd="062190001234", phone="0905123456")
    lan.birth_date = __import__("datetime").date(1990, 4, 2)
    lan.save()
    sms.outbox.clear()
    _sign_up(page, "062190001234", "Đinh Thị Lan", "1990-04-02")
    _fits(page)
    assert "Thôn 1" not in page.inner_text("main")
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1]["text"]).group(1)
    assert sms.outbox[-1]["to"] == "0905123456"
    page.fill("#id_code", "000000" if code != "000000" else "111111")
    page.click("button:has-text('Xác minh')")
    page.wait_for_selector("#err-code")
    _fits(page)
    page.fill("#id_code", code)
    page.click("button:has-text('Xác minh')")
    page.wait_for_selector("text=Đã xác minh")
    _fits(page)
    lan.refresh_from_db()
    assert lan.user is not None and lan.user.username == "062190001234"


def test_officer_verifies_a_sign_up_after_checking_the_card(page, login_as):
    m = factories.demo_map()
    binh = helpers.person(m.village_a1, "Y Bình", cccd="062079000777", phone="")
    _sign_up(page, "062079000777", "Y Bình", "1979-08-30")
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 800})
    login_as(page, factories.make_user(Role.HKH_XA, m.commune_a))
    page.goto("/cong-dan/xac-minh-tai-khoan/")
    page.wait_for_selector("text=Y Bình")
    page.check(f"input[name=person][value='{binh.pk}']")
    page.click("button:has-text('Liên kết hồ sơ đã chọn')")
    page.wait_for_selector("text=đối chiếu CCCD bản gốc")  # the card box was not ticked
    page.check(f"input[name=person][value='{binh.pk}']")
    page.check("input[name=card_checked]")
    page.click("button:has-text('Liên kết hồ sơ đã chọn')")
    page.wait_for_selector("text=Đã liên kết tài khoản của Y Bình")
    _fits(page)
    assert AccountClaim.objects.get().status == ClaimStatus.LINKED
    binh.refresh_from_db()
    assert binh.user.username == "062079000777"
