"""Starting and running background jobs, and noticing the ones whose worker died."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import OperationalError, connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language

from jingxiang.core.models import OutboxMessage, OutboxStatus
from jingxiang.core.services import notification_send, outbox_deliver
from jingxiang.core.texts import Text
from jingxiang.jobs import progress as progress_channel
from jingxiang.jobs import texts
from jingxiang.jobs.models import Job, JobStatus
from jingxiang.jobs.registry import JobFailed, JobLost, handler_spec

logger = logging.getLogger(__name__)


def job_enqueue(
    *,
    kind: str,
    title: Text,
    created_by: Any,
    params: dict[str, Any] | None = None,
    input_file: UploadedFile[bytes] | None = None,
) -> Job:
    """Record the job and queue it once the surrounding transaction has committed.

    ``title`` is a bound message (each viewer reads it in their language). Queuing after commit means a
    worker never picks up a job whose row (or input) is not visible yet.
    """
    if not isinstance(title, Text):
        raise TypeError("job_enqueue needs a bound message from a texts.py as its title")
    handler_spec(kind)  # fail fast on an unknown kind
    # What a handler still renders itself (an import's row-level reasons) uses the starter's language.
    job = Job(
        kind=kind,
        title_text=title.as_json(),
        created_by=created_by,
        params={"language": get_language(), **(params or {})},
    )
    if input_file is not None:
        job.input_file.save(input_file.name or "upload", input_file, save=False)
    job.save()
    transaction.on_commit(partial(_queue_run, job.pk))
    return job


def _queue_run(job_id: int) -> None:
    from jingxiang.jobs.tasks import run_job

    run_job.enqueue(job_id)
    maintenance_schedule()


def _owned(job_id: int, attempt: int) -> Any:
    """The job row as long as this run still holds it: running, and not claimed again since."""
    return Job.objects.filter(pk=job_id, status=JobStatus.RUNNING, attempts=attempt)


def job_report(job_id: int, attempt: int, progress: int, text: Text) -> None:
    """Record progress and the heartbeat; raise ``JobLost`` if the sweeper gave this run up.

    Progress is written where the UI sees it at once, even from inside the handler's own transaction
    (``jobs.progress``: a second connection on PostgreSQL).
    """
    if not isinstance(text, Text):
        raise TypeError("progress needs a bound message from a texts.py")
    values = {"progress": max(0, min(100, int(progress))), "message_text": text.as_json()}
    if progress_channel.write_aside(job_id, attempt, values):
        return
    updated = _owned(job_id, attempt).update(**values, heartbeat_at=timezone.now())
    if not updated:
        raise JobLost(job_id)


def job_run(*, job_id: int) -> Job:
    """Claim and carry out a queued job; a job another worker already claimed is left alone."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1
    )
    job = Job.objects.get(pk=job_id)
    if not claimed:
        return job
    with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
        return _run_claimed(job)


def _run_claimed(job: Job) -> Job:
    attempt = job.attempts

    def progress(percent: int, text: Text) -> None:
        job_report(job.pk, attempt, percent, text)

    progress_channel.begin()
    try:
        result = handler_spec(job.kind).run(job, progress)
    except JobLost:
        logger.warning("job %s (%s) was given up as lost while this worker still ran it", job.pk, job.kind)
    except JobFailed as failure:
        _finish(job, attempt, JobStatus.FAILED, failure.text, failure.result)
    except Exception:
        logger.exception("job %s (%s) crashed", job.pk, job.kind)
        _finish(job, attempt, JobStatus.FAILED, texts.CRASHED(), {})
    else:
        outcome = result.pop("message", None)
        _finish(
            job, attempt, JobStatus.SUCCEEDED, outcome if isinstance(outcome, Text) else texts.DONE(), result
        )
    finally:
        progress_channel.close()
    job.refresh_from_db()
    return job


def _finish(job: Job, attempt: int, status: str, text: Text, result: dict[str, Any]) -> None:
    now = timezone.now()
    with transaction.atomic():
        updated = _owned(job.pk, attempt).update(
            status=status,
            progress=100,
            message_text=text.as_json(),
            result=result,
            finished_at=now,
            heartbeat_at=now,
        )
        if not updated:
            logger.warning("job %s finished after the sweeper had given it up; outcome dropped", job.pk)
            return
        _notify_finished(job, status, text)
    _release_input(job)


def _notify_finished(job: Job, status: str, text: Text) -> None:
    if not job.created_by_id:
        return
    notice = texts.SUCCEEDED_NOTICE if status == JobStatus.SUCCEEDED else texts.FAILED_NOTICE
    notification_send(
        recipient=job.created_by,
        message=notice(job=Text.from_json(job.title_text), outcome=text),
        url=reverse("jobs:detail", args=[job.pk]),
        kind="job",
        email=False,
    )


def _release_input(job: Job) -> None:
    if job.input_file:
        # Uploads carry personal data (ID and mobile numbers); keep them no longer than the work needs.
        job.input_file.delete(save=False)
        Job.objects.filter(pk=job.pk).update(input_file="")


# Lost jobs --------------------------------------------------------------------------------------------


@dataclass
class SweepResult:
    requeued: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def _stale(limit: dt.datetime) -> Q:
    return Q(status=JobStatus.RUNNING) & (
        Q(heartbeat_at__lt=limit) | Q(heartbeat_at__isnull=True, started_at__lt=limit)
    )


def jobs_sweep(*, now: dt.datetime | None = None, timeout: int | None = None) -> SweepResult:
    """Find running jobs whose heartbeat is older than the timeout and re-queue or fail each one.

    A retryable handler with attempts left goes back to the queue; any other job is failed with a
    reason its starter reads in their language, and they are notified. Each job is decided in its own
    transaction with a conditional UPDATE on the heartbeat it was seen with, so a worker that reports
    progress at that moment keeps its job, and two sweepers never act on the same job twice (on
    PostgreSQL rows locked by a live job's transaction are skipped outright).
    """
    now = now or timezone.now()
    limit = now - dt.timedelta(seconds=settings.JOB_HEARTBEAT_TIMEOUT if timeout is None else timeout)
    outcome = SweepResult()
    for job_id in list(Job.objects.filter(_stale(limit)).order_by("pk").values_list("pk", flat=True)):
        try:
            _sweep_one(job_id, limit, now, outcome)
        except OperationalError:
            # SQLite: a long import holds the write lock; the job is alive, look again next time.
            logger.info("job %s is busy; sweep it later", job_id, exc_info=True)
    return outcome


def _sweep_one(job_id: int, limit: dt.datetime, now: dt.datetime, outcome: SweepResult) -> None:
    with transaction.atomic():
        candidates = Job.objects.filter(_stale(limit), pk=job_id).select_related("created_by")
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True, of=("self",))
        job = candidates.first()
        if job is None:
            return
        try:
            spec = handler_spec(job.kind)
        except KeyError:
            spec = None
        seen = Job.objects.filter(
            pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts, heartbeat_at=job.heartbeat_at
        )
        if spec is not None and spec.retryable and job.attempts < spec.max_attempts:
            if seen.update(
                status=JobStatus.QUEUED,
                progress=0,
                message_text=texts.REQUEUED(attempt=job.attempts + 1).as_json(),
                heartbeat_at=None,
            ):
                logger.warning("job %s (%s) lost its worker; re-queued", job.pk, job.kind)
                outcome.requeued.append(job.pk)
                transaction.on_commit(partial(_queue_run, job.pk))
            return
        reason = texts.INTERRUPTED(attempts=job.attempts)
        if not seen.update(
            status=JobStatus.FAILED, progress=100, message_text=reason.as_json(), finished_at=now
        ):
            return
        logger.warning("job %s (%s) lost its worker; failed", job.pk, job.kind)
        outcome.failed.append(job.pk)
        if spec is not None and spec.on_abandon is not None:
            spec.on_abandon(job)
        _notify_finished(job, JobStatus.FAILED, reason)
        transaction.on_commit(partial(_release_input, job))


# Periodic maintenance in the worker -------------------------------------------------------------------


def jobs_maintain() -> SweepResult:
    """One maintenance pass: sweep lost jobs, run due calendar duties, send due e-mails, plan the next pass."""
    from jingxiang.jobs.periodic import run_due_periodic

    result = jobs_sweep()
    run_due_periodic()
    outbox_deliver()
    maintenance_schedule()
    return result


def _work_pending() -> bool:
    return (
        Job.objects.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).exists()
        or OutboxMessage.objects.filter(status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING]).exists()
    )


def maintenance_schedule() -> bool:
    """Keep one deferred maintenance task queued while jobs run or e-mails wait; True if one was queued.

    The worker runs it every ``JOB_SWEEP_INTERVAL`` seconds and it queues its successor, so a job whose
    worker died is noticed by the next worker that comes up, even when nothing else is queued. When no
    work is left the chain stops; the next job or e-mail starts it again. Backends that cannot defer a
    task (the immediate backend of the tests) get no chain: run ``manage.py jobs_sweep`` instead.
    """
    from jingxiang.jobs.tasks import maintain

    backend = maintain.get_backend()
    if not backend.supports_defer or not _work_pending() or _maintenance_queued(backend):
        return False
    maintain.using(run_after=timezone.now() + dt.timedelta(seconds=settings.JOB_SWEEP_INTERVAL)).enqueue()
    return True


def _maintenance_queued(backend: Any) -> bool:
    from jingxiang.jobs.tasks import maintain

    try:
        from django_tasks_db.backend import DatabaseBackend
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the database backend is a dependency
        return False
    if not isinstance(backend, DatabaseBackend):
        return False
    return DBTaskResult.objects.filter(
        task_path=maintain.module_path, status="READY", backend_name=backend.alias
    ).exists()
