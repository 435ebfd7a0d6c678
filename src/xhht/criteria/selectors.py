"""Reads of the criteria app: lists of sets, and the publish preview."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from xhht.accounts.access import Perm, access_for
from xhht.core.fields import subtree_q
from xhht.core.titles import SubjectType, Title

from .models import CriteriaSet, IndicatorKind


def sets_for_listing(title: str | None = None) -> QuerySet:
    qs = CriteriaSet.objects.select_related("province", "published_by").order_by("title", "code", "-version")
    if title:
        qs = qs.filter(title=title)
    return qs


def can_manage(user, criteria_set: CriteriaSet | None = None) -> bool:
    access = access_for(user)
    if criteria_set is not None and criteria_set.province_id:
        return access.has(Perm.CRITERIA_MANAGE, criteria_set.province)
    return access.has(Perm.CRITERIA_MANAGE)


def can_view(user) -> bool:
    access = access_for(user)
    return access.is_staff_officer or access.has(Perm.CRITERIA_MANAGE)


def confirm_provinces(user, criteria_set: CriteriaSet) -> list:
    """Today's provinces where ``user`` may confirm this provisional set and has not yet done so
    (Sở GD-ĐT, Hội Khuyến học tỉnh: ``CRITERIA_MANAGE`` over the province)."""
    from xhht.geo.models import AdminUnit, Level

    if not criteria_set.provisional or criteria_set.status != "published":
        return []
    access = access_for(user)
    qs = AdminUnit.objects.filter(level=Level.PROVINCE, valid_to__isnull=True).order_by("sort_key")
    if criteria_set.province_id:
        qs = qs.filter(pk=criteria_set.province_id)
    done = set(criteria_set.confirmations.values_list("province_id", flat=True))
    return [u for u in qs if u.pk not in done and access.has(Perm.CRITERIA_MANAGE, u)]


def user_provinces(user) -> list[str]:
    """Paths of today's provinces the user works in (to show their province's confirmations)."""
    paths = set()
    for p in access_for(user).paths_for(Perm.PLANS_VIEW) or access_for(user).paths_for(Perm.UNIT_VIEW):
        segs = p.strip("/").split("/")
        if len(segs) >= 2:
            paths.add(f"{segs[0]}/{segs[1]}/")
    return sorted(paths)


# ---------------------------------------------------------------------------------------- subjects

_UNIT_LEVEL = {Title.CDHT_THON: 4, Title.CDHT_XA: 3, Title.CDHT_TINH: 1}


def subjects_queryset(criteria_set: CriteriaSet, *, user=None, on: dt.date | None = None) -> QuerySet:
    """Every subject the set could assess (current ones), within the set's province and the user's scope."""
    from xhht.geo.models import AdminUnit
    from xhht.registry.models import Clan, Household, LearningCentre, Organisation, Person, PersonStatus

    st = criteria_set.subject_type
    path_field = "unit_path"
    if st == SubjectType.PERSON:
        qs = Person.objects.filter(status=PersonStatus.ACTIVE)
    elif st == SubjectType.HOUSEHOLD:
        qs = Household.objects.all()
    elif st == SubjectType.CLAN:
        qs = Clan.objects.all()
    elif st == SubjectType.ORGANISATION:
        qs = Organisation.objects.filter(valid_to__isnull=True)
    elif st == SubjectType.CENTRE:
        qs = LearningCentre.objects.filter(valid_to__isnull=True)
    else:
        qs = AdminUnit.objects.current(on).filter(level=_UNIT_LEVEL.get(criteria_set.title, 3))
        path_field = "path"
    if criteria_set.province_id:
        qs = qs.filter(subtree_q(criteria_set.province.path, path_field))
    if user is not None:
        qs = access_for(user).scope(qs, Perm.CRITERIA_MANAGE, path_field=path_field)
    return qs


@dataclass
class Preview:
    year: int
    subjects: int  # subjects in scope
    considered: (
        int  # those previewed: all, or those recognised in ``year`` when some indicators are entered by hand
    )
    would_pass: int
    by_level: dict[str, int] = field(default_factory=dict)
    computed_only: bool = False


def _assumed_answer(ind):
    """What a subject recognised last year is assumed to have on an indicator entered by hand."""
    if ind.kind == IndicatorKind.PASS_FAIL:
        return True
    if ind.kind == IndicatorKind.POINTS:
        return ind.max_points
    return ind.min_points


def preview(criteria_set: CriteriaSet, *, user=None, year: int | None = None) -> Preview:
    """How many subjects would pass with the registry as it was in ``year`` (default: last year).

    Rule-computed indicators are computed in SQL for ``year``. When the set also has indicators
    entered by hand, only the subjects recognised for this title in ``year`` are previewed, with
    their hand-entered indicators assumed met: the preview then says how many of last year's
    recognitions the new rules would keep.
    """
    from xhht.recognition.models import Recognition

    from .engine import evaluate_rules
    from .services import score

    year = year or dt.date.today().year - 1
    base = subjects_queryset(criteria_set, user=user)
    indicators = list(criteria_set.indicators)
    manual = [i for i in indicators if not i.rule.strip()]
    computed_only = not manual
    if computed_only:
        considered_qs = base
    else:
        recognised = Recognition.objects.filter(
            title=criteria_set.title,
            subject_type=criteria_set.subject_type,
            year=year,
            revoked_at__isnull=True,
        ).values("subject_id")
        considered_qs = base.filter(pk__in=recognised)
    values = evaluate_rules(criteria_set, considered_qs, year)
    fixed = {i.code: _assumed_answer(i) for i in manual}
    by_combo: dict[tuple, int] = {}
    for v in values.values():
        key = tuple(sorted(v.items()))
        by_combo[key] = by_combo.get(key, 0) + 1
    by_level: dict[str, int] = {}
    passing = 0
    for combo, n in by_combo.items():
        answers = dict(fixed)
        for code, val in combo:
            answers[code] = _rule_answer(val)
        try:
            r = score(criteria_set, answers)
        except Exception:  # a rule value out of an indicator's range counts as not passing
            continue
        if r.passed:
            passing += n
            by_level[r.level] = by_level.get(r.level, 0) + n
    return Preview(
        year=year,
        subjects=base.count(),
        considered=len(values),
        would_pass=passing,
        by_level=by_level,
        computed_only=computed_only,
    )


def _rule_answer(val):
    if val is None or isinstance(val, bool):
        return val
    return Decimal(str(round(val, 6))) if isinstance(val, float) else val


__all__ = [
    "Preview",
    "can_manage",
    "can_view",
    "confirm_provinces",
    "preview",
    "sets_for_listing",
    "subjects_queryset",
    "user_provinces",
]
