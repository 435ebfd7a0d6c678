"""What every importer shares: column specifications, header matching, the report, and the raw writers
(``executemany`` on SQLite, ``COPY FROM STDIN`` on PostgreSQL) that keep a million rows out of the ORM."""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import os
import queue
import shutil
import sqlite3
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import normalize as nz
from .readers import ImportFileError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the canonical Vietnamese header written in templates
    aliases: tuple[str, ...] = ()
    required: bool = False
    help: str = ""
    example: str = ""


def match_headers(
    headers: list[str], columns: list[Column], header_row: int
) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """Map column keys to positions. Raises ImportFileError naming missing or repeated columns.

    Returns (key -> index, key -> header as written in the file, headers that were ignored).
    """
    lookup: dict[str, Column] = {}
    for col in columns:
        for name in (col.header, *col.aliases):
            lookup[nz.header_key(name)] = col
    index: dict[str, int] = {}
    labels: dict[str, str] = {}
    ignored: list[str] = []
    for i, h in enumerate(headers):
        k = nz.header_key(h)
        if not k or k in ("stt", "tt", "so thu tu"):
            continue
        col = lookup.get(k)
        if col is None:
            ignored.append(nz.text(h))
            continue
        if col.key in index:
            raise ImportFileError(
                _("Dòng %(row)d: cột '%(h)s' bị lặp (trùng với cột '%(first)s').")
                % {"row": header_row, "h": nz.text(h), "first": labels[col.key]}
            )
        index[col.key] = i
        labels[col.key] = nz.text(h)
    missing = [c.header for c in columns if c.required and c.key not in index]
    if missing:
        raise ImportFileError(
            _(
                "Dòng tiêu đề (dòng %(row)d) thiếu cột bắt buộc: %(missing)s. Các cột có trong tệp: %(found)s. "
                "Hãy dùng tệp mẫu."
            )
            % {
                "row": header_row,
                "missing": ", ".join(missing),
                "found": ", ".join(nz.text(h) for h in headers) or "—",
            }
        )
    return index, labels, ignored


# What the report's counters mean, for people (the keys stay in the stored report and the CLI)
COUNT_LABELS = {
    "people_created": gettext_lazy("Công dân mới"),
    "people_updated": gettext_lazy("Công dân có thay đổi"),
    "people_unchanged": gettext_lazy("Công dân không đổi"),
    "people_moved": gettext_lazy("Công dân chuyển thôn"),
    "households_created": gettext_lazy("Hộ gia đình mới"),
    "households_updated": gettext_lazy("Hộ gia đình có thay đổi"),
    "memberships_created": gettext_lazy("Thành viên hộ mới"),
    "memberships_changed": gettext_lazy("Thay đổi thành viên hộ"),
    "clans_created": gettext_lazy("Dòng họ mới"),
    "clans_updated": gettext_lazy("Dòng họ có thay đổi"),
    "clans_existing": gettext_lazy("Dòng họ đã có"),
    "clan_households_created": gettext_lazy("Hộ mới trong dòng họ"),
    "organisations_created": gettext_lazy("Cơ quan, đơn vị mới"),
    "organisations_updated": gettext_lazy("Cơ quan, đơn vị có thay đổi"),
    "organisations_existing": gettext_lazy("Cơ quan, đơn vị đã có"),
    "staff_created": gettext_lazy("Nhân sự mới"),
    "staff_updated": gettext_lazy("Nhân sự có thay đổi"),
    "branches_created": gettext_lazy("Chi hội mới"),
    "members_created": gettext_lazy("Hội viên mới"),
    "members_updated": gettext_lazy("Hội viên có thay đổi"),
    "members_checked": gettext_lazy("Hội viên đã kiểm tra"),
}


def count_rows(counts: dict) -> list[tuple[str, int]]:
    """(label, number) of a report's counters, in the order above, for pages."""
    order = list(COUNT_LABELS)
    keys = sorted(counts, key=lambda k: order.index(k) if k in order else len(order))
    return [(str(COUNT_LABELS.get(k, k)), counts[k]) for k in keys]


@dataclass
class Issue:
    row: int
    field: str
    message: str

    def as_list(self) -> list:
        return [self.row, self.field, self.message]


@dataclass
class Report:
    """Rejected rows and warnings (row number, column as written in the file, reason) and the counts."""

    MAX_KEPT = 10_000
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    error_count: int = 0
    warning_count: int = 0
    rows: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    bad_rows: set[int] = field(default_factory=set)

    def error(self, row: int, field: str, message: str) -> None:
        self.error_count += 1
        self.bad_rows.add(row)
        if len(self.errors) < self.MAX_KEPT:
            self.errors.append(Issue(row, field, message))

    def warning(self, row: int, field: str, message: str) -> None:
        self.warning_count += 1
        if len(self.warnings) < self.MAX_KEPT:
            self.warnings.append(Issue(row, field, message))

    def add(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def as_dict(self) -> dict:
        return {
            "rows": self.rows,
            "error_count": self.error_count,
            "warning_count": self.warning_count,
            "rejected_rows": len(self.bad_rows),
            "errors": [i.as_list() for i in sorted(self.errors, key=lambda i: i.row)],
            "warnings": [i.as_list() for i in sorted(self.warnings, key=lambda i: i.row)],
            "counts": dict(self.counts),
        }


class Writer:
    """Bulk writes on the current connection, inside the caller's transaction."""

    def __init__(self):
        connection.ensure_connection()
        self.vendor = connection.vendor
        self.raw = connection.connection
        self.now = timezone.now()
        self._next_id: dict[str, int] = {}

    # values as the raw driver returns them, so that fetched rows compare equal to new ones
    def date(self, d: dt.date | None):
        return d

    def now_value(self):
        return self.now

    def next_ids(self, table: str, n: int) -> list[int]:
        raise NotImplementedError

    def close(self) -> None:
        """Undo connection settings changed for the import."""

    def flush(self) -> None:
        """Wait for queued writes (and raise their error)."""

    def insert_frame(self, table: str, frame, constants: dict[str, object], derived_from=None) -> None:
        """Insert the rows of a polars DataFrame (its columns named as the table's), every row
        also taking ``constants`` (column -> value, e.g. model defaults). ``derived_from`` =
        (source table, {column: source column}) says the frame's columns are those of rows just
        written to the source table under the frame's first column as id: a writer may copy them
        there in SQL instead of binding them again. At DEBUG, each write's time is logged."""
        if not log.isEnabledFor(logging.DEBUG):
            return self._insert_frame(table, frame, constants, derived_from)
        t = time.perf_counter()
        self._insert_frame(table, frame, constants, derived_from)
        self.flush()  # a writer thread's queued statements count too
        log.debug("inserted %d rows into %s in %.2f s", frame.height, table, time.perf_counter() - t)

    def _insert_frame(self, table: str, frame, constants: dict[str, object], derived_from=None) -> None:
        raise NotImplementedError

    def update(self, table: str, columns: list[str], rows) -> None:
        """rows: (value..., id) tuples."""
        sets = ", ".join(f"{c} = %s" for c in columns)
        with connection.cursor() as cur:
            cur.executemany(f"UPDATE {table} SET {sets} WHERE id = %s", list(rows))  # noqa: S608 - names are ours

    def fetch_in(self, sql: str, values: list, batch: int = 5000) -> list[tuple]:
        """Run ``sql`` (containing ``IN ({})`` once) over ``values`` in batches."""
        out: list[tuple] = []
        with connection.cursor() as cur:
            for i in range(0, len(values), batch):
                part = values[i : i + batch]
                cur.execute(sql.format(", ".join(["%s"] * len(part))), part)
                out.extend(cur.fetchall())
        return out


COPY_DEFAULTS_MIN_ROWS = 20_000
STAGE_SCHEMA = "xhht_stage"
_stage_numbers = itertools.count()


def _detach_staging(raw) -> None:
    """Detach the scratch files of earlier writes from the connection. SQLite refuses while a
    transaction that read them is open (the import's own, or a caller's around it): those stay
    attached — their files are already deleted — until a later writer finds them detachable."""
    for _seq, name, _file in raw.execute("PRAGMA database_list").fetchall():
        if name.startswith(STAGE_SCHEMA):
            try:
                raw.execute(f"DETACH DATABASE {name}")
            except sqlite3.OperationalError:
                pass


class SqliteWriter(Writer):
    """executemany on the raw sqlite3 connection (Django's connection, inside its transaction).

    A million new people touch a dozen B-tree indexes in random order; with the default page cache
    the dirty pages spill to the WAL half-way and are read back again. The import enlarges the
    cache of its own connection for its duration (``IMPORT_CACHE_KIB``)."""

    IMPORT_CACHE_KIB = int(os.environ.get("XHHT_IMPORT_CACHE_KIB", "400000"))

    THREADED = os.environ.get("XHHT_IMPORT_THREAD", "1") == "1"

    # frames of at least this many rows go through a staging file (``_stage``); 0 turns it off
    STAGE_MIN_ROWS = int(os.environ.get("XHHT_IMPORT_STAGE_MIN_ROWS", "20000"))

    def __init__(self, bulk: bool = True, skip_checks: bool = False):
        super().__init__()
        self._stage_dir: str | None = None
        self._attached: list[str] = []
        _detach_staging(self.raw)
        self._queue: queue.Queue | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._old_cache = None
        if bulk:
            cur = self.raw.cursor()
            self._old_cache = cur.execute("PRAGMA cache_size").fetchone()[0]
            if self._old_cache < 0 and -self._old_cache < self.IMPORT_CACHE_KIB:
                cur.execute(f"PRAGMA cache_size=-{self.IMPORT_CACHE_KIB}")
        self._skip_checks = bulk and skip_checks
        if self._skip_checks:
            # The CCCD format CHECK is a REGEXP, which SQLite calls back into Python for on every
            # row; the people importer has checked every value against the same rules (12 digits,
            # years, choices) before writing, so its own statements skip the CHECKs.
            self.raw.cursor().execute("PRAGMA ignore_check_constraints = ON")

    def close(self) -> None:
        if self._queue is not None:
            self._queue.put(None)
            self._thread.join()
            self._queue = None
        self._attached.clear()
        _detach_staging(self.raw)
        if self._stage_dir is not None:
            shutil.rmtree(self._stage_dir, ignore_errors=True)
            self._stage_dir = None
        if self._old_cache is not None:
            self.raw.cursor().execute(f"PRAGMA cache_size={int(self._old_cache)}")
        if self._skip_checks:
            self.raw.cursor().execute("PRAGMA ignore_check_constraints = OFF")

    def now_value(self):
        return connection.ops.adapt_datetimefield_value(self.now)

    def next_ids(self, table: str, n: int) -> list[int]:
        nxt = self._next_id.get(table)
        if nxt is None:
            self.flush()
            cur = self.raw.cursor()
            top = cur.execute(f"SELECT MAX(id) FROM {table}").fetchone()[0] or 0  # noqa: S608
            seq = cur.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).fetchone()
            nxt = max(top, seq[0] if seq else 0) + 1
        self._next_id[table] = nxt + n
        return list(range(nxt, nxt + n))

    CHUNK = 100_000

    @staticmethod
    def _literal(v) -> str:
        """A constant as SQL text (our own defaults, never file content)."""
        if v is None:
            return "NULL"
        if isinstance(v, bool):
            return "1" if v else "0"
        if isinstance(v, int | float):
            return repr(v)
        if isinstance(v, dt.datetime):
            v = connection.ops.adapt_datetimefield_value(v)
        elif isinstance(v, dt.date):
            v = v.isoformat()
        elif isinstance(v, list | dict):
            import json

            v = json.dumps(v)
        return "'" + str(v).replace("'", "''") + "'"

    def _insert_frame(self, table: str, frame, constants: dict[str, object], derived_from=None) -> None:
        """executemany over columns converted slice by slice (constants written into the statement,
        so a million rows bind only the columns that vary), or a staging file for large frames;
        dates as ISO text as Django stores them."""
        import polars as pl

        span = id_span(frame) if derived_from is not None else None
        if span is not None:
            source, mapping = derived_from
            key = frame.columns[0]
            cols = list(mapping)
            sql = (
                f"INSERT INTO {table} ({', '.join([*cols, *constants])}) "  # noqa: S608 - names are ours
                f"SELECT {', '.join([mapping[c] for c in cols] + [self._literal(v) for v in constants.values()])} "
                f"FROM {source} WHERE {mapping[key]} BETWEEN ? AND ?"
            )
            self._insert_sql(sql, [span])
            return
        frame, constants = constant_columns(frame, constants)
        frame = frame.with_columns(pl.col(pl.Date).dt.to_string("%Y-%m-%d"))
        cols = frame.columns
        if self.STAGE_MIN_ROWS and frame.height >= self.STAGE_MIN_ROWS:
            source = self._stage(frame)
            sql = (
                f"INSERT INTO {table} ({', '.join([*cols, *constants])}) "  # noqa: S608 - names are ours
                f"SELECT {', '.join(cols + [self._literal(v) for v in constants.values()])} FROM {source}"
            )
            self._insert_sql(sql, None)
            return
        sql = (
            f"INSERT INTO {table} ({', '.join([*cols, *constants])}) VALUES "  # noqa: S608 - names are ours
            f"({', '.join(['?'] * len(cols) + [self._literal(v) for v in constants.values()])})"
        )
        for i in range(0, frame.height, self.CHUNK):
            part = frame.slice(i, self.CHUNK)
            self._insert_sql(sql, list(zip(*[part[c].to_list() for c in cols], strict=True)))

    def _stage(self, frame) -> str:
        """Write ``frame`` into a new scratch SQLite file through the ADBC driver's Arrow bulk
        ingest (every value bound in C straight from the columns: the sqlite3 module's
        ``executemany`` spends several times longer binding a million rows from Python than SQLite
        spends storing them), and attach it to the import's connection; returns the table to
        ``INSERT … SELECT`` from. The import's own transaction does the real write: the scratch
        file is only read, and deleted when the writer closes."""
        import adbc_driver_sqlite.dbapi as adbc

        if self._stage_dir is None:
            self._stage_dir = tempfile.mkdtemp(prefix="xhht-import-")
        schema = f"{STAGE_SCHEMA}{next(_stage_numbers)}"
        path = os.path.join(self._stage_dir, f"{schema}.sqlite3")
        if "'" in path:  # written into the ATTACH statement below
            raise ValueError("quote in the temporary directory's path")
        with adbc.connect(path) as conn, conn.cursor() as cur:
            cur.adbc_ingest("rows", frame, mode="create")
            conn.commit()
        self._insert_sql(f"ATTACH DATABASE '{path}' AS {schema}", None)
        self._attached.append(schema)
        return f"{schema}.rows"

    def _insert_sql(self, sql: str, rows) -> None:
        """Queued to a writer thread: sqlite3 releases the GIL while SQLite updates its B-trees, so
        the next slice is converted on the other core meanwhile. Every read or update first waits
        for the queue to drain (``flush``), so statements keep their order. ``rows`` None: one
        statement without parameters."""
        if not self.THREADED:
            self._execute(self.raw.cursor(), sql, rows)
            return
        self._raise()
        if self._queue is None:
            self._queue = queue.Queue(maxsize=2)
            self._thread = threading.Thread(target=self._work, name="xhht-import-writer", daemon=True)
            self._thread.start()
        self._queue.put((sql, rows))

    def _work(self) -> None:
        cur = self.raw.cursor()
        while True:
            item = self._queue.get()
            try:
                if item is None:
                    return
                if self._error is None:
                    try:
                        self._execute(cur, *item)
                    except BaseException as exc:  # re-raised in the importing thread
                        self._error = exc
            finally:
                self._queue.task_done()

    @staticmethod
    def _execute(cur, sql: str, rows) -> None:
        if rows is None:
            cur.execute(sql)
        else:
            cur.executemany(sql, rows)

    def _raise(self) -> None:
        if self._error is not None:
            exc, self._error = self._error, None
            raise exc

    def flush(self) -> None:
        if self._queue is not None:
            self._queue.join()
        self._raise()

    def update(self, table, columns, rows) -> None:
        self.flush()
        super().update(table, columns, rows)

    def fetch_in(self, sql, values, batch: int = 5000):
        self.flush()
        return super().fetch_in(sql, values, batch)


class PostgresWriter(Writer):
    def fetch_in(self, sql: str, values: list, batch: int = 50_000) -> list[tuple]:
        """One array parameter (``= ANY(%s)``) instead of thousands of placeholders to parse and plan."""
        out: list[tuple] = []
        sql = sql.replace("IN ({})", "= ANY(%s)")
        with connection.cursor() as cur:
            for i in range(0, len(values), batch):
                cur.execute(sql, [values[i : i + batch]])
                out.extend(cur.fetchall())
        return out

    def next_ids(self, table: str, n: int) -> list[int]:
        with self.raw.cursor() as cur:
            if n <= 10_000:
                cur.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", (table, n)
                )
                return [r[0] for r in cur.fetchall()]
            # one block of n ids: the sequence steps by n once (ALTER SEQUENCE holds other sessions'
            # nextval until this transaction ends, so nobody draws an id inside the block)
            cur.execute("SELECT pg_get_serial_sequence(%s, 'id')", (table,))
            seq = cur.fetchone()[0]
            cur.execute(f"ALTER SEQUENCE {seq} INCREMENT BY {int(n)}")
            cur.execute("SELECT nextval(%s)", (seq,))
            top = cur.fetchone()[0]
            cur.execute(f"ALTER SEQUENCE {seq} INCREMENT BY 1")
            return list(range(top - n + 1, top + 1))

    CHUNK = 200_000

    # tables this transaction holds in ACCESS EXCLUSIVE mode (bulk-load mode says so): their column
    # defaults may be changed for the duration of a COPY without blocking anyone further
    exclusive: frozenset[str] = frozenset()

    def _insert_frame(self, table: str, frame, constants: dict[str, object], derived_from=None) -> None:
        """COPY … (FORMAT csv) of the frame written as CSV by polars (Rust), slice by slice."""
        import json

        import polars as pl

        if table in self.exclusive and frame.height >= COPY_DEFAULTS_MIN_ROWS:
            # a million rows copied with only the columns that vary: the constants become the
            # columns' defaults for this COPY (PostgreSQL then parses a third fewer values per row)
            frame, constants = constant_columns(frame, constants)
            with self._defaults(table, constants):
                self._copy(table, frame)
            return
        span = id_span(frame) if derived_from is not None else None
        if span is not None:
            source, mapping = derived_from
            key = frame.columns[0]
            cols = list(mapping)
            values = [v.isoformat() if isinstance(v, dt.datetime) else v for v in constants.values()]
            with self.raw.cursor() as cur:
                cur.execute(
                    f"INSERT INTO {table} ({', '.join([*cols, *constants])}) "  # noqa: S608 - names are ours
                    f"SELECT {', '.join([mapping[c] for c in cols] + ['%s'] * len(values))} "
                    f"FROM {source} WHERE {mapping[key]} BETWEEN %s AND %s",
                    [*values, *span],
                )
            return
        frame, constants = constant_columns(frame, constants)
        lits = []
        for c, v in constants.items():
            if isinstance(v, dt.datetime):
                v = v.isoformat()
            elif isinstance(v, list | dict):
                v = json.dumps(v)
            lits.append(pl.lit(v, dtype=pl.String if v is None else None).alias(c))
        frame = frame.with_columns(lits) if lits else frame
        self._copy(table, frame)

    @contextmanager
    def _defaults(self, table: str, constants: dict[str, object]):
        """Set ``constants`` as the columns' defaults, restoring the previous ones afterwards (if the
        COPY fails, the import's rollback undoes the change with everything else: DDL is
        transactional)."""
        import json

        from psycopg import sql

        if not constants:
            yield
            return
        with self.raw.cursor() as cur:
            cur.execute(
                "SELECT column_name, column_default FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND table_name = %s AND column_name = ANY(%s)",
                [table, list(constants)],
            )
            before = dict(cur.fetchall())

            def alter(parts):
                cur.execute(
                    sql.SQL("ALTER TABLE {} ").format(sql.Identifier(table)) + sql.SQL(", ").join(parts)
                )

            col = sql.Identifier
            values = {c: json.dumps(v) if isinstance(v, list | dict) else v for c, v in constants.items()}
            alter(
                [
                    sql.SQL("ALTER COLUMN {} SET DEFAULT {}").format(col(c), sql.Literal(v))
                    for c, v in values.items()
                ]
            )
            yield
            alter(
                [
                    sql.SQL("ALTER COLUMN {} DROP DEFAULT").format(col(c))
                    if before.get(c) is None
                    else sql.SQL("ALTER COLUMN {} SET DEFAULT {}").format(col(c), sql.SQL(before[c]))
                    for c in constants
                ]
            )

    def _copy(self, table: str, frame) -> None:
        import io

        sql = f"COPY {table} ({', '.join(frame.columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
        with self.raw.cursor() as cur, cur.copy(sql) as cp:
            for i in range(0, frame.height, self.CHUNK):
                buf = io.BytesIO()
                frame.slice(i, self.CHUNK).write_csv(buf, include_header=False, null_value="\\N")
                cp.write(buf.getvalue())


def id_span(frame) -> tuple[int, int] | None:
    """(first, last) when the frame's first column holds one run of consecutive ids in order, as
    ``next_ids`` allocates them (the rows can then be selected by range), else None."""
    if not frame.height:
        return None
    ids = frame[frame.columns[0]]
    lo, hi = int(ids.min()), int(ids.max())
    return (lo, hi) if hi - lo + 1 == frame.height and ids.is_sorted() else None


def constant_columns(frame, constants: dict[str, object], min_rows: int = 1000):
    """Columns holding one value on every row (a column the file did not have, a default) move to
    ``constants``: a million rows then bind only the values that vary."""
    clash = set(frame.columns) & set(constants)
    if clash:
        raise ValueError(f"columns given twice: {sorted(clash)}")
    if frame.height < min_rows:
        return frame, constants
    constants = dict(constants)
    same = [
        c for c in frame.columns if frame[c].null_count() in (0, frame.height) and frame[c].n_unique() == 1
    ]
    for c in same:
        constants[c] = frame[c][0]
    return frame.drop(same), constants


def writer(bulk: bool = True, skip_checks: bool = False) -> Writer:
    """The writer for the current connection; ``bulk=False`` for reads only (dry runs);
    ``skip_checks`` for an importer that validated every value itself (SQLite CHECKs skipped)."""
    connection.ensure_connection()
    return (
        SqliteWriter(bulk=bulk, skip_checks=skip_checks)
        if connection.vendor == "sqlite"
        else PostgresWriter()
    )


def model_defaults(model, skip: set[str]) -> dict[str, object]:
    """Column -> default value for the concrete fields an importer does not set itself."""
    out: dict[str, object] = {}
    for f in model._meta.concrete_fields:
        if f.column in skip:
            continue
        if f.has_default():
            out[f.column] = f.get_default()
        elif f.null:
            out[f.column] = None
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            out[f.column] = "__now__"
        elif f.get_internal_type() in ("CharField", "TextField") or f.blank:
            out[f.column] = ""
        else:
            out[f.column] = None
    return out
