"""Pages of the registries. Thin: parse the request, call a selector or a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xhht.accounts.access import Perm, access_for
from xhht.core.params import int_or_none, int_param
from xhht.geo.models import AdminUnit, Level

from . import export, selectors, services
from .forms import (
    AssociationMemberForm,
    AttendanceForm,
    BranchForm,
    CentreForm,
    CentreMergeForm,
    CentreStaffForm,
    ClanForm,
    ClanHouseholdForm,
    HouseholdForm,
    HouseholdMergeForm,
    MemberAddForm,
    MoveForm,
    OrganisationForm,
    OrganisationMergeForm,
    PersonForm,
    SetHeadForm,
    StaffAddForm,
    TrainingForm,
)
from .models import (
    AssociationBranch,
    CentreStaff,
    ClanHousehold,
    Household,
    LearningCentre,
    Organisation,
    OrgKind,
    OrgMembership,
    Person,
    PersonStatus,
)


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errs in exc.error_dict.items():
            target = field if field in form.fields else None
            for e in errs:
                form.add_error(target, e)
    else:
        form.add_error(None, exc.messages)


def _edit_units(access, levels=(Level.VILLAGE,)):
    qs = AdminUnit.objects.filter(level__in=levels, valid_to__isnull=True)
    return (
        access.scope(qs, Perm.REGISTRY_EDIT, path_field="path")
        .select_related("parent")
        .order_by("level", "parent__sort_key", "sort_key")
    )


def _pick(access, form, field):
    """Resolve a PersonPickField to a person the user may see (form error otherwise)."""
    pk = form.cleaned_data.get(field)
    if not pk:
        return None
    try:
        return selectors.visible_person(access, pk)
    except Http404:
        form.add_error(field, _("Không tìm thấy công dân đã chọn trong phạm vi của bạn."))
        raise ValidationError("")


def _picked(access, request, *fields):
    """People already chosen in pickers, to re-render them when a form is rejected."""
    out = {}
    for f in fields:
        v = int_or_none(request.POST.get(f) or request.GET.get(f), min_value=1)
        if v is not None:
            p = selectors.people_qs(access).filter(pk=v).select_related("village").first()
            if p:
                out[f] = p
    return out


def _form_page(request, template_ctx, form, status_ok=200):
    ctx = {"form": form, "pickers": [], "picked": {}, **template_ctx}
    return render(request, "registry/form.html", ctx, status=400 if form.errors else status_ok)


@login_required
def index(request):
    access = access_for(request.user)
    if not access.has(Perm.REGISTRY_VIEW):
        person = Person.objects.filter(user=request.user).first()
        if person:
            return redirect("registry:person", pk=person.pk)
        raise PermissionDenied
    return render(request, "registry/index.html", {"can_edit": access.has(Perm.REGISTRY_EDIT)})


# ---------------------------------------------------------------- people


def _people_filters(request) -> dict:
    keys = [
        "village",
        "commune",
        "ethnicity",
        "birth_year_from",
        "birth_year_to",
        *selectors.FACT_FILTERS,
        *selectors.BOOL_FILTERS,
    ]
    return {k: request.GET.get(k, "").strip() for k in keys if request.GET.get(k, "").strip()}


def _options(choices, selected: str) -> str:
    """``<option>`` elements built in Python: a province has hundreds of communes, and the template
    engine costs ~20 µs per option and comparison."""
    selected = str(selected or "")
    return mark_safe(  # noqa: S308 - every value and label is escaped here
        "".join(
            f'<option value="{escape(v)}"{" selected" if str(v) == selected else ""}>{escape(label)}</option>'
            for v, label in choices
        )
    )


def _commune_choices(access) -> list[tuple[int, str]]:
    communes = list(selectors.communes_for(access).values_list("id", "name")[:400])
    return communes if len(communes) > 1 else []


def _village_choices(access, filters) -> list[tuple[int, str]]:
    """Villages for the filter: those of the chosen commune, or all when the scope is a commune
    (a province has thousands: its officer picks a commune first)."""
    qs = selectors.villages_for(access)
    commune = int_or_none(filters.get("commune", ""), min_value=0)
    if commune is not None:
        qs = qs.filter(parent_id=commune)
    elif not all(p.count("/") >= 3 for p in access.paths_for(Perm.REGISTRY_VIEW) or ["VN/"]):
        return []
    villages = list(qs.values_list("id", "name", "parent__name")[:301])
    if len(villages) > 300:
        return []
    return [(pk, f"{name} — {parent}") for pk, name, parent in villages]


def _prepare_rows(rows, mask) -> None:
    """What each row shows, computed once in Python (masking, the birth date as dd/mm/yyyy, the
    status label): cheaper than filters and ``{% url %}`` per cell in the template."""
    labels = dict(PersonStatus.choices)
    for p in rows:
        p.cccd_shown = mask.cccd(p)
        p.phone_shown = mask.phone(p)
        p.born = p.birth_date.strftime("%d/%m/%Y") if p.birth_date else (p.birth_year or "")
        p.status_label = "" if p.status == PersonStatus.ACTIVE else str(labels.get(p.status, p.status))


@login_required
def people_list(request):
    access = access_for(request.user)
    if not access.has(Perm.REGISTRY_VIEW):
        return index(request)
    q = request.GET.get("q", "").strip()
    filters = _people_filters(request)
    page = selectors.people_search(access, q=q, filters=filters, after=request.GET.get("sau"))
    params = request.GET.copy()
    params.pop("sau", None)
    _prepare_rows(page.rows, selectors.mask_for(access))
    ctx = {
        "q": q,
        "filters": filters,
        "page": page,
        "person_url": reverse("registry:people"),
        "query": params.urlencode(),
        "first_page": not request.GET.get("sau"),
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "people-results":
        return render(request, "registry/_people_results.html", ctx)
    villages = _village_choices(access, filters)
    communes = _commune_choices(access)
    yes_no = [("1", _("Có")), ("0", _("Không"))]
    ctx.update(
        {
            "village_options": _options(villages, filters.get("village")) if villages else "",
            "commune_options": _options(communes, filters.get("commune")) if communes else "",
            "fact_filters": [
                (name, label, _options(choices, filters.get(name, "")))
                for name, (label, choices) in selectors.FACT_FILTERS.items()
            ]
            + [
                (name, label, _options(yes_no, filters.get(name, "")))
                for name, label in selectors.BOOL_FILTERS.items()
            ],
            "can_edit": access.has(Perm.REGISTRY_EDIT),
            "can_export": access.has(Perm.REGISTRY_EXPORT),
        }
    )
    return render(request, "registry/people_list.html", ctx)


@login_required
def people_export(request, fmt: str):
    access = access_for(request.user)
    access.require(Perm.REGISTRY_EXPORT)
    q = request.GET.get("q", "").strip()
    filters = _people_filters(request)
    if fmt == "csv":
        return export.csv_response(access, q=q, filters=filters)
    if fmt == "xlsx":
        return export.xlsx_response(access, q=q, filters=filters)
    raise Http404


@login_required
def person_picker(request):
    """htmx: people matching ``q`` as radio buttons named ``field``."""
    access = access_for(request.user)
    field = request.GET.get("field", "person")
    if not field.isidentifier():
        raise Http404
    rows = selectors.person_choices(access, request.GET.get(f"{field}_q", "").strip())
    return render(request, "registry/_person_options.html", {"rows": rows, "field": field, "selected": None})


@login_required
def person_detail(request, pk: int):
    access = access_for(request.user)
    person = selectors.visible_person(access, pk)
    return render(
        request,
        "registry/person_detail.html",
        {
            "p": person,
            "mask": selectors.mask_for(access),
            **selectors.person_history(person),
            "can_edit": access.has(Perm.REGISTRY_EDIT, person.unit_path)
            and person.status != PersonStatus.MERGED,
            "can_audit": access.has(Perm.AUDIT_VIEW, person.unit_path),
        },
    )


def _person_data(cd: dict) -> dict:
    keys = [
        "full_name",
        "birth_date",
        "birth_year",
        "sex",
        "ethnicity",
        "religion",
        "cccd",
        "phone",
        "occupation",
        "education_level",
        "technical_qualification",
        "it_competency",
        "digital_skill",
        "foreign_language",
        "life_skills",
        "literacy",
        "note",
    ]
    d = {k: cd.get(k) for k in keys if k in cd}
    if "status" in cd:
        d["status"] = cd["status"]
    for k in ("sex", "education_level", "literacy", "ethnicity", "religion", "cccd", "phone", "note"):
        if d.get(k) is None:
            d[k] = ""
    return d


@login_required
def person_create(request):
    access = access_for(request.user)
    access.require(Perm.REGISTRY_EDIT)
    villages = _edit_units(access)
    form = PersonForm(request.POST or None, villages=villages)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(
                actor=request.user, village=form.cleaned_data["village"], **_person_data(form.cleaned_data)
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm công dân %(name)s.") % {"name": person.full_name})
            return redirect("registry:person", pk=person.pk)
    return _form_page(request, {"title": _("Thêm công dân"), "cancel": "registry:people"}, form)


@login_required
def person_edit(request, pk: int):
    access = access_for(request.user)
    person = selectors.visible_person(access, pk)
    access.require(Perm.REGISTRY_EDIT, person.unit_path)
    if person.status == PersonStatus.MERGED:
        raise Http404
    villages = _edit_units(access)
    initial = {f: getattr(person, f) for f in services.PERSON_FIELDS}
    initial["village"] = person.village_id
    form = PersonForm(request.POST or None, villages=villages, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=request.user, person=person, **_person_data(form.cleaned_data))
            new_village = form.cleaned_data["village"]
            if new_village.pk != person.village_id:
                services.person_move(
                    actor=request.user,
                    person=person,
                    village=new_village,
                    on=form.cleaned_data.get("moved_on"),
                    reason=form.cleaned_data.get("move_reason", ""),
                )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("registry:person", pk=person.pk)
    return _form_page(request, {"title": person.full_name, "cancel_url": person}, form)


@login_required
def person_move(request, pk: int):
    access = access_for(request.user)
    person = selectors.visible_person(access, pk)
    access.require(Perm.REGISTRY_EDIT, person.unit_path)
    form = MoveForm(request.POST or None, villages=_edit_units(access))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_move(
                actor=request.user,
                person=person,
                village=form.cleaned_data["village"],
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Đã chuyển nơi cư trú; nơi ở cũ được lưu trong lịch sử."))
            return redirect("registry:person", pk=person.pk)
    return _form_page(
        request,
        {"title": _("Chuyển nơi cư trú: %(n)s") % {"n": person.full_name}, "cancel_url": person},
        form,
    )


@login_required
def duplicates(request):
    access = access_for(request.user)
    access.require(Perm.REGISTRY_EDIT)
    commune = None
    commune_pk = int_param(request, "commune", min_value=1, label=_("xã"))
    if commune_pk is not None:
        commune = AdminUnit.objects.filter(pk=commune_pk, level=Level.COMMUNE).first()
    groups = selectors.likely_duplicates(access, commune=commune)
    return render(
        request,
        "registry/duplicates.html",
        {
            "groups": groups,
            "mask": selectors.mask_for(access),
            "communes": selectors.communes_for(access, Perm.REGISTRY_EDIT),
            "commune": commune,
        },
    )


@login_required
@require_POST
def person_merge(request):
    access = access_for(request.user)
    try:
        keep = selectors.visible_person(access, int(request.POST.get("keep", "")))
        drop = selectors.visible_person(access, int(request.POST.get("drop", "")))
    except ValueError:
        raise Http404
    try:
        services.person_merge(actor=request.user, keep=keep, drop=drop)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("registry:duplicates")
    messages.success(
        request,
        _("Đã gộp hồ sơ #%(d)s vào #%(k)s; lịch sử của cả hai được giữ.") % {"d": drop.pk, "k": keep.pk},
    )
    return redirect("registry:person", pk=keep.pk)


@login_required
@require_POST
def person_distinct(request):
    access = access_for(request.user)
    ids = [pk for pk in (int_or_none(x, min_value=1) for x in request.POST.getlist("ids")) if pk is not None]
    people = [selectors.visible_person(access, pk) for pk in ids]
    if len(people) < 2:
        raise Http404
    try:
        for i, a in enumerate(people):
            for b in people[i + 1 :]:
                services.person_mark_distinct(actor=request.user, a=a, b=b)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã đánh dấu là những người khác nhau."))
    return redirect("registry:duplicates")


# ---------------------------------------------------------------- households


@login_required
def households_list(request):
    access = access_for(request.user)
    access.require(Perm.REGISTRY_VIEW)
    q = request.GET.get("q", "").strip()
    page = selectors.households_search(
        access, q=q, village=request.GET.get("village"), after=request.GET.get("sau")
    )
    return render(
        request,
        "registry/households_list.html",
        {
            "q": q,
            "page": page,
            "villages": selectors.villages_for(access),
            "village": request.GET.get("village", ""),
            "can_edit": access.has(Perm.REGISTRY_EDIT),
            "query": _query_without_cursor(request),
        },
    )


def _query_without_cursor(request) -> str:
    params = request.GET.copy()
    params.pop("sau", None)
    return params.urlencode()


@login_required
def household_detail(request, pk: int):
    access = access_for(request.user)
    hh = selectors.visible_household(access, pk)
    can_edit = access.has(Perm.REGISTRY_EDIT, hh.unit_path) and not hh.merged_into_id
    return render(
        request,
        "registry/household_detail.html",
        {
            "hh": hh,
            "merged_from": Household.objects.filter(merged_into=hh).order_by("code"),
            "members": selectors.household_members(hh),
            "mask": selectors.mask_for(access),
            "history": selectors.household_members(hh, current=False).filter(valid_to__isnull=False),
            "clans": ClanHousehold.objects.filter(household=hh, valid_to__isnull=True).select_related("clan"),
            "can_edit": can_edit,
            "add_form": MemberAddForm() if can_edit else None,
            "head_form": SetHeadForm() if can_edit else None,
        },
    )


@login_required
def household_create(request):
    access = access_for(request.user)
    access.require(Perm.REGISTRY_EDIT)
    form = HouseholdForm(request.POST or None, villages=_edit_units(access))
    if request.method == "POST" and form.is_valid():
        try:
            head = _pick(access, form, "head")
            hh = services.household_create(
                actor=request.user,
                village=form.cleaned_data["village"],
                head=head,
                code=form.cleaned_data["code"],
                address=form.cleaned_data["address"],
            )
        except ValidationError as exc:
            if exc.messages != [""]:
                _apply_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo hộ gia đình %(c)s.") % {"c": hh.code})
            return redirect("registry:household", pk=hh.pk)
    return _form_page(
        request,
        {
            "title": _("Thêm hộ gia đình"),
            "cancel": "registry:households",
            "pickers": ["head"],
            "picked": _picked(access, request, "head"),
        },
        form,
    )


@login_required
def household_edit(request, pk: int):
    access = access_for(request.user)
    hh = selectors.visible_household(access, pk)
    access.require(Perm.REGISTRY_EDIT, hh.unit_path)
    form = HouseholdForm(
        request.POST or None,
        villages=_edit_units(access),
        editing=True,
        initial={"village": hh.village_id, "address": hh.address},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.household_update(
                actor=request.user,
                household=hh,
                address=form.cleaned_data["address"],
                village=form.cleaned_data["village"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("registry:household", pk=hh.pk)
    return _form_page(request, {"title": str(hh), "cancel_url_str": f"/so-dang-ky/ho/{hh.pk}/"}, form)


@login_required
@require_POST
def household_member_add(request, pk: int):
    access = access_for(request.user)
    hh = selectors.visible_household(access, pk)
    form = MemberAddForm(request.POST)
    if form.is_valid():
        try:
            person = _pick(access, form, "person")
            services.household_add_member(
                actor=request.user,
                household=hh,
                person=person,
                relation=form.cleaned_data["relation"],
                since=form.cleaned_data["since"],
            )
        except ValidationError as exc:
            messages.error(
                request, " ".join(m for m in exc.messages if m) or _("Không thêm được thành viên.")
            )
        else:
            messages.success(request, _("Đã thêm thành viên."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("registry:household", pk=hh.pk)


@login_required
@require_POST
def household_member_remove(request, pk: int, person_pk: int):
    access = access_for(request.user)
    hh = selectors.visible_household(access, pk)
    person = selectors.visible_person(access, person_pk)
    try:
        services.household_remove_member(actor=request.user, household=hh, person=person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("registry:household", pk=hh.pk)


@login_required
@require_POST
def household_set_head(request, pk: int):
    access = access_for(request.user)
    hh = selectors.visible_household(access, pk)
    form = SetHeadForm(request.POST)
    if form.is_valid():
        person = selectors.visible_person(access, form.cleaned_data["person"])
        try:
            services.household_set_head(
                actor=request.user,
                household=hh,
                person=person,
                old_head_relation=form.cleaned_data["old_head_relation"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã đổi chủ hộ."))
    return redirect("registry:household", pk=hh.pk)


@login_required
def household_merge(request, pk: int):
    """Merge another household (entered twice) into this one."""
    access = access_for(request.user)
    hh = selectors.visible_household(access, pk)
    access.require(Perm.REGISTRY_EDIT, hh.unit_path)
    if hh.merged_into_id:
        raise Http404
    form = HouseholdMergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        other = selectors.households_qs(access).filter(code=cd["other"].strip()).first()
        if other is None:
            form.add_error(
                "other", _("Không tìm thấy hộ có mã %(c)s trong phạm vi của bạn.") % {"c": cd["other"]}
            )
        else:
            try:
                services.household_merge(
                    actor=request.user,
                    keep=hh,
                    drop=other,
                    drop_head_relation=cd["drop_head_relation"],
                    on=cd["on"],
                )
            except (ValidationError, PermissionDenied) as exc:
                if isinstance(exc, PermissionDenied):
                    exc = ValidationError({"other": _("Bạn không có quyền sửa hộ này.")})
                _apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Đã gộp hộ %(d)s vào hộ %(k)s; lịch sử của cả hai được giữ.")
                    % {"d": other.code, "k": hh.code},
                )
                return redirect("registry:household", pk=hh.pk)
    return _form_page(
        request,
        {
            "title": _("Gộp một hộ khác vào hộ %(c)s") % {"c": hh.code},
            "cancel_url_str": f"/so-dang-ky/ho/{hh.pk}/",
        },
        form,
    )


# ---------------------------------------------------------------- clans


@login_required
def clans_list(request):
    access = access_for(request.user)
    access.require(Perm.REGISTRY_VIEW)
    q = request.GET.get("q", "").strip()
    return render(
        request,
        "registry/simple_list.html",
        {
            "title": _("Dòng họ"),
            "q": q,
            "page": selectors.clans_search(access, q=q, after=request.GET.get("sau")),
            "kind": "clan",
            "create_url": "registry:clan_create",
            "can_edit": access.has(Perm.REGISTRY_EDIT),
            "query": _query_without_cursor(request),
        },
    )


@login_required
def clan_detail(request, pk: int):
    access = access_for(request.user)
    clan = selectors.visible_clan(access, pk)
    links = (
        ClanHousehold.objects.filter(clan=clan)
        .select_related("household", "household__head", "household__village")
        .order_by("valid_to", "id")
    )
    return render(
        request,
        "registry/clan_detail.html",
        {
            "clan": clan,
            "links": links,
            "can_edit": access.has(Perm.REGISTRY_EDIT, clan.unit_path),
            "add_form": ClanHouseholdForm(),
        },
    )


def _clan_form(request, clan=None):
    access = access_for(request.user)
    access.require(Perm.REGISTRY_EDIT)
    communes = _edit_units(access, (Level.COMMUNE,))
    initial = {"name": clan.name, "commune": clan.commune_id, "head": clan.head_id} if clan else {}
    form = ClanForm(request.POST or None, communes=communes, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            head = _pick(access, form, "head")
            if clan is None:
                clan = services.clan_create(
                    actor=request.user,
                    commune=form.cleaned_data["commune"],
                    name=form.cleaned_data["name"],
                    head=head,
                )
            else:
                services.clan_update(actor=request.user, clan=clan, name=form.cleaned_data["name"], head=head)
        except ValidationError as exc:
            if exc.messages != [""]:
                _apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu dòng họ."))
            return redirect("registry:clan", pk=clan.pk)
    picked = _picked(access, request, "head")
    if clan and clan.head_id and not picked and request.method != "POST":
        picked = {"head": clan.head}
    return _form_page(
        request,
        {
            "title": clan.name if clan else _("Thêm dòng họ"),
            "cancel": "registry:clans",
            "pickers": ["head"],
            "picked": picked,
        },
        form,
    )


@login_required
def clan_create(request):
    return _clan_form(request)


@login_required
def clan_edit(request, pk: int):
    clan = selectors.visible_clan(access_for(request.user), pk)
    access_for(request.user).require(Perm.REGISTRY_EDIT, clan.unit_path)
    return _clan_form(request, clan)


@login_required
@require_POST
def clan_household_add(request, pk: int):
    access = access_for(request.user)
    clan = selectors.visible_clan(access, pk)
    form = ClanHouseholdForm(request.POST)
    if form.is_valid():
        hh = selectors.households_qs(access).filter(code=form.cleaned_data["household_code"].strip()).first()
        if hh is None:
            messages.error(
                request,
                _("Không tìm thấy hộ có mã %(c)s trong phạm vi của bạn.")
                % {"c": form.cleaned_data["household_code"]},
            )
        else:
            try:
                services.clan_add_household(actor=request.user, clan=clan, household=hh)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Đã thêm hộ vào dòng họ."))
    return redirect("registry:clan", pk=clan.pk)


@login_required
@require_POST
def clan_household_remove(request, pk: int, hh_pk: int):
    access = access_for(request.user)
    clan = selectors.visible_clan(access, pk)
    hh = selectors.visible_household(access, hh_pk)
    services.clan_remove_household(actor=request.user, clan=clan, household=hh)
    return redirect("registry:clan", pk=clan.pk)


# ---------------------------------------------------------------- organisations


@login_required
def organisations_list(request):
    access = access_for(request.user)
    access.require(Perm.REGISTRY_VIEW)
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    return render(
        request,
        "registry/simple_list.html",
        {
            "title": _("Cơ quan, đơn vị"),
            "q": q,
            "kind": "org",
            "kinds": OrgKind.choices,
            "kind_value": kind,
            "page": selectors.organisations_search(access, q=q, kind=kind, after=request.GET.get("sau")),
            "create_url": "registry:org_create",
            "can_edit": access.has(Perm.REGISTRY_EDIT),
            "query": _query_without_cursor(request),
        },
    )


@login_required
def organisation_detail(request, pk: int):
    access = access_for(request.user)
    org = selectors.visible_organisation(access, pk)
    can_edit = access.has(Perm.REGISTRY_EDIT, org.unit_path) and not org.merged_into_id
    return render(
        request,
        "registry/org_detail.html",
        {
            "org": org,
            "merged_from": Organisation.objects.filter(merged_into=org).order_by("name"),
            "staff": selectors.org_staff(org),
            "can_edit": can_edit,
            "staff_form": StaffAddForm() if can_edit else None,
        },
    )


def _org_form(request, org=None):
    access = access_for(request.user)
    access.require(Perm.REGISTRY_EDIT)
    units = _edit_units(access, (Level.COMMUNE, Level.VILLAGE, Level.PROVINCE))
    initial = {}
    if org:
        initial = {
            "name": org.name,
            "kind": org.kind,
            "level": org.level,
            "unit": org.unit_id,
            "tax_code": org.tax_code,
            "head": org.head_id,
        }
    form = OrganisationForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            head = _pick(access, form, "head")
            data = {
                "name": cd["name"],
                "kind": cd["kind"],
                "level": cd["level"],
                "tax_code": cd["tax_code"],
                "head": head,
            }
            if org is None:
                org = services.organisation_create(actor=request.user, unit=cd["unit"], **data)
            else:
                services.organisation_update(actor=request.user, organisation=org, unit=cd["unit"], **data)
        except ValidationError as exc:
            if exc.messages != [""]:
                _apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu cơ quan, đơn vị."))
            return redirect("registry:org", pk=org.pk)
    picked = _picked(access, request, "head")
    if org and org.head_id and not picked and request.method != "POST":
        picked = {"head": org.head}
    return _form_page(
        request,
        {
            "title": org.name if org else _("Thêm cơ quan, đơn vị"),
            "cancel": "registry:orgs",
            "pickers": ["head"],
            "picked": picked,
        },
        form,
    )


@login_required
def organisation_create(request):
    return _org_form(request)


@login_required
def organisation_edit(request, pk: int):
    org = selectors.visible_organisation(access_for(request.user), pk)
    access_for(request.user).require(Perm.REGISTRY_EDIT, org.unit_path)
    return _org_form(request, org)


@login_required
@require_POST
def org_staff_add(request, pk: int):
    access = access_for(request.user)
    org = selectors.visible_organisation(access, pk)
    form = StaffAddForm(request.POST)
    if form.is_valid():
        try:
            person = _pick(access, form, "person")
            services.org_staff_add(
                actor=request.user,
                organisation=org,
                person=person,
                category=form.cleaned_data["category"],
                position=form.cleaned_data["position"],
                since=form.cleaned_data["since"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(m for m in exc.messages if m) or _("Không thêm được."))
        else:
            messages.success(request, _("Đã thêm cán bộ, nhân viên."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("registry:org", pk=org.pk)


@login_required
@require_POST
def org_staff_end(request, pk: int, m_pk: int):
    access = access_for(request.user)
    org = selectors.visible_organisation(access, pk)
    m = OrgMembership.objects.filter(organisation=org, pk=m_pk).first()
    if m is None:
        raise Http404
    services.org_staff_end(actor=request.user, membership=m)
    return redirect("registry:org", pk=org.pk)


@login_required
def organisation_merge(request, pk: int):
    """Merge another organisation of the same commune (entered twice, or absorbed) into this one."""
    access = access_for(request.user)
    org = selectors.visible_organisation(access, pk)
    access.require(Perm.REGISTRY_EDIT, org.unit_path)
    if org.merged_into_id or org.valid_to:
        raise Http404
    from xhht.core.fields import subtree_q

    commune_path = "/".join(org.unit_path.split("/")[:3]) + "/"
    others = access.scope(
        Organisation.objects.filter(valid_to__isnull=True, merged_into__isnull=True)
        .filter(subtree_q(commune_path, "unit_path"))
        .exclude(pk=org.pk),
        Perm.REGISTRY_EDIT,
        path_field="unit_path",
    ).order_by("name_folded")[:500]
    form = OrganisationMergeForm(
        request.POST or None, organisations=Organisation.objects.filter(pk__in=[o.pk for o in others])
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_merge(
                actor=request.user, keep=org, drop=form.cleaned_data["other"], on=form.cleaned_data["on"]
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Đã gộp cơ quan, đơn vị; nhân sự chuyển sang đơn vị này."))
            return redirect("registry:org", pk=org.pk)
    return _form_page(
        request,
        {"title": _("Gộp vào %(n)s") % {"n": org.name}, "cancel_url_str": f"/so-dang-ky/don-vi/{org.pk}/"},
        form,
    )


# ---------------------------------------------------------------- learning centres


@login_required
def centres_list(request):
    access = access_for(request.user)
    access.require(Perm.REGISTRY_VIEW)
    q = request.GET.get("q", "").strip()
    return render(
        request,
        "registry/simple_list.html",
        {
            "title": _("Trung tâm học tập cộng đồng"),
            "q": q,
            "kind": "centre",
            "page": selectors.centres_search(access, q=q, after=request.GET.get("sau")),
            "create_url": "registry:centre_create",
            "can_edit": access.has(Perm.REGISTRY_EDIT),
            "query": _query_without_cursor(request),
        },
    )


@login_required
def centre_detail(request, pk: int):
    access = access_for(request.user)
    c = selectors.visible_centre(access, pk)
    can_edit = access.has(Perm.REGISTRY_EDIT, c.unit_path)
    return render(
        request,
        "registry/centre_detail.html",
        {
            "c": c,
            "staff": CentreStaff.objects.filter(centre=c).select_related("person").order_by("valid_to", "id"),
            "merged_from": LearningCentre.objects.filter(merged_into=c),
            "can_edit": can_edit and c.valid_to is None,
            "staff_form": CentreStaffForm() if can_edit else None,
        },
    )


def _centre_form(request, centre=None):
    access = access_for(request.user)
    access.require(Perm.REGISTRY_EDIT)
    initial = {}
    if centre:
        initial = {
            f: getattr(centre, f)
            for f in ("name", "hkh_in_management", "uses_it_management", "uses_it_activities", "established")
        }
        initial["director"] = centre.director_id
    form = CentreForm(
        request.POST or None,
        communes=_edit_units(access, (Level.COMMUNE,)),
        editing=bool(centre),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            director = _pick(access, form, "director")
            data = {
                k: cd[k]
                for k in (
                    "name",
                    "hkh_in_management",
                    "uses_it_management",
                    "uses_it_activities",
                    "established",
                )
            }
            data["director"] = director
            if centre is None:
                centre = services.centre_create(actor=request.user, commune=cd["commune"], **data)
            else:
                services.centre_update(actor=request.user, centre=centre, **data)
        except ValidationError as exc:
            if exc.messages != [""]:
                _apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu trung tâm."))
            return redirect("registry:centre", pk=centre.pk)
    picked = _picked(access, request, "director")
    if centre and centre.director_id and not picked and request.method != "POST":
        picked = {"director": centre.director}
    return _form_page(
        request,
        {
            "title": centre.name if centre else _("Thêm trung tâm học tập cộng đồng"),
            "cancel": "registry:centres",
            "pickers": ["director"],
            "picked": picked,
        },
        form,
    )


@login_required
def centre_create(request):
    return _centre_form(request)


@login_required
def centre_edit(request, pk: int):
    c = selectors.visible_centre(access_for(request.user), pk)
    access_for(request.user).require(Perm.REGISTRY_EDIT, c.unit_path)
    return _centre_form(request, c)


@login_required
@require_POST
def centre_staff_add(request, pk: int):
    access = access_for(request.user)
    c = selectors.visible_centre(access, pk)
    form = CentreStaffForm(request.POST)
    if form.is_valid():
        try:
            person = _pick(access, form, "person")
            services.centre_staff_add(
                actor=request.user,
                centre=c,
                person=person,
                role=form.cleaned_data["role"],
                since=form.cleaned_data["since"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(m for m in exc.messages if m) or _("Không thêm được."))
        else:
            messages.success(request, _("Đã thêm cán bộ trung tâm."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("registry:centre", pk=c.pk)


@login_required
def centre_merge(request, pk: int):
    access = access_for(request.user)
    c = selectors.visible_centre(access, pk)
    access.require(Perm.REGISTRY_EDIT, c.unit_path)
    others = access.scope(
        LearningCentre.objects.filter(valid_to__isnull=True).exclude(pk=c.pk),
        Perm.REGISTRY_EDIT,
        path_field="unit_path",
    ).order_by("name")
    form = CentreMergeForm(request.POST or None, centres=others)
    if request.method == "POST" and form.is_valid():
        try:
            services.centres_merge(
                actor=request.user,
                centres=list(form.cleaned_data["centres"]),
                into=c,
                effective=form.cleaned_data["effective"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Đã sáp nhập trung tâm."))
            return redirect("registry:centre", pk=c.pk)
    return _form_page(
        request, {"title": _("Sáp nhập vào %(n)s") % {"n": c.name}, "cancel": "registry:centres"}, form
    )


# ---------------------------------------------------------------- association


@login_required
def members_list(request):
    access = access_for(request.user)
    access.require(Perm.REGISTRY_VIEW)
    q = request.GET.get("q", "").strip()
    branch = request.GET.get("branch", "")
    branch_pk = int_or_none(branch, min_value=1)
    officers = request.GET.get("officers") == "1"
    return render(
        request,
        "registry/members_list.html",
        {
            "q": q,
            "branch": branch,
            "officers": officers,
            "page": selectors.members_search(
                access, q=q, branch=branch, officers=officers, after=request.GET.get("sau")
            ),
            "branches": selectors.branches_qs(access).order_by("name"),
            "branch_obj": selectors.branches_qs(access).filter(pk=branch_pk).first() if branch_pk else None,
            "trainings": selectors.trainings_qs(access).order_by("-date")[:20],
            "can_edit": access.has(Perm.REGISTRY_EDIT),
            "query": _query_without_cursor(request),
        },
    )


@login_required
def member_create(request):
    access = access_for(request.user)
    access.require(Perm.REGISTRY_EDIT)
    branches = access.scope(
        selectors.branches_qs(access), Perm.REGISTRY_EDIT, path_field="unit_path"
    ).order_by("name")
    form = AssociationMemberForm(request.POST or None, branches=branches)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            person = _pick(access, form, "person")
            services.member_add(
                actor=request.user,
                branch=cd["branch"],
                person=person,
                is_officer=cd["is_officer"],
                position=cd["position"],
                joined=cd["joined"],
            )
        except ValidationError as exc:
            if exc.messages != [""]:
                _apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm hội viên."))
            return redirect("registry:members")
    return _form_page(
        request,
        {
            "title": _("Thêm hội viên"),
            "cancel": "registry:members",
            "pickers": ["person"],
            "picked": _picked(access, request, "person"),
        },
        form,
    )


@login_required
def member_edit(request, pk: int):
    access = access_for(request.user)
    m = selectors.visible_member(access, pk)
    access.require(Perm.REGISTRY_EDIT, m.unit_path)
    form = AssociationMemberForm(
        request.POST or None,
        branches=selectors.branches_qs(access),
        editing=True,
        initial={"is_officer": m.is_officer, "position": m.position, "left": m.left},
    )
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        services.member_update(
            actor=request.user,
            member=m,
            is_officer=cd["is_officer"],
            position=cd["position"],
            left=cd["left"],
        )
        messages.success(request, _("Đã lưu thay đổi."))
        return redirect("registry:members")
    return _form_page(request, {"title": m.person.full_name, "cancel": "registry:members"}, form)


def _branch_form(request, branch=None):
    access = access_for(request.user)
    access.require(Perm.REGISTRY_EDIT)
    units = _edit_units(access, (Level.PROVINCE, Level.COMMUNE, Level.VILLAGE))
    parents = access.scope(AssociationBranch.objects.all(), Perm.REGISTRY_EDIT, path_field="unit_path")
    orgs = access.scope(
        Organisation.objects.filter(valid_to__isnull=True), Perm.REGISTRY_EDIT, path_field="unit_path"
    )
    if branch is not None:
        parents = parents.exclude(pk=branch.pk)
        commune_path = "/".join(branch.unit_path.split("/")[:3]) + "/"
        from xhht.core.fields import subtree_q

        orgs = orgs.filter(subtree_q(commune_path, "unit_path"))
        initial = {
            "name": branch.name,
            "unit": branch.unit_id,
            "parent": branch.parent_id,
            "organisation": branch.organisation_id,
        }
    else:
        initial = {}
    form = BranchForm(
        request.POST or None,
        units=units,
        parents=parents.order_by("name"),
        organisations=orgs.order_by("name_folded") if branch is not None else None,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            if branch is None:
                branch = services.branch_create(
                    actor=request.user, unit=cd["unit"], name=cd["name"], parent=cd.get("parent")
                )
            else:
                services.branch_update(
                    actor=request.user,
                    branch=branch,
                    name=cd["name"],
                    unit=cd["unit"],
                    parent=cd.get("parent"),
                    organisation=cd.get("organisation"),
                )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu chi hội."))
            return redirect(f"{reverse('registry:members')}?branch={branch.pk}")
    title = branch.name if branch else _("Thêm chi hội khuyến học")
    return _form_page(request, {"title": title, "cancel": "registry:members"}, form)


@login_required
def branch_create(request):
    return _branch_form(request)


@login_required
def branch_edit(request, pk: int):
    access = access_for(request.user)
    branch = access.get_or_404(
        AssociationBranch.objects.select_related("unit"), Perm.REGISTRY_VIEW, path_field="unit_path", pk=pk
    )
    access.require(Perm.REGISTRY_EDIT, branch.unit_path)
    return _branch_form(request, branch)


@login_required
def training_create(request):
    access = access_for(request.user)
    access.require(Perm.REGISTRY_EDIT)
    form = TrainingForm(
        request.POST or None, units=_edit_units(access, (Level.PROVINCE, Level.COMMUNE, Level.VILLAGE))
    )
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            t = services.training_create(
                actor=request.user, unit=cd["unit"], name=cd["name"], kind=cd["kind"], date=cd["date"]
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect("registry:training", pk=t.pk)
    return _form_page(
        request, {"title": _("Thêm lớp tập huấn, hội nghị"), "cancel": "registry:members"}, form
    )


@login_required
def training_detail(request, pk: int):
    """Who attended: a searchable, paginated list of the members of the training's area (a
    commune has thousands), ticking those present; already recorded ones are marked."""
    access = access_for(request.user)
    t = selectors.visible_training(access, pk)
    can_edit = access.has(Perm.REGISTRY_EDIT, t.unit_path)
    q = request.GET.get("q", "").strip()
    candidates = selectors.training_candidates(access, t)
    form = AttendanceForm(request.POST or None, members=candidates)
    if request.method == "POST" and can_edit and form.is_valid():
        n = services.training_record_attendance(
            actor=request.user, training=t, members=list(form.cleaned_data["members"])
        )
        messages.success(request, _("Đã ghi nhận %(n)s người tham dự.") % {"n": n})
        return redirect(request.get_full_path())
    page = None
    attended: set[int] = set()
    if can_edit:
        page = selectors.training_candidates_page(access, t, q=q, after=request.GET.get("sau"))
        attended = set(
            t.attendances.filter(member_id__in=[m.pk for m in page.rows]).values_list("member_id", flat=True)
        )
    return render(
        request,
        "registry/training_detail.html",
        {
            "t": t,
            "attendances": t.attendances.select_related("member__person").order_by(
                "member__person__name_sort"
            ),
            "form": form if can_edit else None,
            "page": page,
            "attended": attended,
            "q": q,
            "query": _query_without_cursor(request),
        },
    )


__all__ = ["Household"]
