"""Reads of the recognition cycle, always scoped to what the caller may see."""

from __future__ import annotations

from django.db.models import Count, Q

from xhht.accounts.access import Perm, access_for
from xhht.core.fields import subtrees_q
from xhht.core.titles import TITLE_SUBJECT, SubjectType

from .models import Appeal, Assessment, AssessmentStatus, Campaign, Certificate, Decision, Recognition
from .subjects import load_subject, subject_model

# Anyone working on files may see them: reviewers, deciders, campaign managers, officers assessing for others.
FILE_PERMS = (Perm.REVIEW, Perm.DECIDE, Perm.CAMPAIGN_MANAGE, Perm.ASSESS_ON_BEHALF)


def file_paths(user) -> list[str]:
    access = access_for(user)
    paths: list[str] = []
    for perm in FILE_PERMS:
        paths.extend(access.paths_for(perm))
    return paths


def _scoped(user, qs, field: str = "unit_path", *, campaign_level: bool = False):
    paths = file_paths(user)
    if "VN/" in paths:
        return qs
    if not paths:
        return qs.none()
    cond = subtrees_q(paths, field)
    if campaign_level:
        # a village officer sees the campaign of the commune above
        for p in paths:
            parts = p.strip("/").split("/")
            for i in range(1, len(parts)):
                cond |= Q(**{field: "/".join(parts[:i]) + "/"})
    return qs.filter(cond)


def campaigns_for(user):
    return _scoped(user, Campaign.objects.select_related("unit"), campaign_level=True)


def campaign_or_404(user, pk: int) -> Campaign:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(campaigns_for(user), pk=pk)


def files_for(user, campaign: Campaign | None = None):
    qs = _scoped(user, Assessment.objects.select_related("campaign", "unit"))
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs


def file_or_404(user, pk: int) -> Assessment:
    """A file the user may see as an officer, or as the subject (citizen, head)."""
    from django.http import Http404

    a = Assessment.objects.select_related("campaign", "unit", "criteria_set").filter(pk=pk).first()
    if a is None:
        raise Http404
    if files_for(user).filter(pk=pk).exists():
        return a
    subject = load_subject(a.subject_type, a.subject_id)
    if subject.is_owner(user, access_for(user)):
        return a
    raise Http404


def status_counts(campaign: Campaign, user) -> dict[str, int]:
    rows = files_for(user, campaign).values("status").annotate(n=Count("id"))
    counts = {s: 0 for s in AssessmentStatus.values}
    for r in rows:
        counts[r["status"]] = r["n"]
    return counts


def decisions_for(user):
    access = access_for(user)
    paths = []
    for perm in (Perm.DECIDE, Perm.REVIEW, Perm.CAMPAIGN_MANAGE):
        paths.extend(access.paths_for(perm))
    qs = Decision.objects.select_related("issuer_unit")
    if "VN/" in paths:
        return qs
    if not paths:
        return qs.none()
    # decisions issued at a unit the user covers, or above it for the user's territory
    ids = Recognition.objects.filter(subtrees_q(paths, "unit_path")).values("decision_id")
    return qs.filter(subtrees_q(paths, "unit_path") | Q(pk__in=ids))


def recognition_or_404(user, pk: int) -> Recognition:
    from django.http import Http404

    rec = Recognition.objects.select_related("decision", "certificate").filter(pk=pk).first()
    if rec is None:
        raise Http404
    paths = file_paths(user) + access_for(user).paths_for(Perm.REGISTRY_VIEW)
    if any(rec.unit_path.startswith(p) for p in paths):
        return rec
    subject = load_subject(rec.subject_type, rec.subject_id)
    if subject.is_owner(user, access_for(user)):
        return rec
    raise Http404


def candidates(user, campaign: Campaign, *, village_id: int | None = None, q: str = "", limit: int = 200):
    """Subjects in the campaign's area not yet registered, that the user may register on behalf."""
    from xhht.core.text import fold

    access = access_for(user)
    stype = TITLE_SUBJECT[campaign.title]
    model = subject_model(stype)
    path_field = "path" if stype == SubjectType.UNIT else "unit_path"
    paths = access.paths_for(Perm.ASSESS_ON_BEHALF)
    if not paths:
        return []
    qs = model.objects.filter(subtrees_q(paths, path_field)).filter(
        **{f"{path_field}__startswith": campaign.unit_path}
    )
    if stype == SubjectType.UNIT:
        from xhht.geo.models import Level

        qs = qs.filter(
            level=Level.VILLAGE if campaign.title == "CDHT_THON" else Level.COMMUNE, valid_to__isnull=True
        )
    if village_id and stype in (SubjectType.PERSON, SubjectType.HOUSEHOLD):
        qs = qs.filter(village_id=village_id)
    if q:
        f = fold(q)
        if stype == SubjectType.HOUSEHOLD:
            qs = qs.filter(head__name_folded__contains=f)
        elif hasattr(model, "name_folded"):
            qs = qs.filter(name_folded__contains=f)
    taken = Assessment.objects.filter(title=campaign.title, year=campaign.year).values("subject_id")
    qs = qs.exclude(pk__in=taken)
    if stype == SubjectType.HOUSEHOLD:
        qs = qs.select_related("head")
    return list(qs.order_by("pk")[:limit])


def certificate_by_token(token: str) -> Certificate | None:
    if not token or len(token) > 64:
        return None
    return (
        Certificate.objects.select_related("recognition")
        .only(
            "token",
            "holder_display",
            "issuer_name",
            "serial",
            "recognition__title",
            "recognition__year",
            "recognition__revoked_at",
            "recognition__valid_from",
            "recognition__valid_to",
            "recognition__level",
        )
        .filter(token=token)
        .first()
    )


def own_subjects_q(user, *, prefix: str = "") -> Q:
    """Files/recognitions whose subject the user acts for in their own name: themself as a citizen,
    the households and clans they head, the organisations they lead, the village they head."""
    from xhht.accounts.models import Role
    from xhht.registry.models import Clan, Household, Organisation, Person

    q = Q(pk__in=[])
    if not getattr(user, "is_authenticated", False):
        return q
    pairs = [
        (SubjectType.PERSON, Person.objects.filter(user=user).values_list("pk", flat=True)),
        (SubjectType.HOUSEHOLD, Household.objects.filter(head__user=user).values_list("pk", flat=True)),
        (SubjectType.CLAN, Clan.objects.filter(head__user=user).values_list("pk", flat=True)),
        (
            SubjectType.ORGANISATION,
            Organisation.objects.filter(Q(head_user=user) | Q(head__user=user)).values_list("pk", flat=True),
        ),
        (
            SubjectType.UNIT,
            [a.unit_id for a in access_for(user).assignments if a.role == Role.TRUONG_THON],
        ),
    ]
    for stype, ids in pairs:
        ids = list(ids)
        if ids:
            q |= Q(**{f"{prefix}subject_type": stype, f"{prefix}subject_id__in": ids})
    return q


# The per-indicator JSON of a file: heavy, needed only on the file itself.
FILE_JSON = ("answers", "computed", "review", "results")


def visible_files(user):
    """Files an officer may see in their territory, plus the user's own subjects' files."""
    paths = file_paths(user)
    if "VN/" in paths:
        return files_for(user)
    own = own_subjects_q(user)
    cond = subtrees_q(paths, "unit_path") if paths else Q(pk__in=[])
    if own.children != [("pk__in", [])]:
        cond |= own
    return Assessment.objects.select_related("campaign", "unit").filter(cond)


def appeals_for(user):
    """Appeals on files where the user reviews (the only ones they may resolve)."""
    access = access_for(user)
    return access.scope(Appeal.objects.all(), Perm.REVIEW, path_field="assessment__unit_path")
