"""Pages of the administrative map. Every unit is fetched through ``selectors.visible_unit``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from xhht.accounts.access import Perm, access_for

from . import selectors, services
from .forms import VillageCreateForm, VillageMergeForm, VillageRenameForm, VillageSplitForm
from .models import AdminUnit, Level


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errs in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, exc.messages)


@login_required
def tree(request):
    access = access_for(request.user)
    access.require(Perm.UNIT_VIEW)
    roots = access.units(Perm.UNIT_VIEW)
    if access.is_admin:
        roots = list(
            AdminUnit.objects.filter(level=Level.PROVINCE, valid_to__isnull=True).order_by("sort_key")
        )
    return render(request, "geo/tree.html", {"roots": roots, "show_former": request.GET.get("cu") == "1"})


@login_required
def unit_children_partial(request, pk: int):
    access = access_for(request.user)
    unit = selectors.visible_unit(access, pk)
    children = selectors.unit_children(unit, include_former=request.GET.get("cu") == "1")
    return render(request, "geo/_children.html", {"unit": unit, "children": children})


@login_required
def unit_detail(request, pk: int):
    access = access_for(request.user)
    unit = selectors.visible_unit(access, pk)
    children = list(selectors.unit_children(unit, include_former=True)[:500])
    can_manage = (
        unit.level == Level.COMMUNE and unit.valid_to is None and access.has(Perm.UNIT_MANAGE_VILLAGES, unit)
    )
    can_manage_village = (
        unit.level == Level.VILLAGE and unit.valid_to is None and access.has(Perm.UNIT_MANAGE_VILLAGES, unit)
    )
    history = selectors.unit_history(unit)
    return render(
        request,
        "geo/unit_detail.html",
        {
            "unit": unit,
            "ancestors": [a for a in unit.ancestors() if selectors.can_see_unit(access, a)],
            "children": children,
            "current_children": [c for c in children if c.valid_to is None],
            "former_children": [c for c in children if c.valid_to is not None],
            "history": history,
            "can_manage": can_manage,
            "can_manage_village": can_manage_village,
            "create_form": VillageCreateForm() if can_manage else None,
            "can_audit": access.has(Perm.AUDIT_VIEW, unit),
        },
    )


@login_required
def unit_history_view(request, pk: int):
    access = access_for(request.user)
    unit = selectors.visible_unit(access, pk)
    return render(request, "geo/unit_history.html", {"unit": unit, "history": selectors.unit_history(unit)})


@login_required
def search(request):
    access = access_for(request.user)
    access.require(Perm.UNIT_VIEW)
    q = request.GET.get("q", "").strip()
    results = selectors.search_units(access, q) if q else []
    template = "geo/_search_results.html" if request.headers.get("HX-Request") else "geo/search.html"
    return render(request, template, {"q": q, "results": results})


def _village_form_view(request, pk, *, form_class, template, action, commune_level: bool):
    access = access_for(request.user)
    unit = selectors.visible_unit(access, pk)
    access.require(Perm.UNIT_MANAGE_VILLAGES, unit)
    kwargs = {"commune": unit} if form_class is VillageMergeForm else {}
    form = form_class(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            result = action(request.user, unit, form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("geo:unit", pk=result.pk)
    return render(request, template, {"unit": unit, "form": form}, status=400 if form.errors else 200)


@login_required
def village_create_view(request, pk: int):
    def act(user, commune, d):
        return services.village_create(
            actor=user,
            commune=commune,
            name=d["name"],
            kind=d["kind"],
            effective=d["effective"],
            legal_basis=d["legal_basis"],
        )

    return _village_form_view(
        request,
        pk,
        form_class=VillageCreateForm,
        template="geo/village_form.html",
        action=act,
        commune_level=True,
    )


@login_required
def village_rename_view(request, pk: int):
    def act(user, village, d):
        return services.village_rename(
            actor=user,
            village=village,
            new_name=d["new_name"],
            effective=d["effective"],
            legal_basis=d["legal_basis"],
        )

    return _village_form_view(
        request,
        pk,
        form_class=VillageRenameForm,
        template="geo/village_form.html",
        action=act,
        commune_level=False,
    )


@login_required
def village_split_view(request, pk: int):
    def act(user, village, d):
        parts = services.village_split(
            actor=user,
            village=village,
            names=d["names"].splitlines(),
            kind=d["kind"],
            effective=d["effective"],
            legal_basis=d["legal_basis"],
        )
        return parts[0].parent

    return _village_form_view(
        request,
        pk,
        form_class=VillageSplitForm,
        template="geo/village_form.html",
        action=act,
        commune_level=False,
    )


@login_required
def village_merge_view(request, pk: int):
    def act(user, commune, d):
        return services.villages_merge(
            actor=user,
            villages=list(d["villages"]),
            name=d["name"],
            kind=d["kind"],
            effective=d["effective"],
            legal_basis=d["legal_basis"],
        )

    return _village_form_view(
        request,
        pk,
        form_class=VillageMergeForm,
        template="geo/village_form.html",
        action=act,
        commune_level=True,
    )
