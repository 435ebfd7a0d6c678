"""Keeping the counts fresh: incremental refresh by delta, and the full rebuild.

Incremental: recount the affected measures for the affected leaf keys (a commune is a few thousand
rows on an index), compare with the stored ``LeafCount``, and add the difference to every ``Fact`` row
the leaf rolls up into (``mapping.UnitMap.targets``) with one upsert ``value = value + delta``.
Rebuild: recount everything, replace both tables. Both paths use the same SQL (``measures``), so a
rebuild gives exactly the numbers the deltas produced.
"""

from __future__ import annotations

import logging
import zlib
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager

from django.db import connection, transaction

from . import measures as M
from .mapping import unit_map
from .models import Fact, LeafCount

log = logging.getLogger(__name__)

Key = tuple[str, int, str]  # measure, year, path


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _upsert_add(table: str, rows: list[tuple[str, int, str, int]]) -> None:
    if not rows:
        return
    sql = (
        f"INSERT INTO {_q(table)} (measure, year, path, value) VALUES (%s, %s, %s, %s)"  # noqa: S608
        f" ON CONFLICT (measure, year, path) DO UPDATE SET value = {_q(table)}.value + excluded.value"
    )
    with connection.cursor() as cur:
        cur.executemany(sql, rows)


def _upsert_set(table: str, rows: list[tuple[str, int, str, int]]) -> None:
    if not rows:
        return
    sql = (
        f"INSERT INTO {_q(table)} (measure, year, path, value) VALUES (%s, %s, %s, %s)"  # noqa: S608
        " ON CONFLICT (measure, year, path) DO UPDATE SET value = excluded.value"
    )
    with connection.cursor() as cur:
        cur.executemany(sql, rows)


GLOBAL_LOCK = 0x7A4E4C  # advisory lock: refreshes hold it shared, the full rebuild exclusively


def _lock_all_keys() -> None:
    """The full rebuild waits for running refreshes and holds new ones off until it commits (they then
    count against the rebuilt figures). SQLite: the write lock the rebuild's transaction holds."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [GLOBAL_LOCK])


def _lock_keys(keys: Iterable[str]) -> None:
    """Serialise concurrent refreshes of the same leaf on PostgreSQL (SQLite serialises writers)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock_shared(%s)", [GLOBAL_LOCK])
        for k in sorted(set(keys)):
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(k.encode()) & 0x7FFFFFFF])


def refresh(
    *, families: list[M.Family], paths: Iterable[str], year: int | None = None, title: str | None = None
) -> int:
    """Recount ``families`` for the leaf keys of ``paths`` (in ``year``, or every year) and apply deltas.
    Returns how many Fact rows changed."""
    umap = unit_map()
    all_keys = sorted({umap.leaf_key(p) for p in paths if p})
    if not all_keys or not families:
        return 0
    changed = 0
    for i in range(0, len(all_keys), 200):
        changed += _refresh_keys(umap, families, all_keys[i : i + 200], year, title)
    return changed


def _refresh_keys(umap, families, keys, year, title) -> int:
    changed = 0
    with transaction.atomic():
        _lock_keys(keys)
        for fam in families:
            fkeys = keys
            if fam.person_based:
                # historic facts recorded at a former commune count people who live in today's commune
                # (and today's commune carries the people of its former communes' historic facts)
                succ = {s for s in map(umap.successor, keys) if s}
                fkeys = sorted(set(keys) | succ | {c for k in set(keys) | succ for c in umap.carried_into(k)})
            scope = M.Scope(keys=fkeys, commune_keys=umap.communes)
            fyear = year if fam.yearly else 0
            if isinstance(fam, M.RecognitionFamily) and title:
                measures = {f"{fam.prefix}:{title}"}
                rows = fam.rows(year=year if fam.yearly else None, scope=scope, title=title)
            else:
                measures = set(fam.measures)
                rows = fam.rows(year=year if fam.yearly else None, scope=scope)
            new: dict[Key, int] = defaultdict(int)
            for m, path, y, v in rows:
                new[(m, y, umap.leaf_key(path))] += v
            old_qs = LeafCount.objects.filter(path__in=fkeys, measure__in=measures)
            if fyear is not None and not (fam.yearly and year is None):
                old_qs = old_qs.filter(year=fyear)
            old = {(m, y, p): v for m, y, p, v in old_qs.values_list("measure", "year", "path", "value")}
            leaf_rows, fact_rows = [], []
            for key in set(old) | set(new):
                delta = new.get(key, 0) - old.get(key, 0)
                if not delta:
                    continue
                m, y, k = key
                leaf_rows.append((m, y, k, new.get(key, 0)))
                fact_rows.extend((m, y, t, delta) for t in umap.targets(k))
            _upsert_set(LeafCount._meta.db_table, leaf_rows)
            _upsert_add(Fact._meta.db_table, fact_rows)
            changed += len(fact_rows)
    return changed


def related(
    fam: M.Family, paths: Iterable[str], *, labels: Iterable[str] = (), title=None, year=None
) -> list[str]:
    """``paths`` with the paths where ``fam``'s counts depend on the rows that changed under them
    (``Family.related_paths``), looked up 200 leaf keys at a time."""
    umap = unit_map()
    paths = {p for p in paths if p}
    keys = sorted({umap.leaf_key(p) for p in paths})
    out = set(paths)
    for i in range(0, len(keys), 200):
        scope = M.Scope(keys=keys[i : i + 200], commune_keys=umap.communes)
        out |= fam.related_paths(scope=scope, labels=frozenset(labels), title=title, year=year)
    return sorted(out)


def refresh_recognitions(*, title: str, year: int, unit_paths: list[str]) -> int:
    """Recognitions of ``title`` in ``year`` recorded under ``unit_paths`` were made or revoked."""
    n = 0
    for fam in M.families_for_title(title):
        if isinstance(fam, M.RegistrationFamily):
            continue
        paths = related(fam, unit_paths, title=title, year=year)
        n += refresh(families=[fam], paths=paths, year=year, title=title)
    return n


def refresh_registrations(*, title: str, year: int, unit_paths: list[str]) -> int:
    fam = next(f for f in M.FAMILIES if isinstance(f, M.RegistrationFamily))
    return refresh(families=[fam], paths=unit_paths, year=year, title=title)


def refresh_registry(*, model_label: str | Iterable[str], unit_paths: Iterable[str]) -> int:
    """Rows of ``model_label`` (one label or several: "registry.Person", ...) changed under ``unit_paths``."""
    labels = [model_label] if isinstance(model_label, str) else list(model_label)
    paths = list(unit_paths)
    return refresh_registry_changes({label: paths for label in labels})


def refresh_registry_changes(changes: dict[str, Iterable[str]]) -> int:
    """Registry rows changed: model label -> the unit paths its changed rows were (and now are) under.
    Each family concerned is recounted once, for the paths of all its models together with the
    paths its counts there depend on (``related``)."""
    todo: dict[str, tuple[M.Family, set[str], set[str]]] = {}
    for label, paths in changes.items():
        for fam in M.families_for_model(label):
            _fam, fpaths, flabels = todo.setdefault(fam.code, (fam, set(), set()))
            fpaths.update(p for p in paths if p)
            flabels.add(label)
    n = 0
    for fam, paths, labels in todo.values():
        n += refresh(families=[fam], paths=related(fam, paths, labels=labels), year=None)
    return n


def refresh_dataset(*, unit_paths: list[str], year: int) -> int:
    fam = next(f for f in M.FAMILIES if f.code == "ds")
    return refresh(families=[fam], paths=unit_paths, year=year)


def rebuild(*, families: list[M.Family] | None = None, write=None) -> dict:
    """Recount everything and replace ``LeafCount`` and ``Fact``. Returns counts for the log.

    The counting is done in columns (``columnar``): the large tables are read once, narrow, and
    joined and grouped in memory; the rows written are compared with the stored ones."""
    import time

    from . import columnar as C
    from .mapping import invalidate

    invalidate()  # a full rebuild reads the map as it is now (bulk loads of units send no signals)
    umap = unit_map()
    fams = families or M.FAMILIES
    # Held from the first read to the last write: no refresh can apply a delta in between and be
    # overwritten. On SQLite the write lock (transactions begin IMMEDIATE): no writer commits while
    # the rebuild reads, so other connections read what this one would. Inside a caller's transaction
    # (which other connections cannot see into) every read goes through this connection.
    separate = not connection.in_atomic_block
    with transaction.atomic():
        _lock_all_keys()
        with _big_work_memory(), C.Reader(separate=separate) as rd:
            frames, timings = C.family_frames(rd, fams, write)
        # the other connections are closed here: on PostgreSQL their share locks would hold off the
        # TRUNCATE below for ever (a SQLite reader blocks no writer: it may read the stored counts)
        t = time.perf_counter()
        leaf, facts = C.roll_up(frames, umap)
        del frames
        timings["rollup"] = time.perf_counter() - t
        t = time.perf_counter()
        changed = 0
        with C.Reader(separate=separate and connection.vendor == "sqlite") as rd:
            for model, counts in ((LeafCount, leaf), (Fact, facts)):
                changed += _replace_counts(model, counts, rd)
    timings["write"] = time.perf_counter() - t
    timings["changed"] = changed
    if write:
        write(
            f"  roll-up: {timings['rollup']:.2f} s, write: {timings['write']:.2f} s ({changed:,} rows changed)"
        )
    return {"leaf": leaf.height, "facts": facts.height, "timings": timings}


def _replace_counts(model, counts, rd) -> int:
    """Make ``model``'s table hold exactly ``counts`` (a frame: measure, year, path, value). When most
    stored rows are already right (a rebuild over counts the deltas kept fresh — the usual case),
    only the rows that differ are written and the stale ones deleted; otherwise the table is emptied
    and reloaded in bulk. Returns how many rows were written or deleted. The stored rows are read
    with the rebuild's reader ``rd`` before this connection writes to the table."""
    import polars as pl

    table = _q(model._meta.db_table)
    keys = ["measure", "year", "path"]
    old = rd.frame(
        f"SELECT measure, year, path, value FROM {table}",  # noqa: S608
        {"measure": pl.String, "year": pl.Int64, "path": pl.String, "old": pl.Int64},
    )
    if old.height:
        both = counts.join(old, on=keys, how="full", coalesce=True)
        stale = both.filter(pl.col("value").is_null()).select(keys)
        diff = both.filter(
            pl.col("value").is_not_null() & (pl.col("old").is_null() | (pl.col("old") != pl.col("value")))
        )
        if stale.height + diff.height < counts.height // 4:
            _upsert_set(model._meta.db_table, diff.select(*keys, "value").rows())
            if stale.height:
                with connection.cursor() as cur:
                    cur.executemany(
                        f"DELETE FROM {table} WHERE measure = %s AND year = %s AND path = %s",  # noqa: S608
                        stale.rows(),
                    )
            return diff.height + stale.height
    # derived counts, emptied in SQL (QuerySet.delete() would load and audit every row). On
    # PostgreSQL TRUNCATE (transactional): after a DELETE every insert would meet its dead twin
    # in the unique index and check it on the heap, ten times slower.
    with connection.cursor() as cur:
        cur.execute(f"{'TRUNCATE' if connection.vendor == 'postgresql' else 'DELETE FROM'} {table}")
    with _indexes_rebuilt(model):
        # in the unique key's order: the unique index grows at its right edge
        _bulk_insert(model._meta.db_table, counts.sort(keys).iter_rows())
    return counts.height


@contextmanager
def _big_work_memory():
    """The full rebuild's statements join and group tens of millions of rows: on PostgreSQL give
    them memory to hash in (default work_mem, 4 MB, spills to disk in batches); on SQLite a larger
    page cache and memory map for the duration. Restored afterwards."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SHOW work_mem")
            (old,) = cur.fetchone()
            cur.execute("SET work_mem = '1GB'")
            try:
                yield
            finally:
                cur.execute("SELECT set_config('work_mem', %s, false)", [old])
            return
        cur.execute("PRAGMA cache_size")
        old_cache = (cur.fetchone() or [-2000])[0]
        cur.execute("PRAGMA mmap_size")
        old_mmap = (cur.fetchone() or [0])[0]  # no row for an in-memory database
        cur.execute("PRAGMA cache_size = -500000")
        cur.execute("PRAGMA mmap_size = 2147418112")
        try:
            yield
        finally:
            cur.execute(f"PRAGMA cache_size = {int(old_cache)}")
            cur.execute(f"PRAGMA mmap_size = {int(old_mmap or 0)}")


@contextmanager
def _indexes_rebuilt(model):
    """Load without the secondary indexes and build them once afterwards (much cheaper than a
    million random index insertions). On PostgreSQL the unique constraint too (DDL is transactional);
    SQLite keeps its inline unique constraint (rows arrive in its order)."""
    pg = connection.vendor == "postgresql"
    cons = [c for c in model._meta.constraints if pg]
    idx = list(model._meta.indexes)
    ed = connection.schema_editor(atomic=False)  # only to render the DDL Django would run
    ed.deferred_sql = []
    with connection.cursor() as cur:
        for c in cons:
            cur.execute(str(c.remove_sql(model, ed)))
        for i in idx:
            cur.execute(str(i.remove_sql(model, ed)))
        yield
        for c in cons:
            cur.execute(str(c.create_sql(model, ed)))
        for i in idx:
            cur.execute(str(i.create_sql(model, ed)))


def _copy_block(lines: list[str]) -> bytes:
    block = "".join(lines)
    if "\\" in block:
        raise ValueError("backslash in an analytics key")
    return block.encode()


def _bulk_insert(table: str, rows: Iterable[tuple]) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            raw = cur.cursor if hasattr(cur, "cursor") else cur
            # text COPY written in blocks: measure codes and paths hold no tab, newline or backslash
            with raw.copy(f"COPY {_q(table)} (measure, year, path, value) FROM STDIN") as copy:
                buf: list[str] = []
                for m, y, p, v in rows:
                    buf.append(f"{m}\t{y}\t{p}\t{v}\n")
                    if len(buf) >= 20_000:
                        copy.write(_copy_block(buf))
                        buf.clear()
                if buf:
                    copy.write(_copy_block(buf))
        return
    sql = f"INSERT INTO {_q(table)} (measure, year, path, value) VALUES (?, ?, ?, ?)"  # noqa: S608
    batch: list[tuple] = []
    raw = connection.connection
    for r in rows:
        batch.append(r)
        if len(batch) >= 50_000:
            raw.executemany(sql, batch)
            batch.clear()
    if batch:
        raw.executemany(sql, batch)
