"""/api/criteria/: the sets and their tree for officers (like the pages), scoring against published sets."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from xhht.accounts.models import Role
from xhht.criteria.loader import load_defaults
from xhht.criteria.models import CriteriaSet, SetStatus
from xhht.criteria.services import clone_set


@pytest.fixture
def sets(db):
    load_defaults(publish=True)
    return {cs.code: cs for cs in CriteriaSet.objects.all()}


def _score(c, pk, answers):
    return c.post(
        f"/api/criteria/sets/{pk}/score", json.dumps({"answers": answers}), content_type="application/json"
    )


def test_list_and_tree(sets, make_user, login, units):
    c = login(make_user(Role.HKH_XA, units.commune_a))
    rows = c.get("/api/criteria/sets?title=CDHT").json()
    assert [r["code"] for r in rows] == ["cdht-324"]
    assert rows[0]["status"] == "published" and rows[0]["title_label"] == "Công dân học tập"
    assert len(c.get("/api/criteria/sets").json()) == len(sets)
    cs = sets["dvht-tt24-2023"]
    d = c.get(f"/api/criteria/sets/{cs.pk}").json()
    assert d["content_hash"] == cs.content_hash and d["subject_type"] == "organisation"
    inds = {i["code"]: i for g in d["groups"] for cr in g["criteria"] for i in cr["indicators"]}
    assert set(inds) == {i.code for i in cs.indicators}
    assert inds["3.1"]["rule"].startswith("100.0 * ratio(organisation.staff.filter(p, p.cdht)")
    assert inds["3.1"]["min_points"] == 90.0
    assert d["outcomes"] and d["outcomes"][0]["level_label"]
    force = c.get("/api/criteria/in-force?title=CDHT&year=2025").json()
    assert force["id"] == sets["cdht-324"].pk
    assert c.get("/api/criteria/in-force?title=CDHT&year=1990").status_code == 404
    assert c.get("/api/criteria/sets/999999").status_code == 404


def test_score_edge_values_and_refusals(sets, make_user, login, units):
    manager = make_user(Role.SO_GDDT, units.province)
    c = login(manager)
    cs = sets["cdht-324"]
    ok = _score(c, cs.pk, {i.code: 8 for i in cs.indicators}).json()
    assert ok["total"] == 80.0 and ok["passed"] and ok["level"] == "dat" and ok["failures"] == []
    assert ok["per_criterion"] == {"1": 32.0, "2": 32.0, "3": 16.0} and ok["content_hash"] == cs.content_hash
    answers = {i.code: 10 for i in cs.indicators}
    answers["2.4"] = 4
    low = _score(c, cs.pk, answers).json()
    assert low["total"] == 94.0 and not low["passed"] and low["level"] is None
    assert any("2.4" in f for f in low["failures"])
    r = _score(c, cs.pk, {"1.1": 11})
    assert r.status_code == 400 and "1.1" in r.json()["detail"]
    assert _score(c, cs.pk, {"9.9": 1}).status_code == 400
    draft = clone_set(user=manager, criteria_set=cs)
    assert draft.status == SetStatus.DRAFT
    r = _score(c, draft.pk, {i.code: 8 for i in cs.indicators})
    assert r.status_code == 400 and "đã ban hành" in r.json()["detail"]


def test_who_may_call(sets, make_user, login):
    assert Client().get("/api/criteria/sets").status_code == 401
    nobody = login(make_user())
    assert nobody.get("/api/criteria/sets").status_code == 403
    assert nobody.get(f"/api/criteria/sets/{sets['cdht-324'].pk}").status_code == 403
    assert _score(nobody, sets["cdht-324"].pk, {}).status_code == 403
