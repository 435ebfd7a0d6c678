"""Server errors under hostile input: the demo data set, then thousands of page and API requests with
generated ids, forged paging cursors, numbers beyond 64 bits, NUL characters and unicode, as every
kind of role (``tests/web/fuzzing.py``: every URL pattern of the resolver, every operation of the
OpenAPI schema, the links and forms a crawl found with values replaced), through the Django test
client, each in its own transaction as in production. Target: 0.

BENCH fuzz_server_errors_<db>     responses with a status of 500 or more (distinct tracebacks follow as comments)
BENCH fuzz_requests_<db>          requests sent: the deterministic sweep, then ``--examples`` generated ones
BENCH fuzz_requests_per_s_<db>    throughput of the whole run (a load-average line follows)

    python bench/bench_fuzz.py [--db sqlite|postgres] [--examples 5000]
"""

from __future__ import annotations

import argparse
import collections
import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))
from common import emit, rerun_with, setup_django  # noqa: E402

EXAMPLES = 5000


def _signature(error: str) -> str:
    lines = error.strip().splitlines()
    frames = [x.strip() for x in lines if x.strip().startswith('File "') and "/src/xhht/" in x]
    return f"{lines[-1] if lines else '(no traceback)'} @ {frames[-1] if frames else '?'}"


def run(db: str, examples: int) -> None:
    setup_django(db, "fuzz")
    from hypothesis import HealthCheck, Phase, given, settings
    from tests.web import fuzzing

    from xhht.geo.loader import load_units

    # every refused request is logged by Django (and a 500 with its traceback): the summary below says it
    for name in ("django.request", "django.security", "xhht.api"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    load_units()
    t0 = time.perf_counter()
    world = fuzzing.build_world()
    print(
        f"# world in {time.perf_counter() - t0:.1f} s: {len(world.routes)} routes and API operations, "
        f"{len(world.links)} links and {len(world.forms)} forms crawled",
        flush=True,
    )
    statuses: collections.Counter = collections.Counter()
    errors: dict[str, list[str]] = collections.defaultdict(list)

    def one(req) -> None:
        res = fuzzing.send(world, req)
        statuses[res.status] += 1
        if res.status >= 500:
            errors[_signature(res.error)].append(str(req))

    t = time.perf_counter()
    for req in fuzzing.sweep_requests(world):
        one(req)

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(fuzzing.any_request(world))
    def generated(req):
        one(req)

    generated()
    elapsed = time.perf_counter() - t
    total = sum(statuses.values())
    n_errors = sum(v for k, v in statuses.items() if k >= 500)
    emit(f"fuzz_server_errors_{db}", n_errors, "count")
    emit(f"fuzz_requests_{db}", total, "count")
    emit(f"fuzz_requests_per_s_{db}", total / elapsed, "req/s")
    print(f"# load average: {Path('/proc/loadavg').read_text().strip()}", flush=True)
    by_class = collections.Counter(f"{k // 100}xx" for k in statuses.elements())
    print(f"# statuses: {dict(sorted(by_class.items()))}", flush=True)
    for sig, reqs in sorted(errors.items(), key=lambda kv: -len(kv[1])):
        print(f"# {len(reqs)}x {sig}\n#    e.g. {reqs[0][:300]}", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", choices=["sqlite", "postgres"])
    ap.add_argument("--examples", type=int, default=EXAMPLES)
    args = ap.parse_args()
    if args.db:
        run(args.db, args.examples)
        return 0
    rc = 0
    for db in ("sqlite", "postgres"):
        rc |= rerun_with(db, __file__, "--examples", str(args.examples))
    return rc


if __name__ == "__main__":
    sys.exit(main())
