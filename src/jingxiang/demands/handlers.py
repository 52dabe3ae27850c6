"""Background jobs of the demand board (thin: ids in, call services)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from jingxiang.demands import texts
from jingxiang.jobs.registry import ProgressCallback, register_handler


# Re-ranking overwrites each demand's ranking: running it again is harmless.
@register_handler("demands_rerank", retryable=True)
def rerank_open_demands(job: Any, progress: ProgressCallback) -> dict[str, Any]:
    from jingxiang.demands.services import demands_rerank_all

    count = demands_rerank_all(progress=progress)
    job.result_url = reverse("demands:board")
    job.save(update_fields=["result_url"])
    return {"demands": count, "message": texts.RERANK_DONE(n=count)}
