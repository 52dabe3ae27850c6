"""Background work of 互聘共享: the month-end statement run (thin: ids in, call the service)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from jingxiang.jobs.registry import ProgressCallback, register_handler
from jingxiang.sharing import texts
from jingxiang.sharing.services import statements_generate_month


# Each agreement's draft is rebuilt in its own transaction: a run cut short may simply run again.
@register_handler("sharing_statements", retryable=True)
def generate_month_statements(job: Any, progress: ProgressCallback) -> dict[str, Any]:
    month = dt.date.fromisoformat(job.params["month"])
    result = statements_generate_month(actor=job.created_by, month=month, progress=progress)
    job.result_url = reverse("sharing:statements") + f"?month={month:%Y-%m}"
    job.save(update_fields=["result_url"])
    result["message"] = texts.STATEMENTS_DONE(
        n=result["created"], m=f"{month:%Y-%m}", a=result["agreements"], s=result["skipped"]
    )
    return result
