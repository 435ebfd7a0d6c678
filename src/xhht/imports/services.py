"""Bulk import of the registries: the one entry point ``import_file`` (dry run or commit) and the job
life cycle used by the upload page and its background task.

Commit is all or nothing: the file is validated and written inside ONE transaction; if any row is
rejected the transaction is rolled back and the report lists every rejected row. Importing the same
file twice changes nothing (people are matched on CCCD, else on the file's own key; households on
"Mã hộ"; clans, organisations and branches on their codes or names).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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

from . import limits
from .base import Report, writer
from .models import ImportJob, ImportKind
from .readers import ImportFileError, read_frame, read_table, sha256_of

log = logging.getLogger(__name__)

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
    checked: bool = False,
) -> ImportOutcome:
    """Validate (``dry_run``) or validate and commit one file of ``kind`` into ``commune``.

    ``actor`` None means the operator at the server's shell (``xhht import``); otherwise the user
    must hold ``Perm.REGISTRY_IMPORT`` over the commune.

    The file is first held to the limits of ``limits.py`` (unless the caller has just done so,
    ``checked``): a file over a limit raises :class:`limits.ImportLimitError` before anything is
    parsed; other files that cannot be read give a report with that one error.
    """
    if actor is not None:
        access_for(actor).require(Perm.REGISTRY_IMPORT, commune)
    if commune.level != Level.COMMUNE or commune.valid_to is not None:
        raise ValueError("commune must be a current commune")
    path = Path(path)
    name = file_name or path.name
    report = Report()
    if not checked:
        try:
            limits.check_file(path, name)
        except limits.ImportLimitError:
            raise
        except ImportFileError as exc:
            report.error(1, "", str(exc))
            return ImportOutcome(
                report=report, committed=False, sha256=sha256 or sha256_of(path), file_name=name
            )
    digest = sha256 or sha256_of(path)
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
        updated_at=timezone.now(),
    )


def progress_path(job: ImportJob) -> Path:
    return Path(job.stored_path + ".progress")


def lock_path(job: ImportJob) -> Path:
    return Path(job.stored_path + ".lock")


def job_progress(job: ImportJob) -> tuple[int, int]:
    """(rows done, rows expected) written by the running task to a side file (the task's own
    transaction hides row updates from other connections, and SQLite allows one writer)."""
    try:
        done, total = progress_path(job).read_text().split()
        return int(done), int(total)
    except (OSError, ValueError):
        return job.rows_done, job.rows_total


# ---- liveness: a running job holds an OS lock on a side file ---------------------------------------
#
# The task takes an exclusive flock on "<stored file>.lock" before it touches the job and holds it
# until the job's outcome is saved. The kernel drops the lock when the process dies, however it dies
# (SIGKILL, OOM killer, power loss of a worker host on shared storage), so "the lock is free" is an
# exact test that no process is working on the job — no heartbeat, no timeout to tune. The upload
# directory (MEDIA_ROOT) is shared by the web and task processes anyway; it must support flock
# (a local disk, NFSv4).


@contextmanager
def job_lock(job: ImportJob) -> Iterator[bool]:
    """Hold the job's lock; yields False (and holds nothing) if another process holds it."""
    path = lock_path(job)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            path.unlink(missing_ok=True)
    finally:
        os.close(fd)  # releases the lock


def job_lock_free(job: ImportJob) -> bool:
    """True if no live process holds the job's lock (it may never have been taken)."""
    try:
        fd = os.open(lock_path(job), os.O_RDWR)
    except FileNotFoundError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    else:
        return True
    finally:
        os.close(fd)


def _remove_files(job: ImportJob) -> None:
    """The uploaded file holds citizens' personal data: once the job is over, only its report, name
    and SHA-256 are kept (Nghị định 13/2023/NĐ-CP: no longer than the purpose needs)."""
    for path in (Path(job.stored_path), progress_path(job), lock_path(job)):
        path.unlink(missing_ok=True)


def _failure_report(reason: str) -> dict:
    report = Report()
    report.error(0, "", reason)
    return {**report.as_dict(), "failure": reason}


def job_fail(job: ImportJob, reason: str, *, expect: str | None = None) -> bool:
    """Mark ``job`` failed with ``reason`` (shown to the officer) and delete its files. With
    ``expect``, only if its status is still that one (a recovery racing a task that just started or
    finished changes nothing). Returns whether the job was marked."""
    now = timezone.now()
    rows = ImportJob.objects.filter(pk=job.pk)
    if expect is not None:
        rows = rows.filter(status=expect)
    marked = rows.update(
        status=ImportJob.Status.FAILED, report=_failure_report(reason), finished_at=now, updated_at=now
    )
    if marked:
        _remove_files(job)
        job.refresh_from_db()
    return bool(marked)


def _unexpected(exc: BaseException) -> str:
    detail = (str(exc).strip().splitlines() or [""])[0][:200]
    return _(
        "Lỗi khi xử lý tệp (%(kind)s%(detail)s). Không có dòng nào được ghi vào sổ. Hãy tải tệp lên lại; "
        "nếu lỗi lặp lại, báo cho quản trị hệ thống."
    ) % {"kind": type(exc).__name__, "detail": f": {detail}" if detail else ""}


def job_run(job_id: int, *, commit: bool) -> ImportJob:
    """Run a job's dry run or its commit; called by the background task.

    Whatever happens inside — a file over a limit, an unreadable file, a bug, the database gone, the
    worker told to stop — the job ends in a final state with its reason, and its file is deleted."""
    job = ImportJob.objects.select_related("commune", "created_by").get(pk=job_id)
    with job_lock(job) as held:
        if not held:
            log.warning("import job %s is already being run by another process", job.pk)
            return job
        job.refresh_from_db(fields=["status"])
        if job.status != ImportJob.Status.QUEUED:  # given up by a recovery, or run already
            return job
        try:
            return _job_run(job, commit=commit)
        except limits.ImportLimitError as exc:
            job_fail(job, str(exc))
            return job
        except BaseException as exc:
            log.exception("import job %s failed", job.pk)
            try:
                job_fail(job, _unexpected(exc))
            except Exception:  # the database itself is gone: the next worker start recovers the job
                log.exception("import job %s could not be marked failed", job.pk)
            raise


def _job_run(job: ImportJob, *, commit: bool) -> ImportJob:
    now = timezone.now()
    job.status = ImportJob.Status.IMPORTING if commit else ImportJob.Status.CHECKING
    job.rows_done = 0
    job.updated_at = now
    job.save(update_fields=["status", "rows_done", "updated_at"])
    checked = True
    try:
        total = limits.check_file(job.stored_path, job.file_name).rows  # in seconds, whatever the file
    except limits.ImportLimitError:
        raise
    except ImportFileError:
        total, checked = 0, False  # unreadable: import_file reports why
    job.rows_total = total
    job.save(update_fields=["rows_total"])
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
            checked=checked,
        )
    job.report = outcome.report.as_dict()
    job.rows_done = job.rows_total = outcome.report.rows
    if outcome.ok:
        job.status = ImportJob.Status.DONE if commit else ImportJob.Status.CHECKED
    else:
        job.status = ImportJob.Status.REJECTED
    job.finished_at = job.updated_at = timezone.now()
    job.save(update_fields=["report", "rows_done", "rows_total", "status", "finished_at", "updated_at"])
    ppath.unlink(missing_ok=True)
    if job.status in (ImportJob.Status.DONE, ImportJob.Status.REJECTED):
        _remove_files(job)
    return job


# ---- recovery of jobs whose process died ------------------------------------------------------------

RUNNING = (ImportJob.Status.QUEUED, ImportJob.Status.CHECKING, ImportJob.Status.IMPORTING)


CLAIM_GRACE = dt.timedelta(seconds=60)  # a worker takes the job's lock microseconds after claiming its task


def _task(job: ImportJob):
    """The job's background task result (status, started_at), "missing" if the backend no longer
    has it, or None if it cannot tell (no id recorded, or a backend that keeps no results, such as
    the immediate one)."""
    if not job.task_id:
        return None
    from django_tasks.exceptions import TaskResultDoesNotExist

    from .tasks import run_import_job

    try:
        return run_import_job.get_result(job.task_id)
    except TaskResultDoesNotExist:
        return "missing"
    except NotImplementedError:
        return None


def job_orphaned(job: ImportJob, *, now=None) -> bool:
    """Whether ``job`` looks running but no process will ever finish it."""
    if job.status not in RUNNING or not job_lock_free(job):
        return False
    if job.status != ImportJob.Status.QUEUED:
        return True  # it started (the status is set under the lock) and its process is gone
    now = now or timezone.now()
    task = _task(job)
    if task == "missing":
        return True  # pruned from the task table without having run the job
    if task is None:
        # a task that cannot be seen: the upload enqueues it right after its commit, so a job
        # queued this long ago without one never had one
        since = job.updated_at or job.created_at
        return now - since > dt.timedelta(seconds=limits.limit("XHHT_IMPORT_QUEUED_STALE_SECONDS"))
    status = str(task.status)
    if status == "READY":
        return False  # waiting for a worker: it will run
    if status == "RUNNING":
        # claimed by a worker that has not taken the lock: just now, or it died in between
        return task.started_at is None or now - task.started_at > CLAIM_GRACE
    return True  # its task ended without taking the job


def _interrupted() -> str:
    return _(
        "Lượt nhập bị gián đoạn (máy chủ hoặc tiến trình xử lý đã dừng giữa chừng). Không có dòng nào "
        "được ghi vào sổ. Hãy tải tệp lên lại."
    )


def jobs_recover() -> list[ImportJob]:
    """Mark failed every job left running by a process that died (a worker killed mid-commit, a
    server restarted during a check) and delete their files. Nothing of theirs is in the registry: a
    commit is one transaction, which the database rolled back when the connection dropped. Run when
    a worker starts (``xhht db_worker`` does it, see ``xhht.cli``) and by ``xhht recover_imports``;
    a job's page does it for that job. Returns the jobs marked."""
    now = timezone.now()
    recovered = []
    for job in ImportJob.objects.filter(status__in=RUNNING).order_by("pk"):
        if job_orphaned(job, now=now) and job_fail(job, _interrupted(), expect=job.status):
            recovered.append(job)
    if recovered:
        log.warning(
            "marked %d interrupted import job(s) failed: %s", len(recovered), [j.pk for j in recovered]
        )
        audit.record_bulk(
            "imports.importjob",
            note=_("Đánh dấu thất bại %(n)d lượt nhập bị gián đoạn") % {"n": len(recovered)},
            changes={"jobs": [j.pk for j in recovered]},
        )
    return recovered


def job_recover_if_orphaned(job: ImportJob) -> ImportJob:
    """The job page's own check: a job that says it is being checked or imported while no process
    holds its lock is marked failed at once (a queued one is left to the worker's start)."""
    if job.status in (ImportJob.Status.CHECKING, ImportJob.Status.IMPORTING) and job_orphaned(job):
        job_fail(job, _interrupted(), expect=job.status)
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


def _enqueue(job_pk: int, commit: bool) -> None:
    from .tasks import run_import_job

    result = run_import_job.enqueue(job_pk, commit)
    ImportJob.objects.filter(pk=job_pk).update(task_id=str(result.id)[:64])


def job_commit(*, actor, job: ImportJob) -> None:
    """Queue the commit of a checked job."""
    access_for(actor).require(Perm.REGISTRY_IMPORT, job.commune)
    if job.status != ImportJob.Status.CHECKED:
        raise ValueError("job not checked")
    job.status = ImportJob.Status.QUEUED
    job.updated_at = timezone.now()
    job.task_id = ""
    job.save(update_fields=["status", "updated_at", "task_id"])
    transaction.on_commit(lambda: _enqueue(job.pk, True))


def job_check(*, actor, job: ImportJob) -> None:
    access_for(actor).require(Perm.REGISTRY_IMPORT, job.commune)
    transaction.on_commit(lambda: _enqueue(job.pk, False))
