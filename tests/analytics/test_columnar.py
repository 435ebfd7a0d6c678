"""The full rebuild counts in columns (``columnar``); the incremental refresh counts in SQL
(``measures``). Family by family, on generated data with the awkward cases added, both give the same
figures — and the columns read the same whichever way they are read."""

from __future__ import annotations

import sqlite3
from collections import Counter

import polars as pl
import pytest
from django.db import connection

from tests.analytics.gen import generate, recognise
from xhht.analytics import columnar as C
from xhht.analytics import measures as M
from xhht.core.titles import SubjectType, Title
from xhht.registry import models as R


@pytest.fixture
def data(units):
    g = generate(units)
    v = units.village_b1  # recognised CĐHT in 2025
    # no birth year (never of age), no household, moved away, deceased
    R.Person.objects.create(full_name="Không Năm Sinh", village=v, birth_year=None)
    alone = R.Person.objects.create(full_name="Một Mình", village=v, birth_year=1970, digital_skill=2)
    gone = R.Person.objects.create(full_name="Đã Đi", village=v, birth_year=1970, status="moved_out")
    R.HouseholdMember.objects.create(household=g.households[3], person=gone, relation="con")
    recognise(Title.CDHT, 2025, SubjectType.PERSON, alone.pk, alone.full_name, v)
    recognise(Title.CDHT, 2025, SubjectType.PERSON, gone.pk, gone.full_name, v)
    # a CDHT holder no longer in the registry
    recognise(Title.CDHT, 2024, SubjectType.PERSON, 10**9, "Không còn", v)
    # a household in two clans recognised the same year, also recognised GĐHT itself
    clan2 = R.Clan.objects.create(name="Họ Trần", commune=units.commune_a)
    R.ClanHousehold.objects.create(clan=clan2, household=g.households[4])
    recognise(Title.DHHT, 2025, SubjectType.CLAN, clan2.pk, clan2.name, units.commune_a)
    recognise(Title.GDHT, 2022, SubjectType.HOUSEHOLD, g.households[4].pk, "Hộ", units.village_a1)
    # staff of two organisations recognised ĐVHT
    org2 = R.Organisation.objects.create(name="Trạm y tế", kind="su_nghiep", unit=units.commune_a)
    for p in g.people[2:8]:
        R.OrgMembership.objects.create(organisation=org2, person=p, category="vien_chuc")
    recognise(Title.DVHT, 2025, SubjectType.ORGANISATION, org2.pk, org2.name, units.commune_a)
    return g


def _sum(rows) -> dict:
    out: Counter = Counter()
    for m, path, y, v in rows:
        out[(m, path, y)] += v
    return {k: v for k, v in out.items() if v}


def _columns() -> dict[str, dict]:
    with C.Reader() as rd:
        frames, _ = C.family_frames(rd, M.FAMILIES)
    return {
        f.code: _sum(fr.select(list(C.ROW_SCHEMA)).iter_rows())
        for f, fr in zip(M.FAMILIES, frames, strict=True)
    }


def test_every_family_counts_in_columns_as_in_sql(units, data):
    got = _columns()
    for fam in M.FAMILIES:
        assert got[fam.code] == _sum(fam.rows()), fam.code
    for code in ("rec", "people", "lf", "lu", "digital"):
        assert got[code], code  # the data reach every person-based count


@pytest.mark.parametrize("window", [1, 2])
def test_years_beyond_one_mask_are_counted_in_several_passes(units, data, monkeypatch, window):
    """One bit per year in a 62-year mask: a longer span of years is counted window by window."""
    lf = next(f for f in M.FAMILIES if f.code == "lf")
    monkeypatch.setattr(C, "WINDOW", window)
    assert _columns()["lf"] == _sum(lf.rows())


def test_sparse_ids_are_looked_up_through_a_join(units, data, monkeypatch):
    """Ids are looked up in an array indexed by id; far sparser ids go through a hash join."""
    dense = _columns()
    monkeypatch.setattr(C, "DENSE_FACTOR", 0)
    monkeypatch.setattr(C, "DENSE_SLACK", 0)
    assert _columns() == dense


QUERIES = {
    # more rows than one Arrow batch; Vietnamese text; NULLs after the first batch; a 2**40
    "a": (
        "SELECT x, 'Nguyễn Thị ' || x, CASE WHEN x > 1500 AND x % 7 = 0 THEN NULL ELSE x * 1099511627776 END FROM s",
        {"x": pl.Int64, "name": pl.String, "big": pl.Int64},
    ),
    "b": ("SELECT x FROM s WHERE x < 0", {"x": pl.Int64}),  # no rows
}


def _series(sql: str) -> str:
    if connection.vendor == "postgresql":
        return sql.replace("FROM s", "FROM generate_series(1, 3000) AS s(x)")
    return "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < 3000) " + sql  # noqa: S608


def test_separate_connections_read_what_this_one_reads(db, tmp_path):
    """The rebuild's reads on other connections (ADBC, two in parallel) give the same frames as
    Django's own cursor: PostgreSQL through the snapshot the transaction exports, SQLite on a file."""
    queries = {k: (_series(q), schema) for k, (q, schema) in QUERIES.items()}
    with C.Reader() as rd:
        assert rd.mode in {"cursor", "copy"}
        own = rd.frames(queries)
    rd = C.Reader()
    rd.mode = "adbc"
    if connection.vendor == "postgresql":
        # the snapshot of a transaction of its own (the test's is a subtransaction, which cannot export)
        import psycopg

        sd = connection.settings_dict
        with psycopg.connect(
            dbname=sd["NAME"], user=sd["USER"], host=sd["HOST"] or None, port=sd["PORT"] or None
        ) as exporter:
            (snapshot,) = exporter.execute("SELECT pg_export_snapshot()").fetchone()
            rd._pool = C.Reader.pg_pool(snapshot)
            with rd:
                other = rd.frames(queries)
    else:
        import adbc_driver_sqlite.dbapi as adbc

        path = tmp_path / "x.sqlite3"
        sqlite3.connect(path).close()
        rd._pool = [adbc.connect(f"file:{path}?mode=ro") for _ in range(2)]
        with rd:
            other = rd.frames(queries)
    assert own["a"].height == 3000 and own["a"]["big"].null_count() > 0
    for k in queries:
        assert other[k].schema == own[k].schema
        assert other[k].equals(own[k]), k


def test_refreshes_and_the_rebuild_wait_for_each_other_on_postgresql(db):
    """A refresh holds the analytics lock shared, the full rebuild exclusively: a refresh waits while a
    rebuild runs (it would otherwise apply a delta the rebuild then overwrites), and a rebuild waits
    for running refreshes. (SQLite serialises every writer with its write lock.)"""
    if connection.vendor != "postgresql":
        pytest.skip("chỉ PostgreSQL: SQLite tuần tự hoá mọi giao dịch ghi bằng khoá ghi")
    import psycopg
    from django.db import OperationalError, transaction

    from xhht.analytics import services

    sd = connection.settings_dict
    with psycopg.connect(
        dbname=sd["NAME"], user=sd["USER"], host=sd["HOST"] or None, port=sd["PORT"] or None
    ) as other:

        def blocked(take) -> bool:
            try:
                with transaction.atomic(), connection.cursor() as cur:
                    cur.execute("SET LOCAL lock_timeout = '300ms'")
                    take()
            except OperationalError as exc:
                assert "lock timeout" in str(exc)
                return True
            return False

        other.execute("SELECT pg_advisory_xact_lock(%s)", [services.GLOBAL_LOCK])  # a rebuild runs
        assert blocked(lambda: services._lock_keys(["VN/51/"]))
        other.rollback()
        assert not blocked(lambda: services._lock_keys(["VN/51/"]))
        other.execute("SELECT pg_advisory_xact_lock_shared(%s)", [services.GLOBAL_LOCK])  # a refresh runs
        assert blocked(services._lock_all_keys)
        assert not blocked(lambda: services._lock_keys(["VN/51/"]))  # refreshes share it
        other.rollback()
        assert not blocked(services._lock_all_keys)
