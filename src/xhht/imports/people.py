"""Import of people with their households (one row per person; a household is the rows sharing a "Mã hộ").

The fast path for a million rows: the file is read in chunks; each chunk is normalised column by
column (cached per distinct value), rows are assembled as plain tuples, existing people are fetched
in bulk by key (CCCD, else the file's "Mã công dân", else a key derived from the row), and new rows
are written with ``executemany`` (SQLite) or ``COPY`` (PostgreSQL) with ids allocated up front, so
no row ever goes through the ORM. The same code runs for the dry run (nothing written) and for the
commit (one transaction, rolled back as a whole if any row is rejected).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xhht.core.text import fold
from xhht.geo.models import AdminUnit, Level
from xhht.registry.models import (
    DigitalSkill,
    EducationLevel,
    ForeignLanguage,
    Household,
    HouseholdMember,
    Literacy,
    Occupation,
    Person,
    Relation,
    Residence,
    TechnicalQualification,
)

from . import normalize as nz
from .base import Column, Report, Writer, match_headers, model_defaults
from .readers import Table

L = gettext_lazy

OCCUPATION_MAP = nz.choice_map(
    Occupation,
    {
        "lao dong": Occupation.WORKER,
        "nong dan": Occupation.WORKER,
        "cong nhan": Occupation.WORKER,
        "lam nong": Occupation.WORKER,
        "kinh doanh": Occupation.WORKER,
        "buon ban": Occupation.WORKER,
        "can bo": Occupation.CIVIL_SERVANT,
        "cong chuc": Occupation.CIVIL_SERVANT,
        "can bo cong chuc": Occupation.CIVIL_SERVANT,
        "giao vien": Occupation.PUBLIC_EMPLOYEE,
        "hoc sinh": Occupation.PUPIL,
        "sinh vien": Occupation.PUPIL,
        "huu tri": Occupation.OTHER,
        "noi tro": Occupation.OTHER,
    },
)
EDUCATION_MAP = nz.choice_map(
    EducationLevel,
    {
        "chua hoc": "khong",
        "khong": "khong",
        "cap 1": "tieu_hoc",
        "cap 2": "thcs",
        "cap 3": "thpt",
        "12/12": "thpt",
        "9/12": "thcs",
    },
)
QUALIFICATION_MAP = nz.choice_map(
    TechnicalQualification,
    {
        "so cap": "so_trung_cap",
        "trung cap": "so_trung_cap",
        "nghe": "so_trung_cap",
        "dai hoc": "dai_hoc",
        "thac si": "dai_hoc",
        "tien si": "dai_hoc",
        "sau dai hoc": "dai_hoc",
        "khong": "khong",
    },
)
DIGITAL_MAP = nz.choice_map(
    DigitalSkill,
    {
        "0": 0,
        "1": 1,
        "2": 2,
        "3": 3,
        "4": 4,
        "co ban": 1,
        "trung cap": 2,
        "kha": 3,
        "chuyen sau": 4,
        "chua": 0,
        "khong": 0,
    },
)
LANGUAGE_MAP = nz.choice_map(ForeignLanguage, {"thanh thao": "thanh_thao", "co": "co_ban"})
LITERACY_MAP = nz.choice_map(
    Literacy,
    {"muc 1": "muc_1", "muc 2": "muc_2", "chua biet chu": "mu_chu", "mu chu": "mu_chu", "biet chu": "muc_1"},
)
RELATION_MAP = nz.choice_map(
    Relation,
    {
        "chu ho": "chu_ho",
        "vo": "vo_chong",
        "chong": "vo_chong",
        "con": "con",
        "con de": "con",
        "con nuoi": "con",
        "con dau": "khac",
        "con re": "khac",
        "bo": "bo_me",
        "me": "bo_me",
        "cha": "bo_me",
        "ong": "ong_ba",
        "ba": "ong_ba",
        "chau": "chau",
        "anh": "anh_chi_em",
        "chi": "anh_chi_em",
        "em": "anh_chi_em",
        "khac": "khac",
    },
)


def _labels(choices) -> str:
    return ", ".join(str(label) for _v, label in choices.choices)


PEOPLE_COLUMNS = [
    Column(
        "external_id",
        "Mã công dân",
        ("ma cong dan", "ma nguoi", "ma ho so", "ma dinh danh"),
        help=L(
            "Mã của người này trong tệp nguồn (không bắt buộc); dùng để nhập lại không bị trùng khi không có CCCD."
        ),
        example="CD000001",
    ),
    Column(
        "full_name",
        "Họ và tên",
        ("ho ten", "ho va ten", "ten", "ho, ten", "ho ten cong dan"),
        required=True,
        help=L("Bắt buộc."),
        example="Nguyễn Thị Hoa",
    ),
    Column(
        "birth",
        "Ngày sinh",
        ("ngay sinh", "nam sinh", "ngay thang nam sinh", "ngay/thang/nam sinh"),
        help=L("dd/mm/yyyy, d/m/yy hoặc chỉ năm sinh (yyyy)."),
        example="02/09/1985",
    ),
    Column("sex", "Giới tính", ("gioi tinh", "gioi", "nam/nu"), help=L("Nam hoặc Nữ."), example="Nữ"),
    Column("ethnicity", "Dân tộc", ("dan toc",), example="Kinh"),
    Column("religion", "Tôn giáo", ("ton giao",), example="Không"),
    Column(
        "cccd",
        "Số CCCD",
        (
            "cccd",
            "so cccd",
            "so can cuoc",
            "so can cuoc cong dan",
            "so dinh danh ca nhan",
            "so dinh danh",
            "so cmnd/cccd",
            "cmnd/cccd",
            "so cmnd cccd",
        ),
        help=L("12 chữ số; định dạng cột là Văn bản (Text) để Excel không làm mất số 0 ở đầu."),
        example="051185000123",
    ),
    Column(
        "phone",
        "Số điện thoại",
        ("dien thoai", "sdt", "so dt", "dt", "so dien thoai di dong"),
        example="0905123456",
    ),
    Column(
        "village",
        "Thôn/Tổ dân phố",
        (
            "thon",
            "to dan pho",
            "thon, to dan pho",
            "thon/to",
            "thon to dan pho",
            "ma thon",
            "thon/ban",
            "noi o hien tai",
        ),
        required=True,
        help=L("Tên hoặc mã thôn/tổ dân phố thuộc xã đã chọn. Bắt buộc."),
        example="Thôn 1",
    ),
    Column(
        "household",
        "Mã hộ",
        ("ma ho", "ma ho gia dinh", "so ho", "so ho khau"),
        help=L("Các dòng cùng mã hộ là một hộ gia đình."),
        example="HGD-0001",
    ),
    Column(
        "relation",
        "Quan hệ với chủ hộ",
        ("quan he", "quan he voi chu ho", "quan he chu ho"),
        help=L("Mỗi hộ có đúng một dòng 'Chủ hộ'."),
        example="Chủ hộ",
    ),
    Column("address", "Địa chỉ", ("dia chi", "dia chi ho", "so nha"), example="Số 5, đường Trần Phú"),
    Column(
        "occupation", "Nghề nghiệp", ("nghe nghiep", "nhom nghe nghiep", "nghe"), example="Người lao động"
    ),
    Column(
        "education_level",
        "Trình độ học vấn",
        ("hoc van", "trinh do hoc van", "trinh do van hoa"),
        example="Trung học phổ thông",
    ),
    Column(
        "technical_qualification",
        "Trình độ chuyên môn",
        ("trinh do chuyen mon", "chuyen mon", "trinh do chuyen mon ky thuat", "trinh do cmkt"),
        example="Đại học trở lên",
    ),
    Column(
        "it_competency",
        "Ứng dụng CNTT",
        ("ung dung cntt", "nang luc cntt", "cntt", "nang luc ung dung cntt"),
        help=L("Có / Không."),
        example="Có",
    ),
    Column(
        "digital_skill",
        "Kỹ năng số",
        ("ky nang so", "muc ky nang so"),
        help=L("0–4 hoặc tên mức."),
        example="1",
    ),
    Column("foreign_language", "Ngoại ngữ", ("ngoai ngu",), example="Cơ bản"),
    Column("life_skills", "Kỹ năng sống", ("ky nang song",), help=L("Có / Không."), example="Có"),
    Column(
        "literacy", "Biết chữ", ("biet chu", "muc do biet chu", "xoa mu chu"), example="Biết chữ mức độ 2"
    ),
]

ALLOWED = {
    "sex": "Nam, Nữ",
    "relation": _labels(Relation),
    "occupation": _labels(Occupation),
    "education_level": _labels(EducationLevel),
    "technical_qualification": _labels(TechnicalQualification),
    "digital_skill": "0, 1, 2, 3, 4 (" + _labels(DigitalSkill) + ")",
    "foreign_language": _labels(ForeignLanguage),
    "literacy": _labels(Literacy),
    "it_competency": "Có, Không",
    "life_skills": "Có, Không",
}

# Person columns the importer sets from a file column: column key -> db columns
_FIELD_COLUMNS = {
    "full_name": ("full_name", "name_folded", "name_sort"),
    "birth": ("birth_date", "birth_year"),
    "sex": ("sex",),
    "ethnicity": ("ethnicity",),
    "religion": ("religion",),
    "cccd": ("cccd",),
    "phone": ("phone",),
    "village": ("village_id", "unit_path"),
    "occupation": ("occupation",),
    "education_level": ("education_level",),
    "technical_qualification": ("technical_qualification",),
    "it_competency": ("it_competency",),
    "digital_skill": ("digital_skill",),
    "foreign_language": ("foreign_language",),
    "life_skills": ("life_skills",),
    "literacy": ("literacy",),
}
_VILLAGE_PREFIXES = (
    "thon ",
    "to dan pho ",
    "to ",
    "ban ",
    "buon ",
    "lang ",
    "khu pho ",
    "ap ",
    "khoi ",
    "xom ",
    "tdp ",
)


class VillageResolver:
    """Villages of one commune by code, by folded name, or by name without 'Thôn'/'Tổ dân phố'."""

    def __init__(self, commune: AdminUnit):
        self.commune = commune
        self.by_key: dict[str, tuple[int, str]] = {}
        short: dict[str, list[tuple[int, str]]] = {}
        qs = AdminUnit.objects.subtree(commune, include_self=False).filter(
            level=Level.VILLAGE, valid_to__isnull=True
        )
        for pk, code, name, path in qs.values_list("pk", "code", "name", "path"):
            v = (pk, path)
            self.by_key[fold(code)] = v
            self.by_key[fold(name)] = v
            f = fold(name)
            for p in _VILLAGE_PREFIXES:
                if f.startswith(p):
                    short.setdefault(f[len(p) :], []).append(v)
        for k, vs in short.items():
            if len(vs) == 1 and k not in self.by_key:
                self.by_key[k] = vs[0]
        self._cache: dict = {}

    def resolve(self, column: list, errors: nz.Issues) -> list[tuple[int, str] | None]:
        out = []
        for i, raw in enumerate(column):
            got = self._cache.get(raw, False)
            if got is False:
                got = self._one(raw)
                self._cache[raw] = got
            if isinstance(got, str):
                errors.append((i, got))
                out.append(None)
            else:
                out.append(got)
        return out

    def _one(self, raw):
        s = nz.text(raw)
        if not s:
            return _("Thiếu thôn/tổ dân phố.")
        hit = self.by_key.get(fold(s))
        if hit:
            return hit
        other = (
            AdminUnit.objects.filter(level=Level.VILLAGE, code__iexact=s).select_related("parent").first()
            or AdminUnit.objects.filter(level=Level.VILLAGE, name_folded=fold(s), valid_to__isnull=True)
            .exclude(parent=self.commune)
            .select_related("parent")
            .first()
        )
        if other is not None and other.parent_id != self.commune.pk:
            return _(
                "Thôn/tổ dân phố '%(v)s' thuộc %(other)s, không thuộc %(commune)s: chỉ được nhập vào xã đã chọn."
            ) % {"v": s, "other": other.parent.name if other.parent else "?", "commune": self.commune.name}
        if other is not None and other.valid_to is not None:
            return _("Thôn/tổ dân phố '%(v)s' đã thôi hoạt động (sáp nhập, giải thể).") % {"v": s}
        return _("Không có thôn/tổ dân phố '%(v)s' trong %(commune)s.") % {
            "v": s,
            "commune": self.commune.name,
        }


@dataclass
class _Household:
    id: int
    village: tuple[int, str]
    first_row: int
    address: str
    heads: list  # row numbers of the rows marked "Chủ hộ"
    head_pid: int | None
    existing: bool
    db_head: int | None = None
    db_address: str = ""
    db_village: int | None = None
    inserted: bool = False


class PeopleImport:
    """One import of a people/households file into one commune. ``run`` fills ``report``."""

    CHUNK = 50_000

    def __init__(
        self,
        *,
        commune: AdminUnit,
        writer: Writer | None,
        report: Report,
        require_household: bool = False,
        progress: Callable[[int], None] | None = None,
        file_label: str = "",
        today: dt.date | None = None,
    ):
        self.commune = commune
        self.w = writer  # None: dry run
        from .base import writer as make_writer

        self.r = writer or make_writer(bulk=False)  # reads, and the value forms the driver returns
        self.report = report
        self.require_household = require_household
        self.progress = progress
        self.today = today or dt.date.today()
        self.villages = VillageResolver(commune)
        self.reason = (_("Nhập từ tệp %(f)s") % {"f": file_label})[:200] if file_label else _("Nhập dữ liệu")
        self.seen_cccd: dict[str, int] = {}
        self.seen_ext: dict[str, int] = {}
        self.households: dict[str, _Household] = {}
        self.failed = False  # once a row is rejected, nothing more is written (the transaction rolls back)
        self.lo, self.hi = commune.path, commune.path[:-1] + chr(ord(commune.path[-1]) + 1)

    # ------------------------------------------------------------------ driver

    def run(self, table: Table) -> None:
        idx, labels, ignored = match_headers(table.headers, PEOPLE_COLUMNS, table.header_row)
        self.idx, self.labels = idx, labels
        if self.require_household and ("household" not in idx or "relation" not in idx):
            from .readers import ImportFileError

            raise ImportFileError(_("Tệp hộ gia đình cần cột 'Mã hộ' và cột 'Quan hệ với chủ hộ'."))
        for h in ignored:
            self.report.warning(table.header_row, h, _("Cột không được sử dụng, bỏ qua."))
        self._prepare_columns()
        row0 = table.header_row + 1
        for rows in table.chunks:
            self._chunk(rows, row0)
            row0 += len(rows)
            self.report.rows += len(rows)
            if self.progress:
                self.progress(len(rows))
        self._finish_households()
        if self.w:
            self.w.flush()
        if self.report.rows == 0:
            self.report.error(table.header_row, "", _("Tệp không có dòng dữ liệu nào sau dòng tiêu đề."))

    def _prepare_columns(self) -> None:
        present = set(self.idx)
        self.update_cols: list[str] = ["full_name", "name_folded", "name_sort"]
        for key, cols in _FIELD_COLUMNS.items():
            if key in present and key != "full_name":
                self.update_cols.extend(cols)
        if "external_id" in present:
            self.update_cols.append("external_id")
        skip = {
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
            "external_id",
        }
        self.defaults = model_defaults(Person, skip)
        self.insert_cols = [
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
            "external_id",
            *self.defaults,
        ]
        if self.w:
            now = self.w.now_value()
            self.tail = tuple(
                now if v == "__now__" else (self.w.boolean(v) if isinstance(v, bool) else v)
                for v in self.defaults.values()
            )
            hh_defaults = model_defaults(
                Household, {"id", "code", "village_id", "unit_path", "address", "head_id"}
            )
            self.hh_cols = ["id", "code", "village_id", "unit_path", "address", "head_id", *hh_defaults]
            self.hh_tail = tuple(now if v == "__now__" else v for v in hh_defaults.values())
            res_defaults = model_defaults(
                Residence, {"id", "person_id", "village_id", "valid_from", "valid_to", "reason"}
            )
            self.res_cols = ["person_id", "village_id", "valid_from", "valid_to", "reason", *res_defaults]
            self.res_tail = tuple(res_defaults.values())
            mem_defaults = model_defaults(
                HouseholdMember, {"id", "household_id", "person_id", "relation", "valid_from", "valid_to"}
            )
            self.mem_cols = ["household_id", "person_id", "relation", "valid_from", "valid_to", *mem_defaults]
            self.mem_tail = tuple(mem_defaults.values())

    # ------------------------------------------------------------------ one chunk

    def _col(self, rows: list[list], key: str, default=""):
        i = self.idx.get(key)
        if i is None:
            return None
        return [r[i] for r in rows]

    def _chunk(self, rows: list[list], row0: int) -> None:
        n = len(rows)
        rep = self.report
        issues: list[tuple[str, nz.Issues]] = []
        warns: list[tuple[str, nz.Issues]] = []

        def E(key):
            lst: nz.Issues = []
            issues.append((key, lst))
            return lst

        def W(key):
            lst: nz.Issues = []
            warns.append((key, lst))
            return lst

        # blank lines inside the file are skipped, not rejected
        blank = {j for j, r in enumerate(rows) if not any(r) and all(v in ("", None) for v in r)}

        empty = [""] * n
        col = self._col
        full, folded, sortk = nz.names(col(rows, "full_name"), E("full_name"))
        raw_birth = col(rows, "birth")
        bdate, byear = (
            nz.dates(raw_birth, E("birth"), today=self.today) if raw_birth is not None else (None, None)
        )
        raw_sex = col(rows, "sex")
        sex = nz.sexes(raw_sex, E("sex")) if raw_sex is not None else empty
        raw_cccd = col(rows, "cccd")
        cccd = (
            nz.cccds(raw_cccd, byear or [None] * n, sex, E("cccd"), W("cccd"))
            if raw_cccd is not None
            else None
        )
        raw_phone = col(rows, "phone")
        phone = nz.phones(raw_phone, E("phone"), W("phone")) if raw_phone is not None else None
        villages = self.villages.resolve(col(rows, "village"), E("village"))
        raw_ext = col(rows, "external_id")
        ext = nz.keys(raw_ext, E("external_id")) if raw_ext is not None else None
        raw_hh = col(rows, "household")
        hh = nz.keys(raw_hh, E("household")) if raw_hh is not None else None
        raw_rel = col(rows, "relation")
        rel = (
            nz.choices(raw_rel, RELATION_MAP, E("relation"), allowed=ALLOWED["relation"])
            if raw_rel is not None
            else None
        )
        raw_addr = col(rows, "address")
        addr = nz.texts(raw_addr, 255, E("address")) if raw_addr is not None else None

        def txt(key, maxlen, default=""):
            raw = col(rows, key)
            if raw is None:
                return None
            vals = nz.texts(raw, maxlen, E(key))
            return vals

        ethnicity = txt("ethnicity", 50)
        religion = txt("religion", 50)

        def ch(key, mapping, default):
            raw = col(rows, key)
            if raw is None:
                return None
            return nz.choices(raw, mapping, E(key), allowed=ALLOWED[key], default=default)

        occupation = ch("occupation", OCCUPATION_MAP, Occupation.OTHER)
        education = ch("education_level", EDUCATION_MAP, "")
        qualification = ch("technical_qualification", QUALIFICATION_MAP, TechnicalQualification.NONE)
        digital = ch("digital_skill", DIGITAL_MAP, DigitalSkill.NONE)
        language = ch("foreign_language", LANGUAGE_MAP, ForeignLanguage.NONE)
        literacy = ch("literacy", LITERACY_MAP, "")
        it = (
            nz.booleans(col(rows, "it_competency"), E("it_competency"))
            if "it_competency" in self.idx
            else None
        )
        life = nz.booleans(col(rows, "life_skills"), E("life_skills")) if "life_skills" in self.idx else None

        bad: set[int] = set()
        for key, lst in issues:
            if lst:
                label = self.labels.get(key, key)
                for j, msg in lst:
                    if j in blank:
                        continue
                    bad.add(j)
                    rep.error(row0 + j, label, msg)
        for key, lst in warns:
            label = self.labels.get(key, key)
            for j, msg in lst:
                if j not in blank:
                    rep.warning(row0 + j, label, msg)
        if self.require_household and hh is not None:
            hl = self.labels["household"]
            for j in range(n):
                if not hh[j] and j not in blank and j not in bad:
                    bad.add(j)
                    rep.error(row0 + j, hl, _("Thiếu mã hộ."))

        # ---- assemble rows, keys, duplicates inside the file
        b = self.r.boolean
        d = self.r.date
        seen_cccd, seen_ext = self.seen_cccd, self.seen_ext
        cl = self.labels.get("cccd", "")
        el = self.labels.get("external_id", "")
        commune_code = self.commune.code
        valid: list[int] = []
        values: list[tuple] = []
        keys: list[tuple] = []  # (cccd, ext, auto)
        for j in range(n):
            if j in bad or j in blank:
                continue
            rowno = row0 + j
            c = cccd[j] if cccd is not None else None
            e = (ext[j] or None) if ext is not None else None
            if c is not None:
                first = seen_cccd.get(c)
                if first is not None:
                    rep.error(
                        rowno,
                        cl,
                        _("Số CCCD %(v)s trùng với dòng %(first)d trong cùng tệp.")
                        % {"v": c, "first": first},
                    )
                    continue
                seen_cccd[c] = rowno
            if e is not None:
                first = seen_ext.get(e)
                if first is not None:
                    rep.error(
                        rowno,
                        el,
                        _("Mã công dân %(v)s trùng với dòng %(first)d trong cùng tệp.")
                        % {"v": e, "first": first},
                    )
                    continue
                seen_ext[e] = rowno
            auto = None
            if c is None and e is None:
                basis = (
                    f"{commune_code}|{villages[j][0]}|{hh[j] if hh is not None else ''}|{folded[j]}|"
                    f"{bdate[j] if bdate is not None else ''}|{byear[j] if byear is not None else ''}|{sex[j]}"
                )
                auto = "auto:" + hashlib.blake2b(basis.encode(), digest_size=12).hexdigest()
                first = seen_ext.get(auto)
                if first is not None:
                    rep.error(
                        rowno,
                        self.labels["full_name"],
                        _(
                            "Dòng trùng với dòng %(first)d (cùng họ tên, ngày sinh, giới tính, thôn, hộ; không có CCCD)."
                        )
                        % {"first": first},
                    )
                    continue
                seen_ext[auto] = rowno
            v = villages[j]
            values.append(
                (
                    full[j],
                    folded[j],
                    sortk[j],
                    d(bdate[j]) if bdate is not None else None,
                    byear[j] if byear is not None else None,
                    sex[j],
                    ethnicity[j] if ethnicity is not None else "Kinh",
                    religion[j] if religion is not None else "",
                    c,
                    phone[j] if phone is not None else "",
                    v[0],
                    v[1],
                    occupation[j] if occupation is not None else Occupation.OTHER,
                    education[j] if education is not None else "",
                    qualification[j] if qualification is not None else TechnicalQualification.NONE,
                    b(it[j]) if it is not None else b(False),
                    digital[j] if digital is not None else 0,
                    language[j] if language is not None else ForeignLanguage.NONE,
                    b(life[j]) if life is not None else b(False),
                    literacy[j] if literacy is not None else "",
                    e or auto,
                )
            )
            keys.append((c, e, auto))
            valid.append(j)

        # ---- existing people (upsert)
        existing = self._existing(keys, valid, row0) if valid else {}
        # ---- decide inserts and updates
        hh_rows = hh is not None
        new_vals: list[tuple] = []
        new_js: list[int] = []
        upd: list[tuple] = []
        moves: list[tuple[int, int]] = []  # (person id, new village id)
        pids: list[int | None] = [None] * n
        upd_pos = [self.insert_cols.index(c) - 1 for c in self.update_cols]
        ext_pos = self.update_cols.index("external_id") if "external_id" in self.update_cols else None
        for k, j in enumerate(valid):
            vals = values[k]
            ex = existing.get(j)
            if ex is None:
                new_vals.append(vals)
                new_js.append(j)
                continue
            if ex == "rejected":
                continue
            pid, current = ex
            pids[j] = pid
            wanted = [vals[p] for p in upd_pos]
            if ext_pos is not None and wanted[ext_pos] is None:
                wanted[ext_pos] = current[ext_pos]  # a row without a key keeps the key the person has
            wanted = tuple(wanted)
            if tuple(current) != wanted:
                upd.append((*wanted, pid))
                vi = self.update_cols.index("village_id") if "village_id" in self.update_cols else None
                if vi is not None and current[vi] != wanted[vi]:
                    moves.append((pid, wanted[vi]))
        rep.add(
            "people_unchanged",
            len(valid) - len(new_vals) - len(upd) - sum(1 for j in valid if existing.get(j) == "rejected"),
        )
        rep.add("people_created", len(new_vals))
        rep.add("people_updated", len(upd))

        if self.w and not self.failed and rep.error_count == 0:
            if new_vals:
                ids = self.w.next_ids("registry_person", len(new_vals))
                for pid, j in zip(ids, new_js, strict=True):
                    pids[j] = pid
        # ---- households
        memberships: list[tuple[int, int, str]] = []  # (household id, person id, relation)
        if hh_rows:
            self._households(rows, row0, valid, hh, rel, addr, villages, pids, memberships, bad)
        if rep.error_count or self.failed or not self.w:
            self.failed = self.failed or bool(rep.error_count)
            return
        # ---- write
        w = self.w
        if new_vals:
            tail = self.tail
            w.insert(
                "registry_person",
                self.insert_cols,
                [(pid, *vals, *tail) for pid, vals in zip(ids, new_vals, strict=True)],
            )
            rtail = (None, None, self.reason, *self.res_tail)
            w.insert(
                "registry_residence",
                self.res_cols,
                [(pid, vals[10], *rtail) for pid, vals in zip(ids, new_vals, strict=True)],
            )
        if upd:
            w.update(
                "registry_person",
                [*self.update_cols, "updated_at"],
                [(*u[:-1], w.now_value(), u[-1]) for u in upd],
            )
        if moves:
            self._moves(moves)
        new_hh = [h for h in self.households.values() if not h.existing and not h.inserted]
        if new_hh:
            w.insert(
                "registry_household",
                self.hh_cols,
                [
                    (h.id, code, h.village[0], h.village[1], h.address, h.head_pid, *self.hh_tail)
                    for code, h in self.households.items()
                    if not h.existing and not h.inserted
                ],
            )
            for h in new_hh:
                h.inserted = True
        if memberships:
            self._write_memberships(memberships)

    # ------------------------------------------------------------------ existing rows

    def _existing(self, keys: list[tuple], valid: list[int], row0: int) -> dict[int, object]:
        """Row index -> (person id, current values of the updated columns) or 'rejected'."""
        fetcher = self.r
        cols = ", ".join(["id", "unit_path", "cccd", "external_id", *self.update_cols])
        cccds = [k[0] for k in keys if k[0]]
        exts = [k[1] or k[2] for k in keys if (k[1] or k[2])]
        found_c: dict[str, tuple] = {}
        found_e: dict[str, tuple] = {}
        select = f"SELECT {cols} FROM registry_person WHERE "  # noqa: S608 - our own column names
        if cccds:
            for r in fetcher.fetch_in(select + "cccd IN ({})", cccds):
                found_c[r[2]] = r
        if exts:
            for r in fetcher.fetch_in(select + "external_id IN ({})", exts):
                found_e[r[3]] = r
        if not found_c and not found_e:
            return {}
        out: dict[int, object] = {}
        rep = self.report
        lo, hi = self.lo, self.hi
        for (c, e, auto), j in zip(keys, valid, strict=True):
            rc = found_c.get(c) if c else None
            re_ = found_e.get(e or auto) if (e or auto) else None
            hit = rc or re_
            if hit is None:
                continue
            rowno = row0 + j
            if rc and re_ and rc[0] != re_[0]:
                rep.error(
                    rowno,
                    self.labels.get("cccd", ""),
                    _("Số CCCD %(c)s thuộc một công dân khác với mã công dân %(e)s trong sổ.")
                    % {"c": c, "e": e},
                )
                out[j] = "rejected"
                continue
            if rc and e and rc[3] and rc[3] != e and not rc[3].startswith("auto:"):
                rep.error(
                    rowno,
                    self.labels.get("cccd", ""),
                    _("Số CCCD %(c)s đã có trong sổ với mã công dân khác (%(other)s).")
                    % {"c": c, "other": rc[3]},
                )
                out[j] = "rejected"
                continue
            if not (lo <= hit[1] < hi):
                field = (
                    self.labels.get("cccd", "")
                    if rc
                    else self.labels.get("external_id", self.labels["full_name"])
                )
                rep.error(
                    rowno,
                    field,
                    _("Công dân này (%(k)s) đã có trong sổ của đơn vị khác: không được nhập đè.")
                    % {"k": c or e or self.labels["full_name"]},
                )
                out[j] = "rejected"
                continue
            out[j] = (hit[0], list(hit[4:]))
        return out

    def _moves(self, moves: list[tuple[int, int]]) -> None:
        """People whose village changed: close the current residence, open a new one (history kept)."""
        w = self.w
        today = w.date(self.today)
        ids = [m[0] for m in moves]
        cur = w.fetch_in(
            "SELECT id FROM registry_residence WHERE valid_to IS NULL AND person_id IN ({})", ids
        )
        w.update("registry_residence", ["valid_to"], [(today, r[0]) for r in cur])
        w.insert(
            "registry_residence",
            self.res_cols,
            [(pid, vid, today, None, self.reason, *self.res_tail) for pid, vid in moves],
        )
        self.report.add("people_moved", len(moves))

    # ------------------------------------------------------------------ households

    def _households(self, rows, row0, valid, hh, rel, addr, villages, pids, memberships, bad) -> None:
        rep = self.report
        hl = self.labels["household"]
        rl = self.labels.get("relation", hl)
        known = self.households
        new_codes = list({hh[j] for j in valid if hh[j] and hh[j] not in known})
        if new_codes:
            found = {
                r[1]: r
                for r in self.r.fetch_in(
                    "SELECT id, code, unit_path, village_id, head_id, address FROM registry_household WHERE code IN ({})",
                    new_codes,
                )
            }
            fresh = [c for c in new_codes if c not in found]
            ids = (
                self.w.next_ids("registry_household", len(fresh))
                if (self.w and fresh and not rep.error_count)
                else [0] * len(fresh)
            )
            fresh_ids = dict(zip(fresh, ids, strict=True))
        else:
            found, fresh_ids = {}, {}
        for j in valid:
            code = hh[j]
            if not code:
                if rel is not None and rel[j]:
                    rep.error(row0 + j, rl, _("Có quan hệ với chủ hộ nhưng thiếu mã hộ."))
                continue
            rowno = row0 + j
            h = known.get(code)
            if h is None:
                f = found.get(code)
                if f is not None:
                    if not (self.lo <= f[2] < self.hi):
                        rep.error(rowno, hl, _("Mã hộ %(v)s đã thuộc một hộ của đơn vị khác.") % {"v": code})
                        continue
                    h = _Household(
                        id=f[0],
                        village=villages[j],
                        first_row=rowno,
                        address=addr[j] if addr else f[5],
                        heads=[],
                        head_pid=None,
                        existing=True,
                        db_head=f[4],
                        db_address=f[5],
                        db_village=f[3],
                    )
                else:
                    h = _Household(
                        id=fresh_ids.get(code, 0),
                        village=villages[j],
                        first_row=rowno,
                        address=addr[j] if addr else "",
                        heads=[],
                        head_pid=None,
                        existing=False,
                    )
                known[code] = h
            elif villages[j][0] != h.village[0]:
                rep.error(
                    rowno,
                    self.labels["village"],
                    _("Thành viên ở thôn khác với hộ %(code)s (dòng %(first)d).")
                    % {"code": code, "first": h.first_row},
                )
                continue
            r = rel[j] if rel is not None else None
            if not r:
                rep.error(rowno, rl, _("Thiếu quan hệ với chủ hộ."))
                continue
            if r == "chu_ho":
                h.heads.append(rowno)
                if len(h.heads) == 1:
                    h.head_pid = pids[j]
                    if h.inserted and self.w:  # the household row was written in an earlier chunk
                        self.w.update("registry_household", ["head_id"], [(pids[j], h.id)])
            if pids[j] is not None or not self.w:
                memberships.append((h.id, pids[j], r))

    def _write_memberships(self, memberships: list[tuple[int, int, str]]) -> None:
        """New memberships; a person already in another household leaves it (valid_to today)."""
        w = self.w
        pids = [m[1] for m in memberships]
        current = (
            {
                r[1]: r
                for r in w.fetch_in(
                    "SELECT id, person_id, household_id, relation FROM registry_householdmember "
                    "WHERE valid_to IS NULL AND person_id IN ({})",
                    pids,
                )
            }
            if self._any_existing_people(memberships)
            else {}
        )
        today = w.date(self.today)
        close, change, add = [], [], []
        for hid, pid, rel in memberships:
            cur = current.get(pid)
            if cur is None:
                add.append((hid, pid, rel, None, None, *self.mem_tail))
            elif cur[2] != hid:
                close.append((today, cur[0]))
                add.append((hid, pid, rel, today, None, *self.mem_tail))
            elif cur[3] != rel:
                change.append((rel, cur[0]))
        if close:
            w.update("registry_householdmember", ["valid_to"], close)
        if change:
            w.update("registry_householdmember", ["relation"], change)
        if add:
            w.insert("registry_householdmember", self.mem_cols, add)
        self.report.add("memberships_created", len(add))
        self.report.add("memberships_changed", len(close) + len(change))

    def _any_existing_people(self, memberships) -> bool:
        return (
            any(h.existing for h in self.households.values())
            or self.report.counts.get("people_updated", 0) > 0
            or self.report.counts.get("people_unchanged", 0) > 0
        )

    def _finish_households(self) -> None:
        rep = self.report
        if not self.households:
            return
        rl = self.labels.get("relation", self.labels.get("household", ""))
        created = updated = 0
        head_updates, addr_updates, village_updates = [], [], []
        for code, h in self.households.items():
            if not h.heads:
                if not (h.existing and h.db_head):
                    rep.error(
                        h.first_row, rl, _("Hộ %(code)s không có dòng nào là 'Chủ hộ'.") % {"code": code}
                    )
                    continue
            elif len(h.heads) > 1:
                rep.error(
                    h.heads[1],
                    rl,
                    _("Hộ %(code)s có nhiều hơn một chủ hộ (các dòng %(rows)s).")
                    % {"code": code, "rows": ", ".join(map(str, h.heads))},
                )
                continue
            if h.existing:
                changed = False
                if h.head_pid and h.head_pid != h.db_head:
                    head_updates.append((h.head_pid, h.id))
                    changed = True
                if "address" in self.idx and h.address != h.db_address:
                    addr_updates.append((h.address, h.id))
                    changed = True
                if h.village[0] != h.db_village:
                    village_updates.append((h.village[0], h.village[1], h.id))
                    changed = True
                updated += changed
            else:
                created += 1
        rep.add("households_created", created)
        rep.add("households_updated", updated)
        if self.w and not rep.error_count and not self.failed:
            if head_updates:
                self.w.update("registry_household", ["head_id"], head_updates)
            if addr_updates:
                self.w.update("registry_household", ["address"], addr_updates)
            if village_updates:
                self.w.update("registry_household", ["village_id", "unit_path"], village_updates)
