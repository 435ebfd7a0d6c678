"""On a phone: a household head appeals a refused file and the reviewer sends it back to review;
an officer prints a set-password slip for a resident, who then chooses her own password."""

from __future__ import annotations

from tests import factories
from tests.recognition import helpers
from xhht.accounts.models import Role
from xhht.core.titles import Title
from xhht.recognition import services
from xhht.recognition.models import Appeal, AppealStatus, Assessment, AssessmentStatus


def _fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"page is {width}px wide at a 360px screen"


def test_appeal_from_the_citizen_to_the_reviewer(page, login_as):
    m = factories.demo_map()
    helpers.published_set(Title.GDHT)
    officer = factories.make_user(Role.HKH_XA, m.commune_a, full_name="Nguyễn Thị Hoa")
    head_user = factories.make_user(Role.CONG_DAN, m.village_a1, full_name="Y Blơng")
    household = helpers.household(m.village_a1, "Y Blơng Ksor", head_user=head_user)
    campaign = services.campaign_create(user=officer, title=Title.GDHT, year=2025, unit=m.commune_a)
    a = services.register(user=head_user, campaign=campaign, subject_id=household.pk)
    services.answers_save(user=head_user, assessment=a, answers=helpers.GOOD)
    services.submit(user=head_user, assessment=a)
    services.review_save(user=officer, assessment=a, outcome="reviewed", comment="Thiếu minh chứng")

    login_as(page, head_user)
    page.goto(f"/cong-dan/ho-so/{a.pk}/")
    page.click("summary:has-text('Gửi kiến nghị')")
    page.fill("#id_reason", "Con tôi có giấy xác nhận của trường")
    _fits(page)
    page.click("#appeal-form button[type=submit]")
    page.wait_for_selector("text=Đã gửi kiến nghị")
    assert "Đang xem xét" in page.inner_text("main")
    assert page.locator("#appeal-form").count() == 0  # one open appeal at a time

    page.context.clear_cookies()
    login_as(page, officer)
    page.goto(f"/danh-gia/dot/{campaign.pk}/")
    page.click("main >> text=1 kiến nghị đang chờ giải quyết")
    assert "Con tôi có giấy xác nhận của trường" in page.inner_text("main")
    _fits(page)
    page.fill("textarea[name=resolution]", "Xem lại minh chứng của trường")
    page.click("button:has-text('Chấp nhận, thẩm định lại')")
    page.wait_for_selector("text=được chuyển thẩm định lại")
    assert Appeal.objects.get().status == AppealStatus.REOPENED
    assert Assessment.objects.get(pk=a.pk).status == AssessmentStatus.SUBMITTED


def test_officer_prints_a_set_password_slip(page, login_as):
    """The officer prints a single-use link (never a password); the citizen sets her own at 360 px."""
    m = factories.demo_map()
    officer = factories.make_user(Role.UBND_XA, m.commune_a)
    helpers.person(m.village_a1, "Phạm Thị Hoà", cccd="062185004321")

    login_as(page, officer)
    page.goto("/cong-dan/tao-tai-khoan/")
    page.fill("input[name=q]", "4321")
    page.click("button:has-text('Tìm')")
    page.click("button:has-text('Tạo tài khoản: in phiếu')")
    link = page.inner_text("#set-password-link").strip()
    assert (
        "/cong-dan/dat-mat-khau/" in link and "mật khẩu dùng một lần" not in page.inner_text("main").lower()
    )
    _fits(page)

    page.context.clear_cookies()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(link)
    page.fill("#id_new_password1", "hoc-tap-suot-doi-2025")
    page.fill("#id_new_password2", "hoc-tap-suot-doi-2025")
    page.click("button:has-text('Lưu mật khẩu')")
    page.wait_for_selector("text=Đã đặt mật khẩu")
    assert "/cong-dan/" in page.url
    _fits(page)
