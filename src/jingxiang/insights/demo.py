"""Demo: last month frozen and its monthly report issued, the union and the town subscribed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from jingxiang.insights import services
from jingxiang.insights.selectors import month_start


def load(context: Any) -> None:
    users = context.users
    operator = users["operator"]
    last_month = month_start(month_start(timezone.localdate()) - dt.timedelta(days=1))
    run = services.snapshot_run_start(actor=operator, month=last_month)
    services.snapshot_run_compute(run_id=run.pk)
    for username in ("union_staff", "operator"):
        if username in users:
            services.subscription_set(actor=users[username], active=True)
    services.report_generate(month=last_month, actor=operator)
