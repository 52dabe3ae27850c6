"""What the parks tell people: lease expiry reminders, service requests."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from jingxiang.core.texts import message

LEASE_EXPIRING = message(
    "parks.lease_expiring", gettext_lazy("租约 %(number)s(%(unit)s,%(tenant)s)将于 %(date)s 到期")
)
REQUEST_FILED = message("parks.request_filed", gettext_lazy("%(tenant)s 提交了园区服务请求:%(kind)s"))
REQUEST_DONE = message("parks.request_done", gettext_lazy("您的园区服务请求已办结:%(kind)s"), "%(note)s")
REMINDERS_TITLE = message("parks.reminders_title", gettext_lazy("租约到期提醒"))
REMINDERS_PROGRESS = message("parks.reminders_progress", gettext_lazy("已处理 %(i)s / %(n)s 份租约"))
REMINDERS_DONE = message("parks.reminders_done", gettext_lazy("已发出 %(n)s 份租约到期提醒。"))
