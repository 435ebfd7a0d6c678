# ruff: noqa: S608  -- table and column names are our own constants
"""Analytics at national scale: full rebuild, freshness after a decision, dashboard latency.

Synthetic data generated in the database itself (INSERT … SELECT over a number series: SQLite
recursive CTE, PostgreSQL generate_series; values from a multiplicative hash, so both databases hold
the same data), secondary indexes dropped during the load and built once afterwards: the official map
(34 provinces, 3,321 communes) plus villages, people, households (with members), clans, organisations
with staff, and 10 years of recognitions (2016–2025; household recognitions before 2025 recorded at
the former commune, as historic records are).

    python bench/bench_analytics.py                 # both databases, the full 10 M people / 3 M households /
                                                    # 60,000 villages (--scale 1; BENCH_ANALYTICS_SCALE)
    python bench/bench_analytics.py --scale 0.1     # 1 M people, a quicker run
    python bench/bench_analytics.py --db sqlite --scale 0.05
    python bench/bench_analytics.py --db postgres --scale 1 --reuse   # rerun on the data generated before

BENCH analytics_rebuild_<n>m_<db>_s          full rebuild (``xhht rebuild_analytics``) over n million people
BENCH analytics_fresh_after_decision_s       a decision of 1,000 recognitions until the dashboards show it
BENCH analytics_fresh_after_import_s         a 20,000-person import (people and households, ``import_file``
                                             committed) into one commune until its and its province's
                                             figures show it (and _<db>; the refresh alone:
                                             analytics_refresh_after_import_<db>_s)
BENCH dashboard_province_ms / _national_ms   median of 20 renders of the plan dashboard (and _<db>)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from common import emit, median_ms, peak_rss_mib, rerun_with, setup_django, timer  # noqa: E402

DEFAULT_SCALE = float(os.environ.get("BENCH_ANALYTICS_SCALE", "1"))  # 1: the issue's national scale
FULL = {"villages": 60_000, "people": 10_000_000, "households": 3_000_000}
YEARS = list(range(2016, 2026))
# multipliers of the pseudo-random hash h(x, A) = (x * A) % P: deterministic, identical on both databases
P = 2_147_483_629
A = {
    "village": 1_103_515_245,
    "household": 1_664_525_017,
    "birth": 2_654_435_761,
    "tech": 1_013_904_223,
    "it": 1_140_671_485,
    "digital": 134_775_813,
    "life": 1_597_334_677,
    "clan": 2_891_336_453,
    "org": 3_039_394_381,
    "staff": 2_147_001_325,
    "gdht": 1_181_783_497,
    "cdht": 2_024_337_221,
    "thon": 1_379_424_469,
    "dhht": 3_407_958_973,
    "dvht": 1_941_053_419,
}


def h(expr: str, key: str, n: int) -> str:
    """SQL for a pseudo-random integer in [0, n) from the integer ``expr``."""
    return f"((({expr}) * {A[key]}) % {P} % {n})"


def _series(vendor: str, n: int) -> tuple[str, str]:
    """(WITH prefix, FROM clause) giving a column ``x`` = 1..n."""
    if vendor == "postgresql":
        return "", f"generate_series(1::bigint, {n}) AS s(x)"
    return f"WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < {n}) ", "s"


def _insert(cur, vendor, model, n, exprs: dict[str, str], joins: str = "", where: str = "") -> None:
    """INSERT … SELECT n generated rows (column ``x`` = 1..n) into ``model``'s table; columns not in
    ``exprs`` get NULL or their type's empty value (other apps may add columns)."""
    from django.db import models

    cols, vals = [], []
    for f in model._meta.concrete_fields:
        col = f.column
        if col in exprs:
            expr = exprs[col]
        elif f.primary_key or f.null:
            continue
        elif f.has_default() and not callable(f.default) and isinstance(f.default, (int, str, bool)):
            d = f.default
            if isinstance(d, bool):
                expr = ("TRUE" if d else "FALSE") if vendor == "postgresql" else str(int(d))
            elif isinstance(d, int):
                expr = str(d)
            else:
                expr = "'" + d.replace("'", "''") + "'"
        elif isinstance(f, models.BooleanField):
            expr = "FALSE" if vendor == "postgresql" else "0"
        elif isinstance(f, (models.IntegerField, models.FloatField, models.DecimalField)):
            expr = "0"
        elif isinstance(f, models.JSONField):
            expr = "'[]'" if f.default is list else "'{}'"
        elif isinstance(f, models.DateTimeField):
            expr = "CURRENT_TIMESTAMP"
        elif isinstance(f, models.DateField):
            expr = "CURRENT_DATE"
        else:
            expr = "''"
        cols.append(col)
        vals.append(expr)
    with_, from_ = _series(vendor, n)
    sql = (
        f"{with_}INSERT INTO {model._meta.db_table} ({', '.join(cols)}) SELECT {', '.join(vals)}"
        f" FROM {from_}{joins}" + (f" WHERE {where}" if where else "")
    )
    cur.execute(sql)


@contextmanager
def _bulk_load(cur, vendor: str, tables: list[str]):
    """Drop the tables' secondary indexes during the load and build each once afterwards (one sort
    instead of millions of random B-tree inserts); on PostgreSQL also skip the per-row foreign-key
    triggers (``session_replication_role = replica``; the data are generated consistent)."""
    if vendor == "sqlite":
        marks = ", ".join(["%s"] * len(tables))
        cur.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            f" AND tbl_name IN ({marks})",
            tables,
        )
    else:
        cur.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s) AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.schemaname) || '.' || "
            "quote_ident(i.indexname))::regclass)",
            [tables],
        )
    saved = cur.fetchall()
    for name, _sql in saved:
        cur.execute(f'DROP INDEX "{name}"')
    if vendor == "postgresql":
        cur.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        if vendor == "postgresql":
            cur.execute("SET session_replication_role = DEFAULT")
            cur.execute("SET maintenance_work_mem = '512MB'")
        for _name, sql in saved:
            cur.execute(sql)


def generate(scale: float) -> dict:
    from django.db import connection, transaction

    from xhht.geo.loader import load_units
    from xhht.geo.models import AdminUnit, UnitSuccession
    from xhht.recognition.models import Recognition
    from xhht.registry.models import (
        Clan,
        ClanHousehold,
        Household,
        HouseholdMember,
        Organisation,
        OrgMembership,
        Person,
    )

    t0 = time.perf_counter()
    load_units()
    connection.ensure_connection()
    vendor = connection.vendor
    pg = vendor == "postgresql"
    if not pg:
        # no journal for the load (the database is thrown away if it fails); WAL again afterwards
        connection.connection.execute("PRAGMA journal_mode=DELETE")
        connection.connection.execute("PRAGMA journal_mode=OFF")
        connection.connection.execute("PRAGMA synchronous=OFF")
    true, false = ("TRUE", "FALSE") if pg else ("1", "0")

    def b(cond: str) -> str:
        return f"CASE WHEN {cond} THEN {true} ELSE {false} END"

    def txt(expr: str) -> str:
        return f"CAST({expr} AS TEXT)"

    def pad4(expr: str) -> str:
        return f"LPAD({txt(expr)}, 4, '0')" if pg else f"SUBSTR('0000' || {txt(expr)}, -4, 4)"

    def date(s: str) -> str:
        return f"DATE '{s}'" if pg else f"'{s}'"

    communes = list(
        AdminUnit.objects.filter(level=3, valid_to__isnull=True)
        .order_by("pk")
        .values_list("pk", "path", "code")
    )
    preds: dict[int, str] = {}
    for p_path, s_id in UnitSuccession.objects.filter(is_default=True).values_list(
        "predecessor__path", "successor_id"
    ):
        preds.setdefault(s_id, p_path)
    pred_ids = dict(AdminUnit.objects.filter(path__in=set(preds.values())).values_list("path", "pk"))
    nc = len(communes)
    n_v = max(int(FULL["villages"] * scale), nc)
    n_p = int(FULL["people"] * scale)
    n_h = int(FULL["households"] * scale)
    n_c = max(n_h // 40, 1)
    n_o = max(n_h // 30, 1)
    v0 = (AdminUnit.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    big = [
        m._meta.db_table
        for m in (AdminUnit, Household, Person, HouseholdMember, Clan, ClanHousehold, Organisation)
    ] + [OrgMembership._meta.db_table, Recognition._meta.db_table]
    now = "CURRENT_TIMESTAMP"
    steps = {}

    def step(name):
        steps[name] = time.perf_counter()
        print(f"#   generating {name}", flush=True)

    with transaction.atomic(), connection.cursor() as cur:
        # the communes in a numbered helper table, with the former commune historic records are filed under
        cur.execute(
            "CREATE TEMP TABLE bench_c (i INTEGER PRIMARY KEY, id BIGINT, path TEXT, code TEXT,"
            " old_id BIGINT, old_path TEXT)"
        )
        cur.executemany(
            "INSERT INTO bench_c VALUES (%s, %s, %s, %s, %s, %s)",
            [
                (i + 1, pk, path, code, pred_ids.get(preds.get(pk), pk), preds.get(pk, path))
                for i, (pk, path, code) in enumerate(communes)
            ],
        )
        # villages: village x in commune (x - 1) % nc + 1; historic records go to the former commune
        wv, fv = _series(vendor, n_v)
        cur.execute(
            f"CREATE TEMP TABLE bench_v AS {wv}SELECT x AS i, {v0} + x - 1 AS id,"
            f" c.path || 'T' || c.code || {pad4(f'(x - 1) / {nc} + 1')} || '/' AS path,"
            f" c.id AS cid, c.path AS cpath, c.old_id AS old_id, c.old_path AS old_path"
            f" FROM {fv} JOIN bench_c c ON c.i = (x - 1) % {nc} + 1"
        )
        cur.execute("CREATE UNIQUE INDEX bench_v_i ON bench_v (i)")
        if pg:
            cur.execute("ANALYZE bench_c")
            cur.execute("ANALYZE bench_v")
        with _bulk_load(cur, vendor, big):
            step("villages")
            name = f"'Thôn ' || {txt(f'(x - 1) / {nc} + 1')}"
            _insert(
                cur,
                vendor,
                AdminUnit,
                n_v,
                {
                    "id": "v.id",
                    "code": f"'T' || c.code || {pad4(f'(x - 1) / {nc} + 1')}",
                    "name": name,
                    "name_folded": f"'thon ' || {txt(f'(x - 1) / {nc} + 1')}",
                    "sort_key": f"'thon ' || {txt(f'(x - 1) / {nc} + 1')}",
                    "kind": "'thon'",
                    "level": "4",
                    "parent_id": "c.id",
                    "path": "v.path",
                    "valid_from": date("2025-07-01"),
                    "source": "'bench'",
                },
                joins=f" JOIN bench_v v ON v.i = x JOIN bench_c c ON c.i = (x - 1) % {nc} + 1",
            )
            # households in a pseudo-random village; the first n_h people are their heads, the rest spread
            step("households")
            hv = lambda e: f"{h(e, 'village', n_v)} + 1"  # noqa: E731  the village number of household e
            _insert(
                cur,
                vendor,
                Household,
                n_h,
                {
                    "id": "x",
                    "code": f"'H' || {txt('x')}",
                    "village_id": "v.id",
                    "unit_path": "v.path",
                    "address": "''",
                    "created_at": now,
                    "updated_at": now,
                },
                joins=f" JOIN bench_v v ON v.i = {hv('x')}",
            )
            step("people")
            hh = f"CASE WHEN x <= {n_h} THEN x ELSE {h('x', 'household', n_h)} + 1 END"
            _insert(
                cur,
                vendor,
                Person,
                n_p,
                {
                    "id": "x",
                    "full_name": "'Nguyễn Văn A'",
                    "name_folded": "'nguyen van a'",
                    "name_sort": "'a van nguyen'",
                    "birth_year": f"1940 + {h('x', 'birth', 81)}",
                    "ethnicity": "'Kinh'",
                    "village_id": "hh.village_id",
                    "unit_path": "hh.unit_path",
                    "occupation": "'lao_dong'",
                    "technical_qualification": f"CASE {h('x', 'tech', 4)} WHEN 2 THEN 'so_trung_cap'"
                    " WHEN 3 THEN 'dai_hoc' ELSE 'khong' END",
                    "it_competency": b(f"{h('x', 'it', 2)} = 0"),
                    "digital_skill": h("x", "digital", 4),
                    "foreign_language": "'khong'",
                    "life_skills": b(f"{h('x', 'life', 10)} < 6"),
                    "status": "'active'",
                    "created_at": now,
                    "updated_at": now,
                },
                joins=f" JOIN {Household._meta.db_table} hh ON hh.id = {hh}",
            )
            step("members")
            _insert(
                cur,
                vendor,
                HouseholdMember,
                n_p,
                {
                    "id": "x",
                    "household_id": hh,
                    "person_id": "x",
                    "relation": f"CASE WHEN x <= {n_h} THEN 'chu_ho' ELSE 'con' END",
                },
            )
            # clans (one per 40 households, 8 households each, registered in the first one's commune)
            step("clans, organisations")
            first = h("x", "clan", n_h)
            _insert(
                cur,
                vendor,
                Clan,
                n_c,
                {
                    "id": "x",
                    "name": f"'Họ ' || {txt('x')}",
                    "name_folded": f"'ho ' || {txt('x')}",
                    "commune_id": "v.cid",
                    "unit_path": "v.cpath",
                    "created_at": now,
                },
                joins=f" JOIN bench_v v ON v.i = {hv(first + ' + 1')}",
            )
            c_of = "((x - 1) / 8 + 1)"
            _insert(
                cur,
                vendor,
                ClanHousehold,
                n_c * 8,
                {
                    "id": "x",
                    "clan_id": c_of,
                    "household_id": f"({h(c_of, 'clan', n_h)} + (x - 1) % 8) % {n_h} + 1",
                },
            )
            # organisations (one per 30 households) in a commune, 10 staff each
            _insert(
                cur,
                vendor,
                Organisation,
                n_o,
                {
                    "id": "x",
                    "name": f"'Đơn vị ' || {txt('x')}",
                    "name_folded": f"'don vi ' || {txt('x')}",
                    "kind": "'truong_hoc'",
                    "level": "'xa'",
                    "unit_id": "v.cid",
                    "unit_path": "v.cpath",
                    "tax_code": "''",
                    "created_at": now,
                },
                joins=f" JOIN bench_v v ON v.i = {h('x', 'org', n_v)} + 1",
            )
            _insert(
                cur,
                vendor,
                OrgMembership,
                n_o * 10,
                {
                    "id": "x",
                    "organisation_id": "(x - 1) / 10 + 1",
                    "person_id": f"{h('x', 'staff', n_p)} + 1",
                    "category": "'vien_chuc'",
                    "position": "''",
                },
            )
            # recognitions, 2016–2025, a rising share each year (20 % … 60 %); household recognitions
            # before 2025 recorded at the former commune, as historic records are
            y0 = YEARS[0]
            rec_cols = {
                "level": "'dat'",
                "created_at": now,
                "criteria_hash": "''",
                "indicator_results": "'[]'",
                "unit_label": "''",
                "revoked_reason": "''",
            }

            def recs(
                title, stype, n_subj, key, name, unit_id, unit_path, joins, share="1000", subject="{subj}"
            ):
                subj = f"((x - 1) % {n_subj} + 1)"
                yi = f"((x - 1) / {n_subj})"
                _insert(
                    cur,
                    vendor,
                    Recognition,
                    n_subj * len(YEARS),
                    {
                        **rec_cols,
                        "title": f"'{title}'",
                        "year": f"{y0} + {yi}",
                        "subject_type": f"'{stype}'",
                        "subject_id": subject.format(subj=subj),
                        "subject_name": f"'{name}'",
                        "unit_id": unit_id,
                        "unit_path": unit_path,
                        "valid_from": (
                            f"make_date(CAST({y0} + {yi} AS INT), 12, 1)"
                            if pg
                            else f"({y0} + {yi}) || '-12-01'"
                        ),
                    },
                    joins=joins.format(subj=subj),
                    where=f"{h('x', key, 1000)} * 1000 < (200 + 45 * {yi}) * {share}",
                )

            step("recognitions")
            old = f"((x - 1) / {n_h}) < {len(YEARS) - 1}"
            recs(
                "GDHT",
                "household",
                n_h,
                "gdht",
                "Hộ",
                f"CASE WHEN {old} THEN v.old_id ELSE v.id END",
                f"CASE WHEN {old} THEN v.old_path ELSE v.path END",
                " JOIN bench_v v ON v.i = " + hv("{subj}"),
            )
            m = (n_p + 2) // 3  # a third of people are candidates each year, at half the share
            recs(
                "CDHT",
                "person",
                m,
                "cdht",
                "Người",
                "p.village_id",
                "p.unit_path",
                f" JOIN {Person._meta.db_table} p ON p.id = 3 * {{subj}} - 2",
                share="500",
                subject="3 * {subj} - 2",  # people 1, 4, 7 …
            )
            recs(
                "CDHT_THON", "unit", n_v, "thon", "Thôn", "v.id", "v.path", " JOIN bench_v v ON v.i = {subj}"
            )
            recs(
                "DHHT",
                "clan",
                n_c,
                "dhht",
                "Họ",
                "c.commune_id",
                "c.unit_path",
                f" JOIN {Clan._meta.db_table} c ON c.id = {{subj}}",
            )
            recs(
                "DVHT",
                "organisation",
                n_o,
                "dvht",
                "Đơn vị",
                "o.unit_id",
                "o.unit_path",
                f" JOIN {Organisation._meta.db_table} o ON o.id = {{subj}}",
            )
            step("indexes")
        cur.execute("DROP TABLE bench_c")
        cur.execute("DROP TABLE bench_v")
        if pg:
            for model in (AdminUnit, Household, Person, HouseholdMember, Clan, ClanHousehold, Organisation):
                t = model._meta.db_table
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT MAX(id) FROM {t}))")
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{OrgMembership._meta.db_table}', 'id'), {n_o * 10})"
            )
    step("analyze")
    with connection.cursor() as cur:
        # VACUUM on PostgreSQL too, as autovacuum would on a live database: it sets the visibility
        # map that lets the counts read the indexes only
        cur.execute("VACUUM ANALYZE" if pg else "ANALYZE")
    if not pg:
        connection.connection.execute("PRAGMA journal_mode=WAL")
        connection.connection.execute("PRAGMA synchronous=NORMAL")
    n_rec = Recognition.objects.count()
    step("end")
    names = list(steps)
    for a, b_ in zip(names, names[1:], strict=False):
        print(f"#   {a}: {steps[b_] - steps[a]:.1f} s", flush=True)
    return {
        "villages": n_v,
        "people": n_p,
        "households": n_h,
        "recognitions": n_rec,
        "gen_s": time.perf_counter() - t0,
    }


def _db_name(db: str, scale: float) -> str:
    # BENCH_ANALYTICS_DB: another name, so that two runs on one machine keep their own databases
    prefix = os.environ.get("BENCH_ANALYTICS_DB", "analytics")
    return f"{prefix}_{db}_x{scale:g}".replace(".", "_")


def _reuse(db: str, scale: float) -> bool:
    """Point Django at the database an earlier run generated (``--reuse``), if it is there."""
    import os

    from common import BENCH_DIR, POSTGRES_URL

    name = _db_name(db, scale)
    os.environ["XHHT_TESTING"] = "1"
    os.environ.setdefault("SECRET_KEY", __import__("secrets").token_urlsafe(50))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xhht.settings")
    if db == "sqlite":
        path = BENCH_DIR / f"{name}.sqlite3"
        if not path.exists():
            return False
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        import psycopg

        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            if not conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [f"xhht_bench_{name}"]
            ).fetchone():
                return False
        os.environ["DATABASE_URL"] = f"{POSTGRES_URL.rsplit('/', 1)[0]}/xhht_bench_{name}"
    import django

    django.setup()
    from xhht.registry.models import Person

    return Person.objects.exists()


def run(db: str, scale: float, reuse: bool = False) -> None:
    t_script = time.perf_counter()
    if not (reuse and _reuse(db, scale)):
        setup_django(db, _db_name(db, scale))
        info = generate(scale)
    else:
        from xhht.registry.models import Household, Person

        info = {"people": Person.objects.count(), "households": Household.objects.count(), "gen_s": 0}
        print("# reusing the generated database", flush=True)
    from django.db import connection
    from django.test import Client

    from xhht.accounts.models import User
    from xhht.analytics import hooks, services
    from xhht.core.titles import Title
    from xhht.geo.models import AdminUnit
    from xhht.plans.services import load_plans
    from xhht.recognition.models import Recognition

    label = "10m" if info["people"] == FULL["people"] else f"{info['people'] / 1e6:g}m"
    print(
        f"# {db}: {info['people']:,} people, {info['households']:,} households, "
        f"{AdminUnit.objects.filter(level=4).count():,} villages, {Recognition.objects.count():,} recognitions;"
        f" generated in {info['gen_s']:.0f} s; load {_load()}",
        flush=True,
    )
    _drop_bench_decision()
    load_plans()
    with timer() as t:
        res = services.rebuild(write=lambda s: print("#", s, flush=True))
    emit(f"analytics_rebuild_{label}_{db}_s", t["s"], "s")
    print(f"# rebuild: {res['leaf']:,} leaf counts, {res['facts']:,} facts; load {_load()}", flush=True)

    # one decision of 1,000 household recognitions in one commune of province 51, then the hook
    province = AdminUnit.objects.get(path="VN/51/")
    commune = (
        AdminUnit.objects.filter(level=3, valid_to__isnull=True, path__startswith="VN/51/")
        .filter(pk__in=AdminUnit.objects.filter(level=4).values("parent_id"))
        .order_by("path")
        .first()
    )
    villages = list(AdminUnit.objects.filter(parent=commune, level=4).values_list("pk", "path"))
    now = dt.datetime(2025, 12, 20, tzinfo=dt.UTC)
    new = [
        Recognition(
            title=Title.GDHT,
            year=2025,
            subject_type="household",
            subject_id=1_000_000_000 + k,
            subject_name="Hộ",
            unit_id=villages[k % len(villages)][0],
            unit_path=villages[k % len(villages)][1],
            valid_from=now.date(),
        )
        for k in range(1000)
    ]
    before = services.Fact.objects.get(measure="rec:GDHT", year=2025, path="VN/").value
    t0 = time.perf_counter()
    Recognition.objects.bulk_create(new, batch_size=1000)
    hooks.recognitions_changed(title=Title.GDHT, year=2025, unit_paths=sorted({r.unit_path for r in new}))
    fresh = time.perf_counter() - t0
    after = services.Fact.objects.get(measure="rec:GDHT", year=2025, path="VN/").value
    assert after == before + 1000, (before, after)
    emit("analytics_fresh_after_decision_s", fresh, "s")
    emit(f"analytics_fresh_after_decision_{db}_s", fresh, "s")

    _fresh_after_import(db, commune, province)

    admin = User.objects.filter(username="bench_admin").first() or User.objects.create_superuser(
        "bench_admin", password="x"
    )
    c = Client()
    c.force_login(admin)
    url_p = f"/ke-hoach/qd-387-2022/bang-dieu-khien/?nam=2025&don_vi={province.pk}"
    url_n = f"/ke-hoach/qd-1373-2021/bang-dieu-khien/?nam=2025&don_vi={AdminUnit.objects.get(path='VN/').pk}"
    url_c = f"/ke-hoach/qd-387-2022/bang-dieu-khien/?nam=2025&don_vi={commune.pk}"
    for url in (url_p, url_n, url_c):
        assert c.get(url, HTTP_HOST="127.0.0.1").status_code == 200, url
    for name, url in (("dashboard_province_ms", url_p), ("dashboard_national_ms", url_n)):
        ms = median_ms(lambda u=url: c.get(u, HTTP_HOST="127.0.0.1"), 20)
        emit(name, ms, "ms")
        emit(f"{name}_{db}", ms, "ms")
    emit(f"dashboard_commune_ms_{db}", median_ms(lambda: c.get(url_c, HTTP_HOST="127.0.0.1"), 20), "ms")
    # the bench's own decision is taken back out, so a --reuse run starts from the generated data
    _drop_bench_decision()
    connection.close()
    emit(f"analytics_peak_rss_{db}_mib", peak_rss_mib(), "MiB")
    print(f"# {db}: whole run {time.perf_counter() - t_script:.0f} s; load {_load()}", flush=True)


IMPORT_PEOPLE = 20_000


def _fresh_after_import(db: str, commune, province) -> None:
    """A commune officer imports 20,000 people in households (the import benchmark's file, over the
    commune's villages): from the start of the committed import until the commune's and the
    province's figures count them. The imported rows are deleted afterwards (and the counts
    refreshed), so a --reuse run starts from the generated data."""
    from django.db import connection, transaction

    import bench_imports
    from common import BENCH_DIR
    from xhht.analytics import services
    from xhht.analytics.models import Fact
    from xhht.geo.models import AdminUnit
    from xhht.imports.services import import_file
    from xhht.registry.models import Household, HouseholdMember, Person, Residence

    bench_imports.N_VILLAGES = AdminUnit.objects.filter(
        parent=commune, level=4, valid_to__isnull=True
    ).count()
    path = BENCH_DIR / f"analytics_import_{IMPORT_PEOPLE}_{bench_imports.N_VILLAGES}v.csv"
    if not path.exists():
        bench_imports.write_people_csv(path, IMPORT_PEOPLE)

    def people(p: str) -> int:
        return (
            Fact.objects.filter(measure="people", year=0, path=p).values_list("value", flat=True).first() or 0
        )

    before = {p: people(p) for p in (commune.path, province.path)}
    last = {
        m: (m.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) for m in (Person, Household)
    }
    refresh_s = []
    real = services.refresh_registry_changes

    def timed(changes):
        t = time.perf_counter()
        try:
            return real(changes)
        finally:
            refresh_s.append(time.perf_counter() - t)

    services.refresh_registry_changes = timed
    try:
        t0 = time.perf_counter()
        out = import_file(actor=None, path=path, kind="households", commune=commune, dry_run=False)
        fresh = time.perf_counter() - t0  # the refresh runs when the import's transaction commits
    finally:
        services.refresh_registry_changes = real
    assert out.committed, out.report.errors[:5]
    for p, n in before.items():
        assert people(p) == n + IMPORT_PEOPLE, (p, n, people(p))
    emit("analytics_fresh_after_import_s", fresh, "s")
    emit(f"analytics_fresh_after_import_{db}_s", fresh, "s")
    emit(f"analytics_refresh_after_import_{db}_s", sum(refresh_s), "s")
    print(f"# import {IMPORT_PEOPLE:,} people: {out.report.counts}; load {_load()}", flush=True)
    # take the import back out, in SQL
    q = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cur:
        hh, pp = last[Household], last[Person]
        cur.execute(f"DELETE FROM {q(HouseholdMember._meta.db_table)} WHERE person_id > %s", [pp])
        cur.execute(f"DELETE FROM {q(Residence._meta.db_table)} WHERE person_id > %s", [pp])
        cur.execute(f"DELETE FROM {q(Household._meta.db_table)} WHERE id > %s", [hh])
        cur.execute(f"DELETE FROM {q(Person._meta.db_table)} WHERE id > %s", [pp])
    services.refresh_registry(
        model_label=["registry.Person", "registry.Household", "registry.HouseholdMember"],
        unit_paths=[commune.path],
    )
    assert people(commune.path) == before[commune.path]


def _drop_bench_decision() -> None:
    """Remove the recognitions a bench decision added (subjects numbered from 10⁹), in SQL."""
    from django.db import connection, transaction

    from xhht.recognition.models import Recognition

    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"DELETE FROM {Recognition._meta.db_table} WHERE subject_id >= 1000000000")


def _load() -> str:
    try:
        return Path("/proc/loadavg").read_text().split(" ", 3)[:3].__str__()
    except OSError:
        return "?"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", choices=["sqlite", "postgres"])
    ap.add_argument("--scale", type=float, default=DEFAULT_SCALE)
    ap.add_argument("--reuse", action="store_true", help="reuse the database an earlier run generated")
    a = ap.parse_args()
    if a.db:
        run(a.db, a.scale, a.reuse)
        return 0
    rc = 0
    extra = ["--reuse"] if a.reuse else []
    for db in ("sqlite", "postgres"):
        rc |= rerun_with(db, __file__, "--scale", str(a.scale), *extra)
    return rc


if __name__ == "__main__":
    sys.exit(main())
