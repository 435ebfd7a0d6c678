"""Reads of plans: the dashboard of a plan for a unit and year (targets, actuals, gaps, traffic
lights, trends, projections, ranking of the units below), always scoped to what the user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xhht.accounts.access import Access, Perm
from xhht.analytics.mapping import unit_map
from xhht.analytics.selectors import IndicatorValue, indicator_values
from xhht.core.titles import Title
from xhht.geo.models import AdminUnit

from .models import Commendation, Indicator, Plan, Target

ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA, REACHED = "dat", "nguy_co", "cham", "khong_du_lieu", "da_dat"
MISSED = "khong_dat"  # a milestone year that has ended below its target
LIGHT_LABELS = {
    REACHED: _("Đã đạt"),
    ON_TRACK: _("Đạt tiến độ"),
    AT_RISK: _("Có nguy cơ"),
    OFF_TRACK: _("Chậm tiến độ"),
    MISSED: _("Không đạt"),
    NO_DATA: _("Chưa có số liệu"),
}
LIGHT_CSS = {
    REACHED: "xh-ok",
    ON_TRACK: "xh-ok",
    AT_RISK: "xh-risk",
    OFF_TRACK: "xh-bad",
    MISSED: "xh-bad",
    NO_DATA: "",
}


def visible_plans(access: Access):
    if not access.has(Perm.PLANS_VIEW):
        return Plan.objects.none()
    return Plan.objects.select_related("issuer", "territory", "parent")


def can_view_unit(access: Access, unit: AdminUnit) -> bool:
    """Today's units in scope; a former unit when the user sees the unit that carries it today."""
    if access.has(Perm.PLANS_VIEW, unit):
        return True
    if unit.valid_to is not None:
        succ = unit_map().successor(unit.path)
        return bool(succ) and access.has(Perm.PLANS_VIEW, succ)
    return False


def default_unit(access: Access, plan: Plan | None) -> AdminUnit | None:
    """The unit a plan's dashboard or report opens on: the plan's territory when the user sees it,
    else the user's own unit when the plan applies there, else the first unit of the territory the
    user sees (None: the plan does not apply anywhere the user works)."""
    if plan is not None and plan.territory_id and can_view_unit(access, plan.territory):
        return plan.territory
    roots = access.units(Perm.PLANS_VIEW)
    if plan is None:
        return roots[0] if roots else None
    for root in roots:
        if in_territory(plan, root):
            return root
    units = territory_units(access, plan)
    return units[0] if units else None


# --- The territory a plan applies to ------------------------------------------------------------


def _national(plan: Plan | None) -> bool:
    return plan is None or not plan.territory_id or plan.territory_path in ("", "VN/")


def _formed_from(unit: AdminUnit, former: AdminUnit) -> bool:
    """Whether today's ``unit`` was formed from ``former`` (a unit that no longer exists).

    A commune (and its villages) belongs to a former territory when at least one of the units it
    was formed from lay inside it — the communes made of parts of two former provinces belong to
    both. A province belongs only when everything it was formed from lay inside: today's Quảng Ngãi
    (the former Quảng Ngãi and Kon Tum) is not inside the former Kon Tum, today's Huế (the former
    Thừa Thiên Huế alone) is inside the former Thừa Thiên Huế.
    """
    from xhht.geo.models import Level, UnitSuccession

    if unit.level == Level.VILLAGE and unit.parent_id:
        unit = unit.parent
    preds = list(UnitSuccession.objects.filter(successor=unit).values_list("predecessor__path", flat=True))
    if not preds:
        return False
    if unit.level == Level.COMMUNE:
        return any(p.startswith(former.path) for p in preds)
    if unit.level == Level.PROVINCE:
        return all(p.startswith(former.path) for p in preds)
    return False


def in_territory(plan: Plan, unit: AdminUnit) -> bool:
    """Whether the plan's targets apply to ``unit``.

    A plan applies inside its territory. For a plan written for a territory that no longer exists
    (the former Kon Tum province, ``VN/L62/``), that means its former units and today's units
    formed from (part of) it; for a plan of today's territory, today's units inside it and former
    units whose figures are carried by one of them.
    """
    if _national(plan):
        return True
    territory = plan.territory
    if unit.path.startswith(territory.path):
        return True
    if territory.valid_to is None:
        if unit.valid_to is None:
            return False
        succ = unit_map().successor(unit.path)
        return bool(succ) and succ.startswith(territory.path)
    if unit.valid_to is not None:
        return False
    return _formed_from(unit, territory)


def territory_name(plan: Plan) -> str:
    if _national(plan):
        return gettext("toàn quốc")
    t = plan.territory
    if t.valid_to is not None:
        return gettext("%(name)s (địa bàn trước ngày %(date)s)") % {
            "name": t.name,
            "date": (t.valid_to + dt.timedelta(days=1)).strftime("%d/%m/%Y"),
        }
    return t.name


def outside_message(plan: Plan, unit: AdminUnit) -> str:
    return gettext(
        "%(unit)s không thuộc địa bàn áp dụng của %(plan)s (%(territory)s): "
        "chỉ tiêu của kế hoạch không áp dụng cho đơn vị này. Hãy chọn một đơn vị trong địa bàn."
    ) % {"unit": unit.name, "plan": plan.number or plan.title, "territory": territory_name(plan)}


def no_unit_message(plan: Plan) -> str:
    return gettext(
        "%(plan)s áp dụng cho %(territory)s; phạm vi công việc của bạn không có đơn vị nào thuộc địa bàn này."
    ) % {"plan": plan.number or plan.title, "territory": territory_name(plan)}


def territory_units(
    access: Access, plan: Plan | None, *, include: AdminUnit | None = None
) -> list[AdminUnit]:
    """The units a report on ``plan`` may be made for, among those the user sees: the territory
    itself, and today's provinces and communes inside it (for a former territory: formed from it;
    without a plan, the whole country). ``include`` (a unit already chosen, e.g. a village from the
    dashboard) is kept when it is inside."""
    from xhht.geo.models import Level, UnitSuccession

    out: dict[int, AdminUnit] = {}
    if _national(plan) or plan.territory.valid_to is None:
        base = AdminUnit.objects.get(path="VN/") if _national(plan) else plan.territory
        mine = access.units(Perm.PLANS_VIEW)
        if any(base.path.startswith(r.path) for r in mine):
            roots = [base]
        else:
            roots = [r for r in mine if r.path.startswith(base.path)]
        for r in roots:
            out[r.pk] = r
            if r.level < Level.COMMUNE:
                for u in AdminUnit.objects.filter(parent=r, valid_to__isnull=True, level__lte=Level.COMMUNE):
                    out[u.pk] = u
    else:
        territory = plan.territory
        if can_view_unit(access, territory):
            out[territory.pk] = territory
        succ_ids = set(
            UnitSuccession.objects.filter(
                predecessor__path__startswith=territory.path,
                successor__valid_to__isnull=True,
                successor__level__in=(Level.PROVINCE, Level.COMMUNE),
            ).values_list("successor_id", flat=True)
        )
        for u in AdminUnit.objects.filter(pk__in=succ_ids).order_by("level", "sort_key"):
            if access.has(Perm.PLANS_VIEW, u) and (u.level == Level.COMMUNE or _formed_from(u, territory)):
                out[u.pk] = u
    if include is not None and include.pk not in out and (plan is None or in_territory(plan, include)):
        if can_view_unit(access, include):
            out[include.pk] = include
    return sorted(out.values(), key=lambda u: (u.valid_to is None, u.level, u.sort_key))


def default_year(plan: Plan | None, today: dt.date | None = None) -> int:
    """The year a plan's dashboard or report opens on: this year, or the plan's last milestone
    when every milestone (and the plan) has already ended."""
    this = (today or dt.date.today()).year
    if plan is None:
        return this
    years = sorted({t.year for t in plan.targets.all()})
    last = max(years) if years else plan.end_year
    return last if last < this else this


def get_unit(access: Access, pk) -> AdminUnit:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404
    unit = AdminUnit.objects.filter(pk=pk).first()
    if unit is None or not can_view_unit(access, unit):
        raise Http404
    return unit


def units_below(unit: AdminUnit) -> list[AdminUnit]:
    """Today's units one level below (villages of a commune); for a former territory, today's
    communes that took over its communes."""
    if unit.valid_to is None:
        return list(AdminUnit.objects.filter(parent=unit, valid_to__isnull=True).order_by("sort_key"))
    umap = unit_map()
    succ = {umap.successor(p) for p in umap.communes if p.startswith(unit.path)}
    succ.discard(None)
    return list(AdminUnit.objects.filter(path__in=succ, level=3).order_by("sort_key"))


@dataclass
class TargetRow:
    target: Target
    indicator: Indicator | None
    current: IndicatorValue | None
    year: int = 0  # the year whose figures judge the target (its own year once that has passed)
    trend: list[tuple[int, Decimal | None]] = field(default_factory=list)
    gap: Decimal | None = None
    pace: Decimal | None = None
    needed_pace: Decimal | None = None
    projected: Decimal | None = None
    light: str = NO_DATA

    @property
    def light_label(self):
        return LIGHT_LABELS[self.light]

    @property
    def light_css(self):
        return LIGHT_CSS[self.light]

    @property
    def final(self) -> bool:
        """Judged on the figures of its own milestone year, which has ended."""
        return self.year == self.target.year and self.year < dt.date.today().year


def _pace(trend: list[tuple[int, Decimal | None]], year: int) -> Decimal | None:
    pts = [(y, v) for y, v in trend if v is not None and y <= year][-4:]
    if len(pts) < 2 or pts[-1][0] == pts[0][0]:
        return None
    return ((pts[-1][1] - pts[0][1]) / (pts[-1][0] - pts[0][0])).quantize(Decimal("0.01"))


def assess(row: TargetRow, year: int) -> None:
    t, cur = row.target, row.current
    if t.value is None or cur is None or cur.value is None:
        row.light = NO_DATA
        return
    value = cur.value
    row.gap = max(t.value - value, Decimal(0)).quantize(Decimal("0.01"))
    row.pace = _pace(row.trend, year)
    if value >= t.value:
        row.light = REACHED
        return
    if row.final:
        row.light = MISSED  # the milestone year has ended below its target
        return
    years_left = t.year - year
    if years_left <= 0:
        row.light = OFF_TRACK
        return
    row.needed_pace = (row.gap / years_left).quantize(Decimal("0.01"))
    if row.pace is not None:
        row.projected = (value + row.pace * years_left).quantize(Decimal("0.01"))
    if row.pace is not None and row.pace >= row.needed_pace:
        row.light = ON_TRACK
    elif row.pace is not None and row.pace > 0 and row.pace >= row.needed_pace / 2:
        row.light = AT_RISK
    else:
        row.light = OFF_TRACK


def dashboard(
    *, access: Access, plan: Plan, unit: AdminUnit, year: int | None = None, rank_by: str | None = None
) -> dict:
    targets = list(plan.targets.select_related("indicator").order_by("year", "order"))
    year = year or default_year(plan)
    indicators = list({t.indicator.code: t.indicator for t in targets if t.indicator}.values())
    first = min([plan.start_year, year, *(t.year for t in targets)]) - 1
    years = list(range(first, max(year, first) + 1))
    below = units_below(unit)
    vals = indicator_values(indicators, [unit.path], years)
    rows = []
    for t in targets:
        ind = t.indicator
        # a target whose year has passed is judged on the figures of its own year, never on later ones
        judged = min(t.year, year)
        row = TargetRow(
            target=t,
            indicator=ind,
            current=vals.get((ind.code, judged, unit.path)) if ind else None,
            year=judged,
        )
        if ind:
            row.trend = [(y, vals[(ind.code, y, unit.path)].value) for y in years if y <= judged]
            assess(row, judged)
        rows.append(row)
    rank_ind = next((i for i in indicators if i.code == rank_by), indicators[0] if indicators else None)
    ranking = []
    if below and indicators:
        cvals = indicator_values(indicators, [u.path for u in below], [year])
        for u in below:
            ranking.append(
                {
                    "unit": u,
                    "values": [cvals[(i.code, year, u.path)] for i in indicators],
                    "key": cvals[(rank_ind.code, year, u.path)].value,
                }
            )
        ranking.sort(key=lambda r: (r["key"] is not None, r["key"] or 0, r["unit"].sort_key))
    milestones = sorted({t.year for t in targets})
    return {
        "plan": plan,
        "unit": unit,
        "year": year,
        "years": years,
        "rows": rows,
        "indicators": indicators,
        "ranking": ranking,
        "rank_by": rank_ind,
        "milestones": milestones,
        "below": below,
        "ancestors": _crumbs(access, plan, unit),
        "lights": {k: sum(1 for r in rows if r.light == k) for k in LIGHT_LABELS},
    }


def _crumbs(access: Access, plan: Plan, unit: AdminUnit) -> list[AdminUnit]:
    """The units above ``unit`` a user may go up to on this plan's dashboard: those in the plan's
    territory (for a former territory, the territory itself above today's communes)."""
    out = [a for a in unit.ancestors() if can_view_unit(access, a) and in_territory(plan, a)]
    t = plan.territory
    if (
        t is not None
        and t.valid_to is not None
        and unit.valid_to is None
        and unit.pk != t.pk
        and can_view_unit(access, t)
    ):
        out.insert(0, t)
    return out


def tables(d: dict) -> dict[str, tuple[list[str], list[list]]]:
    """The dashboard's data as plain tables (for the chart tables and the CSV/XLSX downloads)."""

    def num(v):
        return None if v is None else float(v)

    out = {}
    out["chi-tieu"] = (
        [
            gettext("Năm mốc"),
            gettext("Chỉ tiêu"),
            gettext("Mã chỉ số"),
            gettext("Mục tiêu"),
            gettext("Thực hiện"),
            gettext("Năm số liệu"),
            gettext("Tử số"),
            gettext("Mẫu số"),
            gettext("Đăng ký"),
            gettext("Còn thiếu"),
            gettext("Tốc độ hiện tại (điểm %/năm)"),
            gettext("Tốc độ cần (điểm %/năm)"),
            gettext("Dự báo đến mốc"),
            gettext("Đánh giá"),
        ],
        [
            [
                r.target.year,
                r.target.text,
                r.indicator.code if r.indicator else "",
                num(r.target.value),
                num(r.current.value) if r.current else None,
                r.year,
                r.current.numerator if r.current else None,
                r.current.denominator if r.current else None,
                r.current.registered if r.current else None,
                num(r.gap),
                num(r.pace),
                num(r.needed_pace),
                num(r.projected),
                str(r.light_label),
            ]
            for r in d["rows"]
        ],
    )
    out["xu-huong"] = (
        [gettext("Mã chỉ số"), *[str(y) for y in d["years"]]],
        [[r.indicator.code, *[num(v) for _y, v in r.trend]] for r in _unique_trends(d["rows"])],
    )
    out["xep-hang"] = (
        [gettext("Đơn vị"), gettext("Mã"), *[i.code for i in d["indicators"]]],
        [[x["unit"].name, x["unit"].code, *[num(v.value) for v in x["values"]]] for x in d["ranking"]],
    )
    return out


def _unique_trends(rows):
    seen = set()
    for r in rows:
        if r.indicator and r.indicator.code not in seen:
            seen.add(r.indicator.code)
            yield r


# --- The subjects behind a number ---------------------------------------------------------------

SUBJECT_MEASURES = {
    "households",
    "clans",
    "organisations",
    "villages",
    "centres",
    "centres_it",
    "centres_hkh",
    "members",
    "officers",
    "people",
    "people_15",
}


def subjects(*, access: Access, unit: AdminUnit, measure: str, year: int, limit: int = 500):
    """The rows counted in ``measure`` under ``unit`` — only within the user's registry scope."""
    from xhht.core.fields import subtree_q
    from xhht.recognition.models import Recognition, Registration
    from xhht.registry import models as R

    access.require(Perm.REGISTRY_VIEW)
    path_q = subtree_q(unit.path, "unit_path")
    kind, _sep, title = measure.partition(":")
    if kind in ("rec", "reg") and title in Title.values:
        model = Recognition if kind == "rec" else Registration
        qs = model.objects.filter(path_q, title=title, year=year)
        qs = qs.filter(revoked_at__isnull=True) if kind == "rec" else qs.filter(status="registered")
        qs = access.scope(qs, Perm.REGISTRY_VIEW, path_field="unit_path").order_by(
            "unit_path", "subject_name"
        )
        return [(r.subject_name, r.unit_path, r.get_subject_type_display()) for r in qs[:limit]], qs.count()
    this_year = dt.date.today().year
    builders = {
        "households": lambda: R.Household.objects.filter(path_q).select_related("head"),
        "clans": lambda: R.Clan.objects.filter(path_q),
        "organisations": lambda: R.Organisation.objects.filter(path_q, valid_to__isnull=True),
        "centres": lambda: R.LearningCentre.objects.filter(
            path_q, valid_to__isnull=True, merged_into__isnull=True
        ),
        "centres_it": lambda: R.LearningCentre.objects.filter(
            path_q, valid_to__isnull=True, merged_into__isnull=True
        ).filter(Q(uses_it_management=True) | Q(uses_it_activities=True)),
        "centres_hkh": lambda: R.LearningCentre.objects.filter(
            path_q, valid_to__isnull=True, merged_into__isnull=True, hkh_in_management=True
        ),
        "members": lambda: R.AssociationMember.objects.filter(path_q, left__isnull=True).select_related(
            "person"
        ),
        "officers": lambda: R.AssociationMember.objects.filter(
            path_q, left__isnull=True, is_officer=True
        ).select_related("person"),
        "people": lambda: R.Person.objects.filter(path_q, status="active"),
        "people_15": lambda: R.Person.objects.filter(path_q, status="active", birth_year__lte=this_year - 15),
    }
    if measure == "villages":
        qs = AdminUnit.objects.filter(subtree_q(unit.path), level=4, valid_to__isnull=True)
        qs = access.scope(qs, Perm.REGISTRY_VIEW, path_field="path").order_by("sort_key")
        return [(u.name, u.path, str(u.get_kind_display())) for u in qs[:limit]], qs.count()
    if measure not in builders:
        return None, 0
    qs = access.scope(builders[measure](), Perm.REGISTRY_VIEW, path_field="unit_path").order_by(
        "unit_path", "pk"
    )
    return [(str(getattr(o, "person", o)), o.unit_path, o._meta.verbose_name) for o in qs[:limit]], qs.count()


def commendations(access: Access, unit: AdminUnit | None = None):
    qs = Commendation.objects.select_related("plan", "unit")
    if unit is not None:
        from xhht.core.fields import subtree_q

        qs = qs.filter(subtree_q(unit.path, "unit_path"))
    return access.scope(qs, Perm.PLANS_VIEW, path_field="unit_path")


def subject_commendations(access: Access, subject_type: str, subject_id: int):
    """Commendations awarded to one registry subject (a person, household, clan, organisation…),
    for the section on that subject's registry page: scoped like the registry page itself."""
    qs = Commendation.objects.filter(subject_type=subject_type, subject_id=subject_id).select_related("unit")
    return access.scope(qs, Perm.REGISTRY_VIEW, path_field="unit_path").order_by("-date", "-id")
