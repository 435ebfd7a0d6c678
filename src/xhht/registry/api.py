"""JSON endpoints of the registry: the same scope and masking as the pages."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from xhht.accounts.access import Perm, access_for

from . import selectors

router = Router(tags=["registry"])


class PersonOut(Schema):
    id: int
    full_name: str
    birth_date: dt.date | None
    birth_year: int | None
    sex: str
    cccd: str
    phone: str
    village_id: int
    village_name: str
    status: str
    occupation: str


class PersonPage(Schema):
    items: list[PersonOut]
    next: str | None


def _out(p, mask) -> dict:
    return {
        "id": p.pk,
        "full_name": p.full_name,
        "birth_date": p.birth_date,
        "birth_year": p.birth_year,
        "sex": p.sex,
        "cccd": mask.cccd(p),
        "phone": mask.phone(p),
        "village_id": p.village_id,
        "village_name": getattr(p, "village_name", None) or p.village.name,
        "status": p.status,
        "occupation": p.occupation,
    }


@router.get("/people", response=PersonPage)
def people(
    request,
    q: str = "",
    village: int | None = None,
    sex: str = "",
    occupation: str = "",
    status: str = "",
    after: str | None = None,
    limit: int = 50,
):
    """People in the caller's scope, in Vietnamese alphabetical order; ``next`` is the cursor of the next page."""
    access = access_for(request.user)
    filters = {
        k: v
        for k, v in {"village": village, "sex": sex, "occupation": occupation, "status": status}.items()
        if v
    }
    page = selectors.people_search(access, q=q, filters=filters, after=after, limit=min(max(limit, 1), 200))
    mask = selectors.mask_for(access)
    return {"items": [_out(p, mask) for p in page.rows], "next": page.next_cursor}


@router.get("/people/{person_id}", response=PersonOut)
def person(request, person_id: int):
    access = access_for(request.user)
    p = selectors.visible_person(access, person_id)
    return _out(p, selectors.mask_for(access))


__all__ = ["router", "Perm"]
