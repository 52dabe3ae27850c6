"""Job kinds used only by the tests; the killed-worker test loads them into its worker subprocess too."""

from __future__ import annotations

import time
from typing import Any

from jingxiang.core.texts import message
from jingxiang.jobs.registry import ProgressCallback, register_handler

STEP = message("tests.step", "step %(n)s")
FINISHED = message("tests.finished", "finished after %(n)s steps")
abandoned: list[int] = []
seen_heartbeats: list[Any] = []


@register_handler("test_steps", retryable=True, max_attempts=2)
def steps(job: Any, progress: ProgressCallback) -> dict[str, Any]:
    """``steps`` progress reports, ``pause`` seconds apart; ``sweep_midway`` gives the job up mid-run."""
    from jingxiang.jobs.models import Job

    count = int(job.params.get("steps", 1))
    for n in range(1, count + 1):
        progress(min(99, n * 100 // count), STEP(n=n))
        seen_heartbeats.append(Job.objects.get(pk=job.pk).heartbeat_at)
        if job.params.get("sweep_midway") and n == 1:
            from jingxiang.jobs.services import jobs_sweep

            jobs_sweep(timeout=-1)
        time.sleep(float(job.params.get("pause", 0)))
    return {"steps": count, "message": FINISHED(n=count)}


@register_handler("test_once", on_abandon=lambda job: abandoned.append(job.pk))
def once(job: Any, progress: ProgressCallback) -> dict[str, Any]:
    progress(50, STEP(n=1))
    return {}
