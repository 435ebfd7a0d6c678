"""State-changing requests across scope (issue 12, point 7): for every route that takes an object id
— every URL pattern with an id among its parameters, read from the resolver, so a new route is
covered or this test says it is not — officers of another commune (commune B, same province) and
of another province post to an object of commune A, with the form the legitimate officer of
commune A is given for it: each answer is 404 (or 403, or 405 for a page that takes no POST), and
nothing in the database changes.

The world is the demo data set (every registry, campaigns, files, a decision, an appeal, plans) in
Xã Đăk Mar (commune A); the demo's association officer of Phường Kon Tum is one of the attackers.
``portal:claim_resolve`` (a sign-up awaiting verification) is left to the portal's own tests.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import resolve

from tests import factories
from tests.web import fuzzing
from xhht.accounts.models import Role

pytestmark = pytest.mark.django_db

A = "VN/51/23512/"
B = "VN/51/23293/"
OTHER_PROVINCE = "VN/01/00070/"
ALLOWED = {403, 404, 405}

# Routes whose answer to an attacker may be other than 403/404/405 — never may anything change:
# route name -> why.
OTHER_ANSWERS: dict[str, str] = {
    # national criteria sets: every officer reads them (a POST to these pages is a GET)
    "criteria:detail": "a national criteria set is read by every officer",
    "criteria:download": "a national criteria set is read by every officer",
}


def _tables():
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith("xhht.") and m._meta.label != "accounts.AuditEvent"
    ]


def _fingerprint() -> dict[str, str]:
    """A digest of every row of every XHHT table but the audit trail (append-only: ``_quick`` counts
    it): any insert, update or delete changes it."""
    return {
        m._meta.label: hashlib.sha256(repr(list(m.objects.order_by("pk").values_list())).encode()).hexdigest()
        for m in _tables()
    }


def _quick() -> dict[str, int]:
    """What changes with any write through the application: the audit trail records every save and
    delete of a row and every bulk operation; the counts catch the rest of the inserts and deletes
    (the full fingerprint, compared over the whole run, catches what neither does)."""
    from xhht.accounts.models import AuditEvent

    out = {m._meta.label: m.objects.count() for m in _tables()}
    out["audit events"] = AuditEvent.objects.count()
    return out


def _remove_stored(folder: str) -> None:
    dirs, files = default_storage.listdir(folder) if default_storage.exists(folder) else ([], [])
    for name in files:
        default_storage.delete(f"{folder}/{name}")


@pytest.fixture
def world(request):
    from xhht.core.demo import run_demo
    from xhht.geo.models import AdminUnit, Level

    ctx = run_demo(write=lambda *a, **k: None)
    request.addfinalizer(lambda: _remove_stored("test-cross-scope"))
    a = AdminUnit.objects.get(path=A)
    b = AdminUnit.objects.get(path=B)
    other = factories.unit(OTHER_PROVINCE)
    village_a = AdminUnit.objects.filter(parent=a, level=Level.VILLAGE).order_by("pk").first()
    village_b = AdminUnit.objects.filter(parent=b, level=Level.VILLAGE).order_by("pk").first()
    attackers = {
        "hkh_xa B": ctx.users["hkh_kontum"],
        "ubnd_xa B": factories.make_user(Role.UBND_XA, b),
        "truong_thon B": factories.make_user(Role.TRUONG_THON, village_b),
        "thu_truong B": factories.make_user(Role.THU_TRUONG, b),
        "cong_dan B": factories.make_user(Role.CONG_DAN, village_b),
        "hkh_xa other province": factories.make_user(Role.HKH_XA, other),
        "ubnd_xa other province": factories.make_user(Role.UBND_XA, other),
    }
    # who is given the forms: the roles of commune A, then the province's officer
    victims = [
        ctx.users[u] for u in ("hkh_xa", "ubnd_xa", "truong_thon", "thu_truong", "cong_dan", "so_gddt")
    ]
    return {
        "ctx": ctx,
        "a": a,
        "village_a": village_a,
        "attackers": attackers,
        "victims": victims,
        "objects": _objects_of_a(ctx, a, village_a),
    }


def _objects_of_a(ctx, a, village_a) -> dict:
    """One object of commune A per kind, for the URL of each route (created when the demo has none)."""
    from xhht.criteria.models import CriteriaSet, Criterion, Indicator
    from xhht.imports.models import ImportJob
    from xhht.plans.models import DataSet, Plan, PlanTask
    from xhht.recognition.models import Appeal, Assessment, Campaign, Decision, Evidence, Recognition
    from xhht.registry.models import (
        AssociationBranch,
        AssociationMember,
        ClanHousehold,
        Household,
        HouseholdMember,
        LearningCentre,
        OrgMembership,
        Person,
        Training,
    )
    from xhht.reports.models import ReportRun, ReportTemplate

    def first(qs):
        obj = qs.order_by("pk").first()
        assert obj is not None, qs.model
        return obj

    household = first(Household.objects.filter(unit_path__startswith=A, members__isnull=False).distinct())
    clan_link = first(ClanHousehold.objects.filter(clan__unit_path__startswith=A))
    org_link = first(OrgMembership.objects.filter(organisation__unit_path__startswith=A))
    campaign = first(Campaign.objects.filter(unit_path=A, title="CDHT"))
    assessment = first(Assessment.objects.filter(unit_path__startswith=A))
    cs = first(CriteriaSet.objects.all())
    plan = first(Plan.objects.all())
    officer = ctx.users["hkh_xa"]
    evidence_file = default_storage.save(
        f"test-cross-scope/{uuid.uuid4().hex}.pdf", ContentFile(b"%PDF-1.4\n")
    )
    return {
        "unit": a,
        "village": village_a,
        "person": first(Person.objects.filter(unit_path__startswith=A, user__isnull=True)),
        "household": household,
        "household_member": first(HouseholdMember.objects.filter(household=household)).person_id,
        "clan": clan_link.clan,
        "clan_household": clan_link.household_id,
        "org": org_link.organisation,
        "org_membership": org_link.pk,
        "centre": first(LearningCentre.objects.filter(unit_path__startswith=A)),
        "member": first(AssociationMember.objects.filter(unit_path__startswith=A)),
        "branch": first(AssociationBranch.objects.filter(unit_path__startswith=A)),
        "training": first(Training.objects.filter(unit_path__startswith=A)),
        "job": ImportJob.objects.create(
            kind="people",
            commune=a,
            unit_path=a.path,
            file_name="nguoi.csv",
            sha256="0" * 64,
            status=ImportJob.Status.CHECKED,
            created_by=officer,
        ),
        "criteria_set": cs,
        "indicator": first(Indicator.objects.filter(criteria_set=cs)),
        "criterion": first(Criterion.objects.filter(criteria_set=cs)),
        "campaign": campaign,
        "review_village": first(Assessment.objects.filter(campaign=campaign, unit__parent=a)).unit,
        "assessment": assessment,
        "citizen_assessment": first(
            Assessment.objects.filter(campaign__unit_path=A, subject_type="household")
        )
        if Assessment.objects.filter(campaign__unit_path=A, subject_type="household").exists()
        else assessment,
        "appeal": first(Appeal.objects.filter(assessment__unit_path__startswith=A)),
        "evidence": Evidence.objects.create(
            assessment=assessment,
            indicator_code="1.1",
            file_name=evidence_file,
            original_name="a.pdf",
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
            uploaded_by=officer,
        ),
        "decision": first(Decision.objects.filter(unit_path=A)),
        "recognition": first(Recognition.objects.filter(unit_path__startswith=A)),
        "dataset": first(DataSet.objects.filter(entry_level=3)),
        "plan": plan,
        "task": PlanTask.objects.create(plan=plan, title="Nhiệm vụ của xã", agency="UBND xã", unit=a),
        "report": ReportRun.objects.create(
            template=first(ReportTemplate.objects.all()),
            unit=a,
            year=dt.date.today().year,
            created_by=officer,
        ),
    }


# route name -> its URL's parameters from the objects of commune A
def _kwargs(name: str, o: dict) -> dict:
    pk = {
        "geo:unit": o["unit"],
        "geo:children": o["unit"],
        "geo:history": o["unit"],
        "geo:village_create": o["unit"],
        "geo:village_rename": o["village"],
        "geo:village_split": o["village"],
        "geo:village_merge": o["village"],
        "registry:person": o["person"],
        "registry:person_edit": o["person"],
        "registry:person_move": o["person"],
        "registry:household": o["household"],
        "registry:household_edit": o["household"],
        "registry:household_member_add": o["household"],
        "registry:household_member_remove": o["household"],
        "registry:household_set_head": o["household"],
        "registry:household_merge": o["household"],
        "registry:clan": o["clan"],
        "registry:clan_edit": o["clan"],
        "registry:clan_household_add": o["clan"],
        "registry:clan_household_remove": o["clan"],
        "registry:org": o["org"],
        "registry:org_edit": o["org"],
        "registry:org_merge": o["org"],
        "registry:org_staff_add": o["org"],
        "registry:org_staff_end": o["org"],
        "registry:centre": o["centre"],
        "registry:centre_edit": o["centre"],
        "registry:centre_staff_add": o["centre"],
        "registry:centre_merge": o["centre"],
        "registry:member_edit": o["member"],
        "registry:branch_edit": o["branch"],
        "registry:training": o["training"],
        "imports:job": o["job"],
        "imports:commit": o["job"],
        "recognition:campaign": o["campaign"],
        "recognition:campaign_edit": o["campaign"],
        "recognition:register": o["campaign"],
        "recognition:review_village": o["campaign"],
        "recognition:decision_new": o["campaign"],
        "recognition:file": o["assessment"],
        "recognition:fill": o["assessment"],
        "recognition:appeal": o["assessment"],
        "recognition:appeal_resolve": o["appeal"],
        "recognition:evidence": o["evidence"],
        "recognition:decision": o["decision"],
        "recognition:decision_pdf": o["decision"],
        "recognition:recognition": o["recognition"],
        "recognition:certificate_pdf": o["recognition"],
        "portal:file": o["citizen_assessment"],
        "portal:fill": o["citizen_assessment"],
        "portal:appeal": o["citizen_assessment"],
        "portal:certificate": o["recognition"],
        "reports:run": o["report"],
        "reports:download": o["report"],
    }
    extra = {
        "registry:household_member_remove": {"person_pk": o["household_member"]},
        "registry:clan_household_remove": {"hh_pk": o["clan_household"]},
        "registry:org_staff_end": {"m_pk": o["org_membership"]},
        "recognition:review_village": {"village_pk": o["review_village"].pk},
        "recognition:fill": {"n": 1},
        "portal:fill": {"n": 1},
        "reports:download": {"fmt": "xlsx"},
    }
    if name.startswith("criteria:"):
        kw = {"pk": o["criteria_set"].pk}
        if name == "criteria:download":
            kw["fmt"] = "xlsx"
        if name in ("criteria:indicator_edit", "criteria:indicator_delete"):
            kw["ind_pk"] = o["indicator"].pk
        if name == "criteria:indicator_add":
            kw["crit_pk"] = o["criterion"].pk
        return kw
    if name == "plans:dataset_entry":
        return {"code": o["dataset"].code, "unit_pk": o["unit"].pk, "year": dt.date.today().year}
    if name == "plans:task_status":
        return {"code": o["plan"].code, "pk": o["task"].pk}
    if name == "portal:register":
        return {"campaign_pk": o["campaign"].pk}
    if name == "portal:claim_resolve":
        return None  # a sign-up awaiting verification: built by the portal's own tests
    if name not in pk:
        raise KeyError(name)
    return {"pk": pk[name].pk, **extra.get(name, {})}


def _object_routes() -> list[fuzzing.Route]:
    """Every page pattern that has an id (an int or uuid converter) among its parameters."""
    return [r for r in fuzzing.page_routes() if any(c in ("int", "uuid") for _, c in r.params)]


def _url(route: fuzzing.Route, kwargs: dict) -> str:
    return route.template.format(**{k: str(v) for k, v in kwargs.items()})


def _forms_for(url: str, victims, cache: dict | None = None) -> dict:
    """The fields of the form the legitimate users are given for ``url`` (on the page itself or on
    the object's page above it), with their current values; empty when none is found."""
    cache = {} if cache is None else cache
    path = urlsplit(url).path
    candidates = [path]
    parts = path.rstrip("/").split("/")
    while len(parts) > 2:
        parts = parts[:-1]
        candidates.append("/".join(parts) + "/")
    for user in victims:
        for page in candidates:
            key = (user.pk, page)
            if key not in cache:
                c = cache.get(user.pk)
                if c is None:
                    c = cache[user.pk] = Client(raise_request_exception=False)
                    c.force_login(user)
                r = c.get(page)
                forms = []
                if r.status_code == 200 and "html" in r.get("Content-Type", ""):
                    h = fuzzing._Harvest()
                    h.feed(r.content.decode("utf-8", "replace"))
                    forms = h.forms
                cache[key] = forms
            for form in cache[key]:
                action = urlsplit(form["action"]).path or page
                if form["method"] == "POST" and action == path:
                    return form["fields"]
    return {}


def test_every_route_with_an_id_is_covered(world):
    missing = []
    for route in _object_routes():
        try:
            _kwargs(route.name, world["objects"])
        except KeyError:
            missing.append(route.name)
    assert not missing, f"add these routes to _kwargs in {__file__}: {missing}"


def test_officers_of_another_commune_cannot_post_to_commune_a(world):
    clients = {}
    for label, user in world["attackers"].items():
        clients[label] = Client(raise_request_exception=False)
        clients[label].force_login(user)
    pages: dict = {}
    targets = []
    for route in _object_routes():
        kwargs = _kwargs(route.name, world["objects"])
        if kwargs is None:
            continue
        url = _url(route, kwargs)
        assert resolve(urlsplit(url).path).view_name == route.name
        targets.append((route, url, _forms_for(url, world["victims"], pages)))
    assert sum(1 for *_, data in targets if data) >= 30  # most are posted with their real form

    holes, cases = [], 0
    start = _fingerprint()
    for route, url, data in targets:
        before = _quick()
        answers = {}
        for label, client in clients.items():
            answers[label] = client.post(url, data).status_code
            cases += 1
        after = _quick()
        changed = sorted(k for k in before if before[k] != after[k])
        wrong = {k: v for k, v in answers.items() if v not in ALLOWED and route.name not in OTHER_ANSWERS}
        if changed or wrong:
            holes.append(
                f"{route.name} {url} data={sorted(data)} answers={wrong or answers} changed={changed}"
            )
    end = _fingerprint()
    assert cases > 300
    assert not holes, "\n".join(holes)
    assert start == end, sorted(k for k in start if start[k] != end[k])


def test_the_harness_sees_a_legitimate_change(world):
    """The same forms, posted by the officer of commune A, do change the database: the comparison
    above can fail."""
    o = world["objects"]
    officer = world["ctx"].users["hkh_xa"]
    c = Client()
    c.force_login(officer)
    for name, obj in (("person_edit", o["person"]), ("centre_edit", o["centre"]), ("org_edit", o["org"])):
        url = {
            "person_edit": f"/so-dang-ky/cong-dan/{obj.pk}/sua/",
            "centre_edit": f"/so-dang-ky/tthtcd/{obj.pk}/sua/",
            "org_edit": f"/so-dang-ky/don-vi/{obj.pk}/sua/",
        }[name]
        data = _forms_for(url, [officer])
        assert data, name
        data[next(k for k in data if k in ("full_name", "name"))] += " (sửa)"
        before = _fingerprint()
        r = c.post(url, data)
        assert r.status_code == 302, (name, r.status_code)
        assert _fingerprint() != before, name
