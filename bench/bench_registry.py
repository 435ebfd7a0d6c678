"""Registry at the scale of a province: 1,000,000 synthetic people in province 51, then the officer's
everyday search through the Django test client (the whole request: scope, filters, page render).

BENCH generate_1m_people_<db>_s          ``xhht generate --province 51 --people 1000000`` (with households,
                                         clans, organisations, centres, association members)
BENCH generate_1m_people_<db>_cpu_s      the same, CPU seconds of this process (the database server's not
                                         counted on PostgreSQL); a load-average line follows
BENCH search_1m_people_<db>_ms           median of 20: province officer, first page of people whose name
                                         contains a part typed without diacritics, filtered by sex
BENCH search_1m_people_commune_<db>_ms   the same for a commune officer (scope = one commune)
BENCH search_1m_people_rare_<db>_ms      province officer, a rare two-word part of a name
BENCH search_1m_people_next_page_<db>_ms province officer, the 20th page (keyset) of a common name
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))
from common import emit, median_ms, peak_rss_mib, rerun_with, setup_django, timer  # noqa: E402

N_PEOPLE = 1_000_000


def run(db: str, people: int) -> None:
    setup_django(db, "registry")
    from django.test import Client
    from tests import factories

    from xhht.accounts.models import Role
    from xhht.geo.loader import load_units
    from xhht.geo.models import AdminUnit
    from xhht.registry.generate import generate

    load_units()
    cpu0 = time.process_time()
    with timer() as t:
        stats = generate(province="51", people=people, seed=1, write=lambda *_: None)
    emit(f"generate_1m_people_{db}_s", t["s"], "s")
    # this process's CPU time (the machine is shared: wall time depends on the others' load)
    emit(f"generate_1m_people_{db}_cpu_s", time.process_time() - cpu0, "s")
    print(f"# load average: {Path('/proc/loadavg').read_text().strip()}", flush=True)
    emit(f"generate_peak_rss_{db}_mib", peak_rss_mib(), "MiB")
    print(f"# {stats.people} people, {stats.households} households, {stats.villages} villages", flush=True)

    province = AdminUnit.objects.get(path="VN/51/")
    commune = AdminUnit.objects.get(path="VN/51/23512/")
    prov_officer = factories.make_user(Role.SO_GDDT, province, username="bench_so")
    commune_officer = factories.make_user(Role.HKH_XA, commune, username="bench_xa")
    cp, cc = Client(), Client()
    cp.force_login(prov_officer)
    cc.force_login(commune_officer)

    def get(client, params, expect_rows=True):
        r = client.get("/so-dang-ky/cong-dan/", params)
        assert r.status_code == 200, r.status_code
        if expect_rows:
            assert b"/so-dang-ky/cong-dan/" in r.content
        return r

    cases = [
        ("search_1m_people", cp, {"q": "thi hoa", "sex": "F"}),
        ("search_1m_people_commune", cc, {"q": "van hung", "sex": "M"}),
        ("search_1m_people_rare", cp, {"q": "khanh uyen"}),
    ]
    for name, client, params in cases:
        get(client, params)  # warm caches once
        emit(f"{name}_{db}_ms", median_ms(lambda c=client, p=params: get(c, p)), "ms")
    print(f"# load average: {Path('/proc/loadavg').read_text().strip()}", flush=True)
    # the 20th page of a common name, by following the keyset cursor
    import re

    params = {"q": "nguyen"}
    for _ in range(19):
        html = get(cp, params).content.decode()
        cursor = re.search(r"sau=([A-Za-z0-9_\-]+)", html).group(1)
        params = {"q": "nguyen", "sau": cursor}
    emit(f"search_1m_people_next_page_{db}_ms", median_ms(lambda: get(cp, params)), "ms")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", choices=["sqlite", "postgres"])
    ap.add_argument("--people", type=int, default=N_PEOPLE)
    args = ap.parse_args()
    if args.db:
        run(args.db, args.people)
        return 0
    rc = 0
    for db in ("sqlite", "postgres"):
        rc |= rerun_with(db, __file__, "--people", str(args.people))
    return rc


if __name__ == "__main__":
    sys.exit(main())
