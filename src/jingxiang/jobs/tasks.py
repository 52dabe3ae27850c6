"""Thin tasks: the queue passes only a job id; the service does the work."""

from __future__ import annotations

from django_tasks import task


@task()
def run_job(job_id: int) -> None:
    from jingxiang.jobs.services import job_run

    job_run(job_id=job_id)


@task()
def maintain() -> None:
    """Periodic pass in the worker: lost jobs, e-mail retries; queues its successor while work remains."""
    from jingxiang.jobs.services import jobs_maintain

    jobs_maintain()
