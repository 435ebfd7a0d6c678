"""The name search index outside Django's models (see migration 0003).

On SQLite ``registry_person_fts`` (FTS5, trigram tokenizer) is kept in sync by triggers. A bulk
load of hundreds of thousands of rows is faster when the insert trigger is off and the new rows
are indexed in one statement afterwards: wrap it in ``bulk_person_load()`` (the importer may too).
On PostgreSQL the pg_trgm GIN index needs nothing; ``bulk_person_load`` only runs ANALYZE after.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection

_AI_TRIGGER = (
    "CREATE TRIGGER IF NOT EXISTS registry_person_fts_ai AFTER INSERT ON registry_person BEGIN "
    "INSERT INTO registry_person_fts(rowid, name_folded) VALUES (new.id, new.name_folded); END"
)


def has_fts() -> bool:
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM sqlite_master WHERE name = 'registry_person_fts'")
        return cur.fetchone() is not None


@contextmanager
def bulk_person_load():
    """Insert many people inside this block; the search index catches up once at the end.

    Must run inside the same transaction as the inserts (so a rollback leaves the index consistent)."""
    if not has_fts():
        yield
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("ANALYZE registry_person")
        return
    with connection.cursor() as cur:
        cur.execute("SELECT coalesce(max(id), 0) FROM registry_person")
        max_before = cur.fetchone()[0]
        cur.execute("DROP TRIGGER IF EXISTS registry_person_fts_ai")
    try:
        yield
    finally:
        with connection.cursor() as cur:
            if max_before == 0:
                cur.execute("INSERT INTO registry_person_fts(registry_person_fts) VALUES ('rebuild')")
            else:
                cur.execute(
                    "INSERT INTO registry_person_fts(rowid, name_folded) SELECT id, name_folded FROM registry_person "
                    "WHERE id > %s",
                    [max_before],
                )
            cur.execute(_AI_TRIGGER)


def rebuild() -> None:
    if has_fts():
        with connection.cursor() as cur:
            cur.execute("INSERT INTO registry_person_fts(registry_person_fts) VALUES ('rebuild')")
