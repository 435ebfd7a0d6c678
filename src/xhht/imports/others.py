"""Importers for the smaller registries: clans (with their households), organisations (with their
staff) and study-promotion association members. Their files hold thousands of rows, not millions:
they are read whole, normalised column by column like people, and written with ``bulk_create``
(no per-row signals; the service records one bulk audit event)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xhht.core.fields import subtree_q
from xhht.core.text import fold, normalize
from xhht.geo.models import AdminUnit
from xhht.registry.models import (
    AssociationBranch,
    AssociationMember,
    Clan,
    ClanHousehold,
    Household,
    Organisation,
    OrgKind,
    OrgLevel,
    OrgMembership,
    Person,
    StaffCategory,
)

from . import normalize as nz
from .base import Column, Report, Writer, match_headers
from .people import VillageResolver, _labels
from .readers import Table

L = gettext_lazy

PERSON_REF = [
    Column(
        "cccd",
        "Số CCCD",
        ("cccd", "so cccd", "so can cuoc", "so dinh danh ca nhan", "so cmnd/cccd"),
        help=L("Số CCCD của người đã có trong sổ công dân (hoặc dùng cột Mã công dân)."),
        example="051185000123",
    ),
    Column("external_id", "Mã công dân", ("ma cong dan", "ma dinh danh"), example="CD000001"),
    Column(
        "full_name",
        "Họ và tên",
        ("ho ten", "ho va ten"),
        help=L("Để đối chiếu; không bắt buộc."),
        example="Nguyễn Thị Hoa",
    ),
]

CLAN_COLUMNS = [
    Column(
        "code",
        "Mã dòng họ",
        ("ma dong ho", "ma ho toc"),
        help=L("Mã riêng của dòng họ trong tệp."),
        example="DH-001",
    ),
    Column(
        "name", "Tên dòng họ", ("ten dong ho", "dong ho", "ho toc"), required=True, example="Họ Nguyễn Văn"
    ),
    Column(
        "household",
        "Mã hộ",
        ("ma ho", "ma ho gia dinh"),
        required=True,
        help=L("Mỗi dòng một hộ thuộc dòng họ; hộ phải có trong sổ hộ gia đình của xã."),
        example="HGD-0001",
    ),
    Column(
        "head",
        "CCCD trưởng dòng họ",
        ("cccd truong dong ho", "truong dong ho", "ma cong dan truong dong ho"),
        help=L("Số CCCD hoặc mã công dân của trưởng dòng họ."),
        example="051185000123",
    ),
]

ORG_COLUMNS = [
    Column(
        "code", "Mã đơn vị", ("ma don vi", "ma co quan", "ma co quan don vi"), required=True, example="DV-001"
    ),
    Column(
        "name",
        "Tên đơn vị",
        ("ten don vi", "ten co quan", "ten co quan, don vi", "co quan don vi"),
        required=True,
        example="Trường THCS Đăk Mar",
    ),
    Column(
        "kind", "Loại hình", ("loai hinh", "loai don vi"), required=True, example=str(OrgKind.SCHOOL.label)
    ),
    Column("level", "Cấp", ("cap", "cap quan ly"), example=str(OrgLevel.COMMUNE.label)),
    Column("tax_code", "Mã số thuế", ("ma so thue", "mst"), example=""),
    Column(
        "village",
        "Thôn/Tổ dân phố",
        ("thon", "to dan pho", "thon/to"),
        help=L("Để trống nếu đơn vị ở cấp xã."),
        example="",
    ),
    *PERSON_REF,
    Column(
        "category",
        "Loại nhân sự",
        ("loai nhan su", "loai", "ngach"),
        example=str(StaffCategory.PUBLIC_EMPLOYEE.label),
    ),
    Column("position", "Chức vụ", ("chuc vu", "chuc danh"), example="Giáo viên"),
    Column("valid_from", "Từ ngày", ("tu ngay", "ngay vao", "ngay bat dau"), example="01/09/2020"),
]

ASSOCIATION_COLUMNS = [
    Column(
        "branch",
        "Chi hội",
        ("chi hoi", "ten chi hoi", "hoi khuyen hoc", "chi hoi khuyen hoc"),
        required=True,
        help=L("Tên chi hội; chưa có thì được tạo mới trong xã."),
        example="Chi hội Khuyến học thôn 1",
    ),
    *PERSON_REF,
    Column(
        "is_officer", "Là cán bộ hội", ("la can bo hoi", "can bo hoi"), help=L("Có / Không."), example="Không"
    ),
    Column("position", "Chức vụ trong hội", ("chuc vu trong hoi", "chuc vu"), example="Hội viên"),
    Column("joined", "Ngày vào hội", ("ngay vao hoi", "ngay gia nhap"), example="15/03/2022"),
]

KIND_MAP = nz.choice_map(
    OrgKind,
    {
        "truong": "truong_hoc",
        "truong hoc": "truong_hoc",
        "htx": "hop_tac_xa",
        "doanh nghiep": "doanh_nghiep",
        "co quan": "co_quan",
        "don vi su nghiep": "su_nghiep",
    },
)
LEVEL_MAP = nz.choice_map(OrgLevel, {"xa": "xa", "phuong": "xa", "tinh": "tinh", "huyen": "huyen"})
CATEGORY_MAP = nz.choice_map(StaffCategory, {"lao dong": "nguoi_lao_dong", "nld": "nguoi_lao_dong"})


def _written(labels: list[str], commune: AdminUnit) -> None:
    """``bulk_create`` and ``update`` send no signals: the commune's indicators are refreshed when the
    import commits (rows of other communes are refused, so the commune's path is every path touched)."""
    from xhht.analytics import hooks

    hooks.registry_written(model_label=labels, unit_paths=[commune.path])


class _SmallImport:
    COLUMNS: list[Column] = []

    def __init__(
        self,
        *,
        commune: AdminUnit,
        writer: Writer | None,
        report: Report,
        progress: Callable[[int], None] | None = None,
        file_label: str = "",
        today: dt.date | None = None,
    ):
        self.commune = commune
        self.commit = writer is not None
        self.report = report
        self.progress = progress
        self.today = today or dt.date.today()
        self.in_commune = subtree_q(commune.path, "unit_path")

    def run(self, table: Table) -> None:
        self.idx, self.labels, ignored = match_headers(table.headers, self.COLUMNS, table.header_row)
        for h in ignored:
            self.report.warning(table.header_row, h, _("Cột không được sử dụng, bỏ qua."))
        rows: list[list] = []
        for chunk in table.chunks:
            rows.extend(chunk)
            if self.progress:
                self.progress(len(chunk))
        self.row0 = table.header_row + 1
        self.rows = [r for r in rows]
        self.report.rows = len(rows)
        if not rows:
            self.report.error(table.header_row, "", _("Tệp không có dòng dữ liệu nào sau dòng tiêu đề."))
            return
        self.blank = {j for j, r in enumerate(rows) if all(v in ("", None) for v in r)}
        self.process()

    def col(self, key: str):
        i = self.idx.get(key)
        return None if i is None else [r[i] for r in self.rows]

    def errs(self, key: str, issues: nz.Issues) -> None:
        for j, msg in issues:
            if j not in self.blank:
                self.report.error(self.row0 + j, self.labels.get(key, key), msg)

    def warns(self, key: str, issues: nz.Issues) -> None:
        for j, msg in issues:
            if j not in self.blank:
                self.report.warning(self.row0 + j, self.labels.get(key, key), msg)

    def people_refs(self, required: bool) -> list[int | None]:
        """Resolve the person columns (CCCD or Mã công dân) to people of the commune."""
        n = len(self.rows)
        e: nz.Issues = []
        w: nz.Issues = []
        raw_c = self.col("cccd")
        cccd = nz.cccds(raw_c, [None] * n, [""] * n, e, w) if raw_c is not None else [None] * n
        self.errs("cccd", e)
        self.warns("cccd", w)
        e = []
        raw_e = self.col("external_id")
        ext = nz.keys(raw_e, e) if raw_e is not None else [""] * n
        self.errs("external_id", e)
        names = self.col("full_name")
        by_c = (
            dict(Person.objects.filter(cccd__in=[c for c in cccd if c]).values_list("cccd", "pk"))
            if any(cccd)
            else {}
        )
        by_e = (
            dict(
                Person.objects.filter(external_id__in=[x for x in ext if x]).values_list("external_id", "pk")
            )
            if any(ext)
            else {}
        )
        ids = set(by_c.values()) | set(by_e.values())
        info = {
            p: (path, nf)
            for p, path, nf in Person.objects.filter(pk__in=ids).values_list("pk", "unit_path", "name_folded")
        }
        out: list[int | None] = []
        label = self.labels.get("cccd") or self.labels.get("external_id") or _("Số CCCD")
        for j in range(n):
            if j in self.blank:
                out.append(None)
                continue
            c, x = cccd[j], ext[j]
            if not c and not x:
                if required and (raw_c is None or raw_c[j] in ("", None)):
                    self.report.error(self.row0 + j, label, _("Cần số CCCD hoặc mã công dân của người này."))
                out.append(None)
                continue
            pk = by_c.get(c) if c else by_e.get(x)
            if pk is None:
                self.report.error(
                    self.row0 + j,
                    label,
                    _("Không có công dân %(k)s trong sổ: hãy nhập sổ công dân trước.") % {"k": c or x},
                )
                out.append(None)
                continue
            path, nf = info[pk]
            if not path.startswith(self.commune.path):
                self.report.error(
                    self.row0 + j, label, _("Công dân %(k)s thuộc sổ của đơn vị khác.") % {"k": c or x}
                )
                out.append(None)
                continue
            if names is not None and nz.text(names[j]) and fold(nz.text(names[j])) != nf:
                self.report.warning(
                    self.row0 + j,
                    self.labels.get("full_name", ""),
                    _("Họ tên '%(n)s' khác với họ tên trong sổ của công dân %(k)s.")
                    % {"n": nz.text(names[j]), "k": c or x},
                )
            out.append(pk)
        return out

    def process(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class ClanImport(_SmallImport):
    COLUMNS = CLAN_COLUMNS

    def process(self) -> None:
        rep = self.report
        e: nz.Issues = []
        names = nz.texts(self.col("name"), 200, e)
        self.errs("name", e)
        e = []
        codes = nz.keys(self.col("code"), e) if "code" in self.idx else [""] * len(self.rows)
        self.errs("code", e)
        e = []
        hh = nz.keys(self.col("household"), e)
        self.errs("household", e)
        heads_raw = self.col("head")
        households = {
            c: (pk, path)
            for pk, c, path in Household.objects.filter(code__in=[h for h in hh if h]).values_list(
                "pk", "code", "unit_path"
            )
        }
        clans: dict[str, dict] = {}
        seen_hh: dict[str, int] = {}
        for j in range(len(self.rows)):
            if j in self.blank or (self.row0 + j) in rep.bad_rows:
                continue
            rowno = self.row0 + j
            if not names[j]:
                rep.error(rowno, self.labels["name"], _("Thiếu tên dòng họ."))
                continue
            key = codes[j] or "name:" + fold(names[j])
            clan = clans.setdefault(
                key,
                {"name": names[j], "code": codes[j] or None, "households": [], "head": None, "row": rowno},
            )
            if heads_raw is not None and nz.text(heads_raw[j]):
                clan["head"] = (rowno, nz.text(heads_raw[j]))
            if not hh[j]:
                rep.error(rowno, self.labels["household"], _("Thiếu mã hộ."))
                continue
            h = households.get(hh[j])
            if h is None:
                rep.error(
                    rowno,
                    self.labels["household"],
                    _("Không có hộ mã %(v)s trong sổ hộ gia đình.") % {"v": hh[j]},
                )
                continue
            if not h[1].startswith(self.commune.path):
                rep.error(rowno, self.labels["household"], _("Hộ %(v)s thuộc đơn vị khác.") % {"v": hh[j]})
                continue
            if hh[j] in seen_hh:
                rep.error(
                    rowno,
                    self.labels["household"],
                    _("Hộ %(v)s đã có ở dòng %(r)d.") % {"v": hh[j], "r": seen_hh[hh[j]]},
                )
                continue
            seen_hh[hh[j]] = rowno
            clan["households"].append(h[0])
        # heads
        head_keys = [c["head"][1] for c in clans.values() if c["head"]]
        head_pk = {}
        if head_keys:
            for pk, cccd, _ext, path in Person.objects.filter(cccd__in=head_keys).values_list(
                "pk", "cccd", "external_id", "unit_path"
            ):
                head_pk[cccd] = (pk, path)
            for pk, _cccd, ext, path in Person.objects.filter(external_id__in=head_keys).values_list(
                "pk", "cccd", "external_id", "unit_path"
            ):
                head_pk[ext] = (pk, path)
        for c in clans.values():
            if c["head"]:
                got = head_pk.get(c["head"][1])
                if got is None or not got[1].startswith(self.commune.path):
                    rep.error(
                        c["head"][0],
                        self.labels["head"],
                        _("Không có công dân %(k)s trong sổ của xã.") % {"k": c["head"][1]},
                    )
                    c["head_id"] = None
                else:
                    c["head_id"] = got[0]
        if not rep.ok or not self.commit:
            self._count(clans, dry=True)
            return
        self._write(clans)

    def _existing(self, clans):
        qs = Clan.objects.filter(self.in_commune)
        by_code = {
            c.external_id: c
            for c in qs.filter(external_id__in=[c["code"] for c in clans.values() if c["code"]])
        }
        by_name = {c.name_folded: c for c in qs.filter(external_id__isnull=True)}
        return by_code, by_name

    def _count(self, clans, dry):
        by_code, by_name = self._existing(clans)
        for c in clans.values():
            found = by_code.get(c["code"]) if c["code"] else by_name.get(fold(c["name"]))
            self.report.add("clans_existing" if found else "clans_created")

    def _write(self, clans) -> None:
        by_code, by_name = self._existing(clans)
        rep = self.report
        for c in clans.values():
            clan = by_code.get(c["code"]) if c["code"] else by_name.get(fold(c["name"]))
            name = normalize(c["name"])
            if clan is None:
                clan = Clan(
                    name=name,
                    name_folded=fold(name),
                    commune=self.commune,
                    unit_path=self.commune.path,
                    head_id=c.get("head_id"),
                    external_id=c["code"],
                )
                Clan.objects.bulk_create([clan])
                rep.add("clans_created")
            else:
                changes = {}
                if clan.name != name:
                    changes.update(name=name, name_folded=fold(name))
                if c.get("head_id") and clan.head_id != c["head_id"]:
                    changes["head_id"] = c["head_id"]
                if changes:
                    Clan.objects.filter(pk=clan.pk).update(**changes)
                    rep.add("clans_updated")
            current = set(
                ClanHousehold.objects.filter(clan=clan, valid_to__isnull=True).values_list(
                    "household_id", flat=True
                )
            )
            new = [ClanHousehold(clan=clan, household_id=h) for h in c["households"] if h not in current]
            ClanHousehold.objects.bulk_create(new)
            rep.add("clan_households_created", len(new))
        _written(["registry.Clan", "registry.ClanHousehold"], self.commune)


class OrganisationImport(_SmallImport):
    COLUMNS = ORG_COLUMNS

    def process(self) -> None:
        rep = self.report
        n = len(self.rows)
        e: nz.Issues = []
        codes = nz.keys(self.col("code"), e)
        self.errs("code", e)
        e = []
        names = nz.texts(self.col("name"), 255, e)
        self.errs("name", e)
        e = []
        kinds = nz.choices(self.col("kind"), KIND_MAP, e, allowed=_labels(OrgKind))
        self.errs("kind", e)
        e = []
        levels = (
            nz.choices(self.col("level"), LEVEL_MAP, e, allowed=_labels(OrgLevel), default=OrgLevel.COMMUNE)
            if "level" in self.idx
            else [OrgLevel.COMMUNE] * n
        )
        self.errs("level", e)
        e = []
        tax = nz.texts(self.col("tax_code"), 20, e) if "tax_code" in self.idx else [""] * n
        self.errs("tax_code", e)
        villages: list = [None] * n
        if "village" in self.idx:
            raw = self.col("village")
            e = []
            resolver = VillageResolver(self.commune)
            nonempty = [j for j in range(n) if nz.text(raw[j])]
            got = resolver.resolve([raw[j] for j in nonempty], e)
            for k, j in enumerate(nonempty):
                villages[j] = got[k]
            self.errs("village", [(nonempty[k], m) for k, m in e])
        has_staff = "cccd" in self.idx or "external_id" in self.idx
        persons = self.people_refs(required=False) if has_staff else [None] * n
        e = []
        cats = (
            nz.choices(
                self.col("category"),
                CATEGORY_MAP,
                e,
                allowed=_labels(StaffCategory),
                default=StaffCategory.WORKER,
            )
            if "category" in self.idx
            else [StaffCategory.WORKER] * n
        )
        self.errs("category", e)
        e = []
        positions = nz.texts(self.col("position"), 150, e) if "position" in self.idx else [""] * n
        self.errs("position", e)
        e = []
        starts = (
            nz.dates(self.col("valid_from"), e, today=self.today, year_only_ok=False)[0]
            if "valid_from" in self.idx
            else [None] * n
        )
        self.errs("valid_from", e)
        orgs: dict[str, dict] = {}
        seen_staff: dict[tuple, int] = {}
        for j in range(n):
            rowno = self.row0 + j
            if j in self.blank or rowno in rep.bad_rows:
                continue
            if not codes[j]:
                rep.error(rowno, self.labels["code"], _("Thiếu mã đơn vị."))
                continue
            o = orgs.get(codes[j])
            if o is None:
                if not names[j] or not kinds[j]:
                    rep.error(
                        rowno,
                        self.labels["name" if not names[j] else "kind"],
                        _("Thiếu tên hoặc loại hình đơn vị."),
                    )
                    continue
                o = orgs[codes[j]] = {
                    "name": names[j],
                    "kind": kinds[j],
                    "level": levels[j],
                    "tax": tax[j],
                    "unit": villages[j],
                    "staff": [],
                    "row": rowno,
                }
            elif names[j] and fold(names[j]) != fold(o["name"]):
                rep.error(
                    rowno,
                    self.labels["name"],
                    _("Mã đơn vị %(c)s đã dùng cho '%(n)s' ở dòng %(r)d.")
                    % {"c": codes[j], "n": o["name"], "r": o["row"]},
                )
                continue
            if persons[j]:
                k = (codes[j], persons[j])
                if k in seen_staff:
                    rep.error(
                        rowno,
                        self.labels.get("cccd") or self.labels.get("external_id"),
                        _("Người này đã có ở dòng %(r)d của cùng đơn vị.") % {"r": seen_staff[k]},
                    )
                    continue
                seen_staff[k] = rowno
                o["staff"].append((persons[j], cats[j], positions[j], starts[j]))
        existing = {o.external_id: o for o in Organisation.objects.filter(external_id__in=list(orgs))}
        for code, o in orgs.items():
            ex = existing.get(code)
            if ex is not None and not ex.unit_path.startswith(self.commune.path):
                rep.error(
                    o["row"],
                    self.labels["code"],
                    _("Mã đơn vị %(c)s thuộc đơn vị hành chính khác.") % {"c": code},
                )
        if not rep.ok or not self.commit:
            for code in orgs:
                rep.add("organisations_existing" if code in existing else "organisations_created")
            return
        unit_paths = dict(
            AdminUnit.objects.filter(pk__in=[o["unit"][0] for o in orgs.values() if o["unit"]]).values_list(
                "pk", "path"
            )
        )
        for code, o in orgs.items():
            org = existing.get(code)
            unit_id = o["unit"][0] if o["unit"] else self.commune.pk
            path = unit_paths.get(unit_id, self.commune.path)
            name = normalize(o["name"])
            if org is None:
                org = Organisation(
                    name=name,
                    name_folded=fold(name),
                    kind=o["kind"],
                    level=o["level"],
                    unit_id=unit_id,
                    unit_path=path,
                    tax_code=o["tax"],
                    external_id=code,
                )
                Organisation.objects.bulk_create([org])
                rep.add("organisations_created")
            else:
                changes = {
                    k: v
                    for k, v in {
                        "name": name,
                        "name_folded": fold(name),
                        "kind": o["kind"],
                        "level": o["level"],
                        "unit_id": unit_id,
                        "unit_path": path,
                        "tax_code": o["tax"],
                    }.items()
                    if getattr(org, k) != v
                }
                if changes:
                    Organisation.objects.filter(pk=org.pk).update(**changes)
                    rep.add("organisations_updated")
            current = {
                m.person_id: m for m in OrgMembership.objects.filter(organisation=org, valid_to__isnull=True)
            }
            new = []
            for pid, cat, pos, start in o["staff"]:
                m = current.get(pid)
                if m is None:
                    new.append(
                        OrgMembership(
                            organisation=org, person_id=pid, category=cat, position=pos, valid_from=start
                        )
                    )
                elif (m.category, m.position, m.valid_from) != (cat, pos, start or m.valid_from):
                    OrgMembership.objects.filter(pk=m.pk).update(
                        category=cat, position=pos, valid_from=start or m.valid_from
                    )
                    rep.add("staff_updated")
            OrgMembership.objects.bulk_create(new)
            rep.add("staff_created", len(new))
        _written(["registry.Organisation", "registry.OrgMembership"], self.commune)


class AssociationImport(_SmallImport):
    COLUMNS = ASSOCIATION_COLUMNS

    def process(self) -> None:
        rep = self.report
        n = len(self.rows)
        e: nz.Issues = []
        branches = nz.texts(self.col("branch"), 255, e)
        self.errs("branch", e)
        persons = self.people_refs(required=True)
        e = []
        officer = nz.booleans(self.col("is_officer"), e) if "is_officer" in self.idx else [False] * n
        self.errs("is_officer", e)
        e = []
        positions = nz.texts(self.col("position"), 150, e) if "position" in self.idx else [""] * n
        self.errs("position", e)
        e = []
        joined = (
            nz.dates(self.col("joined"), e, today=self.today, year_only_ok=False)[0]
            if "joined" in self.idx
            else [None] * n
        )
        self.errs("joined", e)
        items = []
        seen: dict[tuple, int] = {}
        for j in range(n):
            rowno = self.row0 + j
            if j in self.blank or rowno in rep.bad_rows or persons[j] is None:
                continue
            if not branches[j]:
                rep.error(rowno, self.labels["branch"], _("Thiếu tên chi hội."))
                continue
            k = (fold(branches[j]), persons[j])
            if k in seen:
                rep.error(
                    rowno,
                    self.labels.get("cccd") or self.labels.get("external_id"),
                    _("Người này đã có ở dòng %(r)d trong cùng chi hội.") % {"r": seen[k]},
                )
                continue
            seen[k] = rowno
            items.append((branches[j], persons[j], officer[j], positions[j], joined[j]))
        existing_branches = {fold(b.name): b for b in AssociationBranch.objects.filter(self.in_commune)}
        if not rep.ok or not self.commit:
            rep.add("members_checked", len(items))
            return
        for bname in {fold(i[0]): i[0] for i in items}.items():
            if bname[0] not in existing_branches:
                b = AssociationBranch(
                    name=normalize(bname[1]), unit=self.commune, unit_path=self.commune.path
                )
                AssociationBranch.objects.bulk_create([b])
                existing_branches[bname[0]] = b
                rep.add("branches_created")
        current = {
            (m.branch_id, m.person_id): m
            for m in AssociationMember.objects.filter(
                branch__in=list(existing_branches.values()), left__isnull=True
            )
        }
        new = []
        for bname, pid, is_off, pos, joined_on in items:
            b = existing_branches[fold(bname)]
            m = current.get((b.pk, pid))
            if m is None:
                new.append(
                    AssociationMember(
                        person_id=pid,
                        branch=b,
                        unit_path=b.unit_path,
                        is_officer=is_off,
                        position=pos,
                        joined=joined_on,
                    )
                )
            elif (m.is_officer, m.position, m.joined) != (is_off, pos, joined_on or m.joined):
                AssociationMember.objects.filter(pk=m.pk).update(
                    is_officer=is_off, position=pos, joined=joined_on or m.joined
                )
                rep.add("members_updated")
        AssociationMember.objects.bulk_create(new)
        rep.add("members_created", len(new))
        _written(["registry.AssociationMember"], self.commune)
