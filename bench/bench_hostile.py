"""Hostile import files (issue 12, point 4): how long ``xhht import`` takes to refuse each, and its
peak memory, each run as its own process as an operator would run it.

    python bench/bench_hostile.py

The files are those of the issue, written into var/bench/hostile/ by tests/imports/hostile_files.py:
a 3 MB people workbook whose sheet inflates to 1.3 GB (a zip bomb), a 10 MB CSV of 1,000,000 columns
and a 100 MB CSV of one line. Each runs ``xhht import FILE --kind people --commune 23512 --dry-run``
against a SQLite database holding the official map; wall time and the child's own peak RSS
(``os.wait4``) are measured, and those of a fourth file found since (1 KB with cells in A1 and
XFD1048576). ``import_hostile_reject_s`` and ``import_hostile_peak_rss_mib`` are the worst of them
(targets: 5 s and 512 MiB); a valid one-row file is run first to show what the
command costs by itself (Python, Django, polars).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BENCH_DIR, ROOT, emit, setup_django  # noqa: E402

sys.path.insert(0, str(ROOT))

COMMUNE = "23512"


# a small process starts each command and reports its rusage: on Linux a child's ru_maxrss counts the
# pages of the process it was forked from, so forking from this one (the map loaded) would add ~200 MiB
LAUNCHER = """
import os, sys, time
t = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_pid, status, usage = os.wait4(pid, 0)
print(f"RUSAGE {time.perf_counter() - t} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}", flush=True)
"""


def run_cli(path: Path) -> tuple[float, float, int, str]:
    """(seconds, peak RSS MiB, exit code, last line of output) of one ``xhht import`` process."""
    xhht = Path(sys.executable).with_name("xhht")
    cmd = [
        str(xhht),
        "import",
        str(path),
        "--kind",
        "people",
        "--commune",
        COMMUNE,
        "--dry-run",
        "--no-progress",
    ]
    out = subprocess.run(
        [sys.executable, "-c", LAUNCHER, *cmd],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=True,
    ).stdout
    lines = [ln for ln in out.strip().splitlines() if ln.strip()]
    _tag, seconds, maxrss_kib, code = lines[-1].split()
    last = next((ln for ln in reversed(lines[:-1]) if ln.strip()), "")
    return float(seconds), int(maxrss_kib) / 1024, int(code), last


def main() -> int:
    setup_django("sqlite", "hostile")
    from xhht.geo.loader import load_units

    load_units()
    from tests.imports import hostile_files as hf
    from tests.imports.conftest import person_row, write_csv

    folder = BENCH_DIR / "hostile"
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "zip_bomb_xlsx": hf.zip_bomb_xlsx(folder / "bom-nen.xlsx", expanded=1_300_000_000),
        "csv_1m_columns": hf.wide_csv(folder / "mot-trieu-cot.csv"),
        "csv_100mb_one_line": hf.single_line_csv(folder / "mot-dong-100mb.csv"),
        # not in the issue: 1 KB whose cells A1 and XFD1048576 made calamine ask for 512 GiB and abort
        "xlsx_1kb_a1_xfd1048576": hf.workbook(
            folder / "o-xa.xlsx",
            hf.sheet_xml(
                hf.xml_row(1, ["Họ và tên"]) + b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
            ),
        ),
    }
    import zipfile

    sheet = max(zipfile.ZipFile(files["zip_bomb_xlsx"]).infolist(), key=lambda i: i.file_size)
    print(
        f"# zip bomb: {files['zip_bomb_xlsx'].stat().st_size / 1e6:.1f} MB, its sheet inflates to "
        f"{sheet.file_size / 1e9:.2f} GB ({sheet.file_size / sheet.compress_size:.0f}:1)",
        flush=True,
    )
    baseline = write_csv(folder / "mot-nguoi.csv", [person_row(1)])
    s, rss, rc, last = run_cli(baseline)
    print(
        f"# baseline (a valid one-row file): {s:.2f} s, peak RSS {rss:.0f} MiB, exit {rc}: {last}", flush=True
    )
    import time

    from xhht.imports import limits

    worst_s = worst_rss = worst_check = 0.0
    failed = 0
    for name, path in files.items():
        t = time.perf_counter()
        try:
            limits.check_file(path)
        except limits.ImportFileError:
            pass
        check = time.perf_counter() - t
        worst_check = max(worst_check, check)
        print(f"# {name}: the check alone, in this process: {check * 1000:.1f} ms", flush=True)
        s, rss, rc, last = run_cli(path)
        load = os.getloadavg()[0]
        size = path.stat().st_size / 1e6
        print(
            f"# {name} ({size:.1f} MB): refused in {s:.2f} s, peak RSS {rss:.0f} MiB, exit {rc}, "
            f"load average {load:.2f}: {last}",
            flush=True,
        )
        if rc == 0 or "giới hạn" not in last:
            print(f"# {name}: NOT refused by a limit", flush=True)
            failed += 1
        emit(f"import_hostile_{name}_reject_s", s, "s")
        emit(f"import_hostile_{name}_peak_rss_mib", rss, "MiB")
        worst_s, worst_rss = max(worst_s, s), max(worst_rss, rss)
    emit("import_hostile_check_max_ms", worst_check * 1000, "ms")
    emit("import_hostile_reject_s", worst_s, "s")
    emit("import_hostile_peak_rss_mib", worst_rss, "MiB")
    print(f"# targets: 5 s and 512 MiB; load average {os.getloadavg()} (shared machine)", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
