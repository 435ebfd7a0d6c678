"""Demo: this year's campaigns in Xã Đăk Mar with files at every stage (registered, self-assessed,
returned, reviewed, proposed, recognised) and one signed decision with its certificates.
Runs after the registry and criteria seeds; idempotent (a campaign that already has files is left alone).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from xhht.accounts.audit import actor_context
from xhht.core.demo import DemoContext
from xhht.core.titles import Title
from xhht.registry.models import Household, Organisation, Person

from . import services
from .models import Campaign


def _answers(cs, quality: float, computed: dict) -> dict:
    from xhht.criteria.models import IndicatorKind

    out = {}
    for ind in cs.indicators:
        if ind.is_computed and (computed.get(ind.code) or {}).get("value") is not None:
            continue  # computed from the registry (an unknown value — skill not assessed — is declared)
        if ind.kind == IndicatorKind.PASS_FAIL:
            value = quality >= 0.75
        elif ind.kind == IndicatorKind.NUMBER:
            value = float(ind.min_points or 0) + 5 if quality >= 0.75 else 0
        else:
            value = round(float(ind.max_points) * quality * 2) / 2
        out[ind.code] = {"value": value, "note": ""}
    return out


def _campaign(ctx: DemoContext, title: str, manager) -> Campaign | None:
    existing = Campaign.objects.filter(title=title, year=ctx.today.year, unit=ctx.commune).first()
    if existing:
        return None if existing.assessments.exists() else existing
    try:
        return services.campaign_create(
            user=manager,
            title=title,
            year=ctx.today.year,
            unit=ctx.commune,
            registration_deadline=ctx.today + dt.timedelta(days=30),
            self_assessment_deadline=ctx.today + dt.timedelta(days=45),
            review_deadline=ctx.today + dt.timedelta(days=60),
            decision_deadline=ctx.today + dt.timedelta(days=75),
        )
    except ValidationError as exc:  # no published criteria set for the title
        ctx.write(f"Đợt đánh giá {title}: bỏ qua ({' '.join(exc.messages)})")
        return None


def _advance(a, stage: str, *, officer, reviewer, actor=None):
    """Take a freshly registered file to ``stage``."""
    actor = actor or officer
    if stage == "registered":
        return a
    cs = a.criteria_set
    quality = 0.6 if stage == "reviewed" else 0.9
    answers = _answers(cs, quality, a.computed or {})
    if stage == "draft":
        first = dict(list(answers.items())[:3])
        return services.answers_save(user=actor, assessment=a, answers=first, step=len(first))
    a = services.answers_save(user=actor, assessment=a, answers=answers, step=len(answers))
    a = services.submit(user=actor, assessment=a)
    if stage == "submitted":
        return a
    if stage == "returned":
        return services.review_save(
            user=reviewer, assessment=a, outcome="return", comment="Bổ sung minh chứng cho chỉ số thứ nhất."
        )
    if stage == "reviewed":
        return services.review_save(
            user=reviewer, assessment=a, outcome="reviewed", comment="Chưa đạt số điểm tối thiểu."
        )
    try:
        return services.review_save(user=reviewer, assessment=a, outcome="propose")
    except ValidationError:  # a rule computed from the registry does not pass
        return services.review_save(user=reviewer, assessment=a, outcome="reviewed")


STAGES_HOUSEHOLDS = [
    "registered",
    "registered",
    "draft",
    "submitted",
    "submitted",
    "returned",
    "reviewed",
    "proposed",
    "proposed",
    "recognised",
    "recognised",
    "recognised",
    "recognised",
    "recognised",
]
STAGES_PEOPLE = [
    "registered",
    "submitted",
    "submitted",
    "returned",
    "reviewed",
    "proposed",
    "proposed",
    "proposed",
]


def seed(ctx: DemoContext) -> None:
    manager, chair = ctx.users.get("hkh_xa"), ctx.users.get("ubnd_xa")
    if manager is None or chair is None:
        return
    with actor_context(manager, source="demo"):
        made = 0
        camp = _campaign(ctx, Title.GDHT, manager)
        if camp is not None:
            households = list(
                Household.objects.filter(unit_path__startswith=ctx.commune.path, head__isnull=False).order_by(
                    "pk"
                )[: len(STAGES_HOUSEHOLDS)]
            )
            to_decide = []
            for h, stage in zip(households, STAGES_HOUSEHOLDS, strict=False):
                a = services.register(user=manager, campaign=camp, subject_id=h.pk)
                a = _advance(
                    a, "proposed" if stage == "recognised" else stage, officer=manager, reviewer=manager
                )
                if stage == "recognised" and a.status == "proposed":
                    to_decide.append(a.pk)
                if stage == "reviewed" and a.status == "reviewed":  # one open appeal for the reviewers' list
                    services.appeal_lodge(
                        user=manager,
                        assessment=a,
                        reason="Hộ đã có giấy xác nhận của nhà trường cho chỉ số thứ nhất, đề nghị xem xét lại.",
                    )
                made += 1
            if to_decide:
                with actor_context(chair, source="demo"):
                    d = services.decision_issue(
                        user=chair,
                        campaign=camp,
                        assessment_ids=to_decide,
                        date=ctx.today,
                        signer_name=chair.full_name or "A Thắng",
                        signer_position="KT. Chủ tịch\nPhó Chủ tịch",
                    )
                ctx.write(f"Quyết định {d.number_label}: công nhận {d.subject_count} Gia đình học tập.")
        camp = _campaign(ctx, Title.CDHT, manager)
        if camp is not None:
            citizen = ctx.users.get("cong_dan")
            own = Person.objects.filter(user=citizen).first() if citizen else None
            if own is not None:  # the demo citizen has a half-finished self-assessment to continue
                a = services.register(user=citizen, campaign=camp, subject_id=own.pk)
                _advance(a, "draft", officer=manager, reviewer=manager, actor=citizen)
                made += 1
            people = list(
                Person.objects.filter(
                    unit_path__startswith=ctx.commune.path,
                    user__isnull=True,
                    birth_year__lte=ctx.today.year - 18,
                ).order_by("pk")[: len(STAGES_PEOPLE)]
            )
            for p, stage in zip(people, STAGES_PEOPLE, strict=False):
                a = services.register(user=manager, campaign=camp, subject_id=p.pk)
                _advance(a, stage, officer=manager, reviewer=manager)
                made += 1
        camp = _campaign(ctx, Title.DVHT, manager)
        if camp is not None:
            orgs = list(
                Organisation.objects.filter(unit_path__startswith=ctx.commune.path).order_by("pk")[:3]
            )
            for org, stage in zip(orgs, ["submitted", "proposed", "registered"], strict=False):
                a = services.register(user=manager, campaign=camp, subject_id=org.pk)
                _advance(a, stage, officer=manager, reviewer=manager)
                made += 1
        if made:
            ctx.write(f"Đánh giá, công nhận: {made} hồ sơ demo.")
