"""Shipped plans and targets, dashboards with actual values, scope, aggregate data sets."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.analytics.gen import generate
from xhht.accounts.models import Role
from xhht.analytics import services as analytics
from xhht.geo.models import AdminUnit
from xhht.plans import services
from xhht.plans.models import DataEntry, DataSet, Plan, Target
from xhht.recognition.models import Recognition
from xhht.registry.models import Household


@pytest.fixture
def plans(db):
    services.load_plans()
    return Plan.objects.all()


def test_every_seed_target_is_loaded_once_and_load_is_idempotent(plans):
    counts = {p.code: p.targets.count() for p in plans}
    services.load_plans()
    assert {p.code: p.targets.count() for p in Plan.objects.all()} == counts
    kt = Plan.objects.get(code="kh-1514-kon-tum-2022")
    assert (kt.number, kt.date.strftime("%d/%m/%Y")) == ("1514/KH-UBND", "19/05/2022")
    assert kt.territory.path == "VN/L62/" and kt.territory.valid_to is not None
    assert kt.parent.number == "387/QĐ-TTg"
    assert counts["kh-1514-kon-tum-2022"] == 17
    assert kt.targets.get(year=2030, indicator__code="GDHT_RATE").value == 85
    assert counts["kh-182-thua-thien-hue-2024"] == 10
    assert Plan.objects.get(code="kh-910-khanh-hoa-2024").contents.count() == 6
    assert [p.review for p in Plan.objects.get(code="kh-910-khanh-hoa-2024").phases.all()] == [
        "so_ket",
        "tong_ket",
    ]
    assert Plan.objects.get(code="qd-1315-2023").contents.count() == 6
    assert counts["kh-ha-noi-thi-dua-2024"] == 7 and counts["ct-cdht-tinh-2021"] == 10
    assert Target.objects.filter(indicator__isnull=False).count() >= 70


def test_dashboard_shows_actual_values_for_a_sample_of_targets(units, plans, make_user, login):
    generate(units)
    analytics.rebuild()
    user = make_user(Role.SO_GDDT, units.province)
    c = login(user)
    r = c.get("/ke-hoach/kh-1514-kon-tum-2022/bang-dieu-khien/?nam=2025")
    assert r.status_code == 200
    d = r.context
    assert d["unit"].path == "VN/L62/"  # the plan's own (former) territory
    rows = {(x.target.year, x.indicator.code): x for x in d["rows"] if x.indicator}
    assert len(d["rows"]) == 17
    gdht = rows[(2025, "GDHT_RATE")]
    n = Recognition.objects.filter(title="GDHT", year=2025, revoked_at__isnull=True).count()
    assert (gdht.current.numerator, gdht.current.denominator) == (n, Household.objects.count())
    # 2025 has ended: its targets are judged on their own year's figures, reached or not (no pace)
    assert gdht.year == 2025 and gdht.light in ("da_dat", "khong_dat")
    assert f"{gdht.current.value:.2f}".replace(".", ",") in r.content.decode()
    centres = rows[(2025, "TTHTCD_HKH_RATE")]
    assert (centres.current.numerator, centres.current.denominator) == (1, 2)
    # the units below a former province are today's communes that took it over, laggards first
    ranked = [x["unit"].path for x in d["ranking"]]
    assert units.commune_a.path in ranked and units.commune_b.path in ranked
    keys = [x["key"] for x in d["ranking"] if x["key"] is not None]
    assert keys == sorted(keys)
    # drill down: commune, then its villages, then the subjects behind the numerator
    r = c.get(f"/ke-hoach/kh-1514-kon-tum-2022/bang-dieu-khien/?nam=2025&don_vi={units.commune_a.pk}")
    assert {x["unit"].pk for x in r.context["ranking"]} >= {units.village_a1.pk, units.village_a2.pk}
    r = c.get(f"/ke-hoach/doi-tuong/?nam=2025&don_vi={units.village_a1.pk}&do_luong=rec:GDHT")
    expected = Recognition.objects.filter(
        title="GDHT", year=2025, revoked_at__isnull=True, unit_path=units.village_a1.path
    ).count()
    assert r.context["total"] == expected and len(r.context["rows"]) == expected
    csv = c.get("/ke-hoach/kh-1514-kon-tum-2022/du-lieu/chi-tieu.csv?nam=2025").content.decode("utf-8-sig")
    assert "GDHT_RATE" in csv and str(n) in csv


def test_commune_officer_sees_only_their_commune(units, plans, make_user, login):
    user = make_user(Role.HKH_XA, units.commune_a)
    c = login(user)
    r = c.get("/ke-hoach/kh-1514-kon-tum-2022/bang-dieu-khien/")
    assert r.status_code == 200 and r.context["unit"].pk == units.commune_a.pk
    for other in (units.commune_b, AdminUnit.objects.get(path="VN/L62/"), units.province):
        assert c.get(f"/ke-hoach/kh-1514-kon-tum-2022/bang-dieu-khien/?don_vi={other.pk}").status_code == 404
    assert c.get(f"/ke-hoach/doi-tuong/?don_vi={units.commune_b.pk}&do_luong=households").status_code == 404


def test_data_set_validation_approval_and_lock(units, plans, make_user):
    officer = make_user(Role.SO_GDDT, units.province)
    ds = DataSet.objects.get(code="DAI_HOC_SO")
    with pytest.raises(ValidationError) as exc:
        services.entry_save(
            actor=officer,
            dataset=ds,
            unit=units.province,
            year=2025,
            values={"univ_total": 4, "univ_digital": 5},
        )
    assert "univ_digital" in exc.value.error_dict
    with pytest.raises(ValidationError):
        services.entry_save(
            actor=officer,
            dataset=ds,
            unit=units.province,
            year=2025,
            values={"univ_total": None, "univ_digital": 1},
        )
    entry = services.entry_save(
        actor=officer,
        dataset=ds,
        unit=units.province,
        year=2025,
        values={"univ_total": 8, "univ_digital": 6},
        submit=True,
    )
    services.entry_approve(actor=officer, entry=entry)
    analytics.refresh_dataset(unit_paths=[units.province.path], year=2025)
    from xhht.analytics.selectors import indicator_values
    from xhht.plans.models import Indicator

    v = indicator_values(
        [Indicator.objects.get(code="DIGITAL_UNIV_RATE")], ["VN/", units.province.path], [2025]
    )
    assert v[("DIGITAL_UNIV_RATE", 2025, units.province.path)].value == 75
    with pytest.raises(ValidationError):
        services.entry_save(
            actor=officer,
            dataset=ds,
            unit=units.province,
            year=2025,
            values={"univ_total": 9, "univ_digital": 6},
        )
    # an outlier against last year's figures is flagged, not refused
    services.entry_unlock(actor=officer, entry=DataEntry.objects.get(pk=entry.pk))
    e2 = services.entry_save(
        actor=officer,
        dataset=ds,
        unit=units.province,
        year=2026,
        values={"univ_total": 30, "univ_digital": 6},
    )
    assert e2.warnings
    hkh_xa = make_user(Role.HKH_XA, units.commune_a)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.entry_approve(actor=hkh_xa, entry=e2)
