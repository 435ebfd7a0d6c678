"""The bulk-load mode (imports/bulkload.py): a big first load rebuilds the registry tables' indexes
and constraints once instead of row by row. Same data as the ordinary path, the schema as it was
afterwards, and a rejected load rolls everything back, indexes included."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.imports.conftest import cccd_for, person_row
from tests.imports.test_people_import import errors_of, run
from xhht.imports import bulkload
from xhht.registry.models import Household, HouseholdMember, Person, Residence


def schema() -> list[tuple]:
    """Every index and constraint of the four registry tables, by name and definition."""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute(
                "SELECT tbl_name, name, coalesce(sql, '') FROM sqlite_master WHERE type = 'index' "
                "AND tbl_name IN ('registry_person', 'registry_residence', 'registry_householdmember', "
                "'registry_household') ORDER BY 1, 2"
            )
            return cur.fetchall()
        cur.execute(
            "SELECT t.relname, c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid "
            "WHERE t.relname = ANY(%s) ORDER BY 1, 2",
            [list(bulkload.TABLES)],
        )
        indexes = cur.fetchall()
        # column defaults too: a bulk COPY sets the constant columns' defaults for its duration
        cur.execute(
            "SELECT table_name, column_name, coalesce(column_default, '') FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = ANY(%s) ORDER BY 1, 2",
            [list(bulkload.TABLES)],
        )
        indexes += cur.fetchall()
        cur.execute(
            "SELECT t.relname, k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k "
            "JOIN pg_class t ON t.oid = k.conrelid WHERE t.relname = ANY(%s) ORDER BY 1, 2",
            [list(bulkload.TABLES)],
        )
        return indexes + cur.fetchall()


@pytest.fixture
def low_threshold(monkeypatch):
    from xhht.imports import base

    monkeypatch.setattr(bulkload, "MIN_ROWS", 2)
    monkeypatch.setattr(base, "COPY_DEFAULTS_MIN_ROWS", 2)  # PostgreSQL: COPY with constants as defaults


def households_file(csv_file, n=30, **bad):
    rows = []
    for k in range(1, n + 1):
        hh = f"HB{(k + 2) // 3}"
        rel = "Chủ hộ" if k % 3 == 1 else "Con"
        rows.append(person_row(k, household=hh, relation=rel, cccd=cccd_for(k)))
    for row_no, value in bad.items():
        rows[int(row_no) - 2][3] = value
    return csv_file(rows)


def test_a_big_first_load_rebuilds_indexes_and_keeps_the_schema(
    units, officer, csv_file, low_threshold, monkeypatch
):
    from xhht.imports import base

    copied_with_defaults = []
    real = base.PostgresWriter._defaults
    monkeypatch.setattr(
        base.PostgresWriter, "_defaults", lambda w, t, c: copied_with_defaults.append(t) or real(w, t, c)
    )
    before = schema()
    assert bulkload.worth_it(30)
    out = run(households_file(csv_file), units, officer)
    assert out.ok, errors_of(out)
    assert schema() == before
    if connection.vendor == "postgresql":
        assert {"registry_person", "registry_residence", "registry_householdmember"} <= set(
            copied_with_defaults
        )
    assert Person.objects.count() == 30 and Residence.objects.filter(valid_to__isnull=True).count() == 30
    assert Household.objects.count() == 10 and HouseholdMember.objects.count() == 30
    # the names index knows every new name (fed by the importer, not by the per-row trigger)
    from xhht.registry.models import PersonName

    assert set(Person.objects.values_list("name_sort", flat=True)) <= set(
        PersonName.objects.values_list("name_sort", flat=True)
    )
    hh = Household.objects.get(code="HB2")
    assert hh.head.cccd == cccd_for(4) and hh.members.count() == 3
    # the rebuilt unique constraints still refuse what they refused before
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Person(full_name="Trùng Số", village=units.village_a1, cccd=cccd_for(1)).save()


def test_a_rejected_big_load_leaves_data_and_schema_unchanged(units, officer, csv_file, low_threshold):
    before = schema()
    out = run(households_file(csv_file, **{"31": "31/02/1990"}), units, officer)
    assert not out.ok and errors_of(out) == [(31, "Ngày sinh", "Ngày không tồn tại: 31/02/1990.")]
    assert schema() == before and Person.objects.count() == 0


def test_small_imports_into_a_large_registry_keep_the_indexes(units, officer, csv_file, low_threshold):
    run(households_file(csv_file), units, officer)
    assert not bulkload.worth_it(5)  # 5 new rows against 30: maintained row by row
