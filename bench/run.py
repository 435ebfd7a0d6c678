"""Run the benchmarks: every ``bench/bench_*.py`` (or those whose name contains ONLY) as its own
process. Each prints ``BENCH <name> <value> <unit>`` lines; this runner passes them through.

    make bench              # all
    make bench ONLY=geo     # bench/bench_geo*.py

A benchmark script sets up its own database (see ``bench/common.py``): SQLite files under
``var/bench/`` and PostgreSQL databases named ``xhht_bench_*`` on $BENCH_POSTGRES_URL
(default postgres://postgres@127.0.0.1:5432/postgres), dropped and recreated per run.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    only = argv[1] if len(argv) > 1 else ""
    scripts = sorted(p for p in HERE.glob("bench_*.py") if only in p.stem)
    if not scripts:
        print(f"no benchmark matches {only!r}", file=sys.stderr)
        return 2
    failed = 0
    for script in scripts:
        t = time.perf_counter()
        print(f"# {script.name}", flush=True)
        rc = subprocess.call([sys.executable, str(script)], cwd=HERE.parent)
        print(f"# {script.name} finished in {time.perf_counter() - t:.1f} s (exit {rc})", flush=True)
        failed += rc != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
