"""Background work of 互聘共享: the month-end statement run (thin: ids in, call the service)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from jingxiang.jobs.registry import ProgressCallback, register_handler
from jingxiang.sharing.services import statements_generate_month


@register_handler("sharing_statements")
def generate_month_statements(job: Any, progress: ProgressCallback) -> dict[str, Any]:
    month = dt.date.fromisoformat(job.params["month"])
    result = statements_generate_month(actor=job.created_by, month=month, progress=progress)
    job.result_url = reverse("sharing:statements") + f"?month={month:%Y-%m}"
    job.save(update_fields=["result_url"])
    result["message"] = _("已生成 %(n)s 份 %(m)s 月度结算单草稿(共 %(a)s 份协议,%(s)s 份无可结算工时)。") % {
        "n": result["created"],
        "m": f"{month:%Y-%m}",
        "a": result["agreements"],
        "s": result["skipped"],
    }
    return result
