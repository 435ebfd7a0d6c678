"""JSON endpoints of the plans: the plans a user may see and a plan's dashboard for a unit and year
(targets, current values, gaps, traffic lights, ranking of the units below), scoped like the pages."""

from __future__ import annotations

from django.http import Http404
from ninja import Router, Schema
from ninja.errors import HttpError

from xhht.accounts.access import Perm, access_for

from . import selectors

router = Router(tags=["plans"])


class PlanOut(Schema):
    code: str
    number: str
    title: str
    start_year: int
    end_year: int
    territory_id: int | None


class TargetOut(Schema):
    indicator: str | None
    year: int
    judged_year: int  # the year whose figures judge the target: its own once it has passed
    text: str
    target: float | None
    current: float | None
    numerator: int | None
    denominator: int | None
    gap: float | None
    pace: float | None
    needed_pace: float | None
    projected: float | None
    light: str


class RankOut(Schema):
    unit_id: int
    unit_name: str
    value: float | None


class DashboardOut(Schema):
    plan: str
    unit_id: int
    unit_name: str
    year: int
    targets: list[TargetOut]
    ranking_by: str | None
    ranking: list[RankOut]


def _f(v):
    return None if v is None else float(v)


@router.get("/", response=list[PlanOut])
def plans(request):
    access = access_for(request.user)
    return [
        {
            "code": p.code,
            "number": p.number,
            "title": p.title,
            "start_year": p.start_year,
            "end_year": p.end_year,
            "territory_id": p.territory_id,
        }
        for p in selectors.visible_plans(access).order_by("date", "code")
    ]


@router.get("/{code}/dashboard", response=DashboardOut)
def dashboard(request, code: str, unit: int | None = None, year: int | None = None, rank_by: str = ""):
    access = access_for(request.user)
    plan = selectors.visible_plans(access).filter(code=code).first()
    if plan is None:
        raise Http404
    u = selectors.get_unit(access, unit) if unit else selectors.default_unit(access, plan)
    if u is None:
        raise HttpError(404, selectors.no_unit_message(plan))
    if not selectors.in_territory(plan, u):
        raise HttpError(400, selectors.outside_message(plan, u))
    d = selectors.dashboard(
        access=access, plan=plan, unit=u, year=year or selectors.default_year(plan), rank_by=rank_by or None
    )
    return {
        "plan": plan.code,
        "unit_id": u.pk,
        "unit_name": u.name,
        "year": d["year"],
        "targets": [
            {
                "indicator": r.indicator.code if r.indicator else None,
                "year": r.target.year,
                "judged_year": r.year,
                "text": r.target.text,
                "target": _f(r.target.value),
                "current": _f(r.current.value) if r.current else None,
                "numerator": r.current.numerator if r.current else None,
                "denominator": r.current.denominator if r.current else None,
                "gap": _f(r.gap),
                "pace": _f(r.pace),
                "needed_pace": _f(r.needed_pace),
                "projected": _f(r.projected),
                "light": r.light,
            }
            for r in d["rows"]
        ],
        "ranking_by": d["rank_by"].code if d["rank_by"] else None,
        "ranking": [
            {"unit_id": x["unit"].pk, "unit_name": x["unit"].name, "value": _f(x["key"])}
            for x in d["ranking"]
        ],
    }


__all__ = ["router", "Perm"]
