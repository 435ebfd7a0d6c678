"""Writes of the recognition cycle. One function per use case, keyword-only, one transaction,
permission checked at the top (``access_for(user).require(...)``).

campaign_create → register → answers_save / evidence_add → submit → review_save (or review_bulk)
→ decision_issue → recognition_revoke / appeal_lodge → appeal_resolve.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xhht.accounts import audit
from xhht.accounts.access import Perm, access_for
from xhht.core.text import normalize
from xhht.core.titles import TITLE_SUBJECT, Title
from xhht.geo.models import AdminUnit

from .authority import authority_for
from .evidence import check_upload
from .models import (
    Appeal,
    AppealStatus,
    Assessment,
    AssessmentStatus,
    Campaign,
    Certificate,
    Decision,
    DecisionNumberSequence,
    Evidence,
    Recognition,
    Registration,
    RegistrationStatus,
    Review,
    ReviewOutcome,
)
from .subjects import Subject, holder_display, load_subject, unit_label

# --------------------------------------------------------------------------------------- helpers


def _notify_analytics(kind: str, *, title: str, year: int, unit_paths) -> None:
    """Tell analytics that facts changed, after the transaction commits (indicators stay fresh)."""
    from xhht.analytics import hooks

    paths = sorted(set(unit_paths))
    hook = getattr(hooks, f"{kind}_changed")
    transaction.on_commit(lambda: hook(title=title, year=year, unit_paths=paths))


def _criteria():
    from xhht.criteria import services as criteria_services

    return criteria_services


def criteria_set_for_campaign(campaign: Campaign):
    """The published criteria set in force for the campaign's title, year and province."""
    return _criteria().criteria_set_for(campaign.title, campaign.year, campaign.unit_path)


def _to_number(value):
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, Decimal):
        return float(value)
    return value


def can_act_for(user, subject: Subject) -> tuple[bool, bool]:
    """(may act, on behalf): the subject itself (or its head), or an officer holding ASSESS_ON_BEHALF there."""
    access = access_for(user)
    if subject.is_owner(user, access):
        return True, False
    if access.has(Perm.ASSESS_ON_BEHALF, subject.unit.path):
        return True, True
    return False, False


def _require_act(user, assessment: Assessment) -> bool:
    subject = load_subject(assessment.subject_type, assessment.subject_id)
    ok, on_behalf = can_act_for(user, subject)
    if not ok:
        raise PermissionDenied
    return on_behalf


# ------------------------------------------------------------------------------------- campaigns


@transaction.atomic
def campaign_create(
    *,
    user,
    title: str,
    year: int,
    unit: AdminUnit,
    name: str = "",
    registration_deadline: dt.date | None = None,
    self_assessment_deadline: dt.date | None = None,
    review_deadline: dt.date | None = None,
    decision_deadline: dt.date | None = None,
) -> Campaign:
    access_for(user).require(Perm.CAMPAIGN_MANAGE, unit)
    if Campaign.objects.filter(title=title, year=year, unit=unit).exists():
        raise ValidationError(
            _("Đã có đợt đánh giá %(title)s năm %(year)s tại %(unit)s.")
            % {"title": Title(title).label, "year": year, "unit": unit.name}
        )
    _check_deadline_order(
        [registration_deadline, self_assessment_deadline, review_deadline, decision_deadline]
    )
    campaign = Campaign(
        title=title,
        year=year,
        unit=unit,
        unit_path=unit.path,  # before save: the set in force depends on the province and level
        created_by=user,
        name=name or f"{Title(title).label} năm {year} — {unit.name}",
        registration_deadline=registration_deadline,
        self_assessment_deadline=self_assessment_deadline,
        review_deadline=review_deadline,
        decision_deadline=decision_deadline,
    )
    cs = criteria_set_for_campaign(campaign)  # refuses a campaign without a published set
    _criteria().require_confirmed(cs, unit)  # and one with provisional numbers the province has not confirmed
    campaign.criteria_hash = cs.content_hash
    campaign.save()
    return campaign


def _check_deadline_order(dates) -> None:
    known = [d for d in dates if d]
    if known != sorted(known):
        raise ValidationError(_("Các hạn phải theo thứ tự: đăng ký, tự đánh giá, thẩm định, ra quyết định."))


@transaction.atomic
def campaign_update(
    *,
    user,
    campaign: Campaign,
    name: str,
    registration_deadline: dt.date | None,
    self_assessment_deadline: dt.date | None,
    review_deadline: dt.date | None,
    decision_deadline: dt.date | None,
    is_open: bool,
) -> Campaign:
    """Change a campaign's name and deadlines, or close / reopen it (a closed campaign takes no new
    registrations and no submissions from citizens; officers still review and decide)."""
    access_for(user).require(Perm.CAMPAIGN_MANAGE, campaign.unit_path)
    _check_deadline_order(
        [registration_deadline, self_assessment_deadline, review_deadline, decision_deadline]
    )
    c = Campaign.objects.select_for_update().get(pk=campaign.pk)
    c.name = normalize(name)[:255] or c.name
    c.registration_deadline = registration_deadline
    c.self_assessment_deadline = self_assessment_deadline
    c.review_deadline = review_deadline
    c.decision_deadline = decision_deadline
    c.is_open = is_open
    c.save()  # audited by the signals (before / after)
    return c


# ---------------------------------------------------------------------------------- registration


def _input_text(value) -> str:
    if value is None:
        return _("chưa có dữ liệu")
    value = _to_number(value)
    return str(round(value, 2) if isinstance(value, float) else value)


def _rule_entry(exp, on: dt.date) -> dict:
    """One rule-computed indicator as a file keeps it: the value, how it was computed, and when. A
    rule over data the registry does not hold (a digital skill not yet assessed…) has no value:
    the subject declares the indicator instead (``unknown``)."""
    inputs = "; ".join(f"{k} = {_input_text(v)}" for k, v in (exp.inputs or {}).items())
    text = _("Quy tắc: %(rule)s") % {"rule": exp.rule}
    if inputs:
        text += " — " + _("dữ liệu: %(inputs)s") % {"inputs": inputs}
    value = _to_number(exp.value)
    if isinstance(value, float):
        value = round(value, 2)
    entry = {"value": value, "explain": text, "computed_on": on.isoformat()}
    if value is None:
        entry["unknown"] = True
    return entry


def _rule_entries(criteria_set, subject_type: str, subject_ids, year: int, on: dt.date) -> dict[int, dict]:
    """{subject id: {code: entry}}: every rule of the set for every subject, computed in SQL by the
    criteria engine — one query per chunk of subjects, whatever their number."""
    from xhht.criteria.engine import explain_rules_many

    from .subjects import subject_model

    out: dict[int, dict] = {}
    model = subject_model(subject_type)
    for chunk in _chunks(sorted(set(subject_ids))):
        explained = explain_rules_many(criteria_set, model.objects.filter(pk__in=chunk), year)
        for sid, per in explained.items():
            out[sid] = {code: _rule_entry(exp, on) for code, exp in per.items()}
    return out


def compute_rules(assessment: Assessment, subject: Subject, criteria_set) -> dict:
    """Rule-computed indicators for one subject, with how they were computed and the date (criteria engine)."""
    if not any(i.is_computed for i in criteria_set.indicators):
        return {}
    entries = _rule_entries(criteria_set, subject.type, [subject.id], assessment.year, timezone.localdate())
    return entries.get(subject.id, {})


def refresh_rules(files, *, on: dt.date | None = None) -> list:
    """Recompute, in memory, the rule-computed indicators of ``files`` from the registry as it is
    today — one query per criteria set and subject type (a village's 300 files: one query, not 300)
    — and score each file again with them. Each file's ``computed`` then holds the fresh values
    with their date (``computed_on``) and ``rescored`` the criteria result with the reviewer's
    values beside them (None when it cannot be scored). Nothing is saved here: the review stores
    the values, the decision freezes them into the recognition."""
    from collections import defaultdict

    from xhht.criteria.models import CriteriaSet

    files = list(files)
    on = on or timezone.localdate()
    sets = CriteriaSet.objects.in_bulk({a.criteria_set_id for a in files if a.criteria_set_id})
    with_rules = {pk for pk, cs in sets.items() if any(i.is_computed for i in cs.indicators)}
    groups: dict[tuple, list] = defaultdict(list)
    for a in files:
        if a.criteria_set_id is None:
            a.rescored = None
            continue
        a.criteria_set = sets[a.criteria_set_id]  # one instance per set: its scoring is prepared once
        if a.criteria_set_id in with_rules:
            groups[(a.criteria_set_id, a.subject_type, a.year)].append(a)
    for (cs_id, stype, year), group in groups.items():
        entries = _rule_entries(sets[cs_id], stype, [a.subject_id for a in group], year, on)
        for a in group:
            if a.subject_id in entries:  # a subject gone from the registry keeps its last values
                a.computed = entries[a.subject_id]
    cs = _criteria()
    for a in files:
        if a.criteria_set_id is None:
            continue
        try:
            a.rescored = cs.score(
                a.criteria_set,
                {k: v for k, v in effective_answers(a, with_review=True).items() if v is not None},
            )
        except cs.ScoreError:
            a.rescored = None
    return files


@transaction.atomic
def register(*, user, campaign: Campaign, subject_id: int) -> Assessment:
    """Register a subject for the campaign's title and open its self-assessment (a draft)."""
    subject = load_subject(TITLE_SUBJECT[campaign.title], subject_id)
    ok, on_behalf = can_act_for(user, subject)
    if not ok:
        raise PermissionDenied
    sunit = subject.unit
    if not sunit.path.startswith(campaign.unit_path):
        raise ValidationError(_("%(name)s không thuộc địa bàn của đợt đánh giá.") % {"name": subject.name})
    if not campaign.is_open:
        raise ValidationError(_("Đợt đánh giá đã đóng."))
    if not on_behalf and campaign.deadline_passed("registration"):
        raise ValidationError(
            _("Đã quá hạn đăng ký (%(d)s).") % {"d": campaign.registration_deadline.strftime("%d/%m/%Y")}
        )
    existing = Assessment.objects.filter(
        title=campaign.title, year=campaign.year, subject_type=subject.type, subject_id=subject.id
    ).first()
    if existing:
        return existing
    cs = criteria_set_for_campaign(campaign)
    reg = Registration.objects.filter(
        title=campaign.title, year=campaign.year, subject_type=subject.type, subject_id=subject.id
    ).first()
    if reg is None:
        reg = Registration.objects.create(
            title=campaign.title,
            year=campaign.year,
            subject_type=subject.type,
            subject_id=subject.id,
            subject_name=subject.name,
            unit=sunit,
            unit_path=sunit.path,
            registered_by=user,
            on_behalf=on_behalf,
            campaign=campaign,
        )
    elif reg.status == RegistrationStatus.WITHDRAWN:
        reg.status = RegistrationStatus.REGISTERED
        reg.campaign = campaign
        reg.save(update_fields=["status", "campaign"])
    a = Assessment(
        campaign=campaign,
        registration=reg,
        title=campaign.title,
        year=campaign.year,
        subject_type=subject.type,
        subject_id=subject.id,
        subject_name=subject.name,
        unit=sunit,
        unit_path=sunit.path,
        criteria_set=cs,
        criteria_hash=cs.content_hash,
        on_behalf=on_behalf,
        filled_by=user,
    )
    a.computed = compute_rules(a, subject, cs)
    a.save()
    _notify_analytics("registrations", title=campaign.title, year=campaign.year, unit_paths=[sunit.path])
    return a


# -------------------------------------------------------------------------------- self-assessment


def _parse_value(ind, raw):
    """A form value for one indicator as the criteria scorer expects it (None = unanswered)."""
    from xhht.criteria.models import IndicatorKind

    if raw is None or raw == "":
        return None
    if isinstance(raw, bool | int | float):
        return raw
    s = str(raw).strip().replace(",", ".")
    if ind.kind == IndicatorKind.PASS_FAIL:
        return s.lower() in ("1", "true", "dat", "đạt", "co", "có", "on", "yes")
    try:
        return float(s)
    except ValueError:
        raise ValidationError(
            _("Chỉ số %(code)s: «%(v)s» không phải là số.") % {"code": ind.code, "v": raw}, code="not_number"
        )


def effective_answers(assessment: Assessment, *, with_review: bool = False) -> dict:
    """indicator code → value used for scoring: computed by rule, else declared, else (review) the reviewer's."""
    out = {}
    for code, a in (assessment.answers or {}).items():
        if a.get("value") is not None:
            out[code] = a["value"]
    for code, c in (assessment.computed or {}).items():
        if c.get("value") is not None:
            out[code] = c["value"]
    if with_review:
        for code, r in (assessment.review or {}).items():
            if r.get("value") is not None:
                out[code] = r["value"]
    return out


def _score(criteria_set, values: dict):
    cs = _criteria()
    try:
        return cs.score(criteria_set, {k: v for k, v in values.items() if v is not None})
    except cs.ScoreError as exc:
        raise ValidationError(exc.messages)


@transaction.atomic
def answers_save(*, user, assessment: Assessment, answers: dict, step: int | None = None) -> Assessment:
    """Save some answers ({code: {"value": …, "note": …}}) of a draft. Half-finished drafts are kept."""
    on_behalf = _require_act(user, assessment)
    a = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not a.is_editable:
        raise ValidationError(_("Hồ sơ đã nộp, không sửa được nữa."))
    index = {i.code: i for i in a.criteria_set.indicators}
    merged = dict(a.answers or {})
    for code, ans in answers.items():
        ind = index.get(code)
        if ind is None:
            raise ValidationError(_("Không có chỉ số %(code)s trong bộ tiêu chí.") % {"code": code})
        if ind.is_computed and (a.computed or {}).get(code, {}).get("value") is not None:
            continue  # computed from the registry: not declared by hand (unless the registry lacks the data)
        value = _parse_value(ind, ans.get("value"))
        merged[code] = {"value": value, "note": normalize(ans.get("note", ""))[:1000]}
    result = _score(a.criteria_set, effective_answers(Assessment(answers=merged, computed=a.computed)))
    a.answers = merged
    a.self_total = float(result.total)
    a.self_level = result.level or ""
    a.on_behalf = a.on_behalf or on_behalf
    a.filled_by = user
    if step is not None:
        a.step = step
    a.save()
    return a


def missing_mandatory(assessment: Assessment) -> list[str]:
    values = effective_answers(assessment)
    return [i.code for i in assessment.criteria_set.indicators if i.mandatory and values.get(i.code) is None]


@transaction.atomic
def submit(*, user, assessment: Assessment) -> Assessment:
    on_behalf = _require_act(user, assessment)
    a = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not a.is_editable:
        raise ValidationError(_("Hồ sơ đã được nộp."))
    if not on_behalf and not a.campaign.is_open:
        raise ValidationError(_("Đợt đánh giá đã đóng."))
    if not on_behalf and a.campaign.deadline_passed("self_assessment"):
        raise ValidationError(_("Đã quá hạn tự đánh giá."))
    missing = missing_mandatory(a)
    if missing:
        raise ValidationError(
            _("Chưa trả lời các chỉ số bắt buộc: %(codes)s.") % {"codes": ", ".join(missing)}
        )
    a.status = AssessmentStatus.SUBMITTED
    a.submitted_at = timezone.now()
    a.on_behalf = a.on_behalf or on_behalf
    a.save()
    return a


@transaction.atomic
def evidence_add(*, user, assessment: Assessment, indicator_code: str, upload) -> Evidence:
    _require_act(user, assessment)
    if not assessment.is_editable:
        raise ValidationError(_("Hồ sơ đã nộp, không thêm minh chứng được nữa."))
    if not assessment.criteria_set.indicator_set.filter(code=indicator_code).exists():
        raise ValidationError(_("Không có chỉ số %(code)s trong bộ tiêu chí.") % {"code": indicator_code})
    ctype, ext, digest = check_upload(upload)
    name = getattr(upload, "name", "minh-chung") or "minh-chung"
    ev = Evidence(
        assessment=assessment,
        indicator_code=indicator_code,
        original_name=name[:255],
        content_type=ctype,
        size=upload.size,
        sha256=digest,
        uploaded_by=user,
    )
    from django.core.files.storage import default_storage

    today = timezone.localdate()
    ev.file_name = default_storage.save(f"minh-chung/{today:%Y/%m}/{secrets.token_hex(8)}{ext}", upload)
    ev.save()
    return ev


# ----------------------------------------------------------------------------------------- review


def _require_review(user, assessment: Assessment) -> None:
    access_for(user).require(Perm.REVIEW, assessment.unit_path)


REVIEWABLE = (AssessmentStatus.SUBMITTED, AssessmentStatus.REVIEWED, AssessmentStatus.PROPOSED)


def _indicators_of(criteria_set) -> list:
    """The set's indicators, read once per set instance (files reviewed together share it)."""
    cached = getattr(criteria_set, "_rec_indicators", None)
    if cached is None:
        cached = criteria_set._rec_indicators = list(criteria_set.indicators)
    return cached


@transaction.atomic
def review_save(
    *,
    user,
    assessment: Assessment,
    scores: dict | None = None,
    outcome: str = "propose",
    comment: str = "",
    bulk: bool = False,
) -> Assessment:
    """Review one file: per-indicator scores and comments ({code: {"value": …, "comment": …}}), then
    ``outcome`` = "propose" (only if it passes), "reviewed" (does not pass) or "return" (for changes).
    Rule-computed indicators are computed again from the registry as it is today and stored with
    that date (the file was opened for review; the decision freezes them)."""
    _require_review(user, assessment)
    a = Assessment.objects.select_for_update().get(pk=assessment.pk)
    refresh_rules([a])
    return _review_one(user, a, scores=scores, outcome=outcome, comment=comment, bulk=bulk)


def _review_one(user, a: Assessment, *, scores, outcome: str, comment: str, bulk: bool) -> Assessment:
    """Review a file already locked, its rule values already recomputed (``refresh_rules``)."""
    if a.status not in REVIEWABLE:
        raise ValidationError(
            _("Hồ sơ «%(name)s» không ở trạng thái chờ thẩm định.") % {"name": a.subject_name}
        )
    index = {i.code: i for i in _indicators_of(a.criteria_set)}
    review = dict(a.review or {})
    for code, sc in (scores or {}).items():
        ind = index.get(code)
        if ind is None:
            raise ValidationError(_("Không có chỉ số %(code)s trong bộ tiêu chí.") % {"code": code})
        value = _parse_value(ind, sc.get("value"))
        comment_i = normalize(sc.get("comment", ""))[:1000]
        if value is None and not comment_i:
            review.pop(code, None)
            continue
        review[code] = {"value": value, "comment": comment_i, "by": user.get_username()}
    a.review = review
    result = _score(a.criteria_set, effective_answers(a, with_review=True))
    a.review_total = float(result.total)
    a.review_level = result.level or ""
    a.review_passed = result.passed
    a.review_comment = normalize(comment)[:2000] if comment else a.review_comment
    a.reviewed_by = user
    a.reviewed_at = timezone.now()
    a.results = indicator_results(a, list(index))
    if outcome == "return":
        if not comment.strip():
            raise ValidationError(_("Trả lại hồ sơ «%(name)s»: cần ghi lý do.") % {"name": a.subject_name})
        a.status = AssessmentStatus.RETURNED
        a.returned_reason = normalize(comment)
        rec_outcome = ReviewOutcome.RETURNED
    elif outcome == "propose":
        if not result.passed:
            raise ValidationError(
                _("Hồ sơ «%(name)s» chưa đạt, không thể đề nghị công nhận: %(why)s")
                % {"name": a.subject_name, "why": " ".join(result.failures)}
            )
        a.status = AssessmentStatus.PROPOSED
        rec_outcome = ReviewOutcome.PROPOSED
    else:
        a.status = AssessmentStatus.REVIEWED
        rec_outcome = ReviewOutcome.REVIEWED
    a.save()
    Review.objects.create(
        assessment=a,
        reviewer=user,
        outcome=rec_outcome,
        total=a.review_total,
        level=a.review_level,
        comment=normalize(comment),
        bulk=bulk,
    )
    return a


@transaction.atomic
def review_bulk(*, user, items: dict[int, str], comments: dict[int, str] | None = None) -> dict[str, int]:
    """Bulk review (one village's households on one screen): {assessment id: "propose" | "return" |
    "reviewed"}; the self-assessed values stand as the reviewer's, the rule-computed ones are
    computed again for all the files at once. All or nothing."""
    comments = comments or {}
    counts = {"propose": 0, "return": 0, "reviewed": 0}
    access = access_for(user)
    ids = sorted(int(pk) for pk in items)
    files = {}
    for chunk in _chunks(ids):
        files.update(
            (a.pk, a) for a in Assessment.objects.select_for_update().filter(pk__in=chunk).order_by("pk")
        )
    for pk in ids:
        a = files.get(pk)
        if a is None or not access.has(Perm.REVIEW, a.unit_path):
            raise PermissionDenied
    refresh_rules([files[pk] for pk in ids if items.get(pk, items.get(str(pk))) in counts])
    errors = []
    for pk, outcome in items.items():
        a = files[int(pk)]
        if outcome not in counts:
            continue
        try:
            with transaction.atomic():
                _review_one(user, a, scores=None, outcome=outcome, comment=comments.get(pk, ""), bulk=True)
            counts[outcome] += 1
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return counts


# --------------------------------------------------------------------------------------- decisions


def next_decision_number(issuer_unit: AdminUnit, year: int) -> int:
    """Take the next number of ``issuer_unit`` in ``year``. Call inside the decision's transaction:
    the counter row stays locked until it commits (or rolls back, giving the number back)."""
    seq = (
        DecisionNumberSequence.objects.select_for_update().filter(issuer_unit=issuer_unit, year=year).first()
    )
    if seq is None:
        try:
            with transaction.atomic():
                DecisionNumberSequence.objects.create(issuer_unit=issuer_unit, year=year, last_number=0)
        except IntegrityError:
            pass  # another transaction created it first
        seq = DecisionNumberSequence.objects.select_for_update().get(issuer_unit=issuer_unit, year=year)
    seq.last_number += 1
    DecisionNumberSequence.objects.filter(pk=seq.pk).update(last_number=seq.last_number)
    return seq.last_number


def _add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def require_decider(user, campaign: Campaign):
    """The configured authority for the title, at the issuer unit; returns (authority, issuer unit)."""
    authority = authority_for(campaign.title)
    issuer = authority.issuer_unit(campaign.unit)
    access = access_for(user)
    access.require(Perm.DECIDE, issuer)
    if not access.is_admin and not any(
        a.role == authority.decider_role and issuer.path.startswith(a.unit_path) for a in access.assignments
    ):
        raise PermissionDenied
    return authority, issuer


def computed_on(a: Assessment, entry: dict) -> str:
    """The ISO date a rule value of the file was computed on (files computed before dates were
    kept: the registration, when they were filled)."""
    if entry.get("computed_on"):
        return entry["computed_on"]
    return timezone.localdate(a.created_at).isoformat() if a.created_at else ""


def indicator_results(a: Assessment, codes: list[str]) -> list:
    """Every indicator's final result and who gave it: the reviewer, the rule, or the subject's own
    declaration (accepted by the reviewer). Kept on the file at review, recomputed and frozen into
    the recognition by the decision; a rule's result carries the date it was computed on
    (``computed_on``), also where the rule had no data and the subject declared the value."""
    out = []
    review, computed, answers = a.review or {}, a.computed or {}, a.answers or {}
    reviewer = a.reviewed_by.get_username() if a.reviewed_by_id else ""
    for code in codes:
        c = computed.get(code) or {}
        if code in review and review[code].get("value") is not None:
            r = review[code]
            item = {
                "code": code,
                "value": r["value"],
                "by": r.get("by") or reviewer,
                "source": "review",
                "comment": r.get("comment", ""),
            }
        elif c.get("value") is not None:
            item = {
                "code": code,
                "value": c["value"],
                "by": "rule",
                "source": "rule",
                "explain": c.get("explain", ""),
            }
        elif code in answers:
            item = {
                "code": code,
                "value": answers[code].get("value"),
                "by": reviewer,
                "source": "self",
                "declared_by": "on_behalf" if a.on_behalf else "subject",
            }
        else:
            continue
        if c:
            item["computed_on"] = computed_on(a, c)
            if c.get("value") is None:
                item["rule_unknown"] = True
        out.append(item)
    return out


def _chunks(ids: list[int], size: int | None = None):
    size = size or (20000 if connection.vendor == "postgresql" else 900)
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


@transaction.atomic
def decision_issue(
    *,
    user,
    campaign: Campaign,
    assessment_ids,
    date: dt.date,
    signer_name: str,
    signer_position: str,
    legal_basis: str = "",
    place: str = "",
) -> Decision:
    """Sign one Quyết định công nhận for the proposed files ``assessment_ids`` of ``campaign``.

    The files are locked first (same order for everyone), then the issuer's number counter: of two
    approvers racing on the same files, the second finds them recognised and is refused, so there is
    one decision and no number is taken twice or skipped. Recognitions are copied from the files in
    one INSERT … SELECT (each file froze its indicator results at review) and certificates are
    inserted in one batch: 10,000 subjects take about a second.
    """
    authority, issuer = require_decider(user, campaign)
    ids = sorted({int(i) for i in assessment_ids})
    if not ids:
        raise ValidationError(_("Chưa chọn hồ sơ nào để công nhận."))
    if not signer_name.strip() or not signer_position.strip():
        raise ValidationError(_("Cần ghi họ tên và chức vụ người ký."))
    # Lock every proposed file of the campaign, in id order (the same order for every approver):
    # one statement instead of 10,000 bound ids; a racing approver waits here, then sees the files
    # it wanted already recognised.
    proposed = set(
        Assessment.objects.select_for_update()
        .filter(campaign=campaign, status=AssessmentStatus.PROPOSED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    missing = [pk for pk in ids if pk not in proposed]
    if missing:
        found = []
        for chunk in _chunks(missing):
            found.extend(
                Assessment.objects.filter(pk__in=chunk, campaign=campaign).values_list(
                    "subject_name", flat=True
                )
            )
        if len(found) != len(missing):
            raise ValidationError(_("Có hồ sơ không thuộc đợt đánh giá này."))
        raise ValidationError(
            _("Các hồ sơ sau không ở trạng thái đề nghị công nhận (có thể đã được công nhận): %(names)s")
            % {"names": ", ".join(found[:10]) + ("…" if len(found) > 10 else "")}
        )
    _freeze_rules(campaign, ids, all_proposed=len(ids) == len(proposed))
    number = next_decision_number(issuer, date.year)
    issuer_name = authority.issuer_name(issuer)
    decision = Decision.objects.create(
        campaign=campaign,
        title=campaign.title,
        year=campaign.year,
        issuer_unit=issuer,
        unit_path=issuer.path,
        issuer_name=issuer_name,
        number=number,
        number_year=date.year,
        number_label=f"{number}/{authority.number_suffix}",
        date=date,
        place=place or _place_name(issuer),
        signer=user,
        signer_name=normalize(signer_name),
        signer_position=normalize_lines(signer_position),
        signer_title=authority.signer_title,
        legal_basis=(legal_basis or authority.legal_basis).strip(),
        subject_count=len(ids),
        validity_years=authority.validity_years,
    )
    now = timezone.now()
    chosen = Assessment.objects.filter(campaign=campaign, status=AssessmentStatus.PROPOSED)
    if len(ids) == len(proposed):  # all the proposed files (the usual case): one UPDATE
        chosen.update(status=AssessmentStatus.RECOGNISED, decision=decision, updated_at=now)
    else:
        for chunk in _chunks(ids):
            chosen.filter(pk__in=chunk).update(
                status=AssessmentStatus.RECOGNISED, decision=decision, updated_at=now
            )
    valid_to = _add_years(date, authority.validity_years) - dt.timedelta(days=1)
    unit_ids = set(Assessment.objects.filter(decision=decision).values_list("unit_id", flat=True).distinct())
    _copy_recognitions(decision, valid_from=date, valid_to=valid_to, now=now, labels=_unit_labels(unit_ids))
    recs = list(
        Recognition.objects.filter(decision=decision)
        .order_by("pk")
        .values_list("pk", "subject_type", "subject_name", "unit_id", "unit_path")
    )
    _insert_certificates(
        decision, recs, issuer_name, f"{campaign.title}-{date.year}-{issuer.code}-{number}", now
    )
    audit.record_bulk(
        "recognition.recognition",
        note=f"Quyết định {decision.number_label}: công nhận {len(recs)} đối tượng ({campaign.title} {campaign.year})",
        unit_path=issuer.path,
        changes={
            "decision": decision.pk,
            "number": decision.number_label,
            "count": len(recs),
            "assessment_ids": ids,
            "recognition_ids": [recs[0][0], recs[-1][0]] if recs else [],
        },
    )
    _notify_analytics(
        "recognitions", title=campaign.title, year=campaign.year, unit_paths=[r[4] for r in recs]
    )
    return decision


def _freeze_rules(campaign: Campaign, ids: list[int], *, all_proposed: bool) -> None:
    """At the decision, the rule-computed indicators of the chosen files are computed once more from
    the registry as it is that day and stored with their date; ``_copy_recognitions`` then freezes
    them into the recognitions. A file that no longer meets the criteria with them (a staff member's
    title revoked since the review…) is refused by name: the reviewer reviews it again."""
    from xhht.criteria.models import CriteriaSet

    chosen = Assessment.objects.filter(campaign=campaign, status=AssessmentStatus.PROPOSED)
    set_ids = set(chosen.order_by().values_list("criteria_set_id", flat=True).distinct())
    if not any(i.is_computed for cs in CriteriaSet.objects.filter(pk__in=set_ids) for i in cs.indicators):
        return  # no rule in the sets of these files: nothing to recompute
    files = []
    qs = chosen.select_related("reviewed_by").order_by("pk")
    if all_proposed:
        files = list(qs)
    else:
        for chunk in _chunks(ids):
            files.extend(qs.filter(pk__in=chunk))
    refresh_rules(files)
    failed = []
    for a in files:
        r = a.rescored
        if r is None or not r.passed:
            why = " ".join(r.failures) if r is not None else ""
            failed.append(f"{a.subject_name} ({why})" if why else a.subject_name)
            continue
        a.review_total = float(r.total)
        a.review_level = r.level or ""
        a.review_passed = True
        a.results = indicator_results(a, [i.code for i in _indicators_of(a.criteria_set)])
    if failed:
        raise ValidationError(
            _(
                "Tính lại từ sổ đăng ký hôm nay, các hồ sơ sau không còn đạt, không thể công nhận "
                "(hãy thẩm định lại hoặc bỏ chọn): %(names)s"
            )
            % {"names": "; ".join(failed[:10]) + ("…" if len(failed) > 10 else "")}
        )
    _store_frozen(files)


def _store_frozen(files: list) -> None:
    """Write the recomputed values, results and scores of the decision's files in one statement
    (PostgreSQL: arrays; SQLite: executemany) — ``bulk_update``'s CASE per column and row took
    0.65 s for 300 files on PostgreSQL."""
    import json

    a_t = _q(Assessment._meta.db_table)
    rows = [
        (a.pk, json.dumps(a.computed), json.dumps(a.results), a.review_total, a.review_level) for a in files
    ]
    if not rows:
        return
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            ids, computed, results, totals, levels = (list(c) for c in zip(*rows, strict=True))
            cur.execute(
                f"UPDATE {a_t} a SET computed = v.c::jsonb, results = v.r::jsonb, review_total = v.t, "  # noqa: S608
                "review_level = v.l, review_passed = true FROM unnest(%s::bigint[], %s::text[], %s::text[], "
                "%s::float8[], %s::text[]) AS v(id, c, r, t, l) WHERE a.id = v.id",
                [ids, computed, results, totals, levels],
            )
        else:
            cur.executemany(
                f"UPDATE {a_t} SET computed = %s, results = %s, review_total = %s, review_level = %s, "  # noqa: S608
                "review_passed = 1 WHERE id = %s",
                [(c, r, t, lv, pk) for pk, c, r, t, lv in rows],
            )


def normalize_lines(text: str) -> str:
    return "\n".join(normalize(line) for line in (text or "").splitlines() if line.strip())


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _copy_recognitions(
    decision: Decision, *, valid_from: dt.date, valid_to: dt.date, now, labels: dict
) -> None:
    """INSERT … SELECT the decision's files into recognitions, inside the database; ``labels`` names
    each unit as it is today (unit id → 'Thôn 1, Xã …'), frozen with the recognition."""
    rec_t, a_t = _q(Recognition._meta.db_table), _q(Assessment._meta.db_table)
    cols = [
        "title",
        "year",
        "subject_type",
        "subject_id",
        "subject_name",
        "unit_id",
        "unit_path",
        "level",
        "valid_from",
        "valid_to",
        "revoked_reason",
        "created_at",
        "decision_id",
        "assessment_id",
        "criteria_hash",
        "indicator_results",
        "total_points",
        "unit_label",
    ]
    case_params: list = []
    for unit_id, label in labels.items():
        case_params += [unit_id, label]
    case = "CASE a.unit_id " + "WHEN %s THEN %s " * len(labels) + "ELSE '' END" if labels else "''"
    sql = (
        f"INSERT INTO {rec_t} ({', '.join(_q(c) for c in cols)}) "  # noqa: S608 — identifiers from the models
        f"SELECT a.title, a.year, a.subject_type, a.subject_id, a.subject_name, a.unit_id, a.unit_path, "
        f"COALESCE(NULLIF(a.review_level, ''), 'dat'), %s, %s, '', %s, %s, a.id, a.criteria_hash, a.results, "
        f"a.review_total, {case} FROM {a_t} a WHERE a.decision_id = %s ORDER BY a.id"
    )
    params = [valid_from, valid_to, now, decision.pk, *case_params, decision.pk]
    try:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, params)
    except IntegrityError:
        raise ValidationError(_("Có đối tượng đã được công nhận danh hiệu này trong năm."))


def _insert_certificates(decision: Decision, recs: list, issuer_name: str, serial_prefix: str, now) -> None:
    cert_t = _q(Certificate._meta.db_table)
    cols = ["recognition_id", "token", "serial", "holder_display", "issuer_name", "created_at"]
    rows = [
        (
            pk,
            secrets.token_urlsafe(24),
            f"{serial_prefix}-{i:05d}",
            holder_display(stype, name),
            issuer_name,
            now,
        )
        for i, (pk, stype, name, _u, _p) in enumerate(recs, start=1)
    ]
    if connection.vendor == "postgresql":
        # One statement with six array parameters: no 60,000 bound values for the driver to splice.
        columns = list(zip(*rows, strict=True)) if rows else [[]] * 6
        sql = (
            f"INSERT INTO {cert_t} ({', '.join(_q(c) for c in cols)}) "  # noqa: S608
            "SELECT * FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[], %s::timestamptz[])"
        )
        with connection.cursor() as cur:
            cur.execute(sql, [list(col) for col in columns])
        return
    head = f"INSERT INTO {cert_t} ({', '.join(_q(c) for c in cols)}) VALUES "  # noqa: S608
    with connection.cursor() as cur:
        for i in range(0, len(rows), 1000):  # multi-row VALUES: 6,000 parameters a statement
            batch = rows[i : i + 1000]
            cur.execute(
                head + ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(batch)), [v for row in batch for v in row]
            )


def _place_name(issuer: AdminUnit) -> str:
    """'Xã Đăk Mar' -> 'Đăk Mar' (the place name written before the date)."""
    for prefix in ("Thành phố ", "Đặc khu ", "Phường ", "Thị trấn ", "Tỉnh ", "Xã "):
        if issuer.name.startswith(prefix):
            return issuer.name[len(prefix) :]
    return issuer.name


def _unit_labels(unit_ids) -> dict[int, str]:
    out = {}
    for u in AdminUnit.objects.filter(pk__in=list(unit_ids)):
        out[u.pk] = unit_label(u)
    return out


@transaction.atomic
def recognition_revoke(*, user, recognition: Recognition, reason: str) -> Recognition:
    """Thu hồi: the recognition stays (history), marked revoked with who, when and why."""
    decision = recognition.decision
    if decision is not None and decision.campaign_id:
        require_decider(user, decision.campaign)
    else:
        access_for(user).require(Perm.DECIDE, recognition.unit_path)
    reason = normalize(reason)
    if not reason:
        raise ValidationError(_("Cần ghi lý do thu hồi."))
    rec = Recognition.objects.select_for_update().get(pk=recognition.pk)
    if rec.revoked_at:
        raise ValidationError(_("Công nhận này đã bị thu hồi."))
    rec.revoked_at = timezone.now()
    rec.revoked_reason = reason[:500]
    rec.revoked_by = user
    rec.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
    _notify_analytics("recognitions", title=rec.title, year=rec.year, unit_paths=[rec.unit_path])
    return rec


# ------------------------------------------------------------------------------------------ appeals

APPEALABLE = (AssessmentStatus.RETURNED, AssessmentStatus.REVIEWED, AssessmentStatus.RECOGNISED)


def can_appeal(assessment: Assessment) -> bool:
    """A result can be appealed once there is one: returned, not passed, recognised (or revoked)."""
    if assessment.status in APPEALABLE:
        return True
    return assessment.recognitions.filter(revoked_at__isnull=False).exists()


@transaction.atomic
def appeal_lodge(*, user, assessment: Assessment, reason: str) -> Appeal:
    """The subject (or an officer for them) asks for the result to be reconsidered, with a reason.
    One open appeal per file at a time."""
    _require_act(user, assessment)
    reason = normalize(reason)
    if not reason:
        raise ValidationError(_("Cần ghi nội dung kiến nghị."))
    a = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not can_appeal(a):
        raise ValidationError(
            _(
                "Chỉ kiến nghị được khi đã có kết quả: hồ sơ bị trả lại, không đạt, được công nhận hoặc bị thu hồi."
            )
        )
    if a.appeals.filter(status=AppealStatus.OPEN).exists():
        raise ValidationError(_("Hồ sơ đã có một kiến nghị đang chờ giải quyết."))
    return Appeal.objects.create(assessment=a, lodged_by=user, reason=reason[:4000])


def appeal_blocker(appeal: Appeal) -> str:
    """Why accepting the appeal cannot reopen the file yet ('' when it can)."""
    if appeal.assessment.recognitions.filter(revoked_at__isnull=True).exists():
        return _(
            "Hồ sơ đang được công nhận: người ký quyết định phải thu hồi công nhận trước, "
            "rồi mới chuyển thẩm định lại được."
        )
    return ""


@transaction.atomic
def appeal_resolve(*, user, appeal: Appeal, accept: bool, resolution: str = "") -> Appeal:
    """A reviewer of the file's area accepts the appeal — the file returns to review (status
    "submitted", a "reopened" entry in its review history) — or rejects it with a reason."""
    _require_review(user, appeal.assessment)
    ap = Appeal.objects.select_for_update().select_related("assessment").get(pk=appeal.pk)
    if ap.status != AppealStatus.OPEN:
        raise ValidationError(_("Kiến nghị đã được giải quyết."))
    resolution = normalize(resolution)
    if not accept and not resolution:
        raise ValidationError(_("Không chấp nhận kiến nghị: cần ghi lý do."))
    a = Assessment.objects.select_for_update().get(pk=ap.assessment_id)
    if accept:
        blocker = appeal_blocker(ap)
        if blocker:
            raise ValidationError(blocker)
    ap.status = AppealStatus.REOPENED if accept else AppealStatus.REJECTED
    ap.resolved_by = user
    ap.resolved_at = timezone.now()
    ap.resolution = resolution[:4000]
    ap.save()
    if accept:
        a.status = AssessmentStatus.SUBMITTED
        a.decision = None
        a.save(update_fields=["status", "decision", "updated_at"])
        Review.objects.create(
            assessment=a,
            reviewer=user,
            outcome=ReviewOutcome.REOPENED,
            comment=ap.resolution or ap.reason,
        )
    return ap
