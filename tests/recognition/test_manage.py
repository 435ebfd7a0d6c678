"""Editing and closing a campaign; the appeal flow from the subject to the reviewer and back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.recognition import helpers
from xhht.accounts.models import AuditEvent, Role
from xhht.recognition import services
from xhht.recognition.models import Appeal, AppealStatus, AssessmentStatus, Campaign


def _edit(client, campaign, **changes):
    data = {
        "name": campaign.name,
        "registration_deadline": "",
        "self_assessment_deadline": "",
        "review_deadline": "",
        "decision_deadline": "",
    }
    if campaign.is_open:
        data["is_open"] = "on"
    data.update(changes)
    return client.post(f"/danh-gia/dot/{campaign.pk}/sua/", data)


def test_campaign_edit_and_close(cycle, make_user, login):
    c = cycle
    officer = login(c.manager)
    page = officer.get(f"/danh-gia/dot/{c.campaign.pk}/").content.decode()
    assert f"/danh-gia/dot/{c.campaign.pk}/sua/" in page

    # Deadlines out of order are refused, and the form keeps what was typed.
    soon, later = dt.date.today() + dt.timedelta(days=20), dt.date.today() + dt.timedelta(days=40)
    resp = _edit(
        officer, c.campaign, registration_deadline=later.isoformat(), review_deadline=soon.isoformat()
    )
    body = resp.content.decode()
    assert resp.status_code == 200 and "theo thứ tự" in body and f'value="{later.isoformat()}"' in body
    resp = _edit(
        officer, c.campaign, registration_deadline=soon.isoformat(), review_deadline=later.isoformat()
    )
    assert resp.status_code == 302
    camp = Campaign.objects.get(pk=c.campaign.pk)
    assert camp.registration_deadline == soon and camp.review_deadline == later
    event = AuditEvent.objects.filter(model="recognition.campaign", object_pk=str(camp.pk)).latest("at")
    assert event.actor == c.manager and soon.isoformat() in str(event.changes)

    # Closing: no new registration, no submission by the citizen; the officer still works.
    head_user = make_user(Role.CONG_DAN, c.units.village_a1)
    own = helpers.household(c.units.village_a1, "Y Blơng Ksor", head_user=head_user)
    a = services.register(user=head_user, campaign=camp, subject_id=own.pk)
    services.answers_save(user=head_user, assessment=a, answers=helpers.GOOD)
    data = {"is_open": "", "registration_deadline": soon.isoformat(), "review_deadline": later.isoformat()}
    resp = _edit(officer, camp, **data)
    camp.refresh_from_db()
    assert resp.status_code == 302 and camp.is_open is False
    assert "campaign-closed" in officer.get(f"/danh-gia/dot/{camp.pk}/").content.decode()
    with pytest.raises(ValidationError, match="đã đóng"):
        services.submit(user=head_user, assessment=a)
    with pytest.raises(ValidationError, match="đã đóng"):
        services.register(user=c.manager, campaign=camp, subject_id=c.households[1].pk)
    assert services.submit(user=c.manager, assessment=a).status == AssessmentStatus.SUBMITTED

    # Only CAMPAIGN_MANAGE over the campaign's unit: the commune chair sees it but may not edit.
    chair = login(c.chair)
    assert chair.get(f"/danh-gia/dot/{camp.pk}/sua/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.campaign_update(
            user=c.chair,
            campaign=camp,
            name="x",
            registration_deadline=None,
            self_assessment_deadline=None,
            review_deadline=None,
            decision_deadline=None,
            is_open=True,
        )
    other = login(make_user(Role.HKH_XA, c.units.commune_b))
    assert other.get(f"/danh-gia/dot/{camp.pk}/sua/").status_code == 404


def test_appeal_on_a_refused_file_accepted_then_rejected(cycle, make_user, login):
    c = cycle
    head_user = make_user(Role.CONG_DAN, c.units.village_a1)
    own = helpers.household(c.units.village_a1, "Y Blơng Ksor", head_user=head_user)
    a = services.register(user=head_user, campaign=c.campaign, subject_id=own.pk)
    services.answers_save(user=head_user, assessment=a, answers=helpers.GOOD)
    services.submit(user=head_user, assessment=a)
    citizen = login(head_user)
    # No result yet: no appeal.
    with pytest.raises(ValidationError):
        services.appeal_lodge(user=head_user, assessment=a, reason="Sớm quá")
    services.review_save(user=c.reviewer, assessment=a, outcome="reviewed", comment="Thiếu minh chứng")

    # The head appeals from the citizen pages, with a reason; an empty reason is refused.
    assert "appeal-form" in citizen.get(f"/cong-dan/ho-so/{a.pk}/").content.decode()
    citizen.post(f"/cong-dan/ho-so/{a.pk}/kien-nghi/", {"reason": "  "})
    assert not Appeal.objects.exists()
    citizen.post(f"/cong-dan/ho-so/{a.pk}/kien-nghi/", {"reason": "Con tôi có giấy xác nhận của trường"})
    ap = Appeal.objects.get()
    assert ap.lodged_by == head_user and ap.status == AppealStatus.OPEN
    with pytest.raises(ValidationError, match="đang chờ"):
        services.appeal_lodge(user=head_user, assessment=a, reason="Lần nữa")

    # The reviewer sees it in the appeals list; another commune's reviewer does not.
    reviewer = login(c.reviewer)
    body = reviewer.get("/danh-gia/kien-nghi/").content.decode()
    assert "Con tôi có giấy xác nhận của trường" in body and "Hộ Y Blơng Ksor" in body
    other = login(make_user(Role.HKH_XA, c.units.commune_b))
    assert "Con tôi có giấy" not in other.get("/danh-gia/kien-nghi/").content.decode()
    assert other.post(f"/danh-gia/kien-nghi/{ap.pk}/giai-quyet/", {"accept": "1"}).status_code == 404
    # a citizen may not resolve
    assert citizen.post(f"/danh-gia/kien-nghi/{ap.pk}/giai-quyet/", {"accept": "1"}).status_code == 404

    # Accepting returns the file to review, with a "reopened" step in its history.
    resp = reviewer.post(
        f"/danh-gia/kien-nghi/{ap.pk}/giai-quyet/",
        {"accept": "1", "resolution": "Xem lại minh chứng", "next": "/danh-gia/kien-nghi/"},
    )
    assert resp.status_code == 302 and resp["Location"] == "/danh-gia/kien-nghi/"
    a.refresh_from_db()
    ap.refresh_from_db()
    assert a.status == AssessmentStatus.SUBMITTED and ap.status == AppealStatus.REOPENED
    assert a.reviews.last().outcome == "reopened" and ap.resolved_by == c.reviewer
    assert AuditEvent.objects.filter(model="recognition.appeal", object_pk=str(ap.pk)).count() == 2

    # Refused again; a second appeal is rejected — a reason is required.
    services.review_save(user=c.reviewer, assessment=a, outcome="reviewed", comment="Vẫn thiếu")
    ap2 = services.appeal_lodge(user=head_user, assessment=a, reason="Tôi không đồng ý")
    reviewer.post(f"/danh-gia/kien-nghi/{ap2.pk}/giai-quyet/", {"accept": "0", "resolution": ""})
    ap2.refresh_from_db()
    assert ap2.status == AppealStatus.OPEN
    reviewer.post(
        f"/danh-gia/kien-nghi/{ap2.pk}/giai-quyet/", {"accept": "0", "resolution": "Đã xác minh tại thôn"}
    )
    ap2.refresh_from_db()
    a.refresh_from_db()
    assert ap2.status == AppealStatus.REJECTED and a.status == AssessmentStatus.REVIEWED
    body = citizen.get(f"/cong-dan/ho-so/{a.pk}/").content.decode()
    assert "Đã xác minh tại thôn" in body and "Không chấp nhận" in body
    # open redirect refused
    ap3 = services.appeal_lodge(user=head_user, assessment=a, reason="Lần ba")
    resp = reviewer.post(
        f"/danh-gia/kien-nghi/{ap3.pk}/giai-quyet/",
        {"accept": "0", "resolution": "Không", "next": "https://example.com/"},
    )
    assert resp["Location"] == f"/danh-gia/ho-so/{a.pk}/"


def test_appeal_on_a_recognised_file_waits_for_revocation(decided, login):
    c = decided
    rec = c.decision.recognitions.order_by("pk").first()
    a = rec.assessment
    ap = services.appeal_lodge(user=c.manager, assessment=a, reason="Sai mức công nhận")
    body = login(c.reviewer).get("/danh-gia/kien-nghi/").content.decode()
    assert "thu hồi công nhận trước" in body
    with pytest.raises(ValidationError, match="thu hồi"):
        services.appeal_resolve(user=c.reviewer, appeal=ap, accept=True)
    ap.refresh_from_db()
    assert ap.status == AppealStatus.OPEN
    services.recognition_revoke(user=c.chair, recognition=rec, reason="Sai mức")
    services.appeal_resolve(user=c.reviewer, appeal=ap, accept=True, resolution="Thẩm định lại mức")
    a.refresh_from_db()
    assert a.status == AssessmentStatus.SUBMITTED and a.decision_id is None


def test_large_decisions_are_chosen_by_village(cycle, login, monkeypatch):
    from xhht.recognition import views

    c = cycle
    files = [
        helpers.proposed_file(c.campaign, h.pk, officer=c.manager, reviewer=c.reviewer) for h in c.households
    ]
    other_village = helpers.household(c.units.village_a2, "Hồ Thị Mai")
    extra = helpers.proposed_file(c.campaign, other_village.pk, officer=c.manager, reviewer=c.reviewer)
    monkeypatch.setattr(views, "PER_FILE_LIMIT", 2)
    chair = login(c.chair)
    url = f"/danh-gia/dot/{c.campaign.pk}/quyet-dinh/"
    body = chair.get(url).content.decode()
    assert 'name="files"' not in body
    assert f'name="villages" value="{c.units.village_a1.pk}" checked' in body
    resp = chair.post(
        url,
        {
            "date": "2025-12-15",
            "signer_name": "A Thắng",
            "signer_position": "Chủ tịch",
            "legal_basis": "Căn cứ thử",
            "villages": [str(c.units.village_a1.pk)],
        },
    )
    assert resp.status_code == 302
    decision = c.campaign.decisions.get()
    assert decision.subject_count == 3
    assert {r.assessment_id for r in decision.recognitions.all()} == {f.pk for f in files}
    extra.refresh_from_db()
    assert extra.status == AssessmentStatus.PROPOSED


def test_long_lists_are_paged(decided, login, monkeypatch):
    from xhht.recognition import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    chair = login(decided.chair)
    url = f"/danh-gia/quyet-dinh/{decided.decision.pk}/"
    first = chair.get(url).content.decode()
    second = chair.get(url + "?trang=2").content.decode()
    names = ["Hộ Lê Đức Thắng", "Hộ Nguyễn Văn Ánh", "Hộ Trần Thị Hương"]
    assert sum(n in first for n in names) == 2 and sum(n in second for n in names) == 1
    assert "?trang=2" in first and "?trang=1" in second and "?trang=3" not in second
    files = login(decided.manager).get(f"/danh-gia/dot/{decided.campaign.pk}/?trang=2").content.decode()
    assert sum(n in files for n in names) == 1
