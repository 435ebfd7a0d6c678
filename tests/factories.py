"""Builders for test data. They reuse official units when the map is loaded and create the few
needed otherwise (browser tests run on a flushed database)."""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace

from xhht.accounts.access import grant
from xhht.accounts.models import User
from xhht.geo.models import AdminUnit, Kind, Level

_seq = itertools.count(1)

OFFICIAL = {
    "VN/": ("VN", "Việt Nam", Kind.COUNTRY, Level.COUNTRY, None),
    "VN/51/": ("51", "Tỉnh Quảng Ngãi", Kind.PROVINCE, Level.PROVINCE, dt.date(2025, 7, 1)),
    "VN/51/23512/": ("23512", "Xã Đăk Mar", Kind.COMMUNE, Level.COMMUNE, dt.date(2025, 7, 1)),
    "VN/51/23293/": ("23293", "Phường Kon Tum", Kind.WARD, Level.COMMUNE, dt.date(2025, 7, 1)),
    "VN/01/": ("01", "Thành phố Hà Nội", Kind.CENTRAL_CITY, Level.PROVINCE, dt.date(2025, 7, 1)),
    "VN/01/00070/": ("00070", "Phường Hoàn Kiếm", Kind.WARD, Level.COMMUNE, dt.date(2025, 7, 1)),
}


def unit(path: str) -> AdminUnit:
    """The unit at ``path``, created (with its ancestors) if the official map is not loaded."""
    u = AdminUnit.objects.filter(path=path).first()
    if u is not None:
        return u
    code, name, kind, level, valid_from = OFFICIAL[path]
    parent_path = path.rsplit("/", 2)[0] + "/" if path != "VN/" else None
    parent = unit(parent_path) if parent_path else None
    u = AdminUnit(
        code=code, name=name, kind=kind, level=level, parent=parent, path=path, valid_from=valid_from
    )
    u.save()
    return u


def village(commune: AdminUnit, name: str, kind: str = Kind.VILLAGE) -> AdminUnit:
    existing = AdminUnit.objects.filter(parent=commune, name=name, valid_to__isnull=True).first()
    if existing:
        return existing
    code = f"T{commune.code}{next(_seq):04d}"
    v = AdminUnit(
        code=code,
        name=name,
        kind=kind,
        level=Level.VILLAGE,
        parent=commune,
        path=f"{commune.path}{code}/",
        valid_from=dt.date(2025, 7, 1),
    )
    v.save()
    return v


def demo_map() -> SimpleNamespace:
    country = unit("VN/")
    province = unit("VN/51/")
    a = unit("VN/51/23512/")
    b = unit("VN/51/23293/")
    other_province = unit("VN/01/")
    c = unit("VN/01/00070/")
    return SimpleNamespace(
        country=country,
        province=province,
        commune_a=a,
        commune_b=b,
        other_province=other_province,
        commune_c=c,
        village_a1=village(a, "Thôn 1"),
        village_a2=village(a, "Thôn 2"),
        village_b1=village(b, "Tổ dân phố 1", Kind.RESIDENTIAL_GROUP),
    )


def make_user(
    role: str | None = None,
    unit: AdminUnit | None = None,
    *,
    username: str | None = None,
    password: str = "mat-khau-thu-nghiem",
    **extra,
) -> User:
    username = username or f"user{next(_seq)}"
    user = User(username=username, full_name=extra.pop("full_name", username), **extra)
    user.set_password(password)
    user.save()
    if role is not None:
        grant(user, role, unit)
    return user
