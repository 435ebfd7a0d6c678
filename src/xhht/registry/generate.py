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
    """Batched inserts: executemany on the raw sqlite3 cursor, COPY on PostgreSQL. Values are already
    in the database's text form (dates as ISO strings), so nothing is converted row by row."""

    def __init__(self):
        self.pg = connection.vendor == "postgresql"

    def write(self, table: str, cols: list[str], rows, batch: int = 100_000) -> int:
        cols = [connection.ops.quote_name(c) for c in cols]
        connection.ensure_connection()
        if self.pg:
            n = 0
            with connection.cursor() as cur:
                with cur.cursor.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                    for r in rows:
                        copy.write_row(r)
                        n += 1
            return n
        sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(['?'] * len(cols))})"  # noqa: S608
        raw = connection.connection.cursor()
        rows = list(rows) if not isinstance(rows, list) else rows
        for i in range(0, len(rows), batch):
            raw.executemany(sql, rows[i : i + batch])
        return len(rows)

    @contextmanager
    def indexes_off(self, table: str):
        """SQLite: drop the table's secondary indexes during the load and build them once after
        (sorting once is much faster than a million B-tree inserts). Same transaction: a failure
        rolls everything back; a duplicate in a unique index fails the rebuild."""
        if self.pg:
            yield
            return
        with connection.cursor() as cur:
            cur.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL",
                [table],
            )
            indexes = cur.fetchall()
            for name, _sql in indexes:
                cur.execute(f'DROP INDEX "{name}"')
        try:
            yield
        finally:
            with connection.cursor() as cur:
                for _name, sql in indexes:
                    cur.execute(sql)

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


class _Names:
    """Names and their folded form and sort key, computed once per word and composed per name."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.fam = [f for f, _ in FAMILY]
        self.fam_w = [w for _, w in FAMILY]
        self.words: dict[str, tuple[str, str, str]] = {}
        self.cache: dict[tuple[str, str, str], tuple[str, str, str]] = {}

    def _word(self, w: str) -> tuple[str, str, str]:
        c = self.words.get(w)
        if c is None:
            key = vi_sort_key(w)
            prim, tones = key.split(" ", 1)
            c = self.words[w] = (fold(w), prim, tones)
        return c

    def families(self, k: int) -> list[str]:
        return self.rng.choices(self.fam, self.fam_w, k=k)

    def full(self, family: str, sex: str) -> tuple[str, str, str]:
        r = self.rng
        if family in ("Y", "A"):  # Central Highlands names: "Y Bình", "A Thắng"
            middle = ""
            given = r.choice(GIVEN_F if sex == "F" else GIVEN_M)
        elif sex == "F":
            middle, given = r.choice(MIDDLE_F), r.choice(GIVEN_F)
        else:
            middle, given = r.choice(MIDDLE_M), r.choice(GIVEN_M)
        key = (family, middle, given)
        c = self.cache.get(key)
        if c is None:
            parts = [family, middle, given] if middle else [family, given]
            ws = [self._word(p) for p in parts]
            order = [ws[-1], *ws[:-1]]  # given name first, as Vietnamese lists sort
            name = " ".join(parts)
            c = self.cache[key] = (
                name,
                " ".join(w[0] for w in ws),
                "!".join(w[1] for w in order) + " " + "0".join(w[2] for w in order),
            )
        return c


def _century_digit(year: int, sex: str) -> str:
    base = {18: 8, 19: 0, 20: 2, 21: 4, 22: 6}[year // 100]
    return str(base + (1 if sex == "F" else 0))


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
    """Add ``people`` synthetic people (with households and the rest) to ``province``'s communes."""
    rng = random.Random(seed)
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
        names = _Names(rng)
        today = dt.date.today()
        now_dt = timezone.now().replace(microsecond=0)
        now = (
            now_dt.isoformat(sep=" ")
            if connection.vendor == "postgresql"
            else now_dt.strftime("%Y-%m-%d %H:%M:%S")
        )
        prefixes = CCCD_PREFIXES.get(province, ["0" + province.zfill(2)])
        pid0 = w.next_id("registry_person")
        hid0 = w.next_id("registry_household")
        people_rows, residences, households, members = [], [], [], []
        by_commune_adults: dict[int, list[int]] = {}
        household_family: list[tuple[int, int, str]] = []  # (household id, commune pk, family name)
        cccd_counter: dict[str, int] = {}
        pid = pid0
        hid = hid0
        rand = rng.random
        while pid - pid0 < people:
            commune, village = all_villages[int(rand() * len(all_villages))]
            size = min(
                people - (pid - pid0), rng.choices((1, 2, 3, 4, 5, 6, 7), (8, 18, 24, 28, 14, 5, 3))[0]
            )
            family = names.families(1)[0]
            code = f"G{province}-{hid:08d}"
            head_id = pid
            households.append((hid, code, village.pk, village.path, "", head_id, now, now))
            household_family.append((hid, commune.pk, family))
            head_year = rng.randint(1945, 2000)
            for k in range(size):
                if k == 0:
                    sex = "M" if rand() < 0.75 else "F"
                    year, relation = head_year, "chu_ho"
                    fam = family
                elif k == 1 and size > 2 or (k == 1 and rand() < 0.6):
                    sex = "F" if rand() < 0.75 else "M"
                    year, relation, fam = head_year + rng.randint(-5, 5), "vo_chong", names.families(1)[0]
                elif k >= 5 and rand() < 0.5:
                    sex = "M" if rand() < 0.5 else "F"
                    year, relation, fam = head_year - rng.randint(18, 30), "bo_me", family
                else:
                    sex = "M" if rand() < 0.51 else "F"
                    year, relation, fam = min(head_year + rng.randint(20, 40), today.year - 1), "con", family
                year = max(1925, min(year, today.year - 1))
                full, folded, sort = names.full(fam, sex)
                age = today.year - year
                birth_date = (
                    f"{year}-{1 + int(rand() * 12):02d}-{1 + int(rand() * 28):02d}" if rand() < 0.8 else None
                )
                cccd = None
                if age >= 14 and rand() < 0.85:
                    pre = rng.choice(prefixes) + _century_digit(year, sex) + f"{year % 100:02d}"
                    n = cccd_counter.get(pre, rng.randint(0, 400_000)) + 1
                    cccd_counter[pre] = n
                    cccd = f"{pre}{n:06d}"
                phone = (
                    f"0{rng.choice('3579')}{rng.randint(10_000_000, 99_999_999)}"
                    if age >= 16 and rand() < 0.7
                    else ""
                )
                if age < 6:
                    occ, edu, tech = "khac", "khong", "khong"
                elif age < 23:
                    occ, edu, tech = (
                        "hoc_sinh",
                        ("tieu_hoc" if age < 11 else "thcs" if age < 15 else "thpt"),
                        "khong",
                    )
                else:
                    x = rand()
                    occ = (
                        "cong_chuc"
                        if x < 0.04
                        else "vien_chuc"
                        if x < 0.10
                        else "lao_dong"
                        if x < 0.80
                        else "khac"
                    )
                    edu = "thpt" if rand() < 0.55 else "thcs" if rand() < 0.7 else "tieu_hoc"
                    y = rand()
                    tech = (
                        "dai_hoc"
                        if occ in ("cong_chuc", "vien_chuc") and y < 0.8
                        else "so_trung_cap"
                        if y < 0.25
                        else "cao_dang"
                        if y < 0.30
                        else "dai_hoc"
                        if y < 0.36
                        else "khong"
                    )
                young = 15 <= age <= 60
                it = young and rand() < 0.55
                digital = rng.choice((1, 1, 2, 2, 3, 4)) if it else (1 if young and rand() < 0.3 else 0)
                lang = "co_ban" if young and rand() < 0.3 else "khong"
                literacy = (
                    "" if age < 15 else ("muc_2" if rand() < 0.9 else "muc_1" if rand() < 0.7 else "mu_chu")
                )
                eth = "Kinh" if rand() < 0.86 else rng.choice(ETHNIC[1:])[0]
                people_rows.append(
                    (
                        pid,
                        full,
                        folded,
                        sort,
                        birth_date,
                        year,
                        sex,
                        eth,
                        "",
                        cccd,
                        phone,
                        village.pk,
                        village.path,
                        occ,
                        edu,
                        tech,
                        it,
                        digital,
                        lang,
                        young and rand() < 0.6,
                        literacy,
                        "active",
                        "",
                        now,
                        now,
                    )
                )
                residences.append(
                    (pid, village.pk, birth_date if relation == "con" else None, None, "Dữ liệu mẫu")
                )
                members.append((hid, pid, relation, None, None))
                if age >= 18:
                    by_commune_adults.setdefault(commune.pk, []).append(pid)
                pid += 1
            hid += 1
        stats.people, stats.households = len(people_rows), len(households)
        with bulk_person_load(), w.indexes_off("registry_person"):
            w.write("registry_person", PERSON_COLS, people_rows)
        del people_rows
        w.write(
            "registry_household",
            ["id", "code", "village_id", "unit_path", "address", "head_id", "created_at", "updated_at"],
            households,
        )
        w.write(
            "registry_residence", ["person_id", "village_id", "valid_from", "valid_to", "reason"], residences
        )
        w.write(
            "registry_householdmember",
            ["household_id", "person_id", "relation", "valid_from", "valid_to"],
            members,
        )
        for t in ("registry_person", "registry_household"):
            w.reset_sequence(t)
        del residences, members
        if with_extras:
            _extras(w, rng, communes, villages, by_commune_adults, household_family, stats, now)
        audit.record_bulk(
            "registry.person",
            note=f"Sinh dữ liệu mẫu: {stats.people} công dân, {stats.households} hộ (seed {seed})",
            unit_path=f"VN/{province}/",
            changes={"people": stats.people, "households": stats.households, "seed": seed},
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            for t in (
                "registry_person",
                "registry_household",
                "registry_householdmember",
                "registry_residence",
            ):
                cur.execute(f"ANALYZE {t}")
    else:
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    write(
        f"Đã sinh {stats.people} công dân, {stats.households} hộ, {stats.villages} thôn/tổ, {stats.clans} dòng họ, "
        f"{stats.organisations} cơ quan ({stats.staff} nhân sự), {stats.centres} TTHTCĐ, {stats.members} hội viên."
    )
    return stats


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
