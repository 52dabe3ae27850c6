"""Background jobs of the demand board (thin: ids in, call services)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from jingxiang.jobs.registry import ProgressCallback, register_handler


@register_handler("demands_rerank")
def rerank_open_demands(job: Any, progress: ProgressCallback) -> dict[str, Any]:
    from jingxiang.demands.services import demands_rerank_all

    count = demands_rerank_all(progress=progress)
    job.result_url = reverse("demands:board")
    job.save(update_fields=["result_url"])
    return {"demands": count, "message": _("已重新匹配 %(n)s 个开放需求。") % {"n": count}}
