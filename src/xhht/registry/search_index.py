"""The name search index outside Django's ORM (see migration 0004).

``registry_personname`` holds every distinct name (sort key and folded form). Triggers on
``registry_person`` add the names of inserted and renamed people: row triggers on SQLite, statement
triggers with transition tables on PostgreSQL (one DISTINCT per COPY, not one call per row).

A bulk load of hundreds of thousands of rows on SQLite is faster when the insert trigger is off and
the new names are added in one statement afterwards: wrap it in ``bulk_person_load()`` (the
importer does). On PostgreSQL nothing needs switching off; ``bulk_person_load`` only runs ANALYZE.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection

_AI_TRIGGER = (
    "CREATE TRIGGER IF NOT EXISTS registry_personname_ai AFTER INSERT ON registry_person BEGIN "
    "INSERT OR IGNORE INTO registry_personname(name_sort, name_folded) VALUES (new.name_sort, new.name_folded); END"
)


def has_fts() -> bool:
    """Kept for callers of the previous index: the names table replaced the FTS5 table."""
    return False


@contextmanager
def bulk_person_load(names: list | None = None):
    """Insert many people inside this block; the names index catches up once at the end.

    ``names``: a loader that knows the distinct (name_sort, name_folded) pairs it inserted may pass
    that list (filled by the end of the block); the index then takes them instead of scanning the
    new rows. Must run inside the same transaction as the inserts (so a rollback leaves the index
    consistent)."""
    if connection.vendor != "sqlite":
        yield
        if names is not None:
            add_names(names)  # PostgreSQL triggers may have been off (session_replication_role)
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("ANALYZE registry_person")
                cur.execute("ANALYZE registry_personname")
        return
    with connection.cursor() as cur:
        cur.execute("SELECT coalesce(max(id), 0) FROM registry_person")
        max_before = cur.fetchone()[0]
        cur.execute("DROP TRIGGER IF EXISTS registry_personname_ai")
    try:
        yield
    finally:
        if names is not None:
            add_names(names)
        with connection.cursor() as cur:
            if names is None:
                cur.execute(
                    "INSERT OR IGNORE INTO registry_personname(name_sort, name_folded) "
                    "SELECT DISTINCT name_sort, name_folded FROM registry_person WHERE id > %s",
                    [max_before],
                )
            cur.execute(_AI_TRIGGER)


def add_names(pairs) -> None:
    """Add (name_sort, name_folded) pairs directly (for loaders that know their distinct names)."""
    pairs = list(pairs)
    if not pairs:
        return
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                "INSERT INTO registry_personname(name_sort, name_folded) "
                "SELECT * FROM unnest(%s::text[], %s::text[]) ON CONFLICT (name_sort) DO NOTHING",
                [[p[0] for p in pairs], [p[1] for p in pairs]],
            )
        else:
            cur.executemany(
                "INSERT OR IGNORE INTO registry_personname(name_sort, name_folded) VALUES (%s, %s)", pairs
            )


def rebuild() -> None:
    """Add every name borne by someone (names no one bears any more are harmless and kept)."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                "INSERT INTO registry_personname(name_sort, name_folded) "
                "SELECT DISTINCT name_sort, name_folded FROM registry_person ON CONFLICT (name_sort) DO NOTHING"
            )
        else:
            cur.execute(
                "INSERT OR IGNORE INTO registry_personname(name_sort, name_folded) "
                "SELECT DISTINCT name_sort, name_folded FROM registry_person"
            )


def matching_names(words: list[str]) -> list[str]:
    """Sort keys of the names whose folded form contains every word, in sort-key order."""
    if not words:
        return []
    cond = " AND ".join(["name_folded LIKE %s"] * len(words))
    params = [f"%{w}%" for w in words]
    with connection.cursor() as cur:
        cur.execute(f"SELECT name_sort FROM registry_personname WHERE {cond}", params)  # noqa: S608
        names = [r[0] for r in cur.fetchall()]
    names.sort()
    return names
