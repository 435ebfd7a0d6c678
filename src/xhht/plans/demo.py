"""Demo: the national instruments and the five seed plans with every target, sample aggregate data
(approved) for the demo province, tasks and commendations. Idempotent."""

from __future__ import annotations

import datetime as dt

from xhht.core.demo import DemoContext
from xhht.core.titles import SubjectType

from .models import Commendation, DataElement, DataEntry, DataSet, DataValue, EntryStatus, Plan
from .services import load_plans

# (dataset, level "province" | "commune", year) -> values
DEMO_DATA = {
    ("DAI_HOC_SO", 2024): {"univ_total": 6, "univ_digital": 3},
    ("DAI_HOC_SO", 2025): {"univ_total": 6, "univ_digital": 4},
    ("CSGD_SO", 2024): {"school_total": 820, "school_digital": 410},
    ("CSGD_SO", 2025): {"school_total": 815, "school_digital": 505},
    ("HUYEN_HT", 2024): {"localities_total": 23, "localities_learning": 6},
}


def seed(ctx: DemoContext) -> None:
    res = load_plans()
    ctx.write(f"Kế hoạch: {res['plans']} văn bản, {res['targets']} chỉ tiêu.")
    admin = ctx.users.get("so_gddt")
    for (code, year), values in DEMO_DATA.items():
        ds = DataSet.objects.get(code=code)
        _entry(ds, ctx.province, year, values, admin)
    xmc = DataSet.objects.get(code="XMC_PCGD")
    for i, commune in enumerate(ctx.communes):
        for year in (2024, 2025):
            pop = 2400 + 150 * i
            _entry(
                xmc,
                commune,
                year,
                {
                    "pop_15_60": pop,
                    "literate_15_60": pop - 40 + 10 * (year - 2024) - 8 * i,
                    "communes_total": 1,
                    "communes_pcgd_thcs": 1 if (i + year) % 3 else 0,
                },
                admin,
            )
    plan = Plan.objects.filter(code="kh-1514-kon-tum-2022").first()
    samples = [
        (
            "bang_khen",
            True,
            "Chủ tịch UBND tỉnh Quảng Ngãi",
            "125/QĐ-UBND",
            dt.date(2025, 11, 20),
            "Có thành tích xuất sắc trong phong trào xây dựng xã hội học tập giai đoạn 2021–2025",
            SubjectType.UNIT,
            ctx.communes[0].pk,
            ctx.communes[0].name,
            ctx.communes[0],
        ),
        (
            "giay_khen",
            True,
            "Chủ tịch UBND xã Đăk Mar",
            "45/QĐ-UBND",
            dt.date(2025, 12, 1),
            "Thôn tiêu biểu trong xây dựng Cộng đồng học tập năm 2025",
            SubjectType.UNIT,
            ctx.villages[ctx.communes[0].pk][0].pk,
            ctx.villages[ctx.communes[0].pk][0].name,
            ctx.villages[ctx.communes[0].pk][0],
        ),
        (
            "giay_khen",
            False,
            "Hội Khuyến học tỉnh Quảng Ngãi",
            "12/QĐ-HKH",
            dt.date(2025, 12, 5),
            "Cán bộ khuyến học tiêu biểu",
            SubjectType.PERSON,
            None,
            "Nguyễn Thị Hoa",
            ctx.communes[0],
        ),
    ]
    for kind, coll, issuer, number, date, reason, st, sid, name, unit in samples:
        Commendation.objects.get_or_create(
            decision_number=number,
            subject_type=st,
            subject_id=sid,
            subject_name=name,
            defaults={
                "kind": kind,
                "collective": coll,
                "issuer": issuer,
                "date": date,
                "reason": reason,
                "unit": unit,
                "plan": plan,
            },
        )


def _entry(ds, unit, year, values, user) -> None:
    entry, created = DataEntry.objects.get_or_create(
        dataset=ds,
        unit=unit,
        year=year,
        defaults={
            "status": EntryStatus.APPROVED,
            "entered_by": user,
            "approved_by": user,
            "approved_at": dt.datetime(year, 12, 10, tzinfo=dt.UTC),
        },
    )
    if created:
        for code, v in values.items():
            DataValue.objects.create(entry=entry, element=DataElement.objects.get(code=code), value=v)
