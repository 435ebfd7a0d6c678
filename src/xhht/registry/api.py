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


# ---------------------------------------------------------------- other registries


class Ref(Schema):
    id: int
    name: str


class HouseholdOut(Schema):
    id: int
    code: str
    village: Ref
    address: str
    head: Ref | None


class HouseholdMemberOut(Schema):
    person: Ref
    relation: str
    valid_from: dt.date | None
    valid_to: dt.date | None


class HouseholdDetail(HouseholdOut):
    members: list[HouseholdMemberOut]


class ClanOut(Schema):
    id: int
    name: str
    commune: Ref
    head: Ref | None


class ClanDetail(ClanOut):
    households: list[HouseholdOut]


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    level: str
    unit: Ref
    head: Ref | None
    tax_code: str


class StaffOut(Schema):
    person: Ref
    category: str
    position: str
    valid_from: dt.date | None
    valid_to: dt.date | None


class OrganisationDetail(OrganisationOut):
    staff: list[StaffOut]


class CentreOut(Schema):
    id: int
    name: str
    commune: Ref
    director: Ref | None
    hkh_in_management: bool
    uses_it_management: bool
    uses_it_activities: bool
    established: dt.date | None
    valid_to: dt.date | None
    merged_into_id: int | None


class MemberOut(Schema):
    id: int
    person: Ref
    branch: Ref
    is_officer: bool
    position: str
    joined: dt.date | None
    left: dt.date | None


class MemberDetail(MemberOut):
    trainings: list[Ref]


def _ref(obj, attr: str = "name") -> dict | None:
    return None if obj is None else {"id": obj.pk, "name": getattr(obj, attr)}


def _page(items, page) -> dict:
    return {"items": items, "next": page.next_cursor}


class HouseholdPage(Schema):
    items: list[HouseholdOut]
    next: str | None


def _household(h) -> dict:
    return {
        "id": h.pk,
        "code": h.code,
        "village": _ref(h.village),
        "address": h.address,
        "head": _ref(h.head, "full_name") if h.head_id else None,
    }


@router.get("/households", response=HouseholdPage)
def households(request, q: str = "", village: int | None = None, after: str | None = None):
    """Households in the caller's scope (by code or the head's name without diacritics)."""
    page = selectors.households_search(access_for(request.user), q=q, village=village, after=after)
    return _page([_household(h) for h in page.rows], page)


@router.get("/households/{household_id}", response=HouseholdDetail)
def household(request, household_id: int):
    h = selectors.visible_household(access_for(request.user), household_id)
    out = _household(h)
    out["members"] = [
        {
            "person": _ref(m.person, "full_name"),
            "relation": m.relation,
            "valid_from": m.valid_from,
            "valid_to": m.valid_to,
        }
        for m in selectors.household_members(h, current=False)
    ]
    return out


class ClanPage(Schema):
    items: list[ClanOut]
    next: str | None


def _clan(c) -> dict:
    return {
        "id": c.pk,
        "name": c.name,
        "commune": _ref(c.commune),
        "head": _ref(c.head, "full_name") if c.head_id else None,
    }


@router.get("/clans", response=ClanPage)
def clans(request, q: str = "", after: str | None = None):
    page = selectors.clans_search(access_for(request.user), q=q, after=after)
    return _page([_clan(c) for c in page.rows], page)


@router.get("/clans/{clan_id}", response=ClanDetail)
def clan(request, clan_id: int):
    c = selectors.visible_clan(access_for(request.user), clan_id)
    out = _clan(c)
    out["households"] = [
        _household(link.household) for link in selectors.clan_households(c).filter(valid_to__isnull=True)
    ]
    return out


class OrganisationPage(Schema):
    items: list[OrganisationOut]
    next: str | None


def _org(o) -> dict:
    return {
        "id": o.pk,
        "name": o.name,
        "kind": o.kind,
        "level": o.level,
        "unit": _ref(o.unit),
        "head": _ref(o.head, "full_name") if o.head_id else None,
        "tax_code": o.tax_code,
    }


@router.get("/organisations", response=OrganisationPage)
def organisations(request, q: str = "", kind: str = "", after: str | None = None):
    page = selectors.organisations_search(access_for(request.user), q=q, kind=kind, after=after)
    return _page([_org(o) for o in page.rows], page)


@router.get("/organisations/{org_id}", response=OrganisationDetail)
def organisation(request, org_id: int):
    o = selectors.visible_organisation(access_for(request.user), org_id)
    out = _org(o)
    out["staff"] = [
        {
            "person": _ref(m.person, "full_name"),
            "category": m.category,
            "position": m.position,
            "valid_from": m.valid_from,
            "valid_to": m.valid_to,
        }
        for m in selectors.org_staff(o)
    ]
    return out


class CentrePage(Schema):
    items: list[CentreOut]
    next: str | None


def _centre(c) -> dict:
    return {
        "id": c.pk,
        "name": c.name,
        "commune": _ref(c.commune),
        "director": _ref(c.director, "full_name") if c.director_id else None,
        "hkh_in_management": c.hkh_in_management,
        "uses_it_management": c.uses_it_management,
        "uses_it_activities": c.uses_it_activities,
        "established": c.established,
        "valid_to": c.valid_to,
        "merged_into_id": c.merged_into_id,
    }


@router.get("/centres", response=CentrePage)
def centres(request, q: str = "", after: str | None = None):
    """Community learning centres (TTHTCĐ) in the caller's scope, merged ones included."""
    page = selectors.centres_search(access_for(request.user), q=q, after=after)
    return _page([_centre(c) for c in page.rows], page)


@router.get("/centres/{centre_id}", response=CentreOut)
def centre(request, centre_id: int):
    return _centre(selectors.visible_centre(access_for(request.user), centre_id))


class MemberPage(Schema):
    items: list[MemberOut]
    next: str | None


def _member(m) -> dict:
    return {
        "id": m.pk,
        "person": _ref(m.person, "full_name"),
        "branch": _ref(m.branch),
        "is_officer": m.is_officer,
        "position": m.position,
        "joined": m.joined,
        "left": m.left,
    }


@router.get("/association-members", response=MemberPage)
def association_members(
    request, q: str = "", branch: int | None = None, officers: bool = False, after: str | None = None
):
    """Current members of the study-promotion association in the caller's scope."""
    page = selectors.members_search(
        access_for(request.user), q=q, branch=branch, officers=officers, after=after
    )
    return _page([_member(m) for m in page.rows], page)


@router.get("/association-members/{member_id}", response=MemberDetail)
def association_member(request, member_id: int):
    m = selectors.visible_member(access_for(request.user), member_id)
    out = _member(m)
    out["trainings"] = [
        {"id": a.training.pk, "name": str(a.training)} for a in m.trainings.select_related("training")
    ]
    return out
