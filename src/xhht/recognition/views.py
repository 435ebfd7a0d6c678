"""Staff pages of the recognition cycle. Thin: reads through ``selectors``, writes through ``services``."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from xhht.accounts.access import Perm, access_for
from xhht.core.params import int_or_none, int_param
from xhht.core.titles import TITLE_SUBJECT, SubjectType, Title
from xhht.core.titles import Level as TitleLevel
from xhht.geo.models import AdminUnit, Level

from . import pdf, selectors, services, wizard
from .authority import authority_for
from .forms import AppealForm, CampaignEditForm, CampaignForm, DecisionForm, RevokeForm
from .models import AppealStatus, AssessmentStatus
from .subjects import load_subject


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


PAGE_SIZE = 200


def _page(request, qs, size: int | None = None) -> dict:
    """One page of a long list (?trang=2): rows, the page number, links to the neighbours."""
    size = size or PAGE_SIZE
    n = int_param(request, "trang", 1, min_value=1, max_value=10**6, label=_("trang"))
    rows = list(qs[(n - 1) * size : n * size + 1])
    params = request.GET.copy()

    def link(k: int) -> str:
        params["trang"] = k
        return "?" + params.urlencode()

    return {
        "rows": rows[:size],
        "number": n,
        "first": (n - 1) * size + 1,
        "prev": link(n - 1) if n > 1 else "",
        "next": link(n + 1) if len(rows) > size else "",
    }


@login_required
def campaign_list(request):
    access = access_for(request.user)
    if not selectors.file_paths(request.user):
        raise PermissionDenied
    can_create = access.has(Perm.CAMPAIGN_MANAGE)
    units = []
    if can_create:
        roots = access.units(Perm.CAMPAIGN_MANAGE) if not access.is_admin else []
        for r in roots:
            units.append(r)
            if r.level < Level.COMMUNE:
                units.extend(
                    AdminUnit.objects.filter(parent=r, level=Level.COMMUNE, valid_to__isnull=True).order_by(
                        "sort_key"
                    )[:500]
                )
    form = CampaignForm(request.POST or None, units=units)
    if request.method == "POST" and can_create and form.is_valid():
        unit = get_object_or_404(AdminUnit, pk=form.cleaned_data["unit"])
        try:
            c = services.campaign_create(
                user=request.user,
                title=form.cleaned_data["title"],
                year=form.cleaned_data["year"],
                unit=unit,
                **{
                    k: form.cleaned_data[k]
                    for k in (
                        "registration_deadline",
                        "self_assessment_deadline",
                        "review_deadline",
                        "decision_deadline",
                    )
                },
            )
            messages.success(request, _("Đã mở đợt đánh giá."))
            return redirect("recognition:campaign", c.pk)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
    campaigns = list(selectors.campaigns_for(request.user)[:200])
    return render(
        request,
        "recognition/campaign_list.html",
        {"campaigns": campaigns, "form": form if can_create and units else None},
    )


@login_required
def campaign_detail(request, pk: int):
    campaign = selectors.campaign_or_404(request.user, pk)
    access = access_for(request.user)
    status = request.GET.get("trang-thai", "")
    files = (
        selectors.files_for(request.user, campaign)
        .defer(*selectors.FILE_JSON)
        .order_by("unit_path", "subject_name")
    )
    if status:
        files = files.filter(status=status)
    stype = TITLE_SUBJECT[campaign.title]
    villages = []
    if stype in (SubjectType.HOUSEHOLD, SubjectType.PERSON) and campaign.unit.level == Level.COMMUNE:
        villages = list(
            AdminUnit.objects.filter(
                parent=campaign.unit, level=Level.VILLAGE, valid_to__isnull=True
            ).order_by("sort_key")
        )
    cands = []
    if access.has(Perm.ASSESS_ON_BEHALF):
        cands = selectors.candidates(
            request.user,
            campaign,
            village_id=int_param(request, "thon", min_value=1, label=_("thôn")),
            q=request.GET.get("q", ""),
            limit=50,
        )
    page = _page(request, files)
    authority = authority_for(campaign.title)
    can_decide = _can_decide(request.user, campaign)
    counts = selectors.status_counts(campaign, request.user)
    return render(
        request,
        "recognition/campaign_detail.html",
        {
            "campaign": campaign,
            "files": page["rows"],
            "page": page,
            "status_rows": [(k, label, counts[k]) for k, label in AssessmentStatus.choices],
            "status": status,
            "villages": villages,
            "candidates": cands,
            "can_review": access.has(Perm.REVIEW, campaign.unit_path) or access.has(Perm.REVIEW),
            "can_manage": access.has(Perm.CAMPAIGN_MANAGE, campaign.unit_path),
            "open_appeals": selectors.appeals_for(request.user)
            .filter(status=AppealStatus.OPEN, assessment__campaign=campaign)
            .count(),
            "can_decide": can_decide,
            "authority": authority,
            "subject_type": stype,
            "decisions": campaign.decisions.order_by("-date", "-number"),
        },
    )


@login_required
def campaign_edit(request, pk: int):
    """Change deadlines and name, close or reopen a campaign (Perm.CAMPAIGN_MANAGE over its unit)."""
    campaign = selectors.campaign_or_404(request.user, pk)
    access_for(request.user).require(Perm.CAMPAIGN_MANAGE, campaign.unit_path)
    initial = {
        "name": campaign.name,
        "registration_deadline": campaign.registration_deadline,
        "self_assessment_deadline": campaign.self_assessment_deadline,
        "review_deadline": campaign.review_deadline,
        "decision_deadline": campaign.decision_deadline,
        "is_open": campaign.is_open,
    }
    form = CampaignEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            c = services.campaign_update(user=request.user, campaign=campaign, **form.cleaned_data)
            messages.success(
                request, _("Đã lưu đợt đánh giá.") if c.is_open else _("Đã lưu; đợt đánh giá đã đóng.")
            )
            return redirect("recognition:campaign", c.pk)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
    return render(request, "recognition/campaign_edit.html", {"campaign": campaign, "form": form})


def _can_decide(user, campaign) -> bool:
    try:
        services.require_decider(user, campaign)
        return True
    except PermissionDenied:
        return False


@login_required
@require_POST
def register_subject(request, pk: int):
    campaign = selectors.campaign_or_404(request.user, pk)
    try:
        a = services.register(user=request.user, campaign=campaign, subject_id=int(request.POST["subject"]))
    except ValidationError as exc:
        _error(request, exc)
        return redirect("recognition:campaign", campaign.pk)
    except (KeyError, ValueError):
        raise Http404
    messages.success(request, _("Đã đăng ký %(name)s.") % {"name": a.subject_name})
    return redirect("recognition:fill", a.pk, a.step)


@login_required
def file_detail(request, pk: int):
    a = selectors.file_or_404(request.user, pk)
    access = access_for(request.user)
    subject = load_subject(a.subject_type, a.subject_id)
    can_act, _on_behalf = services.can_act_for(request.user, subject)
    can_review = access.has(Perm.REVIEW, a.unit_path) and a.status in services.REVIEWABLE
    if can_review:
        # opened for review: the rule-computed indicators as the registry stands today (stored by
        # the review, frozen by the decision)
        services.refresh_rules([a])
    if request.method == "POST" and can_review:
        scores = {}
        for ind in a.criteria_set.indicators:
            v = request.POST.get(f"r_{ind.code}", "")
            c = request.POST.get(f"c_{ind.code}", "")
            if v != "" or c:
                scores[ind.code] = {"value": v, "comment": c}
        try:
            services.review_save(
                user=request.user,
                assessment=a,
                scores=scores,
                outcome=request.POST.get("outcome", "reviewed"),
                comment=request.POST.get("comment", ""),
            )
            messages.success(request, _("Đã lưu kết quả thẩm định."))
            return redirect("recognition:file", a.pk)
        except ValidationError as exc:
            _error(request, exc)
    values = services.effective_answers(a)
    review = a.review or {}
    rows = []
    evidence = {}
    for ev in a.evidence.all():
        evidence.setdefault(ev.indicator_code, []).append(ev)
    for ind in a.criteria_set.indicators.select_related("criterion__group"):
        posted_v = request.POST.get(f"r_{ind.code}") if request.method == "POST" else None
        rows.append(
            {
                "ind": ind,
                "self": (a.answers or {}).get(ind.code, {}),
                "computed": (a.computed or {}).get(ind.code),
                "value": values.get(ind.code),
                "review": review.get(ind.code, {}),
                "review_value": posted_v
                if posted_v is not None
                else review.get(ind.code, {}).get("value", ""),
                "evidence": evidence.get(ind.code, []),
            }
        )
    recognitions = list(a.recognitions.select_related("decision", "certificate"))
    return render(
        request,
        "recognition/file_detail.html",
        {
            "a": a,
            "rows": rows,
            "can_act": can_act and a.is_editable,
            "can_review": can_review,
            "rescored": getattr(a, "rescored", None) if can_review else None,
            "today": timezone.localdate(),
            "reviews": a.reviews.select_related("reviewer"),
            "recognitions": recognitions,
            "appeals": a.appeals.all(),
            "appeal_form": AppealForm(),
            "can_appeal": can_act
            and services.can_appeal(a)
            and not any(ap.status == AppealStatus.OPEN for ap in a.appeals.all()),
            "can_resolve": access.has(Perm.REVIEW, a.unit_path),
            "user_is_staff": access.is_staff_officer,
        },
    )


@login_required
def fill(request, pk: int, n: int):
    a = selectors.file_or_404(request.user, pk)
    subject = load_subject(a.subject_type, a.subject_id)
    if not services.can_act_for(request.user, subject)[0]:
        raise Http404
    return wizard.fill_step(
        request, a, n, ns="recognition", detail_url=reverse("recognition:file", args=[a.pk])
    )


@login_required
def evidence_file(request, pk: int):
    from .models import Evidence

    ev = get_object_or_404(Evidence, pk=pk)
    selectors.file_or_404(request.user, ev.assessment_id)
    with ev.open() as fh:
        resp = HttpResponse(fh.read(), content_type=ev.content_type)
    resp["Content-Disposition"] = f'inline; filename="minh-chung-{ev.pk}{ev.file_name[-4:]}"'
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


@login_required
@require_POST
def appeal_lodge(request, pk: int):
    a = selectors.file_or_404(request.user, pk)
    try:
        services.appeal_lodge(user=request.user, assessment=a, reason=request.POST.get("reason", ""))
        messages.success(request, _("Đã gửi kiến nghị."))
    except ValidationError as exc:
        _error(request, exc)
    return redirect(_next(request, reverse("recognition:file", args=[a.pk])))


def _next(request, default: str) -> str:
    nxt = request.POST.get("next") or ""
    # a path of this site only ("abc" would be taken for a view name by redirect())
    if nxt.startswith("/") and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return default


@login_required
@require_POST
def appeal_resolve(request, pk: int):
    appeal = get_object_or_404(selectors.appeals_for(request.user), pk=pk)
    accept = request.POST.get("accept") == "1"
    try:
        services.appeal_resolve(
            user=request.user, appeal=appeal, accept=accept, resolution=request.POST.get("resolution", "")
        )
        if accept:
            messages.success(
                request,
                _("Đã chấp nhận kiến nghị: hồ sơ «%(name)s» được chuyển thẩm định lại.")
                % {"name": appeal.assessment.subject_name},
            )
        else:
            messages.success(request, _("Đã trả lời: không chấp nhận kiến nghị."))
    except ValidationError as exc:
        _error(request, exc)
    return redirect(_next(request, reverse("recognition:file", args=[appeal.assessment_id])))


@login_required
def appeal_list(request):
    """Reviewers: appeals on files of their area, the open ones first."""
    access = access_for(request.user)
    if not access.has(Perm.REVIEW):
        raise PermissionDenied
    status = request.GET.get("trang-thai", AppealStatus.OPEN)
    qs = selectors.appeals_for(request.user).select_related(
        "assessment", "assessment__campaign", "assessment__unit", "lodged_by", "resolved_by"
    )
    if status in AppealStatus.values:
        qs = qs.filter(status=status)
    rows = []
    for ap in qs.order_by("-lodged_at")[:200]:
        rows.append(
            {
                "appeal": ap,
                "blocker": services.appeal_blocker(ap) if ap.status == AppealStatus.OPEN else "",
                "recognition": ap.assessment.recognitions.filter(revoked_at__isnull=True).first()
                if ap.status == AppealStatus.OPEN
                else None,
            }
        )
    return render(
        request,
        "recognition/appeal_list.html",
        {"rows": rows, "status": status, "statuses": AppealStatus.choices},
    )


@login_required
def review_village(request, pk: int, village_pk: int):
    """Bulk review: every household (or citizen) file of one village on one screen."""
    campaign = selectors.campaign_or_404(request.user, pk)
    access = access_for(request.user)
    village = get_object_or_404(AdminUnit, pk=village_pk, parent=campaign.unit)
    access.require(Perm.REVIEW, village)
    files = list(selectors.files_for(request.user, campaign).filter(unit=village).order_by("subject_name"))
    if request.method == "POST":
        items = {a.pk: request.POST.get(f"o_{a.pk}", "") for a in files if a.status in services.REVIEWABLE}
        comments = {a.pk: request.POST.get(f"c_{a.pk}", "") for a in files}
        try:
            counts = services.review_bulk(
                user=request.user, items={k: v for k, v in items.items() if v}, comments=comments
            )
            messages.success(
                request,
                _("Đã thẩm định: %(p)d đề nghị công nhận, %(r)d trả lại, %(n)d chưa đạt.")
                % {"p": counts["propose"], "r": counts["return"], "n": counts["reviewed"]},
            )
            return redirect("recognition:review_village", campaign.pk, village.pk)
        except ValidationError as exc:
            _error(request, exc)
    # the files open for review, with their rule-computed indicators from the registry as it is
    # today: one query per criteria set (a village of 300 files is one query, not 300)
    services.refresh_rules([a for a in files if a.status in services.REVIEWABLE])
    return render(
        request,
        "recognition/review_village.html",
        {
            "campaign": campaign,
            "village": village,
            "files": files,
            "reviewable": services.REVIEWABLE,
            "posted": request.POST if request.method == "POST" else {},
        },
    )


# Up to this many proposed files the approver ticks files one by one; above it, whole villages
# (10,000 checkboxes make a page of megabytes and exceed Django's 1,000 POST fields).
PER_FILE_LIMIT = 300


@login_required
def decision_new(request, pk: int):
    campaign = selectors.campaign_or_404(request.user, pk)
    authority, issuer = services.require_decider(request.user, campaign)
    proposed_qs = selectors.files_for(request.user, campaign).filter(status=AssessmentStatus.PROPOSED)
    groups = list(
        proposed_qs.values("unit_id", "unit__name", "unit_path").annotate(n=Count("id")).order_by("unit_path")
    )
    total = sum(g["n"] for g in groups)
    per_file = total <= PER_FILE_LIMIT
    proposed = []
    if per_file:
        levels = dict(TitleLevel.choices)
        proposed = [
            {**row, "level_label": levels.get(row["review_level"], row["review_level"])}
            for row in proposed_qs.order_by("unit_path", "subject_name").values(
                "pk", "subject_name", "unit__name", "review_total", "review_level"
            )
        ]
    ra = next((a for a in access_for(request.user).assignments if a.role == authority.decider_role), None)
    initial = {
        "date": dt.date.today(),
        "signer_name": request.user.display_name,
        "signer_position": (ra.position if ra and ra.position else authority.signer_title),
        "legal_basis": authority.legal_basis,
    }
    form = DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST":
        selected = set(request.POST.getlist("files" if per_file else "villages"))
    else:
        selected = {str(r["pk"]) for r in proposed} if per_file else {str(g["unit_id"]) for g in groups}
    if request.method == "POST" and form.is_valid():
        if per_file:
            # an id that is not a number (or beyond 64 bits) is no file of this campaign: 0 is none either
            ids = [int_or_none(v, min_value=1) or 0 for v in request.POST.getlist("files")]
        else:
            unit_ids = [pk for pk in (int_or_none(v, min_value=1) for v in selected) if pk is not None]
            ids = list(proposed_qs.filter(unit_id__in=unit_ids).values_list("pk", flat=True))
        try:
            d = services.decision_issue(
                user=request.user, campaign=campaign, assessment_ids=ids, **form.cleaned_data
            )
            messages.success(request, _("Đã ký Quyết định số %(n)s.") % {"n": d.number_label})
            return redirect("recognition:decision", d.pk)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
    return render(
        request,
        "recognition/decision_new.html",
        {
            "campaign": campaign,
            "form": form,
            "per_file": per_file,
            "proposed": proposed,
            "groups": groups,
            "total": total,
            "selected": selected,
            "issuer_name": authority.issuer_name(issuer),
        },
    )


@login_required
def decision_list(request):
    decisions = selectors.decisions_for(request.user)
    if not selectors.file_paths(request.user):
        raise PermissionDenied
    return render(request, "recognition/decision_list.html", {"decisions": list(decisions[:300])})


@login_required
def decision_detail(request, pk: int):
    d = get_object_or_404(selectors.decisions_for(request.user), pk=pk)
    recs = (
        d.recognitions.select_related("certificate")
        .defer("indicator_results")
        .order_by("unit_label", "subject_name")
    )
    page = _page(request, recs)
    return render(
        request,
        "recognition/decision_detail.html",
        {"d": d, "recognitions": page["rows"], "page": page, "title_label": Title(d.title).label},
    )


@login_required
def decision_pdf(request, pk: int):
    d = get_object_or_404(selectors.decisions_for(request.user), pk=pk)
    resp = HttpResponse(pdf.decision_pdf(d), content_type="application/pdf")
    resp["Content-Disposition"] = f'attachment; filename="quyet-dinh-{d.number}-{d.year}.pdf"'
    return resp


@login_required
def recognition_detail(request, pk: int):
    rec = selectors.recognition_or_404(request.user, pk)
    can_revoke = False
    if rec.decision and rec.decision.campaign and not rec.is_revoked:
        can_revoke = _can_decide(request.user, rec.decision.campaign)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and can_revoke and form.is_valid():
        try:
            services.recognition_revoke(
                user=request.user, recognition=rec, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Đã thu hồi công nhận."))
            return redirect("recognition:recognition", rec.pk)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
    return render(
        request,
        "recognition/recognition_detail.html",
        {"rec": rec, "can_revoke": can_revoke, "form": form, "title_label": Title(rec.title).label},
    )


@login_required
def certificate_pdf(request, pk: int):
    rec = selectors.recognition_or_404(request.user, pk)
    cert = getattr(rec, "certificate", None)
    if cert is None:
        raise Http404
    resp = HttpResponse(pdf.certificate_pdf(cert, request), content_type="application/pdf")
    resp["Content-Disposition"] = f'attachment; filename="giay-cong-nhan-{cert.serial}.pdf"'
    return resp


@cache_control(no_cache=True, max_age=0)
def verify(request, token: str):
    """Public: who (masked), which title, which year, who issued, valid or revoked — nothing else."""
    cert = selectors.certificate_by_token(token)
    if cert is None:
        resp = render(request, "recognition/verify.html", {"cert": None}, status=404)
    else:
        rec = cert.recognition
        state = "revoked" if rec.is_revoked else ("valid" if rec.is_valid_on() else "expired")
        resp = render(
            request,
            "recognition/verify.html",
            {"cert": cert, "rec": rec, "state": state, "title_label": Title(rec.title).label},
        )
    resp["X-Robots-Tag"] = "noindex, nofollow"
    resp["Referrer-Policy"] = "no-referrer"
    return resp
