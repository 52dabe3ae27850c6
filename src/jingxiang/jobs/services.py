"""Starting and running background jobs."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jingxiang.core.services import notification_send
from jingxiang.jobs import progress as progress_channel
from jingxiang.jobs.models import Job, JobStatus
from jingxiang.jobs.registry import JobFailed, handler_for

logger = logging.getLogger(__name__)


def job_enqueue(
    *,
    kind: str,
    title: str,
    created_by: Any,
    params: dict[str, Any] | None = None,
    input_file: UploadedFile | None = None,
) -> Job:
    """Record the job and queue it once the surrounding transaction has committed.

    Queuing after commit means a worker never picks up a job whose row (or input) is not visible yet.
    """
    handler_for(kind)  # fail fast on an unknown kind
    # Messages produced by the worker (row errors, notifications) use the language of whoever started it.
    job = Job(
        kind=kind, title=title, created_by=created_by, params={"language": get_language(), **(params or {})}
    )
    if input_file is not None:
        job.input_file.save(input_file.name, input_file, save=False)
    job.save()

    def enqueue() -> None:
        from jingxiang.jobs.tasks import run_job

        run_job.enqueue(job.pk)

    transaction.on_commit(enqueue)
    return job


def job_report(job_id: int, progress: int, message: str) -> None:
    """Progress is written where the UI sees it while the job runs, even from inside the handler's
    transaction (``jobs.progress``)."""
    progress_channel.write(job_id, progress, message)


def job_run(*, job_id: int) -> Job:
    """Claim and carry out a queued job; a job another worker already claimed is left alone."""
    job = Job.objects.get(pk=job_id)
    claimed = Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return job
    job.refresh_from_db()
    with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
        return _run_claimed(job)


def _run_claimed(job: Job) -> Job:

    def progress(percent: int, message: str) -> None:
        job_report(job.pk, percent, message)

    try:
        result = handler_for(job.kind)(job, progress)
    except JobFailed as failure:
        _finish(job, JobStatus.FAILED, str(failure), failure.result)
    except Exception:
        logger.exception("job %s (%s) crashed", job.pk, job.kind)
        _finish(job, JobStatus.FAILED, _("任务出错,已记录日志,请联系平台运营人员。"), {})
    else:
        _finish(job, JobStatus.SUCCEEDED, result.pop("message", _("已完成。")), result)
    finally:
        progress_channel.close()
    job.refresh_from_db()
    return job


def _finish(job: Job, status: str, message: str, result: dict[str, Any]) -> None:
    Job.objects.filter(pk=job.pk).update(
        status=status, progress=100, message=str(message)[:300], result=result, finished_at=timezone.now()
    )
    if job.input_file:
        # Uploads carry personal data (ID and mobile numbers); keep them no longer than the work needs.
        job.input_file.delete(save=False)
        Job.objects.filter(pk=job.pk).update(input_file="")
    if job.created_by_id:
        from django.urls import reverse

        title = (_("任务已完成:%(t)s") if status == JobStatus.SUCCEEDED else _("任务失败:%(t)s")) % {
            "t": job.title
        }
        notification_send(
            recipient=job.created_by,
            title=title,
            body=str(message),
            url=reverse("jobs:detail", args=[job.pk]),
            kind="job",
            email=False,
        )
