"""JSON endpoints of the recognition cycle (/api/recognition/): the same scope as the pages.

Campaigns, files (hồ sơ) and decisions for officers in their territory (a citizen or head sees
their own files); the certificate check is public (``auth=None``) and returns exactly what the
/xac-thuc/ page shows. Lists are keyset-paged: pass ``after`` = the last id you received.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from xhht.core.titles import Title

from . import selectors
from .models import Recognition

router = Router(tags=["recognition"])

MAX_LIMIT = 200


def _limit(limit: int) -> int:
    return min(max(limit, 1), MAX_LIMIT)


def _page(qs, after: int | None, limit: int) -> dict:
    if after:
        qs = qs.filter(pk__gt=after)
    rows = list(qs.order_by("pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": rows, "next": rows[-1].pk if more and rows else None}


# ----------------------------------------------------------------------------------- campaigns


class CampaignOut(Schema):
    id: int
    title: str
    title_label: str
    year: int
    unit_id: int
    unit_name: str
    name: str
    registration_deadline: dt.date | None
    self_assessment_deadline: dt.date | None
    review_deadline: dt.date | None
    decision_deadline: dt.date | None
    is_open: bool

    @staticmethod
    def resolve_title_label(obj) -> str:
        return str(Title(obj.title).label)

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name


class CampaignPage(Schema):
    items: list[CampaignOut]
    next: int | None


@router.get("/campaigns", response=CampaignPage)
def campaigns(
    request,
    year: int | None = None,
    title: str = "",
    is_open: bool | None = None,
    after: int | None = None,
    limit: int = 50,
):
    """Campaigns the caller works on (their territory and the campaigns above it)."""
    qs = selectors.campaigns_for(request.user)
    if year:
        qs = qs.filter(year=year)
    if title:
        qs = qs.filter(title=title)
    if is_open is not None:
        qs = qs.filter(is_open=is_open)
    return _page(qs, after, _limit(limit))


@router.get("/campaigns/{campaign_id}", response=CampaignOut)
def campaign(request, campaign_id: int):
    return selectors.campaign_or_404(request.user, campaign_id)


# --------------------------------------------------------------------------------------- files


class FileOut(Schema):
    id: int
    campaign_id: int
    title: str
    year: int
    subject_type: str
    subject_id: int
    subject_name: str
    unit_id: int
    unit_name: str
    status: str
    status_label: str
    self_total: float | None
    self_level: str
    review_total: float | None
    review_level: str
    review_passed: bool | None
    on_behalf: bool
    submitted_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    decision_id: int | None

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())


class FileDetailOut(FileOut):
    criteria_hash: str
    answers: dict
    computed: dict
    review: dict
    results: list
    review_comment: str
    returned_reason: str


class FilePage(Schema):
    items: list[FileOut]
    next: int | None


@router.get("/files", response=FilePage)
def files(
    request,
    campaign: int | None = None,
    status: str = "",
    unit: int | None = None,
    after: int | None = None,
    limit: int = 50,
):
    """Files (hồ sơ) in the caller's territory, or the caller's own files."""
    qs = selectors.visible_files(request.user).defer(*selectors.FILE_JSON)
    if campaign:
        qs = qs.filter(campaign_id=campaign)
    if status:
        qs = qs.filter(status=status)
    if unit:
        qs = qs.filter(unit_id=unit)
    return _page(qs, after, _limit(limit))


@router.get("/files/{file_id}", response=FileDetailOut)
def file(request, file_id: int):
    return selectors.file_or_404(request.user, file_id)


# ----------------------------------------------------------------------------------- decisions


class DecisionOut(Schema):
    id: int
    campaign_id: int | None
    title: str
    year: int
    number: int
    number_label: str
    date: dt.date
    place: str
    issuer_unit_id: int
    issuer_name: str
    signer_name: str
    signer_position: str
    subject_count: int
    validity_years: int


class DecisionDetailOut(DecisionOut):
    legal_basis: str


class DecisionPage(Schema):
    items: list[DecisionOut]
    next: int | None


class RecognitionOut(Schema):
    id: int
    subject_type: str
    subject_id: int
    subject_name: str
    unit_id: int
    unit_label: str
    level: str
    total_points: float | None
    valid_from: dt.date
    valid_to: dt.date | None
    revoked_at: dt.datetime | None
    revoked_reason: str


class RecognitionPage(Schema):
    items: list[RecognitionOut]
    next: int | None


@router.get("/decisions", response=DecisionPage)
def decisions(request, year: int | None = None, title: str = "", after: int | None = None, limit: int = 50):
    qs = selectors.decisions_for(request.user)
    if year:
        qs = qs.filter(year=year)
    if title:
        qs = qs.filter(title=title)
    return _page(qs, after, _limit(limit))


@router.get("/decisions/{decision_id}", response=DecisionDetailOut)
def decision(request, decision_id: int):
    return get_object_or_404(selectors.decisions_for(request.user), pk=decision_id)


@router.get("/decisions/{decision_id}/recognitions", response=RecognitionPage)
def decision_recognitions(request, decision_id: int, after: int | None = None, limit: int = 200):
    """The decision's attached list, in pages (a decision may recognise 10,000 subjects)."""
    d = get_object_or_404(selectors.decisions_for(request.user), pk=decision_id)
    qs = Recognition.objects.filter(decision=d).defer("indicator_results")
    return _page(qs, after, _limit(limit))


# ------------------------------------------------------------------------- public verification


class VerifyOut(Schema):
    """What the public verification page shows — nothing more."""

    state: str  # valid | revoked | expired
    holder: str
    title: str
    title_label: str
    year: int
    issuer: str


@router.get("/verify/{token}", response=VerifyOut, auth=None)
def verify(request, token: str, response: HttpResponse):
    """Public: check a certificate by the token printed in its QR code (no login)."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-cache, max-age=0"
    cert = selectors.certificate_by_token(token)
    if cert is None:
        raise Http404
    rec = cert.recognition
    state = "revoked" if rec.is_revoked else ("valid" if rec.is_valid_on() else "expired")
    return {
        "state": state,
        "holder": cert.holder_display,
        "title": rec.title,
        "title_label": str(Title(rec.title).label),
        "year": rec.year,
        "issuer": cert.issuer_name,
    }
