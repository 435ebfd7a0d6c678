"""Bulk import benchmark (issue 3, point 5).

1. Writes a CSV of 1,000,000 people in ~300,000 households (realistic Vietnamese names, dates as
   dd/mm/yyyy with some bare years, CCCD for people aged 14+, phones, villages) into var/bench/.
2. Times the issue's yardstick on this machine (``plain_python_reference``: csv module and
   executemany into an indexed SQLite table, no validation), then imports the file (validated and
   committed, one transaction) into a fresh SQLite and a fresh PostgreSQL database, each in its
   own child process so that the import's own peak RSS is measured.
3. On the same 50,000-row file, compares with django-import-export in its fastest configuration
   (ModelResource with use_bulk, batch_size 5000, skip_diff), installed into the venv only for this.

    python bench/bench_imports.py              # everything
    python bench/bench_imports.py --people 100000 --skip-iie
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BENCH_DIR, ROOT, emit, setup_django  # noqa: E402

COMMUNE = "23512"  # Xã Đăk Mar, Quảng Ngãi
N_VILLAGES = 40

FAMILY = [
    ("Nguyễn", 380),
    ("Trần", 110),
    ("Lê", 95),
    ("Phạm", 70),
    ("Hoàng", 30),
    ("Huỳnh", 20),
    ("Phan", 45),
    ("Vũ", 20),
    ("Võ", 25),
    ("Đặng", 20),
    ("Bùi", 20),
    ("Đỗ", 14),
    ("Hồ", 13),
    ("Ngô", 13),
    ("Dương", 10),
    ("Lý", 5),
    ("Đinh", 8),
    ("Đoàn", 6),
    ("Trương", 6),
    ("Lương", 4),
    ("Mai", 4),
    ("Tạ", 3),
    ("Y", 6),
    ("A", 6),
]
MIDDLE_M = [
    "Văn",
    "Đức",
    "Minh",
    "Quốc",
    "Hữu",
    "Công",
    "Thanh",
    "Xuân",
    "Ngọc",
    "Đình",
    "Quang",
    "Gia",
    "Trọng",
]
MIDDLE_F = [
    "Thị",
    "Thị",
    "Thị",
    "Ngọc",
    "Thu",
    "Thanh",
    "Kim",
    "Mai",
    "Bích",
    "Thùy",
    "Hồng",
    "Phương",
    "Diệu",
]
GIVEN_M = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Đức",
    "Hải",
    "Hiếu",
    "Hùng",
    "Huy",
    "Khánh",
    "Khoa",
    "Kiên",
    "Long",
    "Lực",
    "Mạnh",
    "Nam",
    "Nghĩa",
    "Phong",
    "Phúc",
    "Quân",
    "Quang",
    "Sơn",
    "Tài",
    "Thắng",
    "Thành",
    "Thịnh",
    "Toàn",
    "Trung",
    "Tuấn",
    "Tùng",
    "Việt",
    "Vinh",
    "Vũ",
    "Bảo",
    "Hoàng",
    "Lâm",
    "Nhật",
    "Tâm",
]
GIVEN_F = [
    "Anh",
    "Chi",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hiền",
    "Hoa",
    "Hồng",
    "Huyền",
    "Hương",
    "Lan",
    "Liên",
    "Linh",
    "Loan",
    "Mai",
    "My",
    "Nga",
    "Ngân",
    "Ngọc",
    "Nhung",
    "Oanh",
    "Phương",
    "Quyên",
    "Quỳnh",
    "Thảo",
    "Thơ",
    "Thủy",
    "Trang",
    "Trinh",
    "Tuyết",
    "Uyên",
    "Vân",
    "Xuân",
    "Yến",
    "Nhi",
    "Thư",
    "Ánh",
]
ETHNIC = [("Kinh", 80), ("Xơ Đăng", 8), ("Ba Na", 6), ("Giẻ Triêng", 3), ("Gia Rai", 2), ("Mường", 1)]
OCCUPATION = [
    "Người lao động",
    "Người lao động",
    "Người lao động",
    "Học sinh, sinh viên",
    "Viên chức",
    "Cán bộ, công chức",
    "Khác",
]
EDUCATION = ["Tiểu học", "Trung học cơ sở", "Trung học phổ thông", "Trung học phổ thông"]
HEADER = [
    "STT",
    "Mã hộ",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Dân tộc",
    "Số CCCD",
    "Số điện thoại",
    "Thôn/Tổ dân phố",
    "Quan hệ với chủ hộ",
    "Nghề nghiệp",
    "Trình độ học vấn",
]


def village_names() -> list[str]:
    return [f"Thôn {i}" for i in range(1, N_VILLAGES + 1)]


def _weighted(pairs):
    return [name for name, w in pairs for _ in range(w)]


def write_people_csv(path: Path, people: int, seed: int = 20250701) -> int:
    """A people/household CSV as a commune would export it from Excel (';', UTF-8 with BOM)."""
    rng = random.Random(seed)
    fam = _weighted(FAMILY)
    eth = _weighted(ETHNIC)
    villages = village_names()
    sizes = [1] * 10 + [2] * 20 + [3] * 25 + [4] * 25 + [5] * 12 + [6] * 8
    rel_after = ["Vợ", "Con", "Con", "Con", "Bố", "Mẹ", "Cháu", "Con"]
    n = 0
    households = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        f.write(";".join(HEADER) + "\r\n")
        while n < people:
            households += 1
            code = f"HGD{households:07d}"
            village = rng.choice(villages)
            family = rng.choice(fam)
            size = min(rng.choice(sizes), people - n)
            head_year = rng.randint(1940, 2000)
            for k in range(size):
                n += 1
                male = (k == 0 and rng.random() < 0.75) or (k > 0 and rng.random() < 0.5)
                if k == 0:
                    year, rel = head_year, "Chủ hộ"
                elif k == 1 and size > 2:
                    year, rel, male = head_year + rng.randint(-3, 5), rel_after[0], False
                else:
                    year, rel = min(2024, head_year + rng.randint(18, 35)), rng.choice(rel_after[1:])
                last = family if (k == 0 or rel != "Vợ") else rng.choice(fam)
                name = f"{last} {rng.choice(MIDDLE_M if male else MIDDLE_F)} {rng.choice(GIVEN_M if male else GIVEN_F)}"
                if rng.random() < 0.05:
                    birth = str(year)
                else:
                    birth = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{year}"
                age = 2025 - year
                if age >= 14:
                    century = (0 if year < 2000 else 2) + (0 if male else 1)
                    cccd = f"{rng.choice(('051', '062', '049'))}{century}{year % 100:02d}{n % 1_000_000:06d}"
                else:
                    cccd = ""
                phone = f"09{n:08d}" if (age >= 16 and rng.random() < 0.6) else ""
                occ = "Học sinh, sinh viên" if 6 <= age <= 22 else rng.choice(OCCUPATION)
                edu = rng.choice(EDUCATION) if age >= 10 else ""
                f.write(
                    ";".join(
                        [
                            str(n),
                            code,
                            name,
                            birth,
                            "Nam" if male else "Nữ",
                            rng.choice(eth),
                            cccd,
                            phone,
                            village,
                            rel,
                            occ,
                            edu,
                        ]
                    )
                    + "\r\n"
                )
    return households


def prepare_db(db: str, name: str) -> None:
    """Fresh database: migrate, load the official map, create the commune's villages."""
    setup_django(db, name)
    import datetime as dt

    from xhht.geo.loader import load_units
    from xhht.geo.models import AdminUnit, Kind, Level

    load_units()
    commune = AdminUnit.objects.get(code=COMMUNE, level=Level.COMMUNE, valid_to__isnull=True)
    for i, vname in enumerate(village_names(), start=1):
        code = f"T{commune.code}{i:04d}"
        if not AdminUnit.objects.filter(code=code).exists():
            AdminUnit(
                code=code,
                name=vname,
                kind=Kind.VILLAGE,
                level=Level.VILLAGE,
                parent=commune,
                path=f"{commune.path}{code}/",
                valid_from=dt.date(2025, 7, 1),
            ).save()


def child_import(db: str, name: str, csv_path: str, dry_run: bool = False) -> None:
    """Runs in a child process: prepare the database, then time one import; prints a JSON line."""
    prepare_db(db, name)
    import gc
    import resource

    gc.collect()

    from django.db import connection

    from xhht.imports import services
    from xhht.registry.models import Household, HouseholdMember, Person, Residence

    connection.close()
    commune = services.commune_by_code(COMMUNE)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    cpu = time.process_time()
    out = services.import_file(actor=None, path=csv_path, kind="people", commune=commune, dry_run=dry_run)
    seconds = time.perf_counter() - t
    cpu = time.process_time() - cpu
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # the same file again: everything is found and compared, nothing is written
    t = time.perf_counter()
    again = services.import_file(actor=None, path=csv_path, kind="people", commune=commune, dry_run=dry_run)
    reimport = time.perf_counter() - t
    result = {
        "seconds": seconds,
        "cpu_s": cpu,
        "reimport_s": reimport,
        "reimport_unchanged": again.report.counts.get("people_unchanged", 0),
        "reimport_written": again.report.counts.get("people_created", 0)
        + again.report.counts.get("people_updated", 0),
        "peak_rss_mib": rss,
        "rss_before_mib": rss_before,
        "ok": out.ok,
        "errors": [i.as_list() for i in out.report.errors[:5]],
        "counts": out.report.counts,
        "people": Person.objects.count(),
        "households": Household.objects.count(),
        "members": HouseholdMember.objects.count(),
        "residences": Residence.objects.count(),
    }
    print("RESULT " + json.dumps(result, ensure_ascii=False), flush=True)


def run_child(*args: str) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", *args], cwd=ROOT, capture_output=True, text=True
    )
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-5000:])
    raise SystemExit(f"child import failed: {args}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=1_000_000)
    ap.add_argument("--dbs", default="sqlite,postgres")
    ap.add_argument("--skip-iie", action="store_true")
    ap.add_argument("--child", nargs=3, metavar=("DB", "NAME", "CSV"))
    ap.add_argument("--child-iie", nargs=2, metavar=("DB", "CSV"))
    a = ap.parse_args()
    if a.child:
        child_import(*a.child)
        return 0
    if a.child_iie:
        child_iie(*a.child_iie)
        return 0
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    big = BENCH_DIR / f"people_{a.people}.csv"
    if not big.exists():
        t = time.perf_counter()
        hh = write_people_csv(big, a.people)
        print(
            f"# wrote {big} ({a.people} people, {hh} households) in {time.perf_counter() - t:.1f} s",
            flush=True,
        )
    if a.people == 1_000_000:
        emit("import_1m_plain_python_reference_sqlite_s", plain_python_reference(big), "s")
    peak = 0.0
    for db in a.dbs.split(","):
        r = run_child(db, "imports", str(big))
        if not r["ok"]:
            print(f"# import failed on {db}: {r['errors']}", flush=True)
            return 1
        print(
            f"# {db}: {r['people']} people, {r['households']} households, {r['members']} members, "
            f"{r['residences']} residences; counts {r['counts']}",
            flush=True,
        )
        print(
            f"# {db}: {r['seconds']:.1f} s wall, {r.get('cpu_s', 0):.1f} s CPU in the importing process, "
            f"peak RSS {r['peak_rss_mib']:.0f} MiB; load average now {os.getloadavg()[0]:.1f} (shared machine)",
            flush=True,
        )
        print(
            f"# {db}: the same file again: {r['reimport_unchanged']} people unchanged, "
            f"{r['reimport_written']} written, {r['reimport_s']:.1f} s",
            flush=True,
        )
        tag = "1m" if a.people == 1_000_000 else f"{a.people}"
        emit(f"import_{tag}_people_{db}_s", r["seconds"], "s")
        emit(f"reimport_unchanged_{tag}_people_{db}_s", r["reimport_s"], "s")
        peak = max(peak, r["peak_rss_mib"])
    emit(f"import_{'1m' if a.people == 1_000_000 else a.people}_people_peak_rss_mib", peak, "MiB")
    if not a.skip_iie:
        compare_iie()
    return 0


# ---- django-import-export comparison -------------------------------------------------------------

IIE_ROWS = 50_000


def ensure_iie() -> None:
    try:
        import import_export  # noqa: F401
    except ImportError:
        subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "django-import-export>=4.3,<5"])


def child_iie(db: str, csv_path: str) -> None:
    """Both importers on the same 50,000-row file, same process run, fresh database each."""
    prepare_db(db, "imports_iie")
    from django.db import connection

    from xhht.imports import services
    from xhht.registry.models import Person

    commune = services.commune_by_code(COMMUNE)
    t = time.perf_counter()
    out = services.import_file(actor=None, path=csv_path, kind="people", commune=commune, dry_run=False)
    ours = time.perf_counter() - t
    assert out.ok, out.report.errors[:3]
    n_ours = Person.objects.count()
    Person.objects.all().delete() if False else None
    # django-import-export: a ModelResource over the same columns, fastest documented configuration
    import tablib
    from import_export import fields, resources, widgets

    from xhht.geo.models import AdminUnit
    from xhht.registry.models import Person as P

    villages = {v.name: v.pk for v in AdminUnit.objects.filter(parent=commune)}

    class VillageWidget(widgets.Widget):
        def clean(self, value, row=None, **kwargs):
            return villages.get(value)

    class SexWidget(widgets.Widget):
        def clean(self, value, row=None, **kwargs):
            return {"Nam": "M", "Nữ": "F"}.get(value, "")

    class PersonResource(resources.ModelResource):
        full_name = fields.Field(attribute="full_name", column_name="Họ và tên")
        birth_year = fields.Field(
            attribute="birth_year", column_name="Năm sinh", widget=widgets.IntegerWidget()
        )
        sex = fields.Field(attribute="sex", column_name="Giới tính", widget=SexWidget())
        ethnicity = fields.Field(attribute="ethnicity", column_name="Dân tộc")
        cccd = fields.Field(attribute="cccd", column_name="Số CCCD")
        phone = fields.Field(attribute="phone", column_name="Số điện thoại")
        village_id = fields.Field(
            attribute="village_id", column_name="Thôn/Tổ dân phố", widget=VillageWidget()
        )
        external_id = fields.Field(attribute="external_id", column_name="Mã công dân")

        class Meta:
            model = P
            use_bulk = True
            batch_size = 5000
            skip_diff = True
            import_id_fields = ["external_id"]
            fields = (
                "full_name",
                "birth_year",
                "sex",
                "ethnicity",
                "cccd",
                "phone",
                "village_id",
                "external_id",
            )

        def before_save_instance(self, instance, row, **kwargs):
            # what Person.save() would compute; bulk_create bypasses save()
            from xhht.core.text import fold, normalize, vi_name_sort_key

            instance.full_name = normalize(instance.full_name)
            instance.name_folded = fold(instance.full_name)
            instance.name_sort = vi_name_sort_key(instance.full_name)
            instance.unit_path = village_paths[instance.village_id]
            instance.cccd = instance.cccd or None

    village_paths = {v.pk: v.path for v in AdminUnit.objects.filter(parent=commune)}
    import csv as _csv

    with open(csv_path, encoding="utf-8-sig", newline="") as f:
        rows = list(_csv.reader(f, delimiter=";"))
    head = rows[0]
    ix = {h: i for i, h in enumerate(head)}
    data = tablib.Dataset(
        headers=[
            "Họ và tên",
            "Năm sinh",
            "Giới tính",
            "Dân tộc",
            "Số CCCD",
            "Số điện thoại",
            "Thôn/Tổ dân phố",
            "Mã công dân",
        ]
    )
    for r in rows[1:]:
        data.append(
            [
                r[ix["Họ và tên"]],
                r[ix["Ngày sinh"]][-4:],
                r[ix["Giới tính"]],
                r[ix["Dân tộc"]],
                r[ix["Số CCCD"]],
                r[ix["Số điện thoại"]],
                r[ix["Thôn/Tổ dân phố"]],
                "iie-" + r[ix["STT"]],
            ]
        )
    # the other importer writes into an empty table too: remove what ours created
    with connection.cursor() as cur:
        for t_ in ("registry_householdmember", "registry_residence", "registry_household"):
            cur.execute(f"DELETE FROM {t_}")  # noqa: S608
        if connection.vendor == "sqlite":
            cur.execute("DELETE FROM registry_person")
        else:
            cur.execute("TRUNCATE registry_person CASCADE")
    t = time.perf_counter()
    result = PersonResource().import_data(data, dry_run=False, raise_errors=True, use_transactions=True)
    theirs = time.perf_counter() - t
    assert not result.has_errors()
    n_theirs = Person.objects.count()
    print(
        "RESULT "
        + json.dumps(
            {
                "ours_s": ours,
                "theirs_s": theirs,
                "rows": len(data),
                "ours_people": n_ours,
                "theirs_people": n_theirs,
            }
        ),
        flush=True,
    )


def compare_iie() -> None:
    ensure_iie()
    small = BENCH_DIR / f"people_{IIE_ROWS}.csv"
    if not small.exists():
        write_people_csv(small, IIE_ROWS, seed=7)
    r = run_child_iie("sqlite", str(small))
    ours_rps = r["rows"] / r["ours_s"]
    theirs_rps = r["rows"] / r["theirs_s"]
    print(
        f"# 50k rows: xhht {r['ours_s']:.2f} s ({ours_rps:,.0f} rows/s), django-import-export "
        f"{r['theirs_s']:.2f} s ({theirs_rps:,.0f} rows/s)",
        flush=True,
    )
    emit("import_vs_django_import_export_x", ours_rps / theirs_rps, "x")


def plain_python_reference(csv_path: Path) -> float:
    """The issue's yardstick, measured on the machine of the run: a plain-Python parse (``csv``
    module) and ``executemany`` of the file into an indexed SQLite table — no validation, no
    households — in one transaction. "About 14 s here" when the figures were set; it tells how
    fast this machine is today (a shared 2-core machine varies from run to run)."""
    import csv
    import sqlite3
    import tempfile

    t = time.perf_counter()
    with tempfile.TemporaryDirectory() as d:
        db = sqlite3.connect(Path(d) / "reference.sqlite3")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute(
            "CREATE TABLE person (id INTEGER PRIMARY KEY, stt TEXT, household TEXT, full_name TEXT,"
            " birth TEXT, sex TEXT, ethnicity TEXT, cccd TEXT UNIQUE, phone TEXT, village TEXT,"
            " relation TEXT, occupation TEXT, education TEXT)"
        )
        db.execute("CREATE INDEX person_name ON person (full_name)")
        db.execute("CREATE INDEX person_village ON person (village, full_name)")
        with open(csv_path, encoding="utf-8-sig", newline="") as f:
            rows = csv.reader(f, delimiter=";")
            next(rows)
            with db:
                db.executemany(
                    "INSERT INTO person (stt, household, full_name, birth, sex, ethnicity, cccd, phone,"
                    " village, relation, occupation, education) VALUES (?, ?, ?, ?, ?, ?, nullif(?, ''),"
                    " ?, ?, ?, ?, ?)",
                    rows,
                )
        db.close()
    return time.perf_counter() - t


def run_child_iie(db: str, csv_path: str) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, "--child-iie", db, csv_path],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ},
    )
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-5000:])
    raise SystemExit("django-import-export comparison failed")


if __name__ == "__main__":
    sys.exit(main())
