"""JSON endpoints of the criteria sets (/api/criteria/): the same audience as the pages.

Who may read: staff officers and criteria managers (``selectors.can_view``), like /tieu-chi/;
anyone else gets 403, anonymous callers 401. Endpoints:

- ``GET /sets?title=CDHT&status=published`` — the sets, newest version first within a code;
- ``GET /sets/{id}`` — one set with its tree (groups → criteria → indicators) and outcome rules;
- ``GET /in-force?title=CDHT&year=2025&province=<unit id>`` — the published set that applies
  (``services.criteria_set_for``);
- ``POST /sets/{id}/score`` with ``{"answers": {"1.1": 8, "2.1": true}}`` — the result of
  ``services.score`` against a PUBLISHED set (drafts are refused: a result must be reproducible);
- ``POST /sets/{id}/confirm`` with ``{"province": <unit id>, "note": "…"}`` — a province officer
  confirms a set with provisional content for the province (``services.criteria_set_confirm``).

Every set, group, criterion, indicator and outcome says whether it is ``provisional`` (a number the
known legal text does not give) and why (``provisional_note``); a set lists its confirmations.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from xhht.core.titles import Level, Title

from . import selectors, services
from .models import AppliesTo, CriteriaSet, SetStatus

router = Router(tags=["criteria"])


def _viewer(request) -> None:
    if not selectors.can_view(request.user):
        raise HttpError(403, _("Bạn không có quyền xem bộ tiêu chí."))


def _num(v):
    if v is None or isinstance(v, bool):
        return v
    return float(v) if isinstance(v, Decimal) else v


class SetOut(Schema):
    id: int
    code: str
    version: int
    title: str
    title_label: str
    name: str
    name_en: str
    source: str
    description: str
    status: str
    year_from: int
    year_to: int | None
    province_id: int | None
    unofficial: bool
    applies_to: str
    provisional: bool
    provisional_note: str
    content_hash: str
    published_at: dt.datetime | None
    parent_id: int | None

    @staticmethod
    def resolve_title_label(obj) -> str:
        return str(Title(obj.title).label)


class IndicatorOut(Schema):
    code: str
    label: str
    label_en: str
    hint: str
    kind: str
    max_points: float
    min_points: float | None
    mandatory: bool
    level: str
    evidence: str
    rule: str
    provisional: bool
    provisional_note: str


class CriterionOut(Schema):
    code: str
    label: str
    label_en: str
    hint: str
    max_points: float | None
    indicators: list[IndicatorOut]
    provisional: bool
    provisional_note: str


class GroupOut(Schema):
    code: str
    label: str
    label_en: str
    hint: str
    max_points: float | None
    criteria: list[CriterionOut]
    provisional: bool
    provisional_note: str


class OutcomeOut(Schema):
    level: str
    level_label: str
    label: str
    min_total: float | None
    check_minimums: bool
    condition: str
    message: str
    provisional: bool
    provisional_note: str


class ConfirmationOut(Schema):
    province_id: int
    province_name: str
    confirmed_by: str
    confirmed_at: dt.datetime
    note: str

    @staticmethod
    def resolve_province_name(obj) -> str:
        return obj.province.name

    @staticmethod
    def resolve_confirmed_by(obj) -> str:
        return obj.confirmed_by_name


class ConfirmIn(Schema):
    province: int
    note: str


class SetDetailOut(SetOut):
    subject_type: str
    groups: list[GroupOut]
    outcomes: list[OutcomeOut]
    confirmations: list[ConfirmationOut]

    @staticmethod
    def resolve_confirmations(obj) -> list:
        return list(obj.confirmations.select_related("province").order_by("province__sort_key"))

    @staticmethod
    def resolve_groups(obj) -> list:
        return obj.api_tree["groups"]

    @staticmethod
    def resolve_outcomes(obj) -> list:
        return obj.api_tree["outcomes"]


class ScoreIn(Schema):
    answers: dict[str, bool | float | str | None]


class ScoreOut(Schema):
    criteria_set_id: int
    content_hash: str
    total: float
    passed: bool
    level: str | None
    level_label: str
    per_group: dict[str, float]
    per_criterion: dict[str, float]
    per_indicator: dict[str, bool | float | None]
    points: dict[str, float]
    failures: list[str]


def _tree(cs: CriteriaSet) -> dict:
    indicators = list(cs.indicators)
    groups = []
    for g in cs.groups:
        crits = []
        for c in g.criteria:
            inds = [
                {
                    "code": i.code,
                    "label": i.label,
                    "label_en": i.label_en,
                    "hint": i.hint,
                    "kind": i.kind,
                    "max_points": _num(i.max_points),
                    "min_points": _num(i.min_points),
                    "mandatory": i.mandatory,
                    "level": i.level,
                    "evidence": i.evidence,
                    "rule": i.rule,
                    "provisional": i.provisional,
                    "provisional_note": i.provisional_note,
                }
                for i in indicators
                if i.criterion_id == c.pk
            ]
            crits.append(
                {
                    "code": c.code,
                    "label": c.label,
                    "label_en": c.label_en,
                    "hint": c.hint,
                    "max_points": _num(c.max_points),
                    "provisional": c.provisional,
                    "provisional_note": c.provisional_note,
                    "indicators": inds,
                }
            )
        groups.append(
            {
                "code": g.code,
                "label": g.label,
                "label_en": g.label_en,
                "hint": g.hint,
                "max_points": _num(g.max_points),
                "provisional": g.provisional,
                "provisional_note": g.provisional_note,
                "criteria": crits,
            }
        )
    outcomes = [
        {
            "level": r.level,
            "level_label": str(Level(r.level).label),
            "label": r.label,
            "min_total": _num(r.min_total),
            "check_minimums": r.check_minimums,
            "condition": r.condition,
            "message": r.message,
            "provisional": r.provisional,
            "provisional_note": r.provisional_note,
        }
        for r in cs.outcome_rules
    ]
    return {"groups": groups, "outcomes": outcomes}


@router.get("/sets", response=list[SetOut])
def sets(request, title: str = "", status: str = ""):
    _viewer(request)
    qs = selectors.sets_for_listing(title if title in Title.values else None)
    if status in SetStatus.values:
        qs = qs.filter(status=status)
    return list(qs)


@router.get("/sets/{set_id}", response=SetDetailOut)
def set_detail(request, set_id: int):
    _viewer(request)
    cs = get_object_or_404(CriteriaSet, pk=set_id)
    cs.api_tree = _tree(cs)
    return cs


@router.get("/in-force", response=SetOut)
def in_force(request, title: str, year: int, province: int | None = None, level: str = ""):
    """``level``: ``xa`` (commune-level units) or ``tren_xa`` (district/province-level); by default
    the level of the ``province`` unit given (a commune → ``xa``)."""
    _viewer(request)
    if title not in Title.values:
        raise HttpError(400, _("Danh hiệu «%(title)s» không có.") % {"title": title})
    if level and level not in AppliesTo.values:
        raise HttpError(400, _("Cấp «%(level)s» không có; dùng xa hoặc tren_xa.") % {"level": level})
    unit = None
    if province is not None:
        from xhht.geo.models import AdminUnit

        unit = get_object_or_404(AdminUnit, pk=province)
    try:
        return services.criteria_set_for(title, year, unit, level=level or None)
    except services.NoCriteriaSet as exc:
        raise HttpError(404, exc.messages[0]) from exc


@router.post("/sets/{set_id}/score", response=ScoreOut)
def score(request, set_id: int, payload: ScoreIn):
    _viewer(request)
    cs = get_object_or_404(CriteriaSet, pk=set_id)
    if cs.status != SetStatus.PUBLISHED:
        raise HttpError(400, _("Chỉ chấm điểm theo bộ tiêu chí đã ban hành."))
    try:
        r = services.score(cs, payload.answers)
    except services.ScoreError as exc:
        raise HttpError(400, " ".join(exc.messages)) from exc
    return {
        "criteria_set_id": cs.pk,
        "content_hash": cs.content_hash,
        "total": _num(r.total),
        "passed": r.passed,
        "level": r.level,
        "level_label": str(r.level_label),
        "per_group": {k: _num(v) for k, v in r.per_group.items()},
        "per_criterion": {k: _num(v) for k, v in r.per_criterion.items()},
        "per_indicator": {k: _num(v) for k, v in r.per_indicator.items()},
        "points": {k: _num(v) for k, v in r.points.items()},
        "failures": [str(f) for f in r.failures],
    }


@router.post("/sets/{set_id}/confirm", response=ConfirmationOut)
def confirm(request, set_id: int, payload: ConfirmIn):
    _viewer(request)
    from django.core.exceptions import PermissionDenied, ValidationError

    from xhht.geo.models import AdminUnit

    cs = get_object_or_404(CriteriaSet, pk=set_id)
    province = AdminUnit.objects.filter(pk=payload.province).first()
    try:
        c = services.criteria_set_confirm(
            user=request.user, criteria_set=cs, province=province, note=payload.note
        )
    except PermissionDenied as exc:
        raise HttpError(
            403, _("Chỉ Sở Giáo dục và Đào tạo hoặc Hội Khuyến học của tỉnh mới xác nhận được.")
        ) from exc
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from exc
    return c
