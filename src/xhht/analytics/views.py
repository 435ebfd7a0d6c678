"""/chi-so/: every indicator for one of the user's units in a year, and the units one level below
it (click a unit to drill down). Read through the same scope as the dashboards."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from xhht.accounts.access import Perm, access_for
from xhht.core.params import int_param


@login_required
def indicators(request):
    from xhht.plans import selectors as ps
    from xhht.plans.models import Indicator
    from xhht.plans.render import Fmt

    from .selectors import indicator_values

    access = access_for(request.user)
    access.require(Perm.PLANS_VIEW)
    year = int_param(request, "nam", dt.date.today().year, min_value=1900, max_value=2100, label=_("năm"))
    pk = request.GET.get("don_vi")
    unit = ps.get_unit(access, pk) if pk else ps.default_unit(access, None)
    if unit is None:
        raise Http404
    inds = list(Indicator.objects.exclude(numerator=""))
    below = ps.units_below(unit)
    vals = indicator_values(inds, [unit.path, *[u.path for u in below]], [year])
    fmt = Fmt()
    rows = [
        {
            "ind": i,
            "v": vals[(i.code, year, unit.path)],
            "value": fmt.dec2(vals[(i.code, year, unit.path)].value),
        }
        for i in inds
    ]
    grid = [{"unit": u, "cells": [fmt.dec2(vals[(i.code, year, u.path)].value) for i in inds]} for u in below]
    ancestors = [a for a in unit.ancestors() if ps.can_view_unit(access, a) and a.pk != unit.pk]
    return render(
        request,
        "analytics/indicators.html",
        {
            "unit": unit,
            "year": year,
            "rows": rows,
            "inds": inds,
            "grid": grid,
            "ancestors": ancestors,
            "years": list(range(year - 5, dt.date.today().year + 1)),
        },
    )
