"""JSON endpoints of the analytics: indicator values per unit and year, scoped like the dashboards."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from ninja import Router, Schema

from xhht.accounts.access import Perm, access_for

router = Router(tags=["analytics"])


class ValueOut(Schema):
    indicator: str
    unit_id: int
    unit_name: str
    year: int
    numerator: int
    denominator: int | None
    registered: int | None
    value: float | None
    unit: str


class ValuesPage(Schema):
    items: list[ValueOut]


def _years(years: str, year: int | None) -> list[int]:
    out = [int(y) for y in years.split(",") if y.strip().isdigit()] if years else []
    if year:
        out.append(year)
    out = sorted(set(out)) or [dt.date.today().year]
    if len(out) > 30:
        raise Http404
    return out


@router.get("/values", response=ValuesPage)
def values(
    request, unit: int, year: int | None = None, years: str = "", codes: str = "", below: bool = False
):
    """Indicator values of ``unit`` (and of the units one level below it with ``below=true``) for
    ``year`` or the comma-separated ``years``; ``codes`` limits the indicators (comma-separated)."""
    from xhht.analytics.selectors import indicator_values
    from xhht.plans.models import Indicator
    from xhht.plans.selectors import get_unit, units_below

    access = access_for(request.user)
    if not access.has(Perm.PLANS_VIEW):
        raise Http404
    u = get_unit(access, unit)
    ys = _years(years, year)
    inds = Indicator.objects.exclude(numerator="")
    if codes:
        inds = inds.filter(code__in=[c.strip() for c in codes.split(",") if c.strip()])
    inds = list(inds)
    units = [u, *(units_below(u) if below else [])]
    vals = indicator_values(inds, [x.path for x in units], ys)
    items = []
    for x in units:
        for ind in inds:
            for y in ys:
                v = vals[(ind.code, y, x.path)]
                items.append(
                    {
                        "indicator": ind.code,
                        "unit_id": x.pk,
                        "unit_name": x.name,
                        "year": y,
                        "numerator": v.numerator,
                        "denominator": v.denominator,
                        "registered": v.registered,
                        "value": None if v.value is None else float(v.value),
                        "unit": ind.unit,
                    }
                )
    return {"items": items}
