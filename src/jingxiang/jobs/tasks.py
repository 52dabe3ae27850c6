"""Thin task: the queue passes only a job id; the service does the work."""

from __future__ import annotations

from django_tasks import task


@task()
def run_job(job_id: int) -> None:
    from jingxiang.jobs.services import job_run

    job_run(job_id=job_id)
