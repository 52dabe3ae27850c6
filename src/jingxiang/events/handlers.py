"""Background job kind for the scheduler: thin, takes the run id and calls the service."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from jingxiang.events.models import RunStatus, ScheduleRun
from jingxiang.jobs.models import Job
from jingxiang.jobs.registry import JobFailed, ProgressCallback, register_handler
from jingxiang.scheduling import InstanceError


@register_handler("events_schedule")
def run_scheduler(job: Any, progress: ProgressCallback) -> dict[str, Any]:
    from jingxiang.events.services import schedule_compute

    run_id = int(job.params["run_id"])
    Job.objects.filter(pk=job.pk).update(result_url=reverse("events:run", args=[run_id]))
    try:
        run = schedule_compute(run_id=run_id, progress=progress)
    except InstanceError as error:
        raise JobFailed(_("排程数据有误,未能计算:%(e)s") % {"e": "; ".join(error.errors[:5])}) from error
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
        raise JobFailed(_("锁定的洽谈互相冲突,没有可行的排程。请查看排程结果并调整锁定。"), outcome)
    if run.status == RunStatus.INVALID:
        raise JobFailed(_("独立校验发现排程违反规则,已阻止发布。"), outcome)
    outcome["message"] = _("排程完成:排入 %(s)s 场,未排入 %(u)s 场,请查看结果并发布。") % {
        "s": run.scheduled_count,
        "u": run.unscheduled_count,
    }
    return outcome
