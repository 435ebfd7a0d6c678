"""Rule-computed indicators follow the registry until the decision: they are computed again when a
file is opened for review (its page, the village page) and when it is decided, shown with the date
they were computed on, and frozen only in the recognition. A digital skill never assessed is not
level 0: the rule reading it has no value and the citizen declares the indicator."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from tests.recognition import helpers
from xhht.accounts.models import Role
from xhht.core.titles import Title
from xhht.recognition import services
from xhht.recognition.models import Assessment, AssessmentStatus, Recognition
from xhht.registry.models import Organisation, OrgKind, OrgMembership, Person, StaffCategory

SHARE_RULE = "100.0 * ratio(organisation.staff.filter(p, p.cdht).size(), size(organisation.staff))"
DIGITAL_RULE = (
    "person.digital_skill >= 3 ? 10 : (person.digital_skill == 2 ? 8 : (person.digital_skill == 1 ? 6 : 0))"
)
_n = itertools.count(1)


def _set(title: str, indicators: list[dict], outcome: dict):
    from xhht.criteria.authoring import build_from_document
    from xhht.criteria.services import publish_set

    n = next(_n)
    doc = {
        "settings": {
            "title": str(title),
            "code": f"test-recompute-{str(title).lower()}-{n}",
            "version": 1,
            "name": f"Bộ thử tính lại {title} {n}",
            "year_from": 2020,
            "source": "Thử nghiệm",
        },
        "groups": [
            {
                "code": "G",
                "label": "Phiếu đánh giá",
                "points": "100",
                "criteria": [{"code": "1", "label": "Tiêu chí", "points": "100", "indicators": indicators}],
            }
        ],
        "outcomes": [outcome],
    }
    admin = factories.make_user(Role.ADMIN, factories.unit("VN/"))
    return publish_set(user=admin, criteria_set=build_from_document(doc, created_by=admin))


def dvht_set(min_share: str = "90"):
    """ĐVHT: a plan (pass/fail) and 3.1, the share of current staff holding Công dân học tập,
    computed by rule, at least ``min_share`` %."""
    return _set(
        Title.DVHT,
        [
            {
                "code": "1.1",
                "label": "Có kế hoạch xây dựng Đơn vị học tập",
                "kind": "pass_fail",
                "points": "0",
            },
            {
                "code": "3.1",
                "label": "Tỷ lệ thành viên đang giữ danh hiệu Công dân học tập (%)",
                "kind": "number",
                "min": min_share,
                "rule": SHARE_RULE,
            },
        ],
        {"level": "dat", "label": "Đạt", "check_minimums": True},
    )


def cdht_set():
    """CDHT: 1.1 declared (50 points, minimum 20) and 2.1 from the digital skill as in the default
    set (10 points, minimum 5, mandatory); "đạt" from 50 points with every minimum."""
    return _set(
        Title.CDHT,
        [
            {"code": "1.1", "label": "Tự học thường xuyên", "points": "50", "min": "20"},
            {
                "code": "2.1",
                "label": "Có kỹ năng công nghệ thông tin đáp ứng yêu cầu công việc",
                "points": "10",
                "min": "5",
                "rule": DIGITAL_RULE,
            },
        ],
        {"level": "dat", "label": "Đạt", "min_total": "50", "check_minimums": True},
    )


@pytest.fixture
def station(units, make_user):
    """Trạm y tế xã Đăk Mar (6 staff, none holding CDHT yet), its officers and a ĐVHT campaign."""
    from types import SimpleNamespace

    manager = make_user(Role.HKH_XA, units.commune_a, full_name="Nguyễn Thị Hoa")
    chair = make_user(Role.UBND_XA, units.commune_a, full_name="A Thắng")
    org = Organisation(name="Trạm y tế xã Đăk Mar", kind=OrgKind.PUBLIC_SERVICE, unit=units.commune_a)
    org.save()
    names = ["Y Blông", "Trần Thị Mai", "A Duy", "Lê Văn Hùng", "Phạm Thị Thu", "Đinh Văn Tuấn"]
    staff = [helpers.person(units.village_a1, n) for n in names]
    for p in staff:
        OrgMembership.objects.create(organisation=org, person=p, category=StaffCategory.PUBLIC_EMPLOYEE)
    return SimpleNamespace(units=units, manager=manager, chair=chair, org=org, staff=staff)


def _dvht_campaign(s, min_share="90"):
    dvht_set(min_share)
    return services.campaign_create(user=s.manager, title=Title.DVHT, year=2025, unit=s.units.commune_a)


def _recognise_cdht(s, people) -> dict[int, Recognition]:
    """Each person recognised Công dân học tập 2025 by a decision of the commune."""
    helpers.published_set(Title.CDHT)
    camp = services.campaign_create(user=s.manager, title=Title.CDHT, year=2025, unit=s.units.commune_a)
    files = [helpers.proposed_file(camp, p.pk, officer=s.manager, reviewer=s.manager) for p in people]
    d = services.decision_issue(
        user=s.chair, campaign=camp, assessment_ids=[f.pk for f in files], **helpers.SIGN
    )
    return {r.subject_id: r for r in d.recognitions.all()}


def _submitted_station_file(s, camp) -> Assessment:
    a = services.register(user=s.manager, campaign=camp, subject_id=s.org.pk)
    a = services.answers_save(user=s.manager, assessment=a, answers={"1.1": {"value": True}})
    return services.submit(user=s.manager, assessment=a)


def _today() -> str:
    return timezone.localdate().strftime("%d/%m/%Y")


def test_health_station_share_is_recomputed_when_the_file_is_opened_for_review(station, login):
    s = station
    camp = _dvht_campaign(s)
    a = _submitted_station_file(s, camp)
    # at registration nobody held the title: 0 %, computed today
    assert a.computed["3.1"]["value"] == 0
    assert a.computed["3.1"]["computed_on"] == timezone.localdate().isoformat()
    with pytest.raises(ValidationError, match="chưa đạt"):
        services.review_save(user=s.manager, assessment=a, outcome="propose")

    recs = _recognise_cdht(s, s.staff)  # all 6 staff recognised after the station registered
    c = login(s.manager)
    page = c.get(f"/danh-gia/ho-so/{a.pk}/").content.decode()
    assert "<strong>100,0</strong>" in page and f"tính ngày {_today()}" in page
    assert 'id="rescored"' in page and "Chưa đạt" not in page.split('id="rescored"')[1].split("</article>")[0]
    r = c.post(f"/danh-gia/ho-so/{a.pk}/", {"outcome": "propose"})
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.status == AssessmentStatus.PROPOSED
    assert a.computed["3.1"]["value"] == 100.0
    assert {x["code"]: x["value"] for x in a.results}["3.1"] == 100.0

    # one staff member's title is revoked: the next opening shows the drop
    services.recognition_revoke(user=s.chair, recognition=recs[s.staff[0].pk], reason="Khai man hồ sơ")
    page = c.get(f"/danh-gia/ho-so/{a.pk}/").content.decode()
    assert "<strong>83,33</strong>" in page
    assert "Chưa đạt" in page.split('id="rescored"')[1].split("</article>")[0]
    # the decision computes again and refuses the file by name
    with pytest.raises(ValidationError, match="Trạm y tế xã Đăk Mar"):
        services.decision_issue(user=s.chair, campaign=camp, assessment_ids=[a.pk], **helpers.SIGN)
    assert not Recognition.objects.filter(title=Title.DVHT).exists()
    # the reviewer records what the registry says now
    services.review_save(user=s.manager, assessment=a, outcome="reviewed")
    a.refresh_from_db()
    assert a.status == AssessmentStatus.REVIEWED and a.computed["3.1"]["value"] == 83.33


def test_a_decided_file_keeps_the_values_of_the_decision_day(station, login):
    s = station
    camp = _dvht_campaign(s, min_share="80")
    recs = _recognise_cdht(s, s.staff)
    a = _submitted_station_file(s, camp)
    a = services.review_save(user=s.manager, assessment=a, outcome="propose")
    assert a.computed["3.1"]["value"] == 100.0
    # between the proposal and the decision a title is revoked: still above 80 %, and the decision
    # freezes the value it computes that day, not the proposal's
    services.recognition_revoke(user=s.chair, recognition=recs[s.staff[1].pk], reason="Chuyển công tác")
    d = services.decision_issue(user=s.chair, campaign=camp, assessment_ids=[a.pk], **helpers.SIGN)
    rec = d.recognitions.get()
    frozen = {r["code"]: r for r in rec.indicator_results}
    assert frozen["3.1"]["value"] == 83.33 and frozen["3.1"]["source"] == "rule"
    assert frozen["3.1"]["computed_on"] == timezone.localdate().isoformat()

    # the registry changes after the decision: the recognition and the decided file do not
    services.recognition_revoke(user=s.chair, recognition=recs[s.staff[2].pk], reason="Chuyển công tác")
    OrgMembership.objects.filter(person=s.staff[3]).update(valid_to=dt.date(2025, 12, 20))
    rec.refresh_from_db()
    a.refresh_from_db()
    assert {r["code"]: r["value"] for r in rec.indicator_results}["3.1"] == 83.33
    assert a.status == AssessmentStatus.RECOGNISED and a.computed["3.1"]["value"] == 83.33
    c = login(s.manager)
    page = c.get(f"/danh-gia/ho-so/{a.pk}/").content.decode()
    assert "<strong>83,33</strong>" in page and "60,0" not in page and 'id="rescored"' not in page
    page = c.get(f"/danh-gia/cong-nhan/{rec.pk}/").content.decode()
    assert f"tính ngày {_today()}" in page


def test_the_village_page_recomputes_every_file_in_one_query(units, make_user, login):
    """The query count of the village review page does not grow with its files: the rules of all
    the files are one SELECT per criteria set."""
    helpers.published_set(Title.GDHT, rule="double(size(household.members))")
    manager = make_user(Role.HKH_XA, units.commune_a)
    camp = services.campaign_create(user=manager, title=Title.GDHT, year=2025, unit=units.commune_a)
    c = login(manager)
    url = f"/danh-gia/dot/{camp.pk}/tham-dinh-thon/{units.village_a1.pk}/"

    def add(n):
        out = []
        for i in range(n):
            h = helpers.household(units.village_a1, f"Hộ Văn Số {next(_n)}", members=i % 3)
            a = services.register(user=manager, campaign=camp, subject_id=h.pk)
            a = services.answers_save(user=manager, assessment=a, answers=helpers.GOOD)
            out.append((h, services.submit(user=manager, assessment=a)))
        return out

    files = add(3)
    c.get(url)
    with CaptureQueriesContext(connection) as three:
        page = c.get(url).content.decode()
    # a member joins one household after registration: the page shows the new count
    h0, a0 = files[1]
    assert a0.computed["3.1"]["value"] == 2
    from xhht.registry.models import HouseholdMember, Relation

    HouseholdMember.objects.create(
        household=h0, person=helpers.person(units.village_a1, "Hà Văn Mới"), relation=Relation.CHILD
    )
    add(3)
    with CaptureQueriesContext(connection) as six:
        page = c.get(url).content.decode()
    assert len(six.captured_queries) == len(three.captured_queries)
    assert page.count(f"tính ngày {_today()}") == 6
    assert "3.1: <span" in page and "<strong>3,0</strong>" in page
    # saving the village's review stores the recomputed values
    r = c.post(url, {f"o_{a0.pk}": "propose"})
    assert r.status_code == 302
    a0.refresh_from_db()
    assert a0.status == AssessmentStatus.PROPOSED and a0.computed["3.1"]["value"] == 3


# ------------------------------------------------------------------------------ digital skill


@pytest.fixture
def cdht(units, make_user):
    from types import SimpleNamespace

    cdht_set()
    manager = make_user(Role.HKH_XA, units.commune_a)
    camp = services.campaign_create(user=manager, title=Title.CDHT, year=2025, unit=units.commune_a)
    return SimpleNamespace(units=units, manager=manager, camp=camp)


def test_an_unassessed_digital_skill_is_declared_by_the_citizen(cdht, make_user, login):
    citizen = make_user(Role.CONG_DAN, cdht.units.village_a1)
    lan = helpers.person(cdht.units.village_a1, "Đinh Thị Lan", user=citizen)
    assert lan.digital_skill is None  # a new person: not assessed (not level 0)
    c = login(citizen)
    r = c.post(f"/cong-dan/dang-ky-danh-hieu/{cdht.camp.pk}/", {"subject": lan.pk})
    a = cdht.camp.assessments.get()
    assert a.computed["2.1"]["value"] is None and a.computed["2.1"]["unknown"]
    page = c.get(f"/cong-dan/ho-so/{a.pk}/cau/1/").content.decode()
    assert "chưa đánh giá — người dân tự khai" in page and f"tính ngày {_today()}" in page
    assert 'name="value"' in page and "chưa có dữ liệu" in page
    c.post(f"/cong-dan/ho-so/{a.pk}/cau/0/", {"value": "40", "action": "next"})
    r = c.post(f"/cong-dan/ho-so/{a.pk}/cau/1/", {"value": "8", "action": "next"})
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.answers["2.1"]["value"] == 8
    summary = c.get(f"/cong-dan/ho-so/{a.pk}/cau/2/").content.decode()
    assert "tự khai" in summary and "Còn thiếu" not in summary
    c.post(f"/cong-dan/ho-so/{a.pk}/cau/2/", {"action": "submit"})
    a.refresh_from_db()
    assert a.status == AssessmentStatus.SUBMITTED and a.self_total == 48
    file_page = c.get(f"/cong-dan/ho-so/{a.pk}/").content.decode()
    assert 'id="computed-values"' in file_page and "chưa đánh giá — người dân tự khai" in file_page

    # the review takes the declaration while the registry has no level …
    a = services.review_save(user=cdht.manager, assessment=a, outcome="reviewed")
    res = {x["code"]: x for x in a.results}["2.1"]
    assert res["value"] == 8 and res["source"] == "self" and res["rule_unknown"]
    # … and the registry once an officer has assessed it
    Person.objects.filter(pk=lan.pk).update(digital_skill=3)
    a = services.review_save(user=cdht.manager, assessment=a, outcome="propose")
    res = {x["code"]: x for x in a.results}["2.1"]
    assert res["value"] == 10 and res["source"] == "rule" and "rule_unknown" not in res


def test_an_assessed_level_zero_is_not_overridden_by_a_declaration(cdht):
    p = helpers.person(cdht.units.village_a1, "Y Hoa")
    Person.objects.filter(pk=p.pk).update(digital_skill=0)
    a = services.register(user=cdht.manager, campaign=cdht.camp, subject_id=p.pk)
    assert a.computed["2.1"] == {
        "value": 0,
        "explain": "Quy tắc: " + DIGITAL_RULE + " — dữ liệu: person.digital_skill = 0",
        "computed_on": timezone.localdate().isoformat(),
    }
    a = services.answers_save(
        user=cdht.manager, assessment=a, answers={"1.1": {"value": 45}, "2.1": {"value": 10}}
    )
    assert "2.1" not in a.answers and a.self_level == ""
    a = services.submit(user=cdht.manager, assessment=a)
    with pytest.raises(ValidationError, match="chưa đạt"):
        services.review_save(user=cdht.manager, assessment=a, outcome="propose")


def test_the_migration_keeps_only_zeros_an_officer_chose(units, make_user):
    """0 meant "not assessed" too: the migration turns every 0 into NULL, except where the audit
    trail shows an officer changing the level to 0 on the person's record."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("xhht.registry.migrations.0013_digital_skill_not_assessed")
    officer = make_user(Role.HKH_XA, units.commune_a)
    from xhht.accounts.audit import actor_context

    def person(name, level):
        p = helpers.person(units.village_a1, name)
        Person.objects.filter(pk=p.pk).update(digital_skill=level)  # as the old defaults wrote it
        return Person.objects.get(pk=p.pk)

    default_zero = person("Mặc Định Không", 0)
    chosen_zero = person("Đã Chấm Không", 2)
    with actor_context(user=officer):
        chosen_zero.digital_skill = 0
        chosen_zero.save()  # an officer's edit: audited with before and after
    later_raised = person("Sau Nâng Lên", 0)
    with actor_context(user=officer):
        later_raised.digital_skill = 1
        later_raised.save()
        later_raised.digital_skill = 0
        later_raised.save()
    level_two = person("Mức Hai", 2)
    migration.forwards(apps, None)
    got = dict(Person.objects.values_list("full_name", "digital_skill"))
    assert got["Mặc Định Không"] is None
    assert got["Đã Chấm Không"] == 0 and got["Sau Nâng Lên"] == 0
    assert got["Mức Hai"] == 2
    assert default_zero.pk and level_two.pk


def test_the_computed_values_and_their_date_in_english(cdht, make_user, login):
    citizen = make_user(Role.CONG_DAN, cdht.units.village_a1)
    lan = helpers.person(cdht.units.village_a1, "Đinh Thị Lan", user=citizen)
    c = login(citizen)
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    c.post(f"/cong-dan/dang-ky-danh-hieu/{cdht.camp.pk}/", {"subject": lan.pk})
    a = cdht.camp.assessments.get()
    page = c.get(f"/cong-dan/ho-so/{a.pk}/cau/1/").content.decode()
    assert "not assessed — declared by the citizen" in page and f"computed on {_today()}" in page
    assert "chưa đánh giá" not in page and "tính ngày" not in page
    page = c.get(f"/cong-dan/ho-so/{a.pk}/").content.decode()
    assert "Indicators computed from the registry" in page
