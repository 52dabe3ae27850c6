"""Background jobs of the demand board (thin: ids in, call services)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from jingxiang.demands import texts
from jingxiang.jobs.registry import JobFailed, ProgressCallback, register_handler


# Activation is the last, atomic step: a rebuild cut short changed nothing and may run again.
@register_handler("demands_rebuild_index", retryable=True)
def rebuild_index(job: Any, progress: ProgressCallback) -> dict[str, Any]:
    from jingxiang.demands.services import knowledge_version_activate

    result = knowledge_version_activate(version_id=int(job.params["version_id"]), progress=progress)
    job.result_url = reverse("demands:knowledge")
    job.save(update_fields=["result_url"])
    if not result["ok"]:
        raise JobFailed(texts.KNOWLEDGE_UNLOADABLE(), result)
    result["message"] = texts.INDEX_REBUILT(n=result["suppliers"])
    return result


# Re-ranking overwrites each demand's ranking: running it again is harmless.
@register_handler("demands_rerank", retryable=True)
def rerank_open_demands(job: Any, progress: ProgressCallback) -> dict[str, Any]:
    from jingxiang.demands.services import demands_rerank_all

    count = demands_rerank_all(progress=progress)
    job.result_url = reverse("demands:board")
    job.save(update_fields=["result_url"])
    return {"demands": count, "message": texts.RERANK_DONE(n=count)}
