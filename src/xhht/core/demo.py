"""Demo data: Quảng Ngãi (which since 1/7/2025 contains the former Kon Tum province of seed 001),
four communes with villages, and one account per role. Idempotent: re-running changes nothing.

Other apps add their demo data in ``xhht/<app>/demo.py`` with a function ``seed(ctx: DemoContext)``;
``xhht demo`` calls them in ``DEMO_APPS`` order after this base.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from importlib import import_module

from django.db import transaction

from xhht.accounts.access import grant
from xhht.accounts.models import Role, User
from xhht.geo.models import AdminUnit, Kind, Level, UnitEvent

DEMO_PASSWORD = "xhht-demo"
DEMO_PROVINCE_CODE = "51"
# (commune code, villages): Đăk Mar and Phường Kon Tum were in Kon Tum province until 30/6/2025.
DEMO_COMMUNES: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "23512",
        [
            ("Thôn 1", Kind.VILLAGE),
            ("Thôn 2", Kind.VILLAGE),
            ("Thôn 3", Kind.VILLAGE),
            ("Làng Kon Jơ Ri", Kind.VILLAGE),
            ("Làng Kon Stiu", Kind.VILLAGE),
        ],
    ),
    (
        "23293",
        [
            ("Tổ dân phố 1", Kind.RESIDENTIAL_GROUP),
            ("Tổ dân phố 2", Kind.RESIDENTIAL_GROUP),
            ("Tổ dân phố 3", Kind.RESIDENTIAL_GROUP),
            ("Tổ dân phố 4", Kind.RESIDENTIAL_GROUP),
        ],
    ),
    (
        "21025",
        [
            ("Tổ dân phố Phú Vinh", Kind.RESIDENTIAL_GROUP),
            ("Tổ dân phố Châu Me", Kind.RESIDENTIAL_GROUP),
            ("Tổ dân phố An Lộc", Kind.RESIDENTIAL_GROUP),
        ],
    ),
    (
        "21211",
        [
            ("Thôn Trung Sơn", Kind.VILLAGE),
            ("Thôn Mỹ Lai", Kind.VILLAGE),
            ("Thôn Cổ Lũy", Kind.VILLAGE),
            ("Thôn Khê Ba", Kind.VILLAGE),
        ],
    ),
]
DEMO_APPS = ["registry", "imports", "criteria", "recognition", "plans", "analytics", "reports", "portal"]


@dataclass
class DemoContext:
    province: AdminUnit
    communes: list[AdminUnit]
    villages: dict[int, list[AdminUnit]]
    users: dict[str, User] = field(default_factory=dict)
    today: dt.date = field(default_factory=dt.date.today)
    write: object = print

    @property
    def commune(self) -> AdminUnit:
        """The main demo commune (Xã Đăk Mar), where every commune-level account works."""
        return self.communes[0]


# username, full name, role, where (province | commune index | village of commune 0), position
DEMO_ACCOUNTS = [
    ("admin", "Quản trị hệ thống", Role.ADMIN, "country", "Quản trị hệ thống"),
    ("so_gddt", "Trần Thị Minh Hà", Role.SO_GDDT, "province", "Chuyên viên Phòng GDTX, Sở GD-ĐT"),
    ("hkh_tinh", "Lê Văn Khải", Role.HKH_TINH, "province", "Phó Chủ tịch Hội Khuyến học tỉnh"),
    ("hkh_xa", "Nguyễn Thị Hoa", Role.HKH_XA, 0, "Chủ tịch Hội Khuyến học xã Đăk Mar"),
    ("ubnd_xa", "A Thắng", Role.UBND_XA, 0, "Phó Chủ tịch UBND xã Đăk Mar"),
    ("truong_thon", "Y Bình", Role.TRUONG_THON, "village", "Trưởng thôn 1"),
    ("thu_truong", "Phạm Quốc Tuấn", Role.THU_TRUONG, 0, "Hiệu trưởng Trường THCS Đăk Mar"),
    ("cong_dan", "Đinh Thị Lan", Role.CONG_DAN, "village", ""),
    ("hkh_kontum", "Võ Minh Tâm", Role.HKH_XA, 1, "Chủ tịch Hội Khuyến học phường Kon Tum"),
]


@transaction.atomic
def seed_base(write=print) -> DemoContext:
    province = AdminUnit.objects.get(path=f"VN/{DEMO_PROVINCE_CODE}/")
    communes, villages = [], {}
    for code, names in DEMO_COMMUNES:
        commune = AdminUnit.objects.get(path=f"{province.path}{code}/")
        communes.append(commune)
        existing = {v.name: v for v in AdminUnit.objects.filter(parent=commune, level=Level.VILLAGE)}
        vs = []
        for i, (name, kind) in enumerate(names, start=1):
            v = existing.get(name)
            if v is None:
                vcode = f"T{commune.code}{i:04d}"
                v = AdminUnit(
                    code=vcode,
                    name=name,
                    kind=kind,
                    level=Level.VILLAGE,
                    parent=commune,
                    path=f"{commune.path}{vcode}/",
                    valid_from=dt.date(2025, 7, 1),
                    source="demo",
                )
                v.save()
                UnitEvent.objects.create(
                    unit=v,
                    type=UnitEvent.Type.CREATE,
                    effective=v.valid_from,
                    new_name=name,
                    note="Dữ liệu demo",
                )
            vs.append(v)
        villages[commune.pk] = vs
    ctx = DemoContext(province=province, communes=communes, villages=villages, write=write)
    country = AdminUnit.objects.get(path="VN/")
    for username, full_name, role, where, position in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, full_name=full_name, is_demo=True)
            user.set_password(DEMO_PASSWORD)
            if role == Role.ADMIN:
                user.is_staff = user.is_superuser = True
            user.save()
        unit = (
            {"country": country, "province": province, "village": villages[communes[0].pk][0]}.get(where)
            if isinstance(where, str)
            else communes[where]
        )
        grant(user, role, unit, position=position)
        ctx.users[username] = user
    return ctx


def run_demo(write=print) -> DemoContext:
    ctx = seed_base(write)
    for app in DEMO_APPS:
        try:
            mod = import_module(f"xhht.{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"xhht.{app}.demo":
                raise
            continue
        mod.seed(ctx)
    return ctx
