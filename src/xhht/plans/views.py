"""Pages of plans: list, detail, dashboard (with drill-down and downloads), subjects behind a number,
aggregate data entry and approval, commendations. Thin: selectors read, services write."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from xhht.accounts.access import Perm, access_for
from xhht.geo.models import AdminUnit

from . import downloads, selectors, services
from . import render as fast
from .models import DataEntry, DataSet, Plan, TaskStatus
from .numbers import parse_vn_number


def _year(request, plan: Plan | None = None) -> int:
    """``?nam=``, else the plan's default year (its last milestone once every milestone has passed)."""
    try:
        y = int(request.GET.get("nam") or selectors.default_year(plan))
    except ValueError:
        y = selectors.default_year(plan)
    return min(max(y, 2000), 2100)


def _plan(access, code: str) -> Plan:
    return get_object_or_404(selectors.visible_plans(access), code=code)


class OutsideTerritory(Exception):
    """A unit the plan's targets do not apply to (or none at all in the user's scope)."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.message, self.status = message, status


def _unit(request, access, plan=None) -> AdminUnit:
    if request.GET.get("don_vi"):
        unit = selectors.get_unit(access, request.GET["don_vi"])
        if plan is not None and not selectors.in_territory(plan, unit):
            raise OutsideTerritory(selectors.outside_message(plan, unit), 400)
        return unit
    unit = selectors.default_unit(access, plan)
    if unit is None:
        if plan is not None:
            raise OutsideTerritory(selectors.no_unit_message(plan), 404)
        raise Http404
    return unit


def _outside(request, access, plan: Plan, exc: OutsideTerritory):
    """A clear page instead of another territory's figures: what is wrong and where to go."""
    return render(
        request,
        "plans/outside_territory.html",
        {
            "plan": plan,
            "message": exc.message,
            "territory": selectors.territory_name(plan),
            "units": selectors.territory_units(access, plan),
        },
        status=exc.status,
    )


@login_required
def plan_list(request):
    access = access_for(request.user)
    access.require(Perm.PLANS_VIEW)
    plans = list(selectors.visible_plans(access).prefetch_related("targets"))
    return render(request, "plans/plan_list.html", {"plans": plans})


@login_required
def plan_detail(request, code: str):
    access = access_for(request.user)
    access.require(Perm.PLANS_VIEW)
    plan = _plan(access, code)
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "targets": plan.targets.select_related("indicator").order_by("year", "order"),
            "phases": plan.phases.all(),
            "contents": plan.contents.all(),
            "tasks": plan.tasks.select_related("content"),
            "task_statuses": TaskStatus.choices,
            "can_manage": access.has(Perm.PLANS_MANAGE, plan.territory_path or "VN/"),
            "commendations": plan.commendations.all()[:50],
        },
    )


@login_required
def task_status(request, code: str, pk: int):
    access = access_for(request.user)
    plan = _plan(access, code)
    task = get_object_or_404(plan.tasks, pk=pk)
    if request.method == "POST":
        try:
            services.task_set_status(
                actor=request.user,
                task=task,
                status=request.POST.get("status", ""),
                note=request.POST.get("note", ""),
            )
            messages.success(request, _("Đã cập nhật tình trạng nhiệm vụ."))
        except PermissionDenied:
            raise Http404
    return redirect("plans:detail", code=plan.code)


@login_required
def dashboard(request, code: str):
    access = access_for(request.user)
    access.require(Perm.PLANS_VIEW)
    plan = _plan(access, code)
    try:
        unit = _unit(request, access, plan)
    except OutsideTerritory as exc:
        return _outside(request, access, plan, exc)
    d = selectors.dashboard(
        access=access, plan=plan, unit=unit, year=_year(request, plan), rank_by=request.GET.get("xep_theo")
    )
    d["tables"] = selectors.tables(d)
    fmt = fast.Fmt()
    d["tables_html"] = {k: fast.table_html(t, fmt) for k, t in d["tables"].items() if k != "xep-hang"}
    d["ranking_rows"] = fast.ranking_rows_html(d["ranking"], d["year"], fmt)
    d["chart_data"] = {
        "targets": [
            {
                "label": f"{r.indicator.code} {r.target.year}",
                "target": float(r.target.value),
                "actual": float(r.current.value) if r.current and r.current.value is not None else None,
            }
            for r in d["rows"]
            if r.indicator and r.target.value is not None
        ],
        "years": d["years"],
        "trends": [
            {"label": r.indicator.code, "data": [None if v is None else float(v) for _y, v in r.trend]}
            for r in selectors._unique_trends(d["rows"])
        ],
        "ranking": {
            "labels": [x["unit"].name for x in d["ranking"]],
            "data": [None if x["key"] is None else float(x["key"]) for x in d["ranking"]],
            "label": d["rank_by"].code if d["rank_by"] else "",
        },
    }
    d["can_report"] = access.has(Perm.REPORTS_VIEW, unit) or selectors.can_view_unit(access, unit)
    d["year_choices"] = list(range(plan.start_year - 1, max(plan.end_year, dt.date.today().year) + 1))
    d["territory"] = selectors.territory_name(plan)
    template = "plans/_dashboard_body.html" if request.headers.get("HX-Request") else "plans/dashboard.html"
    return render(request, template, d)


@login_required
def dashboard_download(request, code: str, table: str, fmt: str):
    access = access_for(request.user)
    access.require(Perm.PLANS_VIEW)
    plan = _plan(access, code)
    try:
        unit = _unit(request, access, plan)
    except OutsideTerritory as exc:
        return _outside(request, access, plan, exc)
    d = selectors.dashboard(
        access=access, plan=plan, unit=unit, year=_year(request, plan), rank_by=request.GET.get("xep_theo")
    )
    tabs = selectors.tables(d)
    name = f"{plan.code}-{unit.code}-{d['year']}"
    if table == "tat-ca":
        if fmt != "xlsx":
            raise Http404
        return downloads.xlsx_response(name, tabs)
    if table not in tabs:
        raise Http404
    headers, rows = tabs[table]
    if fmt == "csv":
        return downloads.csv_response(f"{name}-{table}", headers, rows)
    return downloads.xlsx_response(f"{name}-{table}", {table: (headers, rows)})


@login_required
def subjects(request):
    access = access_for(request.user)
    access.require(Perm.PLANS_VIEW)
    unit = _unit(request, access)
    measure = request.GET.get("do_luong", "")
    year = _year(request)
    try:
        rows, total = selectors.subjects(access=access, unit=unit, measure=measure, year=year)
    except PermissionDenied:
        raise Http404
    from xhht.analytics.measures import known_measures

    return render(
        request,
        "plans/subjects.html",
        {
            "unit": unit,
            "measure": measure,
            "measure_label": known_measures().get(measure, measure),
            "year": year,
            "rows": rows,
            "total": total,
            # the way back to a dashboard: only to a plan the user sees (a made-up code has no URL)
            "plan_code": selectors.visible_plans(access)
            .filter(code=request.GET.get("ke_hoach", ""))
            .values_list("code", flat=True)
            .first(),
        },
    )


@login_required
def commendation_list(request):
    access = access_for(request.user)
    access.require(Perm.PLANS_VIEW)
    qs = selectors.commendations(access)
    kind = request.GET.get("hinh_thuc")
    if kind:
        qs = qs.filter(kind=kind)
    return render(request, "plans/commendations.html", {"items": qs[:500], "kind": kind})


@login_required
def dataset_list(request):
    access = access_for(request.user)
    if not (access.has(Perm.DATASET_ENTER) or access.has(Perm.DATASET_APPROVE)):
        raise PermissionDenied
    year = _year(request)
    roots = access.units(Perm.DATASET_ENTER) or access.units(Perm.DATASET_APPROVE)
    root = roots[0] if roots else None
    if access.is_admin:
        root = AdminUnit.objects.get(path="VN/")
    items = []
    for ds in DataSet.objects.prefetch_related("elements"):
        units = (
            AdminUnit.objects.subtree(root)
            .filter(level=ds.entry_level, valid_to__isnull=True)
            .order_by("sort_key")[:200]
            if root
            else []
        )
        entries = {e.unit_id: e for e in DataEntry.objects.filter(dataset=ds, year=year, unit__in=units)}
        items.append(
            {
                "dataset": ds,
                "completeness": services.completeness(dataset=ds, year=year, parent=root) if root else None,
                "units": [(u, entries.get(u.pk)) for u in units],
            }
        )
    return render(request, "plans/datasets.html", {"items": items, "year": year, "root": root})


@login_required
def dataset_entry(request, code: str, unit_pk: int, year: int):
    access = access_for(request.user)
    if not 1900 <= year <= 2100:  # the column is a small integer: no such page
        raise Http404
    ds = get_object_or_404(DataSet, code=code)
    unit = AdminUnit.objects.filter(pk=unit_pk).first()
    if unit is None or not (access.has(Perm.DATASET_ENTER, unit) or access.has(Perm.DATASET_APPROVE, unit)):
        raise Http404
    entry = DataEntry.objects.filter(dataset=ds, unit=unit, year=year).first()
    current = {v.element.code: v.value for v in entry.values.select_related("element")} if entry else {}
    errors: dict = {}
    typed: dict = {}
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action == "approve" and entry:
                services.entry_approve(actor=request.user, entry=entry)
                messages.success(request, _("Đã duyệt và khóa số liệu."))
                return redirect(request.path)
            if action == "unlock" and entry:
                services.entry_unlock(actor=request.user, entry=entry)
                messages.success(request, _("Đã mở khóa số liệu."))
                return redirect(request.path)
            values = {}
            for el in ds.elements.all():
                typed[el.code] = request.POST.get(el.code, "")
                try:
                    num = parse_vn_number(typed[el.code])
                except ValueError:
                    errors[el.code] = _(
                        "“%(name)s”: “%(text)s” không phải là số (ví dụ 1.234 hoặc 1.234,5)."
                    ) % {
                        "name": el.name,
                        "text": typed[el.code],
                    }
                    continue
                if num is None:
                    values[el.code] = None
                elif num != num.to_integral_value():
                    errors[el.code] = _("“%(name)s”: là số đếm, phải là số nguyên (đã nhập %(text)s).") % {
                        "name": el.name,
                        "text": typed[el.code],
                    }
                else:
                    values[el.code] = int(num)
            if not errors:
                services.entry_save(
                    actor=request.user,
                    dataset=ds,
                    unit=unit,
                    year=year,
                    values=values,
                    submit=action == "submit",
                )
                messages.success(request, _("Đã lưu số liệu."))
                return redirect(request.path)
        except PermissionDenied:
            raise Http404
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                errors.update(
                    {k: " ".join(m for e in v for m in e.messages) for k, v in exc.error_dict.items()}
                )
            else:
                errors["__all__"] = " ".join(exc.messages)
    fields = [
        {"el": el, "value": typed.get(el.code, current.get(el.code, "")), "error": errors.get(el.code)}
        for el in ds.elements.all()
    ]
    return render(
        request,
        "plans/dataset_entry.html",
        {
            "dataset": ds,
            "unit": unit,
            "year": year,
            "entry": entry,
            "fields": fields,
            "form_error": errors.get("__all__"),
            "locked": entry is not None and entry.status == "approved",
            "can_enter": access.has(Perm.DATASET_ENTER, unit),
            "can_approve": access.has(Perm.DATASET_APPROVE, unit),
        },
        status=400 if errors else 200,
    )
