"""Background job kind of the review block: the engine's assignment of a round (thin; calls the service)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from jingxiang.jobs.models import Job
from jingxiang.jobs.registry import JobFailed, ProgressCallback, register_handler
from jingxiang.review.records import InputError
from jingxiang.reviewing import texts
from jingxiang.reviewing.models import AssignmentRun, RunStatus


def _abandon(job: Any) -> None:
    AssignmentRun.objects.filter(
        pk=int(job.params["run_id"]), status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    ).update(status=RunStatus.FAILED, error="lost")


# The assignment is recomputed from the round's data each time: a run cut short may run again.
@register_handler("reviewing_assign", retryable=True, on_abandon=_abandon)
def run_assignment(job: Any, progress: ProgressCallback) -> dict[str, Any]:
    from jingxiang.reviewing.services import assignment_compute

    run_id = int(job.params["run_id"])
    run = AssignmentRun.objects.get(pk=run_id)
    Job.objects.filter(pk=job.pk).update(result_url=reverse("reviewing:round", args=[run.round_id]))
    try:
        run = assignment_compute(run_id=run_id, progress=progress)
    except InputError as error:
        AssignmentRun.objects.filter(pk=run_id).update(status=RunStatus.FAILED, error=str(error)[:2000])
        raise JobFailed(texts.ASSIGN_BAD_DATA(e=[str(problem) for problem in error.problems[:5]])) from error
    except Exception:
        AssignmentRun.objects.filter(pk=run_id).update(status=RunStatus.FAILED)
        raise
    outcome = {"run_id": run.pk, "status": run.solver_status, **run.summary}
    outcome["message"] = texts.ASSIGN_DONE(
        covered=run.summary.get("covered", 0), uncovered=len(run.uncovered), status=run.solver_status
    )
    return outcome
