"""The recognition cycle through its services: registration, self-assessment, review, decision,
numbering, revocation, appeals, and scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.recognition import helpers
from xhht.accounts.models import AuditEvent, Role
from xhht.core.titles import Title
from xhht.recognition import services
from xhht.recognition.models import (
    Assessment,
    AssessmentStatus,
    Certificate,
    Decision,
    Recognition,
    Registration,
)

SIGN = {
    "date": dt.date(2025, 12, 15),
    "signer_name": "A Thắng",
    "signer_position": "KT. Chủ tịch\nPhó Chủ tịch",
}


def test_registration_and_recognition_are_counted_separately(cycle):
    c = cycle
    files = [
        helpers.proposed_file(c.campaign, h.pk, officer=c.manager, reviewer=c.reviewer)
        for h in c.households[:2]
    ]
    services.register(user=c.manager, campaign=c.campaign, subject_id=c.households[2].pk)
    assert Registration.objects.filter(title="GDHT", year=2025).count() == 3
    assert Recognition.objects.filter(title="GDHT", year=2025).count() == 0
    services.decision_issue(user=c.chair, campaign=c.campaign, assessment_ids=[files[0].pk], **SIGN)
    assert Registration.objects.filter(title="GDHT", year=2025).count() == 3
    assert Recognition.objects.filter(title="GDHT", year=2025).count() == 1
    reg = Registration.objects.get(subject_id=c.households[0].pk)
    assert (
        reg.on_behalf is True and reg.registered_by == c.manager and reg.unit_path == c.units.village_a1.path
    )


def test_self_assessment_by_the_household_head_is_not_on_behalf(cycle, make_user):
    c = cycle
    head_user = make_user(Role.CONG_DAN, c.units.village_a1)
    h = helpers.household(c.units.village_a1, "Phạm Thị Lụa", head_user=head_user)
    a = services.register(user=head_user, campaign=c.campaign, subject_id=h.pk)
    a = services.answers_save(user=head_user, assessment=a, answers={"1.1": {"value": "45,5"}}, step=1)
    assert a.on_behalf is False and a.answers["1.1"]["value"] == 45.5 and a.step == 1
    # half-finished: cannot submit without the mandatory indicators, and the draft is kept
    with pytest.raises(ValidationError) as exc:
        services.submit(user=head_user, assessment=a)
    assert "1.2" in exc.value.messages[0] and "2.1" in exc.value.messages[0]
    a.refresh_from_db()
    assert a.status == AssessmentStatus.DRAFT and a.answers["1.1"]["value"] == 45.5
    # another citizen may not touch it
    stranger = make_user(Role.CONG_DAN, c.units.village_a1)
    with pytest.raises(PermissionDenied):
        services.answers_save(user=stranger, assessment=a, answers={"1.2": {"value": 40}})


def test_out_of_range_answer_names_the_indicator(cycle):
    c = cycle
    a = services.register(user=c.manager, campaign=c.campaign, subject_id=c.households[0].pk)
    with pytest.raises(ValidationError) as exc:
        services.answers_save(user=c.manager, assessment=a, answers={"1.1": {"value": 75}})
    assert "1.1" in " ".join(exc.value.messages)


def test_review_return_then_propose_and_failing_file_cannot_be_proposed(cycle):
    c = cycle
    a = services.register(user=c.manager, campaign=c.campaign, subject_id=c.households[0].pk)
    a = services.answers_save(user=c.manager, assessment=a, answers=helpers.GOOD)
    a = services.submit(user=c.manager, assessment=a)
    with pytest.raises(ValidationError):
        services.review_save(user=c.reviewer, assessment=a, outcome="return", comment="")
    a = services.review_save(user=c.reviewer, assessment=a, outcome="return", comment="Thiếu minh chứng 1.1")
    assert a.status == AssessmentStatus.RETURNED and a.returned_reason == "Thiếu minh chứng 1.1"
    a = services.submit(user=c.manager, assessment=a)
    # the reviewer lowers 1.2 below its minimum: the file fails and cannot be proposed
    with pytest.raises(ValidationError) as exc:
        services.review_save(
            user=c.reviewer,
            assessment=a,
            scores={"1.2": {"value": 10, "comment": "Chưa đủ"}},
            outcome="propose",
        )
    assert "1.2" in " ".join(exc.value.messages)
    a = services.review_save(
        user=c.reviewer,
        assessment=a,
        scores={"1.2": {"value": 38, "comment": "Trừ 2 điểm"}},
        outcome="propose",
    )
    assert a.status == AssessmentStatus.PROPOSED and a.review_total == 83 and a.review_level == "dat"
    assert a.review["1.2"] == {"value": 38, "comment": "Trừ 2 điểm", "by": c.reviewer.username}
    assert [r.outcome for r in a.reviews.all()] == ["returned", "proposed"]


def test_reviewer_of_another_commune_is_refused(cycle, make_user):
    c = cycle
    a = services.register(user=c.manager, campaign=c.campaign, subject_id=c.households[0].pk)
    a = services.answers_save(user=c.manager, assessment=a, answers=helpers.GOOD)
    a = services.submit(user=c.manager, assessment=a)
    other = make_user(Role.HKH_XA, c.units.commune_b)
    with pytest.raises(PermissionDenied):
        services.review_save(user=other, assessment=a, outcome="propose")
    with pytest.raises(PermissionDenied):
        services.review_bulk(user=other, items={a.pk: "propose"})
    with pytest.raises(PermissionDenied):
        services.register(user=other, campaign=c.campaign, subject_id=c.households[1].pk)
    a.refresh_from_db()
    assert a.status == AssessmentStatus.SUBMITTED


def test_decision_records_everything_needed_to_reproduce_it(cycle):
    c = cycle
    files = [
        helpers.proposed_file(c.campaign, h.pk, officer=c.manager, reviewer=c.reviewer) for h in c.households
    ]
    d = services.decision_issue(
        user=c.chair,
        campaign=c.campaign,
        assessment_ids=[f.pk for f in files],
        legal_basis="Căn cứ Quyết định số 387/QĐ-TTg;\nXét đề nghị của Hội Khuyến học xã.",
        **SIGN,
    )
    assert d.number == 1 and d.number_label == "1/QĐ-UBND"
    assert d.issuer_name == "Ủy ban nhân dân xã Đăk Mar" and d.place == "Đăk Mar" and d.subject_count == 3
    recs = list(d.recognitions.order_by("pk"))
    assert len(recs) == 3
    r = recs[0]
    assert r.criteria_hash == c.cs.content_hash and len(r.criteria_hash) == 64
    assert {x["code"]: x["value"] for x in r.indicator_results} == {"1.1": 45, "1.2": 40, "2.1": True}
    assert all(x["by"] == c.reviewer.username for x in r.indicator_results)
    assert r.unit_path == c.units.village_a1.path
    assert r.unit_label == "Thôn 1, Xã Đăk Mar, Tỉnh Quảng Ngãi"
    assert r.valid_from == dt.date(2025, 12, 15) and r.valid_to == dt.date(2026, 12, 14)
    assert r.total_points == 85
    assert Certificate.objects.filter(recognition__decision=d).count() == 3
    tokens = set(Certificate.objects.values_list("token", flat=True))
    assert len(tokens) == 3 and all(len(t) >= 32 for t in tokens)
    assert set(Assessment.objects.filter(pk__in=[f.pk for f in files]).values_list("status", flat=True)) == {
        AssessmentStatus.RECOGNISED
    }
    bulk = AuditEvent.objects.filter(action="bulk", model="recognition.recognition").get()
    assert bulk.changes["count"] == 3 and bulk.changes["number"] == "1/QĐ-UBND"


def test_numbers_are_gap_free_per_issuer_and_year(cycle, make_user):
    c = cycle
    files = [
        helpers.proposed_file(c.campaign, h.pk, officer=c.manager, reviewer=c.reviewer) for h in c.households
    ]
    d1 = services.decision_issue(user=c.chair, campaign=c.campaign, assessment_ids=[files[0].pk], **SIGN)
    # a refused decision (file already recognised) does not consume a number
    with pytest.raises(ValidationError):
        services.decision_issue(
            user=c.chair, campaign=c.campaign, assessment_ids=[files[0].pk, files[1].pk], **SIGN
        )
    d2 = services.decision_issue(user=c.chair, campaign=c.campaign, assessment_ids=[files[1].pk], **SIGN)
    d3 = services.decision_issue(
        user=c.chair,
        campaign=c.campaign,
        assessment_ids=[files[2].pk],
        **{**SIGN, "date": dt.date(2026, 1, 5)},
    )
    assert [d1.number, d2.number, d3.number] == [1, 2, 1]
    # another commune numbers on its own
    manager_b = make_user(Role.HKH_XA, c.units.commune_b)
    chair_b = make_user(Role.UBND_XA, c.units.commune_b)
    camp_b = services.campaign_create(user=manager_b, title=Title.GDHT, year=2025, unit=c.units.commune_b)
    h = helpers.household(c.units.village_b1, "Đỗ Thị Mai")
    f = helpers.proposed_file(camp_b, h.pk, officer=manager_b, reviewer=manager_b)
    d4 = services.decision_issue(user=chair_b, campaign=camp_b, assessment_ids=[f.pk], **SIGN)
    assert d4.number == 1 and d4.issuer_name == "Ủy ban nhân dân phường Kon Tum"


def test_only_the_configured_authority_decides(cycle, make_user):
    c = cycle
    f = helpers.proposed_file(c.campaign, c.households[0].pk, officer=c.manager, reviewer=c.reviewer)
    for user in (
        c.manager,
        make_user(Role.UBND_XA, c.units.commune_b),
        make_user(Role.SO_GDDT, c.units.province),
    ):
        with pytest.raises(PermissionDenied):
            services.decision_issue(user=user, campaign=c.campaign, assessment_ids=[f.pk], **SIGN)
    assert Decision.objects.count() == 0


def test_revocation_keeps_history_and_appeal_returns_file_to_review(cycle, make_user):
    c = cycle
    f = helpers.proposed_file(c.campaign, c.households[0].pk, officer=c.manager, reviewer=c.reviewer)
    d = services.decision_issue(user=c.chair, campaign=c.campaign, assessment_ids=[f.pk], **SIGN)
    rec = d.recognitions.get()
    assert rec.is_valid_on(dt.date(2026, 1, 1))
    with pytest.raises(ValidationError):
        services.recognition_revoke(user=c.chair, recognition=rec, reason="  ")
    with pytest.raises(PermissionDenied):
        services.recognition_revoke(user=c.manager, recognition=rec, reason="Khai sai")
    rec = services.recognition_revoke(user=c.chair, recognition=rec, reason="Khai không đúng sự thật")
    assert rec.is_revoked and not rec.is_valid_on(dt.date(2026, 1, 1)) and rec.revoked_by == c.chair
    assert Recognition.objects.filter(pk=rec.pk).exists()
    # the household appeals; the reviewer accepts: the file is back in review
    f.refresh_from_db()
    appeal = services.appeal_lodge(user=c.manager, assessment=f, reason="Hộ đã bổ sung minh chứng")
    services.appeal_resolve(user=c.reviewer, appeal=appeal, accept=True, resolution="Thẩm định lại")
    f.refresh_from_db()
    assert f.status == AssessmentStatus.SUBMITTED and f.decision_id is None
    f = services.review_save(user=c.reviewer, assessment=f, outcome="propose")
    d2 = services.decision_issue(user=c.chair, campaign=c.campaign, assessment_ids=[f.pk], **SIGN)
    assert d2.number == 2
    assert Recognition.objects.filter(subject_id=c.households[0].pk).count() == 2
    assert Recognition.objects.filter(subject_id=c.households[0].pk, revoked_at__isnull=True).count() == 1


def test_organisations_are_recognised_for_three_years(units, make_user):
    from xhht.registry.models import Organisation, OrgKind

    helpers.published_set(Title.DVHT)
    manager = make_user(Role.HKH_XA, units.commune_a)
    chair = make_user(Role.UBND_XA, units.commune_a)
    camp = services.campaign_create(user=manager, title=Title.DVHT, year=2025, unit=units.commune_a)
    org = Organisation(name="Trường THCS Đăk Mar", kind=OrgKind.SCHOOL, unit=units.commune_a)
    org.save()
    f = helpers.proposed_file(camp, org.pk, officer=manager, reviewer=manager)
    d = services.decision_issue(user=chair, campaign=camp, assessment_ids=[f.pk], **SIGN)
    assert d.recognitions.get().valid_to == dt.date(2028, 12, 14)


def test_commune_title_is_decided_by_the_education_department(units, make_user):
    helpers.published_set(Title.CDHT_XA)
    hkh_tinh = make_user(Role.HKH_TINH, units.province)
    so = make_user(Role.SO_GDDT, units.province)
    chair = make_user(Role.UBND_XA, units.commune_a)
    camp = services.campaign_create(user=hkh_tinh, title=Title.CDHT_XA, year=2025, unit=units.province)
    hkh_xa = make_user(Role.HKH_XA, units.commune_a)
    a = services.register(user=hkh_xa, campaign=camp, subject_id=units.commune_a.pk)
    a = services.answers_save(user=hkh_xa, assessment=a, answers=helpers.GOOD)
    a = services.submit(user=hkh_xa, assessment=a)
    a = services.review_save(user=hkh_tinh, assessment=a, outcome="propose")
    with pytest.raises(PermissionDenied):
        services.decision_issue(user=chair, campaign=camp, assessment_ids=[a.pk], **SIGN)
    d = services.decision_issue(user=so, campaign=camp, assessment_ids=[a.pk], **SIGN)
    assert d.number_label == "1/QĐ-SGDĐT" and d.issuer_name == "Sở Giáo dục và Đào tạo tỉnh Quảng Ngãi"
    assert d.recognitions.get().unit_path == units.commune_a.path


def test_campaign_needs_a_published_set_and_the_managers_scope(units, make_user):
    manager = make_user(Role.HKH_XA, units.commune_a)
    with pytest.raises(ValidationError):
        services.campaign_create(user=manager, title=Title.DHHT, year=2025, unit=units.commune_a)
    helpers.published_set(Title.DHHT)
    with pytest.raises(PermissionDenied):
        services.campaign_create(user=manager, title=Title.DHHT, year=2025, unit=units.commune_b)
    camp = services.campaign_create(user=manager, title=Title.DHHT, year=2025, unit=units.commune_a)
    with pytest.raises(ValidationError):
        services.campaign_create(user=manager, title=Title.DHHT, year=2025, unit=units.commune_a)
    assert camp.criteria_hash


def test_registration_after_the_deadline_is_refused_to_the_subject_but_not_to_an_officer(units, make_user):
    helpers.published_set(Title.GDHT)
    manager = make_user(Role.HKH_XA, units.commune_a)
    camp = services.campaign_create(
        user=manager,
        title=Title.GDHT,
        year=2025,
        unit=units.commune_a,
        registration_deadline=dt.date(2025, 1, 31),
    )
    head = make_user(Role.CONG_DAN, units.village_a1)
    h = helpers.household(units.village_a1, "Vũ Văn Bảy", head_user=head)
    with pytest.raises(ValidationError):
        services.register(user=head, campaign=camp, subject_id=h.pk)
    a = services.register(user=manager, campaign=camp, subject_id=h.pk)
    assert a.on_behalf


def test_rule_computed_indicator_is_filled_from_the_registry_and_explained(units, make_user):
    helpers.published_set(Title.GDHT, rule="double(size(household.members))")
    manager = make_user(Role.HKH_XA, units.commune_a)
    camp = services.campaign_create(user=manager, title=Title.GDHT, year=2025, unit=units.commune_a)
    h = helpers.household(units.village_a1, "Hà Văn Tám", members=2)
    a = services.register(user=manager, campaign=camp, subject_id=h.pk)
    assert a.computed["3.1"]["value"] == 3
    assert "household.members" in a.computed["3.1"]["explain"] and "size" in a.computed["3.1"]["explain"]
    # a declared value cannot override what the registry computed
    a = services.answers_save(user=manager, assessment=a, answers={**helpers.GOOD, "3.1": {"value": 9}})
    assert "3.1" not in a.answers
    a = services.submit(user=manager, assessment=a)
    a = services.review_save(user=manager, assessment=a, outcome="propose")
    assert {r["code"]: r["source"] for r in a.results}["3.1"] == "rule"


def test_analytics_are_told_after_commit(cycle, django_capture_on_commit_callbacks):
    c = cycle
    f = helpers.proposed_file(c.campaign, c.households[0].pk, officer=c.manager, reviewer=c.reviewer)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        d = services.decision_issue(user=c.chair, campaign=c.campaign, assessment_ids=[f.pk], **SIGN)
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.recognition_revoke(user=c.chair, recognition=d.recognitions.get(), reason="Sai sót")
    assert len(callbacks) == 1
