"""Recognition benchmarks: one decision recognising 10,000 households (numbers, recognitions,
certificate records, audit, analytics refresh), its PDF with the attached list (~230 A4 pages), and
the public verification page.

    python bench/bench_recognition.py              # SQLite
    python bench/bench_recognition.py --db postgres

Prints BENCH decision_10k_subjects_s, decision_10k_pdf_s, verify_page_ms, verify_api_ms and the pages
officers open on that campaign: campaign_page_10k_ms, decision_form_10k_ms (10,000 checkboxes),
decision_page_10k_ms, api_files_page_ms, decision_api_list_page_ms (suffixed _pg on PostgreSQL).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import emit, median_ms, peak_rss_mib, setup_django, timer  # noqa: E402

N = 10_000
FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Ngọc", "Đức", "Thanh", "Quốc", "Xuân", "Thu"]
GIVEN = ["An", "Bình", "Hoa", "Lan", "Thắng", "Dũng", "Hương", "Ánh", "Phượng", "Quỳnh", "Tuấn", "Yến", "Hải"]


def build(n: int):
    from django.db import transaction

    from xhht.accounts.access import grant
    from xhht.accounts.models import Role, User
    from xhht.core.titles import Title
    from xhht.criteria.authoring import build_from_document
    from xhht.criteria.services import publish_set
    from xhht.geo.models import AdminUnit, Kind, Level
    from xhht.recognition import services
    from xhht.recognition.models import Assessment, AssessmentStatus, Registration
    from xhht.registry.models import Household, Person

    def unit(path, code, name, kind, level, parent):
        u = AdminUnit(
            code=code,
            name=name,
            kind=kind,
            level=level,
            parent=parent,
            path=path,
            valid_from=dt.date(2025, 7, 1),
        )
        u.save()
        return u

    country = unit("VN/", "VN", "Việt Nam", Kind.COUNTRY, Level.COUNTRY, None)
    province = unit("VN/51/", "51", "Tỉnh Quảng Ngãi", Kind.PROVINCE, Level.PROVINCE, country)
    commune = unit("VN/51/23512/", "23512", "Xã Đăk Mar", Kind.COMMUNE, Level.COMMUNE, province)
    villages = [
        unit(
            f"{commune.path}T2351200{i:02d}/",
            f"T2351200{i:02d}",
            f"Thôn {i}",
            Kind.VILLAGE,
            Level.VILLAGE,
            commune,
        )
        for i in range(1, 21)
    ]

    def user(name, role, where):
        u = User(username=name, full_name=name)
        u.set_password("x")
        u.save()
        grant(u, role, where)
        return u

    admin = user("admin", Role.ADMIN, country)
    manager = user("hkh", Role.HKH_XA, commune)
    chair = user("chair", Role.UBND_XA, commune)
    doc = {
        "settings": {
            "title": "GDHT",
            "code": "bench-gdht",
            "version": 1,
            "name": "Bộ tiêu chí GĐHT (bench)",
            "year_from": 2020,
        },
        "groups": [
            {
                "code": "G",
                "label": "Phiếu",
                "points": "100",
                "criteria": [
                    {
                        "code": str(c),
                        "label": f"Tiêu chí {c}",
                        "points": "25",
                        "indicators": [
                            {"code": f"{c}.{i}", "label": f"Chỉ số {c}.{i}", "points": "12.5", "min": "5"}
                            for i in (1, 2)
                        ],
                    }
                    for c in (1, 2, 3, 4)
                ],
            }
        ],
        "outcomes": [{"level": "dat", "label": "Đạt", "min_total": "80", "check_minimums": True}],
    }
    cs = publish_set(user=admin, criteria_set=build_from_document(doc, created_by=admin))
    campaign = services.campaign_create(user=manager, title=Title.GDHT, year=2025, unit=commune)
    rnd = random.Random(7)
    codes = [f"{c}.{i}" for c in (1, 2, 3, 4) for i in (1, 2)]
    with transaction.atomic():
        people = [
            Person(
                full_name=f"{rnd.choice(FAMILY)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}",
                village=villages[k % 20],
                unit_path=villages[k % 20].path,
            )
            for k in range(n)
        ]
        for p in people:
            from xhht.core.text import fold, vi_name_sort_key

            p.name_folded, p.name_sort = fold(p.full_name), vi_name_sort_key(p.full_name)
        Person.objects.bulk_create(people, batch_size=2000)
        hh = [
            Household(code=f"H{k:06d}", village=p.village, unit_path=p.unit_path, head=p)
            for k, p in enumerate(people)
        ]
        Household.objects.bulk_create(hh, batch_size=2000)
        regs = [
            Registration(
                title="GDHT",
                year=2025,
                subject_type="household",
                subject_id=h.pk,
                subject_name=f"Hộ {h.head.full_name}",
                unit=h.village,
                unit_path=h.unit_path,
                registered_by=manager,
                on_behalf=True,
                campaign=campaign,
            )
            for h in hh
        ]
        Registration.objects.bulk_create(regs, batch_size=2000)
        files = []
        for h, r in zip(hh, regs, strict=True):
            answers = {c: {"value": rnd.choice([10, 11, 12, 12.5]), "note": ""} for c in codes}
            total = sum(a["value"] for a in answers.values())
            files.append(
                Assessment(
                    campaign=campaign,
                    registration=r,
                    title="GDHT",
                    year=2025,
                    subject_type="household",
                    subject_id=h.pk,
                    subject_name=r.subject_name,
                    unit=h.village,
                    unit_path=h.unit_path,
                    status=AssessmentStatus.PROPOSED,
                    criteria_set=cs,
                    criteria_hash=cs.content_hash,
                    answers=answers,
                    results=[
                        {
                            "code": c,
                            "value": a["value"],
                            "by": "hkh",
                            "source": "self",
                            "declared_by": "on_behalf",
                        }
                        for c, a in answers.items()
                    ],
                    self_total=total,
                    self_level="dat",
                    review_total=total,
                    review_level="dat",
                    review_passed=True,
                    reviewed_by=manager,
                    on_behalf=True,
                )
            )
        Assessment.objects.bulk_create(files, batch_size=1000)
    return campaign, chair, [f.pk for f in files]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="sqlite", choices=["sqlite", "postgres"])
    ap.add_argument("-n", type=int, default=N)
    args = ap.parse_args()
    setup_django(args.db, "recognition")
    suffix = "" if args.db == "sqlite" else "_pg"

    from django.test import Client

    from xhht.recognition import pdf, services
    from xhht.recognition.models import Certificate

    campaign, chair, ids = build(args.n)
    from django.db import connection

    if (
        connection.vendor == "postgresql"
    ):  # fresh bulk-loaded tables: give the planner statistics, as autovacuum would
        with connection.cursor() as cur:
            cur.execute("ANALYZE")

    # The pages an officer opens on a campaign with 10,000 proposed files, before the decision.
    from xhht.accounts.models import User

    staff = Client()
    staff.force_login(chair)
    hkh = Client()
    hkh.force_login(User.objects.get(username="hkh"))

    def page_ms(client, url, n=5):
        assert client.get(url).status_code == 200  # warm up

        def one():
            r = client.get(url)
            assert r.status_code == 200, r.status_code

        return median_ms(one, n=n)

    emit(f"campaign_page_10k{suffix}_ms", page_ms(hkh, f"/danh-gia/dot/{campaign.pk}/"), "ms")
    emit(
        f"decision_form_10k{suffix}_ms", page_ms(staff, f"/danh-gia/dot/{campaign.pk}/quyet-dinh/", n=3), "ms"
    )
    emit(
        f"api_files_page{suffix}_ms",
        page_ms(hkh, f"/api/recognition/files?campaign={campaign.pk}&after={ids[5000]}&limit=200"),
        "ms",
    )
    with timer() as t:
        decision = services.decision_issue(
            user=chair,
            campaign=campaign,
            assessment_ids=ids,
            date=dt.date(2025, 12, 15),
            signer_name="A Thắng",
            signer_position="KT. Chủ tịch\nPhó Chủ tịch",
        )
    assert decision.recognitions.count() == args.n
    emit(f"decision_10k_subjects{suffix}_s", t["s"], "s")

    with timer() as t:
        data = pdf.decision_pdf(decision)
    emit(f"decision_10k_pdf{suffix}_s", t["s"], "s")
    emit(
        f"decision_10k_pdf{suffix}_pages", data.count(b"/Type /Page\n") or data.count(b"/Type /Page"), "pages"
    )

    tokens = list(Certificate.objects.values_list("token", flat=True)[:2000])
    client = Client()
    rnd = random.Random(1)
    client.get(f"/xac-thuc/{tokens[0]}/")  # warm up templates and connections

    def one():
        r = client.get(f"/xac-thuc/{rnd.choice(tokens)}/")
        assert r.status_code == 200

    emit(f"verify_page{suffix}_ms", median_ms(one, n=300), "ms")

    def one_api():
        r = client.get(f"/api/recognition/verify/{rnd.choice(tokens)}")
        assert r.status_code == 200

    emit(f"verify_api{suffix}_ms", median_ms(one_api, n=300), "ms")
    emit(f"decision_page_10k{suffix}_ms", page_ms(staff, f"/danh-gia/quyet-dinh/{decision.pk}/"), "ms")
    emit(
        f"decision_api_list_page{suffix}_ms",
        page_ms(staff, f"/api/recognition/decisions/{decision.pk}/recognitions?limit=200"),
        "ms",
    )
    emit(f"recognition_peak_rss{suffix}_mib", peak_rss_mib(), "MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
