"""What the review block tells people (background job titles and outcomes, notifications)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from jingxiang.core.texts import message

ASSIGN_TITLE = message("reviewing.assign_title", gettext_lazy("分配评审专家:%(round)s"))
ASSIGN_PROGRESS = message("reviewing.assign_progress", gettext_lazy("正在求解:%(n)s 份评审对象,%(r)s 位专家"))
ASSIGN_DONE = message(
    "reviewing.assign_done", gettext_lazy("已分配 %(covered)s 份(%(status)s),%(uncovered)s 份未能覆盖。")
)
ASSIGN_BAD_DATA = message("reviewing.assign_bad_data", gettext_lazy("评审数据有误,未分配:%(e)s"))
ASSIGNED = message(
    "reviewing.assigned",
    gettext_lazy("您有新的评审任务:%(round)s"),
    gettext_lazy("共 %(n)s 份,截止 %(closes)s。"),
)
