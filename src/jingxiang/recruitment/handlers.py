"""Background job kind for the interview scheduler: thin, takes the run id and calls the service."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse

from jingxiang.jobs.models import Job
from jingxiang.jobs.registry import JobFailed, ProgressCallback, register_handler
from jingxiang.recruitment import texts
from jingxiang.recruitment.models import RunStatus, ScheduleRun
from jingxiang.scheduling import InstanceError


def _abandon(job: Any) -> None:
    ScheduleRun.objects.filter(
        pk=int(job.params["run_id"]), status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    ).update(status=RunStatus.FAILED)


# Placed interviews are locked in the next instance, so a run cut short may simply run again.
@register_handler("recruitment_schedule", retryable=True, on_abandon=_abandon)
def run_scheduler(job: Any, progress: ProgressCallback) -> dict[str, Any]:
    from jingxiang.recruitment.services import schedule_compute

    run_id = int(job.params["run_id"])
    fair_id = ScheduleRun.objects.values_list("fair_id", flat=True).get(pk=run_id)
    Job.objects.filter(pk=job.pk).update(result_url=reverse("recruitment:fair", args=[fair_id]))
    try:
        run = schedule_compute(run_id=run_id, progress=progress)
    except (InstanceError, ValidationError) as error:
        ScheduleRun.objects.filter(pk=run_id).update(status=RunStatus.FAILED)
        raise JobFailed(texts.SCHEDULE_BAD_DATA(e=str(error)[:300])) from error
    return {
        "scheduled": run.scheduled,
        "unscheduled": len(run.unscheduled),
        "message": texts.SCHEDULE_DONE(s=run.scheduled, u=len(run.unscheduled)),
    }
