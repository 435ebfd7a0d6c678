"""Bulk import of the registries: the one entry point ``import_file`` (dry run or commit) and the job
life cycle used by the upload page and its background task.

Commit is all or nothing: the file is validated and written inside ONE transaction; if any row is
rejected the transaction is rolled back and the report lists every rejected row. Importing the same
file twice changes nothing (people are matched on CCCD, else on the file's own key; households on
"Mã hộ"; clans, organisations and branches on their codes or names).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xhht.accounts import audit
from xhht.accounts.access import Perm, access_for
from xhht.geo.models import AdminUnit, Level
from xhht.registry import search_index

from .base import Report, writer
from .models import ImportJob, ImportKind
from .readers import ImportFileError, read_frame, read_table, sha256_of

UPLOAD_DIR = "imports"


@dataclass
class ImportOutcome:
    report: Report
    committed: bool
    sha256: str
    file_name: str

    @property
    def ok(self) -> bool:
        return self.report.ok


def _importer(kind: str):
    from . import others, people

    if kind == ImportKind.PEOPLE:
        return lambda **kw: people.PeopleImport(**kw)
    if kind == ImportKind.HOUSEHOLDS:
        return lambda **kw: people.PeopleImport(require_household=True, **kw)
    if kind == ImportKind.CLANS:
        return others.ClanImport
    if kind == ImportKind.ORGANISATIONS:
        return others.OrganisationImport
    if kind == ImportKind.ASSOCIATION:
        return others.AssociationImport
    raise ValueError(kind)


def commune_by_code(code: str) -> AdminUnit:
    unit = AdminUnit.objects.filter(code=code, level=Level.COMMUNE, valid_to__isnull=True).first()
    if unit is None:
        raise AdminUnit.DoesNotExist(_("Không có xã/phường/đặc khu mã %(c)s đang có hiệu lực.") % {"c": code})
    return unit


def import_file(
    *,
    actor,
    path: str | Path,
    kind: str,
    commune: AdminUnit,
    dry_run: bool = True,
    file_name: str | None = None,
    progress: Callable[[int], None] | None = None,
    sha256: str | None = None,
) -> ImportOutcome:
    """Validate (``dry_run``) or validate and commit one file of ``kind`` into ``commune``.

    ``actor`` None means the operator at the server's shell (``xhht import``); otherwise the user
    must hold ``Perm.REGISTRY_IMPORT`` over the commune.
    """
    if actor is not None:
        access_for(actor).require(Perm.REGISTRY_IMPORT, commune)
    if commune.level != Level.COMMUNE or commune.valid_to is not None:
        raise ValueError("commune must be a current commune")
    path = Path(path)
    name = file_name or path.name
    digest = sha256 or sha256_of(path)
    report = Report()
    make = _importer(kind)
    committed = False
    try:
        people = kind in (ImportKind.PEOPLE, ImportKind.HOUSEHOLDS)
        table = read_frame(path, name) if people else read_table(path, name)
        if dry_run:
            make(commune=commune, writer=None, report=report, progress=progress, file_label=name).run(table)
        else:
            w = writer(skip_checks=people)
            try:
                with transaction.atomic():
                    imp = make(commune=commune, writer=w, report=report, progress=progress, file_label=name)
                    if people:
                        # the name search index catches up once, after the bulk insert (registry/search_index.py);
                        # on SQLite from the distinct names the importer inserted (PostgreSQL's trigger sees them)
                        names: list = []
                        with search_index.bulk_person_load(names=names):
                            imp.run(table)
                            if connection.vendor == "sqlite" or not imp.names_by_trigger:
                                names.extend(imp.new_names)
                    else:
                        imp.run(table)
                    if report.ok:
                        audit.record_bulk(
                            f"registry.{kind}",
                            note=_("Nhập dữ liệu từ tệp %(f)s") % {"f": name},
                            unit_path=commune.path,
                            changes={
                                "file": name,
                                "sha256": digest,
                                "kind": kind,
                                "rows": report.rows,
                                "counts": report.counts,
                                "warnings": report.warning_count,
                            },
                        )
                        committed = True
                    else:
                        transaction.set_rollback(True)
            finally:
                w.close()
    except ImportFileError as exc:
        report.error(1, "", str(exc))
        committed = False
    except (IntegrityError, connection.Database.IntegrityError) as exc:
        report.error(
            0,
            "",
            _("Dữ liệu xung đột với sổ đăng ký (%(e)s); không có dòng nào được nhập.")
            % {"e": str(exc).splitlines()[0][:200]},
        )
        committed = False
    return ImportOutcome(report=report, committed=committed, sha256=digest, file_name=name)


# ---- jobs (upload page) ------------------------------------------------------------------------


def _upload_root() -> Path:
    root = Path(settings.MEDIA_ROOT) / UPLOAD_DIR
    root.mkdir(parents=True, exist_ok=True)
    return root


def job_create(*, actor, uploaded, kind: str, commune: AdminUnit) -> ImportJob:
    """Store the uploaded file and create its job (the dry run is queued by the caller)."""
    access_for(actor).require(Perm.REGISTRY_IMPORT, commune)
    suffix = Path(uploaded.name).suffix.lower()[:8]
    dest = _upload_root() / f"{uuid.uuid4().hex}{suffix}"
    with open(dest, "wb") as out:
        for chunk in uploaded.chunks():
            out.write(chunk)
    return ImportJob.objects.create(
        kind=kind,
        commune=commune,
        unit_path=commune.path,
        file_name=Path(uploaded.name).name[:255],
        stored_path=str(dest),
        sha256=sha256_of(dest),
        size=dest.stat().st_size,
        created_by=actor,
    )


def progress_path(job: ImportJob) -> Path:
    return Path(job.stored_path + ".progress")


def job_progress(job: ImportJob) -> tuple[int, int]:
    """(rows done, rows expected) written by the running task to a side file (the task's own
    transaction hides row updates from other connections, and SQLite allows one writer)."""
    try:
        done, total = progress_path(job).read_text().split()
        return int(done), int(total)
    except (OSError, ValueError):
        return job.rows_done, job.rows_total


def job_run(job_id: int, *, commit: bool) -> ImportJob:
    """Run a job's dry run or its commit; called by the background task."""
    job = ImportJob.objects.select_related("commune", "created_by").get(pk=job_id)
    job.status = ImportJob.Status.IMPORTING if commit else ImportJob.Status.CHECKING
    from .readers import read_table as _rt

    try:
        total = _rt(job.stored_path, job.file_name).total_hint or 0
    except ImportFileError:
        total = 0
    job.rows_total = total
    job.rows_done = 0
    job.save(update_fields=["status", "rows_total", "rows_done"])
    ppath = progress_path(job)
    state = {"done": 0}

    def progress(n: int) -> None:
        state["done"] += n
        ppath.write_text(f"{state['done']} {max(total, state['done'])}")

    actor = job.created_by
    with audit.actor_context(actor, source="import"):
        outcome = import_file(
            actor=actor,
            path=job.stored_path,
            kind=job.kind,
            commune=job.commune,
            dry_run=not commit,
            file_name=job.file_name,
            progress=progress,
            sha256=job.sha256,
        )
    job.report = outcome.report.as_dict()
    job.rows_done = job.rows_total = outcome.report.rows
    if outcome.ok:
        job.status = ImportJob.Status.DONE if commit else ImportJob.Status.CHECKED
    else:
        job.status = ImportJob.Status.REJECTED
    job.finished_at = timezone.now()
    job.save(update_fields=["report", "rows_done", "rows_total", "status", "finished_at"])
    ppath.unlink(missing_ok=True)
    if job.status in (ImportJob.Status.DONE, ImportJob.Status.REJECTED):
        # the file holds citizens' personal data: once imported (or refused) only its report,
        # name and SHA-256 are kept (Nghị định 13/2023/NĐ-CP: no longer than the purpose needs)
        Path(job.stored_path).unlink(missing_ok=True)
    return job


def jobs_purge(*, older_than_days: int = 7) -> int:
    """Delete the stored files of jobs left unfinished (checked, never committed) for longer than
    ``older_than_days``, and of finished ones whose file is still there. Returns the files removed."""
    cutoff = timezone.now() - dt.timedelta(days=older_than_days)
    removed = 0
    for job in ImportJob.objects.filter(created_at__lt=cutoff).only("pk", "stored_path"):
        path = Path(job.stored_path)
        if path.exists():
            path.unlink()
            removed += 1
        Path(job.stored_path + ".progress").unlink(missing_ok=True)
    if removed:
        audit.record_bulk(
            "imports.importjob",
            note=_("Xoá %(n)d tệp nhập dữ liệu cũ hơn %(d)d ngày") % {"n": removed, "d": older_than_days},
            changes={"files_removed": removed, "older_than_days": older_than_days},
        )
    return removed


def job_commit(*, actor, job: ImportJob) -> None:
    """Queue the commit of a checked job."""
    from .tasks import run_import_job

    access_for(actor).require(Perm.REGISTRY_IMPORT, job.commune)
    if job.status != ImportJob.Status.CHECKED:
        raise ValueError("job not checked")
    job.status = ImportJob.Status.QUEUED
    job.save(update_fields=["status"])
    transaction.on_commit(lambda: run_import_job.enqueue(job.pk, True))


def job_check(*, actor, job: ImportJob) -> None:
    from .tasks import run_import_job

    access_for(actor).require(Perm.REGISTRY_IMPORT, job.commune)
    transaction.on_commit(lambda: run_import_job.enqueue(job.pk, False))
