"""Bulk-load mode for imports that add many rows to a table holding few.

Maintaining a dozen B-tree indexes one random insert at a time costs several times more than
building them once, sorted, after the rows are in (the way ``pg_restore`` and SQLite's own
``.import`` advice work). When an import adds at least ``MIN_ROWS`` people and at least as many as
the registry already holds, the registry tables' secondary indexes — and on PostgreSQL their
unique constraints and foreign keys, whose per-row checks would otherwise run at commit — are
dropped inside the import's transaction and recreated (each constraint validated in one pass) before
it commits. The importer has done all its look-ups (CCCD, codes, current households) before this
starts, and checked uniqueness inside the file itself; the rebuilt constraints check it once more.
SQLite's unique constraints live inside the table definition and stay in place.

Everything happens in the import's single transaction: if anything fails, the rollback restores
the indexes and constraints with the data. The price is the lock: on PostgreSQL ``DROP INDEX``
holds an ACCESS EXCLUSIVE lock on the four registry tables until the commit, so pages reading
people wait for the import (about twenty seconds for a million rows); on SQLite an import holds
the write lock anyway. Ordinary imports (a commune's few thousand rows into a large registry) never
enter this mode.
"""

from __future__ import annotations

import logging
import os
import time
from contextlib import contextmanager

from django.db import connection

TABLES = ("registry_person", "registry_residence", "registry_householdmember", "registry_household")
log = logging.getLogger(__name__)
MIN_ROWS = int(os.environ.get("XHHT_IMPORT_BULK_MIN_ROWS", "20000"))


def worth_it(new_rows: int) -> bool:
    """True when rebuilding beats maintaining: many new rows, at least as many as are there."""
    if new_rows < MIN_ROWS:
        return False
    with connection.cursor() as cur:
        cur.execute("SELECT coalesce(max(id), 0) FROM registry_person")
        existing = cur.fetchone()[0]
    return new_rows >= existing


def _sqlite_indexes() -> list[tuple[str, str]]:
    with connection.cursor() as cur:
        marks = ", ".join(["%s"] * len(TABLES))
        cur.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks})",  # noqa: S608
            list(TABLES),
        )
        return list(cur.fetchall())


def _postgres_objects() -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    """(index name, definition) of the plain indexes; (table, constraint, definition) of the unique
    constraints and foreign keys (the unique ones first: they are re-added first)."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid "
            "WHERE t.relname = ANY(%s) AND t.relnamespace = 'public'::regnamespace AND NOT i.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)",
            [list(TABLES)],
        )
        indexes = list(cur.fetchall())
        cur.execute(
            "SELECT t.relname, k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k "
            "JOIN pg_class t ON t.oid = k.conrelid "
            "WHERE k.contype IN ('u', 'f') AND t.relname = ANY(%s) AND t.relnamespace = 'public'::regnamespace "
            "ORDER BY k.contype DESC",
            [list(TABLES)],
        )
        fks = list(cur.fetchall())
    return indexes, fks


@contextmanager
def bulk_mode(*, new_rows: int, writer=None):
    """Inside the caller's transaction: drop what is cheaper to rebuild, yield, rebuild it."""
    if not worth_it(new_rows):
        yield False
        return
    qn = connection.ops.quote_name
    if connection.vendor == "sqlite":
        indexes = _sqlite_indexes()
        with connection.cursor() as cur:
            for name, _sql in indexes:
                cur.execute(f"DROP INDEX {qn(name)}")
        yield True
        if writer is not None:
            writer.flush()  # the rows queued to the writer thread are in before the indexes are built
        with connection.cursor() as cur:
            cur.execute("PRAGMA threads")
            threads = cur.fetchone()[0]
            cur.execute("PRAGMA threads = 2")  # the index sorts use the second core
            for name, sql in indexes:
                t = time.perf_counter()
                cur.execute(sql)
                log.debug("rebuilt %s in %.2f s", name, time.perf_counter() - t)
            cur.execute(f"PRAGMA threads = {int(threads)}")
            cur.execute("PRAGMA analysis_limit = 1000")
            for table in TABLES:
                cur.execute(f"ANALYZE {qn(table)}")
        return
    indexes, fks = _postgres_objects()
    with connection.cursor() as cur:
        # deferred foreign-key checks already queued in this transaction must run before ALTER TABLE
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # each index build sorts in memory (the default 64 MB spills a million keys to disk), shared
        # with the parallel workers PostgreSQL starts for it; sorts of a few hundred MB measured
        # slower than this (fewer of their runs stay in the CPU caches)
        cur.execute("SET LOCAL maintenance_work_mem = '128MB'")
        for table, name, _d in fks:
            cur.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
        for name, _d in indexes:
            cur.execute(f"DROP INDEX {qn(name)}")
        # the names index is fed by the importer from its distinct names (search_index.add_names)
        # instead of a statement trigger collecting a million new rows
        cur.execute("ALTER TABLE registry_person DISABLE TRIGGER registry_personname_ai")
        # held already by the DROPs above; said once, so the writer may rely on it (column defaults)
        cur.execute(f"LOCK TABLE {', '.join(qn(t) for t in TABLES)} IN ACCESS EXCLUSIVE MODE")
    if writer is not None:
        writer.exclusive = frozenset(TABLES)
    try:
        yield True
    finally:
        if writer is not None:
            writer.exclusive = frozenset()
    with connection.cursor() as cur:
        cur.execute("ALTER TABLE registry_person ENABLE TRIGGER registry_personname_ai")
        for name, definition in indexes:
            t = time.perf_counter()
            cur.execute(definition)
            log.debug("rebuilt %s in %.2f s", name, time.perf_counter() - t)
        for table, name, definition in fks:
            t = time.perf_counter()
            cur.execute(f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition}")
            log.debug("re-added %s in %.2f s", name, time.perf_counter() - t)
        cur.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's foreign keys are initially deferred
        for table in TABLES:
            if table != "registry_person":  # analysed by search_index.bulk_person_load after every load
                cur.execute(f"ANALYZE {qn(table)}")
