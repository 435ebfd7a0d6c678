"""The name search walks the table of distinct names; the generator writes exact names and keys."""

from __future__ import annotations

import random

from django.db import connection

from xhht.accounts.access import access_for
from xhht.accounts.models import Role
from xhht.core.text import fold, vi_name_sort_key
from xhht.registry import search_index, selectors, services
from xhht.registry.models import Person, PersonName

FAMILIES = ["Nguyễn", "Trần", "Lê", "Hoàng", "Đặng"]
MIDDLES = ["Thị", "Văn", "Ngọc", "Thu"]
GIVENS = ["Hoa", "Hòa", "Khoa", "An", "Ánh", "Thoa", "Hoàng", "Đào"]


def _everyone(access, q, filters=None, limit=7):
    seen, cursor, pages = [], None, 0
    while True:
        page = selectors.people_search(access, q=q, filters=filters, after=cursor, limit=limit)
        seen += [p.pk for p in page.rows]
        pages += 1
        cursor = page.next_cursor
        if not cursor:
            return seen, pages


def test_name_search_pages_match_brute_force_in_order(units, make_user):
    officer = make_user(Role.HKH_XA, units.commune_a)
    other = make_user(Role.HKH_XA, units.commune_b)
    rnd = random.Random(3)
    villages = [units.village_a1, units.village_a2, units.village_b1]
    for i in range(140):
        name = f"{rnd.choice(FAMILIES)} {rnd.choice(MIDDLES)} {rnd.choice(GIVENS)}"
        services.person_create(
            actor=other if villages[i % 3] == units.village_b1 else officer,
            village=villages[i % 3],
            full_name=name,
            sex="F" if i % 2 else "M",
        )
    access = access_for(officer)
    for q, filters in [
        ("hoa", None),
        ("thi hoa", {"sex": "F"}),
        ("HOÀNG", None),
        ("nguyen", {"village": str(units.village_a2.pk)}),
        ("an", None),
        ("zzz", None),
    ]:
        words = selectors.name_words(q)
        expected = [
            p.pk
            for p in sorted(
                Person.objects.filter(unit_path__startswith=units.commune_a.path),
                key=lambda p: (p.name_sort, p.pk),
            )
            if all(w in fold(p.full_name) for w in words)
            and (
                not filters
                or all(
                    str(getattr(p, k if k != "village" else "village_id")) == v for k, v in filters.items()
                )
            )
        ]
        got, pages = _everyone(access, q, filters)
        assert got == expected, q
        assert pages == max(1, -(-len(expected) // 7)), q
    # the other commune's people are never in the officer's results
    assert not set(_everyone(access, "a")[0]) & set(
        Person.objects.filter(unit_path__startswith=units.commune_b.path).values_list("pk", flat=True)
    )


def test_names_table_follows_inserts_renames_and_bulk_loads(units, make_user):
    officer = make_user(Role.HKH_XA, units.commune_a)
    p = services.person_create(actor=officer, village=units.village_a1, full_name="Phạm Thị Xuyến")
    assert PersonName.objects.filter(name_sort=vi_name_sort_key("Phạm Thị Xuyến")).exists()
    services.person_update(actor=officer, person=p, full_name="Phạm Thị Xuân")
    access = access_for(officer)
    assert [x.pk for x in selectors.people_search(access, q="thi xuan").rows] == [p.pk]
    # a raw bulk insert inside bulk_person_load (as the importer does) is searchable afterwards
    name = "Quách Thị Yên"
    with search_index.bulk_person_load(), connection.cursor() as cur:
        cur.execute(
            "INSERT INTO registry_person (full_name, name_folded, name_sort, sex, ethnicity, religion, phone, "
            "village_id, unit_path, occupation, education_level, technical_qualification, it_competency, "
            "digital_skill, foreign_language, life_skills, literacy, status, note, created_at, updated_at) "
            "VALUES (%s, %s, %s, 'F', 'Kinh', '', '', %s, %s, 'khac', '', 'khong', false, 0, 'khong', false, "
            "'', 'active', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
            [name, fold(name), vi_name_sort_key(name), units.village_a1.pk, units.village_a1.path],
        )
    assert [x.full_name for x in selectors.people_search(access, q="quach yen").rows] == [name]


def test_generated_names_equal_what_person_save_computes(units):
    from xhht.registry.generate import generate

    stats = generate(province="51", people=2500, seed=11, communes=[units.commune_a], write=lambda *_: None)
    assert stats.people == 2500
    rows = list(Person.objects.values_list("full_name", "name_folded", "name_sort", "cccd"))
    assert len(rows) == 2500
    for full, folded, sort, _cccd in rows:
        assert folded == fold(full), full
        assert sort == vi_name_sort_key(full), full
    cccds = [r[3] for r in rows if r[3]]
    assert len(cccds) == len(set(cccds)) > 1000
    # every generated name is in the names table, so the search finds everyone
    assert PersonName.objects.filter(name_sort__in={r[2] for r in rows}).count() == len({r[2] for r in rows})
    # a second run adds people without CCCD collisions
    generate(province="51", people=500, seed=11, communes=[units.commune_a], write=lambda *_: None)
    assert Person.objects.count() == 3000
