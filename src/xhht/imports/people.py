"""Import of people with their households (one row per person; a household is the rows sharing a "Mã hộ").

The fast path for a million rows works on whole columns, never row by row in Python: the file is
read by polars into one table of text columns; each column is normalised with vectorised string
operations, and what needs Python (Vietnamese name keys, dates, villages, choices) is computed once
per *distinct* value and mapped back; duplicates inside the file, households and their heads are
group-bys; existing people are fetched in bulk by key (CCCD, else the file's "Mã công dân", else a
key derived from the row) and compared column by column. New rows are written with ``executemany``
(SQLite) or ``COPY … (FORMAT csv)`` fed by polars (PostgreSQL), with ids allocated up front, so no
row goes through the ORM. A load that adds many rows to a small table rebuilds the tables' indexes
and foreign keys once at the end instead of maintaining them row by row (``bulkload.py``).

The same code runs for the dry run (nothing written) and for the commit (one transaction, rolled
back as a whole if any row is rejected); every rejected row is reported with its row number, the
column as written in the file and the reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import time
from collections.abc import Callable

import polars as pl
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
from .readers import Frame

L = gettext_lazy
log = logging.getLogger(__name__)


class _Phases:
    """Wall and CPU seconds per phase of one import, logged at DEBUG (``xhht.imports.people``)."""

    def __init__(self):
        self.t, self.c = time.perf_counter(), time.process_time()

    def __call__(self, name: str) -> None:
        t, c = time.perf_counter(), time.process_time()
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "import phase %s: %.2f s wall, %.2f s CPU, %s MiB resident",
                name,
                t - self.t,
                c - self.c,
                _resident_mib(),
            )
        self.t, self.c = t, c


def _resident_mib() -> str:
    """The process's resident memory now (Linux), for the phase log."""
    try:
        with open("/proc/self/statm") as f:
            return str(int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") >> 20)
    except (OSError, ValueError, IndexError):
        return "?"


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
        help=L("0–4 hoặc tên mức; để trống nếu chưa đánh giá (0 là đã đánh giá: chưa có)."),
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
    "digital_skill": "0, 1, 2, 3, 4 ("
    + ", ".join(str(label) for v, label in DigitalSkill.choices if v is not None)
    + "); để trống nếu chưa đánh giá",
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


# ---------------------------------------------------------------------- column helpers (polars)

_SCIENTIFIC_RE = nz._SCIENTIFIC.pattern  # Excel's 3.8E+10 (or 3,8E+10)


def _norm(s: pl.Series) -> pl.Series:
    """``normalize.text`` for a whole column: NFC, single spaces, trimmed."""
    return s.str.normalize("NFC").str.replace_all(r"\s+", " ").str.strip_chars()


def _by_value(s: pl.Series, fn: Callable, dtypes: list) -> list[pl.Series]:
    """``fn`` once per distinct value of ``s`` (it returns one value per dtype), mapped back to every row."""
    u = s.unique()
    results = [fn(v) for v in u.to_list()]
    out = []
    for k, dtype in enumerate(dtypes):
        new = pl.Series([r[k] for r in results], dtype=dtype)
        out.append(s.replace_strict(u, new, return_dtype=dtype))
    return out


def _one(fn, value, *args, **kwargs):
    """(value, error) of a list normaliser of ``normalize`` applied to one value."""
    errors: nz.Issues = []
    out = fn([value], errors, *args, **kwargs)
    return out[0], (errors[0][1] if errors else None)


def _choice_one(value, mapping: dict, allowed: str, default=None):
    return _one(
        lambda column, errors: nz.choices(column, mapping, errors, allowed=allowed, default=default), value
    )


def _too_long(s: pl.Series, max_length: int) -> pl.Series:
    msg = _("Quá dài: tối đa %(n)d ký tự.") % {"n": max_length}
    return pl.select(pl.when(s.str.len_chars() > max_length).then(pl.lit(msg)).otherwise(None)).to_series()


_SCHEMA = {
    "full_name": pl.String,
    "name_folded": pl.String,
    "name_sort": pl.String,
    "birth_date": pl.Date,
    "birth_year": pl.Int32,
    "sex": pl.String,
    "ethnicity": pl.String,
    "religion": pl.String,
    "cccd": pl.String,
    "phone": pl.String,
    "village_id": pl.Int64,
    "unit_path": pl.String,
    "occupation": pl.String,
    "education_level": pl.String,
    "technical_qualification": pl.String,
    "it_competency": pl.Boolean,
    "digital_skill": pl.Int32,
    "foreign_language": pl.String,
    "life_skills": pl.Boolean,
    "literacy": pl.String,
    "external_id": pl.String,
}


def _empty(table: str) -> bool:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(f"SELECT 1 FROM {table} LIMIT 1")  # noqa: S608 - our own table names
        return cur.fetchone() is None


class PeopleImport:
    """One import of a people/households file into one commune. ``run`` fills ``report``."""

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

        self.r = writer or make_writer(bulk=False)  # reads
        self.report = report
        self.require_household = require_household
        self.progress = progress
        self.today = today or dt.date.today()
        self.villages = VillageResolver(commune)
        self.reason = (_("Nhập từ tệp %(f)s") % {"f": file_label})[:200] if file_label else _("Nhập dữ liệu")
        self.lo, self.hi = commune.path, commune.path[:-1] + chr(ord(commune.path[-1]) + 1)
        self.new_names: list[tuple[str, str]] = []  # (name_sort, name_folded) of the people inserted
        self.names_by_trigger = True  # PostgreSQL's trigger adds them, except in bulk-load mode

    # ------------------------------------------------------------------ driver

    def run(self, table: Frame) -> None:
        # millions of short-lived tuples and strings pass through here, none in reference cycles:
        # the cyclic collector would only walk them again and again (about a tenth of the time)
        import gc

        enabled = gc.isenabled()
        gc.disable()
        try:
            self._run(table)
        finally:
            if enabled:
                gc.enable()

    def _run(self, table: Frame) -> None:
        idx, labels, ignored = match_headers(table.headers, PEOPLE_COLUMNS, table.header_row)
        self.idx, self.labels = idx, labels
        if self.require_household and ("household" not in idx or "relation" not in idx):
            from .readers import ImportFileError

            raise ImportFileError(_("Tệp hộ gia đình cần cột 'Mã hộ' và cột 'Quan hệ với chủ hộ'."))
        for h in ignored:
            self.report.warning(table.header_row, h, _("Cột không được sử dụng, bỏ qua."))
        df = table.df
        self.report.rows = df.height
        text_cols = [c for c in df.columns if c != "_row"]
        blank = (
            df.select(pl.all_horizontal([pl.col(c).str.strip_chars() == "" for c in text_cols])).to_series()
            if text_cols and df.height
            else pl.Series([True] * df.height, dtype=pl.Boolean)
        )
        if df.height == 0 or bool(blank.all()):
            self.report.error(table.header_row, "", _("Tệp không có dòng dữ liệu nào sau dòng tiêu đề."))
            return
        phase = self._phase = _Phases()
        v = self._columns(df, blank)
        phase("columns")
        table.df = df = blank = None  # the raw text is no longer needed: free it before the writes
        total = self.report.rows
        half = total // 2
        if self.progress:
            self.progress(half)
        self._rest = total - half
        v = self._duplicates(v)
        phase("duplicates")
        v = self._existing(v)
        phase("existing")
        self._households_and_write(v)
        self._tick(1.0)  # a dry run (or a rejected file) ends here too
        self.report.errors.sort(key=lambda i: i.row)

    def _tick(self, share: float) -> None:
        if self.progress and self._rest:
            step = min(self._rest, max(1, int(self._rest * share)))
            self._rest -= step
            self.progress(step)

    # ------------------------------------------------------------------ columns

    def _columns(self, df: pl.DataFrame, blank: pl.Series) -> pl.DataFrame:
        """Normalise every column; report rejected cells; return the valid rows with typed columns."""
        n = df.height
        rep = self.report
        idx = self.idx
        errs: list[tuple[str, pl.Series]] = []
        warns: list[tuple[str, pl.Series]] = []

        def raw(key: str) -> pl.Series | None:
            i = idx.get(key)
            return df[f"c{i}"] if i is not None else None

        out: dict[str, pl.Series] = {"_row": df["_row"]}
        # names
        full = _norm(raw("full_name"))

        def name_one(v: str):
            errors: nz.Issues = []
            _names, (f,), (s,) = nz.names([v], errors)
            return f, s, (errors[0][1] if errors else None)

        folded, sortk, name_err = _by_value(full, name_one, [pl.String, pl.String, pl.String])
        errs.append(("full_name", name_err))
        out.update(full_name=full, name_folded=folded, name_sort=sortk)
        # dates
        braw = raw("birth")
        if braw is not None:
            today = self.today
            bdate, byear, berr = _by_value(
                braw, lambda v: nz._parse_date(v, today), [pl.Date, pl.Int32, pl.String]
            )
            errs.append(("birth", berr))
        else:
            bdate = pl.Series([None] * n, dtype=pl.Date)
            byear = pl.Series([None] * n, dtype=pl.Int32)
        out.update(birth_date=bdate, birth_year=byear)
        # sex
        sraw = raw("sex")
        if sraw is not None:
            sex, serr = _by_value(sraw, lambda v: _one(nz.sexes, v), [pl.String, pl.String])
            errs.append(("sex", serr))
        else:
            sex = pl.Series([""] * n, dtype=pl.String)
        out["sex"] = sex
        # CCCD: the common case (12 valid digits agreeing with birth year and sex) stays vectorised
        craw = raw("cccd")
        if craw is not None:
            cent = craw.str.slice(3, 1).cast(pl.Int32, strict=False)
            yy = craw.str.slice(4, 2).cast(pl.Int32, strict=False)
            frame = pl.DataFrame({"c": craw, "cent": cent, "yy": yy, "y": byear, "s": sex})
            ok = frame.select(
                pl.col("c").str.contains(r"^[0-9]{12}$")
                & pl.col("c").str.slice(0, 3).is_in(sorted(nz.CCCD_PROVINCES))
                & (pl.col("cent") <= 7)
                & (pl.col("y").is_null() | ((pl.col("cent") // 2) * 100 + 1900 + pl.col("yy") == pl.col("y")))
                & (
                    (pl.col("s") == "")
                    | (
                        pl.col("s")
                        == pl.when(pl.col("cent") % 2 == 0).then(pl.lit("M")).otherwise(pl.lit("F"))
                    )
                )
            ).to_series()
            ok = ok.fill_null(False)
            slow = (~ok & (craw != "")).arg_true().to_list()
            values = pl.select(pl.when(ok).then(craw).otherwise(None)).to_series()
            cerr = [None] * n
            cwarn = [None] * n
            if slow:
                raws, years, sexes_ = craw.gather(slow), byear.gather(slow), sex.gather(slow)
                fixed = values.to_list()
                for j, r_, y_, s_ in zip(
                    slow, raws.to_list(), years.to_list(), sexes_.to_list(), strict=True
                ):
                    val, e_, w_ = nz.cccd_one(r_, y_, s_)
                    fixed[j], cerr[j], cwarn[j] = val, e_, w_
                values = pl.Series(fixed, dtype=pl.String)
            errs.append(("cccd", pl.Series(cerr, dtype=pl.String)))
            warns.append(("cccd", pl.Series(cwarn, dtype=pl.String)))
            out["cccd"] = values
        else:
            out["cccd"] = pl.Series([None] * n, dtype=pl.String)
        # phone
        praw = raw("phone")
        if praw is not None:
            fast = praw.str.contains(r"^0[0-9]{9}$") | (praw == "")

            def phone_one(v):
                e_: nz.Issues = []
                w_: nz.Issues = []
                got = nz.phones([v], e_, w_)[0]
                return got, (e_[0][1] if e_ else None), (w_[0][1] if w_ else None)

            if bool(fast.all()):
                out["phone"] = praw
            else:
                pv, perr, pwarn = _by_value(praw, phone_one, [pl.String, pl.String, pl.String])
                out["phone"] = pv
                errs.append(("phone", perr))
                warns.append(("phone", pwarn))
        else:
            out["phone"] = pl.Series([""] * n, dtype=pl.String)
        # village
        resolver = self.villages

        def village_one(v):
            got = resolver._one(v)
            return (None, None, got) if isinstance(got, str) else (got[0], got[1], None)

        vid, vpath, verr = _by_value(raw("village"), village_one, [pl.Int64, pl.String, pl.String])
        errs.append(("village", verr))
        out.update(village_id=vid, unit_path=vpath)

        # codes
        def key_col(key):
            r_ = raw(key)
            if r_ is None:
                return None
            s_ = _norm(r_)
            sci = s_.str.contains(_SCIENTIFIC_RE)
            long_ = s_.str.len_chars() > 64
            msg = pl.select(
                pl.when(long_).then(pl.lit(_("Quá dài: tối đa %(n)d ký tự.") % {"n": 64})).otherwise(None)
            ).to_series()
            if sci.any():  # rare: the whole sentence per value, so a translation can order its words
                template = _("Mã bị Excel đổi sang dạng số mũ (%(v)s): hãy định dạng cột là Văn bản (Text).")
                rows_ = sci.arg_true()
                msg = msg.scatter(rows_, pl.Series([template % {"v": x} for x in s_.gather(rows_).to_list()]))
            errs.append((key, msg))
            return pl.select(pl.when(sci | long_).then(pl.lit("")).otherwise(s_)).to_series()

        ext = key_col("external_id")
        out["external_id"] = (
            pl.select(pl.when(ext == "").then(None).otherwise(ext)).to_series()
            if ext is not None
            else pl.Series([None] * n, dtype=pl.String)
        )
        hh = key_col("household")
        out["household"] = hh if hh is not None else pl.Series([""] * n, dtype=pl.String)
        self.has_household = hh is not None
        rraw = raw("relation")
        if rraw is not None:
            allowed = ALLOWED["relation"]
            rel, rerr = _by_value(
                rraw, lambda v: _choice_one(v, RELATION_MAP, allowed), [pl.String, pl.String]
            )
            errs.append(("relation", rerr))
        else:
            rel = pl.Series([None] * n, dtype=pl.String)
        out["relation"] = rel

        def text_col(key, max_length, default):
            r_ = raw(key)
            if r_ is None:
                return pl.Series([default] * n, dtype=pl.String)
            s_ = _norm(r_)
            errs.append((key, _too_long(s_, max_length)))
            return s_

        out["address"] = text_col("address", 255, "")
        out["ethnicity"] = text_col("ethnicity", 50, "Kinh")
        out["religion"] = text_col("religion", 50, "")

        def choice_col(key, mapping, default, dtype=pl.String):
            r_ = raw(key)
            if r_ is None:
                return pl.Series([default] * n, dtype=dtype)
            allowed = ALLOWED[key]
            val, err = _by_value(r_, lambda v: _choice_one(v, mapping, allowed, default), [dtype, pl.String])
            errs.append((key, err))
            return val

        out["occupation"] = choice_col("occupation", OCCUPATION_MAP, str(Occupation.OTHER))
        out["education_level"] = choice_col("education_level", EDUCATION_MAP, "")
        out["technical_qualification"] = choice_col(
            "technical_qualification", QUALIFICATION_MAP, str(TechnicalQualification.NONE)
        )
        # blank (or no such column): not assessed — NULL, never level 0 ("Chưa có")
        out["digital_skill"] = choice_col("digital_skill", DIGITAL_MAP, None, pl.Int32)
        out["foreign_language"] = choice_col("foreign_language", LANGUAGE_MAP, str(ForeignLanguage.NONE))
        out["literacy"] = choice_col("literacy", LITERACY_MAP, "")

        def bool_col(key):
            r_ = raw(key)
            if r_ is None:
                return pl.Series([False] * n, dtype=pl.Boolean)
            val, err = _by_value(r_, lambda v: _one(nz.booleans, v), [pl.Boolean, pl.String])
            errs.append((key, err))
            return val

        out["it_competency"] = bool_col("it_competency")
        out["life_skills"] = bool_col("life_skills")

        # ---- report the rejected cells (blank lines are skipped, not rejected)
        rows = df["_row"]
        bad = pl.Series([False] * n, dtype=pl.Boolean)
        for key, s_ in errs:
            if s_.null_count() == n:
                continue
            hit = s_.is_not_null() & ~blank
            if not hit.any():
                continue
            bad = bad | hit
            label = self.labels.get(key, key)
            for r_, m_ in zip(rows.filter(hit).to_list(), s_.filter(hit).to_list(), strict=True):
                rep.error(r_, label, m_)
        for key, s_ in warns:
            hit = s_.is_not_null() & ~blank
            if not hit.any():
                continue
            label = self.labels.get(key, key)
            for r_, m_ in zip(rows.filter(hit).to_list(), s_.filter(hit).to_list(), strict=True):
                rep.warning(r_, label, m_)
        if self.require_household and hh is not None:
            missing = (hh == "") & ~blank & ~bad
            if missing.any():
                hl = self.labels["household"]
                for r_ in rows.filter(missing).to_list():
                    rep.error(r_, hl, _("Thiếu mã hộ."))
                bad = bad | missing
        return pl.DataFrame(out).filter(~bad & ~blank)

    # ------------------------------------------------------------------ duplicates inside the file

    def _duplicates(self, v: pl.DataFrame) -> pl.DataFrame:
        rep = self.report

        def drop_repeats(frame, key, label, template, **extra):
            has = pl.col(key).is_not_null()
            first = pl.col("_row").min().over(key)
            marked = frame.with_columns(_first=pl.when(has).then(first).otherwise(None))
            dup = marked.filter(pl.col("_first").is_not_null() & (pl.col("_row") != pl.col("_first")))
            for r_, k_, f_ in dup.select("_row", key, "_first").iter_rows():
                rep.error(r_, label, template % {"v": k_, "first": f_, **extra})
            return marked.filter(pl.col("_first").is_null() | (pl.col("_row") == pl.col("_first"))).drop(
                "_first"
            )

        if "cccd" in self.idx:
            v = drop_repeats(
                v,
                "cccd",
                self.labels.get("cccd", ""),
                _("Số CCCD %(v)s trùng với dòng %(first)d trong cùng tệp."),
            )
        if "external_id" in self.idx:
            v = drop_repeats(
                v,
                "external_id",
                self.labels.get("external_id", ""),
                _("Mã công dân %(v)s trùng với dòng %(first)d trong cùng tệp."),
            )
        # no CCCD and no code: a key derived from the row (re-importing the same row finds it again)
        keyless = v["cccd"].is_null() & v["external_id"].is_null()
        auto = [None] * v.height
        if keyless.any():
            present = "birth" in self.idx

            def part(col):
                c = pl.col(col).cast(pl.String)
                return c.fill_null("None") if present else pl.lit("")

            basis = (
                v.filter(keyless)
                .select(
                    pl.concat_str(
                        [
                            pl.lit(self.commune.code),
                            pl.col("village_id").cast(pl.String),
                            pl.col("household"),
                            pl.col("name_folded"),
                            part("birth_date"),
                            part("birth_year"),
                            pl.col("sex"),
                        ],
                        separator="|",
                    )
                )
                .to_series()
            )
            blake = hashlib.blake2b
            keys = ["auto:" + blake(b.encode(), digest_size=12).hexdigest() for b in basis.to_list()]
            for j, k in zip(keyless.arg_true().to_list(), keys, strict=True):
                auto[j] = k
        v = v.with_columns(_auto=pl.Series(auto, dtype=pl.String))
        v = drop_repeats(
            v,
            "_auto",
            self.labels["full_name"],
            _("Dòng trùng với dòng %(first)d (cùng họ tên, ngày sinh, giới tính, thôn, hộ; không có CCCD)."),
        )
        return v.with_columns(_key=pl.coalesce("external_id", "_auto"))

    # ------------------------------------------------------------------ people already in the registry

    def _existing(self, v: pl.DataFrame) -> pl.DataFrame:
        """Adds ``_pid`` (the existing person's id) and ``_change`` (an updated column differs);
        rows that may not be matched are reported and removed."""
        present = set(self.idx)
        self.update_cols = ["full_name", "name_folded", "name_sort"]
        for key, cols in _FIELD_COLUMNS.items():
            if key in present and key != "full_name":
                self.update_cols.extend(cols)
        if "external_id" in present:
            self.update_cols.append("external_id")
        cols = [
            "id",
            "unit_path",
            "cccd",
            "external_id",
            *[c for c in self.update_cols if c != "external_id"],
        ]
        cols = list(dict.fromkeys(cols))
        select = f"SELECT {', '.join(cols)} FROM registry_person WHERE "  # noqa: S608 - our own column names
        schema = {"id": pl.Int64, **{c: _SCHEMA[c] for c in cols if c != "id"}}
        cccds = v["cccd"].drop_nulls().to_list()
        keys = v["_key"].drop_nulls().to_list()
        if _empty("registry_person"):  # a first load: nobody to look up
            cccds = keys = []
        found = []
        if cccds:
            found += self.r.fetch_in(select + "cccd IN ({})", cccds)
        if keys:
            found += self.r.fetch_in(select + "external_id IN ({})", keys)
        if not found:
            return v.with_columns(
                _pid=pl.lit(None, dtype=pl.Int64), _change=pl.lit(False), _moved=pl.lit(False)
            )
        ex = pl.DataFrame(found, schema=schema, orient="row").unique("id")
        by_c = ex.filter(pl.col("cccd").is_not_null()).select(
            pl.col("cccd"), pl.col("id").alias("_idc"), pl.col("external_id").alias("_extc")
        )
        by_e = ex.filter(pl.col("external_id").is_not_null()).select(
            pl.col("external_id").alias("_key"), pl.col("id").alias("_ide")
        )
        v = v.join(by_c, on="cccd", how="left", maintain_order="left").join(
            by_e, on="_key", how="left", maintain_order="left"
        )
        v = v.with_columns(_pid=pl.coalesce("_idc", "_ide"))
        paths = ex.select(pl.col("id").alias("_pid"), pl.col("unit_path").alias("_path"))
        v = v.join(paths, on="_pid", how="left", maintain_order="left")
        rep = self.report
        cl = self.labels.get("cccd", "")
        other_owner = (
            pl.col("_idc").is_not_null() & pl.col("_ide").is_not_null() & (pl.col("_idc") != pl.col("_ide"))
        )
        other_code = (
            pl.col("_idc").is_not_null()
            & pl.col("external_id").is_not_null()
            & pl.col("_extc").is_not_null()
            & (pl.col("_extc") != pl.col("external_id"))
            & ~pl.col("_extc").str.starts_with("auto:")
        )
        elsewhere = pl.col("_pid").is_not_null() & ~(
            (pl.col("_path") >= self.lo) & (pl.col("_path") < self.hi)
        )
        v = v.with_columns(
            _why=pl.when(other_owner)
            .then(pl.lit(1))
            .when(other_code)
            .then(pl.lit(2))
            .when(elsewhere)
            .then(pl.lit(3))
            .otherwise(None)
        )
        for r_, why, c_, e_, extc in (
            v.filter(pl.col("_why").is_not_null())
            .select("_row", "_why", "cccd", "external_id", "_extc")
            .iter_rows()
        ):
            if why == 1:
                rep.error(
                    r_,
                    cl,
                    _("Số CCCD %(c)s thuộc một công dân khác với mã công dân %(e)s trong sổ.")
                    % {"c": c_, "e": e_},
                )
            elif why == 2:
                rep.error(
                    r_,
                    cl,
                    _("Số CCCD %(c)s đã có trong sổ với mã công dân khác (%(other)s).")
                    % {"c": c_, "other": extc},
                )
            else:
                field = cl if c_ else self.labels.get("external_id", self.labels["full_name"])
                rep.error(
                    r_,
                    field,
                    _("Công dân này (%(k)s) đã có trong sổ của đơn vị khác: không được nhập đè.")
                    % {"k": c_ or e_ or self.labels["full_name"]},
                )
        v = v.filter(pl.col("_why").is_null()).drop("_idc", "_ide", "_extc", "_path", "_why")
        # what changes for the people found
        current = ex.select(
            pl.col("id").alias("_pid"), *[pl.col(c).alias(f"_cur_{c}") for c in self.update_cols]
        )
        v = v.join(current, on="_pid", how="left", maintain_order="left")
        if "external_id" in self.update_cols:  # a row without a code keeps the person's code
            v = v.with_columns(
                external_id=pl.when(pl.col("_pid").is_not_null() & pl.col("external_id").is_null())
                .then(pl.col("_cur_external_id"))
                .otherwise(pl.col("external_id"))
            )
        change = pl.lit(False)
        for c in self.update_cols:
            change = change | pl.col(c).ne_missing(pl.col(f"_cur_{c}"))
        v = v.with_columns(
            _change=pl.col("_pid").is_not_null() & change,
            _moved=pl.col("_pid").is_not_null() & pl.col("village_id").ne_missing(pl.col("_cur_village_id")),
        )
        return v.drop([f"_cur_{c}" for c in self.update_cols])

    # ------------------------------------------------------------------ households, then the writes

    def _households_and_write(self, v: pl.DataFrame) -> None:
        rep = self.report
        v = v.with_columns(_is_new=pl.col("_pid").is_null())
        n_new = int(v["_is_new"].sum())
        n_changed = int(v["_change"].sum())
        rep.add("people_unchanged", v.height - n_new - n_changed)
        rep.add("people_created", n_new)
        rep.add("people_updated", n_changed)
        if self.w is not None and rep.error_count == 0 and n_new:
            ids = self.w.next_ids("registry_person", n_new)
            pid = v["_pid"].scatter(v["_is_new"].arg_true(), pl.Series(ids, dtype=pl.Int64))
            v = v.with_columns(_pid=pid)
        households = self._households(v) if self.has_household else None
        if rep.error_count or not self.w:
            return
        self._tick(0.2)
        # read what the writes compare with before any index is set aside
        known = v.filter(~pl.col("_is_new") & pl.col("_pid").is_not_null())["_pid"].to_list()
        self._current_members = (
            self.w.fetch_in(
                "SELECT id, person_id, household_id, relation FROM registry_householdmember "
                "WHERE valid_to IS NULL AND person_id IN ({})",
                known,
            )
            if known and households is not None
            else []
        )
        moved = v.filter(pl.col("_change") & pl.col("_moved"))["_pid"].to_list()
        self._current_residences = (
            [
                r[0]
                for r in self.w.fetch_in(
                    "SELECT id FROM registry_residence WHERE valid_to IS NULL AND person_id IN ({})", moved
                )
            ]
            if moved
            else []
        )
        from . import bulkload

        phase = self._phase
        phase("households")
        with bulkload.bulk_mode(new_rows=n_new, writer=self.w) as bulk:
            self.names_by_trigger = not bulk
            phase("bulk mode on")
            if n_new:
                self._insert_people(v.filter(pl.col("_is_new")))
                phase("people written")
            self._tick(0.5)
            if n_changed:
                self._update_people(v.filter(pl.col("_change")))
            if households is not None:
                self._write_households(v, households)
                phase("households written")
            self._tick(0.5)
        phase("indexes rebuilt")
        # written in SQL and COPY, no signals: the commune's indicators are refreshed on commit
        # (rows of other communes are refused, so the commune's path is every path touched)
        from xhht.analytics import hooks

        labels = ["registry.Person"]
        if households is not None:
            labels += ["registry.Household", "registry.HouseholdMember"]
        hooks.registry_written(model_label=labels, unit_paths=[self.commune.path])
        self._tick(1.0)

    def _insert_people(self, new: pl.DataFrame) -> None:
        w = self.w
        person_cols = [c for c in _SCHEMA if c != "external_id"]
        frame = new.select(pl.col("_pid").alias("id"), *person_cols, pl.col("_key").alias("external_id"))
        skip = set(frame.columns)
        constants = {c: (w.now if v == "__now__" else v) for c, v in model_defaults(Person, skip).items()}
        w.insert_frame("registry_person", frame, constants)
        res_constants = {
            c: v for c, v in model_defaults(Residence, {"id", "person_id", "village_id", "reason"}).items()
        }
        res_constants["reason"] = self.reason
        w.insert_frame(
            "registry_residence",
            new.select(pl.col("_pid").alias("person_id"), pl.col("village_id")),
            res_constants,
            derived_from=("registry_person", {"person_id": "id", "village_id": "village_id"}),
        )
        self.new_names.extend(new.select("name_sort", "name_folded").unique().iter_rows())

    def _update_people(self, changed: pl.DataFrame) -> None:
        w = self.w
        now = w.now_value()
        rows = [(*r[:-1], now, r[-1]) for r in changed.select(*self.update_cols, "_pid").iter_rows()]
        w.update("registry_person", [*self.update_cols, "updated_at"], rows)
        moved = changed.filter(pl.col("_moved"))
        if moved.height:
            self._moves(list(moved.select("_pid", "village_id").iter_rows()))

    def _moves(self, moves: list[tuple[int, int]]) -> None:
        """People whose village changed: close the current residence, open a new one (history kept)."""
        w = self.w
        today = w.date(self.today)
        ids = [m[0] for m in moves]
        w.update("registry_residence", ["valid_to"], [(today, rid) for rid in self._current_residences])
        constants = model_defaults(Residence, {"id", "person_id", "village_id", "valid_from", "reason"})
        constants["reason"] = self.reason
        frame = pl.DataFrame(
            {"person_id": ids, "village_id": [m[1] for m in moves]},
            schema={"person_id": pl.Int64, "village_id": pl.Int64},
        ).with_columns(valid_from=pl.lit(self.today))
        w.insert_frame("registry_residence", frame, constants)
        self.report.add("people_moved", len(moves))

    def _households(self, v: pl.DataFrame) -> pl.DataFrame | None:
        """Check the households of the file; returns one row per household to write (or None)."""
        rep = self.report
        hl = self.labels["household"]
        rl = self.labels.get("relation", hl)
        orphan = v.filter((pl.col("household") == "") & pl.col("relation").is_not_null())
        for (r_,) in orphan.select("_row").iter_rows():
            rep.error(r_, rl, _("Có quan hệ với chủ hộ nhưng thiếu mã hộ."))
        m = v.filter(pl.col("household") != "")
        if m.height == 0:
            return None
        codes = [] if _empty("registry_household") else m["household"].unique().to_list()
        found = self.r.fetch_in(
            "SELECT id, code, unit_path, village_id, head_id, address FROM registry_household WHERE code IN ({})",
            codes,
        )
        db = pl.DataFrame(
            found,
            schema={
                "_hid": pl.Int64,
                "household": pl.String,
                "_hpath": pl.String,
                "_hvillage": pl.Int64,
                "_hhead": pl.Int64,
                "_haddress": pl.String,
            },
            orient="row",
        )
        m = m.join(db, on="household", how="left", maintain_order="left")
        foreign = pl.col("_hid").is_not_null() & ~(
            (pl.col("_hpath") >= self.lo) & (pl.col("_hpath") < self.hi)
        )
        for r_, code in m.filter(foreign).select("_row", "household").iter_rows():
            rep.error(r_, hl, _("Mã hộ %(v)s đã thuộc một hộ của đơn vị khác.") % {"v": code})
        m = m.filter(~foreign)
        # the first row of a household gives its village (and address); the others must agree
        m = m.with_columns(
            _first=pl.col("_row").min().over("household"),
            _fvillage=pl.col("village_id").first().over("household"),
        )
        other_village = m.filter(pl.col("village_id") != pl.col("_fvillage"))
        vl = self.labels["village"]
        for r_, code, first in other_village.select("_row", "household", "_first").iter_rows():
            rep.error(
                r_,
                vl,
                _("Thành viên ở thôn khác với hộ %(code)s (dòng %(first)d).")
                % {"code": code, "first": first},
            )
        m = m.filter(pl.col("village_id") == pl.col("_fvillage"))
        for (r_,) in m.filter(pl.col("relation").is_null()).select("_row").iter_rows():
            rep.error(r_, rl, _("Thiếu quan hệ với chủ hộ."))
        m = m.filter(pl.col("relation").is_not_null())
        self._members = m.select(pl.col("_hid"), "household", "_pid", "relation")
        has_address = "address" in self.idx
        hh = m.group_by("household", maintain_order=True).agg(
            _first=pl.col("_first").first(),
            village_id=pl.col("village_id").first(),
            unit_path=pl.col("unit_path").first(),
            address=pl.col("address").first(),
            heads=pl.col("_row").filter(pl.col("relation") == "chu_ho"),
            head_id=pl.col("_pid").filter(pl.col("relation") == "chu_ho").first(),
            _hid=pl.col("_hid").first(),
            _hvillage=pl.col("_hvillage").first(),
            _hhead=pl.col("_hhead").first(),
            _haddress=pl.col("_haddress").first(),
        )
        rl2 = self.labels.get("relation", self.labels.get("household", ""))
        nheads = hh["heads"].list.len()
        for code, first, hhead in hh.filter(nheads == 0).select("household", "_first", "_hhead").iter_rows():
            if hhead is None:
                rep.error(first, rl2, _("Hộ %(code)s không có dòng nào là 'Chủ hộ'.") % {"code": code})
        for code, heads in hh.filter(nheads > 1).select("household", "heads").iter_rows():
            rep.error(
                heads[1],
                rl2,
                _("Hộ %(code)s có nhiều hơn một chủ hộ (các dòng %(rows)s).")
                % {"code": code, "rows": ", ".join(map(str, heads))},
            )
        existing = hh.filter(pl.col("_hid").is_not_null())
        head_change = pl.col("head_id").is_not_null() & pl.col("head_id").ne_missing(pl.col("_hhead"))
        addr_change = pl.lit(has_address) & pl.col("address").ne_missing(pl.col("_haddress"))
        village_change = pl.col("village_id").ne_missing(pl.col("_hvillage"))
        existing = existing.with_columns(_hc=head_change, _ac=addr_change, _vc=village_change)
        rep.add(
            "households_created",
            hh.height
            - existing.height
            - int((hh.filter(pl.col("_hid").is_null())["heads"].list.len() != 1).sum()),
        )
        rep.add(
            "households_updated",
            int(existing.select((pl.col("_hc") | pl.col("_ac") | pl.col("_vc")).sum()).item()),
        )
        if not has_address:
            hh = hh.with_columns(address=pl.coalesce("_haddress", pl.lit("")))
        return hh.with_columns(
            _hc=head_change.fill_null(False),
            _ac=addr_change.fill_null(False),
            _vc=village_change.fill_null(False),
        )

    def _write_households(self, v: pl.DataFrame, hh: pl.DataFrame) -> None:
        w = self.w
        fresh = hh.filter(pl.col("_hid").is_null())
        if fresh.height:
            ids = w.next_ids("registry_household", fresh.height)
            fresh = fresh.with_columns(id=pl.Series(ids, dtype=pl.Int64))
            constants = model_defaults(
                Household, {"id", "code", "village_id", "unit_path", "address", "head_id"}
            )
            constants = {c: (w.now if x == "__now__" else x) for c, x in constants.items()}
            w.insert_frame(
                "registry_household",
                fresh.select(
                    "id", pl.col("household").alias("code"), "village_id", "unit_path", "address", "head_id"
                ),
                constants,
            )
            hid = fresh.select("household", pl.col("id").alias("_new_hid"))
        else:
            hid = pl.DataFrame(schema={"household": pl.String, "_new_hid": pl.Int64})
        old = hh.filter(pl.col("_hid").is_not_null())
        if old.height:
            heads = old.filter(pl.col("_hc")).select("head_id", "_hid").rows()
            if heads:
                w.update("registry_household", ["head_id"], heads)
            if "address" in self.idx:
                addrs = old.filter(pl.col("_ac")).select("address", "_hid").rows()
                if addrs:
                    w.update("registry_household", ["address"], addrs)
            moved = old.filter(pl.col("_vc")).select("village_id", "unit_path", "_hid").rows()
            if moved:
                w.update("registry_household", ["village_id", "unit_path"], moved)
        members = self._members.join(hid, on="household", how="left", maintain_order="left").select(
            pl.coalesce("_hid", "_new_hid").alias("household_id"),
            pl.col("_pid").alias("person_id"),
            "relation",
        )
        self._write_memberships(v, members)

    def _write_memberships(self, v: pl.DataFrame, members: pl.DataFrame) -> None:
        """New memberships; a person already in another household leaves it (valid_to today)."""
        w = self.w
        current = pl.DataFrame(
            self._current_members,
            schema={"_mid": pl.Int64, "person_id": pl.Int64, "_mh": pl.Int64, "_mrel": pl.String},
            orient="row",
        )
        m = members.join(current, on="person_id", how="left", maintain_order="left")
        today = w.date(self.today)
        close = [
            (today, mid)
            for (mid,) in m.filter(pl.col("_mid").is_not_null() & (pl.col("_mh") != pl.col("household_id")))
            .select("_mid")
            .iter_rows()
        ]
        change = (
            m.filter(
                pl.col("_mid").is_not_null()
                & (pl.col("_mh") == pl.col("household_id"))
                & (pl.col("_mrel") != pl.col("relation"))
            )
            .select("relation", "_mid")
            .rows()
        )
        add = m.filter(pl.col("_mid").is_null() | (pl.col("_mh") != pl.col("household_id")))
        add = add.with_columns(
            valid_from=pl.when(pl.col("_mid").is_null())
            .then(pl.lit(None, dtype=pl.Date))
            .otherwise(pl.lit(self.today))
        ).select("household_id", "person_id", "relation", "valid_from")
        if close:
            w.update("registry_householdmember", ["valid_to"], close)
        if change:
            w.update("registry_householdmember", ["relation"], change)
        if add.height:
            constants = model_defaults(
                HouseholdMember, {"id", "household_id", "person_id", "relation", "valid_from"}
            )
            w.insert_frame("registry_householdmember", add, constants)
        self.report.add("memberships_created", add.height)
        self.report.add("memberships_changed", len(close) + len(change))
