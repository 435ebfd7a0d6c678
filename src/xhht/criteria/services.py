"""Criteria services: choosing the set in force, scoring, and the set's lifecycle.

API for the recognition and portal apps:

- ``criteria_set_for(title, year, province=None, *, level=None) -> CriteriaSet`` — the PUBLISHED set
  for ``title`` that applies in ``year``; a province's own set (``province`` = a geo.AdminUnit of
  level 1, or any unit below it, or its path) wins over the national one; a set made for the
  level of the units assessed (``applies_to``: commune-level or district/province-level, taken from
  ``province`` when ``level`` is not given) wins over one for every level. Raises ``NoCriteriaSet``
  (Vietnamese message) when none is published. Drafts are never returned.
- ``require_confirmed(criteria_set, unit)`` — raises a Vietnamese ``ValidationError`` when the set
  has provisional content that the province holding ``unit`` has not confirmed
  (``criteria_set_confirm(user=, criteria_set=, province=, note=)``, Sở GD-ĐT / HKH tỉnh).
- ``score(criteria_set, answers) -> Result`` — ``answers`` maps indicator code → points (int,
  float, Decimal), ``True``/``False`` for pass/fail indicators, or a value for number indicators
  (e.g. a percentage computed by a rule); missing codes are unanswered. Returns
  ``Result(total, per_group, per_criterion, per_indicator, passed, level, failures)``;
  ``failures`` are Vietnamese sentences naming the indicator. Raises ``ScoreError`` for answers
  outside an indicator's range or unknown codes. ``score`` works on drafts too (preview).
- Lifecycle (all keyword-only, permission-checked with ``Perm.CRITERIA_MANAGE``):
  ``clone_set(user=, criteria_set=)`` → new draft version; ``publish_set(user=, criteria_set=)``;
  ``retire_set(user=, criteria_set=)``; ``import_document(user=, document=)`` (see ``authoring``);
  editing a draft in the page: ``save_indicator(user=, criteria_set=, data=, indicator=|criterion=)``,
  ``delete_indicator(user=, indicator=)`` (published sets refuse with ``CriteriaSetLocked``).
- Rule values from the registry: ``xhht.criteria.engine.evaluate_rules(criteria_set, qs, year)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xhht.accounts.access import Perm, access_for
from xhht.core.titles import Level

from .models import (
    LEVEL_RANK,
    AppliesTo,
    CriteriaGroup,
    CriteriaSet,
    CriteriaSetConfirmation,
    Criterion,
    Indicator,
    IndicatorKind,
    OutcomeRule,
    SetStatus,
)


class NoCriteriaSet(ValidationError):
    """No published criteria set applies."""


class ScoreError(ValidationError):
    """An answer cannot be scored (unknown indicator, out of range)."""


# ---------------------------------------------------------------------------------------- lookup


def _province_path(province) -> str | None:
    if province is None:
        return None
    path = province if isinstance(province, str) else province.path
    parts = path.split("/")
    return "/".join(parts[:2]) + "/" if len(parts) > 2 else None


def unit_level(unit) -> str | None:
    """``AppliesTo`` of the units a campaign held at ``unit`` (a unit or its path) assesses: a
    province or a former district → district/province-level units; a commune or a village →
    commune-level units; the country (or nothing) → no level."""
    if unit is None:
        return None
    path = unit if isinstance(unit, str) else unit.path
    segs = path.strip("/").split("/")
    if len(segs) < 2:
        return None
    legacy = segs[1].startswith("L")
    above = len(segs) <= (3 if legacy else 2)
    return AppliesTo.ABOVE_COMMUNE if above else AppliesTo.COMMUNE


def criteria_set_for(title: str, year: int, province=None, *, level: str | None = None) -> CriteriaSet:
    """The published set for ``title`` in ``year`` (province override first, then national).

    ``province`` is a unit or path at or below the province (a campaign passes its own unit);
    ``level`` (``AppliesTo``) is taken from it when not given: a commune's Đơn vị học tập are
    assessed on the commune-level set (QĐ 448), a province's on the district/province-level set
    (TT 24/2023). Within each scope a set made for the level wins over one for every level.
    """
    if level is None:
        level = unit_level(province)
    qs = CriteriaSet.objects.filter(title=title, status=SetStatus.PUBLISHED, year_from__lte=year).exclude(
        year_to__lt=year
    )
    if level:
        qs = qs.filter(applies_to__in=(AppliesTo.ALL, level))
    order = ("-year_from", "-version", "-id")

    def best(scoped):
        if level:
            exact = scoped.filter(applies_to=level).order_by(*order).first()
            return exact or scoped.filter(applies_to=AppliesTo.ALL).order_by(*order).first()
        return (
            scoped.filter(applies_to=AppliesTo.ALL).order_by(*order).first()
            or scoped.order_by(*order).first()
        )

    ppath = _province_path(province)
    if ppath:
        own = best(qs.filter(province__path=ppath))
        if own:
            return own
    national = best(qs.filter(province__isnull=True))
    if national:
        return national
    raise NoCriteriaSet(
        _("Chưa có bộ tiêu chí nào đã ban hành cho danh hiệu %(title)s năm %(year)s.")
        % {"title": title, "year": year},
        code="no_set",
    )


# ---------------------------------------------------------------------------------------- provisional sets


def _current_province(unit):
    """Today's province holding ``unit`` (a unit or a path), or None."""
    from xhht.geo.models import AdminUnit

    ppath = _province_path(unit)
    if ppath is None:
        return None
    return AdminUnit.objects.filter(path=ppath, valid_to__isnull=True).first()


def confirmation_for(criteria_set: CriteriaSet, unit) -> CriteriaSetConfirmation | None:
    """The confirmation of ``criteria_set`` for the province holding ``unit``, if there is one."""
    province = _current_province(unit)
    if province is None:
        return None
    return (
        CriteriaSetConfirmation.objects.filter(criteria_set=criteria_set, province=province)
        .select_related("province")
        .first()
    )


def require_confirmed(criteria_set: CriteriaSet, unit) -> None:
    """Refuse a set with provisional content that the province holding ``unit`` has not confirmed
    (a campaign must not judge people on numbers nobody in the province has checked)."""
    if not criteria_set.provisional or confirmation_for(criteria_set, unit) is not None:
        return
    province = _current_province(unit)
    raise ValidationError(
        _(
            "Bộ tiêu chí «%(set)s» có nội dung tạm tính (chưa có trong văn bản chính thức đã biết). "
            "Sở Giáo dục và Đào tạo hoặc Hội Khuyến học %(province)s cần đối chiếu và xác nhận bộ tiêu chí "
            "(trang Bộ tiêu chí) trước khi mở đợt đánh giá theo bộ này."
        )
        % {"set": criteria_set, "province": province.name if province else _("tỉnh")},
        code="provisional_unconfirmed",
    )


@transaction.atomic
def criteria_set_confirm(*, user, criteria_set: CriteriaSet, province, note: str) -> CriteriaSetConfirmation:
    """A province officer (Sở GD-ĐT, Hội Khuyến học tỉnh) confirms that a published set with
    provisional content applies in ``province`` as it stands, saying against what it was checked.
    Recorded with who and when (and in the audit trail); a set is confirmed once per province."""
    from xhht.core.text import normalize
    from xhht.geo.models import Level

    if province is None or province.level != Level.PROVINCE or province.valid_to is not None:
        raise ValidationError(_("Hãy chọn một tỉnh, thành phố hiện hành."), code="province")
    access_for(user).require(Perm.CRITERIA_MANAGE, province)
    cs = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    if cs.status != SetStatus.PUBLISHED:
        raise ValidationError(_("Chỉ xác nhận bộ tiêu chí đã ban hành."), code="not_published")
    if not cs.provisional:
        raise ValidationError(
            _("Bộ tiêu chí không có nội dung tạm tính nên không cần xác nhận."), code="not_provisional"
        )
    if cs.province_id and cs.province_id != province.pk:
        raise ValidationError(_("Bộ tiêu chí này là bộ riêng của tỉnh khác."), code="other_province")
    note = normalize(note or "")
    if not note:
        raise ValidationError(
            _("Ghi rõ căn cứ xác nhận: văn bản, hướng dẫn của tỉnh đã đối chiếu với các số tạm tính."),
            code="note",
        )
    existing = CriteriaSetConfirmation.objects.filter(criteria_set=cs, province=province).first()
    if existing is not None:
        raise ValidationError(
            _("Bộ tiêu chí đã được %(who)s xác nhận cho %(province)s ngày %(date)s.")
            % {
                "who": existing.confirmed_by_name,
                "province": province.name,
                "date": timezone.localtime(existing.confirmed_at).strftime("%d/%m/%Y"),
            },
            code="exists",
        )
    return CriteriaSetConfirmation.objects.create(
        criteria_set=cs,
        province=province,
        confirmed_by=user,
        confirmed_by_name=(getattr(user, "full_name", "") or user.get_username())[:255],
        confirmed_at=timezone.now(),
        note=note[:2000],
    )


# ---------------------------------------------------------------------------------------- scoring


@dataclass
class Result:
    total: Decimal
    per_group: dict[str, Decimal]
    per_criterion: dict[str, Decimal]
    per_indicator: dict[
        str, object
    ]  # code → Decimal points, bool (pass/fail) or Decimal value; None unanswered
    passed: bool
    level: str | None
    failures: list[str] = field(default_factory=list)
    points: dict[str, Decimal] = field(default_factory=dict)  # code → points contributed to the total

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label) if self.level else _("Không đạt")


@dataclass
class _Prepared:
    indicators: list
    rules: list
    index: dict


def _prepare(criteria_set: CriteriaSet) -> _Prepared:
    cached = getattr(criteria_set, "_xhht_prepared", None)
    if cached is not None:
        return cached
    indicators = list(criteria_set.indicators.select_related("criterion__group"))
    rules = sorted(criteria_set.outcome_rules, key=lambda r: (-r.rank, r.order, r.id))
    prep = _Prepared(indicators=indicators, rules=rules, index={i.code: i for i in indicators})
    if criteria_set.is_locked:
        criteria_set._xhht_prepared = prep
    return prep


def _to_decimal(value, ind: Indicator) -> Decimal:
    if isinstance(value, bool):
        return ind.max_points if value else Decimal("0")
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ScoreError(
            _("Chỉ số %(code)s: giá trị «%(value)s» không phải là số.") % {"code": ind.code, "value": value},
            code="not_number",
        )


def _normalise(ind: Indicator, value):
    """The stored value of one answer: Decimal points, bool, Decimal value or None."""
    if value is None or value == "":
        return None
    if ind.kind == IndicatorKind.PASS_FAIL:
        if isinstance(value, str):
            v = value.strip().lower()
            if v in ("1", "true", "dat", "đạt", "co", "có", "x"):
                return True
            if v in ("0", "false", "khong", "không", "không đạt", "khong dat"):
                return False
            raise ScoreError(_("Chỉ số %(code)s: chỉ nhận «đạt» hoặc «không đạt».") % {"code": ind.code})
        return bool(value)
    if isinstance(value, bool):
        return ind.max_points if value else Decimal("0")
    d = _to_decimal(value, ind)
    if ind.kind == IndicatorKind.POINTS and (d < 0 or d > ind.max_points):
        raise ScoreError(
            _("Chỉ số %(code)s: %(value)s điểm nằm ngoài khoảng 0–%(max)s.")
            % {"code": ind.code, "value": _fmt(d), "max": _fmt(ind.max_points)},
            code="out_of_range",
        )
    return d


def _fmt(d) -> str:
    if isinstance(d, Decimal):
        d = d.normalize()
        s = format(d, "f")
        return s.replace(".", ",")
    return str(d)


def _points(ind: Indicator, value) -> Decimal:
    if value is None:
        return Decimal("0")
    if ind.kind == IndicatorKind.PASS_FAIL:
        return ind.max_points if value else Decimal("0")
    if ind.kind == IndicatorKind.NUMBER:
        return Decimal("0")
    return value


def _applies(ind: Indicator, rule: OutcomeRule) -> bool:
    return not ind.level or LEVEL_RANK.get(ind.level, 1) <= rule.rank


def _check_rule(
    rule: OutcomeRule, prep: _Prepared, values: dict, total: Decimal, groups, criteria
) -> list[str]:
    fails: list[str] = []
    if rule.min_total is not None and total < rule.min_total:
        fails.append(
            _("Tổng điểm %(total)s, chưa đạt %(min)s điểm.")
            % {"total": _fmt(total), "min": _fmt(rule.min_total)}
        )
    if rule.check_minimums:
        for ind in prep.indicators:
            if not _applies(ind, rule):
                continue
            v = values.get(ind.code)
            if v is None:
                if ind.mandatory:
                    fails.append(_("Chỉ số %(code)s (%(label)s) chưa được đánh giá.") % _ind_msg(ind))
                continue
            if ind.kind == IndicatorKind.PASS_FAIL:
                if not v:
                    fails.append(_("Chỉ số %(code)s (%(label)s): không đạt.") % _ind_msg(ind))
            elif ind.min_points is not None and v < ind.min_points:
                unit = _("điểm") if ind.kind == IndicatorKind.POINTS else ""
                fails.append(
                    (
                        _("Chỉ số %(code)s (%(label)s): %(value)s %(unit)s, thấp hơn mức tối thiểu %(min)s.")
                        % {**_ind_msg(ind), "value": _fmt(v), "min": _fmt(ind.min_points), "unit": unit}
                    ).replace("  ", " ")
                )
    if rule.condition.strip():
        from .engine import outcome_condition_failures

        fails.extend(outcome_condition_failures(rule, values, total, groups, criteria))
    return fails


def _ind_msg(ind: Indicator) -> dict:
    label = ind.label if len(ind.label) <= 80 else ind.label[:77] + "…"
    return {"code": ind.code, "label": label}


def score(criteria_set: CriteriaSet, answers: dict) -> Result:
    """Score ``answers`` (indicator code → points / bool / value) against ``criteria_set``."""
    prep = _prepare(criteria_set)
    unknown = sorted(set(answers) - set(prep.index))
    if unknown:
        raise ScoreError(
            _("Không có chỉ số %(codes)s trong bộ tiêu chí %(set)s.")
            % {"codes": ", ".join(unknown), "set": criteria_set},
            code="unknown",
        )
    values: dict[str, object] = {}
    points: dict[str, Decimal] = {}
    per_group: dict[str, Decimal] = {}
    per_criterion: dict[str, Decimal] = {}
    total = Decimal("0")
    for ind in prep.indicators:
        v = _normalise(ind, answers.get(ind.code))
        values[ind.code] = v
        p = _points(ind, v)
        points[ind.code] = p
        total += p
        g = ind.criterion.group.code
        per_group[g] = per_group.get(g, Decimal("0")) + p
        c = ind.criterion.code
        per_criterion[c] = per_criterion.get(c, Decimal("0")) + p
    level = None
    failures: list[str] = []
    for rule in prep.rules:
        fails = _check_rule(rule, prep, values, total, per_group, per_criterion)
        if not fails:
            level = rule.level
            break
        failures = fails  # the last (lowest-level) rule's reasons are kept when nothing passes
    if level is not None:
        failures = []
    return Result(
        total=total,
        per_group=per_group,
        per_criterion=per_criterion,
        per_indicator=values,
        passed=level is not None,
        level=level,
        failures=failures,
        points=points,
    )


# ---------------------------------------------------------------------------------------- lifecycle


def _require(user, criteria_set: CriteriaSet | None = None) -> None:
    access = access_for(user)
    unit = criteria_set.province if criteria_set is not None and criteria_set.province_id else None
    if unit is None:
        access.require(Perm.CRITERIA_MANAGE)
    else:
        access.require(Perm.CRITERIA_MANAGE, unit)


@transaction.atomic
def clone_set(*, user, criteria_set: CriteriaSet) -> CriteriaSet:
    """Copy ``criteria_set`` as a new draft version (the way to change a published set)."""
    _require(user, criteria_set)
    from .authoring import build_from_document, to_document

    doc = to_document(criteria_set)
    last = CriteriaSet.objects.filter(code=criteria_set.code).order_by("-version").first()
    doc["settings"]["version"] = last.version + 1
    new = build_from_document(doc, created_by=user)
    new.parent = criteria_set
    new.save(update_fields=["parent"])
    return new


@transaction.atomic
def publish_set(*, user, criteria_set: CriteriaSet) -> CriteriaSet:
    """Freeze a draft: compute its content hash, mark it published. Irreversible."""
    _require(user, criteria_set)
    return publish_internal(criteria_set, user=user)


def publish_internal(criteria_set: CriteriaSet, *, user=None) -> CriteriaSet:
    """Publish without a permission check (the loader and the demo use it; views go through ``publish_set``)."""
    from .authoring import content_hash, validate_set

    with transaction.atomic():
        cs = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
        if cs.status != SetStatus.DRAFT:
            raise ValidationError(_("Chỉ bản nháp mới được ban hành."), code="not_draft")
        errors = validate_set(cs)
        if errors:
            raise ValidationError(errors)
        _refresh_provisional(cs)
        cs.content_hash = content_hash(cs)
        cs.published_at = timezone.now()
        cs.published_by = user if getattr(user, "pk", None) else None
        cs.save(update_fields=["content_hash", "published_at", "published_by"])
        # status last: once published no other field may change
        cs.status = SetStatus.PUBLISHED
        cs.save(update_fields=["status"])
    return cs


@transaction.atomic
def retire_set(*, user, criteria_set: CriteriaSet) -> CriteriaSet:
    _require(user, criteria_set)
    cs = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    if cs.status != SetStatus.PUBLISHED:
        raise ValidationError(_("Chỉ bộ tiêu chí đã ban hành mới có thể thôi áp dụng."), code="not_published")
    cs.status = SetStatus.RETIRED
    cs.save(update_fields=["status"])
    return cs


@transaction.atomic
def delete_draft(*, user, criteria_set: CriteriaSet) -> None:
    _require(user, criteria_set)
    criteria_set.delete()


# ---------------------------------------------------------------------------------------- editing a draft

INDICATOR_FIELDS = (
    "code",
    "label",
    "label_en",
    "hint",
    "kind",
    "max_points",
    "min_points",
    "mandatory",
    "level",
    "evidence",
    "rule",
    "provisional_note",
)


def _require_draft(user, criteria_set: CriteriaSet) -> CriteriaSet:
    """Permission, then a fresh, locked read of the set: only a draft may be edited."""
    from .models import _locked_error

    _require(user, criteria_set)
    cs = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    if cs.status != SetStatus.DRAFT:
        raise _locked_error(str(cs))
    return cs


def _plain(d: Decimal) -> str:
    s = f"{d:f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def _check_indicator(cs: CriteriaSet, data: dict, *, exclude_pk=None) -> dict:
    """Field → Vietnamese message for what is wrong with an indicator's values."""
    from .engine import SUBJECT_ENTITY, RuleError, check_rule

    errors = {}
    code = (data.get("code") or "").strip()
    if not code:
        errors["code"] = _("Không được để trống.")
    elif cs.indicator_set.filter(code=code).exclude(pk=exclude_pk).exists() or (
        cs.criterion_set.filter(code=code).exists() or cs.group_set.filter(code=code).exists()
    ):
        errors["code"] = _("Mã «%(c)s» bị trùng.") % {"c": code}
    if not (data.get("label") or "").strip():
        errors["label"] = _("Không được để trống.")
    kind = data.get("kind") or IndicatorKind.POINTS
    mx, mn = data.get("max_points"), data.get("min_points")
    if kind == IndicatorKind.POINTS and mx is None:
        errors["max_points"] = _("Cần một số.")
    if kind == IndicatorKind.POINTS and mx is not None and mn is not None and mn > mx:
        errors["min_points"] = _("Mức tối thiểu %(m)s lớn hơn điểm tối đa %(p)s.") % {
            "m": _plain(mn),
            "p": _plain(mx),
        }
    rule = (data.get("rule") or "").strip()
    if rule:
        try:
            check_rule(rule, SUBJECT_ENTITY[cs.subject_type])
        except RuleError as exc:
            errors["rule"] = exc.messages[0]
    return errors


@transaction.atomic
def save_indicator(*, user, criteria_set: CriteriaSet, data: dict, indicator=None, criterion=None):
    """Create (``criterion`` given) or change (``indicator`` given) one indicator of a DRAFT set.

    ``data`` holds ``INDICATOR_FIELDS``; raises ``ValidationError({field: message})`` (Vietnamese) or
    ``CriteriaSetLocked`` when the set is published.
    """
    cs = _require_draft(user, criteria_set)
    errors = _check_indicator(cs, data, exclude_pk=indicator.pk if indicator is not None else None)
    if errors:
        raise ValidationError(errors)
    values = {f: data.get(f) for f in INDICATOR_FIELDS}
    for f in ("code", "label", "label_en", "hint", "evidence", "rule", "level", "provisional_note"):
        values[f] = (values[f] or "").strip()
    values["provisional"] = bool(values["provisional_note"])
    values["max_points"] = values["max_points"] if values["max_points"] is not None else Decimal("0")
    values["mandatory"] = bool(values["mandatory"])
    if indicator is None:
        if criterion is None or criterion.criteria_set_id != cs.pk:
            raise ValidationError(_("Tiêu chí không thuộc bộ tiêu chí này."))
        last = criterion.indicator_set.order_by("-order").values_list("order", flat=True).first()
        indicator = Indicator(criteria_set=cs, criterion=criterion, order=(last or 0) + 1)
    elif indicator.criteria_set_id != cs.pk:
        raise ValidationError(_("Chỉ số không thuộc bộ tiêu chí này."))
    for f, v in values.items():
        setattr(indicator, f, v)
    indicator.save()
    _refresh_provisional(cs)
    return indicator


def _refresh_provisional(cs: CriteriaSet) -> None:
    """A draft is provisional while it has a set-level note or any provisional part."""
    flag = bool(cs.provisional_note.strip()) or any(
        m.objects.filter(criteria_set=cs, provisional=True).exists()
        for m in (CriteriaGroup, Criterion, Indicator, OutcomeRule)
    )
    if flag != cs.provisional:
        cs.provisional = flag
        cs.save(update_fields=["provisional"])


@transaction.atomic
def delete_indicator(*, user, indicator) -> None:
    cs = _require_draft(user, indicator.criteria_set)
    if indicator.criteria_set_id != cs.pk:
        raise ValidationError(_("Chỉ số không thuộc bộ tiêu chí này."))
    if not Indicator.objects.filter(criterion_id=indicator.criterion_id).exclude(pk=indicator.pk).exists():
        raise ValidationError(
            _("Không xoá được chỉ số cuối cùng của tiêu chí «%(c)s»; mỗi tiêu chí cần ít nhất một chỉ số.")
            % {"c": indicator.criterion.code},
            code="last_indicator",
        )
    indicator.delete()
    _refresh_provisional(cs)


@transaction.atomic
def import_document(*, user, document: dict, publish: bool = False) -> CriteriaSet:
    """Create a draft set from an authoring document (parsed YAML / workbook). Validation errors are raised."""
    from .authoring import build_from_document

    province = document.get("settings", {}).get("province")
    access = access_for(user)
    if province:
        access.require(Perm.CRITERIA_MANAGE, _province_unit(province))
    else:
        access.require(Perm.CRITERIA_MANAGE)
    cs = build_from_document(document, created_by=user)
    if publish:
        cs = publish_set(user=user, criteria_set=cs)
    return cs


def _province_unit(code: str):
    from xhht.geo.models import AdminUnit

    return (
        AdminUnit.objects.filter(level=1, code=str(code), valid_to__isnull=True).first()
        or AdminUnit.objects.filter(level=1, code=str(code)).first()
    )


__all__ = [
    "NoCriteriaSet",
    "Result",
    "ScoreError",
    "clone_set",
    "confirmation_for",
    "criteria_set_confirm",
    "criteria_set_for",
    "require_confirmed",
    "delete_draft",
    "delete_indicator",
    "import_document",
    "publish_internal",
    "publish_set",
    "retire_set",
    "save_indicator",
    "score",
]
