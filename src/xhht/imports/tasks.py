"""Background tasks (django-tasks): the immediate backend runs them inside the request (demo, tests);
production uses the database backend and ``xhht db_worker``."""

from __future__ import annotations

from django_tasks import task


@task()
def run_import_job(job_id: int, commit: bool) -> str:
    from . import services

    job = services.job_run(job_id, commit=commit)
    return job.status
