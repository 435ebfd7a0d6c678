"""Background task: build a report (ImmediateBackend runs it at once; the database backend in production)."""

from __future__ import annotations

from django_tasks import task


@task()
def build_report(run_id: str) -> str:
    from .builder import build
    from .models import ReportRun, RunStatus

    run = ReportRun.objects.select_related("template", "plan", "unit", "created_by").get(pk=run_id)
    try:
        build(run)
    except Exception as exc:  # the run page shows the failure instead of a stuck progress bar
        ReportRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, error=str(exc)[:2000])
        raise
    return str(run.pk)
