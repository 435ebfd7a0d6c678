"""The village review page recomputes the rule-computed indicators of all its files from the registry
(issue 13, point 4): 300 household files of one village, in a registry of 300,000 people
(``BENCH_REVIEW_PEOPLE``) where a quarter of the people hold Công dân học tập, with the GĐHT rule
"share of members aged 15+ holding the title".

    python bench/bench_review_recompute.py              # SQLite
    python bench/bench_review_recompute.py --db postgres

BENCH review_village_300_ms            median of 5: GET of the village review page (the whole request:
                                       scope, 300 files, their rules recomputed, the page rendered)
BENCH review_village_300_rules_ms      median of 5: ``refresh_rules`` alone on the 300 files (the rule
                                       SELECT and the rescoring)
BENCH review_village_300_grouped_ms    the same rules through the set-based plan (one pass over every
                                       membership), for comparison: what the page would cost with it
BENCH decision_300_recompute_s         one decision over the 300 files, their rules recomputed and frozen
(suffixed _pg on PostgreSQL); a load-average line follows each group.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))
from common import emit, median_ms, setup_django, timer  # noqa: E402

FILES = 300
RULE = (
    "100.0 * ratio(household.members.filter(p, p.age >= 15 && p.cdht).size(), "
    "household.members.filter(p, p.age >= 15).size())"
)


def load() -> str:
    return Path("/proc/loadavg").read_text().strip()


def build(people: int):
    from django.db import connection, transaction
    from django.utils import timezone

    from xhht.accounts.access import grant
    from xhht.accounts.models import Role, User
    from xhht.core.titles import Title
    from xhht.criteria.authoring import build_from_document
    from xhht.criteria.services import publish_set
    from xhht.geo.models import AdminUnit, Kind, Level
    from xhht.recognition import services
    from xhht.recognition.models import Assessment, AssessmentStatus, Registration
    from xhht.registry.generate import generate
    from xhht.registry.models import Household

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
    communes = [
        unit(f"VN/51/235{i:02d}/", f"235{i:02d}", f"Xã Số {i}", Kind.COMMUNE, Level.COMMUNE, province)
        for i in range(10)
    ]
    quiet = lambda *_a, **_k: None  # noqa: E731
    generate(province="51", people=people, seed=3, communes=communes, write=quiet)
    target = unit(
        f"{communes[0].path}T2350000/", "T2350000", "Thôn Thẩm Định", Kind.VILLAGE, Level.VILLAGE, communes[0]
    )
    # the village under review: about 1,300 people in 300-odd households
    generate(
        province="51",
        people=1300,
        seed=4,
        communes=[communes[0]],
        villages={communes[0].pk: [target]},
        write=quiet,
        with_extras=False,
    )
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cur:
        # a quarter of the people hold Công dân học tập 2025 (recognised 15/12/2025, valid a year)
        cur.execute(
            "INSERT INTO recognition_recognition (title, year, subject_type, subject_id, subject_name, "
            "unit_id, unit_path, level, valid_from, valid_to, revoked_reason, created_at, criteria_hash, "
            "indicator_results, unit_label) SELECT 'CDHT', 2025, 'person', id, full_name, village_id, "
            "unit_path, 'dat', %s, %s, '', %s, '', '[]', '' FROM registry_person WHERE id %% 4 = 0",
            [dt.date(2025, 12, 15), dt.date(2026, 12, 14), now],
        )

    def user(name, role, where):
        u = User(username=name, full_name=name)
        u.set_password("x")
        u.save()
        grant(u, role, where)
        return u

    admin = user("admin", Role.ADMIN, country)
    manager = user("hkh", Role.HKH_XA, communes[0])
    chair = user("chair", Role.UBND_XA, communes[0])
    doc = {
        "settings": {
            "title": "GDHT",
            "code": "bench-gdht-rule",
            "version": 1,
            "name": "GĐHT (bench)",
            "year_from": 2020,
        },
        "groups": [
            {
                "code": "G",
                "label": "Phiếu",
                "points": "100",
                "criteria": [
                    {
                        "code": "1",
                        "label": "Tiêu chí 1",
                        "points": "100",
                        "indicators": [
                            {"code": "1.1", "label": "Chỉ số 1.1", "points": "50", "min": "20"},
                            {"code": "1.2", "label": "Chỉ số 1.2", "points": "50", "min": "20"},
                            {
                                "code": "2.3",
                                "label": "Tỷ lệ CDHT",
                                "kind": "number",
                                "mandatory": False,
                                "rule": RULE,
                            },
                        ],
                    }
                ],
            }
        ],
        "outcomes": [{"level": "dat", "label": "Đạt", "min_total": "80", "check_minimums": True}],
    }
    cs = publish_set(user=admin, criteria_set=build_from_document(doc, created_by=admin))
    campaign = services.campaign_create(user=manager, title=Title.GDHT, year=2025, unit=communes[0])
    hh = list(Household.objects.filter(village=target).select_related("head").order_by("pk")[:FILES])
    assert len(hh) == FILES, len(hh)
    with transaction.atomic():
        regs = Registration.objects.bulk_create(
            [
                Registration(
                    title="GDHT",
                    year=2025,
                    subject_type="household",
                    subject_id=h.pk,
                    subject_name=f"Hộ {h.head.full_name}",
                    unit=target,
                    unit_path=target.path,
                    registered_by=manager,
                    on_behalf=True,
                    campaign=campaign,
                )
                for h in hh
            ]
        )
        answers = {"1.1": {"value": 45, "note": ""}, "1.2": {"value": 40, "note": ""}}
        Assessment.objects.bulk_create(
            [
                Assessment(
                    campaign=campaign,
                    registration=r,
                    title="GDHT",
                    year=2025,
                    subject_type="household",
                    subject_id=h.pk,
                    subject_name=r.subject_name,
                    unit=target,
                    unit_path=target.path,
                    status=AssessmentStatus.SUBMITTED,
                    criteria_set=cs,
                    criteria_hash=cs.content_hash,
                    answers=answers,
                    self_total=85,
                    self_level="dat",
                    on_behalf=True,
                )
                for h, r in zip(hh, regs, strict=True)
            ]
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    return campaign, target, manager, chair


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="sqlite", choices=["sqlite", "postgres"])
    ap.add_argument("--people", type=int, default=int(os.environ.get("BENCH_REVIEW_PEOPLE", 300_000)))
    args = ap.parse_args()
    setup_django(args.db, "review_recompute")
    suffix = "" if args.db == "sqlite" else "_pg"

    from django.test import Client

    from xhht.criteria import engine
    from xhht.recognition import services
    from xhht.recognition.models import Assessment, AssessmentStatus
    from xhht.registry.models import Household

    t0 = time.perf_counter()
    campaign, village, manager, chair = build(args.people)
    print(f"# built in {time.perf_counter() - t0:.0f} s: {args.people + 1300} people; load average: {load()}")

    c = Client()
    c.force_login(manager)
    url = f"/danh-gia/dot/{campaign.pk}/tham-dinh-thon/{village.pk}/"

    def page():
        r = c.get(url)
        assert r.status_code == 200 and r.content.count(b"xh-rule-date") == FILES, r.status_code

    page()  # warm up
    emit(f"review_village_300{suffix}_ms", median_ms(page, n=5), "ms")
    files = list(Assessment.objects.filter(campaign=campaign).select_related("campaign", "unit"))
    emit(f"review_village_300_rules{suffix}_ms", median_ms(lambda: services.refresh_rules(files), n=5), "ms")
    cs = files[0].criteria_set
    subjects = Household.objects.filter(pk__in=[a.subject_id for a in files])
    emit(
        f"review_village_300_grouped{suffix}_ms",
        median_ms(lambda: engine.explain_rules_many(cs, subjects, 2025, grouped=True), n=3),
        "ms",
    )
    print(f"# load average: {load()}", flush=True)

    # the reviewer proposes the village; the decision recomputes and freezes the 300 files
    r = c.post(url, {f"o_{a.pk}": "propose" for a in files})
    assert r.status_code == 302, r.status_code
    assert Assessment.objects.filter(campaign=campaign, status=AssessmentStatus.PROPOSED).count() == FILES
    with timer() as t:
        d = services.decision_issue(
            user=chair,
            campaign=campaign,
            assessment_ids=[a.pk for a in files],
            date=dt.date(2025, 12, 20),
            signer_name="A Thắng",
            signer_position="Chủ tịch",
        )
    assert d.recognitions.count() == FILES
    emit(f"decision_300_recompute{suffix}_s", t["s"], "s")
    print(f"# load average: {load()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
