"""Writes of the reports app: start a report run."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from xhht.accounts.access import Perm, access_for
from xhht.plans.selectors import can_view_unit, in_territory, outside_message

from .models import ReportRun, ReportTemplate


def report_start(*, actor, template: ReportTemplate, unit, year: int, plan=None) -> ReportRun:
    """Queue a report on ``unit`` for ``year``; with a plan, only for a unit of the plan's territory
    (a plan of the former Kon Tum province never reports over today's whole Quảng Ngãi)."""
    access = access_for(actor)
    access.require(Perm.REPORTS_VIEW)
    if not can_view_unit(access, unit):
        raise PermissionDenied
    if plan is not None and not in_territory(plan, unit):
        raise ValidationError(outside_message(plan, unit), code="outside_territory")
    run = ReportRun.objects.create(template=template, unit=unit, year=year, plan=plan, created_by=actor)
    from .tasks import build_report

    transaction.on_commit(lambda: build_report.enqueue(str(run.pk)))
    return run
