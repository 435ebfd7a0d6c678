"""SQLite bulk writes through a staging file (imports/base.py ``SqliteWriter._stage``): large frames are
written by the ADBC driver into a scratch file and copied in SQL inside the import's transaction.
The stored values and their SQLite types are exactly those of the ``executemany`` path, the import's
atomicity holds, and the scratch files do not outlive the writer."""

from __future__ import annotations

import csv
import datetime as dt
import os

import polars as pl
import pytest
from django.db import connection

from tests.imports.conftest import cccd_for
from tests.imports.test_bulk_mode import households_file
from tests.imports.test_people_import import errors_of, run
from xhht.imports import base, bulkload
from xhht.registry.models import Household, HouseholdMember, Person, Residence


@pytest.fixture(autouse=True)
def _sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("chỉ SQLite: PostgreSQL ghi bằng COPY")


COLUMNS = "id INTEGER PRIMARY KEY, name TEXT, n INTEGER, flag BOOL, born DATE, note TEXT, at DATETIME, k TEXT"


def frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "name": ["Nguyễn Thị Ánh", "Đặng Văn Ơn", "O'Neil", None],
            "n": [0, -5, None, 2**40],
            "flag": [True, False, None, True],
            "born": [dt.date(1990, 2, 28), None, dt.date(2001, 12, 31), dt.date(1945, 9, 2)],
            "note": [None, None, None, None],  # all empty: written as a constant
        },
        schema_overrides={"note": pl.String},
    )


def stored(table: str) -> list[tuple]:
    with connection.cursor() as cur:
        cur.execute(
            # quote(): the value as SQL text, untouched by the driver's type converters
            f"SELECT id, quote(name), typeof(name), quote(n), typeof(n), quote(flag), typeof(flag),"  # noqa: S608
            f" quote(born), typeof(born), quote(note), typeof(note), quote(at), quote(k) FROM {table} ORDER BY id"
        )
        return cur.fetchall()


@pytest.mark.django_db
def test_staged_rows_are_stored_exactly_as_bound_rows(monkeypatch):
    constants = {"at": dt.datetime(2025, 7, 1, 8, 30, tzinfo=dt.UTC), "k": "hằng số"}
    with connection.cursor() as cur:
        cur.execute(f"CREATE TABLE xt_bound ({COLUMNS})")
        cur.execute(f"CREATE TABLE xt_staged ({COLUMNS})")
    w = base.SqliteWriter()
    try:
        monkeypatch.setattr(base.SqliteWriter, "STAGE_MIN_ROWS", 0)
        w.insert_frame("xt_bound", frame(), constants)
        monkeypatch.setattr(base.SqliteWriter, "STAGE_MIN_ROWS", 1)
        real = base.constant_columns  # looks for constant columns only in frames of 1,000 rows or more
        monkeypatch.setattr(base, "constant_columns", lambda f, c: real(f, c, min_rows=0))
        w.insert_frame("xt_staged", frame(), constants)
        w.flush()
        assert w._attached, "the staged path was not taken"
        stage_dir = w._stage_dir
    finally:
        w.close()
    bound, staged = stored("xt_bound"), stored("xt_staged")
    assert staged == bound
    assert bound[0][:9] == (
        1,
        "'Nguyễn Thị Ánh'",
        "text",
        "0",
        "integer",
        "1",
        "integer",
        "'1990-02-28'",
        "text",
    )
    assert bound[2][1] == "'O''Neil'" and bound[3][1] == "NULL" and bound[3][3] == str(2**40)
    assert bound[2][5] == "NULL" and bound[1][9:] == ("NULL", "null", "'2025-07-01 08:30:00'", "'hằng số'")
    assert not os.path.exists(stage_dir)


@pytest.fixture
def staged(monkeypatch):
    """Staging for every frame of 2 rows or more; returns the tables written through it."""
    monkeypatch.setattr(base.SqliteWriter, "STAGE_MIN_ROWS", 2)
    monkeypatch.setattr(bulkload, "MIN_ROWS", 2)
    frames = []
    real = base.SqliteWriter._stage
    monkeypatch.setattr(base.SqliteWriter, "_stage", lambda w, f: frames.append(f.columns) or real(w, f))
    return frames


def test_an_import_through_staging_files(units, officer, csv_file, staged):
    path = households_file(csv_file)
    out = run(path, units, officer)
    assert out.ok, errors_of(out)
    assert len(staged) == 3  # people, households, memberships (residences are copied from the people)
    assert Person.objects.count() == 30 and Residence.objects.filter(valid_to__isnull=True).count() == 30
    assert Household.objects.count() == 10 and HouseholdMember.objects.count() == 30
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))[1:]
    assert set(Person.objects.values_list("full_name", "cccd", "village__name")) == {
        (r[2], r[6], r[8]) for r in rows
    }
    hh = Household.objects.get(code="HB2")
    assert hh.head.cccd == cccd_for(4)
    assert sorted(hh.members.values_list("person__cccd", "relation")) == sorted(
        [(cccd_for(4), "chu_ho"), (cccd_for(5), "con"), (cccd_for(6), "con")]
    )


def test_a_rejected_import_through_staging_writes_nothing(units, officer, csv_file, staged):
    out = run(households_file(csv_file, **{"31": "31/02/1990"}), units, officer)
    assert not out.ok and Person.objects.count() == 0 and Household.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_scratch_files_are_detached_once_the_transaction_is_over(monkeypatch):
    monkeypatch.setattr(base.SqliteWriter, "STAGE_MIN_ROWS", 1)
    with connection.cursor() as cur:
        cur.execute(f"CREATE TABLE xt_tx ({COLUMNS})")
    from django.db import transaction

    with transaction.atomic():
        w = base.SqliteWriter()
        w.insert_frame("xt_tx", frame().drop("note"), {"note": None, "at": None, "k": ""})
        w.flush()
    w.close()
    with connection.cursor() as cur:
        cur.execute("PRAGMA database_list")
        assert [r[1] for r in cur.fetchall() if r[1].startswith(base.STAGE_SCHEMA)] == []
        cur.execute("SELECT COUNT(*) FROM xt_tx")
        assert cur.fetchone()[0] == 4
        cur.execute("DROP TABLE xt_tx")
