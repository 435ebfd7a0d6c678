"""Report pages: choose unit, year, template and plan; follow the run's progress; download."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from xhht.accounts.access import Perm, access_for
from xhht.plans import selectors as plan_selectors
from xhht.plans.models import Plan

from . import services
from .defaults import ensure_defaults
from .models import ReportRun, ReportTemplate


def _visible_run(access, pk) -> ReportRun:
    run = ReportRun.objects.select_related("template", "unit", "plan").filter(pk=pk).first()
    if run is None or not plan_selectors.can_view_unit(access, run.unit):
        raise Http404
    return run


@login_required
def report_new(request):
    access = access_for(request.user)
    access.require(Perm.REPORTS_VIEW)
    ensure_defaults()
    src = request.POST if request.method == "POST" else request.GET
    plan = Plan.objects.filter(code=src.get("ke_hoach")).first() if src.get("ke_hoach") else None
    if src.get("don_vi"):
        unit = plan_selectors.get_unit(access, src["don_vi"])
    else:
        unit = plan_selectors.default_unit(access, plan)
    if unit is None:
        raise Http404
    try:
        year = int(src.get("nam") or dt.date.today().year)
    except ValueError:
        year = dt.date.today().year
    templates = ReportTemplate.objects.all()
    if request.method == "POST":
        tpl = get_object_or_404(templates, pk=request.POST.get("mau"))
        try:
            run = services.report_start(actor=request.user, template=tpl, unit=unit, year=year, plan=plan)
        except PermissionDenied:
            raise Http404
        return redirect("reports:run", pk=run.pk)
    runs = [
        r for r in ReportRun.objects.select_related("unit", "template").filter(created_by=request.user)[:20]
    ]
    return render(
        request,
        "reports/new.html",
        {
            "unit": unit,
            "year": year,
            "plan": plan,
            "templates": templates,
            "runs": runs,
            "plans": Plan.objects.all(),
            "is_admin": access.is_admin,
        },
    )


@login_required
def report_run(request, pk):
    access = access_for(request.user)
    access.require(Perm.REPORTS_VIEW)
    run = _visible_run(access, pk)
    template = "reports/_progress.html" if request.headers.get("HX-Request") else "reports/run.html"
    return render(request, template, {"run": run})


@login_required
def report_download(request, pk, fmt: str):
    access = access_for(request.user)
    access.require(Perm.REPORTS_VIEW)
    run = _visible_run(access, pk)
    data = run.xlsx if fmt == "xlsx" else run.pdf if fmt == "pdf" else None
    if data is None:
        raise Http404
    ctype = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if fmt == "xlsx"
        else "application/pdf"
    )
    resp = HttpResponse(bytes(data), content_type=ctype)
    resp["Content-Disposition"] = f'attachment; filename="bao-cao-{run.unit.code}-{run.year}.{fmt}"'
    return resp
