"""Loads the official map: the 2025 structure (PyPI ``vietnam-provinces``), the legacy structure and
the old→new conversion (PyPI ``vietnamadminunits``). Idempotent: a second run changes nothing.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from xhht.core.text import fold, normalize, vi_sort_key

from .models import LEGACY_END, REFORM_DATE, AdminUnit, Kind, Level, SuccessionKind, UnitSuccession

COUNTRY_PATH = "VN/"

_NEW_PROVINCE_KIND = {"thành phố trung ương": Kind.CENTRAL_CITY, "tỉnh": Kind.PROVINCE}
_NEW_WARD_KIND = {"xã": Kind.COMMUNE, "phường": Kind.WARD, "đặc khu": Kind.SPECIAL_ZONE}
_LEGACY_WARD_KIND = {"Xã": Kind.COMMUNE, "Phường": Kind.WARD, "Thị trấn": Kind.TOWNSHIP}
_LEGACY_DISTRICT_KIND = {
    "Huyện": Kind.RURAL_DISTRICT,
    "Quận": Kind.URBAN_DISTRICT,
    "Thị xã": Kind.TOWN,
    "Thành phố": Kind.PROVINCIAL_CITY,
}


@dataclass
class Row:
    path: str
    parent_path: str | None
    code: str
    name: str
    kind: str
    level: int
    valid_from: object = None
    valid_to: object = None
    latitude: float | None = None
    longitude: float | None = None
    source: str = ""


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    successions_created: int = 0


def new_province_path(code: str) -> str:
    return f"VN/{int(code):02d}/"


def new_commune_path(pcode: str, wcode: str) -> str:
    return f"VN/{int(pcode):02d}/{int(wcode):05d}/"


def legacy_province_path(code: str) -> str:
    return f"VN/L{int(code):02d}/"


def _read_sources():
    import vietnam_provinces
    import vietnamadminunits

    nested = json.loads(Path(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH).read_text(encoding="utf-8"))
    base = Path(vietnamadminunits.__file__).parent / "data"
    conn = sqlite3.connect(f"file:{base / 'dataset.db'}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    legacy = [dict(r) for r in conn.execute("SELECT * FROM admin_units_legacy")]
    new_geo = [dict(r) for r in conn.execute("SELECT * FROM admin_units")]
    conn.close()
    converter = json.loads((base / "converter_2025.json").read_text(encoding="utf-8"))
    return nested, legacy, new_geo, converter, vietnam_provinces.__version__, vietnamadminunits


def _loose(name: str) -> str:
    """Name key that ignores diacritics, tone placement (Thuỷ/Thủy) and punctuation (' ’ - –)."""
    return re.sub(r"[^a-z0-9]+", "", fold(name))


def match_new_wards(nested, new_geo) -> list[str]:
    """For each vietnamadminunits ward row, the path of the same ward in vietnam-provinces."""
    by_name: dict[tuple[int, str], list[str]] = {}
    by_exact: dict[tuple[int, str], str] = {}
    codes: set[str] = set()
    for p in nested:
        for w in p["wards"]:
            path = new_commune_path(p["code"], w["code"])
            by_name.setdefault((p["code"], _loose(w["name"])), []).append(path)
            by_exact[(p["code"], normalize(w["name"]))] = path
            codes.add(path)
    out: list[str] = []
    used: set[str] = set()
    for r in new_geo:
        pcode = int(r["provinceCode"])
        cands = by_name.get((pcode, _loose(r["ward"])), [])
        path = by_exact.get((pcode, normalize(r["ward"])))
        if path is None and len(cands) == 1:
            path = cands[0]
        if path is None:
            by_code = new_commune_path(r["provinceCode"], r["wardCode"])
            path = by_code if by_code in codes else None
        if path is None or path in used:
            raise ValueError(f"Không ghép được phường/xã {r['ward']} ({r['wardCode']}) giữa hai bộ dữ liệu")
        used.add(path)
        out.append(path)
    return out


def build_rows():
    """All official units as rows plus the succession pairs (old path, new path, partial, default)."""
    nested, legacy, new_geo, converter, vp_version, _ = _read_sources()
    src_new = f"vietnam-provinces {vp_version}"
    src_old = "vietnamadminunits (legacy 63/696/10040)"
    # The two packages agree on the 3,321 wards but not always on their codes (47 differ, mostly in
    # Hà Nội and Cao Bằng). Official codes and names come from vietnam-provinces; coordinates and the
    # old->new conversion of vietnamadminunits are joined to them by province and name.
    matched = match_new_wards(nested, new_geo)
    geo_by_path = dict(zip(matched, new_geo, strict=True))
    prov_geo = {int(r["provinceCode"]): r for r in new_geo}
    rows: list[Row] = [Row(COUNTRY_PATH, None, "VN", "Việt Nam", Kind.COUNTRY, Level.COUNTRY, source="")]

    for p in nested:
        pcode = f"{p['code']:02d}"
        pg = prov_geo.get(p["code"], {})
        pkind = _NEW_PROVINCE_KIND[p["division_type"]]
        pname = p["name"] if pkind != Kind.PROVINCE or p["name"].startswith("Tỉnh") else f"Tỉnh {p['name']}"
        rows.append(
            Row(
                new_province_path(pcode),
                COUNTRY_PATH,
                pcode,
                pname,
                pkind,
                Level.PROVINCE,
                REFORM_DATE,
                None,
                pg.get("provinceLat"),
                pg.get("provinceLon"),
                src_new,
            )
        )
        for w in p["wards"]:
            g = geo_by_path.get(new_commune_path(pcode, w["code"]), {})
            rows.append(
                Row(
                    new_commune_path(pcode, w["code"]),
                    new_province_path(pcode),
                    f"{w['code']:05d}",
                    w["name"],
                    _NEW_WARD_KIND[w["division_type"]],
                    Level.COMMUNE,
                    REFORM_DATE,
                    None,
                    g.get("wardLat"),
                    g.get("wardLon"),
                    src_new,
                )
            )

    seen: set[str] = set()
    legacy_key_path: dict[str, str] = {}
    legacy_province_key: dict[str, str] = {}
    for r in legacy:
        ppath = legacy_province_path(r["provinceCode"])
        if ppath not in seen:
            seen.add(ppath)
            kind = Kind.CENTRAL_CITY if r["province"].startswith("Thành phố") else Kind.PROVINCE
            rows.append(
                Row(
                    ppath,
                    COUNTRY_PATH,
                    r["provinceCode"],
                    r["province"],
                    kind,
                    Level.PROVINCE,
                    None,
                    LEGACY_END,
                    r["provinceLat"],
                    r["provinceLon"],
                    src_old,
                )
            )
            legacy_province_key[r["provinceKey"]] = ppath
        dpath = f"{ppath}L{r['districtCode']}/"
        if dpath not in seen:
            seen.add(dpath)
            dkind = _LEGACY_DISTRICT_KIND.get(r["districtType"], Kind.RURAL_DISTRICT)
            if dkind == Kind.PROVINCIAL_CITY and r["province"].startswith("Thành phố"):
                dkind = Kind.CENTRAL_CITY_CITY
            rows.append(
                Row(
                    dpath,
                    ppath,
                    r["districtCode"],
                    r["district"],
                    dkind,
                    Level.DISTRICT,
                    None,
                    LEGACY_END,
                    r["districtLat"],
                    r["districtLon"],
                    src_old,
                )
            )
        if r["wardCode"]:
            wpath = f"{dpath}L{r['wardCode']}/"
            rows.append(
                Row(
                    wpath,
                    dpath,
                    r["wardCode"],
                    r["ward"],
                    _LEGACY_WARD_KIND.get(r["wardType"], Kind.COMMUNE),
                    Level.COMMUNE,
                    None,
                    LEGACY_END,
                    r["wardLat"],
                    r["wardLon"],
                    src_old,
                )
            )
            legacy_key_path[f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}"] = wpath
        else:
            # Island districts with no communes (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo):
            # the district itself is what became a special zone.
            legacy_key_path[f"{r['provinceKey']}_{r['districtKey']}_"] = dpath

    new_key_path = {(r["provinceKey"], r["wardKey"]): path for r, path in zip(new_geo, matched, strict=True)}
    new_province_key = {r["provinceKey"]: new_province_path(r["provinceCode"]) for r in new_geo}

    pairs: list[tuple[str, str, bool, bool]] = []
    for new_pkey, old_pkeys in converter["DICT_PROVINCE"].items():
        for old in old_pkeys:
            pairs.append((legacy_province_key[old], new_province_key[new_pkey], False, True))
    for new_pkey, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_wkey, olds in wards.items():
            for old in olds:
                pairs.append((legacy_key_path[old], new_key_path[(new_pkey, new_wkey)], False, True))
    for new_pkey, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, news in olds.items():
            for n in news:
                pairs.append(
                    (
                        legacy_key_path[old],
                        new_key_path[(new_pkey, n["newWardKey"])],
                        True,
                        bool(n["isDefaultNewWard"]),
                    )
                )
    return rows, pairs


@transaction.atomic
def load_units(progress=None) -> LoadResult:
    rows, pairs = build_rows()
    result = LoadResult()
    existing = {
        u["path"]: u
        for u in AdminUnit.objects.filter(level__lte=Level.COMMUNE).values(
            "id",
            "path",
            "name",
            "code",
            "kind",
            "valid_from",
            "valid_to",
            "parent_id",
            "latitude",
            "longitude",
        )
    }
    id_by_path = {p: u["id"] for p, u in existing.items()}
    by_level: dict[int, list[Row]] = {}
    for r in rows:
        by_level.setdefault(r.level, []).append(r)
    for level in sorted(by_level):
        to_create, to_update = [], []
        for r in by_level[level]:
            name = normalize(r.name)
            parent_id = id_by_path[r.parent_path] if r.parent_path else None
            values = dict(
                code=r.code,
                name=name,
                kind=r.kind,
                valid_from=r.valid_from,
                valid_to=r.valid_to,
                parent_id=parent_id,
                latitude=r.latitude,
                longitude=r.longitude,
            )
            old = existing.get(r.path)
            if old is None:
                to_create.append(
                    AdminUnit(
                        path=r.path,
                        level=r.level,
                        name_folded=fold(name),
                        sort_key=vi_sort_key(name),
                        source=r.source,
                        **values,
                    )
                )
            elif any(old[k] != v for k, v in values.items()):
                u = AdminUnit(
                    id=old["id"],
                    path=r.path,
                    level=r.level,
                    name_folded=fold(name),
                    sort_key=vi_sort_key(name),
                    source=r.source,
                    **values,
                )
                to_update.append(u)
        AdminUnit.objects.bulk_create(to_create, batch_size=2000)
        if to_update:
            AdminUnit.objects.bulk_update(
                to_update,
                [
                    "code",
                    "name",
                    "name_folded",
                    "sort_key",
                    "kind",
                    "valid_from",
                    "valid_to",
                    "parent",
                    "latitude",
                    "longitude",
                    "source",
                ],
                batch_size=2000,
            )
        result.created += len(to_create)
        result.updated += len(to_update)
        if to_create:
            id_by_path.update(
                AdminUnit.objects.filter(path__in=[u.path for u in to_create]).values_list("path", "id")
            )
        if progress:
            progress(level, len(by_level[level]))

    have = set(
        UnitSuccession.objects.filter(kind=SuccessionKind.REFORM_2025).values_list(
            "predecessor_id", "successor_id"
        )
    )
    new_succ = []
    for old_path, new_path, partial, default in pairs:
        key = (id_by_path[old_path], id_by_path[new_path])
        if key in have:
            continue
        have.add(key)
        new_succ.append(
            UnitSuccession(
                predecessor_id=key[0],
                successor_id=key[1],
                effective=REFORM_DATE,
                kind=SuccessionKind.REFORM_2025,
                partial=partial,
                is_default=default,
            )
        )
    UnitSuccession.objects.bulk_create(new_succ, batch_size=5000)
    result.successions_created = len(new_succ)
    if result.created or result.updated or result.successions_created:
        from xhht.accounts import audit

        audit.record_bulk(
            "geo.adminunit",
            unit_path=COUNTRY_PATH,
            note="load_units",
            changes={
                "created": result.created,
                "updated": result.updated,
                "successions_created": result.successions_created,
            },
        )
    return result
