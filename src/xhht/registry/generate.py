"""Synthetic registries for a province: realistic Vietnamese names, households, clans, organisations
with staff, learning centres, association members and trainings, spread over the province's
communes (villages are created where a commune has none).

Fast by construction: ids are assigned here, rows are built as tuples and written with one
``executemany`` per batch on SQLite and ``COPY`` on PostgreSQL; the folded name and the sort key are
computed once per distinct name (there are far fewer names than people). Reproducible with ``seed``.
"""

from __future__ import annotations

import datetime as dt
import random
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from xhht.accounts import audit
from xhht.core.text import fold, vi_sort_key
from xhht.geo.models import AdminUnit, Kind, Level

from .search_index import bulk_person_load

# Family names with their approximate share of the population.
FAMILY = [
    ("Nguyễn", 38.4),
    ("Trần", 11.0),
    ("Lê", 9.5),
    ("Phạm", 7.1),
    ("Huỳnh", 4.1),
    ("Hoàng", 1.9),
    ("Phan", 4.5),
    ("Vũ", 2.0),
    ("Võ", 3.9),
    ("Đặng", 2.1),
    ("Bùi", 2.0),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1.0),
    ("Lý", 0.5),
    ("Đinh", 0.9),
    ("Trương", 0.9),
    ("Đoàn", 0.7),
    ("Lương", 0.5),
    ("Mai", 0.4),
    ("Trịnh", 0.4),
    ("Cao", 0.4),
    ("Tạ", 0.2),
    ("Châu", 0.3),
    ("Lâm", 0.3),
    ("Y", 0.4),
    ("A", 0.4),
    ("Nông", 0.2),
    ("Hà", 0.4),
]
MIDDLE_M = [
    "Văn",
    "Văn",
    "Văn",
    "Đức",
    "Minh",
    "Quốc",
    "Hữu",
    "Thanh",
    "Công",
    "Ngọc",
    "Xuân",
    "Đình",
    "Quang",
    "Trọng",
    "Anh",
    "Gia",
    "Bảo",
    "Hoàng",
    "Tấn",
    "Thành",
]
MIDDLE_F = [
    "Thị",
    "Thị",
    "Thị",
    "Thị",
    "Ngọc",
    "Thu",
    "Thanh",
    "Minh",
    "Kim",
    "Mỹ",
    "Hồng",
    "Bích",
    "Phương",
    "Hoài",
    "Thùy",
    "Khánh",
    "Diệu",
    "Bảo",
]
GIVEN_M = [
    "An",
    "Anh",
    "Bảo",
    "Bình",
    "Cường",
    "Công",
    "Dũng",
    "Duy",
    "Dương",
    "Đạt",
    "Đức",
    "Định",
    "Giang",
    "Hải",
    "Hào",
    "Hiếu",
    "Hiển",
    "Hòa",
    "Hoàng",
    "Hùng",
    "Huy",
    "Khải",
    "Khang",
    "Khánh",
    "Khoa",
    "Kiên",
    "Lâm",
    "Lực",
    "Long",
    "Lợi",
    "Mạnh",
    "Minh",
    "Nam",
    "Nghĩa",
    "Nhân",
    "Phong",
    "Phúc",
    "Phước",
    "Quân",
    "Quang",
    "Quý",
    "Sang",
    "Sơn",
    "Tài",
    "Tâm",
    "Thái",
    "Thắng",
    "Thành",
    "Thịnh",
    "Thuận",
    "Tiến",
    "Toàn",
    "Trí",
    "Trung",
    "Tú",
    "Tuấn",
    "Tùng",
    "Việt",
    "Vinh",
    "Vũ",
    "Hưng",
    "Lộc",
    "Ân",
    "Ấn",
    "Đông",
    "Hậu",
]
GIVEN_F = [
    "An",
    "Anh",
    "Ánh",
    "Bích",
    "Chi",
    "Diễm",
    "Dung",
    "Duyên",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hiền",
    "Hoa",
    "Hòa",
    "Hồng",
    "Huệ",
    "Hương",
    "Hường",
    "Khánh",
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
    "Nhi",
    "Oanh",
    "Phương",
    "Phượng",
    "Quyên",
    "Quỳnh",
    "Sương",
    "Tâm",
    "Thảo",
    "Thắm",
    "Thanh",
    "Thủy",
    "Thúy",
    "Thư",
    "Trang",
    "Trâm",
    "Tuyết",
    "Uyên",
    "Vân",
    "Vy",
    "Xuân",
    "Yến",
    "Ân",
    "Ấu",
]
ETHNIC = [
    ("Kinh", 86),
    ("Xơ Đăng", 5),
    ("Ba Na", 3),
    ("Hrê", 3),
    ("Giẻ Triêng", 1),
    ("Co", 1),
    ("Gia Rai", 1),
]
# Legacy province codes whose territory is now in each 2025 province (for CCCD prefixes).
CCCD_PREFIXES = {"51": ["051", "051", "051", "062"], "01": ["001"]}

PERSON_COLS = [
    "id",
    "full_name",
    "name_folded",
    "name_sort",
    "birth_date",
    "birth_year",
    "sex",
    "ethnicity",
    "religion",
    "cccd",
    "phone",
    "village_id",
    "unit_path",
    "occupation",
    "education_level",
    "technical_qualification",
    "it_competency",
    "digital_skill",
    "foreign_language",
    "life_skills",
    "literacy",
    "status",
    "note",
    "created_at",
    "updated_at",
]


@dataclass
class Stats:
    villages: int = 0
    people: int = 0
    households: int = 0
    clans: int = 0
    organisations: int = 0
    staff: int = 0
    centres: int = 0
    members: int = 0
    attendances: int = 0
    extra: dict = field(default_factory=dict)


class _Writer:
    """Batched inserts: ``executemany`` on the raw sqlite3 cursor (one transaction), ``COPY`` on
    PostgreSQL. Values are already in the database's text form (dates as ISO strings)."""

    def __init__(self):
        self.pg = connection.vendor == "postgresql"

    def write(self, table: str, cols: list[str], rows, batch: int = 100_000) -> int:
        qcols = ", ".join(connection.ops.quote_name(c) for c in cols)
        connection.ensure_connection()
        if self.pg:
            n = 0
            with connection.cursor() as cur:
                with cur.cursor.copy(f"COPY {table} ({qcols}) FROM STDIN") as copy:
                    for r in rows:
                        copy.write_row(r)
                        n += 1
            return n
        sql = f"INSERT INTO {table} ({qcols}) VALUES ({', '.join(['?'] * len(cols))})"  # noqa: S608
        raw = connection.connection.cursor()
        rows = list(rows) if not isinstance(rows, list) else rows
        # CHECK constraints call back into Python per row (Django's REGEXP); ours hold by construction
        raw.execute("PRAGMA ignore_check_constraints = ON")
        try:
            for i in range(0, len(rows), batch):
                raw.executemany(sql, rows[i : i + batch])
        finally:
            raw.execute("PRAGMA ignore_check_constraints = OFF")
        return len(rows)

    def write_columns(self, table: str, cols: list[str], columns: list[list]) -> int:
        """Rows given as columns (lists of equal length, already str/int/bool/None)."""
        if not columns or not columns[0]:
            return 0
        if self.pg:
            # COPY text format: our values never hold tabs or newlines; backslashes are doubled.
            text_cols = [_copy_text(c) for c in columns]
            data = "\n".join(map("\t".join, zip(*text_cols, strict=True))) + "\n"
            qcols = ", ".join(connection.ops.quote_name(c) for c in cols)
            connection.ensure_connection()
            with connection.cursor() as cur:
                with cur.cursor.copy(f"COPY {table} ({qcols}) FROM STDIN") as copy:
                    copy.write(data.encode())
            return len(columns[0])
        return self.write(table, cols, list(zip(*columns, strict=True)))

    @contextmanager
    def indexes_off(self, *tables: str):
        """Drop the tables' secondary indexes during the load and build them once after (sorting
        once is much faster than a million B-tree inserts). Same transaction: a failure rolls
        everything back; a duplicate in a unique index fails the rebuild. On PostgreSQL only
        indexes that back no constraint are dropped."""
        indexes: list[tuple[str, str]] = []
        with connection.cursor() as cur:
            for table in tables:
                if self.pg:
                    cur.execute(
                        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s "
                        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
                        [table],
                    )
                else:
                    cur.execute(
                        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                        "AND sql IS NOT NULL",
                        [table],
                    )
                indexes += cur.fetchall()
            for name, _sql in indexes:
                cur.execute(f'DROP INDEX "{name}"')
        try:
            yield
        finally:
            with connection.cursor() as cur:
                if self.pg:
                    cur.execute("SET LOCAL maintenance_work_mem = '256MB'")
                for _name, sql in indexes:
                    cur.execute(sql)

    @contextmanager
    def fk_checks_deferred_off(self):
        """PostgreSQL: skip the per-row foreign-key triggers for rows whose keys this module made
        itself (a million deferred checks at commit otherwise), when the role may do so."""
        if not self.pg:
            yield
            return
        with connection.cursor() as cur:
            cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            superuser = bool(cur.fetchone()[0])
            if superuser:
                cur.execute("SET LOCAL session_replication_role = replica")
        try:
            yield
        finally:
            if superuser:
                with connection.cursor() as cur:
                    cur.execute("SET LOCAL session_replication_role = origin")

    def next_id(self, table: str) -> int:
        with connection.cursor() as cur:
            cur.execute(f"SELECT coalesce(max(id), 0) FROM {table}")  # noqa: S608
            return cur.fetchone()[0] + 1

    def reset_sequence(self, table: str) -> None:
        if self.pg:
            with connection.cursor() as cur:
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM {table}))"  # noqa: S608
                )


_BOOL_TEXT = {True: "t", False: "f"}.__getitem__


def _copy_text(col: list) -> list[str]:
    """A column in COPY text form, converted by the cheapest path for its value types."""
    types = set(map(type, col))
    if types <= {str}:
        # sort keys use "[\\]^_`" as letters: backslashes must be doubled in COPY text
        return [v.replace("\\", "\\\\") for v in col] if "\\" in "".join(col) else col
    if types <= {int}:
        return list(map(str, col))
    if types <= {bool}:
        return list(map(_BOOL_TEXT, col))
    return [
        "\\N" if v is None else ("t" if v is True else "f" if v is False else str(v).replace("\\", "\\\\"))
        for v in col
    ]


def ensure_villages(communes: list[AdminUnit], rng: random.Random, per_commune=(20, 30)) -> dict[int, list]:
    """Current villages of each commune, creating ``per_commune`` of them where a commune has none."""
    existing: dict[int, list] = {}
    for v in AdminUnit.objects.filter(parent__in=communes, level=Level.VILLAGE, valid_to__isnull=True).only(
        "id", "path", "parent_id", "name", "code"
    ):
        existing.setdefault(v.parent_id, []).append(v)
    new = []
    for c in communes:
        if existing.get(c.pk):
            continue
        ward = c.kind == Kind.WARD
        last = (
            AdminUnit.objects.filter(parent=c, code__startswith=f"T{c.code}")
            .order_by("-code")
            .values_list("code", flat=True)
            .first()
        )
        start = int(last[len(c.code) + 1 :]) + 1 if last else 1
        for i in range(rng.randint(*per_commune)):
            code = f"T{c.code}{start + i:04d}"
            name = f"{'Tổ dân phố' if ward else 'Thôn'} {i + 1}"
            new.append(
                AdminUnit(
                    code=code,
                    name=name,
                    name_folded=fold(name),
                    sort_key=vi_sort_key(name),
                    kind=Kind.RESIDENTIAL_GROUP if ward else Kind.VILLAGE,
                    level=Level.VILLAGE,
                    parent=c,
                    path=f"{c.path}{code}/",
                    valid_from=dt.date(2025, 7, 1),
                    source="generate",
                )
            )
    if new:
        AdminUnit.objects.bulk_create(new, batch_size=5000)
        audit.record_bulk("geo.adminunit", note=f"Tạo {len(new)} thôn, tổ dân phố dữ liệu mẫu")
        return ensure_villages(communes, rng, per_commune)
    return existing


def province_communes(province_code: str) -> list[AdminUnit]:
    return list(
        AdminUnit.objects.filter(
            path__startswith=f"VN/{province_code}/", level=Level.COMMUNE, valid_to__isnull=True
        ).order_by("path")
    )


BATCH_HOUSEHOLDS = 40_000  # ~145,000 people per batch: bounded memory, few round trips


def generate(
    *,
    province: str = "51",
    people: int = 1000,
    seed: int = 1,
    communes: list[AdminUnit] | None = None,
    villages: dict[int, list] | None = None,
    per_commune=(20, 30),
    write=print,
    with_extras: bool = True,
) -> Stats:
    """Add ``people`` synthetic people (with households and the rest) to ``province``'s communes.

    Random values are drawn in bulk with numpy, a batch of households at a time, and written as
    they are made (memory stays bounded). Each distinct name is folded and given its sort key once
    with the very functions ``Person.save`` uses."""
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    stats = Stats()
    communes = communes or province_communes(province)
    if not communes:
        raise ValueError(
            f"Không có xã nào trong tỉnh {province}: hãy nạp bản đồ hành chính trước (xhht load_units)."
        )
    w = _Writer()
    with transaction.atomic():
        if villages is None:
            villages = ensure_villages(communes, rng, per_commune)
        all_villages = [(c, v) for c in communes for v in villages.get(c.pk, [])]
        stats.villages = len(all_villages)
        now_dt = timezone.now().replace(microsecond=0)
        now = now_dt.isoformat(sep=" ") if w.pg else now_dt.strftime("%Y-%m-%d %H:%M:%S")
        gen = _PeopleGen(province, all_villages, nrng, now)
        pid0, hid0 = w.next_id("registry_person"), w.next_id("registry_household")
        gen.seed_cccd_counters(rng, existing=pid0 > 1)
        adults_pid, adults_commune, hh_ids, hh_commune, hh_family = [], [], [], [], []
        pid, hid = pid0, hid0
        with (
            w.fk_checks_deferred_off(),
            bulk_person_load(names=gen.names_added),
            w.indexes_off(
                "registry_person", "registry_household", "registry_residence", "registry_householdmember"
            ),
        ):
            while pid - pid0 < people:
                b = gen.batch(pid, hid, people - (pid - pid0))
                w.write_columns("registry_person", PERSON_COLS, b.person)
                w.write_columns("registry_household", HOUSEHOLD_COLS, b.household)
                w.write_columns("registry_residence", RESIDENCE_COLS, b.residence)
                w.write_columns("registry_householdmember", MEMBER_COLS, b.member)
                adults_pid.append(b.adult_pid)
                adults_commune.append(b.adult_commune)
                hh_ids.append(b.hh_id)
                hh_commune.append(b.hh_commune)
                hh_family.append(b.hh_family)
                pid += b.n_people
                hid += b.n_households
                del b
        stats.people, stats.households = pid - pid0, hid - hid0
        for t in ("registry_person", "registry_household"):
            w.reset_sequence(t)
        if with_extras:
            commune_pks = list(dict.fromkeys(c.pk for c, _v in all_villages))  # as _PeopleGen numbers them
            adults: dict[int, list[int]] = {}
            a_pid, a_com = np.concatenate(adults_pid), np.concatenate(adults_commune)
            order = np.argsort(a_com, kind="stable")
            a_pid, a_com = a_pid[order], a_com[order]
            cuts = np.flatnonzero(np.diff(a_com)) + 1
            for grp_pid, grp_com in zip(np.split(a_pid, cuts), np.split(a_com, cuts), strict=True):
                if len(grp_com):
                    adults[commune_pks[int(grp_com[0])]] = grp_pid.tolist()
            fams = [f for f, _ in FAMILY]
            household_family = [
                (h, commune_pks[c], fams[f])
                for h, c, f in zip(
                    np.concatenate(hh_ids).tolist(),
                    np.concatenate(hh_commune).tolist(),
                    np.concatenate(hh_family).tolist(),
                    strict=True,
                )
            ]
            _extras(w, rng, communes, villages, adults, household_family, stats, now)
        audit.record_bulk(
            "registry.person",
            note=f"Sinh dữ liệu mẫu: {stats.people} công dân, {stats.households} hộ (seed {seed})",
            unit_path=f"VN/{province}/",
            changes={"people": stats.people, "households": stats.households, "seed": seed},
        )
    with connection.cursor() as cur:
        if w.pg:
            for t in (
                "registry_person",
                "registry_personname",
                "registry_household",
                "registry_householdmember",
                "registry_residence",
            ):
                cur.execute(f"ANALYZE {t}")
        else:
            # sampled statistics: a full ANALYZE reads every index of million-row tables
            cur.execute("PRAGMA analysis_limit = 2000")
            cur.execute("ANALYZE main")  # not an attached scratch file (imports/base.py) still attached
    write(
        f"Đã sinh {stats.people} công dân, {stats.households} hộ, {stats.villages} thôn/tổ, {stats.clans} dòng họ, "
        f"{stats.organisations} cơ quan ({stats.staff} nhân sự), {stats.centres} TTHTCĐ, {stats.members} hội viên."
    )
    return stats


HOUSEHOLD_COLS = ["id", "code", "village_id", "unit_path", "address", "head_id", "created_at", "updated_at"]
RESIDENCE_COLS = ["person_id", "village_id", "valid_from", "valid_to", "reason"]
MEMBER_COLS = ["household_id", "person_id", "relation", "valid_from", "valid_to"]


@dataclass
class _Batch:
    person: list
    household: list
    residence: list
    member: list
    n_people: int
    n_households: int
    adult_pid: np.ndarray
    adult_commune: np.ndarray
    hh_id: np.ndarray
    hh_commune: np.ndarray
    hh_family: np.ndarray


_SIZES = np.array([1, 2, 3, 4, 5, 6, 7])
_SIZE_P = np.array([8, 18, 24, 28, 14, 5, 3], dtype=float)
_NO_MIDDLE = 31


def _pick(nrng, values: list, n: int, p=None) -> np.ndarray:
    p = None if p is None else np.asarray(p, dtype=float) / np.sum(p)
    return nrng.choice(len(values), size=n, p=p)


class _PeopleGen:
    """People, households, residences and memberships of a batch of households, as columns."""

    def __init__(self, province: str, all_villages, nrng, now: str):
        self.province = province
        self.nrng = nrng
        self.now = now
        self.today = dt.date.today()
        self.v_ids = np.array([v.pk for _c, v in all_villages])
        self.v_paths = [v.path for _c, v in all_villages]
        commune_index: dict[int, int] = {}
        self.v_commune = np.array(
            [commune_index.setdefault(c.pk, len(commune_index)) for c, _v in all_villages]
        )
        self.fam_p = np.array([wt for _f, wt in FAMILY])
        self.fam_none_middle = np.array([f in ("Y", "A") for f, _ in FAMILY])
        prefixes = CCCD_PREFIXES.get(province, ["0" + province.zfill(2)])
        self.prefix_set = sorted(set(prefixes))  # a key per distinct prefix: serials stay unique
        self.prefix_p = np.array([prefixes.count(p) for p in self.prefix_set], dtype=float) / len(prefixes)
        self.names: dict[int, tuple[str, str, str]] = {}  # combination code -> (full, folded, sort)
        self.names_added: list[tuple[str, str]] = []
        self.words: dict[str, tuple[str, str]] = {}
        self.cccd_next: dict[str, int] = {}

    def seed_cccd_counters(self, rng: random.Random, existing: bool) -> None:
        """Serials start at a random point per prefix, after any serial already in the database."""
        self._rng = rng
        if existing:
            with connection.cursor() as cur:
                cur.execute(
                    "SELECT substr(cccd, 1, 6), max(substr(cccd, 7)) FROM registry_person "
                    "WHERE cccd IS NOT NULL GROUP BY substr(cccd, 1, 6)"
                )
                for pre, top in cur.fetchall():
                    if top and top.isdigit():
                        self.cccd_next[pre] = int(top) + 1

    # ---- names
    def _word(self, word: str) -> tuple[str, str]:
        hit = self.words.get(word)
        if hit is None:
            hit = self.words[word] = (fold(word), vi_sort_key(word))
        return hit

    def _name_columns(self, fam, female, middle, given) -> tuple[list, list, list]:
        middle = np.where(self.fam_none_middle[fam], _NO_MIDDLE, middle)
        code = ((fam * 2 + female) * 32 + middle) * 128 + given
        uniq, inv = np.unique(code, return_inverse=True)
        full, folded, sort = [], [], []
        for c in uniq.tolist():
            hit = self.names.get(c)
            if hit is None:
                g, rest = c % 128, c // 128
                m, rest = rest % 32, rest // 32
                is_f, f = rest % 2, rest // 2
                given_name = (GIVEN_F if is_f else GIVEN_M)[g]
                parts = (
                    [FAMILY[f][0], given_name]
                    if m == _NO_MIDDLE
                    else [
                        FAMILY[f][0],
                        (MIDDLE_F if is_f else MIDDLE_M)[m],
                        given_name,
                    ]
                )
                # composed from the words' folded forms and sort keys (computed once per word):
                # the same strings fold() and vi_name_sort_key() give for the whole name (tested)
                ws = [self._word(x) for x in parts]
                order = [ws[-1], *ws[:-1]]  # given name first, as Vietnamese lists sort
                hit = self.names[c] = (
                    " ".join(parts),
                    " ".join(x[0] for x in ws),
                    "!".join(x[1] for x in order),
                )
                self.names_added.append((hit[2], hit[1]))
            full.append(hit[0])
            folded.append(hit[1])
            sort.append(hit[2])
        idx = inv.ravel()
        pick = lambda col: np.array(col, dtype=object)[idx].tolist()  # noqa: E731
        return pick(full), pick(folded), pick(sort)

    # ---- one batch
    def batch(self, pid0: int, hid0: int, remaining: int) -> _Batch:
        r = self.nrng
        today = self.today
        h = BATCH_HOUSEHOLDS
        size = _SIZES[_pick(r, _SIZES, h, _SIZE_P)]
        total = np.cumsum(size)
        if total[-1] >= remaining:
            h = int(np.searchsorted(total, remaining) + 1)
            size = size[:h].copy()
            size[-1] -= int(size.sum() - remaining)
        n = int(size.sum())
        hh_village = r.integers(0, len(self.v_ids), h)
        hh_family = _pick(r, FAMILY, h, self.fam_p)
        head_year = r.integers(1945, 2001, h)
        hh_of = np.repeat(np.arange(h), size)
        starts = np.cumsum(size) - size
        k = np.arange(n) - starts[hh_of]
        hsize = size[hh_of]
        u = r.random((8, n))
        is_head = k == 0
        is_spouse = (k == 1) & ((hsize > 2) | (u[0] < 0.6))
        is_parent = ~is_head & ~is_spouse & (k >= 5) & (u[1] < 0.5)
        is_child = ~is_head & ~is_spouse & ~is_parent
        female = np.where(
            is_head,
            u[2] >= 0.75,
            np.where(is_spouse, u[2] < 0.75, np.where(is_parent, u[2] < 0.5, u[2] >= 0.51)),
        )
        hy = head_year[hh_of]
        year = np.where(
            is_head,
            hy,
            np.where(
                is_spouse,
                hy + r.integers(-5, 6, n),
                np.where(
                    is_parent,
                    hy - r.integers(18, 31, n),
                    np.minimum(hy + r.integers(20, 41, n), today.year - 1),
                ),
            ),
        )
        year = np.clip(year, 1925, today.year - 1)
        fam = np.where(is_spouse, _pick(r, FAMILY, n, self.fam_p), hh_family[hh_of])
        middle = np.where(female, r.integers(0, len(MIDDLE_F), n), r.integers(0, len(MIDDLE_M), n))
        given = np.where(female, r.integers(0, len(GIVEN_F), n), r.integers(0, len(GIVEN_M), n))
        full, folded, sort = self._name_columns(fam, female.astype(int), middle, given)
        age = today.year - year
        # birth dates: 80% known, else only the year
        has_date = u[3] < 0.8
        month = r.integers(1, 13, n)
        day = r.integers(1, 29, n)
        dates = (
            (year - 1970).astype("datetime64[Y]").astype("datetime64[M]")
            + (month - 1).astype("timedelta64[M]")
        ).astype("datetime64[D]") + (day - 1).astype("timedelta64[D]")
        date_str = np.datetime_as_string(dates, unit="D").astype(object)
        birth_date = np.where(has_date, date_str, None).tolist()
        # CCCD: prefix (registration province, century/sex digit, year) and a serial unique per prefix
        has_cccd = (age >= 14) & (u[4] < 0.85)
        cccd = [None] * n
        idx = np.flatnonzero(has_cccd)
        if len(idx):
            pre_i = r.choice(len(self.prefix_set), size=len(idx), p=self.prefix_p)
            cent = np.select(
                [year[idx] < 1900, year[idx] < 2000, year[idx] < 2100], [8, 0, 2], default=4
            ) + female[idx].astype(int)
            yy = year[idx] % 100
            keys = (pre_i * 10 + cent) * 100 + yy
            order = np.argsort(keys, kind="stable")
            sk = keys[order]
            first = np.r_[True, sk[1:] != sk[:-1]]
            grp_start = np.maximum.accumulate(np.where(first, np.arange(len(sk)), 0))
            rank = np.empty(len(sk), dtype=np.int64)
            rank[order] = np.arange(len(sk)) - grp_start
            prefixes = self.prefix_set
            base: dict[int, int] = {}
            for key in np.unique(keys).tolist():
                p = f"{prefixes[key // 1000]}{(key // 100) % 10}{key % 100:02d}"
                if p not in self.cccd_next:
                    self.cccd_next[p] = self._rng.randint(0, 400_000) + 1
                base[key] = self.cccd_next[p]
            counts = np.unique(keys, return_counts=True)
            for key, cnt in zip(counts[0].tolist(), counts[1].tolist(), strict=True):
                p = f"{prefixes[key // 1000]}{(key // 100) % 10}{key % 100:02d}"
                self.cccd_next[p] += cnt
            for j, key, rk in zip(idx.tolist(), keys.tolist(), rank.tolist(), strict=True):
                cccd[j] = f"{prefixes[key // 1000]}{(key // 100) % 10}{key % 100:02d}{base[key] + rk:06d}"
        has_phone = (age >= 16) & (u[5] < 0.7)
        phone_n = r.integers(10_000_000, 100_000_000, n)
        phone_d = np.array(list("3579"))[r.integers(0, 4, n)]
        phone = [
            f"0{d}{x}" if ok else ""
            for ok, d, x in zip(has_phone.tolist(), phone_d.tolist(), phone_n.tolist(), strict=True)
        ]
        # facts counted by the targets
        x, y = r.random(n), r.random(n)
        occ = np.select(
            [age < 6, age < 23, x < 0.04, x < 0.10, x < 0.80],
            ["khac", "hoc_sinh", "cong_chuc", "vien_chuc", "lao_dong"],
            default="khac",
        ).astype(object)
        e1, e2 = r.random(n), r.random(n)
        edu = np.select(
            [age < 6, age < 11, age < 15, age < 23, e1 < 0.55, e2 < 0.7],
            ["khong", "tieu_hoc", "thcs", "thpt", "thpt", "thcs"],
            default="tieu_hoc",
        ).astype(object)
        civil = (occ == "cong_chuc") | (occ == "vien_chuc")
        tech = np.select(
            [age < 23, civil & (y < 0.8), y < 0.25, y < 0.30, y < 0.36],
            ["khong", "dai_hoc", "so_trung_cap", "cao_dang", "dai_hoc"],
            default="khong",
        ).astype(object)
        young = (age >= 15) & (age <= 60)
        it = young & (u[6] < 0.55)
        level = np.where(
            it, np.array([1, 1, 2, 2, 3, 4])[r.integers(0, 6, n)], np.where(young & (u[7] < 0.3), 1, 0)
        )
        # "not assessed" (None) is not level 0: the level is known for those who use IT and for some of
        # the others (assessed at a course or a survey: level 1, or 0 "Chưa có"); nobody assessed the rest
        assessed = it | (young & (u[7] < 0.45)) | (~young & (u[7] < 0.1))
        digital = [lv if a else None for lv, a in zip(level.tolist(), assessed.tolist(), strict=True)]
        lang = np.where(young & (r.random(n) < 0.3), "co_ban", "khong").astype(object)
        l1, l2 = r.random(n), r.random(n)
        literacy = np.select([age < 15, l1 < 0.9, l2 < 0.7], ["", "muc_2", "muc_1"], default="mu_chu").astype(
            object
        )
        eth_names = np.array([e for e, _ in ETHNIC], dtype=object)
        eth = np.where(r.random(n) < 0.86, 0, r.integers(1, len(ETHNIC), n))
        life = young & (r.random(n) < 0.6)
        pvillage = hh_village[hh_of]
        village_id = self.v_ids[pvillage].tolist()
        paths = np.array(self.v_paths, dtype=object)[pvillage].tolist()
        pids = np.arange(pid0, pid0 + n)
        hids = np.arange(hid0, hid0 + h)
        now = self.now
        const = lambda v: [v] * n  # noqa: E731
        person = [
            pids.tolist(),
            full,
            folded,
            sort,
            birth_date,
            year.tolist(),
            np.where(female, "F", "M").astype(object).tolist(),
            eth_names[eth].tolist(),
            const(""),
            cccd,
            phone,
            village_id,
            paths,
            occ.tolist(),
            edu.tolist(),
            tech.tolist(),
            it.tolist(),
            digital,
            lang.tolist(),
            life.tolist(),
            literacy.tolist(),
            const("active"),
            const(""),
            const(now),
            const(now),
        ]
        hv = hh_village.tolist()
        household = [
            hids.tolist(),
            [f"G{self.province}-{i:08d}" for i in hids.tolist()],
            self.v_ids[hh_village].tolist(),
            [self.v_paths[i] for i in hv],
            [""] * h,
            (pids[starts]).tolist(),
            [now] * h,
            [now] * h,
        ]
        residence = [
            person[0],
            village_id,
            np.where(is_child, np.array(birth_date, dtype=object), None).tolist(),
            const(None),
            const("Dữ liệu mẫu"),
        ]
        relation = np.select(
            [is_head, is_spouse, is_parent], ["chu_ho", "vo_chong", "bo_me"], default="con"
        ).astype(object)
        member = [(hids[hh_of]).tolist(), person[0], relation.tolist(), const(None), const(None)]
        adult = age >= 18
        return _Batch(
            person=person,
            household=household,
            residence=residence,
            member=member,
            n_people=n,
            n_households=h,
            adult_pid=pids[adult],
            adult_commune=self.v_commune[pvillage][adult],
            hh_id=hids,
            hh_commune=self.v_commune[hh_village],
            hh_family=hh_family,
        )


ORG_TEMPLATES = [
    ("Uỷ ban nhân dân {c}", "co_quan"),
    ("Trường Mầm non {n}", "truong_hoc"),
    ("Trường Tiểu học {n}", "truong_hoc"),
    ("Trường THCS {n}", "truong_hoc"),
    ("Trạm Y tế {c}", "su_nghiep"),
    ("Hợp tác xã Nông nghiệp {n}", "hop_tac_xa"),
    ("Công ty TNHH {n}", "doanh_nghiep"),
    ("Ban Chỉ huy Quân sự {c}", "luc_luong_vu_trang"),
]


def _extras(w: _Writer, rng, communes, villages, adults, household_family, stats: Stats, now) -> None:
    """Clans, organisations with staff, learning centres, association branches, members and trainings."""
    today = dt.date.today()
    org_id, clan_id = w.next_id("registry_organisation"), w.next_id("registry_clan")
    centre_id, branch_id = w.next_id("registry_learningcentre"), w.next_id("registry_associationbranch")
    member_id, training_id = w.next_id("registry_associationmember"), w.next_id("registry_training")
    orgs, staff, clans, clan_hh, centres, centre_staff = [], [], [], [], [], []
    branches, assoc, trainings, attend = [], [], [], []
    hh_by_commune: dict[int, dict[str, list[int]]] = {}
    for hid, cpk, fam in household_family:
        hh_by_commune.setdefault(cpk, {}).setdefault(fam, []).append(hid)
    for c in communes:
        pool = adults.get(c.pk, [])
        if not pool:
            continue
        short = c.name.split(" ", 1)[-1]
        picks = rng.sample(pool, min(len(pool), 400))
        used = 0

        def take(k, picks=picks):
            nonlocal used
            out = picks[used : used + k]
            used += k
            return out

        for tmpl, kind in ORG_TEMPLATES[: rng.randint(5, len(ORG_TEMPLATES))]:
            name = tmpl.format(c=c.name, n=short)
            team = take(rng.randint(3, 25))
            if not team:
                break
            orgs.append(
                (
                    org_id,
                    name,
                    fold(name),
                    kind,
                    "xa",
                    c.pk,
                    c.path,
                    team[0],
                    None,
                    "",
                    None,
                    dt.date(2025, 7, 1),
                    None,
                    now,
                )
            )
            cat = (
                "cong_chuc"
                if kind == "co_quan"
                else "vien_chuc"
                if kind in ("truong_hoc", "su_nghiep")
                else "nguoi_lao_dong"
            )
            for i, p in enumerate(team):
                staff.append(
                    (
                        org_id,
                        p,
                        "can_bo" if i == 0 and kind == "co_quan" else cat,
                        "Thủ trưởng" if i == 0 else "",
                        dt.date(rng.randint(2000, 2025), 1, 1),
                        None,
                    )
                )
            org_id += 1
        fams = sorted(hh_by_commune.get(c.pk, {}).items(), key=lambda kv: -len(kv[1]))[:8]
        for fam, hids in fams:
            if len(hids) < 3:
                continue
            name = f"Họ {fam} {short}"
            head = take(1)
            clans.append((clan_id, name, fold(name), c.pk, c.path, head[0] if head else None, None, now))
            for h in hids[:200]:
                clan_hh.append((clan_id, h, None, None))
            clan_id += 1
        director = take(1)
        name = f"Trung tâm học tập cộng đồng {c.name}"
        it = rng.random() < 0.6
        centres.append(
            (
                centre_id,
                name,
                c.pk,
                c.path,
                director[0] if director else None,
                rng.random() < 0.8,
                it,
                it and rng.random() < 0.7,
                dt.date(rng.randint(2008, 2025), 7, 1),
                None,
                None,
                now,
            )
        )
        for p in take(3):
            centre_staff.append((centre_id, p, "Phó giám đốc", None, None))
        centre_id += 1
        commune_branch = branch_id
        branches.append((branch_id, f"Hội Khuyến học {c.name}", c.pk, c.path, None, None))
        branch_id += 1
        vbranches = []
        for v in villages.get(c.pk, []):
            branches.append((branch_id, f"Chi hội Khuyến học {v.name}", v.pk, v.path, None, commune_branch))
            vbranches.append((branch_id, v.path))
            branch_id += 1
        t1, t2 = training_id, training_id + 1
        trainings.append(
            (
                t1,
                f"Hội nghị quán triệt tiêu chí xã hội học tập năm {today.year}",
                "quan_triet",
                dt.date(today.year, 3, 15),
                c.pk,
                c.path,
            )
        )
        trainings.append(
            (
                t2,
                "Lớp bồi dưỡng ứng dụng công nghệ thông tin cho cán bộ Hội",
                "cntt",
                dt.date(today.year, 5, 20),
                c.pk,
                c.path,
            )
        )
        training_id += 2
        n_members = max(5, len(pool) // 10)
        for i, p in enumerate(rng.sample(pool, min(len(pool), n_members))):
            if vbranches and i >= 5:
                bid, path = rng.choice(vbranches)
            else:
                bid, path = commune_branch, c.path
            officer = i < 5 or rng.random() < 0.05
            assoc.append(
                (
                    member_id,
                    p,
                    bid,
                    path,
                    officer,
                    "Chủ tịch" if i == 0 else "Uỷ viên" if officer else "",
                    dt.date(rng.randint(2010, 2025), 1, 1),
                    None,
                )
            )
            if officer or rng.random() < 0.7:
                attend.append((t1, member_id))
            if officer and rng.random() < 0.8:
                attend.append((t2, member_id))
            member_id += 1
    w.write(
        "registry_organisation",
        [
            "id",
            "name",
            "name_folded",
            "kind",
            "level",
            "unit_id",
            "unit_path",
            "head_id",
            "head_user_id",
            "tax_code",
            "external_id",
            "valid_from",
            "valid_to",
            "created_at",
        ],
        orgs,
    )
    w.write(
        "registry_orgmembership",
        ["organisation_id", "person_id", "category", "position", "valid_from", "valid_to"],
        staff,
    )
    w.write(
        "registry_clan",
        ["id", "name", "name_folded", "commune_id", "unit_path", "head_id", "external_id", "created_at"],
        clans,
    )
    w.write("registry_clanhousehold", ["clan_id", "household_id", "valid_from", "valid_to"], clan_hh)
    w.write(
        "registry_learningcentre",
        [
            "id",
            "name",
            "commune_id",
            "unit_path",
            "director_id",
            "hkh_in_management",
            "uses_it_management",
            "uses_it_activities",
            "established",
            "valid_to",
            "merged_into_id",
            "created_at",
        ],
        centres,
    )
    w.write(
        "registry_centrestaff", ["centre_id", "person_id", "role", "valid_from", "valid_to"], centre_staff
    )
    w.write(
        "registry_associationbranch",
        ["id", "name", "unit_id", "unit_path", "organisation_id", "parent_id"],
        branches,
    )
    w.write("registry_training", ["id", "name", "kind", "date", "unit_id", "unit_path"], trainings)
    w.write(
        "registry_associationmember",
        ["id", "person_id", "branch_id", "unit_path", "is_officer", "position", "joined", "left"],
        assoc,
    )
    w.write("registry_trainingattendance", ["training_id", "member_id"], attend)
    for t in (
        "registry_organisation",
        "registry_clan",
        "registry_learningcentre",
        "registry_associationbranch",
        "registry_associationmember",
        "registry_training",
    ):
        w.reset_sequence(t)
    stats.organisations, stats.staff, stats.clans = len(orgs), len(staff), len(clans)
    stats.centres, stats.members, stats.attendances = len(centres), len(assoc), len(attend)
