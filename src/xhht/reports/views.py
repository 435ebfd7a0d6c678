"""Report pages: choose unit, year, template and plan; follow the run's progress; download."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from xhht.accounts.access import Perm, access_for
from xhht.plans import selectors as plan_selectors

from . import services
from .defaults import ensure_defaults
from .models import ReportRun, ReportTemplate


def _visible_run(access, pk) -> ReportRun:
    run = ReportRun.objects.select_related("template", "unit", "plan").filter(pk=pk).first()
    if run is None or not plan_selectors.can_view_unit(access, run.unit):
        raise Http404
    return run


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def report_new(request):
    """Choose a plan (first form), then the unit — only units of the plan's territory are offered —,
    the year and the template. A unit outside the plan's territory gets a message, never a report."""
    access = access_for(request.user)
    access.require(Perm.REPORTS_VIEW)
    ensure_defaults()
    src = request.POST if request.method == "POST" else request.GET
    errors: list[str] = []
    status = 200
    plan = None
    if src.get("ke_hoach"):
        plan = plan_selectors.visible_plans(access).filter(code=src["ke_hoach"]).first()
        if plan is None:
            errors.append(_("Không có kế hoạch «%(code)s».") % {"code": src["ke_hoach"]})
            status = 400
    unit = None
    if src.get("don_vi"):
        unit = plan_selectors.get_unit(access, src["don_vi"])  # 404 for a unit out of the user's scope
        if plan is not None and not plan_selectors.in_territory(plan, unit):
            errors.append(plan_selectors.outside_message(plan, unit))
            status = 400
            unit = None
    if unit is None:
        unit = plan_selectors.default_unit(access, plan)
    if unit is None:
        if plan is None:
            raise Http404
        errors.append(plan_selectors.no_unit_message(plan))
        status = 404
    year = plan_selectors.default_year(plan)
    if src.get("nam"):
        y = _int(src["nam"])
        if y is None or not 2000 <= y <= 2100:
            errors.append(_("Năm «%(y)s» không hợp lệ (từ 2000 đến 2100).") % {"y": src["nam"]})
            status = 400
        else:
            year = y
    templates = ReportTemplate.objects.all()
    if request.method == "POST" and not errors:
        tpl = templates.filter(pk=_int(request.POST.get("mau"))).first()
        if tpl is None:
            errors.append(_("Hãy chọn một mẫu báo cáo."))
            status = 400
        else:
            try:
                run = services.report_start(actor=request.user, template=tpl, unit=unit, year=year, plan=plan)
            except PermissionDenied:
                raise Http404
            except ValidationError as exc:
                errors.extend(exc.messages)
                status = 400
            else:
                return redirect("reports:run", pk=run.pk)
    runs = [
        r for r in ReportRun.objects.select_related("unit", "template").filter(created_by=request.user)[:20]
    ]
    return render(
        request,
        "reports/new.html",
        {
            "unit": unit,
            "units": plan_selectors.territory_units(access, plan, include=unit) if unit else [],
            "year": year,
            "plan": plan,
            "territory": plan_selectors.territory_name(plan) if plan else "",
            "templates": templates,
            "runs": runs,
            "plans": plan_selectors.visible_plans(access),
            "errors": errors,
            "is_admin": access.is_admin,
        },
        status=status,
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
