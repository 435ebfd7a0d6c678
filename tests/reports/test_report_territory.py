"""A report on a plan covers a unit of the plan's territory only: the form offers those units, and a
Quảng Ngãi officer who sends KH 1514 (Kon Tum) with a unit that was never in Kon Tum gets a message,
not a report over the wrong territory."""

from __future__ import annotations

import pytest

from tests.plans.test_territory import quang_ngai_commune_never_in_kon_tum
from xhht.accounts.models import Role
from xhht.geo.models import AdminUnit
from xhht.plans.services import load_plans
from xhht.reports.models import ReportRun, ReportTemplate

KONTUM = "kh-1514-kon-tum-2022"


@pytest.fixture
def setup(units, make_user, login):
    load_plans()
    c = login(make_user(Role.SO_GDDT, units.province))
    c.get("/bao-cao/")  # the default templates
    return c, ReportTemplate.objects.get(kind="so_ket", is_default=True)


def test_the_form_offers_only_units_of_the_plans_territory(units, setup):
    c, _tpl = setup
    r = c.get(f"/bao-cao/?ke_hoach={KONTUM}")
    assert r.status_code == 200
    offered = {u.path for u in r.context["units"]}
    assert r.context["unit"].path == "VN/L62/"
    assert {"VN/L62/", units.commune_a.path, units.commune_b.path} <= offered
    assert units.province.path not in offered and quang_ngai_commune_never_in_kon_tum().path not in offered
    assert all(p == "VN/L62/" or p.startswith("VN/51/") for p in offered)
    body = r.content.decode()
    assert f'<option value="{units.province.pk}"' not in body.split('id="report-form"')[1]
    assert "Kế hoạch áp dụng cho Tỉnh Kon Tum (địa bàn trước ngày 01/07/2025)" in body
    # without a plan (or a national one) the province itself is offered
    r = c.get("/bao-cao/?ke_hoach=qd-387-2022")
    assert units.province.path in {u.path for u in r.context["units"]}


def test_a_kon_tum_report_for_a_unit_outside_kon_tum_is_refused(units, setup):
    c, tpl = setup
    for unit in (units.province, quang_ngai_commune_never_in_kon_tum()):
        r = c.post("/bao-cao/", {"don_vi": unit.pk, "nam": 2025, "ke_hoach": KONTUM, "mau": tpl.pk})
        assert r.status_code == 400
        assert f"{unit.name} không thuộc địa bàn áp dụng của 1514/KH-UBND" in r.content.decode()
        r = c.get(f"/bao-cao/?don_vi={unit.pk}&ke_hoach={KONTUM}")
        assert r.status_code == 400 and "không thuộc địa bàn áp dụng" in r.content.decode()
        # the form shown with the message offers the territory's units again
        assert units.province.path not in {u.path for u in r.context["units"]}
    assert not ReportRun.objects.exists()


def test_a_kon_tum_report_for_the_former_province_is_made(units, setup, django_capture_on_commit_callbacks):
    c, tpl = setup
    kontum = AdminUnit.objects.get(path="VN/L62/")
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post("/bao-cao/", {"don_vi": kontum.pk, "nam": 2025, "ke_hoach": KONTUM, "mau": tpl.pk})
    run = ReportRun.objects.get()
    assert r.status_code == 302 and run.unit == kontum and run.status == "done"


def test_the_report_service_refuses_a_unit_outside_the_territory(units, make_user):
    from django.core.exceptions import ValidationError

    from xhht.plans.models import Plan
    from xhht.reports import services

    load_plans()
    from xhht.reports.defaults import ensure_defaults

    ensure_defaults()
    officer = make_user(Role.SO_GDDT, units.province)
    with pytest.raises(ValidationError) as exc:
        services.report_start(
            actor=officer,
            template=ReportTemplate.objects.first(),
            unit=units.province,
            year=2025,
            plan=Plan.objects.get(code=KONTUM),
        )
    assert "không thuộc địa bàn áp dụng" in exc.value.messages[0]


def test_bad_year_and_unknown_plan_get_a_message(units, setup):
    c, tpl = setup
    r = c.post("/bao-cao/", {"don_vi": units.province.pk, "nam": "hai nghìn", "mau": tpl.pk})
    assert r.status_code == 400 and "không hợp lệ" in r.content.decode()
    r = c.get("/bao-cao/?ke_hoach=khong-co")
    assert r.status_code == 400 and "Không có kế hoạch «khong-co»" in r.content.decode()
    assert not ReportRun.objects.exists()
