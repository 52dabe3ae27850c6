"""Background job kind for the scheduler: thin, takes the run id and calls the service."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from jingxiang.events import texts
from jingxiang.events.models import RunStatus, ScheduleRun
from jingxiang.jobs.models import Job
from jingxiang.jobs.registry import JobFailed, ProgressCallback, register_handler
from jingxiang.scheduling import InstanceError


def _abandon_run(job: Any) -> None:
    """A scheduler job given up as lost must not leave its run "computing" on the event's page."""
    ScheduleRun.objects.filter(
        pk=int(job.params["run_id"]), status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    ).update(status=RunStatus.FAILED)


# A run is recomputed from the accepted requests each time, so a run cut short may simply run again.
@register_handler("events_schedule", retryable=True, on_abandon=_abandon_run)
def run_scheduler(job: Any, progress: ProgressCallback) -> dict[str, Any]:
    from jingxiang.events.services import schedule_compute

    run_id = int(job.params["run_id"])
    Job.objects.filter(pk=job.pk).update(result_url=reverse("events:run", args=[run_id]))
    try:
        run = schedule_compute(run_id=run_id, progress=progress)
    except InstanceError as error:
        raise JobFailed(texts.SCHEDULE_BAD_DATA(e=[str(problem) for problem in error.errors[:5]])) from error
    except Exception:
        # Leave no run "running" forever: that would block every later run of the event.
        ScheduleRun.objects.filter(pk=run_id).update(status=RunStatus.FAILED)
        raise
    outcome = {
        "run_id": run.pk,
        "status": run.solver_status,
        "scheduled": run.scheduled_count,
        "unscheduled": run.unscheduled_count,
        "idle_gaps": run.idle_gaps,
    }
    if run.status == RunStatus.INFEASIBLE:
        raise JobFailed(texts.SCHEDULE_INFEASIBLE(), outcome)
    if run.status == RunStatus.INVALID:
        raise JobFailed(texts.SCHEDULE_INVALID(), outcome)
    outcome["message"] = texts.SCHEDULE_DONE(s=run.scheduled_count, u=run.unscheduled_count)
    return outcome
