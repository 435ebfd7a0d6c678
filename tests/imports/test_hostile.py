"""Issue 12, point 4: hostile import files are refused before they are parsed, in seconds and with
memory bounded; a task that fails for any reason, or whose process dies, leaves a failed job with
its reason and no file, and the same file can be uploaded again.

The files are generated here (tests/imports/hostile_files.py), including a realistic zip bomb: a
2.5 MB people workbook whose sheet inflates to 1.05 GB."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.imports import hostile_files as hf
from tests.imports.conftest import db_state, person_row
from xhht.imports import limits, services
from xhht.imports.models import ImportJob

# ---- helpers --------------------------------------------------------------------------------------


def upload(client, units, path: Path, callbacks, *, run: bool = True) -> ImportJob:
    """Upload ``path`` through the real page as the officer; with ``run`` the dry-run task runs
    (the immediate backend, when the upload's transaction commits)."""
    with open(path, "rb") as f, callbacks(execute=run):
        resp = client.post(
            reverse("imports:upload"), {"kind": "people", "commune": units.commune_a.pk, "file": f}
        )
    job = ImportJob.objects.latest("pk")
    assert resp.status_code == 302 and resp.url == reverse("imports:job", args=[job.pk])
    return job


def assert_failed(client, job: ImportJob, *words: str) -> str:
    """The job failed, its file and side files are gone, and its page tells the officer why."""
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED, (job.status, job.report)
    assert job.finished_at is not None
    assert not Path(job.stored_path).exists()
    assert not services.progress_path(job).exists() and not services.lock_path(job).exists()
    reason = job.report["failure"]
    for w in words:
        assert w in reason, reason
    html = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "Thất bại" in html and "Không nhập được tệp này." in html
    from django.utils.html import escape

    assert escape(reason) in html
    assert "Tải tệp lên lại" in html
    return reason


@pytest.fixture(scope="session")
def zip_bomb(tmp_path_factory) -> Path:
    path = hf.zip_bomb_xlsx(tmp_path_factory.mktemp("hostile") / "danh-sach.xlsx")
    assert path.stat().st_size < 4_000_000
    return path


# ---- the three files of the issue ------------------------------------------------------------------


def test_zip_bomb_upload_is_refused_from_the_zip_directory(
    units, officer, login, zip_bomb, django_capture_on_commit_callbacks
):
    import zipfile

    (sheet,) = [i for i in zipfile.ZipFile(zip_bomb).infolist() if i.filename.endswith("sheet1.xml")]
    assert sheet.file_size > 1_000_000_000 and sheet.file_size / sheet.compress_size > 300
    client = login(officer)
    before = db_state()
    job = upload(client, units, zip_bomb, django_capture_on_commit_callbacks)
    reason = assert_failed(client, job, "giải nén", "1.049,4 MB", "giới hạn 512,0 MB", "bom nén")
    assert reason.startswith("Tệp Excel khi giải nén nặng")
    assert db_state() == before


def test_zip_bomb_from_the_command_line(units, zip_bomb):
    with pytest.raises(CommandError, match="giải nén nặng 1.049,4 MB, vượt giới hạn 512,0 MB"):
        call_command("import", str(zip_bomb), "--commune", units.commune_a.code, "--dry-run", "--no-progress")


def test_csv_with_a_million_columns(units, officer, login, tmp_path, django_capture_on_commit_callbacks):
    path = hf.wide_csv(tmp_path / "rong.csv")
    assert path.stat().st_size > 9_000_000
    client = login(officer)
    job = upload(client, units, path, django_capture_on_commit_callbacks)
    assert_failed(client, job, "Dòng tiêu đề", "hơn 65.536 cột", "giới hạn 256 cột", "giới hạn 131.072 byte")
    with pytest.raises(CommandError, match="giới hạn 256 cột"):
        call_command("import", str(path), "--commune", units.commune_a.code, "--dry-run", "--no-progress")


def test_csv_of_one_long_line(units, officer, login, tmp_path, django_capture_on_commit_callbacks):
    """The 100 MB single line crashed the task with no message (csv: "field larger than field
    limit"); a shorter one shows the same. Without delimiters it is refused for its length."""
    path = tmp_path / "mot-dong.csv"
    path.write_bytes(b"x" * 3_000_000)
    client = login(officer)
    job = upload(client, units, path, django_capture_on_commit_callbacks)
    assert_failed(client, job, "Dòng 1 của tệp dài ít nhất", "giới hạn 131.072 byte cho một dòng")
    hf.single_line_csv(path, 5_000_000)
    job = upload(client, units, path, django_capture_on_commit_callbacks)
    assert_failed(client, job, "Dòng tiêu đề dài ít nhất", "cột")


# ---- each limit, small files -----------------------------------------------------------------------


def test_long_line_after_the_header_is_named(units, officer, csv_file, settings):
    settings.XHHT_IMPORT_MAX_LINE_BYTES = 500
    path = csv_file([person_row(1), person_row(2, name="A" * 600), person_row(3)])
    with pytest.raises(limits.ImportLimitError, match="Dòng 3 của tệp dài ít nhất 6"):
        services.import_file(actor=officer, path=path, kind="people", commune=units.commune_a)


def test_rows_per_file(units, officer, login, csv_file, settings, django_capture_on_commit_callbacks):
    settings.XHHT_IMPORT_MAX_ROWS = 5
    ok = csv_file([person_row(i) for i in range(1, 6)])
    assert limits.check_file(ok).rows == 5
    client = login(officer)
    job = upload(
        client, units, csv_file([person_row(i) for i in range(1, 8)]), django_capture_on_commit_callbacks
    )
    assert_failed(client, job, "7 dòng dữ liệu", "giới hạn 5 dòng")
    # a file far over the limit is refused as soon as the limit is passed, not counted to its end
    with pytest.raises(limits.ImportLimitError, match="ít nhất [0-9.]+ dòng dữ liệu, vượt giới hạn 5 dòng"):
        limits.check_file(csv_file([person_row(i) for i in range(1, 30000)]))


def test_columns_of_the_header(units, officer, csv_file, settings):
    settings.XHHT_IMPORT_MAX_COLUMNS = 12
    header = [*(f"Cột {i}" for i in range(20))]
    with pytest.raises(limits.ImportLimitError, match="Dòng tiêu đề có 20 cột, vượt giới hạn 12 cột"):
        limits.check_file(csv_file([["1"] * 20], header=header))


def test_file_size(units, officer, login, csv_file, settings, django_capture_on_commit_callbacks):
    settings.XHHT_IMPORT_MAX_FILE_BYTES = 1000
    path = csv_file([person_row(i) for i in range(1, 30)])
    client = login(officer)
    # the upload form refuses it at once
    with open(path, "rb") as f:
        resp = client.post(
            reverse("imports:upload"), {"kind": "people", "commune": units.commune_a.pk, "file": f}
        )
    assert resp.status_code == 400 and "Tệp quá lớn" in resp.content.decode()
    with pytest.raises(CommandError, match="Tệp nặng 0,0 MB, vượt giới hạn"):
        call_command("import", str(path), "--commune", units.commune_a.code, "--dry-run", "--no-progress")


def _sheet(tmp_path, body: bytes, name="s.xlsx", **kw) -> Path:
    return hf.workbook(tmp_path / name, hf.sheet_xml(body), **kw)


HEAD_ROW = hf.xml_row(1, ["Họ và tên"])


@pytest.mark.parametrize(
    ("body", "message"),
    [
        # 1 KB asks calamine for 512 GiB (it aborts the process): A1 and XFD1048576
        (HEAD_ROW + b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', "16.384 cột (đến cột XFD)"),
        (HEAD_ROW + b'<row r="2"><c r="A2000000"><v>1</v></c></row>', "dữ liệu đến dòng 2.000.000"),
        (HEAD_ROW + b'<row r="2"><c r="IV900000"><v>1</v></c></row>', "900.000 dòng × 256 cột"),
        # what calamine reads too: lower case, leading zeros, another attribute first, single quotes,
        # spaces around "=", a prefix, a repeated r (calamine takes the last)
        (HEAD_ROW + b'<row r="2"><c r="xfd2"><v>1</v></c></row>', "đến cột XFD"),
        (HEAD_ROW + b'<row r="2"><c r="A0002000000"><v>1</v></c></row>', "2.000.000"),
        (HEAD_ROW + b'<row r="2"><c s="0" t="n" r="ZZ2"><v>1</v></c></row>', "đến cột ZZ"),
        (HEAD_ROW + b"<row r='2'><c r='ZZ2'><v>1</v></c></row>", "đến cột ZZ"),
        (HEAD_ROW + b'<row r="2"><c r = "ZZ2"><v>1</v></c></row>', "đến cột ZZ"),
        (HEAD_ROW + b'<row r="2"><x:c xmlns:x="urn:x" r="ZZ2"><v>1</v></x:c></row>', "đến cột ZZ"),
        (HEAD_ROW + b'<row r="2"><c r="A2" r="ZZ2"><v>1</v></c></row>', "đến cột ZZ"),
        # cells without r go one column right each: a row of 300 of them (attributes need no space)
        (HEAD_ROW + b'<row r="2">' + b"<c><v>1</v></c>" * 300 + b"</row>", "301 cột"),
        (HEAD_ROW + b'<row r="2">' + b'<c s="1"t="n"><v>1</v></c>' * 300 + b"</row>", "301 cột"),
        # behind 5 MB of text, in a chunk with no "r" nor "=" in it, they still count
        (
            HEAD_ROW + b'<row r="2"><x>' + b"a" * 5_000_000 + b"</x>" + b"<c><v>1</v></c>" * 300 + b"</row>",
            "301 cột",
        ),
        (HEAD_ROW + b'<row r="2">' + '<ô:c xmlns:ô="urn:x" é="1"/>'.encode() * 300 + b"</row>", "301 cột"),
        (HEAD_ROW + b'<row r="2"><c r="B2"r="ZZ2"><v>1</v></c></row>', "đến cột ZZ"),
        # rows out of order
        (
            HEAD_ROW + b'<row r="9000000"><c r="A9000000"><v>1</v></c></row><row r="2"><c r="A2"/></row>',
            "9.000.000",
        ),
    ],
    ids=[
        "xfd",
        "rows",
        "cells",
        "lower",
        "zeros",
        "order",
        "quotes",
        "spaces",
        "prefix",
        "repeated",
        "no-r",
        "no-r-no-space",
        "no-r-megabytes",
        "no-r-unicode",
        "no-space",
        "disorder",
    ],
)
def test_xlsx_extent_is_bounded_before_calamine(tmp_path, settings, body, message):
    settings.XHHT_IMPORT_MAX_XLSX_RATIO = 10_000  # the extent alone (the ratio has its own test)
    path = _sheet(tmp_path, body)
    with pytest.raises(limits.ImportLimitError, match=re.escape(message)):
        limits.check_file(path)


def test_xlsx_sheet_hidden_behind_garbage_or_another_name_is_scanned(tmp_path):
    """calamine skips whatever precedes the root element and reads the sheet wherever the
    relationships point: every member is scanned, whatever it looks like."""
    body = hf.sheet_xml(HEAD_ROW + b'<row r="2"><c r="XFD2"><v>1</v></c></row>')
    for prefix in (b"garbage", b"\x00\x00\x00", b"\xef\xbb\xbf\n"):
        path = hf.workbook(tmp_path / "g.xlsx", prefix + body)
        with pytest.raises(limits.ImportLimitError, match="đến cột XFD"):
            limits.check_file(path)
    path = hf.workbook(
        tmp_path / "n.xlsx", hf.sheet_xml(HEAD_ROW), extra={"xl/media/image1.png": b"\x89PNG" + body}
    )
    with pytest.raises(limits.ImportLimitError, match="đến cột XFD"):
        limits.check_file(path)


def test_xlsx_bound_is_never_below_what_calamine_allocates(tmp_path):
    """Real calamine on each crafted sheet: the scanner's rows × columns is at least its range."""
    from python_calamine import CalamineWorkbook

    bodies = [
        HEAD_ROW + b'<row r="5"><c r="C5"><v>1</v></c><c r="D5"><v>2</v></c></row>',
        HEAD_ROW + b'<row r="3"><c r="B3"><v>1</v></c><c><v>2</v></c><c><v>3</v></c></row>',
        HEAD_ROW + b"<row><c><v>1</v></c></row><row><c><v>1</v></c><c><v>1</v></c></row>",
        HEAD_ROW + b'<row r="4"><c r="A4" r="F9"><v>1</v></c></row>',
        HEAD_ROW + b'<row r="4"><c foo=\' r="A1"\' r="G7"><v>1</v></c></row>',
        HEAD_ROW + b'<row r="4"><c t="n" r=\'h12\'><v>1</v></c></row>',
        HEAD_ROW + b'<row r="4"><c s="1"t="n"><v>1</v></c><c s="1"/><c r="B4"r="E6"/></row>',
        HEAD_ROW + b'<row r="30"><c r="A30"><v>1</v></c></row><row r="2"><c r="K2"><v>1</v></c></row>',
    ]
    for i, body in enumerate(bodies):
        path = _sheet(tmp_path, body, name=f"b{i}.xlsx")
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        rows, cols = sheet.end[0] + 1, sheet.end[1] + 1
        facts = limits.check_file(path)
        assert facts.rows + 1 >= rows and facts.columns >= cols, (i, facts, rows, cols)


def test_xlsx_zip_directory_limits(tmp_path, settings):
    settings.XHHT_IMPORT_MAX_XLSX_MEMBERS = 6
    sheet = hf.sheet_xml(HEAD_ROW)
    path = hf.workbook(tmp_path / "m.xlsx", sheet, extra={f"xl/media/i{i}.bin": b"x" for i in range(3)})
    with pytest.raises(limits.ImportLimitError, match="8 thành phần, vượt giới hạn 6"):
        limits.check_file(path)
    settings.XHHT_IMPORT_MAX_XLSX_MEMBERS = 1000
    # a member inflating 1000:1 (more than 1 MiB) — the ratio alone, under the size limit
    path = hf.workbook(tmp_path / "r.xlsx", hf.Repeated(hf.SHEET_HEAD, b" " * (1 << 20), 5, hf.SHEET_TAIL))
    with pytest.raises(limits.ImportLimitError, match=r"tỉ lệ [\d.]+:1, vượt giới hạn 100:1"):
        limits.check_file(path)
    # a central directory that understates a member: inflation stops at the declared size
    body = hf.sheet_xml(HEAD_ROW + b'<row r="2"><c r="B2"><v>1</v></c></row>' * 50)
    path = hf.workbook(tmp_path / "l.xlsx", body, lie={"xl/worksheets/sheet1.xml": 200})
    with pytest.raises(limits.ImportFileError, match="không khớp với mục lục"):
        limits.check_file(path)


def test_ordinary_workbooks_pass(units, officer, login, tmp_path):
    """The template (xlsxwriter) and an openpyxl workbook go through the checks and import."""
    import openpyxl

    from tests.imports.conftest import HEADER

    resp = login(officer).get(reverse("imports:template", args=["people"]))
    tpl = tmp_path / "mau.xlsx"
    tpl.write_bytes(resp.content)
    assert limits.check_file(tpl).rows >= 1  # a bound over every sheet (its instructions sheet is longer)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for i in range(1, 200):
        ws.append(person_row(i))
    path = tmp_path / "so.xlsx"
    wb.save(path)
    facts = limits.check_file(path)
    assert (facts.rows, facts.columns) == (199, len(HEADER))
    out = services.import_file(actor=officer, path=path, kind="people", commune=units.commune_a, dry_run=True)
    assert out.ok, out.report.errors[:3]


# ---- a task that fails, a worker that dies ---------------------------------------------------------


def test_an_exception_inside_the_task_fails_the_job_with_its_reason(
    units, officer, login, csv_file, django_capture_on_commit_callbacks
):
    """The uploaded file vanished before the worker got to it (a purge, a disk swapped): the task
    raises, and the job says so instead of "Đang chờ" for ever."""
    client = login(officer)
    path = csv_file([person_row(1)])
    with open(path, "rb") as f, django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("imports:upload"), {"kind": "people", "commune": units.commune_a.pk, "file": f})
    job = ImportJob.objects.latest("pk")
    assert job.status == ImportJob.Status.QUEUED
    Path(job.stored_path).unlink()
    for cb in callbacks:
        cb()  # the immediate backend runs the task; it records the exception and re-raises nothing here
    assert_failed(client, job, "Lỗi khi xử lý tệp (FileNotFoundError", "Không có dòng nào được ghi vào sổ")
    assert job.task_id


def _hold_lock_in_another_process(job: ImportJob) -> subprocess.Popen:
    """A worker process working on ``job``: it holds the job's lock until it is killed."""
    code = (
        "import fcntl, os, sys, time\n"
        "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)\n"
        "fcntl.flock(fd, fcntl.LOCK_EX)\n"
        "print('locked', flush=True)\n"
        "time.sleep(120)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(services.lock_path(job))], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_a_job_whose_worker_died_is_recovered_and_the_file_uploaded_again(
    units, officer, login, csv_file, django_capture_on_commit_callbacks
):
    client = login(officer)
    path = csv_file([person_row(1), person_row(2)])
    job = upload(client, units, path, django_capture_on_commit_callbacks, run=False)
    # a worker took the commit and is writing (status set under its lock)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.IMPORTING)
    worker = _hold_lock_in_another_process(job)
    try:
        assert services.jobs_recover() == []  # alive: left alone
        html = client.get(reverse("imports:job", args=[job.pk])).content.decode()
        assert "Đang nhập" in html
        job.refresh_from_db()
        assert job.status == ImportJob.Status.IMPORTING and Path(job.stored_path).exists()
    finally:
        worker.send_signal(signal.SIGKILL)  # killed mid-commit
        worker.wait()
    call_command("recover_imports")  # what `xhht db_worker` runs when it starts
    assert_failed(client, job, "Lượt nhập bị gián đoạn", "Không có dòng nào được ghi vào sổ")
    # the same file again: checked, then committed
    again = upload(client, units, path, django_capture_on_commit_callbacks)
    assert again.sha256 == job.sha256
    again.refresh_from_db()
    assert again.status == ImportJob.Status.CHECKED, again.report
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:commit", args=[again.pk]))
    again.refresh_from_db()
    assert again.status == ImportJob.Status.DONE and again.report["counts"]["people_created"] == 2


def test_the_job_page_recovers_its_own_job_and_the_worker_start_all_of_them(
    units, officer, login, csv_file, django_capture_on_commit_callbacks
):
    client = login(officer)
    checking = upload(client, units, csv_file([person_row(1)]), django_capture_on_commit_callbacks, run=False)
    ImportJob.objects.filter(pk=checking.pk).update(status=ImportJob.Status.CHECKING)
    html = client.get(reverse("imports:job", args=[checking.pk])).content.decode()
    assert "Lượt nhập bị gián đoạn" in html
    assert_failed(client, checking, "gián đoạn")
    # the worker's start: xhht.cli runs the recovery before `db_worker`
    from xhht import cli

    importing = upload(
        client, units, csv_file([person_row(2)]), django_capture_on_commit_callbacks, run=False
    )
    ImportJob.objects.filter(pk=importing.pk).update(status=ImportJob.Status.IMPORTING)
    cli._before_worker()
    assert_failed(client, importing, "gián đoạn")


def test_queued_jobs_wait_for_their_task_unless_it_is_lost(
    units, officer, login, csv_file, django_capture_on_commit_callbacks
):
    import datetime as dt

    from django.utils import timezone

    client = login(officer)
    job = upload(client, units, csv_file([person_row(1)]), django_capture_on_commit_callbacks, run=False)
    assert job.status == ImportJob.Status.QUEUED and not job.task_id  # its task was never enqueued
    assert services.jobs_recover() == []  # uploaded a moment ago: its task may still come
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - dt.timedelta(hours=2))
    assert [j.pk for j in services.jobs_recover()] == [job.pk]
    assert_failed(client, job, "gián đoạn")


def test_queued_job_with_the_database_backend(
    units, officer, login, csv_file, settings, django_capture_on_commit_callbacks
):
    """With django-tasks' database backend: a job whose task waits is left alone, and so is one a
    worker has just claimed; one whose worker claimed it and died before taking the job, or whose
    task ended without it, is given up."""
    import datetime as dt

    from django.utils import timezone

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    client = login(officer)
    job = upload(client, units, csv_file([person_row(1)]), django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED and job.task_id
    task = DBTaskResult.objects.get(pk=job.task_id)
    assert task.status == "READY"
    assert services.jobs_recover() == []
    task.claim("worker-1")  # a worker has it and is about to take the job's lock
    assert services.jobs_recover() == []
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=timezone.now() - dt.timedelta(minutes=5))
    assert [j.pk for j in services.jobs_recover()] == [job.pk]
    assert_failed(client, job, "gián đoạn")
    # a task that failed (or was pruned) without running its job
    other = upload(client, units, csv_file([person_row(2)]), django_capture_on_commit_callbacks)
    other.refresh_from_db()
    DBTaskResult.objects.filter(pk=other.task_id).update(status="FAILED")
    assert [j.pk for j in services.jobs_recover()] == [other.pk]
    assert_failed(client, other, "gián đoạn")


def test_the_database_worker_runs_refuses_and_records(
    units, officer, login, csv_file, zip_bomb, settings, django_capture_on_commit_callbacks
):
    """`xhht db_worker` (django-tasks' database backend) on three queued jobs: a valid file is
    checked, the zip bomb refused by a limit, and a task whose file vanished fails — its job says
    why and the task table keeps the traceback."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    client = login(officer)
    good = upload(client, units, csv_file([person_row(1)]), django_capture_on_commit_callbacks)
    bomb = upload(client, units, zip_bomb, django_capture_on_commit_callbacks)
    gone = upload(client, units, csv_file([person_row(2)]), django_capture_on_commit_callbacks)
    Path(gone.stored_path).unlink()
    # the worker of `xhht db_worker`, task by task (its loop closes the connection between tasks,
    # which would end the test's transaction on PostgreSQL)
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="w1",
        excluded_queue_names=[],
    )
    for task in DBTaskResult.objects.ready().order_by("enqueued_at"):
        task.claim("w1")
        worker.run_task(task)
    for job in (good, bomb, gone):
        job.refresh_from_db()
    assert good.status == ImportJob.Status.CHECKED
    assert_failed(client, bomb, "bom nén")
    assert_failed(client, gone, "FileNotFoundError")
    status = {j.pk: DBTaskResult.objects.get(pk=j.task_id).status for j in (good, bomb, gone)}
    assert status == {good.pk: "SUCCESSFUL", bomb.pk: "SUCCESSFUL", gone.pk: "FAILED"}


def test_a_second_delivery_of_the_task_does_nothing_while_the_first_runs(
    units, officer, login, csv_file, django_capture_on_commit_callbacks
):
    client = login(officer)
    job = upload(client, units, csv_file([person_row(1)]), django_capture_on_commit_callbacks, run=False)
    worker = _hold_lock_in_another_process(job)
    try:
        services.job_run(job.pk, commit=False)
        job.refresh_from_db()
        assert job.status == ImportJob.Status.QUEUED and Path(job.stored_path).exists()
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    services.job_run(job.pk, commit=False)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED
    # a job given up by a recovery is not run afterwards by a late task
    services.job_fail(job, "x")
    services.job_run(job.pk, commit=True)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
