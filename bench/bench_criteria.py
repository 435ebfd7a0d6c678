"""Rule evaluation of criteria sets over 1,000,000 people, compiled to SQL.

Builds its own data with set-based INSERT … SELECT (SQLite recursive CTE / PostgreSQL
generate_series), secondary indexes dropped during the load and rebuilt once (and PostgreSQL's
foreign-key triggers skipped): 1,000,000 people in 1,000 villages, 50,000 organisations with ~600,000 current
staff memberships, ~650,000 CDHT recognitions (some revoked, some expired).

BENCH rules_1m_people_s                   both evaluations below, end to end (values fetched to Python)
BENCH rules_1m_people_<db>_s              the same, per database
BENCH rules_dvht_50k_orgs_<db>_s          DVHT set (CDHT share ≥ 90 % / 95 %, IT share) over all organisations
BENCH rules_cdht_1m_people_<db>_s         a CDHT set (digital skill points + holds a current CDHT + age) over every person
BENCH rules_preview_dvht_<db>_s           publish preview of the DVHT set (how many would pass on last year's data)
BENCH rules_build_1m_people_<db>_s        building the data set (not a target)
BENCH rules_script_<db>_s                 the whole run for one database (migrate, build, evaluate, preview)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import emit, peak_rss_mib, rerun_with, setup_django, timer  # noqa: E402

N_PEOPLE = int(os.environ.get("BENCH_CRITERIA_PEOPLE", 1_000_000))
N_VILLAGES = 1_000
N_ORGS = N_PEOPLE // 20
YEAR = 2025


def _series(vendor: str, n: int) -> tuple[str, str]:
    """(WITH prefix, FROM clause) giving a column ``x`` = 1..n."""
    if vendor == "postgresql":
        return "", f"generate_series(1::bigint, {n}) AS s(x)"
    return f"WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < {n}) ", "s"  # noqa: S608


def _insert(cursor, vendor, model, n, exprs: dict[str, str], where: str = "") -> None:
    """INSERT n rows into ``model``'s table; columns not in ``exprs`` get NULL or an empty default."""
    from django.db import models

    cols, vals = [], []
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        col = f.column
        if col in exprs:
            expr = exprs[col]
        elif f.null:
            expr = "NULL"
        elif isinstance(f, models.BooleanField):
            expr = "FALSE" if vendor == "postgresql" else "0"
        elif isinstance(f, (models.IntegerField, models.FloatField, models.DecimalField)):
            expr = "0"
        elif isinstance(f, models.JSONField):
            expr = "'{}'"
        elif isinstance(f, models.DateTimeField):
            expr = "CURRENT_TIMESTAMP"
        elif isinstance(f, models.DateField):
            expr = "CURRENT_DATE"
        else:
            expr = "''"
        cols.append(col)
        vals.append(expr)
    with_, from_ = _series(vendor, n)
    # generated from constants of this script only
    table, columns, values = model._meta.db_table, ", ".join(cols), ", ".join(vals)
    sql = f"{with_}INSERT INTO {table} ({columns}) SELECT {values} FROM {from_}"  # noqa: S608
    cursor.execute(sql + (f" WHERE {where}" if where else ""))


@contextmanager
def _bulk_load(cursor, vendor: str, tables: list[str]):
    """Load big tables fast: drop their secondary indexes and build them once at the end (one sort
    instead of a million random B-tree inserts); on PostgreSQL also skip the per-row foreign-key
    triggers (``session_replication_role = replica``; the data are generated consistent)."""
    if vendor == "sqlite":
        marks = ", ".join(["%s"] * len(tables))
        cursor.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks})",  # noqa: S608
            tables,
        )
    else:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s) AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.schemaname) || '.' || "
            "quote_ident(i.indexname))::regclass)",
            [tables],
        )
    saved = cursor.fetchall()
    for name, _sql in saved:
        cursor.execute(f'DROP INDEX "{name}"')
    if vendor == "postgresql":
        cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        if vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")
        for _name, sql in saved:
            cursor.execute(sql)


def build(db: str) -> None:
    from django.db import connection, transaction

    from xhht.core.text import fold, vi_sort_key
    from xhht.geo.models import AdminUnit, Kind, Level
    from xhht.recognition.models import Recognition
    from xhht.registry.models import Organisation, OrgMembership, Person

    vendor = connection.vendor
    b = "TRUE" if vendor == "postgresql" else "1"

    def bool_(cond: str) -> str:
        return f"({cond})" if vendor == "postgresql" else f"(CASE WHEN {cond} THEN 1 ELSE 0 END)"

    def txt(expr: str) -> str:
        return f"CAST({expr} AS TEXT)" if vendor == "postgresql" else f"CAST({expr} AS TEXT)"

    with transaction.atomic():
        country = AdminUnit(code="VN", name="Việt Nam", kind=Kind.COUNTRY, level=Level.COUNTRY, path="VN/")
        country.save()
        prov = AdminUnit(
            code="99",
            name="Tỉnh Thử",
            kind=Kind.PROVINCE,
            level=Level.PROVINCE,
            parent=country,
            path="VN/99/",
        )
        prov.save()
        commune = AdminUnit(
            code="99999",
            name="Xã Thử",
            kind=Kind.COMMUNE,
            level=Level.COMMUNE,
            parent=prov,
            path="VN/99/99999/",
        )
        commune.save()
        AdminUnit.objects.bulk_create(
            [
                AdminUnit(
                    code=f"T{i:04d}",
                    name=f"Thôn {i}",
                    name_folded=fold(f"Thôn {i}"),
                    sort_key=vi_sort_key(f"Thôn {i}"),
                    kind=Kind.VILLAGE,
                    level=Level.VILLAGE,
                    parent=commune,
                    path=f"VN/99/99999/T{i:04d}/",
                )
                for i in range(N_VILLAGES)
            ],
            batch_size=1000,
        )
        vmin = AdminUnit.objects.filter(level=Level.VILLAGE).order_by("id").values_list("id", flat=True)[0]
        big = [m._meta.db_table for m in (Person, Organisation, OrgMembership, Recognition)]
        with connection.cursor() as cur, _bulk_load(cur, vendor, big):
            _insert(
                cur,
                vendor,
                Person,
                N_PEOPLE,
                {
                    "full_name": "'Người ' || " + txt("x"),
                    "name_folded": "'nguoi ' || " + txt("x"),
                    "name_sort": txt("x"),
                    "birth_year": "CASE WHEN x % 97 = 0 THEN NULL ELSE 1940 + (x * 7) % 80 END",
                    "sex": "CASE WHEN x % 2 = 0 THEN 'F' ELSE 'M' END",
                    "ethnicity": "'Kinh'",
                    "village_id": f"{vmin} + x % {N_VILLAGES}",
                    "unit_path": "'VN/99/99999/T' || "
                    + (
                        f"LPAD(CAST(x % {N_VILLAGES} AS TEXT), 4, '0')"
                        if vendor == "postgresql"
                        else f"SUBSTR('0000' || CAST(x % {N_VILLAGES} AS TEXT), -4, 4)"
                    )
                    + " || '/'",
                    "occupation": "'lao_dong'",
                    "technical_qualification": "'khong'",
                    "it_competency": bool_("x % 10 < 6"),
                    "digital_skill": "(x * 13) % 5",
                    "foreign_language": "'khong'",
                    "life_skills": bool_("x % 10 < 8"),
                    "status": "'active'",
                },
            )
            pmin = Person.objects.order_by("id").values_list("id", flat=True)[0]
            _insert(
                cur,
                vendor,
                Organisation,
                N_ORGS,
                {
                    "name": "'Cơ quan ' || " + txt("x"),
                    "name_folded": "'co quan ' || " + txt("x"),
                    "kind": "'co_quan'",
                    "level": "'xa'",
                    "unit_id": str(commune.pk),
                    "unit_path": "'VN/99/99999/'",
                },
            )
            omin = Organisation.objects.order_by("id").values_list("id", flat=True)[0]
            # 60 % of people work somewhere: ~12 current staff per organisation, 5 % of memberships ended
            n_members = N_PEOPLE * 6 // 10
            _insert(
                cur,
                vendor,
                OrgMembership,
                n_members,
                {
                    "organisation_id": f"{omin} + (x * 7919) % {N_ORGS}",
                    "person_id": f"{pmin} + x - 1",
                    "category": "'nguoi_lao_dong'",
                    "valid_to": "CASE WHEN x % 20 = 0 THEN DATE '2024-06-30' ELSE NULL END"
                    if vendor == "postgresql"
                    else "CASE WHEN x % 20 = 0 THEN '2024-06-30' ELSE NULL END",
                },
            )
            # CDHT: in 60 % of organisations nearly every member holds it (1 in 30 does not), elsewhere
            # half of the people; then 2 % revoked and 3 % expired last year.
            date = (lambda s: f"DATE '{s}'") if vendor == "postgresql" else (lambda s: f"'{s}'")
            _insert(
                cur,
                vendor,
                Recognition,
                N_PEOPLE,
                {
                    "title": "'CDHT'",
                    "year": f"CASE WHEN x % 33 = 0 THEN {YEAR - 4} ELSE {YEAR - 1} END",
                    "subject_type": "'person'",
                    "subject_id": f"{pmin} + x - 1",
                    "subject_name": "'Người ' || " + txt("x"),
                    "unit_id": str(vmin),
                    "unit_path": "'VN/99/99999/T0000/'",
                    "level": "'dat'",
                    "valid_from": date(f"{YEAR - 1}-12-01"),
                    "valid_to": f"CASE WHEN x % 33 = 0 THEN {date(f'{YEAR - 1}-01-01')} ELSE {date(f'{YEAR + 1}-12-31')} END",
                    "revoked_at": "CASE WHEN x % 50 = 0 THEN CURRENT_TIMESTAMP ELSE NULL END",
                },
                where=f"(x <= {n_members} AND ((x * 7919) % {N_ORGS}) % 10 < 6 AND x % 30 <> 0) OR x % 2 = 0",
            )
            # DVHT recognised last year: every 3rd organisation (for the preview)
            _insert(
                cur,
                vendor,
                Recognition,
                N_ORGS // 3,
                {
                    "title": "'DVHT'",
                    "year": str(YEAR - 1),
                    "subject_type": "'organisation'",
                    "subject_id": f"{omin} + (x - 1) * 3",
                    "subject_name": "'Cơ quan'",
                    "unit_id": str(commune.pk),
                    "unit_path": "'VN/99/99999/'",
                    "level": "'muc_1'",
                    "valid_from": date(f"{YEAR - 1}-12-01"),
                },
            )
        del b
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def run(db: str) -> None:
    started = time.perf_counter()
    setup_django(db, "criteria")
    from django.db import connection

    from xhht.criteria.authoring import build_from_document
    from xhht.criteria.engine import evaluate_rules
    from xhht.criteria.loader import load_defaults
    from xhht.criteria.models import CriteriaSet
    from xhht.criteria.selectors import preview
    from xhht.registry.models import Organisation, Person

    with timer() as t:
        build(db)
    emit(f"rules_build_1m_people_{db}_s", t["s"], "s")
    load_defaults(publish=True)
    dvht = CriteriaSet.objects.get(code="dvht-tt24-2023")
    cdht = build_from_document(
        {
            "settings": {"title": "CDHT", "code": "bench-cdht", "name": "CDHT (bench)", "year_from": 2020},
            "groups": [
                {
                    "code": "G",
                    "label": "Nhóm",
                    "criteria": [
                        {
                            "code": "C",
                            "label": "Tiêu chí",
                            "indicators": [
                                {
                                    "code": "2.1",
                                    "label": "CNTT",
                                    "points": "10",
                                    "rule": CriteriaSet.objects.get(code="cdht-324")
                                    .indicator_set.get(code="2.1")
                                    .rule,
                                },
                                {
                                    "code": "cdht",
                                    "label": "Đang giữ CDHT",
                                    "kind": "pass_fail",
                                    "rule": "person.cdht && person.age >= 15",
                                },
                            ],
                        }
                    ],
                }
            ],
            "outcomes": [{"level": "dat", "min_total": "5"}],
        }
    )
    connection.close()

    with timer() as t_org:
        org_values = evaluate_rules(dvht, Organisation.objects.all(), YEAR)
    assert len(org_values) == N_ORGS
    shares = [v["3.1"] for v in org_values.values() if v["3.1"] is not None]
    assert min(shares) < 90 and max(shares) == 100.0 and any(90 <= s < 95 for s in shares), (
        min(shares),
        max(shares),
    )
    emit(f"rules_dvht_50k_orgs_{db}_s", t_org["s"], "s")

    with timer() as t_people:
        person_values = evaluate_rules(cdht, Person.objects.all(), YEAR)
    assert len(person_values) == N_PEOPLE
    holders = sum(1 for v in person_values.values() if v["cdht"])
    assert N_PEOPLE * 0.4 < holders < N_PEOPLE * 0.65, holders
    emit(f"rules_cdht_1m_people_{db}_s", t_people["s"], "s")
    total = t_org["s"] + t_people["s"]
    emit(f"rules_1m_people_{db}_s", total, "s")
    emit("rules_1m_people_s", total, "s")
    del org_values, person_values

    with timer() as t:
        pv = preview(dvht, year=YEAR - 1)
    assert pv.considered == N_ORGS // 3 and 0 < pv.would_pass < pv.considered, pv
    emit(f"rules_preview_dvht_{db}_s", t["s"], "s")
    emit(f"rules_peak_rss_{db}_mib", peak_rss_mib(), "MiB")
    emit(f"rules_script_{db}_s", time.perf_counter() - started, "s")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", choices=["sqlite", "postgres"])
    args = ap.parse_args()
    if args.db:
        run(args.db)
    else:
        sys.exit(rerun_with("sqlite", __file__) or rerun_with("postgres", __file__))
