"""What background jobs say: titles, progress, outcomes and the notices sent when they end."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from jingxiang.core.texts import message

DONE = message("jobs.done", gettext_lazy("已完成。"))
CRASHED = message("jobs.crashed", gettext_lazy("任务出错,已记录日志,请联系平台运营人员。"))
INTERRUPTED = message(
    "jobs.interrupted",
    gettext_lazy(
        "处理进程已中断(已尝试 %(attempts)s 次),任务未能完成。请重新发起;如再次出现,请联系平台运营人员。"
    ),
)
REQUEUED = message("jobs.requeued", gettext_lazy("处理进程已中断,任务已重新排队,将第 %(attempt)s 次尝试。"))
SUCCEEDED_NOTICE = message("jobs.succeeded_notice", gettext_lazy("任务已完成:%(job)s"), "%(outcome)s")
FAILED_NOTICE = message("jobs.failed_notice", gettext_lazy("任务失败:%(job)s"), "%(outcome)s")

IMPORT_TITLE = message("jobs.import_title", gettext_lazy("导入%(what)s:%(file)s"))
IMPORT_REFUSED = message(
    "jobs.import_refused", gettext_lazy("文件中有 %(n)s 处错误,未导入任何数据。请修改后重新上传。")
)
IMPORT_DONE = message("jobs.import_done", gettext_lazy("已导入 %(n)s 条记录。"))
