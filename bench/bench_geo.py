"""Subtree queries over 100,000 synthetic villages (materialised path, no recursion).

BENCH geo_load_units_<db>_s              loading the official map (14,150 units, 10,665 successions)
BENCH subtree_100k_villages_<db>_ms      median: count of villages under province 51 + first 500 of them
BENCH subtree_ids_100k_villages_<db>_ms  median: all village ids under province 51 (for a scoped join)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import emit, median_ms, rerun_with, setup_django, timer  # noqa: E402

N_VILLAGES = 100_000


def run(db: str) -> None:
    setup_django(db, "geo")
    from django.db import connection, transaction

    from xhht.core.fields import subtree_q
    from xhht.core.text import fold, vi_sort_key
    from xhht.geo.loader import load_units
    from xhht.geo.models import AdminUnit, Level

    with timer() as t:
        load_units()
    emit(f"geo_load_units_{db}_s", t["s"], "s")

    communes = list(
        AdminUnit.objects.filter(level=Level.COMMUNE, valid_to__isnull=True).values_list("id", "code", "path")
    )
    rows = []
    per = N_VILLAGES // len(communes) + 1
    for cid, code, path in communes:
        for i in range(1, per + 1):
            if len(rows) >= N_VILLAGES:
                break
            vcode = f"T{code}{i:04d}"
            name = f"Thôn {i}"
            rows.append(
                AdminUnit(
                    code=vcode,
                    name=name,
                    name_folded=fold(name),
                    sort_key=vi_sort_key(name),
                    kind="thon",
                    level=Level.VILLAGE,
                    parent_id=cid,
                    path=f"{path}{vcode}/",
                )
            )
    with transaction.atomic():
        AdminUnit.objects.bulk_create(rows, batch_size=5000)
    if db == "postgres":
        with connection.cursor() as cur:
            cur.execute("ANALYZE geo_adminunit")
    assert AdminUnit.objects.filter(level=Level.VILLAGE).count() == N_VILLAGES

    province = AdminUnit.objects.get(path="VN/51/")

    def subtree():
        qs = AdminUnit.objects.filter(subtree_q(province.path), level=Level.VILLAGE)
        n = qs.count()
        first = list(qs.order_by("path").values_list("id", "name")[:500])
        assert n > 2000 and len(first) == 500

    def subtree_ids():
        ids = list(
            AdminUnit.objects.filter(subtree_q(province.path), level=Level.VILLAGE).values_list(
                "id", flat=True
            )
        )
        assert len(ids) > 2000

    emit(f"subtree_100k_villages_{db}_ms", median_ms(subtree, 20), "ms")
    emit(f"subtree_ids_100k_villages_{db}_ms", median_ms(subtree_ids, 20), "ms")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", choices=["sqlite", "postgres"])
    args = ap.parse_args()
    if args.db:
        run(args.db)
    else:
        sys.exit(rerun_with("sqlite", __file__) or rerun_with("postgres", __file__))
