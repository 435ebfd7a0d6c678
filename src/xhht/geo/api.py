"""JSON endpoints of the map: the same scope as the pages."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from xhht.accounts.access import Perm, access_for

from . import selectors

router = Router(tags=["geo"])


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    level: int
    parent_id: int | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    latitude: float | None
    longitude: float | None


@router.get("/units/{unit_id}", response=UnitOut)
def unit(request, unit_id: int):
    return selectors.visible_unit(access_for(request.user), unit_id)


@router.get("/units/{unit_id}/children", response=list[UnitOut])
def children(request, unit_id: int, former: bool = False):
    u = selectors.visible_unit(access_for(request.user), unit_id)
    return list(selectors.unit_children(u, include_former=former))


@router.get("/search", response=list[UnitOut])
def search(request, q: str, limit: int = 50):
    access = access_for(request.user)
    access.require(Perm.UNIT_VIEW)
    return selectors.search_units(access, q, limit=min(max(limit, 1), 200))
