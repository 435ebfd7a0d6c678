"""Writes of the reports app: start a report run."""

from __future__ import annotations

from django.db import transaction

from xhht.accounts.access import Perm, access_for
from xhht.plans.selectors import can_view_unit

from .models import ReportRun, ReportTemplate


def report_start(*, actor, template: ReportTemplate, unit, year: int, plan=None) -> ReportRun:
    access = access_for(actor)
    access.require(Perm.REPORTS_VIEW)
    if not can_view_unit(access, unit):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    run = ReportRun.objects.create(template=template, unit=unit, year=year, plan=plan, created_by=actor)
    from .tasks import build_report

    transaction.on_commit(lambda: build_report.enqueue(str(run.pk)))
    return run
