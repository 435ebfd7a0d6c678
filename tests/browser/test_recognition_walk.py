"""One household from registration to certificate, in a phone-sized browser: the head self-assesses
on the citizen pages, the association officer reviews, the commune chair signs the decision, the
certificate downloads, its QR page says valid; revoking turns it invalid."""

from __future__ import annotations

import subprocess

from tests import factories
from tests.recognition import helpers
from xhht.accounts.models import Role
from xhht.core.titles import Title
from xhht.recognition import services
from xhht.recognition.models import Assessment, Recognition


def _pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _switch(page, login_as, user):
    page.context.clear_cookies()
    login_as(page, user)


def test_household_from_registration_to_certificate(page, login_as, tmp_path):
    m = factories.demo_map()
    helpers.published_set(Title.GDHT)
    officer = factories.make_user(Role.HKH_XA, m.commune_a, username="hkh_dakmar", full_name="Nguyễn Thị Hoa")
    chair = factories.make_user(Role.UBND_XA, m.commune_a, username="chutich", full_name="A Thắng")
    head_user = factories.make_user(Role.CONG_DAN, m.village_a1, username="062180004567", full_name="Y Blơng")
    household = helpers.household(m.village_a1, "Y Blơng Ksor", head_user=head_user)
    campaign = services.campaign_create(user=officer, title=Title.GDHT, year=2025, unit=m.commune_a)

    # 1. The household head registers and self-assesses, one question per screen.
    login_as(page, head_user)
    page.goto("/cong-dan/")
    assert "Gia đình học tập" in page.inner_text("main")
    page.click("text=Đăng ký và tự đánh giá")
    page.wait_for_selector("text=Câu 1 / 3")
    assert "Hộ không có trẻ em được đủ điểm." in page.inner_text("main")
    page.fill("#id_value", "45")
    page.click("text=Lưu và tiếp ›")
    page.wait_for_selector("text=Câu 2 / 3")
    page.fill("#id_value", "40")
    page.click("text=Lưu và tiếp ›")
    page.wait_for_selector("text=Câu 3 / 3")
    page.check("input[name=value][value='1']")
    page.click("text=Lưu và tiếp ›")
    page.wait_for_selector("text=Xem lại và nộp")
    assert "85" in page.inner_text(".xh-total")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"page is {width}px wide at a 360px screen"
    page.click("button:has-text('Nộp hồ sơ')")
    page.wait_for_selector("#file-status")
    assert "Đã nộp" in page.inner_text("#file-status")
    a = Assessment.objects.get(campaign=campaign, subject_id=household.pk)
    assert a.on_behalf is False

    # 2. The association officer reviews and proposes.
    _switch(page, login_as, officer)
    page.goto(f"/danh-gia/dot/{campaign.pk}/")
    page.click("text=Hộ Y Blơng Ksor")
    page.fill(f"input[name='c_{'1.2'}']", "Đã xác minh tại thôn")
    page.click("button:has-text('Đề nghị công nhận')")
    page.wait_for_selector("text=Đã lưu kết quả thẩm định")
    assert "Đề nghị công nhận" in page.inner_text("#file-status")

    # 3. The commune chair signs the decision and downloads it.
    _switch(page, login_as, chair)
    page.goto(f"/danh-gia/dot/{campaign.pk}/")
    page.click("text=Lập quyết định công nhận")
    assert page.is_checked(f"input[name=files][value='{a.pk}']")
    page.fill("#id_signer_position", "KT. Chủ tịch\nPhó Chủ tịch")
    page.click("button:has-text('Ký và ban hành quyết định')")
    page.wait_for_selector("text=Đã ký Quyết định số 1/QĐ-UBND")
    with page.expect_download() as dl:
        page.click("#decision-pdf")
    dl.value.save_as(tmp_path / "qd.pdf")
    text = _pdf_text(tmp_path / "qd.pdf")
    assert (
        "Số: 1/QĐ-UBND" in text and "Hộ Y Blơng Ksor" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    )

    # 4. The head downloads the certificate; its QR page says valid.
    rec = Recognition.objects.get(subject_id=household.pk)
    _switch(page, login_as, head_user)
    page.goto("/cong-dan/")
    with page.expect_download() as dl:
        page.click("text=Tải giấy công nhận (PDF)")
    dl.value.save_as(tmp_path / "giay.pdf")
    cert_text = _pdf_text(tmp_path / "giay.pdf")
    assert "GIẤY CÔNG NHẬN" in cert_text and "Hộ Y Blơng Ksor" in cert_text
    page.context.clear_cookies()
    page.goto(f"/xac-thuc/{rec.certificate.token}/")  # no login needed
    main = page.inner_text("main")
    assert "Còn hiệu lực" in main and "Hộ Y B** K**" in main and "Gia đình học tập" in main
    assert "Blơng Ksor" not in main

    # 5. The chair revokes; the QR page turns invalid.
    login_as(page, chair)
    page.goto(f"/danh-gia/cong-nhan/{rec.pk}/")
    page.click("summary:has-text('Thu hồi công nhận')")
    page.fill("#id_reason", "Kê khai không đúng")
    page.click("button:has-text('Thu hồi')")
    page.wait_for_selector("text=Đã thu hồi công nhận")
    page.context.clear_cookies()
    page.goto(f"/xac-thuc/{rec.certificate.token}/")
    main = page.inner_text("main")
    assert "Đã thu hồi" in main and "Còn hiệu lực" not in main
