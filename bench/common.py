"""Helpers for benchmark scripts: pick a database before Django starts, time things, print BENCH lines."""

from __future__ import annotations

import os
import resource
import secrets
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def setup_django(db: str = "sqlite", name: str = "bench") -> None:
    """Point Django at a fresh benchmark database (``sqlite`` file or ``postgres`` database) and migrate."""
    os.environ["XHHT_TESTING"] = "1"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))  # production mode refuses the demo key
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xhht.settings")
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if db == "sqlite":
        path = BENCH_DIR / f"{name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    elif db == "postgres":
        dbname = f"xhht_bench_{name}"
        base = POSTGRES_URL.rsplit("/", 1)[0]
        import psycopg

        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{dbname}"')
        os.environ["DATABASE_URL"] = f"{base}/{dbname}"
    else:
        raise ValueError(db)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def emit(name: str, value: float, unit: str) -> None:
    print(f"BENCH {name} {value:.4g} {unit}", flush=True)


@contextmanager
def timer():
    box = {}
    t = time.perf_counter()
    yield box
    box["s"] = time.perf_counter() - t


def median_ms(fn, n: int = 20) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rerun_with(db: str, script: str, *args: str) -> int:
    """Run ``script`` again in a child process with ``--db db`` (one process per database)."""
    return subprocess.call([sys.executable, script, "--db", db, *args], cwd=ROOT)
