"""The self-assessment screens (the officer's and the citizen's portal wizard, and the review page)
say which numbers of the set are provisional — "Tạm tính — địa phương cần xác nhận" until the
province confirms the set, then who confirmed it; commune decisions cite QĐ 387/QĐ-TTg by its
real name."""

from __future__ import annotations

import re

import pytest

from tests.recognition import helpers
from tests.recognition.test_outputs import pdftotext
from xhht.accounts.models import Role
from xhht.core.titles import Title
from xhht.criteria import services as criteria
from xhht.criteria.loader import load_defaults
from xhht.criteria.models import CriteriaSet
from xhht.recognition import pdf, services
from xhht.recognition.models import Campaign

UNCONFIRMED = "Tạm tính — địa phương cần xác nhận"
QD387 = (
    "Căn cứ Quyết định số 387/QĐ-TTg ngày 25 tháng 3 năm 2022 của Thủ tướng Chính phủ phê duyệt Chương trình "
    "“Đẩy mạnh phong trào học tập suốt đời trong gia đình, dòng họ, cộng đồng, đơn vị đến năm 2030”"
)


@pytest.fixture
def gdht(units, make_user):
    load_defaults(publish=True)
    cs = CriteriaSet.objects.get(code="gdht-448", status="published")
    manager = make_user(Role.HKH_XA, units.commune_a)
    head = make_user(Role.CONG_DAN, units.village_a1)
    household = helpers.household(units.village_a1, "Vũ Văn Bảy", head_user=head)
    return cs, manager, head, household


def test_an_unconfirmed_set_is_shown_as_provisional_in_every_screen(gdht, units, login):
    cs, manager, head, household = gdht
    # a campaign opened before provisional sets needed a confirmation
    camp = Campaign.objects.create(
        title=Title.GDHT, year=2025, unit=units.commune_a, name="Đợt cũ", criteria_hash=cs.content_hash
    )
    a = services.register(user=manager, campaign=camp, subject_id=household.pk)
    note = cs.indicator_set.get(code="1.1").provisional_note
    officer = login(manager)
    for page in (f"/danh-gia/ho-so/{a.pk}/cau/0/", f"/danh-gia/ho-so/{a.pk}/"):
        body = officer.get(page).content.decode()
        assert UNCONFIRMED in body and note in body, page
    citizen = login(head)
    body = citizen.get(f"/cong-dan/ho-so/{a.pk}/cau/0/").content.decode()
    assert UNCONFIRMED in body and note in body
    # the computed reference rate (no number of its own) is not marked
    step = [i.code for i in a.criteria_set.indicators].index("2.3")
    assert "Tạm tính" not in citizen.get(f"/cong-dan/ho-so/{a.pk}/cau/{step}/").content.decode()


def test_once_confirmed_the_screens_say_who_confirmed(gdht, units, make_user, login):
    cs, manager, head, household = gdht
    criteria.criteria_set_confirm(
        user=make_user(Role.SO_GDDT, units.province),
        criteria_set=cs,
        province=units.province,
        note="Đối chiếu hướng dẫn của tỉnh",
    )
    camp = services.campaign_create(user=manager, title=Title.GDHT, year=2025, unit=units.commune_a)
    a = services.register(user=manager, campaign=camp, subject_id=household.pk)
    body = login(head).get(f"/cong-dan/ho-so/{a.pk}/cau/0/").content.decode()
    assert re.search(r"Tạm tính — Tỉnh Quảng Ngãi đã xác nhận áp dụng ngày \d\d/\d\d/\d{4}", body)
    assert UNCONFIRMED not in body
    body = login(manager).get(f"/danh-gia/ho-so/{a.pk}/").content.decode()
    assert "Tỉnh Quảng Ngãi đã xác nhận áp dụng" in body


def test_commune_decisions_name_qd_387_correctly(cycle, units):
    c = cycle
    files = [
        helpers.proposed_file(c.campaign, h.pk, officer=c.manager, reviewer=c.reviewer) for h in c.households
    ]
    d = services.decision_issue(
        user=c.chair, campaign=c.campaign, assessment_ids=[f.pk for f in files], **helpers.SIGN
    )
    assert QD387 in d.legal_basis and "Đề án" not in d.legal_basis
    text = " ".join(pdftotext(pdf.decision_pdf(d)).split())
    assert (
        "phê duyệt Chương trình “Đẩy mạnh phong trào học tập suốt đời trong gia đình, dòng họ, cộng đồng"
        in text
    )
    assert "đơn vị đến năm 2030”" in text and "Thúc đẩy việc học tập suốt đời" not in text


def test_the_programme_itself_carries_its_name(db):
    from xhht.plans.models import Plan
    from xhht.plans.services import load_plans

    load_plans()
    assert Plan.objects.get(code="qd-387-2022").title == (
        "Chương trình “Đẩy mạnh phong trào học tập suốt đời trong gia đình, dòng họ, cộng đồng, đơn vị đến năm 2030”"
    )
