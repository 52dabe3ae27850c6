"""What campus recruitment tells people: notifications and the scheduler job's texts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from jingxiang.core.texts import message

OFFER_MADE = message("recruitment.offer_made", gettext_lazy("%(firm)s 向您发出了录用通知:%(post)s"))
OFFER_ANSWERED = message("recruitment.offer_answered", gettext_lazy("%(name)s 已答复录用通知:%(answer)s"))
OFFER_REVOKED = message(
    "recruitment.offer_revoked", gettext_lazy("%(firm)s 撤销了录用通知(%(post)s),原因:%(reason)s")
)
INTERVIEW_SET = message("recruitment.interview_set", gettext_lazy("面试已安排:%(firm)s,%(slot)s"))
RETENTION_DUE = message(
    "recruitment.retention_due", gettext_lazy("请回访 %(name)s 入职 %(months)s 个月的在岗情况")
)
SCHEDULE_TITLE = message("recruitment.schedule_title", gettext_lazy("面试排程:%(fair)s"))
SCHEDULE_SOLVING = message("recruitment.schedule_solving", gettext_lazy("正在求解:%(m)s 场面试。"))
SCHEDULE_DONE = message(
    "recruitment.schedule_done", gettext_lazy("面试排程完成:排入 %(s)s 场,未排入 %(u)s 场。")
)
SCHEDULE_BAD_DATA = message("recruitment.schedule_bad_data", gettext_lazy("排程数据有误,未能计算:%(e)s"))
