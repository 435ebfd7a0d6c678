# ruff: noqa: S608  -- SQL is assembled from model table names and fixed fragments; no user values.
"""The full rebuild, counted in columns.

A relational database is slow at what the full rebuild needs: SQLite groups 10 million rows with a
sort (17 s on the benchmark machine for a bare ``GROUP BY`` of the people table) and has no hash
join, so the person-by-person measures cost a minute in SQL. Here the rebuild reads a few narrow
columns of each large table once — people, current household memberships, live recognitions of each
title, the staff of organisations — and joins and counts them in memory with polars (hash joins and
hash aggregation over all cores). Small families are still counted in SQL by their own ``rows()``.

The measures are the ones ``measures`` defines in SQL for the incremental refresh; a test holds the
two to the same figures family by family.

Reading: ``Reader`` gives query results as polars frames. The rebuild (``services.rebuild``) reads
through two more connections, in parallel on both cores, which see exactly what its own would:
- SQLite: two read-only ADBC connections (Arrow columns filled in C; the sqlite3 module builds a
  Python tuple per row, four times slower) while the rebuild holds the write lock;
- PostgreSQL: two ADBC connections (binary COPY into Arrow, in C; psycopg's COPY iterates in Python
  per row) on the snapshot the rebuild's transaction exports.
Inside a caller's transaction (which no other connection can see into) or on an in-memory database,
Django's own connection: ``COPY … TO STDOUT`` on PostgreSQL, the cursor on SQLite.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

import numpy as np
import polars as pl
from django.db import connection

from xhht.core.titles import Title

from . import measures as M

log = logging.getLogger(__name__)

I64, STR = pl.Int64, pl.String
ROW_SCHEMA = {"measure": STR, "path": STR, "year": I64, "value": I64}
WINDOW = 62  # years per pass: one bit per year in a non-negative 64-bit mask
# ids looked up through an array indexed by id while the largest id is below this many per row
DENSE_FACTOR, DENSE_SLACK = 4, 1_000_000
YEAR_SPAN = 1 << 16  # years are below this (PositiveSmallIntegerField): (id, year) as id * span + year


Query = tuple[str, dict[str, pl.DataType]]  # SQL and the frame's columns
LIBPQ_OPTIONS = {
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "sslpassword",
    "connect_timeout",
    "options",
    "application_name",
    "target_session_attrs",
    "passfile",
    "service",
    "gssencmode",
}


class Reader:
    """Query results as polars frames (see the module's docstring for the three ways).

    ``separate``: the caller guarantees that Django's connection holds nothing uncommitted and that no
    writer can commit meanwhile (the rebuild holds the write lock), so on SQLite other connections
    read exactly what it would — two of them, on both cores."""

    THREADS = 2

    def __init__(self, *, separate: bool = False):
        self.separate = separate
        self.mode = "cursor"
        self._pool: list = []

    def __enter__(self) -> Reader:
        connection.ensure_connection()
        if connection.vendor == "postgresql":
            self.mode = "copy"
            if self.separate and connection.in_atomic_block:
                self._pool = self._pg_helpers()
                self.mode = "adbc"
        elif connection.vendor == "sqlite" and self.separate and not connection.is_in_memory_db():
            from urllib.parse import quote

            import adbc_driver_sqlite.dbapi as adbc

            uri = f"file:{quote(str(connection.settings_dict['NAME']))}?mode=ro"
            for _ in range(self.THREADS):
                conn = adbc.connect(uri)
                with conn.cursor() as cur:
                    for pragma in ("PRAGMA mmap_size = 2147418112", "PRAGMA cache_size = -200000"):
                        cur.execute(pragma)
                        pl.DataFrame(cur.fetch_arrow())  # stepped to the end (fetchall needs pyarrow)
                self._pool.append(conn)
            self.mode = "adbc"
        return self

    def _pg_helpers(self) -> list:
        """Two ADBC connections (binary COPY into Arrow columns, in C) reading the snapshot of the
        rebuild's transaction: exported by it, imported by them, so they see exactly what it sees."""
        with connection.cursor() as cur:
            cur.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cur.fetchone()
        return self.pg_pool(snapshot)

    @classmethod
    def pg_pool(cls, snapshot: str) -> list:
        """``THREADS`` ADBC connections in a read-only transaction on ``snapshot``."""
        import adbc_driver_postgresql.dbapi as apg
        from psycopg.conninfo import make_conninfo

        sd = connection.settings_dict
        params = {
            "dbname": sd["NAME"],
            "user": sd.get("USER"),
            "password": sd.get("PASSWORD"),
            "host": sd.get("HOST"),
            "port": sd.get("PORT"),
            # the libpq settings among Django's OPTIONS (TLS, timeouts…)
            **{k: v for k, v in (sd.get("OPTIONS") or {}).items() if k in LIBPQ_OPTIONS},
        }
        conninfo = make_conninfo(**{k: str(v) for k, v in params.items() if v})  # quoted as libpq wants
        pool = []
        for _ in range(cls.THREADS):
            conn = apg.connect(conninfo)  # autocommit off: the driver has begun a transaction
            with conn.cursor() as cur:
                cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cur.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")  # the server's own id
                cur.execute("SET LOCAL work_mem = '512MB'")
            pool.append(conn)
        return pool

    def __exit__(self, *exc) -> None:
        for conn in self._pool:
            conn.rollback()
            conn.close()
        self._pool.clear()

    def frames(self, queries: dict[str, Query]) -> dict[str, pl.DataFrame]:
        """Several queries at once: on two connections in parallel where there are two."""
        if len(self._pool) < 2 or len(queries) < 2:
            return {name: self.frame(*q) for name, q in queries.items()}
        from concurrent.futures import ThreadPoolExecutor
        from queue import SimpleQueue

        idle: SimpleQueue = SimpleQueue()
        for conn in self._pool:
            idle.put(conn)

        def run(q: Query) -> pl.DataFrame:
            conn = idle.get()
            try:
                return self._adbc_frame(conn, *q)
            finally:
                idle.put(conn)

        with ThreadPoolExecutor(len(self._pool)) as ex:
            futures = {name: ex.submit(run, q) for name, q in queries.items()}
            return {name: f.result() for name, f in futures.items()}

    def frame(self, sql: str, schema: dict[str, pl.DataType]) -> pl.DataFrame:
        if self.mode == "adbc":
            return self._adbc_frame(self._pool[0], sql, schema)
        if self.mode == "copy":
            return self._copy_frame(connection.connection, sql, schema)
        t = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute(sql)
            rows = cur.fetchall()
        df = pl.DataFrame(rows, schema=schema, orient="row")
        log.debug("read %s rows in %.2f s (cursor): %.80s", f"{df.height:,}", time.perf_counter() - t, sql)
        return df

    @staticmethod
    def _copy_frame(conn, sql: str, schema: dict[str, pl.DataType]) -> pl.DataFrame:
        t = time.perf_counter()
        buf = bytearray()
        with conn.cursor() as cur, cur.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)") as copy:
            for block in copy:
                buf += block
        if buf:
            df = pl.read_csv(bytes(buf), has_header=False, new_columns=list(schema), schema=schema)
        else:
            df = pl.DataFrame(schema=schema)
        log.debug("read %s rows in %.2f s (copy): %.80s", f"{df.height:,}", time.perf_counter() - t, sql)
        return df

    @staticmethod
    def _adbc_frame(conn, sql: str, schema: dict[str, pl.DataType]) -> pl.DataFrame:
        t = time.perf_counter()
        with conn.cursor() as cur:
            cur.execute(sql)
            df = pl.DataFrame(cur.fetch_arrow())
        if df.width == 0:  # no rows: the driver may give no columns at all
            df = pl.DataFrame(schema=schema)
        df.columns = list(schema)
        df = df.cast(schema)
        log.debug("read %s rows in %.2f s (adbc): %.80s", f"{df.height:,}", time.perf_counter() - t, sql)
        return df


def _rows_frame(rows: Iterable[M.Row]) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=ROW_SCHEMA, orient="row")


def _long(df: pl.DataFrame, measures: dict[str, str], year: str | int = 0) -> pl.DataFrame:
    """Counts in wide form (``path``, a year column or a fixed year, one column per measure) as rows
    (measure, path, year, value)."""
    y = pl.col(year) if isinstance(year, str) else pl.lit(year, I64)
    return pl.concat(
        [
            df.select(
                pl.lit(m, STR).alias("measure"),
                "path",
                y.cast(I64).alias("year"),
                pl.col(c).cast(I64).alias("value"),
            )
            for m, c in measures.items()
        ]
    )


def _live(title: str, stype: str, alias: str = "") -> str:
    a = f"{alias}." if alias else ""
    return f"{a}title = '{title}' AND {a}subject_type = '{stype}' AND {a}revoked_at IS NULL"


def _unique_active() -> str:
    """SQLite: read a title's live (subject, year) pairs from the live-only unique index alone; left to
    itself SQLite probes the table from the subject index for every row (twice as slow)."""
    return " INDEXED BY rec_recognition_unique_active" if connection.vendor == "sqlite" else ""


class Tables:
    """The narrow columns the person-based measures need, read once and shared."""

    @staticmethod
    def queries() -> dict[str, Query]:
        rec, person, hm, ch, om = (
            M._t("recognition.Recognition"),
            M._t("registry.Person"),
            M._t("registry.HouseholdMember"),
            M._t("registry.ClanHousehold"),
            M._t("registry.OrgMembership"),
        )
        ua = _unique_active()
        pair = {"k": I64, "y": I64}
        return {
            # every person, packed: bit 0 active, 1 IT, 2 life skills, 3 technical qualification,
            # 4 university, digital skill from bit 5; a missing birth year as 9999 (never of age)
            "people": (
                "SELECT id, village_id, unit_path, COALESCE(birth_year, 9999),"
                " CASE WHEN status = 'active' THEN 1 ELSE 0 END + CASE WHEN it_competency THEN 2 ELSE 0 END"
                " + CASE WHEN life_skills THEN 4 ELSE 0 END"
                " + CASE WHEN technical_qualification <> 'khong' THEN 8 ELSE 0 END"
                " + CASE WHEN technical_qualification = 'dai_hoc' THEN 16 ELSE 0 END"
                f" + 32 * COALESCE(digital_skill, 0) FROM {person}",
                {"id": I64, "v": I64, "path": STR, "byr": I64, "f": I64},
            ),
            # CDHT holders with where they were recognised (the digital measures count there)
            "cdht": (
                f"SELECT subject_id, year, unit_path FROM {rec} WHERE {_live(Title.CDHT, 'person')}",
                {"k": I64, "y": I64, "path": STR},
            ),
            "gdht": (f"SELECT subject_id, year FROM {rec}{ua} WHERE {_live(Title.GDHT, 'household')}", pair),
            "members": (
                f"SELECT person_id, household_id FROM {hm} WHERE valid_to IS NULL",
                {"id": I64, "h": I64},
            ),
            "clans": (
                f"SELECT subject_id, year FROM {rec}{ua} WHERE {_live(Title.DHHT, 'clan')}",
                {"c": I64, "y": I64},
            ),
            "clan_households": (
                f"SELECT clan_id, household_id FROM {ch} WHERE valid_to IS NULL",
                {"c": I64, "k": I64},
            ),
            "thon": (f"SELECT subject_id, year FROM {rec}{ua} WHERE {_live(Title.CDHT_THON, 'unit')}", pair),
            "dvht": (
                f"SELECT subject_id, year, unit_path FROM {rec} WHERE {_live(Title.DVHT, 'organisation')}",
                {"o": I64, "y": I64, "path": STR},
            ),
            "staff": (
                f"SELECT organisation_id, person_id FROM {om} WHERE valid_to IS NULL",
                {"o": I64, "id": I64},
            ),
        }

    def __init__(self, frames: dict[str, pl.DataFrame]):
        people = frames["people"]
        # the people's places as small integers (group keys) and their names
        code = people["path"].cast(pl.Categorical).to_physical()
        self.paths = pl.DataFrame({"code": code, "path": people["path"]}).unique("code")
        self.people = people.drop("path").with_columns(code=code)
        self.members = frames["members"]
        self.gdht = frames["gdht"]
        # households of clans recognised DHHT (a household may be in two clans of the same year)
        self.dhht = frames["clans"].join(frames["clan_households"], on="c").select("k", "y")
        self.thon = frames["thon"]
        self.cdht = frames["cdht"]
        self.dvht = frames["dvht"]
        self.staff = frames["staff"]


def people_frame(t: Tables) -> pl.DataFrame:
    """``PeopleFamily``: residents by age band and facts (snapshot, year 0)."""
    y = M.this_year()
    a15, a60 = y - 15, y - 60
    f, byr = pl.col("f"), pl.col("byr")
    adult, wa = byr <= a15, (byr <= a15) & (byr >= a60)

    def has(bit):
        return (f & bit) != 0

    wide = (
        t.people.select("code", "f", "byr")
        .filter(has(1))
        .group_by("code")
        .agg(
            pl.len().alias("people"),
            adult.sum().alias("people_15"),
            wa.sum().alias("working_age"),
            (wa & has(2)).sum().alias("working_age_it"),
            (wa & has(4)).sum().alias("working_age_lifeskills"),
            (adult & has(8)).sum().alias("people_15_tech"),
            (adult & has(16)).sum().alias("people_15_univ"),
        )
        .join(t.paths, on="code")
    )
    return _long(wide, {m: m for m in M.PeopleFamily.measures})


def _dense(k: np.ndarray, query: np.ndarray) -> int | None:
    """The size of an array indexed by id for keys ``k`` and lookups ``query``, or None when the ids
    are far sparser than the rows (a hash join then). Ids are dense in practice."""
    hi = int(max(k.max(), query.max()))
    if hi <= DENSE_FACTOR * (len(k) + len(query)) + DENSE_SLACK and int(min(k.min(), query.min())) >= 0:
        return hi + 1
    return None


def _lookup(keys: pl.Series, values: pl.Series | np.ndarray, query: np.ndarray) -> np.ndarray:
    """``values`` of ``keys`` (distinct) at each of ``query`` (0 where absent)."""
    values = np.asarray(values, dtype=np.int64)
    if not len(keys) or not len(query):
        return np.zeros(len(query), dtype=np.int64)
    k = keys.to_numpy()
    size = _dense(k, query)
    if size is not None:
        arr = np.zeros(size, dtype=np.int64)
        arr[k] = values
        return arr[query]
    q = pl.DataFrame({"k": query}).join(
        pl.DataFrame({"k": k, "val": values}), on="k", how="left", maintain_order="left"
    )
    return q["val"].fill_null(0).to_numpy().copy()


def _year_masks(pairs: pl.DataFrame, base: int, query: np.ndarray) -> np.ndarray:
    """(k, y) pairs: for each of ``query``, the mask of its years in the window from ``base`` (bit
    y - base set; the OR of the pairs, so a pair given twice counts once)."""
    w = pairs.filter((pl.col("y") >= base) & (pl.col("y") < base + WINDOW))
    if not w.height or not len(query):
        return np.zeros(len(query), dtype=np.int64)
    k = w["k"].to_numpy()
    bits = np.left_shift(np.int64(1), w["y"].to_numpy() - base)
    size = _dense(k, query)
    if size is not None:
        arr = np.zeros(size, dtype=np.int64)
        np.bitwise_or.at(arr, k, bits)
        return arr[query]
    m = w.select("k").with_columns(b=bits).group_by("k").agg(pl.col("b").bitwise_or())
    return _lookup(m["k"], m["b"], query)


def learning_family_frame(t: Tables) -> pl.DataFrame:
    """``LearningFamilyFamily``: active people of age in the year who live in a household recognised
    GĐHT, a household of a clan recognised DHHT, or a village recognised CĐHT — and those of them who
    hold CDHT that year. One bit per year in four masks (household GĐHT, household DHHT, village, own
    CDHT) per person."""
    years = sorted(set().union(*(x["y"].unique().to_list() for x in (t.gdht, t.dhht, t.thon))))
    if not years:
        return pl.DataFrame(schema=ROW_SCHEMA)
    f = t.people["f"].to_numpy()
    active = (f & 1) != 0
    pid = t.people["id"].to_numpy()[active]
    village = t.people["v"].to_numpy()[active]
    byr = t.people["byr"].to_numpy()[active]
    codes = t.people["code"].to_numpy()[active]
    # each active person's current household (0: none; household ids start at 1)
    household = _lookup(t.members["id"], t.members["h"], pid)
    out = []
    base = years[0]
    while base <= years[-1]:
        cov = _year_masks(t.gdht, base, household)
        cov |= _year_masks(t.dhht, base, household)
        cov |= _year_masks(t.thon, base, village)
        # of age in year base + k from k = birth year + 15 - base on: the bits from there up
        cov &= ~(np.left_shift(np.int64(1), np.clip(byr + 15 - base, 0, WINDOW)) - 1)
        cc = cov & _year_masks(t.cdht, base, pid)
        ys = [y for y in years if base <= y < base + WINDOW]
        wide = (
            pl.DataFrame({"code": codes, "cov": cov, "cc": cc})
            .group_by("code")
            .agg(
                *[((pl.col("cov") & (1 << (y - base))) != 0).sum().alias(f"n{y}") for y in ys],
                *[((pl.col("cc") & (1 << (y - base))) != 0).sum().alias(f"c{y}") for y in ys],
            )
            .join(t.paths, on="code")
        )
        for y in ys:
            out.append(
                _long(
                    wide.select("path", f"n{y}", f"c{y}"), {"adults_in_lf": f"n{y}", "cdht_in_lf": f"c{y}"}, y
                )
            )
        base += WINDOW
    return pl.concat(out)


def learning_unit_frame(t: Tables) -> pl.DataFrame:
    """``LearningUnitFamily``: the distinct staff of organisations recognised ĐVHT in the year, where
    the recognition was recorded — and those of them who hold CDHT that year."""
    # (place, year) as one integer, and (person, year) as one: joins and distinct rows on integers
    places = t.dvht.select("path", "y").unique().with_row_index("g", 0).with_columns(pl.col("g").cast(I64))
    staff = (
        t.dvht.join(places, on=["path", "y"])
        .select("o", "g", "y")
        .join(t.staff, on="o")
        .select("g", (pl.col("id") * YEAR_SPAN + pl.col("y")).alias("iy"))
        .unique()
    )
    held = t.cdht.select((pl.col("k") * YEAR_SPAN + pl.col("y")).alias("iy")).with_columns(
        held=pl.lit(1, I64)
    )
    wide = (
        staff.join(held, on="iy", how="left")
        .group_by("g")
        .agg(pl.len().alias("staff_in_lu"), pl.col("held").fill_null(0).sum().alias("cdht_in_lu"))
        .join(places, on="g")
    )
    return _long(wide, {"staff_in_lu": "staff_in_lu", "cdht_in_lu": "cdht_in_lu"}, "y")


def digital_frame(t: Tables) -> pl.DataFrame:
    """``DigitalFamily``: CDHT holders of the year with digital skills (level ≥ 1) and proficient (≥ 2),
    where the recognition was recorded (a holder no longer in the registry counts in neither)."""
    d = pl.Series("d", _lookup(t.people["id"], t.people["f"].to_numpy() // 32, t.cdht["k"].to_numpy()))
    wide = (
        t.cdht.select("path", "y")
        .with_columns(d)
        .group_by("path", "y")
        .agg((pl.col("d") >= 1).sum().alias("d1"), (pl.col("d") >= 2).sum().alias("d2"))
    )
    return _long(wide, {"cdht_digital": "d1", "cdht_digital_pro": "d2"}, "y")


def _covering(fam: M.RecognitionFamily) -> bool:
    return connection.vendor == "sqlite" and fam.covering


def recognition_queries(fam: M.RecognitionFamily) -> dict[str, Query]:
    rec = M._t(fam.table)
    schema = {"t": STR, "y": I64, "path": STR, "n": I64}
    grouped = " GROUP BY title, year, unit_path"
    if not _covering(fam):
        return {
            "live": (f"SELECT title, year, unit_path, COUNT(*) FROM {rec} WHERE {fam.where}{grouped}", schema)
        }
    return {
        "all": (f"SELECT title, year, unit_path, COUNT(*) FROM {rec}{grouped}", schema),
        "live": (
            f"SELECT title, year, COUNT(*) FROM {rec} WHERE {fam.where} GROUP BY title, year",
            {"t": STR, "y": I64, "live": I64},
        ),
    }


def recognition_frame(rd: Reader, fam: M.RecognitionFamily, read: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """``RecognitionFamily`` (live recognitions per title, place and year) from what
    ``recognition_queries`` read. SQLite counts from the indexes alone: every row per (title, year,
    place) from the rollup index, the live ones per (title, year) from the live-only unique index;
    only a (title, year) with revoked rows is counted again from the table (revocations are rare)."""
    if not _covering(fam):
        df = read["live"]
    else:
        everything, live = read["all"], read["live"]
        totals = (
            everything.group_by("t", "y")
            .agg(pl.col("n").sum().alias("all"))
            .join(live, on=["t", "y"], how="left")
        )
        revoked = pl.col("all") != pl.col("live").fill_null(0)
        parts = [everything.join(totals.filter(~revoked).select("t", "y"), on=["t", "y"], how="semi")]
        rec = M._t(fam.table)
        for title, year in totals.filter(revoked & (pl.col("live") > 0)).select("t", "y").rows():
            parts.append(
                rd.frame(
                    f"SELECT title, year, unit_path, COUNT(*) FROM {rec} WHERE {fam.where}"
                    f" AND title = '{title}' AND year = {int(year)} GROUP BY title, year, unit_path",
                    everything.schema,
                )
            )
        df = pl.concat(parts)
    return df.select(
        (pl.lit(fam.prefix + ":") + pl.col("t")).alias("measure"),
        "path",
        pl.col("y").alias("year"),
        pl.col("n").alias("value"),
    )


# the person-based families, counted from the shared ``Tables``
COLUMNAR: dict[str, Callable[[Tables], pl.DataFrame]] = {
    "people": people_frame,
    "lf": learning_family_frame,
    "lu": learning_unit_frame,
    "digital": digital_frame,
}


def family_frames(
    rd: Reader, fams: list[M.Family], write: Callable[[str], None] | None = None
) -> tuple[list[pl.DataFrame], dict[str, float]]:
    """Every family's full counts as frames (measure, path, year, value), with the time each took.
    The large reads of every family go in one batch (in parallel where the reader can)."""
    timings: dict[str, float] = {}
    frames: list[pl.DataFrame] = []
    person_based = any(f.code in COLUMNAR for f in fams)
    queries: dict[str, Query] = {}
    for fam in fams:  # the longest read first: the other connection takes the rest meanwhile
        if isinstance(fam, M.RecognitionFamily):
            queries.update({f"{fam.code}:{k}": q for k, q in recognition_queries(fam).items()})
    if person_based:
        queries.update(Tables.queries())
    t0 = time.perf_counter()
    read = rd.frames(queries)
    tables = Tables(read) if person_based else None
    timings["read"] = time.perf_counter() - t0
    if write:
        write(f"  read ({len(queries)} queries, {rd.mode}): {timings['read']:.2f} s")
    for fam in fams:
        t = time.perf_counter()
        if fam.code in COLUMNAR:
            frames.append(COLUMNAR[fam.code](tables))
        elif isinstance(fam, M.RecognitionFamily):
            mine = {k.split(":", 1)[1]: v for k, v in read.items() if k.startswith(fam.code + ":")}
            frames.append(recognition_frame(rd, fam, mine))
        else:
            frames.append(_rows_frame(fam.rows()))
        timings[fam.code] = time.perf_counter() - t
        if write:
            write(f"  {fam.code}: {timings[fam.code]:.2f} s")
    return frames, timings


def _sum_into(rows: pl.DataFrame, into: pl.DataFrame) -> pl.DataFrame:
    """``rows`` (measure, year, path, value) summed into the units ``into`` maps each path to
    (columns path, unit), without zeros."""
    return (
        rows.join(into, on="path")
        .group_by("measure", "year", "unit")
        .agg(pl.col("value").sum())
        .filter(pl.col("value") != 0)
        .select("measure", "year", pl.col("unit").alias("path"), "value")
    )


def roll_up(frames: list[pl.DataFrame], umap) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Leaf counts (per measure, year and leaf key) and facts (per measure, year and every unit a leaf
    rolls up into), both as frames (measure, year, path, value) without zeros."""
    rows = pl.concat([f.select(list(ROW_SCHEMA)).cast(ROW_SCHEMA) for f in frames]).filter(
        pl.col("value") != 0
    )
    schema = {"path": STR, "unit": STR}
    paths = rows["path"].unique().to_list()
    leaf = _sum_into(
        rows, pl.DataFrame({"path": paths, "unit": [umap.leaf_key(p) for p in paths]}, schema=schema)
    )
    keys = leaf["path"].unique().to_list()
    targets = pl.DataFrame([(k, t) for k in keys for t in umap.targets(k)], schema=schema, orient="row")
    return leaf, _sum_into(leaf, targets)
