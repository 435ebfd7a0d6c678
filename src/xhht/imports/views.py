"""Upload page: choose the registry and the commune, upload, see the dry-run report, then commit."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from xhht.accounts.access import Perm, access_for
from xhht.core.fields import subtrees_q
from xhht.geo.models import AdminUnit, Level

from . import services
from .base import count_rows
from .forms import UploadForm
from .models import ImportJob, ImportKind
from .specs import template_xlsx


def _communes(access):
    paths = access.paths_for(Perm.REGISTRY_IMPORT)
    if not paths:
        return []
    return list(
        AdminUnit.objects.filter(subtrees_q(paths), level=Level.COMMUNE, valid_to__isnull=True).order_by(
            "sort_key"
        )[:2000]
    )


def _job(request, pk: int) -> ImportJob:
    access = access_for(request.user)
    return access.get_or_404(
        ImportJob.objects.select_related("commune"), Perm.REGISTRY_IMPORT, path_field="unit_path", pk=pk
    )


@login_required
def upload(request):
    access = access_for(request.user)
    access.require(Perm.REGISTRY_IMPORT)
    communes = _communes(access)
    initial = {"kind": request.GET.get("kind") or ImportKind.PEOPLE}
    if request.GET.get("commune"):
        initial["commune"] = request.GET["commune"]
    form = UploadForm(request.POST or None, request.FILES or None, communes=communes, initial=initial)
    if request.method == "POST" and form.is_valid():
        commune = next(c for c in communes if c.pk == form.cleaned_data["commune"])
        job = services.job_create(
            actor=request.user,
            uploaded=form.cleaned_data["file"],
            kind=form.cleaned_data["kind"],
            commune=commune,
        )
        services.job_check(actor=request.user, job=job)
        return redirect("imports:job", pk=job.pk)
    jobs = access.scope(
        ImportJob.objects.select_related("commune"), Perm.REGISTRY_IMPORT, path_field="unit_path"
    )[:20]
    return render(
        request,
        "imports/upload.html",
        {"form": form, "jobs": jobs, "kinds": ImportKind.choices},
        status=400 if form.errors else 200,
    )


@login_required
def job_detail(request, pk: int):
    job = _job(request, pk)
    if job.running:
        services.job_recover_if_orphaned(job)  # a job whose process died says so, not "importing" for ever
    done, total = services.job_progress(job)
    ctx = {
        "job": job,
        "done": done,
        "total": total,
        "report": job.report or {},
        "counts": count_rows((job.report or {}).get("counts") or {}),
        "committed": job.status == ImportJob.Status.DONE,
        "retry_url": reverse("imports:upload") + f"?kind={job.kind}&commune={job.commune_id}",
    }
    template = "imports/_status.html" if request.headers.get("HX-Request") else "imports/job.html"
    return render(request, template, ctx)


@login_required
@require_POST
def job_commit(request, pk: int):
    job = _job(request, pk)
    if job.status != ImportJob.Status.CHECKED:
        return redirect("imports:job", pk=job.pk)
    services.job_commit(actor=request.user, job=job)
    return redirect("imports:job", pk=job.pk)


@login_required
def template_download(request, kind: str):
    access = access_for(request.user)
    if not (access.has(Perm.REGISTRY_IMPORT) or access.has(Perm.REGISTRY_EDIT)):
        raise PermissionDenied
    if kind not in ImportKind.values:
        raise Http404
    resp = HttpResponse(
        template_xlsx(kind), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    resp["Content-Disposition"] = f'attachment; filename="mau-nhap-{kind}.xlsx"'
    return resp
