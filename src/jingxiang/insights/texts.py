"""What insights tells people: snapshot runs and the monthly report."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from jingxiang.core.texts import message

RECOMPUTE_TITLE = message("insights.recompute_title", gettext_lazy("重新计算 %(month)s 的指标"))
FREEZE_TITLE = message("insights.freeze_title", gettext_lazy("冻结 %(month)s 的指标"))
SNAPSHOT_PROGRESS = message("insights.snapshot_progress", gettext_lazy("正在计算:%(name)s"))
SNAPSHOT_DONE = message("insights.snapshot_done", gettext_lazy("%(month)s 的 %(n)s 项指标已计算并冻结"))
REPORT_TITLE = message("insights.report_title", gettext_lazy("生成 %(month)s 月度报告"))
REPORT_PROGRESS = message("insights.report_progress", gettext_lazy("正在生成报告"))
REPORT_DONE = message("insights.report_done", gettext_lazy("月度报告 %(number)s 已生成"))
REPORT_READY = message(
    "insights.report_ready",
    gettext_lazy("三链融合月度报告(%(month)s)已发布"),
    gettext_lazy("报告编号 %(number)s"),
)
