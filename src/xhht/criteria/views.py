"""Pages of the criteria sets: list, view, upload (with a dry run), download, new version, publish."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xhht.core.params import int_or_none, int_param
from xhht.core.titles import Level, Title

from . import selectors, services
from .authoring import AuthoringErrors, load_upload, to_workbook, to_yaml, validate_document
from .engine import SUBJECT_ENTITY, schema_help
from .forms import IndicatorForm
from .models import CriteriaSet, CriteriaSetConfirmation, Criterion, Indicator, SetStatus

MAX_UPLOAD = 5 * 1024 * 1024


def _viewable(request) -> None:
    if not selectors.can_view(request.user):
        raise PermissionDenied


def _get(request, pk: int) -> CriteriaSet:
    _viewable(request)
    return get_object_or_404(CriteriaSet.objects.select_related("province", "parent", "published_by"), pk=pk)


def _managed(request, pk: int) -> CriteriaSet:
    cs = _get(request, pk)
    if not selectors.can_manage(request.user, cs):
        raise PermissionDenied
    return cs


@login_required
def set_list(request):
    _viewable(request)
    title = request.GET.get("danh_hieu") or ""
    if title and title not in Title.values:
        title = ""
    sets = list(selectors.sets_for_listing(title or None))
    mine = selectors.user_provinces(request.user)
    confirmed: dict[int, list] = {}
    for c in CriteriaSetConfirmation.objects.filter(
        criteria_set__in=[s for s in sets if s.provisional], province__path__in=mine
    ).select_related("province"):
        confirmed.setdefault(c.criteria_set_id, []).append(c)
    for s in sets:
        s.my_confirmations = confirmed.get(s.pk, [])
    by_title = []
    for value, label in Title.choices:
        rows = [s for s in sets if s.title == value]
        if rows or not title:
            by_title.append({"title": value, "label": label, "sets": rows})
    return render(
        request,
        "criteria/list.html",
        {
            "by_title": by_title,
            "titles": Title.choices,
            "title": title,
            "can_manage": selectors.can_manage(request.user),
        },
    )


@login_required
def set_detail(request, pk: int):
    cs = _get(request, pk)
    groups = []
    indicators = list(cs.indicators.select_related("criterion"))
    for g in cs.groups:
        crits = []
        for c in g.criteria:
            crits.append({"criterion": c, "indicators": [i for i in indicators if i.criterion_id == c.pk]})
        groups.append({"group": g, "criteria": crits})
    return render(
        request,
        "criteria/detail.html",
        {
            "cs": cs,
            "groups": groups,
            "outcomes": list(cs.outcome_rules),
            "versions": CriteriaSet.objects.filter(code=cs.code).order_by("-version"),
            "can_manage": selectors.can_manage(request.user, cs),
            "editable": cs.status == SetStatus.DRAFT and selectors.can_manage(request.user, cs),
            "n_indicators": len(indicators),
            "n_rules": sum(1 for i in indicators if i.rule),
            "confirmations": list(cs.confirmations.select_related("province").order_by("province__sort_key")),
            "confirm_provinces": selectors.confirm_provinces(request.user, cs),
        },
    )


@login_required
@require_POST
def confirm(request, pk: int):
    """A province officer confirms a provisional set for their province (who, when, against what)."""
    cs = _get(request, pk)
    from xhht.accounts.access import Perm, access_for
    from xhht.geo.models import AdminUnit

    if not access_for(request.user).has(Perm.CRITERIA_MANAGE):
        raise Http404  # as for a province outside the user's: no form checks before the permission
    choices = selectors.confirm_provinces(request.user, cs)
    wanted = request.POST.get("tinh")
    province = next((u for u in choices if str(u.pk) == wanted), None)
    if province is None and len(choices) == 1 and not wanted:
        province = choices[0]
    if province is None:
        wanted_pk = int_or_none(wanted, min_value=1)
        province = AdminUnit.objects.filter(pk=wanted_pk).first() if wanted_pk is not None else None
    try:
        services.criteria_set_confirm(
            user=request.user, criteria_set=cs, province=province, note=request.POST.get("can_cu", "")
        )
    except PermissionDenied:
        raise Http404
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
        return redirect(f"{reverse('criteria:detail', args=[cs.pk])}#confirm")
    messages.success(
        request,
        _("Đã xác nhận áp dụng bộ tiêu chí cho %(province)s; từ nay có thể mở đợt đánh giá theo bộ này.")
        % {"province": province.name},
    )
    return redirect(f"{reverse('criteria:detail', args=[cs.pk])}#confirm")


@login_required
def download(request, pk: int, fmt: str):
    cs = _get(request, pk)
    name = slugify(f"{cs.code}-v{cs.version}")
    if fmt == "xlsx":
        resp = HttpResponse(
            to_workbook(cs), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    elif fmt == "yaml":
        resp = HttpResponse(to_yaml(cs), content_type="application/yaml; charset=utf-8")
    else:
        raise Http404
    resp["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return resp


@login_required
def upload(request):
    _viewable(request)
    if not selectors.can_manage(request.user):
        raise PermissionDenied
    ctx = {"errors": [], "summary": None, "schema": schema_help()}
    if request.method == "POST":
        f = request.FILES.get("file")
        dry_run = request.POST.get("action") != "create"
        if f is None:
            ctx["errors"] = [_("Hãy chọn tệp .xlsx hoặc .yaml.")]
        elif f.size > MAX_UPLOAD:
            ctx["errors"] = [_("Tệp lớn quá 5 MB.")]
        else:
            try:
                doc = load_upload(f.name, f.read())
                if dry_run:
                    clean, errors = validate_document(doc)
                    if errors:
                        raise AuthoringErrors(errors)
                    ctx["summary"] = _summary(clean)
                    ctx["file_name"] = f.name
                else:
                    cs = services.import_document(user=request.user, document=doc)
                    messages.success(
                        request,
                        _("Đã tạo bản nháp «%(name)s» phiên bản %(v)s.") % {"name": cs.name, "v": cs.version},
                    )
                    return redirect("criteria:detail", cs.pk)
            except AuthoringErrors as exc:
                ctx["errors"] = [str(e) for e in exc.errors]
    return render(request, "criteria/upload.html", ctx, status=400 if ctx["errors"] else 200)


def _summary(clean: dict) -> dict:
    s = clean["settings"]
    n_crit = sum(len(g["criteria"]) for g in clean["groups"])
    inds = [i for g in clean["groups"] for c in g["criteria"] for i in c["indicators"]]
    return {
        "title": Title(s["title"]).label,
        "name": s["name"],
        "version": s["version"],
        "code": s["code"],
        "groups": len(clean["groups"]),
        "criteria": n_crit,
        "indicators": len(inds),
        "rules": sum(1 for i in inds if i["rule"]),
        "outcomes": len(clean["outcomes"]),
    }


@login_required
@require_POST
def clone(request, pk: int):
    cs = _managed(request, pk)
    new = services.clone_set(user=request.user, criteria_set=cs)
    messages.success(request, _("Đã tạo bản nháp phiên bản %(v)s để chỉnh sửa.") % {"v": new.version})
    return redirect("criteria:detail", new.pk)


@login_required
def publish(request, pk: int):
    cs = _managed(request, pk)
    if cs.status != SetStatus.DRAFT:
        messages.error(request, _("Chỉ bản nháp mới được ban hành."))
        return redirect("criteria:detail", cs.pk)
    if request.method == "POST":
        try:
            services.publish_set(user=request.user, criteria_set=cs)
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
            return redirect("criteria:publish", cs.pk)
        messages.success(request, _("Đã ban hành bộ tiêu chí. Từ nay bộ này không sửa được nữa."))
        return redirect("criteria:detail", cs.pk)
    year = int_param(request, "nam", min_value=1900, max_value=2100, label=_("năm"))
    pv = selectors.preview(cs, user=request.user, year=year)
    current = None
    try:
        current = services.criteria_set_for(cs.title, cs.year_from, cs.province, level=cs.applies_to or None)
    except services.NoCriteriaSet:
        pass
    levels = [(str(Level(lv).label), n) for lv, n in sorted(pv.by_level.items(), reverse=True)]
    return render(
        request, "criteria/publish.html", {"cs": cs, "preview": pv, "levels": levels, "current": current}
    )


@login_required
@require_POST
def retire(request, pk: int):
    cs = _managed(request, pk)
    try:
        services.retire_set(user=request.user, criteria_set=cs)
        messages.success(request, _("Bộ tiêu chí đã thôi áp dụng."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("criteria:detail", cs.pk)


@login_required
@require_POST
def delete(request, pk: int):
    cs = _managed(request, pk)
    if cs.status != SetStatus.DRAFT:
        messages.error(request, _("Bộ tiêu chí đã ban hành thì không được sửa; hãy tạo phiên bản mới."))
        return redirect("criteria:detail", cs.pk)
    services.delete_draft(user=request.user, criteria_set=cs)
    messages.success(request, _("Đã xoá bản nháp."))
    return redirect("criteria:list")


# ---------------------------------------------------------------------------------------- draft editor


def _draft(request, pk: int) -> CriteriaSet:
    cs = _managed(request, pk)
    if cs.status != SetStatus.DRAFT:
        raise Http404
    return cs


def _indicator_page(request, cs, form, *, indicator=None, criterion=None, status=200):
    return render(
        request,
        "criteria/indicator_form.html",
        {
            "cs": cs,
            "form": form,
            "indicator": indicator,
            "criterion": criterion or indicator.criterion,
            "schema": [r for r in schema_help() if r["entity"] == SUBJECT_ENTITY[cs.subject_type]],
        },
        status=status,
    )


def _save_indicator(request, cs, *, indicator=None, criterion=None):
    form = IndicatorForm(request.POST)
    if form.is_valid():
        try:
            ind = services.save_indicator(
                user=request.user,
                criteria_set=cs,
                data=form.cleaned_data,
                indicator=indicator,
                criterion=criterion,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for f, errs in exc.message_dict.items():
                    form.add_error(f if f in form.fields else None, errs)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Đã lưu chỉ số %(c)s.") % {"c": ind.code})
            return redirect(f"{reverse('criteria:detail', args=[cs.pk])}#ind-{ind.code}")
    return _indicator_page(request, cs, form, indicator=indicator, criterion=criterion, status=400)


@login_required
def indicator_edit(request, pk: int, ind_pk: int):
    cs = _draft(request, pk)
    ind = get_object_or_404(Indicator.objects.select_related("criterion"), pk=ind_pk, criteria_set=cs)
    if request.method == "POST":
        return _save_indicator(request, cs, indicator=ind)
    form = IndicatorForm(initial={f: getattr(ind, f) for f in services.INDICATOR_FIELDS})
    return _indicator_page(request, cs, form, indicator=ind)


@login_required
def indicator_add(request, pk: int, crit_pk: int):
    cs = _draft(request, pk)
    crit = get_object_or_404(Criterion, pk=crit_pk, criteria_set=cs)
    if request.method == "POST":
        return _save_indicator(request, cs, criterion=crit)
    form = IndicatorForm(initial={"kind": "points", "mandatory": True})
    return _indicator_page(request, cs, form, criterion=crit)


@login_required
@require_POST
def indicator_delete(request, pk: int, ind_pk: int):
    cs = _draft(request, pk)
    ind = get_object_or_404(Indicator.objects.select_related("criterion"), pk=ind_pk, criteria_set=cs)
    try:
        services.delete_indicator(user=request.user, indicator=ind)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(f"{reverse('criteria:detail', args=[cs.pk])}#ind-{ind.code}")
    messages.success(request, _("Đã xoá chỉ số %(c)s.") % {"c": ind.code})
    return redirect("criteria:detail", cs.pk)
