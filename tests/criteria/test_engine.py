"""The CEL→SQL compiler agrees with celpy (the reference evaluator) on generated registry data."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xhht.core.titles import SubjectType, Title
from xhht.criteria.engine import (
    RuleError,
    annotate_rules,
    compile_rule,
    evaluate_rules,
    explain_rules,
    reference_values,
)
from xhht.geo.models import AdminUnit
from xhht.recognition.models import Recognition
from xhht.registry.models import (
    Clan,
    ClanHousehold,
    Household,
    HouseholdMember,
    Organisation,
    OrgKind,
    OrgMembership,
    Person,
    Relation,
    StaffCategory,
)

YEAR = 2025

PERSON_RULES = [
    "person.digital_skill >= 3 ? 10 : (person.digital_skill == 2 ? 8 : (person.digital_skill == 1 ? 6 : 0))",
    "person.cdht",
    "!person.cdht || person.it_competency",
    "person.age >= 15 && person.age < 60",
    "person.age * 2 - 1",
    "person.sex == 'F' ? 1.5 : 2.0 / 4.0",
    "person.occupation in ['lao_dong', 'cong_chuc']",
    "person.digital_skill % 3 + person.digital_skill / 2",
    "year - 2022 > person.digital_skill",
    "double(person.digital_skill) / 3.0",
]
ORG_RULES = [
    "100.0 * ratio(organisation.staff.filter(p, p.cdht).size(), size(organisation.staff))",
    "ratio(organisation.staff.filter(p, p.cdht).size(), size(organisation.staff)) >= 0.9",
    "size(organisation.staff)",
    "organisation.staff.exists(p, p.it_competency && p.digital_skill >= 2)",
    "organisation.staff.all(p, p.life_skills)",
    "organisation.staff.filter(p, p.sex == 'F').filter(p, p.cdht).size()",
    "organisation.kind == 'truong_hoc' || size(organisation.staff) > 3",
    # reads the owner inside the predicate: cannot be grouped, stays a correlated subquery
    "organisation.staff.filter(p, p.cdht && organisation.kind == 'truong_hoc').size()",
    "organisation.staff.exists(p, !p.cdht)",
]
HOUSEHOLD_RULES = [
    "household.members.filter(m, m.cdht).size() * 2 >= size(household.members)",
    "household.gdht",
    "ratio(household.members.filter(m, m.digital_skill > 0).size(), size(household.members))",
]
UNIT_RULES = [  # prefix-based collections: never grouped, correlated inside the plan
    "100.0 * ratio(unit.residents.filter(p, p.cdht).size(), size(unit.residents))",
    "size(unit.residents) > 30",
    "unit.households.filter(h, h.gdht).size()",
]
CLAN_RULES = [
    "100.0 * ratio(clan.households.filter(h, h.gdht).size(), size(clan.households))",
    "clan.households.exists(h, h.members.exists(m, m.cdht))",
]


def _recognise(title, subject_type, obj, unit, *, year, revoked=False, valid_to=None):
    Recognition.objects.create(
        title=title,
        year=year,
        subject_type=subject_type,
        subject_id=obj.pk,
        subject_name=str(obj),
        unit=unit,
        unit_path=unit.path,
        valid_from=dt.date(year, 12, 1),
        valid_to=valid_to,
        revoked_at=timezone.now() if revoked else None,
    )


@pytest.fixture
def registry(units):
    rnd = random.Random(20250701)
    villages = [units.village_a1, units.village_a2, units.village_b1]
    people = []
    for n in range(60):
        v = rnd.choice(villages)
        p = Person(
            full_name=f"Người thử {n}",
            village=v,
            birth_year=None if n % 11 == 0 else rnd.randint(1940, 2020),
            sex=rnd.choice("MF"),
            occupation=rnd.choice(["lao_dong", "cong_chuc", "hoc_sinh", "khac"]),
            it_competency=rnd.random() < 0.5,
            digital_skill=rnd.randint(0, 4),
            life_skills=rnd.random() < 0.8,
        )
        p.save()
        people.append(p)
        r = rnd.random()
        # current, revoked, expired, in the future, and none
        if r < 0.45:
            _recognise(
                Title.CDHT, SubjectType.PERSON, p, v, year=YEAR - 1, valid_to=dt.date(YEAR + 1, 12, 31)
            )
        elif r < 0.55:
            _recognise(Title.CDHT, SubjectType.PERSON, p, v, year=YEAR, revoked=True)
        elif r < 0.65:
            _recognise(
                Title.CDHT, SubjectType.PERSON, p, v, year=YEAR - 4, valid_to=dt.date(YEAR - 1, 12, 31)
            )
        elif r < 0.7:
            _recognise(Title.CDHT, SubjectType.PERSON, p, v, year=YEAR + 1)
        elif r < 0.8:
            _recognise(Title.CDHT, SubjectType.PERSON, p, v, year=YEAR)
    households = []
    pool = people[:]
    rnd.shuffle(pool)
    for h in range(12):
        members = [pool.pop() for _ in range(rnd.randint(1, 4))]
        hh = Household(code=f"HO-{h}", village=members[0].village, head=members[0])
        hh.save()
        for i, m in enumerate(members):
            HouseholdMember.objects.create(
                household=hh, person=m, relation=Relation.HEAD if i == 0 else Relation.CHILD
            )
        if h % 5 == 4:  # a former member who left
            HouseholdMember.objects.create(
                household=hh, person=pool.pop(), relation=Relation.OTHER, valid_to=dt.date(2024, 1, 1)
            )
        if rnd.random() < 0.5:
            _recognise(Title.GDHT, SubjectType.HOUSEHOLD, hh, hh.village, year=YEAR)
        households.append(hh)
    households.append(Household.objects.create(code="HO-empty", village=units.village_a1, unit_path=""))
    orgs = []
    for o in range(8):
        org = Organisation(name=f"Cơ quan {o}", kind=rnd.choice(OrgKind.values), unit=units.commune_a)
        org.save()
        size = 0 if o == 0 else rnd.randint(1, 12)
        for p in rnd.sample(people, size):
            OrgMembership.objects.create(
                organisation=org,
                person=p,
                category=StaffCategory.WORKER,
                valid_to=dt.date(2024, 6, 30) if rnd.random() < 0.15 else None,
            )
        orgs.append(org)
    # one organisation where everybody holds CDHT: exactly 100%
    full = Organisation(name="Cơ quan mẫu", kind=OrgKind.SCHOOL, unit=units.commune_a)
    full.save()
    for p in people:
        if Recognition.objects.filter(subject_id=p.pk, year=YEAR - 1, revoked_at__isnull=True).exists():
            OrgMembership.objects.create(organisation=full, person=p, category=StaffCategory.WORKER)
    orgs.append(full)
    clans = []
    for c in range(3):
        clan = Clan(name=f"Họ thử {c}", commune=units.commune_a)
        clan.save()
        for hh in rnd.sample(households, 4):
            ClanHousehold.objects.create(clan=clan, household=hh)
        clans.append(clan)
    empty = Clan(name="Họ chưa có hộ", commune=units.commune_a)
    empty.save()
    clans.append(empty)
    return {
        "person": people,
        "organisation": orgs,
        "household": households,
        "clan": clans,
        "unit": [units.commune_a, units.commune_b],
    }


def _set(make_set, title, rules):
    inds = [{"code": f"r{n}", "kind": "number", "rule": r, "mandatory": False} for n, r in enumerate(rules)]
    return make_set(title=title, indicators=inds, outcomes=[{"level": "dat", "check_minimums": False}])


def _same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and abs(float(a) - float(b)) < 1e-9
    return a == b and type(a) is type(b)


@pytest.mark.parametrize(
    "title,key,rules,model",
    [
        (Title.CDHT, "person", PERSON_RULES, Person),
        (Title.DVHT, "organisation", ORG_RULES, Organisation),
        (Title.GDHT, "household", HOUSEHOLD_RULES, Household),
        (Title.DHHT, "clan", CLAN_RULES, Clan),
        (Title.CDHT_XA, "unit", UNIT_RULES, AdminUnit),
    ],
)
def test_sql_and_celpy_agree(registry, make_set, title, key, rules, model):
    cs = _set(make_set, title, rules)
    subjects = registry[key]
    sql = evaluate_rules(cs, model.objects.filter(pk__in=[s.pk for s in subjects]), YEAR)
    assert set(sql) == {s.pk for s in subjects}
    # the correlated form (annotate_rules) gives the same values as the grouped plan
    qs, columns = annotate_rules(cs, model.objects.filter(pk__in=[s.pk for s in subjects]), YEAR)
    correlated = {row["pk"]: row for row in qs.values("pk", *columns.values())}
    for s in subjects:
        for code, col in columns.items():
            assert _same(correlated[s.pk][col], sql[s.pk][code]), (
                key,
                code,
                correlated[s.pk][col],
                sql[s.pk][code],
            )
    seen = set()
    for s in subjects:
        ref = reference_values(cs, s, YEAR)
        for code, expected in ref.items():
            got = sql[s.pk][code]
            assert _same(got, expected), (key, s.pk, cs.indicators.get(code=code).rule, got, expected)
            seen.add((code, repr(expected)))
    # the data exercise every rule with more than one outcome
    for n in range(len(rules)):
        assert len({v for c, v in seen if c == f"r{n}"}) > 1, rules[n]


def test_dvht_share_edge_values(registry, make_set):
    cs = _set(make_set, Title.DVHT, ORG_RULES[:2])
    orgs = registry["organisation"]
    vals = evaluate_rules(cs, Organisation.objects.all(), YEAR)
    assert vals[orgs[0].pk] == {"r0": None, "r1": None}  # no staff: unknown, not 0 %
    assert vals[orgs[-1].pk] == {"r0": 100.0, "r1": True}


def test_collection_counts_are_one_grouped_pass(registry, make_set):
    """DVHT's two shares read ``organisation.staff`` three times: one derived table, grouped once,
    ``size(staff)`` computed once, title holders as one uncorrelated list, no per-member lookup."""
    cs = _set(
        make_set,
        Title.DVHT,
        [
            ORG_RULES[0],
            "100.0 * ratio(organisation.staff.filter(p, p.it_competency).size(), size(organisation.staff))",
        ],
    )
    with CaptureQueriesContext(connection) as ctx:
        vals = evaluate_rules(cs, Organisation.objects.all(), YEAR)
    sql = " ".join(q["sql"] for q in ctx.captured_queries if "registry_organisation" in q["sql"])
    assert sql.count("GROUP BY") == 1
    assert sql.count("COUNT(") == 1
    assert sql.count("recognition_recognition") == 1
    assert "EXISTS" not in sql.upper()
    assert len(vals) == len(registry["organisation"])


def test_explain_lists_inputs(registry, make_set):
    cs = _set(make_set, Title.CDHT, PERSON_RULES[:1])
    p = registry["person"][3]
    ex = explain_rules(cs, p, YEAR)["r0"]
    assert ex.inputs == {"person.digital_skill": p.digital_skill}
    assert ex.value == {4: 10, 3: 10, 2: 8, 1: 6, 0: 0}[p.digital_skill]


@pytest.mark.parametrize(
    "rule,needle",
    [
        ("person.digital_skill >= ", "CEL không hợp lệ"),
        ("person.shoe_size > 3", "không có trường «shoe_size»"),
        ("person.digital_skill + 1.0", "cùng kiểu"),
        ("person.sex == 1", "Không so sánh được"),
        ("organisation.staff.map(p, p.age)", "chưa được hỗ trợ"),
        ("nobody.age", "Không biết biến «nobody»"),
        ("person.birth_year == null", "chưa được hỗ trợ"),
    ],
)
def test_bad_rules_are_explained_in_vietnamese(rule, needle):
    entity = "organisation" if rule.startswith("organisation") else "person"
    with pytest.raises(RuleError) as exc:
        compile_rule(rule, entity)
    assert needle in exc.value.messages[0]
