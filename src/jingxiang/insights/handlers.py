"""Background work of insights: computing a month's snapshots and rendering the monthly report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from jingxiang.insights import services, texts
from jingxiang.jobs.registry import ProgressCallback, register_handler


@register_handler("insights_snapshot")
def compute_snapshots(job: Any, progress: ProgressCallback) -> dict[str, Any]:
    run = services.snapshot_run_compute(run_id=job.params["run"], progress=progress)
    job.result_url = reverse("insights:snapshots")
    job.save(update_fields=["result_url"])
    return {
        "message": texts.SNAPSHOT_DONE(
            month=f"{run.month:%Y-%m}", n=len(run.snapshots.values("indicator").distinct())
        )
    }


@register_handler("insights_report", retryable=True)
def render_report(job: Any, progress: ProgressCallback) -> dict[str, Any]:
    month = dt.date.fromisoformat(job.params["month"])
    report = services.report_generate(month=month, actor=job.created_by, progress=progress)
    job.result_url = reverse("insights:report", args=[report.pk])
    job.save(update_fields=["result_url"])
    return {"message": texts.REPORT_DONE(number=report.number)}


def monthly_duty(due: dt.date) -> None:
    """On the first of each month: freeze last month (unless done), then queue its report."""
    from jingxiang.insights.models import RunStatus, SnapshotRun
    from jingxiang.insights.selectors import month_start

    last_month = month_start(due - dt.timedelta(days=1))
    if not SnapshotRun.objects.filter(
        month=last_month, status__in=[RunStatus.DONE, RunStatus.RUNNING]
    ).exists():
        run = services.snapshot_run_start(actor=None, month=last_month)
        services.snapshot_run_compute(run_id=run.pk)
    services.report_request(actor=None, month=last_month)
