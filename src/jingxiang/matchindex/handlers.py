"""Background job of the matching index: the rebuild (thin: ids in, call the service)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from jingxiang.jobs.registry import JobFailed, ProgressCallback, register_handler
from jingxiang.matchindex import registry, texts

REBUILD = "matchindex_rebuild"


# Activation is the last, atomic step: a rebuild cut short changed nothing and may run again.
@register_handler(REBUILD, retryable=True)
def rebuild_index(job: Any, progress: ProgressCallback) -> dict[str, Any]:
    from jingxiang.matchindex.services import index_rebuild

    result = index_rebuild(version_id=int(job.params["version_id"]), progress=progress)
    source = registry.knowledge_source()
    if source is not None and source.result_url:
        job.result_url = reverse(source.result_url)
        job.save(update_fields=["result_url"])
    if not result["ok"]:
        raise JobFailed(texts.KNOWLEDGE_UNLOADABLE(), result)
    result["message"] = texts.INDEX_REBUILT(n=result["suppliers"])
    return result
