"""Background work: recovering overdue 即买即退 advances (started by the agency or the daily duty)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model

from jingxiang.jobs.registry import ProgressCallback, register_handler
from jingxiang.taxfree import services, texts


# Each form is recovered in its own transaction and skipped once recovered: a cut-short run may start again.
@register_handler("taxfree_recovery", retryable=True)
def recovery(job: Any, progress: ProgressCallback) -> dict[str, Any]:
    as_of = dt.date.fromisoformat(job.params["as_of"])
    actor = get_user_model().objects.get(pk=job.params["actor"]) if job.params.get("actor") else None
    progress(10, texts.RECOVERY_CHECKING())
    done = services.recovery_run(actor=actor, as_of=as_of)
    progress(100, texts.RECOVERY_DONE(n=done))
    return {"recovered": done, "message": texts.RECOVERY_DONE(n=done)}


def daily_recovery(due_date: dt.date) -> int:
    """The daily duty: recovery after the promised departure date (idempotent for its date)."""
    return services.recovery_run(actor=None, as_of=due_date)
