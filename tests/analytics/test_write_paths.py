"""Every write path keeps the indicators fresh.

One table, ``CASES``: for every write service of the registry, the map, recognition, the approval
of aggregate data sets and every import kind, a realistic call as the officer who would make it.
Each case runs on a small registry whose counts were just rebuilt, inside
``django_capture_on_commit_callbacks(execute=True)`` so the refreshes queued for the commit run;
the incrementally kept counts (``Fact`` and ``LeafCount``, non-zero rows) must then equal a full
``analytics.services.rebuild()``. Cases marked ``changes`` must also move some figure (the case
really reaches the counts).

The registry holds the awkward cases on purpose: a clan recognised in one commune with a household
in another, a household recognised in one commune with a member who lives in another, an
organisation recognised in one commune whose staff live in another, a CDHT holder who moved away
from where he was recognised.

``test_every_write_service_is_in_the_table`` enumerates the public functions of the services
modules: a function that is neither in the table nor in ``WRITES_NOTHING`` (with the reason) fails
the suite, so a new write service cannot be forgotten.
"""

from __future__ import annotations

import csv
import datetime as dt
import inspect
import io
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType, SimpleNamespace

import pytest
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories
from tests.analytics.gen import generate, recognise
from tests.recognition import helpers
from xhht.accounts.access import grant
from xhht.accounts.models import Role
from xhht.analytics import hooks, signals
from xhht.analytics import services as analytics
from xhht.analytics.models import Fact, LeafCount
from xhht.core.titles import SubjectType, Title
from xhht.geo import services as geo
from xhht.geo.models import AdminUnit, Kind, Level
from xhht.imports import services as imports
from xhht.imports.models import ImportKind
from xhht.plans import services as plans
from xhht.plans.models import DataEntry, DataSet, DataValue, EntryStatus
from xhht.recognition import services as recognition
from xhht.recognition.models import Recognition
from xhht.registry import models as R
from xhht.registry import services as registry

TODAY = dt.date.today()
_seq = itertools.count(1)


# ------------------------------------------------------------------------------------- the registry


def _person(village, name, birth_year, **kw) -> R.Person:
    return R.Person.objects.create(full_name=name, village=village, birth_year=birth_year, **kw)


def _household(code, village, head, *members) -> R.Household:
    hh = R.Household.objects.create(code=code, village=village, head=head)
    R.HouseholdMember.objects.create(household=hh, person=head, relation=R.Relation.HEAD)
    for m in members:
        R.HouseholdMember.objects.create(household=hh, person=m, relation=R.Relation.CHILD)
    return hh


@pytest.fixture
def w(units, make_user, tmp_path, settings):
    """The generated registry (``gen.generate``) with named subjects for the cases, their officers,
    two campaigns and two data-set entries; counts rebuilt."""
    settings.MEDIA_ROOT = tmp_path
    plans.load_catalogue()
    g = generate(units)
    a1, a2, b1 = units.village_a1, units.village_a2, units.village_b1
    A, B = units.commune_a, units.commune_b
    b2 = factories.village(B, "Tổ dân phố 2", Kind.RESIDENTIAL_GROUP)  # not recognised CĐHT, unlike b1
    x = SimpleNamespace(units=units, g=g, A=A, B=B, a1=a1, a2=a2, b1=b1, b2=b2, tmp=tmp_path)
    # officers: the commune officer of both communes (registry, imports, villages, campaigns,
    # review), the commune chairs (decisions), the province department (data-set approval)
    x.officer = make_user(Role.HKH_XA, A, full_name="Nguyễn Thị Hoa")
    grant(x.officer, Role.HKH_XA, B)
    x.chair_a = make_user(Role.UBND_XA, A, full_name="A Thắng")
    x.chair_b = make_user(Role.UBND_XA, B, full_name="Y Blơng")
    x.so = make_user(Role.SO_GDDT, units.province, full_name="Trần Văn Sở")

    # a household of Thôn 1 recognised GĐHT 2025; one member lives in Phường Kon Tum now, and holds
    # CDHT 2025 recorded in Xã Đăk Mar where he lived then
    x.p_head = _person(a1, "Lê Văn Hùng", 1970, external_id="CD-PH")
    x.p_m1 = _person(a1, "Lê Thị Mai", 1985, external_id="CD-PM1")
    x.p_child = _person(a1, "Lê Minh Khang", 2015)
    x.mover = _person(b2, "Lê Văn Tâm", 2000, digital_skill=0, technical_qualification="khong")
    x.hh_rec = _household("HR-A", a1, x.p_head, x.p_m1, x.p_child, x.mover)
    recognise(Title.GDHT, 2025, SubjectType.HOUSEHOLD, x.hh_rec.pk, "Hộ Lê Văn Hùng", a1)
    recognise(Title.CDHT, 2025, SubjectType.PERSON, x.mover.pk, x.mover.full_name, a1)
    # a household of Thôn 2, not recognised
    x.q_head = _person(a2, "Phạm Văn Quang", 1975)
    x.q_m1 = _person(a2, "Phạm Thị Quyên", 1990, external_id="CD-QM1")
    x.hh_plain = _household("HP-A", a2, x.q_head, x.q_m1)
    # an adult of Thôn 1 in no household, CDHT 2025 (the record kept when the school's teacher,
    # entered twice, is merged)
    x.lone = _person(a1, "Đỗ Văn Lẻ", 1988, external_id="CD-LONE")
    recognise(Title.CDHT, 2025, SubjectType.PERSON, x.lone.pk, x.lone.full_name, a1)
    # the clan of Xã Đăk Mar (DHHT 2025) has a household in Phường Kon Tum
    x.r_head = _person(b2, "Nguyễn Văn Rạng", 1972)
    x.r_m1 = _person(b2, "Nguyễn Thị Ry", 1996)
    x.hh_b = _household("HB-1", b2, x.r_head, x.r_m1)
    R.ClanHousehold.objects.create(clan=g.clan, household=x.hh_b)
    x.s_head = _person(b2, "Trần Văn Sang", 1968)
    x.hh_b2 = _household("HB-2", b2, x.s_head)
    # the school of Xã Đăk Mar (ĐVHT 2025) employs people of Phường Kon Tum
    g.org.external_id = "DV-001"
    g.org.save()
    x.staff_b = _person(b2, "Hồ Thị Sen", 1987)
    R.OrgMembership.objects.create(organisation=g.org, person=x.staff_b, category="vien_chuc")
    x.cd_b = _person(b2, "Vũ Văn Chí", 1983, digital_skill=1)
    recognise(Title.CDHT, 2025, SubjectType.PERSON, x.cd_b.pk, x.cd_b.full_name, b2)
    x.q_m1_staff = R.OrgMembership.objects.create(organisation=g.org, person=x.q_m1, category="vien_chuc")
    # the study-promotion association of Xã Đăk Mar, a briefing and an IT course
    x.branch = R.AssociationBranch.objects.create(name="Chi hội Khuyến học thôn 1", unit=A)
    x.member_head = R.AssociationMember.objects.create(person=x.p_head, branch=x.branch, is_officer=True)
    x.member_m1 = R.AssociationMember.objects.create(person=x.p_m1, branch=x.branch)
    x.briefing = R.Training.objects.create(
        unit=A, name="Quán triệt tiêu chí 2025", kind="quan_triet", date=dt.date(2025, 3, 1)
    )
    R.TrainingAttendance.objects.create(training=x.briefing, member=x.member_head)
    # a household nobody registered yet (for the recognition cycle)
    x.n_head = _person(a2, "Hoàng Văn Nam", 1982)
    x.n_m1 = _person(a2, "Hoàng Thị Nga", 1984)
    x.hh_new = _household("HN-A", a2, x.n_head, x.n_m1)
    # criteria, campaigns
    helpers.published_set(Title.GDHT)
    helpers.published_set(Title.CDHT)
    deadlines = {
        "registration_deadline": TODAY + dt.timedelta(days=30),
        "review_deadline": TODAY + dt.timedelta(days=60),
    }
    x.camp_gdht = recognition.campaign_create(
        user=x.officer, title=Title.GDHT, year=2025, unit=A, **deadlines
    )
    x.camp_cdht = recognition.campaign_create(
        user=x.officer, title=Title.CDHT, year=2025, unit=B, **deadlines
    )
    # data sets: Xã Đăk Mar's 2025 figures submitted, Phường Kon Tum's approved
    x.ds = DataSet.objects.get(code="XMC_PCGD")
    figures = {"pop_15_60": 900, "literate_15_60": 870, "communes_total": 1, "communes_pcgd_thcs": 1}
    x.entry_a = _entry(x.ds, A, EntryStatus.SUBMITTED, figures)
    x.entry_b = _entry(x.ds, B, EntryStatus.APPROVED, figures)
    _rebuild()
    return x


def _rebuild() -> None:
    """A full rebuild, and nothing left queued: the rows saved so far were saved in the test's
    transaction, which never commits, so their queued refreshes would run with the next case's and
    could hide one it forgot."""
    analytics.rebuild()
    signals._pending.todo = {}


def _entry(ds, unit, status, figures) -> DataEntry:
    e = DataEntry.objects.create(dataset=ds, unit=unit, year=2025, status=status)
    for el in ds.elements.all():
        DataValue.objects.create(entry=e, element=el, value=figures.get(el.code))
    return e


def _csv(x, header: list[str], rows: list[list]) -> str:
    path = x.tmp / f"tep-{next(_seq)}.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f, delimiter=";")
        out.writerow(header)
        out.writerows(rows)
    return str(path)


def _import(x, kind: str, header: list[str], rows: list[list]) -> None:
    out = imports.import_file(
        actor=x.officer, path=_csv(x, header, rows), kind=kind, commune=x.A, dry_run=False
    )
    assert out.committed, [(i.row, i.field, i.message) for i in out.report.errors]


def _new_village(commune, name) -> AdminUnit:
    code = f"T{commune.code}9{next(_seq):03d}"
    return AdminUnit.objects.create(
        code=code,
        name=name,
        kind=Kind.VILLAGE,
        level=Level.VILLAGE,
        parent=commune,
        path=f"{commune.path}{code}/",
        valid_from=dt.date(2025, 7, 1),
    )


# ------------------------------------------------------------------------------------------ the cases


@dataclass
class Case:
    fn: Callable  # the service this case exercises (the meta-test reads it)
    act: Callable  # act(x): the call, as its officer
    setup: Callable | None = None  # setup(x) -> dict merged into x, before the counts are rebuilt
    changes: bool = True  # some figure must move
    name: str = ""
    kind: str = ""  # import kind
    extra: dict = field(default_factory=dict)


def _proposed(x, campaign, subject_id):
    return helpers.proposed_file(campaign, subject_id, officer=x.officer, reviewer=x.officer)


def _returned(x):
    a = recognition.register(user=x.officer, campaign=x.camp_gdht, subject_id=x.hh_new.pk)
    a = recognition.answers_save(user=x.officer, assessment=a, answers=helpers.GOOD)
    a = recognition.submit(user=x.officer, assessment=a)
    return recognition.review_save(user=x.officer, assessment=a, outcome="return", comment="Thiếu minh chứng")


def _setup_merge_households(x):
    x.d_head = _person(x.a2, "Đinh Văn Dũng", 1979)
    x.d_m1 = _person(x.a2, "Đinh Thị Dung", 1981)
    x.hh_drop = _household("HD-A", x.a2, x.d_head, x.d_m1)


def _setup_centre(x):
    x.centre2 = R.LearningCentre.objects.create(name="TTHTCĐ Đăk Mar 2", commune=x.A, uses_it_activities=True)


def _setup_htx(x):
    x.htx = R.Organisation.objects.get(name="HTX")
    R.OrgMembership.objects.create(organisation=x.htx, person=x.p_head, category="nguoi_lao_dong")
    R.OrgMembership.objects.create(organisation=x.htx, person=x.cd_b, category="nguoi_lao_dong")


def _setup_new_village_b(x):
    x.b_new = _new_village(x.B, "Tổ dân phố 9")


def _setup_appeal(x):
    x.appeal = recognition.appeal_lodge(
        user=x.officer, assessment=_returned(x), reason="Hộ đã bổ sung minh chứng"
    )


def _setup_cdht_file(x):
    x.file = _proposed(x, x.camp_cdht, x.staff_b.pk)


SIGN = helpers.SIGN
PEOPLE_HEADER = [
    "Mã công dân",
    "Mã hộ",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Thôn/Tổ dân phố",
    "Quan hệ với chủ hộ",
    "Trình độ chuyên môn",
    "Kỹ năng số",
]


def _people_rows(x) -> list[list]:
    """A new household of two adults and a child; a new adult member of the GĐHT household (with its
    head and member as they are); the lone adult now in Thôn 2, with a university degree."""
    return [
        ["CD-N1", "HM-01", "Trịnh Văn Mới", "12/04/1979", "Nam", "Thôn 2", "Chủ hộ", "Đại học", "2"],
        ["CD-N2", "HM-01", "Trịnh Thị Mơ", "03/08/1983", "Nữ", "Thôn 2", "Vợ", "Không", "1"],
        ["CD-N3", "HM-01", "Trịnh Minh An", "2016", "Nam", "Thôn 2", "Con", "Không", "0"],
        ["CD-PH", "HR-A", "Lê Văn Hùng", "1970", "Nam", "Thôn 1", "Chủ hộ", "Không", "0"],
        ["CD-PM1", "HR-A", "Lê Thị Mai", "1985", "Nữ", "Thôn 1", "Con", "Không", "0"],
        ["CD-N4", "HR-A", "Lê Văn Tới", "1992", "Nam", "Thôn 1", "Con", "Cao đẳng", "1"],
        ["CD-LONE", "", "Đỗ Văn Lẻ", "1988", "Nam", "Thôn 2", "", "Đại học", "1"],
    ]


def _household_rows(x) -> list[list]:
    return [r for r in _people_rows(x) if r[1]]


CASES: list[Case] = [
    # --- registry: people
    Case(
        registry.person_create,
        lambda x: registry.person_create(
            actor=x.officer,
            village=x.a1,
            full_name="Mai Văn Mới",
            birth_year=1990,
            technical_qualification="dai_hoc",
        ),
    ),
    Case(
        registry.person_update,
        lambda x: registry.person_update(
            actor=x.officer, person=x.mover, digital_skill=2, technical_qualification="dai_hoc"
        ),
        name="person_update of a CDHT holder recognised in another commune",
    ),
    Case(
        registry.person_move,
        lambda x: registry.person_move(
            actor=x.officer, person=x.p_m1, village=x.b2, reason="Chuyển về phường"
        ),
        name="person_move to another commune, staying in a recognised household",
    ),
    Case(
        registry.person_merge,
        lambda x: registry.person_merge(actor=x.officer, keep=x.lone, drop=x.q_m1),
        name="person_merge: the duplicate's household and staff memberships go to the record kept",
    ),
    Case(
        registry.person_mark_distinct,
        lambda x: registry.person_mark_distinct(actor=x.officer, a=x.lone, b=x.q_m1),
        changes=False,
    ),
    # --- registry: households
    Case(
        registry.household_create,
        lambda x: registry.household_create(actor=x.officer, village=x.a1, head=x.lone, address="Thôn 1"),
    ),
    Case(
        registry.household_update,
        lambda x: registry.household_update(actor=x.officer, household=x.hh_plain, village=x.b1),
        name="household_update: the household moves to another commune",
    ),
    Case(
        registry.household_add_member,
        lambda x: registry.household_add_member(
            actor=x.officer, household=x.hh_rec, person=x.lone, relation=R.Relation.OTHER
        ),
    ),
    Case(
        registry.household_remove_member,
        lambda x: registry.household_remove_member(actor=x.officer, household=x.hh_rec, person=x.p_m1),
    ),
    Case(
        registry.household_set_head,
        lambda x: registry.household_set_head(
            actor=x.officer, household=x.hh_rec, person=x.p_m1, old_head_relation=R.Relation.PARENT
        ),
        changes=False,
    ),
    Case(
        registry.household_merge,
        lambda x: registry.household_merge(actor=x.officer, keep=x.hh_rec, drop=x.hh_drop),
        setup=_setup_merge_households,
    ),
    # --- registry: clans
    Case(registry.clan_create, lambda x: registry.clan_create(actor=x.officer, commune=x.A, name="Họ Lê")),
    Case(
        registry.clan_update,
        lambda x: registry.clan_update(actor=x.officer, clan=x.g.clan, name="Họ Nguyễn Văn", head=x.p_head),
        changes=False,
    ),
    Case(
        registry.clan_add_household,
        lambda x: registry.clan_add_household(actor=x.officer, clan=x.g.clan, household=x.hh_b2),
        name="clan_add_household: a household of another commune joins a recognised clan",
    ),
    Case(
        registry.clan_remove_household,
        lambda x: registry.clan_remove_household(actor=x.officer, clan=x.g.clan, household=x.hh_b),
    ),
    # --- registry: organisations and learning centres
    Case(
        registry.organisation_create,
        lambda x: registry.organisation_create(
            actor=x.officer, unit=x.A, name="Trạm y tế xã", kind="su_nghiep"
        ),
    ),
    Case(
        registry.organisation_update,
        lambda x: registry.organisation_update(actor=x.officer, organisation=x.g.org, unit=x.B),
        name="organisation_update: the recognised school moves to another commune",
    ),
    Case(
        registry.org_staff_add,
        lambda x: registry.org_staff_add(
            actor=x.officer, organisation=x.g.org, person=x.cd_b, category="vien_chuc", position="Giáo viên"
        ),
        name="org_staff_add: a CDHT holder of another commune joins a recognised school",
    ),
    Case(
        registry.org_staff_end,
        lambda x: registry.org_staff_end(actor=x.officer, membership=x.q_m1_staff),
    ),
    Case(
        registry.organisation_merge,
        lambda x: registry.organisation_merge(actor=x.officer, keep=x.g.org, drop=x.htx),
        setup=_setup_htx,
    ),
    Case(
        registry.centre_create,
        lambda x: registry.centre_create(actor=x.officer, commune=x.B, name="TTHTCĐ Kon Tum 2"),
    ),
    Case(
        registry.centre_update,
        lambda x: registry.centre_update(
            actor=x.officer, centre=R.LearningCentre.objects.get(commune=x.B), uses_it_management=True
        ),
    ),
    Case(
        registry.centres_merge,
        lambda x: registry.centres_merge(
            actor=x.officer,
            centres=[x.centre2],
            into=R.LearningCentre.objects.get(name="TTHTCĐ Đăk Mar"),
        ),
        setup=_setup_centre,
    ),
    Case(
        registry.centre_staff_add,
        lambda x: registry.centre_staff_add(
            actor=x.officer, centre=R.LearningCentre.objects.get(commune=x.B), person=x.cd_b, role="Giám đốc"
        ),
        changes=False,
    ),
    Case(
        registry.centre_staff_end,
        lambda x: registry.centre_staff_end(
            actor=x.officer,
            staff=R.CentreStaff.objects.create(
                centre=R.LearningCentre.objects.get(commune=x.B), person=x.cd_b
            ),
        ),
        changes=False,
    ),
    # --- registry: the study-promotion association
    Case(
        registry.branch_create,
        lambda x: registry.branch_create(actor=x.officer, unit=x.B, name="Chi hội Khuyến học tổ 1"),
        changes=False,
    ),
    Case(
        registry.branch_update,
        lambda x: registry.branch_update(actor=x.officer, branch=x.branch, name=x.branch.name, unit=x.B),
        name="branch_update: the branch and its members move to another commune",
    ),
    Case(
        registry.member_add,
        lambda x: registry.member_add(actor=x.officer, branch=x.branch, person=x.lone, is_officer=True),
    ),
    Case(
        registry.member_update,
        lambda x: registry.member_update(actor=x.officer, member=x.member_head, is_officer=False, left=TODAY),
    ),
    Case(
        registry.training_create,
        lambda x: registry.training_create(
            actor=x.officer, unit=x.A, name="Bồi dưỡng CNTT", kind="cntt", date=dt.date(2025, 9, 1)
        ),
        changes=False,
    ),
    Case(
        registry.training_record_attendance,
        lambda x: registry.training_record_attendance(
            actor=x.officer, training=x.briefing, members=[x.member_m1]
        ),
    ),
    # --- registry: residents carried forward when villages merge or split
    Case(
        registry.carry_residents_forward,
        lambda x: registry.carry_residents_forward(
            predecessors=[x.b1], successors=[x.b_new], effective=TODAY, kind="merge"
        ),
        setup=_setup_new_village_b,
        name="carry_residents_forward out of a village recognised CĐHT",
    ),
    Case(
        registry.on_villages_succeeded,
        lambda x: registry.on_villages_succeeded(
            AdminUnit, predecessors=[x.b1], successors=[x.b_new], effective=TODAY, kind="split"
        ),
        setup=_setup_new_village_b,
    ),
    # --- the map: villages (their residents follow through ``villages_succeeded``)
    Case(geo.village_create, lambda x: geo.village_create(actor=x.officer, commune=x.A, name="Thôn 7")),
    Case(
        geo.village_rename,
        lambda x: geo.village_rename(actor=x.officer, village=x.a2, new_name="Thôn Hai"),
        changes=False,
    ),
    Case(
        geo.villages_merge,
        lambda x: geo.villages_merge(actor=x.officer, villages=[x.a1, x.a2], name="Thôn Hợp Nhất"),
    ),
    Case(
        geo.village_split,
        lambda x: geo.village_split(actor=x.officer, village=x.b1, names=["Tổ dân phố 1A", "Tổ dân phố 1B"]),
        name="village_split of a village recognised CĐHT",
    ),
    # --- recognition
    Case(
        recognition.campaign_create,
        lambda x: recognition.campaign_create(user=x.officer, title=Title.GDHT, year=2026, unit=x.A),
        changes=False,
    ),
    Case(
        recognition.campaign_update,
        lambda x: recognition.campaign_update(
            user=x.officer,
            campaign=x.camp_gdht,
            name="Gia đình học tập 2025",
            registration_deadline=None,
            self_assessment_deadline=None,
            review_deadline=None,
            decision_deadline=None,
            is_open=True,
        ),
        changes=False,
    ),
    Case(
        recognition.register,
        lambda x: recognition.register(user=x.officer, campaign=x.camp_gdht, subject_id=x.hh_new.pk),
    ),
    Case(
        recognition.answers_save,
        lambda x: recognition.answers_save(user=x.officer, assessment=x.file, answers=helpers.GOOD),
        setup=lambda x: setattr(
            x, "file", recognition.register(user=x.officer, campaign=x.camp_gdht, subject_id=x.hh_new.pk)
        ),
        changes=False,
    ),
    Case(
        recognition.submit,
        lambda x: recognition.submit(user=x.officer, assessment=x.file),
        setup=lambda x: setattr(
            x,
            "file",
            recognition.answers_save(
                user=x.officer,
                assessment=recognition.register(user=x.officer, campaign=x.camp_gdht, subject_id=x.hh_new.pk),
                answers=helpers.GOOD,
            ),
        ),
        changes=False,
    ),
    Case(
        recognition.evidence_add,
        lambda x: recognition.evidence_add(
            user=x.officer,
            assessment=x.file,
            indicator_code="1.1",
            upload=SimpleUploadedFile("giay.pdf", b"%PDF-1.4\n" + b"\0" * 100),
        ),
        setup=lambda x: setattr(
            x, "file", recognition.register(user=x.officer, campaign=x.camp_gdht, subject_id=x.hh_new.pk)
        ),
        changes=False,
    ),
    Case(
        recognition.review_save,
        lambda x: recognition.review_save(user=x.officer, assessment=x.file, outcome="propose"),
        setup=lambda x: setattr(
            x,
            "file",
            recognition.submit(
                user=x.officer,
                assessment=recognition.answers_save(
                    user=x.officer,
                    assessment=recognition.register(
                        user=x.officer, campaign=x.camp_gdht, subject_id=x.hh_new.pk
                    ),
                    answers=helpers.GOOD,
                ),
            ),
        ),
        changes=False,
    ),
    Case(
        recognition.review_bulk,
        lambda x: recognition.review_bulk(user=x.officer, items={x.file.pk: "propose"}),
        setup=lambda x: setattr(
            x,
            "file",
            recognition.submit(
                user=x.officer,
                assessment=recognition.answers_save(
                    user=x.officer,
                    assessment=recognition.register(
                        user=x.officer, campaign=x.camp_gdht, subject_id=x.hh_new.pk
                    ),
                    answers=helpers.GOOD,
                ),
            ),
        ),
        changes=False,
    ),
    Case(
        recognition.decision_issue,
        lambda x: recognition.decision_issue(
            user=x.chair_a, campaign=x.camp_gdht, assessment_ids=[x.file.pk], **SIGN
        ),
        setup=lambda x: setattr(x, "file", _proposed(x, x.camp_gdht, x.hh_new.pk)),
        name="decision_issue: a household recognised GĐHT",
    ),
    Case(
        recognition.decision_issue,
        lambda x: recognition.decision_issue(
            user=x.chair_b, campaign=x.camp_cdht, assessment_ids=[x.file.pk], **SIGN
        ),
        setup=_setup_cdht_file,
        name="decision_issue: CDHT for staff of a school recognised in another commune",
    ),
    Case(
        recognition.recognition_revoke,
        lambda x: recognition.recognition_revoke(
            user=x.chair_a,
            recognition=Recognition.objects.get(title=Title.DHHT, subject_id=x.g.clan.pk),
            reason="Dòng họ khai không đúng",
        ),
        name="recognition_revoke of a clan with a household in another commune",
    ),
    Case(
        recognition.recognition_revoke,
        lambda x: recognition.recognition_revoke(
            user=x.chair_a,
            recognition=Recognition.objects.get(title=Title.CDHT, subject_id=x.mover.pk),
            reason="Khai không đúng",
        ),
        name="recognition_revoke of a CDHT holder who moved away",
    ),
    Case(
        recognition.next_decision_number,
        lambda x: recognition.next_decision_number(x.A, 2025),
        changes=False,
    ),
    Case(
        recognition.appeal_lodge,
        lambda x: recognition.appeal_lodge(user=x.officer, assessment=x.file, reason="Đã bổ sung minh chứng"),
        setup=lambda x: setattr(x, "file", _returned(x)),
        changes=False,
    ),
    Case(
        recognition.appeal_resolve,
        lambda x: recognition.appeal_resolve(
            user=x.officer, appeal=x.appeal, accept=True, resolution="Xét lại"
        ),
        setup=_setup_appeal,
        changes=False,
    ),
    # --- aggregate data sets
    Case(
        plans.entry_save,
        lambda x: plans.entry_save(
            actor=x.officer,
            dataset=x.ds,
            unit=x.A,
            year=2025,
            values={"pop_15_60": 950, "literate_15_60": 900, "communes_total": 1, "communes_pcgd_thcs": 1},
            submit=True,
        ),
        changes=False,
    ),
    Case(plans.entry_approve, lambda x: plans.entry_approve(actor=x.so, entry=x.entry_a)),
    Case(plans.entry_unlock, lambda x: plans.entry_unlock(actor=x.so, entry=x.entry_b)),
    # --- deletions (only the admin deletes registry rows; its per-row signals reach the counts)
    Case(
        ModelAdmin.delete_model,
        lambda x: admin.site._registry[R.Household].delete_model(None, x.hh_plain),
        name="admin deletes a household with its members",
    ),
    Case(
        ModelAdmin.delete_queryset,
        lambda x: admin.site._registry[R.Clan].delete_queryset(None, R.Clan.objects.filter(pk=x.g.clan.pk)),
        name="admin deletes a recognised clan with its households in two communes",
    ),
    # --- imports, one per kind
    Case(
        imports.import_file,
        lambda x: _import(x, ImportKind.PEOPLE, PEOPLE_HEADER, _people_rows(x)),
        kind=ImportKind.PEOPLE,
    ),
    Case(
        imports.import_file,
        lambda x: _import(x, ImportKind.HOUSEHOLDS, PEOPLE_HEADER, _household_rows(x)),
        kind=ImportKind.HOUSEHOLDS,
    ),
    Case(
        imports.import_file,
        lambda x: _import(
            x,
            ImportKind.CLANS,
            ["Mã dòng họ", "Tên dòng họ", "Mã hộ"],
            [["", "Họ Nguyễn", "HP-A"], ["DH-LE", "Họ Lê", "HR-A"]],
        ),
        kind=ImportKind.CLANS,
    ),
    Case(
        imports.import_file,
        lambda x: _import(
            x,
            ImportKind.ORGANISATIONS,
            ["Mã đơn vị", "Tên đơn vị", "Loại hình", "Mã công dân", "Loại nhân sự", "Chức vụ"],
            [
                ["DV-001", "Trường THCS", "Trường học", "CD-LONE", "Viên chức", "Giáo viên"],
                ["DV-001", "Trường THCS", "Trường học", "CD-PH", "Viên chức", "Bảo vệ"],
                ["DV-002", "Trạm y tế xã Đăk Mar", "Đơn vị sự nghiệp", "", "", ""],
            ],
        ),
        kind=ImportKind.ORGANISATIONS,
    ),
    Case(
        imports.import_file,
        lambda x: _import(
            x,
            ImportKind.ASSOCIATION,
            ["Chi hội", "Mã công dân", "Là cán bộ hội", "Chức vụ trong hội"],
            [
                ["Chi hội Khuyến học thôn 1", "CD-LONE", "Có", "Chi hội trưởng"],
                ["Chi hội Khuyến học thôn 2", "CD-QM1", "Không", "Hội viên"],
            ],
        ),
        kind=ImportKind.ASSOCIATION,
    ),
]


def _case_id(c: Case) -> str:
    return c.name or c.kind or c.fn.__name__


def _snapshot() -> tuple[list, list]:
    return (
        sorted(Fact.objects.exclude(value=0).values_list("measure", "year", "path", "value")),
        sorted(LeafCount.objects.exclude(value=0).values_list("measure", "year", "path", "value")),
    )


def _run(x, case: Case, capture) -> tuple[tuple, tuple]:
    """Set up, rebuild, then run the case with its commit callbacks; (before, after) snapshots."""
    if case.setup is not None:
        with capture(execute=True):
            case.setup(x)
        _rebuild()
    before = _snapshot()
    with capture(execute=True):
        case.act(x)
    return before, _snapshot()


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_incremental_counts_equal_a_rebuild_after_every_write(w, case, django_capture_on_commit_callbacks):
    before, fresh = _run(w, case, django_capture_on_commit_callbacks)
    if case.changes:
        assert fresh != before, "the case should move some figure"
    analytics.rebuild()
    rebuilt = _snapshot()
    facts = set(fresh[0]) ^ set(rebuilt[0])
    assert not facts, f"facts that differ from a rebuild (stale, or missing): {sorted(facts)[:20]}"
    assert fresh[1] == rebuilt[1]


def test_a_bulk_write_without_its_hook_is_caught(w, monkeypatch, django_capture_on_commit_callbacks):
    """The comparison can fail: an import whose hook is silenced leaves the counts stale."""
    monkeypatch.setattr(hooks, "registry_written", lambda **kw: None)
    case = next(c for c in CASES if c.kind == ImportKind.PEOPLE)
    before, fresh = _run(w, case, django_capture_on_commit_callbacks)
    assert fresh == before
    analytics.rebuild()
    assert _snapshot() != fresh


def test_a_rolled_back_save_does_not_stop_later_refreshes(w, django_capture_on_commit_callbacks):
    """A save in a transaction that rolls back queued its paths with a commit callback that was
    dropped with it; the next committed change still gets its refresh."""
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        registry.person_create(actor=w.officer, village=w.a2, full_name="Người Bị Huỷ", birth_year=1991)
        raise RuntimeError("the officer's form failed after the save")
    with django_capture_on_commit_callbacks(execute=True):
        registry.person_create(actor=w.officer, village=w.b2, full_name="Người Mới", birth_year=1991)
    fresh = _snapshot()
    analytics.rebuild()
    assert _snapshot() == fresh
    assert ("people", 0, w.B.path) in {(m, y, p) for m, y, p, _v in fresh[0]}


def test_an_import_recounts_only_its_commune(w, monkeypatch, django_capture_on_commit_callbacks):
    """Scoped refreshes: an import into Xã Đăk Mar recounts Xã Đăk Mar (its figures roll up to its
    ancestors), no other commune."""
    from xhht.analytics.mapping import unit_map

    recounted: set[str] = set()
    real = analytics.refresh

    def spy(*, families, paths, **kw):
        recounted.update(unit_map().leaf_key(p) for p in paths)
        return real(families=families, paths=paths, **kw)

    monkeypatch.setattr(analytics, "refresh", spy)
    case = next(c for c in CASES if c.kind == ImportKind.PEOPLE)
    before, fresh = _run(w, case, django_capture_on_commit_callbacks)
    assert recounted == {w.A.path}
    changed = {p for _m, _y, p, _v in set(before[0]) ^ set(fresh[0])}
    assert w.A.path in changed and not any(p.startswith(w.B.path) for p in changed)


def test_the_generate_command_leaves_the_counts_fresh(units):
    """``xhht generate`` (synthetic registries) writes in bulk, then recounts the communes it filled."""
    from django.core.management import call_command

    analytics.rebuild()
    call_command("generate", province="51", people=300, communes=1, stdout=io.StringIO())
    fresh = _snapshot()
    assert any(m == "people" and v >= 300 for m, _y, _p, v in fresh[0])
    analytics.rebuild()
    assert _snapshot() == fresh


# ----------------------------------------------------------------------------------- the meta-test

# Public functions of the services modules that write no registry or recognition rows, with why.
WRITES_NOTHING: dict[ModuleType, dict[str, str]] = {
    registry: {
        "clean_person_data": "validates and normalises a person's fields; the callers write",
        "household_members_current": "a query",
    },
    geo: {},
    recognition: {
        "criteria_set_for_campaign": "a query: the criteria set in force",
        "can_act_for": "a permission check",
        "compute_rules": "computes rule-based indicators for a file; the caller stores them",
        "refresh_rules": "recomputes files' rule-based indicators in memory; review and decision store them",
        "computed_on": "a date of a file's rule value",
        "effective_answers": "a query",
        "missing_mandatory": "a query",
        "require_decider": "a permission check",
        "indicator_results": "a query",
        "normalize_lines": "text helper",
        "can_appeal": "a query",
        "appeal_blocker": "a query",
    },
}


def _public_functions(module: ModuleType) -> set[str]:
    return {
        name
        for name, f in inspect.getmembers(module, inspect.isfunction)
        if f.__module__ == module.__name__ and not name.startswith("_")
    }


def test_every_write_service_is_in_the_table():
    for module, exempt in WRITES_NOTHING.items():
        public = _public_functions(module)
        covered = {c.fn.__name__ for c in CASES if c.fn.__module__ == module.__name__}
        missing = public - covered - set(exempt)
        assert not missing, (
            f"{module.__name__}: {sorted(missing)} write rows? add them to CASES in {__name__} "
            "(or, if they write nothing, to WRITES_NOTHING with the reason)"
        )
        assert set(exempt) <= public, (
            f"{module.__name__}: stale WRITES_NOTHING {sorted(set(exempt) - public)}"
        )
        assert not (set(exempt) & covered), "a function is both in the table and exempt"
    # the approval of aggregate figures, and every import kind through the import service
    assert {plans.entry_approve, plans.entry_unlock} <= {c.fn for c in CASES}
    assert {c.kind for c in CASES if c.fn is imports.import_file} == set(ImportKind.values)
