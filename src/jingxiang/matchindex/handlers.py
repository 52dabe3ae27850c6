"""Background job of the matching index: the rebuild (thin: ids in, call the service)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from jingxiang.jobs.registry import JobFailed, ProgressCallback, register_handler
from jingxiang.matchindex import registry

REBUILD = "matchindex_rebuild"


@register_handler(REBUILD)
def rebuild_index(job: Any, progress: ProgressCallback) -> dict[str, Any]:
    from jingxiang.matchindex.services import index_rebuild

    result = index_rebuild(version_id=int(job.params["version_id"]), progress=progress)
    source = registry.knowledge_source()
    if source is not None and source.result_url:
        job.result_url = reverse(source.result_url)
        job.save(update_fields=["result_url"])
    if not result["ok"]:
        raise JobFailed(_("知识表无法加载,未生效。"), result)
    result["message"] = _("匹配索引已重建(%(n)s 个供给方),新版本已生效。") % {"n": result["suppliers"]}
    return result
